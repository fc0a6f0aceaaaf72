//! Rules.
use crate::{model::Program, Finding, Params};
pub fn run(_program: &Program, _params: &Params) -> Vec<Finding> { Vec::new() }
