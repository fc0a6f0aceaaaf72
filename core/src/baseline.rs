//! Baselines: adopt backlens on an existing codebase without fixing everything first.
//!
//! A baseline is the list of the findings a project has today (`--write-baseline FILE`).
//! Analysed against it (`--baseline FILE`), only the findings not in it are reported (and
//! counted by `--fail-on`); the baseline's findings that no longer occur are reported as
//! *gone*, so the file can be rewritten smaller.
//!
//! Matching must survive moved and edited lines, so it never uses line numbers. Each finding
//! carries a [`fingerprint`]: a hash of its rule, its own code with all whitespace removed
//! (re-indenting keeps it; of a finding spanning several lines, such as a route with its
//! handler, only the first line counts), the name of the nearest named function
//! around it (`UsersController.findAll`, `listUsers`) and its endpoint (`GET /api/users`).
//! Lines added or removed above it, or edits elsewhere in the function, keep it; editing
//! the flagged code itself, moving it to another function or endpoint, or renaming the file
//! make it a new finding. Findings match per file as multisets: two identical findings in
//! one function need two baseline entries.
//!
//! The fingerprint is also SARIF's `partialFingerprints["backlens/v1"]`, so code scanning
//! tracks a result across commits the same way. This module is pure: the CLI reads and
//! writes the file.

use crate::analysis::{Analysis, Finding};
use crate::model::{FileId, Program};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use swc_common::Span;

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// The key of SARIF's `partialFingerprints` entry.
pub const SARIF_FINGERPRINT_KEY: &str = "backlens/v1";

/// A baseline file: `{ "version": 1, "findings": [{ "rule", "file", "fingerprint", … }] }`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
    /// Each simulated endpoint's figures today, for `--fail-on-budget` (`budget.rs`): an
    /// endpoint whose queries per request grow fails. Absent in baselines written before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<EndpointFigures>,
}

/// An endpoint's simulated figures per request, as recorded in a baseline.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct EndpointFigures {
    /// `GET /api/users`
    pub endpoint: String,
    pub queries: f64,
}

/// One recorded finding. `line` and `message` are for people reading the file (and for the
/// list of gone findings); matching uses `rule`, `file` and `fingerprint` only.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BaselineEntry {
    pub rule: String,
    pub file: String,
    pub fingerprint: String,
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub message: String,
}

/// What applying a baseline did, in the JSON as `baseline`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct BaselineSummary {
    /// Findings the baseline already had: not reported.
    pub known: usize,
    /// Findings the baseline has that the code no longer has (fixed, or the code changed):
    /// rewrite the baseline to drop them.
    pub gone: Vec<BaselineEntry>,
}

/// The fingerprint of a finding of `rule` on `code`, inside `function`, on `endpoint`: 16 hex
/// digits of a 64-bit FNV-1a hash (stable across platforms, versions of Rust and runs).
pub fn fingerprint(rule: &str, code: &str, function: Option<&str>, endpoint: Option<&str>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator no part contains, so ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    feed(rule.as_bytes());
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    feed(code.as_bytes());
    feed(function.unwrap_or("").as_bytes());
    feed(endpoint.unwrap_or("").as_bytes());
    format!("{hash:016x}")
}

/// The fingerprint of a finding the rules build at `span` of `file` (see [`fingerprint`]).
pub(crate) fn of_span(
    program: &Program,
    index: &crate::model::index::Index,
    file: FileId,
    span: Span,
    rule: &str,
    endpoint: Option<&str>,
) -> String {
    // A finding spanning lines (a route registration with its handler, a group of awaits) is
    // known by its first line: edits inside the handler are not edits of the finding.
    let code = program.file(file).snippet(span);
    let code = code.split('\n').next().unwrap_or("");
    fingerprint(rule, code, enclosing_name(program, index, file, span), endpoint)
}

/// The name of the innermost named function whose body holds `span` (anonymous callbacks
/// and arrows are skipped for their named parents).
fn enclosing_name<'p>(
    program: &'p Program,
    index: &crate::model::index::Index,
    file: FileId,
    span: Span,
) -> Option<&'p str> {
    let mut at = index.innermost_function(program, file, span);
    while let Some(id) = at {
        let function = &program.functions[id];
        if let Some(name) = function.name.as_deref() {
            return Some(name);
        }
        at = function.parent;
    }
    None
}

/// The baseline of an analysis: every finding it reports, in its order.
pub fn record(analysis: &Analysis) -> Baseline {
    let endpoints = analysis
        .endpoints
        .iter()
        .filter_map(|e| {
            let side = e.trace.as_ref()?.before.as_ref()?;
            Some(EndpointFigures { endpoint: e.label(), queries: side.queries.round() })
        })
        .collect();
    Baseline { version: BASELINE_VERSION, findings: analysis.findings.iter().map(entry).collect(), endpoints }
}

fn entry(f: &Finding) -> BaselineEntry {
    BaselineEntry {
        rule: f.rule.to_string(),
        file: f.file.clone(),
        fingerprint: f.fingerprint.clone(),
        line: f.line,
        message: f.message.clone(),
    }
}

