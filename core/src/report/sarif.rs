//! SARIF 2.1.0 output, for code-scanning tools and editors.
//!
//! One run: the tool with every rule (id, descriptions, help from the rule's own docs,
//! default level, category), one result per finding (level from severity, message — `text`
//! as it is, `markdown` with the user-derived text escaped by `report::escape`, region
//! with 1-based lines and UTF-16 columns, `columnKind: utf16CodeUnits`, and the baseline
//! fingerprint as `partialFingerprints["backlens/v1"]`), and files that could
//! not be analysed as tool execution notifications. Severity, endpoint, estimate and the
//! rewrite travel in each result's `properties`.
//!
//! Each rule's `helpUri` points at its section of the rules reference (`docs/rules.md`, one
//! `## rule-id` heading per rule, so `#rule-id` is its anchor). SARIF requires an absolute
//! URI; the base is [`DEFAULT_DOCS_URL`] — the reference in the workspace's `repository`
//! (Cargo.toml) — or the one the user gives (`--docs-url`, `[report] docs_url` in
//! `backlens.toml`), e.g. a copy of the reference on an intranet or pinned to a release tag.

use crate::analysis::{Analysis, Finding};
use crate::params::Severity;
use crate::rules;
use serde_json::{json, Value};

/// The rules reference in the workspace's repository (`repository` in Cargo.toml), on the
/// default branch: what the rules' `helpUri`s point into unless the user gives another base.
pub const DEFAULT_DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// The SARIF 2.1.0 log of an analysis, pretty-printed, with help URIs into
/// [`DEFAULT_DOCS_URL`].
pub fn sarif(analysis: &Analysis) -> String {
    sarif_with_docs(analysis, DEFAULT_DOCS_URL)
}

/// The SARIF 2.1.0 log of an analysis, each rule's `helpUri` being `docs_url#rule-id`.
/// `docs_url` must pass [`check_docs_url`].
pub fn sarif_with_docs(analysis: &Analysis, docs_url: &str) -> String {
    super::json::log_safe(
        serde_json::to_string_pretty(&sarif_value(analysis, docs_url)).expect("JSON values serialise infallibly"),
    )
}

/// Checks a base URL for the rules' help URIs: an absolute URI (RFC 3986: a scheme such as
/// `https:` followed by the rest), with no fragment (the rule id becomes the fragment) and no
/// spaces or control characters. The error says what is wrong.
pub fn check_docs_url(url: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("invalid docs URL {url:?}: {why}, e.g. https://example.com/backlens/rules.md"));
    let Some((scheme, rest)) = url.split_once(':') else {
        return bad("expected an absolute URL starting with a scheme such as https:");
    };
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return bad("expected an absolute URL starting with a scheme such as https:");
    }
    if rest.is_empty() {
        return bad("nothing after the scheme");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("spaces and control characters must be percent-encoded");
    }
    if url.contains('#') {
        return bad("the URL must not have a fragment (#…): backlens appends #rule-id");
    }
    Ok(())
}

/// `docs_url#rule-id`: the rule's section of the rules reference.
pub fn help_uri(docs_url: &str, rule: &str) -> String {
    format!("{docs_url}#{rule}")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// `n-plus-one-query` → `NPlusOneQuery`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// A relative path as a URI reference: `/`-separated, everything outside the unreserved
/// set percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Plain text of Markdown docs for SARIF's `text` fields (code fences and emphasis kept
/// readable, headings as lines).
fn plain(markdown: &str) -> String {
    markdown.lines().map(|l| l.trim_start_matches('#').trim_start()).collect::<Vec<_>>().join("\n")
}

fn result(f: &Finding, rule_index: usize) -> Value {
    json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": f.message, "markdown": super::escape::inline(&f.message, false) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&f.file) },
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": f.end_line,
                    "endColumn": f.end_column,
                }
            }
        }],
        "partialFingerprints": { crate::baseline::SARIF_FINGERPRINT_KEY: f.fingerprint },
        "properties": {
            "severity": f.severity,
            "category": f.category,
            "endpoint": f.endpoint,
            "estimate": f.estimate,
            "before": f.before,
            "after": f.after,
        }
    })
}

