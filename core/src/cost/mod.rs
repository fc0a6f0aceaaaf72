//! Cost models: what a finding costs now and what its fix is worth.
//!
//! Every model is a pure function of named parameters. Defaults come from the load profile
//! ([`Profile`]); each parameter carries where its value came from, and the report lists
//! them all. Figures are model estimates, not measurements.

pub mod cache;
pub mod complexity;
pub mod connections;
pub mod coverage;
pub mod latency;
pub mod memory;
pub mod profile;
pub mod queries;
pub mod queueing;
pub mod rate_limit;
pub mod serialization;
pub mod trace;
mod trace_middleware;
mod trace_walk;
pub mod transfer;
pub mod whatif;
pub mod worth;

pub use profile::Profile;

use crate::analysis::{Metric, Parameter};

/// Rounds to one decimal for display, keeping integers clean.
pub fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

pub(crate) fn metric(name: &'static str, value: f64, unit: &'static str) -> Metric {
    Metric { name, value, unit }
}

pub(crate) fn parameter(p: &profile::Value, name: &'static str, unit: &'static str) -> Parameter {
    Parameter { name, value: p.value, unit, source: p.source.clone() }
}
