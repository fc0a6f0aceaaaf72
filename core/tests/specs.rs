//! Fixture tests, in the layout of Biome's `tests/specs`:
//! `tests/specs/<rule>/invalid/<case>` must be flagged, `tests/specs/<rule>/valid/<case>`
//! must stay silent for that rule. A case is one file, or a directory analysed as one
//! project.
//!
//! In an invalid case, every line that must carry a finding of the rule ends with
//! `// expect: <rule>`; the findings must be on exactly those lines. Each case's findings
//! (positions, severity, endpoint, message, estimate, before/after) are also compared with
//! its snapshot `<case>.snap`; run with `BACKLENS_UPDATE_SNAPSHOTS=1` to write snapshots,
//! then review them.

mod common;

use backlens_core::{analyze, Analysis, Params, SourceFile};
use common::{cases, load_case, rules_with_specs};
use std::fs;
use std::path::{Path, PathBuf};

fn snapshot(analysis: &Analysis, rule: &str) -> String {
    let mut out = String::new();
    for f in analysis.findings.iter().filter(|f| f.rule == rule) {
        out.push_str(&format!(
            "{}:{}:{}-{}:{} {} {} [{}]\n  message: {}\n  estimate: {}\n",
            f.file,
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            f.rule,
            f.severity,
            f.endpoint.as_deref().unwrap_or("-"),
            f.message,
            f.estimate.summary
        ));
        if !f.after.is_empty() {
            out.push_str("  after:\n");
            for line in f.after.lines() {
                out.push_str(&format!("    | {line}\n"));
            }
        }
    }
    out
}

/// What `--fix-suggestions` makes of a case: each file a rewrite of `rule` changed, in full,
/// under a header naming the rewrites (safe ones are what `--fix` applies), and the rewrites
/// refused. Empty when no rewrite of the rule applies.
fn fixed_output(files: &[SourceFile], analysis: &Analysis, rule: &str) -> String {
    let mine: Vec<_> = analysis.findings.iter().filter(|f| f.rule == rule).cloned().collect();
    let outcome = backlens_core::fix::apply(files, &mine, backlens_core::fix::Mode::All);
    let mut out = String::new();
    for fixed in &outcome.files {
        let what: Vec<String> = fixed
            .applied
            .iter()
            .map(|a| format!("line {} {}", a.line, if a.safe { "safe" } else { "suggestion" }))
            .collect();
        out.push_str(&format!("--- {} ({})\n{}", fixed.path, what.join(", "), fixed.text));
        if !fixed.text.ends_with('\n') {
            out.push('\n');
        }
    }
    for r in &outcome.refused {
        out.push_str(&format!("--- refused: {}:{} {}\n", r.file, r.line, r.reason));
    }
    out
}

/// Compares a case's fixed output with `<case>.fixed.snap` (absent when no rewrite applies).
fn fixed_snapshot(case: &Path, files: &[SourceFile], analysis: &Analysis, rule: &str, update: bool, failures: &mut Vec<String>) {
    let path = PathBuf::from(format!("{}.fixed.snap", case.display()));
    let actual = fixed_output(files, analysis, rule);
    if update {
        if actual.is_empty() {
            let _ = fs::remove_file(&path);
        } else {
            fs::write(&path, &actual).unwrap();
        }
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{}: the fixed output differs (BACKLENS_UPDATE_SNAPSHOTS=1 rewrites it; review)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ));
    }
}

fn expected_lines(files: &[SourceFile], rule: &str) -> Vec<(String, u32)> {
    let marker = format!("// expect: {rule}");
    let mut out = Vec::new();
    for f in files {
        let text = String::from_utf8_lossy(&f.bytes);
        for (i, line) in text.lines().enumerate() {
            if line.trim_end().ends_with(&marker) {
                out.push((f.path.clone(), i as u32 + 1));
            }
        }
    }
    out.sort();
    out
}

/// The blind review table the rules reference and the report quote is the committed one
/// (`docs/evaluation/precision.tsv`, written by `scripts/precision.mjs`).
#[test]
fn the_blind_review_table_is_the_committed_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/evaluation/precision.tsv");
    let table = std::fs::read_to_string(&path).expect("docs/evaluation/precision.tsv");
    let mut rows = table.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    assert_eq!(rows.next(), Some("rule\ttrue\tminor\tfalse\tunreviewed"));
    let known: Vec<&str> = backlens_core::rules::catalog().iter().map(|m| m.id).collect();
    let mut expected = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row.split('\t').collect();
        let [rule, t, m, f, _] = cells[..] else { panic!("bad row {row:?}") };
        assert!(known.contains(&rule), "unknown rule {rule} in precision.tsv");
        expected.push((rule.to_string(), t.parse::<u32>().unwrap(), m.parse::<u32>().unwrap(), f.parse::<u32>().unwrap()));
    }
    let actual: Vec<(String, u32, u32, u32)> =
        backlens_core::rules::BLIND_REVIEW.iter().map(|&(r, t, m, f)| (r.to_string(), t, m, f)).collect();
    assert_eq!(actual, expected, "BLIND_REVIEW in core/src/rules/mod.rs disagrees with docs/evaluation/precision.tsv");
}