/// Keeps only the findings `baseline` does not have; records how many it had and which of
/// its entries no longer occur in `analysis.baseline`.
pub fn apply(analysis: &mut Analysis, baseline: &Baseline) {
    let key = |file: &str, rule: &str, fingerprint: &str| (file.to_string(), rule.to_string(), fingerprint.to_string());
    let mut remaining: HashMap<(String, String, String), Vec<&BaselineEntry>> = HashMap::new();
    for e in &baseline.findings {
        remaining.entry(key(&e.file, &e.rule, &e.fingerprint)).or_default().push(e);
    }
    let mut known = 0;
    let mut new = Vec::new();
    for f in std::mem::take(&mut analysis.findings) {
        let matched = remaining.get_mut(&key(&f.file, f.rule, &f.fingerprint)).and_then(|list| list.pop());
        if matched.is_some() {
            known += 1;
        } else {
            new.push(f);
        }
    }
    // A finding silenced by a comment since the baseline was written is not gone: it is
    // still in the code, and the comment says why.
    for s in &analysis.suppressed {
        if let Some(list) = remaining.get_mut(&key(&s.finding.file, s.finding.rule, &s.finding.fingerprint)) {
            list.pop();
        }
    }
    let mut gone: Vec<BaselineEntry> = remaining.into_values().flatten().cloned().collect();
    gone.sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));
    analysis.findings = new;
    analysis.baseline = Some(BaselineSummary { known, gone });
}

/// The lines for standard error after a baseline was applied: what it hid, and each of its
/// entries that no longer occurs, so that the baseline can shrink.
pub fn summary_lines(analysis: &Analysis) -> Vec<String> {
    let Some(summary) = &analysis.baseline else { return Vec::new() };
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut lines = vec![format!(
        "baseline: {} known finding{} not reported, {} new, {} gone",
        summary.known,
        s(summary.known),
        analysis.findings.len(),
        summary.gone.len()
    )];
    for g in &summary.gone {
        lines.push(format!("baseline: gone: {}:{} {} (fixed or changed)", g.file, g.line, g.rule));
    }
    if !summary.gone.is_empty() {
        lines.push("baseline: run with --write-baseline to drop the gone entries".to_string());
    }
    lines
}

/// Reads a baseline file's text; the error says what is wrong with it.
pub fn parse(text: &str) -> Result<Baseline, String> {
    let baseline: Baseline = serde_json::from_str(text).map_err(|e| format!("not a backlens baseline: {e}"))?;
    if baseline.version != BASELINE_VERSION {
        return Err(format!(
            "baseline version {} is not supported (expected {BASELINE_VERSION}); write it again with --write-baseline",
            baseline.version
        ));
    }
    Ok(baseline)
}

/// The baseline as the file's text: pretty JSON, one finding per entry, ending in a newline.
pub fn to_text(baseline: &Baseline) -> String {
    serde_json::to_string_pretty(baseline).expect("JSON values serialise infallibly") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, Params, SourceFile};

    const USERS: &str = "\
const express = require('express');
const app = express();
app.get('/api/users', async (req, res) => {
  const users = await User.findAll();
  for (const user of users) {
    user.posts = await Post.findAll({ where: { userId: user.id } });
  }
  res.json(users);
});
";

    fn run(code: &str) -> Analysis {
        analyze(&[SourceFile::new("src/app.js", code)], &Params::all_rules())
    }

    #[test]
    fn the_fingerprint_ignores_whitespace_and_names_its_parts() {
        let a = fingerprint("n-plus-one-query", "Post.findAll({ where })", Some("list"), Some("GET /u"));
        assert_eq!(a.len(), 16);
        assert_eq!(a, fingerprint("n-plus-one-query", "Post.findAll({\n    where\n})", Some("list"), Some("GET /u")));
        assert_ne!(a, fingerprint("n-plus-one-query", "Post.findAll({ where })", Some("other"), Some("GET /u")));
        assert_ne!(a, fingerprint("n-plus-one-query", "Post.findAll({ where })", Some("list"), Some("GET /v")));
        assert_ne!(a, fingerprint("await-in-loop", "Post.findAll({ where })", Some("list"), Some("GET /u")));
    }

    #[test]
    fn a_baseline_hides_todays_findings_after_lines_move_and_reports_new_and_gone_ones() {
        let before = run(USERS);
        let baseline = parse(&to_text(&record(&before))).unwrap();
        assert_eq!(baseline.findings.len(), before.findings.len());
        assert!(before.findings.iter().any(|f| f.rule == "n-plus-one-query"));

        // Lines added above move everything down; an unrelated line changes; a new N+1.
        let edited = format!(
            "// the users service\n\n{}\napp.get('/api/teams', async (req, res) => {{\n  const teams = await Team.findAll({{ limit: 10 }});\n  for (const t of teams) t.members = await Member.findAll({{ where: {{ teamId: t.id }}, limit: 5 }});\n  res.json(teams);\n}});\n",
            USERS.replace("res.json(users);", "res.status(200).json(users);")
        );
        let mut after = run(&edited);
        apply(&mut after, &baseline);
        let new: Vec<(&str, u32)> = after.findings.iter().map(|f| (f.rule, f.line)).collect();
        assert!(new.contains(&("n-plus-one-query", 15)), "{new:?}");
        assert!(new.iter().all(|(_, line)| *line >= 13), "only the new route's findings: {new:?}");
        let summary = after.baseline.as_ref().unwrap();
        assert_eq!(summary.known, baseline.findings.len());
        assert!(summary.gone.is_empty(), "{:?}", summary.gone);

        // Fixing the old N+1 makes its entry gone.
        let fixed = USERS.replace(
            "for (const user of users) {\n    user.posts = await Post.findAll({ where: { userId: user.id } });\n  }\n",
            "",
        );
        let mut after = run(&fixed);
        apply(&mut after, &baseline);
        let gone: Vec<&str> = after.baseline.as_ref().unwrap().gone.iter().map(|e| e.rule.as_str()).collect();
        assert!(gone.contains(&"n-plus-one-query"), "{gone:?}");
    }

    #[test]
    fn bad_baseline_files_are_errors() {
        assert!(parse("[]").unwrap_err().contains("not a backlens baseline"));
        assert!(parse(r#"{"version": 9, "findings": []}"#).unwrap_err().contains("version 9"));
    }
}