fn sarif_value(analysis: &Analysis, docs_url: &str) -> Value {
    let catalog = rules::catalog();
    let rules: Vec<Value> = catalog
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": pascal(m.id),
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": plain(m.docs) },
                "help": { "text": plain(m.docs), "markdown": m.docs },
                "helpUri": help_uri(docs_url, m.id),
                "defaultConfiguration": { "level": "warning" },
                "properties": { "category": m.category, "model": m.model, "tags": ["performance", m.category.as_str()] }
            })
        })
        .collect();
    let index = |f: &Finding| catalog.iter().position(|m| m.id == f.rule).unwrap_or(0);
    let mut results: Vec<Value> = analysis.findings.iter().map(|f| result(f, index(f))).collect();
    // Against a baseline every reported result is one the baseline does not have.
    if analysis.baseline.is_some() {
        for r in &mut results {
            r["baselineState"] = json!("new");
        }
    }
    // Silenced findings stay in the log, marked as suppressed in the source (code scanning
    // shows them as dismissed, with the comment's reason).
    for s in &analysis.suppressed {
        let mut r = result(&s.finding, index(&s.finding));
        let justification = match &s.reason {
            Some(reason) => format!("backlens-ignore comment on line {}: {reason}", s.comment_line),
            None => format!("backlens-ignore comment on line {}", s.comment_line),
        };
        r["suppressions"] = json!([{ "kind": "inSource", "justification": justification }]);
        results.push(r);
    }
    let notification = |level: &str, text: String, path: &str, line: u32, column: u32| {
        json!({
            "level": level,
            "message": { "text": text },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(path) },
                    "region": { "startLine": line, "startColumn": column }
                }
            }]
        })
    };
    let notifications: Vec<Value> = analysis
        .files
        .iter()
        .filter_map(|file| {
            let e = file.error.as_ref()?;
            Some(notification("error", format!("{} (file not analysed)", e.message), &file.path, e.line, e.column))
        })
        .chain(analysis.notices.iter().map(|n| notification("warning", n.message.clone(), &n.file, n.line, n.column)))
        .collect();
    let artifacts: Vec<Value> = analysis
        .files
        .iter()
        .map(|f| json!({ "location": { "uri": uri(&f.path) }, "roles": ["analysisTarget"] }))
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "backlens",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "artifacts": artifacts,
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, Params, SourceFile};

    #[test]
    fn findings_become_results_with_regions() {
        let src = "app.get('/api/users', async (req, res) => {\n  const users = await User.findAll();\n  for (const user of users) {\n    user.posts = await Post.findAll({ where: { userId: user.id } });\n  }\n  res.json(users);\n});\n";
        let a = analyze(
            &[SourceFile::new("src/my app.js", src), SourceFile::new("bad.js", "let = = 1;")],
            &Params::all_rules(),
        );
        let v: Value = serde_json::from_str(&sarif(&a)).unwrap();
        let run = &v["runs"][0];
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        let rule =
            run["tool"]["driver"]["rules"].as_array().unwrap().iter().find(|r| r["id"] == "n-plus-one-query").unwrap();
        assert_eq!(rule["id"], "n-plus-one-query");
        assert_eq!(rule["name"], "NPlusOneQuery");
        assert!(rule["help"]["markdown"].as_str().unwrap().contains("## Why is this bad"));
        let r = run["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "n-plus-one-query").expect("the N+1");
        assert_eq!(r["ruleId"], "n-plus-one-query");
        assert_eq!(r["level"], "error");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "src/my%20app.js");
        assert_eq!(loc["region"]["startLine"], 4);
        assert_eq!(loc["region"]["startColumn"], 24);
        assert_eq!(r["properties"]["endpoint"], "GET /api/users");
        let note = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bad.js");
        assert_eq!(rule["helpUri"], format!("{DEFAULT_DOCS_URL}#n-plus-one-query"));
    }

    #[test]
    fn suppressed_findings_are_results_marked_in_source_and_notices_are_warnings() {
        let code = "const express = require('express');\nconst app = express(); // backlens-ignore missing-compression -- nginx gzips\n// backlens-ignore no-such-rule\napp.get('/', (req, res) => res.send('ok'));\n";
        let a = analyze(&[SourceFile::new("app.js", code)], &Params::all_rules());
        let v: Value = serde_json::from_str(&sarif(&a)).unwrap();
        let run = &v["runs"][0];
        let r = run["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "missing-compression").expect("kept");
        assert_eq!(r["suppressions"][0]["kind"], "inSource");
        assert_eq!(r["suppressions"][0]["justification"], "backlens-ignore comment on line 2: nginx gzips");
        let unsuppressed =
            run["results"].as_array().unwrap().iter().filter(|r| r.get("suppressions").is_none()).count();
        assert_eq!(unsuppressed, a.findings.len());
        let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["level"], "warning");
        assert_eq!(notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
    }

    #[test]
    fn help_uris_are_absolute_and_point_at_each_rules_section() {
        assert!(check_docs_url(DEFAULT_DOCS_URL).is_ok(), "{DEFAULT_DOCS_URL}");
        assert!(DEFAULT_DOCS_URL.starts_with("https://"), "{DEFAULT_DOCS_URL}");
        let a = analyze(&[SourceFile::new("a.js", "const x = 1;\n")], &Params::all_rules());
        let v: Value =
            serde_json::from_str(&sarif_with_docs(&a, "https://docs.example.com/backlens/rules.html")).unwrap();
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), crate::rules::catalog().len());
        let reference = crate::report::rules_reference();
        for r in rules {
            let id = r["id"].as_str().unwrap();
            assert_eq!(r["helpUri"], format!("https://docs.example.com/backlens/rules.html#{id}"));
            // The anchor exists: the reference has a `## id` heading for the rule.
            assert!(reference.contains(&format!("\n## {id}\n")), "no section for {id}");
        }
        for bad in
            ["docs/rules.md", "", "://x", "1http://x", "https:", "https://x/rules.md#top", "https://x/my rules.md"]
        {
            assert!(check_docs_url(bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_docs_url("file:///srv/docs/rules.md").is_ok());
        assert!(check_docs_url("http://intranet/backlens/rules.md").is_ok());
    }
}
