//! The `backlens` binary, run as a user would, on the project in tests/fixtures/express:
//! an Express + Sequelize service across two files (app in src/app.js, the seed's N+1
//! handler registered in src/routes/users.js), a file that does not parse, and files
//! that a directory walk must skip (node_modules/, a .gitignored directory, build output,
//! a hidden directory, a declaration file).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXPRESS: &str = "tests/fixtures/express";

/// The sources a walk of tests/fixtures/express must find, in order.
const EXPRESS_SOURCES: &[&str] = &[
    "tests/fixtures/express/src/app.js",
    "tests/fixtures/express/src/broken.js",
    "tests/fixtures/express/src/models.js",
    "tests/fixtures/express/src/routes/users.js",
];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `backlens ARGS…` in the cli/ directory (so fixture paths are relative).
fn backlens(args: &[&str]) -> Output {
    backlens_in(manifest_dir(), args)
}

fn backlens_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the backlens binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally, not by a signal")
}

/// Runs with `--format json` and returns the parsed output; the run must exit 0.
fn analyze_json(args: &[&str]) -> Value {
    let mut all = vec!["analyze"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = backlens(&all);
    assert_eq!(code(&out), 0, "backlens {all:?} failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(&out)))
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn file_paths(analysis: &Value) -> Vec<String> {
    analysis["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect()
}

/// 1-based line of the first line of `file` (relative to cli/) containing `needle`, and
/// the 1-based column at which `needle` starts.
fn position_of(file: &str, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(manifest_dir().join(file)).unwrap();
    for (i, line) in text.lines().enumerate() {
        if let Some(col) = line.find(needle) {
            return (i as u64 + 1, line[..col].encode_utf16().count() as u64 + 1);
        }
    }
    panic!("{needle:?} not in {file}");
}

/// The only line written to standard error, for exit-2 errors.
fn one_error_line(out: &Output) -> String {
    assert_eq!(code(out), 2, "expected exit 2; stderr: {}", stderr(out));
    assert!(out.stdout.is_empty(), "nothing on stdout on error, got: {}", stdout(out));
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one line on stderr, got: {err:?}");
    assert!(lines[0].starts_with("backlens: "), "{err:?}");
    lines[0].to_string()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("backlens-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Walking

#[test]
fn the_fixture_has_the_files_a_walk_must_skip() {
    // Guards the tests below against a checkout that lost the ignored fixtures.
    for f in [
        "node_modules/express/index.js",
        "generated/client.js",
        "dist/server.js",
        "build/server.js",
        "coverage/lcov-report/sorter.js",
        ".cache/compiled.js",
        "src/types.d.ts",
        ".gitignore",
    ] {
        assert!(manifest_dir().join(EXPRESS).join(f).is_file(), "fixture {f} is missing");
    }
}

#[test]
fn walking_a_directory_reads_sources_and_skips_dependencies_ignored_and_build_output() {
    let analysis = analyze_json(&[EXPRESS]);
    assert_eq!(file_paths(&analysis), EXPRESS_SOURCES);
}

#[test]
fn walking_honours_gitignore_outside_a_git_repository() {
    let tmp = TempDir::new("nogit");
    copy_tree(&manifest_dir().join(EXPRESS), &tmp.0.join("api"));
    assert!(!tmp.0.join("api/.git").exists());
    let out = backlens_in(&tmp.0, &["analyze", "api", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let analysis: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        file_paths(&analysis),
        ["api/src/app.js", "api/src/broken.js", "api/src/models.js", "api/src/routes/users.js"]
    );
}

#[test]
fn paths_are_shown_as_given_with_forward_slashes_and_without_dot_slash() {
    let analysis =
        analyze_json(&["./tests/fixtures/express/src/routes/users.js", "tests//fixtures/express/src/app.js"]);
    assert_eq!(
        file_paths(&analysis),
        ["tests/fixtures/express/src/app.js", "tests/fixtures/express/src/routes/users.js"]
    );
}

#[test]
fn walking_from_inside_the_project_gives_relative_paths() {
    let out = backlens_in(&manifest_dir().join(EXPRESS), &["analyze", ".", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let analysis: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(file_paths(&analysis), ["src/app.js", "src/broken.js", "src/models.js", "src/routes/users.js"]);
}

#[test]
fn explicitly_named_files_are_always_read_and_duplicates_dropped() {
    let dep = "tests/fixtures/express/node_modules/express/index.js";
    let analysis = analyze_json(&[dep, "tests/fixtures/express/src", EXPRESS, dep]);
    let mut expected = sorted(EXPRESS_SOURCES);
    expected.push(dep.to_string());
    expected.sort();
    assert_eq!(file_paths(&analysis), expected);
}

#[test]
fn a_directory_named_explicitly_is_walked_even_if_a_walk_would_skip_it() {
    for (dir, file) in [
        ("node_modules", "node_modules/express/index.js"),
        ("generated", "generated/client.js"),
        ("dist", "dist/server.js"),
        (".cache", ".cache/compiled.js"),
    ] {
        let analysis = analyze_json(&[&format!("{EXPRESS}/{dir}")]);
        assert_eq!(file_paths(&analysis), [format!("{EXPRESS}/{file}")]);
    }
}

#[test]
fn output_is_deterministic() {
    let a = backlens(&["analyze", EXPRESS, "tests/fixtures/clean", "--format", "json"]);
    let b = backlens(&["analyze", "tests/fixtures/clean", EXPRESS, "--format", "json"]);
    assert_eq!(code(&a), 0);
    assert_eq!(stdout(&a), stdout(&b));
}

// ---------------------------------------------------------------------------------------
// The JSON contract (PRODUCT.md, "Machine-readable output")

#[test]
fn json_contract_top_level() {
    let analysis = analyze_json(&[EXPRESS]);
    assert_eq!(
        keys(&analysis),
        ["coverage", "endpoints", "files", "findings", "framework", "frameworks", "notices", "suppressed", "version"]
    );
    assert_eq!(analysis["version"], 1);
    assert_eq!(analysis["framework"], "express");
    assert_eq!(analysis["frameworks"], serde_json::json!(["express"]));
    for file in analysis["files"].as_array().unwrap() {
        assert_eq!(keys(file), ["error", "path"]);
    }
}

#[test]
fn coverage_says_what_was_not_understood_in_the_json_on_stderr_and_in_the_report() {
    let dir = "tests/fixtures/coverage";
    let analysis = analyze_json(&["--rules", "all", dir]);
    let c = &analysis["coverage"];
    assert_eq!(c["routes"], 2);
    assert_eq!(c["handlers_resolved"], 1);
    let unresolved = c["unresolved_handlers"].as_array().unwrap();
    assert_eq!(unresolved.len(), 1);
    assert_eq!(unresolved[0]["endpoint"], "GET /health");
    assert_eq!(unresolved[0]["line"], 16);
    assert_eq!(
        unresolved[0]["reason"],
        "`health` is imported from the package `vendor-health`, which is not analysed"
    );
    assert_eq!(c["unclassified_calls"], 1);
    assert_eq!(c["unclassified"][0]["call"], "sdk.lookup");
    assert_eq!(c["unclassified"][0]["line"], 12);
    assert_eq!(c["data_access"][0]["calls"], 1);
    assert_eq!(c["files_skipped"][0]["path"], format!("{dir}/test/app.test.js"));
    assert_eq!(c["files_analysed"], 1);

    let out = backlens(&["analyze", "--rules", "all", dir, "--format", "json"]);
    let line = stderr(&out).lines().find(|l| l.starts_with("backlens: coverage: ")).map(str::to_string);
    let line = line.expect("a coverage line on standard error");
    assert!(line.contains("2 routes, 1 handler resolved (1 not)"), "{line}");
    assert!(line.contains("1 awaited call not understood, 1 file skipped"), "{line}");

    let report = stdout(&backlens(&["analyze", "--rules", "all", dir]));
    assert!(report.contains("## What backlens Could Not See"), "{report}");
    assert!(report.contains("| GET /health | tests/fixtures/coverage/app.js:16 | `health` is imported from the package `vendor-health`, which is not analysed |"), "{report}");
    assert!(report.contains("| `sdk.lookup` | tests/fixtures/coverage/app.js:12 |"), "{report}");
}

#[test]
fn suppression_comments_move_findings_aside_and_a_bad_comment_is_a_warning() {
    // tests/fixtures/suppressed: three app-level findings silenced with reasons, and a
    // comment with a misspelt rule id above an N+1, which therefore stays.
    let out = backlens(&["analyze", "--rules", "all", "tests/fixtures/suppressed", "--format", "json", "--fail-on", "high"]);
    let analysis: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let rules: Vec<&str> =
        analysis["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["n-plus-one-query"], "{analysis:#}");
    let suppressed = analysis["suppressed"].as_array().unwrap();
    let silenced: Vec<(&str, u64, &str)> = suppressed
        .iter()
        .map(|s| {
            (s["finding"]["rule"].as_str().unwrap(), s["comment_line"].as_u64().unwrap(), s["reason"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        silenced,
        [
            ("missing-compression", 7, "nginx gzips /api"),
            ("missing-metrics", 6, "limits and metrics live in the gateway"),
            ("missing-rate-limit", 6, "limits and metrics live in the gateway"),
        ]
    );
    let notices = analysis["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!((notices[0]["line"].as_u64(), notices[0]["column"].as_u64()), (Some(13), Some(5)));
    assert!(
        stderr(&out).contains(
            "backlens: warning: tests/fixtures/suppressed/app.js:13:5: `backlens-ignore` names an unknown rule `n-plus-one-querry`"
        ),
        "{}",
        stderr(&out)
    );
    // The N+1 that the misspelt comment did not silence still fails the build.
    assert_eq!(code(&out), 1, "{}", stderr(&out));

    // Silenced findings never fail a build.
    let out = backlens(&["analyze", "tests/fixtures/suppressed/app.js", "--target", "algorithms", "--fail-on", "low"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn files_that_parse_have_a_null_error() {
    let analysis = analyze_json(&[EXPRESS]);
    let files = analysis["files"].as_array().unwrap();
    for file in files.iter().filter(|f| f["path"] != "tests/fixtures/express/src/broken.js") {
        assert!(file["error"].is_null(), "{file}");
    }
}

#[test]
fn a_file_that_does_not_parse_is_reported_with_line_column_and_message() {
    let out = backlens(&["analyze", EXPRESS, "--format", "json"]);
    assert_eq!(code(&out), 0, "a parse error is not an exit-2 error: {}", stderr(&out));
    let analysis: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let broken = analysis["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "tests/fixtures/express/src/broken.js")
        .unwrap();
    let error = &broken["error"];
    assert!(error.is_object(), "broken.js must carry an error: {broken}");
    assert_eq!(keys(error), ["column", "line", "message"]);
    let (line, _) = position_of("tests/fixtures/express/src/broken.js", "status: 'open' } )");
    assert_eq!(error["line"], line, "{error}");
    assert!(error["column"].as_u64().unwrap() > 1, "{error}");
    assert!(!error["message"].as_str().unwrap().trim().is_empty(), "{error}");
    // Named on standard error too, with its position.
    assert!(stderr(&out).contains(&format!("tests/fixtures/express/src/broken.js:{line}:")), "{}", stderr(&out));
}

#[test]
fn a_file_that_does_not_parse_alone_is_not_a_usage_error() {
    let out = backlens(&["analyze", "tests/fixtures/express/src/broken.js", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let analysis: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(file_paths(&analysis), ["tests/fixtures/express/src/broken.js"]);
}

#[test]
fn endpoints_registered_in_another_file_belong_to_the_app() {
    let analysis = analyze_json(&[EXPRESS]);
    let endpoints = analysis["endpoints"].as_array().unwrap();
    for e in endpoints {
        assert_eq!(keys(e), ["file", "framework", "line", "method", "path", "trace"], "{e}");
    }
    let users = endpoints.iter().find(|e| e["method"] == "GET" && e["path"] == "/api/users");
    let users = users.unwrap_or_else(|| panic!("GET /api/users not among {endpoints:?}"));
    let (line, _) = position_of("tests/fixtures/express/src/routes/users.js", "app.get('/api/users'");
    assert_eq!(users["file"], "tests/fixtures/express/src/routes/users.js");
    assert_eq!(users["line"], line);
    assert_eq!(users["framework"], "express");
    let health = endpoints.iter().find(|e| e["method"] == "GET" && e["path"] == "/health").expect("GET /health");
    assert_eq!(health["file"], "tests/fixtures/express/src/app.js");
    assert_eq!(health["line"], position_of("tests/fixtures/express/src/app.js", "app.get('/health'").0);
}

/// The seed's N+1: `Post.findAll` per user inside `for (const user of users)`.
fn n_plus_one(analysis: &Value) -> Option<&Value> {
    analysis["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "n-plus-one-query")
}

#[test]
fn every_finding_has_the_contracts_fields_with_1_based_positions() {
    let analysis = analyze_json(&[EXPRESS]);
    let findings = analysis["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "the fixture has at least the seed's N+1");
    let severities = ["low", "medium", "high", "critical"];
    let categories = ["api", "algorithms", "caching", "concurrency"];
    for f in findings {
        assert_eq!(
            keys(f),
            [
                "after",
                "before",
                "category",
                "column",
                "end_column",
                "end_line",
                "endpoint",
                "estimate",
                "file",
                "fingerprint",
                "line",
                "message",
                "rule",
                "severity"
            ],
            "{f}"
        );
        assert!(severities.contains(&f["severity"].as_str().unwrap()), "{f}");
        assert!(categories.contains(&f["category"].as_str().unwrap()), "{f}");
        let rule = f["rule"].as_str().unwrap();
        assert!(
            !rule.is_empty() && rule.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "kebab-case rule id: {f}"
        );
        let (line, col, end_line, end_col) = (
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
            f["end_line"].as_u64().unwrap(),
            f["end_column"].as_u64().unwrap(),
        );
        assert!(line >= 1 && col >= 1, "1-based: {f}");
        assert!((end_line, end_col) >= (line, col), "end after start: {f}");
        assert!(EXPRESS_SOURCES.contains(&f["file"].as_str().unwrap()), "{f}");
        assert!(f["endpoint"].is_null() || f["endpoint"].is_string(), "{f}");
        assert!(!f["message"].as_str().unwrap().is_empty(), "{f}");
        assert_eq!(keys(&f["estimate"]), ["after", "before", "model", "parameters", "summary"], "{f}");
    }
}

/// n-plus-one-query's blind precision is under 80 %: it is off by default, and the run says
/// so on stderr, in the JSON's coverage and in the report, so silence is not read as clean.
#[test]
fn a_rule_off_by_default_is_not_run_and_every_output_says_so() {
    let analysis = analyze_json(&[EXPRESS]);
    assert!(n_plus_one(&analysis).is_none(), "{:#}", analysis["findings"]);
    let not_run = analysis["coverage"]["rules_not_run"].as_array().unwrap();
    assert!(not_run.iter().any(|r| r == "n-plus-one-query"), "{not_run:?}");
    let out = backlens(&["analyze", EXPRESS, "--format", "markdown"]);
    assert!(stderr(&out).contains("off by default not run (--rules all)"), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("### Rules not run") && report.contains("`n-plus-one-query`"), "{report}");
    // Its category as the target, or its name, runs it.
    assert!(n_plus_one(&analyze_json(&["--args", "target:\"api\"", EXPRESS])).is_some());
    assert!(n_plus_one(&analyze_json(&["--rules", "n-plus-one-query", EXPRESS])).is_some());
}

#[test]
fn the_seeds_n_plus_one_is_found_at_the_post_findall_call() {
    let analysis = analyze_json(&["--rules", "all", EXPRESS]);
    let f = n_plus_one(&analysis).unwrap_or_else(|| panic!("no n-plus-one-query in {:#}", analysis["findings"]));
    let file = "tests/fixtures/express/src/routes/users.js";
    let (line, post_col) = position_of(file, "Post.findAll(");
    let (_, await_col) = position_of(file, "await Post.findAll(");
    assert_eq!(f["file"], file);
    assert_eq!(f["category"], "api");
    assert_eq!(f["line"], line, "{f}");
    let col = f["column"].as_u64().unwrap();
    assert!(
        col == post_col || col == await_col,
        "column {col} is neither `await` ({await_col}) nor `Post` ({post_col})"
    );
    assert_eq!(f["end_line"], line, "{f}");
    assert!(f["end_column"].as_u64().unwrap() > col, "{f}");
    assert_eq!(f["endpoint"], "GET /api/users");
    // Only one finding for the defect: not also an await-in-loop.
    let same_line =
        analysis["findings"].as_array().unwrap().iter().filter(|g| g["file"] == file && g["line"] == line).count();
    assert_eq!(same_line, 1, "{:#}", analysis["findings"]);
    // Nothing from the files a walk skips.
    assert!(analysis["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| EXPRESS_SOURCES.contains(&g["file"].as_str().unwrap())));
}

// ---------------------------------------------------------------------------------------
// Parameters: flags, --args, errors

#[test]
fn args_string_selects_the_target_and_explicit_flags_override_it() {
    let only_algorithms = analyze_json(&[EXPRESS, "--args", r#"target:"algorithms" load_profile:"high""#]);
    assert!(
        only_algorithms["findings"].as_array().unwrap().iter().all(|f| f["category"] == "algorithms"),
        "{only_algorithms:#}"
    );
    assert!(n_plus_one(&only_algorithms).is_none());

    let api = analyze_json(&[EXPRESS, "--args", r#"target:"algorithms" load_profile:"high""#, "--target", "api"]);
    assert!(api["findings"].as_array().unwrap().iter().all(|f| f["category"] == "api"), "{api:#}");
    assert!(n_plus_one(&api).is_some(), "--target api overrides --args: {api:#}");
}

#[test]
fn endpoints_parameter_keeps_route_findings_of_the_listed_routes_only() {
    let none = analyze_json(&["--rules", "all", EXPRESS, "--endpoints", "/api/posts"]);
    assert!(n_plus_one(&none).is_none(), "{none:#}");
    let users = analyze_json(&["--rules", "all", EXPRESS, "--args", r#"endpoints:"GET /api/users/""#]);
    assert!(n_plus_one(&users).is_some(), "{users:#}");
}

#[test]
fn resolved_parameters_are_shown_with_verbose() {
    let out = backlens(&[
        "analyze",
        "tests/fixtures/clean",
        "--verbose",
        "--args",
        r#"backend target:"api" load_profile:"high" priority:'medium'"#,
        "--load-profile=low",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(r#"backlens: parameters: target:"api" load_profile:"low" priority:"medium""#), "{err}");
    assert!(err.contains("backlens: reading 1 file\n"), "{err}");
    assert!(err.contains("tests/fixtures/clean/format.js"), "{err}");
}

#[test]
fn bad_parameter_value_names_the_parameter_and_the_allowed_values() {
    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--load-profile", "extreme"]));
    assert_eq!(
        line,
        "backlens: invalid value \"extreme\" for parameter `load_profile`: expected one of low, medium, high"
    );

    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--args", r#"target:"api" load_profile:"extreme""#]));
    assert_eq!(
        line,
        "backlens: invalid value \"extreme\" for parameter `load_profile`: expected one of low, medium, high"
    );

    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--target", "web"]));
    assert!(line.contains("`target`") && line.contains("api, algorithms, caching, concurrency, all"), "{line}");

    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--priority", "urgent"]));
    assert!(line.contains("`priority`") && line.contains("low, medium, high, critical"), "{line}");

    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--endpoints", "api/users"]));
    assert!(line.contains("`endpoints`"), "{line}");

    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--args", r#"colour:"red""#]));
    assert!(
        line.contains("unknown parameter `colour`") && line.contains("target, endpoints, load_profile, priority"),
        "{line}"
    );

    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--fail-on", "severe"]));
    assert!(line.contains("--fail-on") && line.contains("low, medium, high, critical"), "{line}");

    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--format", "xml"]));
    assert!(line.contains("--format") && line.contains("markdown, json"), "{line}");
}

#[test]
fn a_bad_parameter_is_reported_before_any_path_is_read() {
    let line = one_error_line(&backlens(&["analyze", "does/not/exist", "--load-profile", "extreme"]));
    assert!(line.contains("load_profile"), "{line}");
}

// ---------------------------------------------------------------------------------------
// Usage and I/O errors: exit 2, one line

#[test]
fn unknown_option() {
    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--colour"]));
    assert_eq!(line, "backlens: unknown option `--colour` (see `backlens --help`)");
}

#[test]
fn option_without_its_value() {
    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--format"]));
    assert!(line.contains("`--format` needs a value"), "{line}");
}

#[test]
fn unknown_command_and_no_command() {
    let line = one_error_line(&backlens(&["scan", EXPRESS]));
    assert!(line.contains("unknown command `scan`"), "{line}");
    let line = one_error_line(&backlens(&[]));
    assert!(line.contains("usage: backlens analyze"), "{line}");
    let line = one_error_line(&backlens(&["analyze"]));
    assert!(line.contains("no PATH"), "{line}");
}

#[test]
fn missing_path() {
    let line = one_error_line(&backlens(&["analyze", "tests/fixtures/nope"]));
    assert_eq!(line, "backlens: cannot read tests/fixtures/nope: no such file or directory");
    // Also when other paths exist.
    let line = one_error_line(&backlens(&["analyze", EXPRESS, "tests/fixtures/nope.js"]));
    assert!(line.contains("tests/fixtures/nope.js"), "{line}");
}

#[test]
fn a_directory_without_sources_is_an_error() {
    let tmp = TempDir::new("empty");
    std::fs::write(tmp.0.join("notes.md"), "# nothing to analyse\n").unwrap();
    std::fs::create_dir_all(tmp.0.join("node_modules/dep")).unwrap();
    std::fs::write(tmp.0.join("node_modules/dep/index.js"), "module.exports = 1;\n").unwrap();
    let out = backlens_in(&tmp.0, &["analyze", "."]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no JavaScript or TypeScript files found"), "{}", stderr(&out));
}

#[test]
fn unwritable_output_is_an_error() {
    let line = one_error_line(&backlens(&["analyze", EXPRESS, "--output", "tests/fixtures/nope/report.md"]));
    assert!(line.contains("cannot write tests/fixtures/nope/report.md"), "{line}");
}

// ---------------------------------------------------------------------------------------
// Exit status and --fail-on

#[test]
fn exit_0_whatever_was_found() {
    let out = backlens(&["analyze", EXPRESS]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = backlens(&["analyze", EXPRESS, "--format", "json", "--fail-on", "critical", "--target", "algorithms"]);
    assert_eq!(code(&out), 0, "no algorithms finding in the fixture reaches critical: {}", stdout(&out));
}

#[test]
fn fail_on_exits_1_when_a_finding_is_at_or_above_the_severity() {
    let out = backlens(&["analyze", "--rules", "all", EXPRESS, "--format", "json", "--fail-on", "low"]);
    assert_eq!(code(&out), 1, "the N+1 is at least low: {}", stdout(&out));
    // The report is still written in full.
    let analysis: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(n_plus_one(&analysis).is_some());
    assert!(stderr(&out).contains("at or above severity low"), "{}", stderr(&out));

    // Exactly at the N+1's own severity: 1; above the highest finding: 0.
    let severity = n_plus_one(&analysis).unwrap()["severity"].as_str().unwrap().to_string();
    assert_eq!(code(&backlens(&["analyze", "--rules", "all", EXPRESS, "--fail-on", &severity])), 1);
    let order = ["low", "medium", "high", "critical"];
    let highest = analysis["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| order.iter().position(|s| *s == f["severity"]).unwrap())
        .max()
        .unwrap();
    if highest + 1 < order.len() {
        assert_eq!(code(&backlens(&["analyze", "--rules", "all", EXPRESS, "--fail-on", order[highest + 1]])), 0);
    }
}

#[test]
fn fail_on_with_nothing_found_exits_0() {
    let out = backlens(&["analyze", "tests/fixtures/clean", "--format", "json", "--fail-on", "low"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let analysis: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(analysis["findings"], serde_json::json!([]));
}

// ---------------------------------------------------------------------------------------
// Markdown, --output, help, version

#[test]
fn markdown_is_the_default_and_starts_with_the_reports_title() {
    let out = Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(["analyze", EXPRESS])
        .current_dir(manifest_dir())
        .env("SOURCE_DATE_EPOCH", "1774396800") // 2026-03-25
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.starts_with("# Backend Optimization Report"), "{md}");
    assert!(md.lines().next().unwrap().contains("tests/fixtures/express"), "the title names what was analysed: {md}");
    assert!(md.contains("2026-03-25"), "the report is dated: {md}");
    let explicit = backlens(&["analyze", EXPRESS, "--format", "markdown"]);
    assert!(stdout(&explicit).starts_with("# Backend Optimization Report"));
}

#[test]
fn markdown_is_dated_today_in_utc() {
    let today = || {
        let out = Command::new("date").args(["-u", "+%Y-%m-%d"]).output().expect("date(1) runs");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let before = today();
    let md = stdout(&backlens(&["analyze", "tests/fixtures/clean"]));
    let after = today();
    assert!(md.contains(&before) || md.contains(&after), "expected {before} in {md}");
}

#[test]
fn output_file_receives_the_report() {
    let tmp = TempDir::new("output");
    let file = tmp.0.join("report.json");
    let out = backlens(&["analyze", EXPRESS, "--format", "json", "--output", file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let analysis: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(file_paths(&analysis), EXPRESS_SOURCES);
}

#[test]
fn help_and_version() {
    let out = backlens(&["--help"]);
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    for word in ["backlens analyze", "--format", "--args", "--fail-on", "--load-profile", "Exit status"] {
        assert!(help.contains(word), "help mentions {word}");
    }
    assert_eq!(code(&backlens(&["analyze", "--help"])), 0);
    let out = backlens(&["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), format!("backlens {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn sarif_output_is_a_sarif_2_1_0_log_with_the_finding() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(["analyze", "--rules", "all", "tests/fixtures/express", "--format", "sarif"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(
        |r| r["ruleId"] == "n-plus-one-query" && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    ));
}

/// A realistic multi-route service (tests/fixtures/shop: Express + Sequelize across three
/// files, a package.json) gets every section of the seed's Output Format, filled from the
/// analysis: versions, per-endpoint baseline, resource utilisation, each optimisation with
/// the user's lines and a rewrite, overall and per-endpoint results, the simulated load test,
/// trade-offs, monitoring with alerts, next steps.
#[test]
fn the_report_of_a_multi_route_service_has_every_section_of_the_seeds_output_format() {
    let out =
        backlens(&["analyze", "--rules", "all", "tests/fixtures/shop", "--no-config", "--load-profile", "high", "--priority", "low"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    let sections = [
        "# Backend Optimization Report: ",
        "**Optimization Date**: ",
        "**Backend**: Express ^4.19.2",
        "**Runtime**: Node.js \\>=20",
        "**Load Profile**: high",
        "## Executive Summary",
        "## Baseline Metrics",
        "### API Performance (estimated)",
        "### Resource Utilization (estimated)",
        "## Optimizations",
        "## Results Summary",
        "### Overall API Performance (estimated)",
        "### Endpoint-Specific Improvements",
        "## Load Testing Results (simulated)",
        "## Trade-offs and Considerations",
        "## Monitoring Recommendations",
        "### Alerts to Configure",
        "## Next Steps",
    ];
    let mut at = 0;
    for s in sections {
        let found = md[at..].find(s).unwrap_or_else(|| panic!("missing or out of order: {s}\n{md}"));
        at += found + s.len();
    }
    // Every route is in the baseline; the N+1 endpoints are saturated before and not after
    // under the medium profile, and the table says so in words, not as a number.
    for route in [
        "GET /health",
        "GET /api/posts/feed",
        "GET /api/posts/top",
        "GET /api/posts/:id",
        "GET /api/users",
        "POST /api/users",
    ] {
        assert!(md.contains(&format!("| {route} |")), "{route}");
    }
    assert!(md.contains("| GET /api/users | saturated (≤ 5 requests/s) |"), "{md}");
    // The models' own inputs are listed with where they came from.
    assert!(md.contains("| `page` | 20 | rows | rewrite | `unbounded-query` |"), "{md}");
    assert!(md.contains("| `miss_ms` | 20 | ms | the route's 2 reads × query\\_ms | `missing-response-cache` |"), "{md}");
    // Every finding is a numbered section with Before, After and Impact.
    let a = analyze_json(&["--rules", "all", "tests/fixtures/shop", "--no-config", "--load-profile", "high"]);
    let findings = a["findings"].as_array().unwrap();
    assert_eq!(md.matches("\n**Before**:\n").count(), findings.len());
    assert_eq!(md.matches("\n**After**:\n").count(), findings.len(), "every finding has a rewrite");
    assert_eq!(md.matches("\n**Impact** (estimated):\n").count(), findings.len());
    // Severity follows the cost: the N+1 on a list endpoint is critical under high load,
    // high under medium; the blocking bcrypt call saturates the event loop either way.
    let severity = |a: &Value, rule: &str, endpoint: &str| -> String {
        a["findings"].as_array().unwrap().iter().find(|f| f["rule"] == rule && f["endpoint"] == endpoint).unwrap()
            ["severity"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(severity(&a, "n-plus-one-query", "GET /api/users"), "critical");
    assert_eq!(severity(&a, "blocking-call-in-handler", "POST /api/users"), "critical");
    let medium = analyze_json(&["--rules", "all", "tests/fixtures/shop", "--no-config", "--load-profile", "medium"]);
    assert_eq!(severity(&medium, "n-plus-one-query", "GET /api/users"), "high");
    let low = analyze_json(&["--rules", "all", "tests/fixtures/shop", "--no-config", "--load-profile", "low"]);
    assert_eq!(severity(&low, "n-plus-one-query", "GET /api/users"), "medium");
}

/// `backlens model --help` lists every rule's model; `model RULE --help` its parameters.
#[test]
fn model_help_lists_the_rules_and_a_models_parameters() {
    let out = backlens(&["model", "--help"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for rule in ["n-plus-one-query", "missing-rate-limit", "cache-without-invalidation", "unbounded-memory-cache"] {
        assert!(text.contains(&format!("  {rule}\n")), "{text}");
    }
    let out = backlens(&["model", "missing-rate-limit", "--help"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("rps (requests/s; medium profile: 50)") && text.contains("window_min (min)"), "{text}");
    let out = backlens(&["model", "fast-code", "--help"]);
    assert_eq!(code(&out), 2);
    assert!(one_error_line(&out).contains("expected one of n-plus-one-query"), "{}", stderr(&out));
    // A new model evaluates from the command line like the seed's.
    let out = backlens(&["model", "unbounded-memory-cache", "--set", "rps=5", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["estimate"]["before"][0]["value"], 432_000.0);
}

/// Every rule's `helpUri` is `BASE#rule-id`: the repository's rules reference by default,
/// `[report] docs_url` from backlens.toml, then `--docs-url`; a relative URL is refused.
#[test]
fn sarif_help_uris_point_into_the_rules_reference_and_the_base_is_configurable() {
    let help_uris = |out: &Output| -> Vec<(String, String)> {
        assert_eq!(code(out), 0, "{}", stderr(out));
        let v: Value = serde_json::from_str(&stdout(out)).unwrap();
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_string(), r["helpUri"].as_str().unwrap().to_string()))
            .collect()
    };
    let default = help_uris(&backlens(&["analyze", EXPRESS, "--format", "sarif", "--no-config"]));
    assert_eq!(default.len(), 22);
    let repository = env!("CARGO_PKG_REPOSITORY");
    for (id, uri) in &default {
        assert_eq!(uri, &format!("{repository}/blob/main/docs/rules.md#{id}"));
    }
    // The anchors exist in the generated reference.
    let reference = std::fs::read_to_string(manifest_dir().join("../docs/rules.md")).unwrap();
    assert!(default.iter().all(|(id, _)| reference.contains(&format!("\n## {id}\n"))));

    let tmp = TempDir::new("docs-url");
    copy_tree(&manifest_dir().join(EXPRESS).join("src"), &tmp.0.join("project/src"));
    std::fs::write(tmp.0.join("project/backlens.toml"), "[report]\ndocs_url = \"https://intranet.example/rules.md\"\n")
        .unwrap();
    let src = tmp.0.join("project/src");
    let src = src.to_str().unwrap();
    let from_file = help_uris(&backlens(&["analyze", src, "--format", "sarif"]));
    assert!(from_file.iter().all(|(id, uri)| uri == &format!("https://intranet.example/rules.md#{id}")));
    let from_flag = help_uris(&backlens(&[
        "analyze",
        src,
        "--format",
        "sarif",
        "--docs-url",
        "https://docs.example.com/v0.1/rules",
    ]));
    assert!(from_flag.iter().all(|(id, uri)| uri == &format!("https://docs.example.com/v0.1/rules#{id}")));

    let out = backlens(&["analyze", EXPRESS, "--format", "sarif", "--docs-url", "docs/rules.md"]);
    assert_eq!(code(&out), 2);
    let line = one_error_line(&out);
    assert!(line.contains("--docs-url") && line.contains("absolute URL"), "{line}");
}

/// `backlens model RULE --set …` reproduces the seed's own figures.
#[test]
fn model_reproduces_the_seeds_figures() {
    let cases: &[(&[&str], &str)] = &[
        (&["model", "n-plus-one-query", "--set", "items=50"], "51 queries → 2 (batched) or 1 (join)"),
        (
            &[
                "model",
                "missing-compression",
                "--set",
                "response_kb=450",
                "--set",
                "compressed_kb=95",
                "--set",
                "bandwidth_mbps=20",
            ],
            "≈180 ms → ≈38 ms",
        ),
        (&["model", "missing-response-cache", "--set", "hit_rate=0.82"], "82% less database load"),
        (
            &["model", "connection-per-request", "--set", "connect_ms=50", "--set", "checkout_ms=0.5"],
            "≈50 ms → ≈0.5 ms",
        ),
        (
            &["model", "sequential-awaits", "--set", "latencies_ms=50,80,60"],
            "≈190 ms → together ≈80 ms (57.9 % faster)",
        ),
    ];
    for (args, expected) in cases {
        let out = backlens(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).contains(expected), "{args:?}:\n{}", stdout(&out));
    }
    let json: Value = serde_json::from_str(&stdout(&backlens(&[
        "model",
        "n-plus-one-query",
        "--set",
        "items=50",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["estimate"]["before"][0]["value"], 51.0);
}

#[test]
fn model_errors_list_what_exists() {
    let out = backlens(&["model", "fast-code"]);
    assert_eq!(code(&out), 2);
    assert!(one_error_line(&out).contains("expected one of n-plus-one-query"), "{}", stderr(&out));
    let out = backlens(&["model", "missing-compression", "--set", "items=3"]);
    assert_eq!(code(&out), 2);
    assert!(one_error_line(&out).contains("response_kb"), "{}", stderr(&out));
    let out = backlens(&["model", "n-plus-one-query", "--set", "items"]);
    assert_eq!(code(&out), 2);
    assert!(one_error_line(&out).contains("NAME=VALUE"), "{}", stderr(&out));
}

#[test]
fn set_overrides_a_cost_parameter_in_the_analysis() {
    let a = analyze_json(&["--rules", "all", EXPRESS, "--set", "items=10"]);
    let f = a["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "n-plus-one-query").unwrap();
    assert_eq!(f["estimate"]["before"][0]["value"], 11.0);
    let items = f["estimate"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "items").unwrap();
    assert_eq!(items["source"], "--set");
    let out = backlens(&["analyze", "--rules", "all", EXPRESS, "--set", "latency=3"]);
    assert_eq!(code(&out), 2);
    assert!(one_error_line(&out).contains("unknown cost-model parameter `latency`"), "{}", stderr(&out));
}

#[test]
fn backlens_toml_is_found_from_the_analysed_path_upward() {
    let tmp = TempDir::new("config");
    copy_tree(&manifest_dir().join(EXPRESS).join("src"), &tmp.0.join("project/src"));
    std::fs::write(tmp.0.join("project/backlens.toml"), "[params]\nload_profile = \"high\"\n[cost]\nitems = 10\n")
        .unwrap();
    let src = tmp.0.join("project/src");
    let src = src.to_str().unwrap();
    let out = backlens(&["analyze", "--rules", "all", src, "--format", "json"]);
    let a: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = a["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "n-plus-one-query").unwrap();
    assert_eq!(f["estimate"]["before"][0]["value"], 11.0, "items = 10 from backlens.toml");
    assert_eq!(f["severity"], "medium", "N = 10 is medium even under the high profile");
    let items = f["estimate"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "items").unwrap();
    assert_eq!(items["source"], "backlens.toml");
    // Flags and --set win over the file; --no-config ignores it.
    let a: Value =
        serde_json::from_str(&stdout(&backlens(&["analyze", "--rules", "all", src, "--format", "json", "--set", "items=30"]))).unwrap();
    assert_eq!(n_plus_one(&a).expect("the N+1 finding")["estimate"]["before"][0]["value"], 31.0);
    let a: Value =
        serde_json::from_str(&stdout(&backlens(&["analyze", "--rules", "all", src, "--format", "json", "--no-config"]))).unwrap();
    assert_eq!(n_plus_one(&a).expect("the N+1 finding")["estimate"]["before"][0]["value"], 51.0);
    // A broken file is a usage error naming it.
    std::fs::write(tmp.0.join("project/backlens.toml"), "[cost]\nlatency = 3\n").unwrap();
    let line = one_error_line(&backlens(&["analyze", "--rules", "all", src]));
    assert!(line.contains("backlens.toml") && line.contains("latency"), "{line}");
}

#[test]
fn the_report_takes_versions_from_the_nearest_package_json() {
    let tmp = TempDir::new("package");
    copy_tree(&manifest_dir().join(EXPRESS).join("src"), &tmp.0.join("app/src"));
    std::fs::write(
        tmp.0.join("app/package.json"),
        r#"{"dependencies":{"express":"^4.19.2"},"engines":{"node":">=20"}}"#,
    )
    .unwrap();
    let out = backlens(&["analyze", tmp.0.join("app/src").to_str().unwrap()]);
    let md = stdout(&out);
    assert!(md.contains("**Backend**: Express ^4.19.2"), "{md}");
    // Escaped Markdown: renders as `>=20`.
    assert!(md.contains("**Runtime**: Node.js \\>=20"), "{md}");
}

#[test]
fn completions_for_each_shell_name_the_commands_and_options() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = backlens(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["analyze", "model", "fail-on", "load-profile"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let line = one_error_line(&backlens(&["completions", "tcsh"]));
    assert!(line.contains("\"tcsh\"") && line.contains("bash, elvish, fish, powershell, zsh"), "{line}");
}

// ---------------------------------------------------------------------------------------
// --format text and github; the default on a terminal

#[test]
fn text_is_one_line_per_finding_then_a_summary() {
    let out = backlens(&["analyze", "--rules", "all", EXPRESS, "--format", "text"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let analysis = analyze_json(&["--rules", "all", EXPRESS]);
    let findings = analysis["findings"].as_array().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings.len() + 1, "{text}");
    for (line, f) in lines.iter().zip(findings) {
        let head =
            format!("{}:{}:{} {} {} ", f["file"], f["line"], f["column"], f["severity"], f["rule"]).replace('"', "");
        assert!(line.starts_with(&head), "{line:?} does not start with {head:?}");
    }
    assert_eq!(
        lines.last().unwrap(),
        &"7 findings (2 high, 3 medium, 2 low) in 4 files; 1 file not analysed (parse errors)"
    );
}

#[test]
fn github_writes_workflow_command_annotations() {
    let out = backlens(&["analyze", "--rules", "all", EXPRESS, "--format", "github"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let (line, col) = position_of("tests/fixtures/express/src/routes/users.js", "Post.findAll(");
    let n1 = text.lines().find(|l| l.contains("title=backlens n-plus-one-query")).expect("the N+1 annotation");
    assert!(
        n1.starts_with(&format!(
            "::error file=tests/fixtures/express/src/routes/users.js,line={line},col={col},endLine={line},endColumn="
        )),
        "{n1}"
    );
    assert!(n1.contains(",title=backlens n-plus-one-query (high)::`Post.findAll` runs once per item"), "{n1}");
    assert!(!n1["::error ".len()..].contains('\n'));
    // The file that does not parse is a warning annotation too.
    assert!(text.contains("::warning file=tests/fixtures/express/src/broken.js,line=6,col=66,title=backlens%3A file not analysed::parse error: "), "{text}");
}

/// Runs `backlens ARGS…` with standard output on a pseudo-terminal (util-linux `script`).
fn backlens_on_a_terminal(args: &[&str]) -> String {
    let command = std::iter::once(env!("CARGO_BIN_EXE_backlens").to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(manifest_dir())
        .output()
        .expect("script(1) from util-linux runs");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out).replace("\r\n", "\n")
}

#[test]
fn on_a_terminal_the_default_is_text_and_in_a_pipe_the_report() {
    let on_terminal = backlens_on_a_terminal(&["analyze", "tests/fixtures/clean"]);
    // On a terminal standard error shares the screen: the coverage line follows the listing.
    let mut lines = on_terminal.lines();
    assert!(
        lines.next().is_some_and(|l| l.starts_with("0 findings in 1 file; ") && l.ends_with(" rules off by default not run (--rules all)")),
        "{on_terminal}"
    );
    assert!(lines.next().is_some_and(|l| l.starts_with("backlens: coverage: ")), "{on_terminal}");
    assert_eq!(lines.next(), None, "{on_terminal}");
    let piped = stdout(&backlens(&["analyze", "tests/fixtures/clean"]));
    assert!(piped.starts_with("# Backend Optimization Report"), "{piped}");
    // --format wins on a terminal too.
    assert!(backlens_on_a_terminal(&["analyze", "tests/fixtures/clean", "--format", "json"]).starts_with('{'));
}

// ---------------------------------------------------------------------------------------
// Baselines

#[test]
fn a_baseline_reports_only_new_findings_after_an_edit_and_lists_the_gone_ones() {
    let tmp = TempDir::new("baseline");
    copy_tree(&manifest_dir().join("tests/fixtures/shop"), &tmp.0.join("shop"));
    let run = |args: &[&str]| backlens_in(&tmp.0, args);
    let out = run(&["analyze", "--rules", "all", "shop", "--no-config", "--write-baseline", "baseline.json", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let today: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(tmp.0.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(recorded["version"], 1);
    assert_eq!(recorded["findings"].as_array().unwrap().len(), today["findings"].as_array().unwrap().len());
    for (entry, f) in recorded["findings"].as_array().unwrap().iter().zip(today["findings"].as_array().unwrap()) {
        assert_eq!(
            (&entry["rule"], &entry["file"], &entry["fingerprint"]),
            (&f["rule"], &f["file"], &f["fingerprint"])
        );
    }

    // Unchanged code: nothing new, nothing gone, and --fail-on passes.
    let out =
        run(&["analyze", "--rules", "all", "shop", "--no-config", "--baseline", "baseline.json", "--format", "json", "--fail-on", "low"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let a: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(a["findings"], serde_json::json!([]));
    assert_eq!(a["baseline"]["known"], today["findings"].as_array().unwrap().len());

    // The edit: the POST route moves above the GET route, a comment and a changed response
    // line elsewhere, and a new N+1 in a new route.
    let file = tmp.0.join("shop/src/routes/users.js");
    let text = std::fs::read_to_string(&file).unwrap();
    let (head, rest) = text.split_once("router.get('/'").unwrap();
    let (get_route, rest) = rest.split_once("router.post('/'").unwrap();
    let (post_route, tail) = rest.split_once("module.exports").unwrap();
    let edited = format!(
        "{head}// Users: listing and sign-up.\nrouter.post('/'{}router.get('/'{get_route}router.get('/:id/friends', async (req, res) => {{\n  const friends = await User.findAll({{ where: {{ friendOf: req.params.id }}, limit: 20 }});\n  for (const f of friends) {{\n    f.posts = await Post.findAll({{ where: {{ userId: f.id }}, limit: 5 }});\n  }}\n  res.json(friends);\n}});\n\nmodule.exports{tail}",
        post_route.replace("res.status(201).json(user);", "res.status(201).json({ id: user.id });"),
    );
    std::fs::write(&file, &edited).unwrap();
    let out = run(&[
        "analyze",
        "--rules",
        "all",
        "shop",
        "--no-config",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
        "--fail-on",
        "high",
    ]);
    let a: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let new: Vec<(String, String)> = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["endpoint"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(new.iter().all(|(_, e)| e == "GET /api/users/:id/friends"), "only the new route's findings: {new:?}");
    assert!(new.iter().any(|(r, _)| r == "n-plus-one-query"), "{new:?}");
    assert_eq!(a["baseline"]["gone"], serde_json::json!([]), "{:#}", a["baseline"]);
    assert_eq!(code(&out), 1, "the new N+1 fails the build: {}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "backlens: baseline: {} known findings not reported, {} new, 0 gone",
            today["findings"].as_array().unwrap().len(),
            new.len()
        )),
        "{}",
        stderr(&out)
    );

    // Fixing the old N+1 (eager loading) makes its baseline entry gone, named on stderr.
    let fixed = edited.replace(
        "  const users = await User.findAll();\n  for (const user of users) {\n    user.posts = await Post.findAll({ where: { userId: user.id } });\n  }\n",
        "  const users = await User.findAll({ include: Post });\n",
    );
    assert_ne!(fixed, edited);
    std::fs::write(&file, fixed).unwrap();
    let out = run(&["analyze", "--rules", "all", "shop", "--no-config", "--baseline", "baseline.json", "--format", "text"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("backlens: baseline: gone: shop/src/routes/users.js:10 n-plus-one-query (fixed or changed)"),
        "{err}"
    );
    assert!(err.contains("--write-baseline to drop the gone entries"), "{err}");
    assert!(stdout(&out).lines().last().unwrap().contains("in the baseline"), "{}", stdout(&out));

    // A missing or broken baseline is a usage error.
    let line = one_error_line(&run(&["analyze", "--rules", "all", "shop", "--baseline", "nope.json"]));
    assert!(line.contains("cannot read baseline nope.json"), "{line}");
    std::fs::write(tmp.0.join("bad.json"), "{}").unwrap();
    let line = one_error_line(&run(&["analyze", "--rules", "all", "shop", "--baseline", "bad.json"]));
    assert!(line.contains("baseline bad.json: not a backlens baseline"), "{line}");
}

#[test]
fn sarif_results_carry_the_baseline_fingerprint() {
    let sarif: Value = serde_json::from_str(&stdout(&backlens(&["analyze", EXPRESS, "--format", "sarif"]))).unwrap();
    let json = analyze_json(&[EXPRESS]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for (r, f) in results.iter().zip(json["findings"].as_array().unwrap()) {
        assert_eq!(r["partialFingerprints"]["backlens/v1"], f["fingerprint"]);
        assert_eq!(f["fingerprint"].as_str().unwrap().len(), 16);
    }
}
