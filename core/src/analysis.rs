//! The result of an analysis: the JSON contract of PRODUCT.md ("Machine-readable output").
//! Every position is 1-based; columns count UTF-16 code units (what editors, browsers and
//! SARIF count), so a position can be used as-is by the playground's editor.

use crate::params::{Category, Severity};
use serde::Serialize;

/// Version of the JSON contract.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Analysis {
    pub version: u32,
    /// The main framework ("express", "fastify", "koa", "nestjs", "hapi"), or null.
    pub framework: Option<String>,
    /// Every framework seen, in order of their first route/app.
    pub frameworks: Vec<String>,
    pub files: Vec<FileStatus>,
    pub endpoints: Vec<Endpoint>,
    pub findings: Vec<Finding>,
}

/// One input file and whether it could be read and parsed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileStatus {
    pub path: String,
    pub error: Option<FileError>,
}

/// Why a file was not analysed: the parser's message at a 1-based line and column, or a
/// whole-file problem (not UTF-8, too large, nested too deeply) at line 1, column 1 or at
/// the offending position.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// A route: method + path + where it is registered.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub file: String,
    pub line: u32,
    pub framework: String,
}

impl Endpoint {
    /// `GET /api/users`
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// `GET /api/users` when the finding is on a request path; null otherwise.
    pub endpoint: Option<String>,
    pub message: String,
    pub estimate: Estimate,
    /// The user's own lines the finding is about (whole lines, as written).
    pub before: String,
    /// A rewrite of `before` that fixes the finding.
    pub after: String,
}

/// What a finding costs now and what its fix is worth, from a cost model.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Estimate {
    /// The model's id (see `cost`), e.g. "queries".
    pub model: &'static str,
    /// The parameters the model was evaluated with.
    pub parameters: Vec<Parameter>,
    pub before: Vec<Metric>,
    pub after: Vec<Metric>,
    /// One sentence, e.g. "51 queries → 2 (batched) or 1 (join)".
    pub summary: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Parameter {
    pub name: &'static str,
    pub value: f64,
    pub unit: &'static str,
    /// Where the value came from: "load_profile:medium", "default", "user".
    pub source: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Metric {
    pub name: &'static str,
    pub value: f64,
    pub unit: &'static str,
}
