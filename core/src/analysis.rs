//! The result of an analysis: the JSON contract of PRODUCT.md ("Machine-readable output").
//! Every position is 1-based; columns count UTF-16 code units (what editors, browsers and
//! SARIF count), so a position can be used as-is by the playground's editor.

use crate::params::{Category, Severity};
use serde::{Deserialize, Deserializer, Serialize};

/// A name from a small fixed vocabulary: rule ids, cost models, metrics, units. (An alias,
/// so that serde does not treat it as borrowed from the input when reading JSON back.)
pub type Name = &'static str;

/// Version of the JSON contract.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Analysis {
    pub version: u32,
    /// The main framework ("express", "fastify", "koa", "nestjs", "hapi"), or null.
    pub framework: Option<String>,
    /// Every framework seen, in order of their first route/app.
    pub frameworks: Vec<String>,
    pub files: Vec<FileStatus>,
    pub endpoints: Vec<Endpoint>,
    pub findings: Vec<Finding>,
    /// Findings silenced by `backlens-ignore` comments (see `suppress.rs`), kept with the
    /// comment's line and reason: nothing is dropped without a trace.
    #[serde(default)]
    pub suppressed: Vec<Suppressed>,
    /// Problems with suppression comments: unknown rule ids, a directive naming no rule, a
    /// directive that silences nothing.
    #[serde(default)]
    pub notices: Vec<Notice>,
    /// Set when a baseline was applied: how many findings it had, which of its entries are
    /// gone (`baseline.rs`). Absent from the JSON otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::baseline::BaselineSummary>,
    /// What the model understood and what it could not see (`model::coverage`): silence is
    /// never a clean bill of health.
    #[serde(default)]
    pub coverage: Coverage,
    /// Figures measured by the user's load tests or traces (`measure::attach`), matched to
    /// endpoints; empty unless measurements were given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measured: Vec<crate::measure::MeasuredEndpoint>,
}

/// What the analysis understood of the program, and what it could not see.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Coverage {
    /// Files analysed as server code.
    pub files_analysed: usize,
    /// Files that could not be read or parsed (each listed in `files` with its error).
    pub files_failed: usize,
    /// Files read but not analysed as the server: tests, browser code, assets.
    pub files_skipped: Vec<SkippedFile>,
    pub routes: usize,
    /// Routes whose handler resolved to a function body.
    pub handlers_resolved: usize,
    /// The other routes: where they are registered and why their handler was not found.
    pub unresolved_handlers: Vec<UnresolvedHandler>,
    /// Functions in the program, and those on some route's request path.
    pub functions: usize,
    pub functions_on_request_path: usize,
    /// Database calls recognised, by library, most first.
    pub data_access: Vec<LibraryCalls>,
    /// Awaited calls on a request path that reach nothing backlens knows (no library it
    /// classifies, no function it can follow): where I/O could go unseen.
    pub unclassified_calls: usize,
    /// The first of them (at most 50), by place.
    pub unclassified: Vec<CoveredCall>,
    /// Analysed files that run once (migrations, seeds, scripts, set-up): no request path,
    /// so the per-request rules report nothing there.
    #[serde(default)]
    pub one_off_files: usize,
    /// Rules off by default (`rules::off_by_default`) that this analysis did not run: what
    /// they would find is not in the findings (`--rules all` runs them).
    #[serde(default)]
    pub rules_not_run: Vec<String>,
    /// Background jobs found (a scheduler's or a queue's callback: `agenda.define`,
    /// `queue.process`, `cron.schedule`, `setInterval`, `@Cron()`): what only they run is no
    /// request path, so the per-request rules report nothing there.
    #[serde(default)]
    pub background_jobs: usize,
    /// Analysed files in a background-job folder (`jobs/`, `queues/`, `workers/`, …).
    #[serde(default)]
    pub background_files: usize,
}