/// `docs/rules.md` is generated from the rules' own docs; it must not drift.
#[test]
fn the_rules_reference_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let generated = backlens_core::report::rules_reference();
    if std::env::var_os("BACKLENS_UPDATE_SNAPSHOTS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &generated).unwrap();
    }
    let on_disk = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/rules.md is out of date with the rules' docs; run BACKLENS_UPDATE_SNAPSHOTS=1 cargo test -p backlens-core --test specs"
    );
}

#[test]
fn every_spec_directory_names_a_rule() {
    let known: Vec<&str> = backlens_core::rules::catalog().iter().map(|m| m.id).collect();
    for rule in rules_with_specs() {
        assert!(known.contains(&rule.as_str()), "tests/specs/{rule} names no rule");
        assert!(!cases(&rule, "invalid").is_empty(), "{rule} has no invalid cases");
        assert!(!cases(&rule, "valid").is_empty(), "{rule} has no valid cases");
    }
}

/// The parameters a case is analysed with: the defaults, or those of a first line
/// `// backlens-args: load_profile:high items:5000` — the seed's parameters and cost-model
/// settings, for code that is a finding only at sizes bigger than the profile's (`cost::worth`).
fn case_params(files: &[SourceFile]) -> Params {
    let mut params = Params::default();
    for f in files {
        let text = String::from_utf8_lossy(&f.bytes);
        if let Some(args) = text.lines().next().and_then(|l| l.trim().strip_prefix("// backlens-args:")) {
            for pair in args.split_whitespace() {
                let (name, value) = pair.split_once(':').expect("backlens-args: name:value");
                if params.set(name, value).is_err() {
                    params.set_cost(name, value, "fixture").expect("backlens-args: a parameter");
                }
            }
        }
    }
    params
}

#[test]
fn invalid_cases_are_flagged_on_the_marked_lines() {
    let update = std::env::var_os("BACKLENS_UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for rule in rules_with_specs() {
        for case in cases(&rule, "invalid") {
            let files = load_case(&case);
            // The rule by name: it runs even when it is off by default.
            let analysis = analyze(&files, &Params { rules: vec![rule.clone()], ..case_params(&files) });
            for f in &analysis.files {
                assert!(f.error.is_none(), "{}: {}: {:?}", case.display(), f.path, f.error);
            }
            let mut found: Vec<(String, u32)> =
                analysis.findings.iter().filter(|f| f.rule == rule).map(|f| (f.file.clone(), f.line)).collect();
            found.sort();
            let expected = expected_lines(&files, &rule);
            assert!(!expected.is_empty(), "{}: no `// expect: {rule}` marker", case.display());
            if found != expected {
                failures.push(format!("{}: expected findings on {expected:?}, got {found:?}", case.display()));
            }
            for f in analysis.findings.iter().filter(|f| f.rule == rule && !f.after.is_empty()) {
                // An async generator accepts both `await` and a coroutine's `yield`.
                let wrapped = format!("async function* rewritten() {{\n{}\n}}", f.after);
                let parsed = backlens_core::parse::parse(&SourceFile::new(f.file.clone(), wrapped));
                if let Some(e) = parsed.error {
                    failures.push(format!("{}: the rewrite does not parse ({e:?}):\n{}", case.display(), f.after));
                }
            }
            fixed_snapshot(&case, &files, &analysis, &rule, update, &mut failures);
            let snap_path = PathBuf::from(format!("{}.snap", case.display()));
            let actual = snapshot(&analysis, &rule);
            if update {
                fs::write(&snap_path, &actual).unwrap();
            } else {
                match fs::read_to_string(&snap_path) {
                    Ok(expected) if expected == actual => {}
                    Ok(expected) => failures.push(format!(
                        "{}: snapshot differs\n--- expected\n{expected}\n--- actual\n{actual}",
                        snap_path.display()
                    )),
                    Err(_) => {
                        failures.push(format!("{}: missing; run with BACKLENS_UPDATE_SNAPSHOTS=1", snap_path.display()))
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn valid_cases_stay_silent() {
    let mut failures = Vec::new();
    for rule in rules_with_specs() {
        for case in cases(&rule, "valid") {
            let files = load_case(&case);
            // The rule by name: it runs even when it is off by default.
            let analysis = analyze(&files, &Params { rules: vec![rule.clone()], ..case_params(&files) });
            for f in &analysis.files {
                assert!(f.error.is_none(), "{}: {}: {:?}", case.display(), f.path, f.error);
            }
            let noise = snapshot(&analysis, &rule);
            if !noise.is_empty() {
                failures.push(format!("{}:\n{noise}", case.display()));
            }
        }
    }
    assert!(failures.is_empty(), "false positives:\n{}", failures.join("\n"));
}
