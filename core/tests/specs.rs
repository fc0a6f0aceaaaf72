//! Fixture tests, in the layout of Biome's `tests/specs`:
//! `tests/specs/<rule>/invalid/<case>` must be flagged, `tests/specs/<rule>/valid/<case>`
//! must stay silent for that rule. A case is one file, or a directory analysed as one
//! project, and runs with its rule turned on by name (`common::case_params`), whatever the
//! rule's default.
//!
//! In an invalid case, every line that must carry a finding of the rule ends with
//! `// expect: <rule>`; the findings must be on exactly those lines. Each case's findings
//! (positions, severity, endpoint, message, estimate, before/after) are also compared with
//! its insta snapshot `<case>.snap`, and what `--fix-suggestions` makes of it with
//! `<case>.fixed.snap`, both beside the case. A mismatch fails; outside CI insta also writes
//! `<case>.snap.new` for `cargo insta review` (or `cargo insta test --review`; `INSTA_UPDATE=always`
//! overwrites in place). In CI (`CI=true`, `.ci/run`) nothing is written.

mod common;

use backlens_core::{analyze, Analysis, SourceFile};
use common::{case_params, cases, load_case, rules_with_specs};
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

/// Compares `contents` with the insta snapshot `<case>[suffix].snap` beside the case (its
/// name with insta's header above the same lines), and tells whether it matched. insta prints
/// the diff of a mismatch; where it may (not in CI), it writes `.snap.new` for review.
fn matches_snapshot(case: &Path, suffix: &str, contents: &str) -> bool {
    let name = format!("{}{suffix}", case.file_name().unwrap().to_string_lossy());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case.parent().unwrap());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(case);
    settings.set_omit_expression(true);
    // insta panics on a mismatch; every case is checked before the test fails.
    settings.bind(|| std::panic::catch_unwind(|| insta::assert_snapshot!(name, contents)).is_ok())
}

/// A path from the workspace root, as insta shows it.
fn from_root(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// The failure of a snapshot that differs, and what to do.
fn differs(snap: &Path, what: &str) -> String {
    format!(
        "{}: the case's {what} and this snapshot differ (insta's diff above); review with `cargo insta test -p backlens-core --test specs --review`",
        from_root(snap)
    )
}

/// Compares a case's fixed output with `<case>.fixed.snap`, which exists only when a rewrite
/// of the rule applies.
fn fixed_snapshot(case: &Path, files: &[SourceFile], analysis: &Analysis, rule: &str, failures: &mut Vec<String>) {
    let actual = fixed_output(files, analysis, rule);
    let path = PathBuf::from(format!("{}.fixed.snap", case.display()));
    if actual.is_empty() {
        if path.exists() {
            failures.push(format!("{}: no rewrite of {rule} applies any more; delete the file", from_root(&path)));
        }
    } else if !matches_snapshot(case, ".fixed", &actual) {
        failures.push(differs(&path, "fixed output"));
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

#[test]
fn invalid_cases_are_flagged_on_the_marked_lines() {
    let mut failures = Vec::new();
    for rule in rules_with_specs() {
        for case in cases(&rule, "invalid") {
            let files = load_case(&case);
            let analysis = analyze(&files, &case_params(&files, &rule));
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
            if !matches_snapshot(&case, "", &snapshot(&analysis, &rule)) {
                failures.push(differs(&PathBuf::from(format!("{}.snap", case.display())), "findings"));
            }
            fixed_snapshot(&case, &files, &analysis, &rule, &mut failures);
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
            let analysis = analyze(&files, &case_params(&files, &rule));
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