impl Coverage {
    /// One line for a terminal or a status bar: `41 routes, 39 handlers resolved (2 not),
    /// 120 of 900 functions on a request path, 88 database calls (Sequelize 80, Knex 8),
    /// 12 awaited calls not understood, 3 files skipped`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = vec![plural(self.routes, "route", "routes")];
        if self.routes > 0 {
            let missing = self.routes - self.handlers_resolved;
            parts.push(if missing == 0 {
                "every handler resolved".to_string()
            } else {
                format!("{} resolved ({missing} not)", plural(self.handlers_resolved, "handler", "handlers"))
            });
        }
        parts.push(format!("{} of {} on a request path", self.functions_on_request_path, plural(self.functions, "function", "functions")));
        let calls: usize = self.data_access.iter().map(|l| l.calls).sum();
        let mut db = plural(calls, "database call", "database calls");
        if !self.data_access.is_empty() {
            let by: Vec<String> = self.data_access.iter().map(|l| format!("{} {}", l.library, l.calls)).collect();
            db.push_str(&format!(" ({})", by.join(", ")));
        }
        parts.push(db);
        if self.unclassified_calls > 0 {
            parts.push(format!("{} not understood", plural(self.unclassified_calls, "awaited call", "awaited calls")));
        }
        if self.one_off_files > 0 {
            parts.push(format!("{} run once (no request path)", plural(self.one_off_files, "file", "files")));
        }
        if self.background_jobs + self.background_files > 0 {
            let mut what = Vec::new();
            if self.background_jobs > 0 {
                what.push(plural(self.background_jobs, "background job", "background jobs"));
            }
            if self.background_files > 0 {
                what.push(plural(self.background_files, "file in job folders", "files in job folders"));
            }
            parts.push(format!("{} (no request path)", what.join(" and ")));
        }
        if !self.rules_not_run.is_empty() {
            parts.push(format!("{} off by default not run (--rules all)", plural(self.rules_not_run.len(), "rule", "rules")));
        }
        if !self.files_skipped.is_empty() {
            parts.push(format!("{} skipped", plural(self.files_skipped.len(), "file", "files")));
        }
        if self.files_failed > 0 {
            parts.push(format!("{} not parsed", plural(self.files_failed, "file", "files")));
        }
        parts.join(", ")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct UnresolvedHandler {
    /// `GET /api/orders`
    pub endpoint: String,
    pub file: String,
    pub line: u32,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LibraryCalls {
    pub library: String,
    pub calls: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CoveredCall {
    pub file: String,
    pub line: u32,
    /// The callee as written (`db.fetchThing`).
    pub call: String,
}

/// A finding silenced by a `backlens-ignore` comment.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Suppressed {
    pub finding: Finding,
    /// Line of the comment.
    pub comment_line: u32,
    /// The text after `--` in the comment, if any.
    pub reason: Option<String>,
}

/// A remark about the analysed code that is not a finding (a suppression comment to fix).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Notice {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One input file and whether it could be read and parsed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FileStatus {
    pub path: String,
    pub error: Option<FileError>,
}

/// Why a file was not analysed: the parser's message at a 1-based line and column, or a
/// whole-file problem (not UTF-8, too large, nested too deeply) at line 1, column 1 or at
/// the offending position.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FileError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// A route: method + path + where it is registered.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub file: String,
    pub line: u32,
    pub framework: String,
    /// The static trace of the endpoint's request path before and after the fixes
    /// (`cost::trace`); absent only in JSON written before traces existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<crate::cost::trace::Trace>,
}

impl Endpoint {
    /// `GET /api/users`
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    #[serde(deserialize_with = "interned")]
    pub rule: Name,
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
    /// What baselines match on: a hash of the rule, the finding's code, its enclosing named
    /// function and its endpoint, none of which moves with line numbers (`baseline.rs`).
    #[serde(default)]
    pub fingerprint: String,
    /// The rule marks the rewrite safe: the same behaviour apart from speed, applied by
    /// `--fix` (`fix.rs`; absent from the JSON when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub safe_fix: bool,
}

/// What a finding costs now and what its fix is worth, from a cost model.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Estimate {
    /// The model's id (see `cost`), e.g. "queries".
    #[serde(deserialize_with = "interned")]
    pub model: Name,
    /// The parameters the model was evaluated with.
    pub parameters: Vec<Parameter>,
    pub before: Vec<Metric>,
    pub after: Vec<Metric>,
    /// One sentence, e.g. "51 queries → 2 (batched) or 1 (join)".
    pub summary: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Parameter {
    #[serde(deserialize_with = "interned")]
    pub name: Name,
    pub value: f64,
    #[serde(deserialize_with = "interned")]
    pub unit: Name,
    /// Where the value came from: "load_profile:medium", "default", "user".
    pub source: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Metric {
    #[serde(deserialize_with = "interned")]
    pub name: Name,
    pub value: f64,
    #[serde(deserialize_with = "interned")]
    pub unit: Name,
}

/// Reads a `&'static str` field of the JSON contract back (the playground receives the
/// analysis from its Web Worker as JSON). Rule ids, model, metric and unit names come from a
/// small fixed vocabulary, so each distinct string is leaked once and reused afterwards.
fn interned<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    static INTERNED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let text = String::deserialize(deserializer)?;
    let mut set = INTERNED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = set.get(text.as_str()) {
        return Ok(known);
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    set.insert(leaked);
    Ok(leaked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_contract_reads_back_into_the_same_analysis() {
        let files = [crate::SourceFile::new(
            "app.js",
            "const app = require('express')();\napp.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const u of users) { u.posts = await Post.findAll({ where: { userId: u.id } }); }\n  res.json(users);\n});\n",
        )];
        let analysis = crate::analyze(&files, &crate::Params::all_rules());
        assert!(!analysis.findings.is_empty());
        let back: Analysis = serde_json::from_str(&crate::report::json(&analysis)).unwrap();
        assert_eq!(back, analysis);
        // The same rule id read twice is the same leaked string.
        let again: Analysis = serde_json::from_str(&crate::report::json(&analysis)).unwrap();
        assert!(std::ptr::eq(back.findings[0].rule, again.findings[0].rule));
    }
}
