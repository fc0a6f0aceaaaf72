//! `--measurements FILE`: a k6 summary, an autocannon result and an OpenTelemetry trace
//! export brought in beside the estimates of tests/fixtures/traces, as a user would.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const APP: &str = "tests/fixtures/traces";
const DIR: &str = "tests/fixtures/measurements";

fn backlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the backlens binary runs")
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_k6_summary_stands_beside_the_estimates_and_disagreement_is_flagged() {
    let k6 = format!("{DIR}/k6-summary.json");
    let md = ok(&backlens(&["analyze", APP, "--measurements", &k6, "--set", "rps=1", "--set", "hit_rate=0"]));
    assert!(md.contains("### Measured (your measurements)"), "{md}");
    // The baseline table has the measured figures beside the estimates.
    let baseline = md.lines().find(|l| l.starts_with("| GET /api/users | ")).expect("a baseline row");
    assert!(baseline.ends_with("| 290 ms / 360.4 ms / 20 (tests/fixtures/measurements/k6-summary.json) |"), "{baseline}");
    // The "Measured" table: measured, estimated and whether they agree.
    let measured = &md[md.find("### Measured (your measurements)").unwrap()..];
    let users = measured.lines().find(|l| l.starts_with("| GET /api/users | ") && l.contains("k6-summary.json"));
    let users = users.unwrap_or_else(|| panic!("no measured row for GET /api/users:\n{md}"));
    assert!(users.contains("| 290 ms | 360.4 ms | 400.1 ms | 20 | 1% |"), "{users}");
    assert!(users.contains("within"), "the N+1's simulated ≈260 ms is close to 290 ms: {users}");
    let root = measured.lines().find(|l| l.starts_with("| GET / | ") && l.contains("k6-summary.json")).expect("GET /");
    assert!(root.contains("**disagree**"), "0.9 ms measured, ≈0.4 ms estimated: {root}");
}

#[test]
fn otlp_spans_calibrate_the_query_round_trip_and_say_where_it_came_from() {
    let otlp = format!("{DIR}/otlp.jsonl");
    let a: Value =
        serde_json::from_str(&ok(&backlens(&["analyze", APP, "--format", "json", "--measurements", &otlp]))).unwrap();
    let measured = a["measured"].as_array().expect("measured endpoints");
    assert_eq!(measured.len(), 1);
    assert_eq!(measured[0]["endpoint"], "GET /api/profile/:id");
    assert_eq!(measured[0]["requests"], 20.0);
    // Two DB spans of 3.5 ms per request: the profile's query_ms is now 3.5 ms.
    let profile = a["endpoints"].as_array().unwrap().iter().find(|e| e["path"] == "/api/profile/:id").unwrap();
    let db: Vec<&Value> =
        profile["trace"]["before"]["spans"].as_array().unwrap().iter().filter(|s| s["kind"] == "db").collect();
    assert!(db.iter().all(|s| s["duration_ms"].as_f64().unwrap() < 4.0), "{db:?}");
    let md = ok(&backlens(&["analyze", APP, "--measurements", &otlp]));
    assert!(
        md.contains(
            "| `query_ms` | 3.5 | ms | measured: median of 40 spans in tests/fixtures/measurements/otlp.jsonl |"
        ),
        "{md}"
    );
    assert!(md.contains("- `query_ms` = 3.5 ms, measured: median of 40 spans"), "{md}");
    // An explicit --set still wins.
    let md = ok(&backlens(&["analyze", APP, "--measurements", &otlp, "--set", "query_ms=8"]));
    assert!(md.contains("| `query_ms` | 8 | ms | \\--set |"), "{md}");
}

#[test]
fn an_autocannon_result_is_matched_by_its_url() {
    let ac = format!("{DIR}/autocannon.json");
    let a: Value =
        serde_json::from_str(&ok(&backlens(&["analyze", APP, "--format", "json", "--measurements", &ac]))).unwrap();
    assert_eq!(a["measured"][0]["endpoint"], "GET /api/dashboard");
    assert_eq!(a["measured"][0]["p50_ms"], 19.0);
    assert_eq!(a["measured"][0]["rps"], 512.0);
}

#[test]
fn a_file_that_is_not_a_measurement_is_a_usage_error() {
    let out = backlens(&["analyze", APP, "--measurements", "tests/fixtures/traces/app.js"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not JSON"), "{err}");
    let out = backlens(&["analyze", APP, "--measurements", "tests/fixtures/measurements/missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}
