//! The program model.
use crate::{parse::Parsed, Endpoint};
pub struct Program;
impl Program {
    pub fn build(_files: &[Parsed]) -> Program { Program }
    pub fn endpoints(&self) -> Vec<Endpoint> { Vec::new() }
    pub fn frameworks(&self) -> Vec<String> { Vec::new() }
}
