//! Every endpoint simulated from its own code (`endpoints[].trace`), run as a user would on
//! tests/fixtures/traces: an Express app on node-postgres with a page that makes no query, an
//! N+1 over users, three independent queries in sequence and with `Promise.all`, a helper in
//! another file, a cache in front of a query, and a route whose handler is not in the code.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/traces";

/// `backlens analyze tests/fixtures/traces --format json` with `--set` parameters: a
/// round trip of 5 ms, no row cost, a fast client link, so durations are easy to state.
fn analysis(extra: &[&str]) -> Value {
    let mut args = vec!["analyze", FIXTURE, "--rules", "all", "--format", "json"];
    for s in ["query_ms=5", "row_us=0", "bandwidth_mbps=1000000", "request_cpu_ms=0.2", "query_cpu_ms=0.1"] {
        args.extend(["--set", s]);
    }
    args.extend_from_slice(extra);
    let out = Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(&args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the backlens binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn trace<'a>(a: &'a Value, path: &str) -> &'a Value {
    let e = a["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("no endpoint {path}"));
    &e["trace"]
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn db_spans(side: &Value) -> Vec<&Value> {
    side["spans"].as_array().unwrap().iter().filter(|s| s["kind"] == "db").collect()
}

#[test]
fn an_endpoint_without_io_shows_none() {
    let a = analysis(&[]);
    let t = trace(&a, "/");
    assert_eq!(num(&t["before"]["queries"]), 0.0);
    assert!(db_spans(&t["before"]).is_empty(), "{t}");
    // The request itself and its response: well under a millisecond, thousands per second.
    assert!(num(&t["before"]["duration_ms"]) < 1.0, "{t}");
    assert!(num(&t["before"]["max_rps"]) > 1000.0, "{t}");
}

#[test]
fn an_n_plus_one_shows_one_plus_n_queries_and_one_batch_after() {
    let a = analysis(&["--set", "hit_rate=0"]);
    let t = trace(&a, "/api/users");
    let before = &t["before"];
    assert_eq!(num(&before["queries"]), 51.0);
    let spans = db_spans(before);
    assert_eq!(spans.len(), 2, "{before}");
    assert_eq!(num(&spans[0]["count"]), 1.0);
    assert_eq!(num(&spans[1]["count"]), 50.0, "the per-user query repeats per user");
    assert_eq!(spans[1]["line"], 20);
    assert!(num(&spans[1]["start_ms"]) >= num(&spans[0]["start_ms"]) + 5.0, "after the first query: {before}");
    // 51 round trips of 5 ms in a row.
    assert!((num(&before["duration_ms"]) - 255.0).abs() < 10.0, "{before}");
    // 51 × 5 ms of connection time through 10 connections: ≈39 requests/s at most.
    assert!((num(&before["max_rps"]) - 39.2).abs() < 0.1, "{before}");
    // After: the users, then one batched query (with no cache hits assumed).
    let after = &t["after"];
    assert_eq!(num(&after["queries"]), 2.0, "{after}");
    assert!(db_spans(after).iter().all(|s| num(&s["count"]) == 1.0), "{after}");
    assert_eq!(num(&after["db_ms"]), 10.0, "{after}");
    assert!(num(&after["duration_ms"]) < 20.0, "two queries, the response gzipped: {after}");
}

#[test]
fn promise_all_overlaps_and_sequential_awaits_add_up() {
    let a = analysis(&["--set", "hit_rate=0"]);
    let seq = trace(&a, "/api/dashboard");
    let par = trace(&a, "/api/dashboard-fast");
    let (s, p) = (num(&seq["before"]["duration_ms"]), num(&par["before"]["duration_ms"]));
    assert!(s > 15.0 && s < 16.5, "three 5 ms queries in a row: {s}");
    assert!(p > 5.0 && p < 6.5, "three 5 ms queries together: {p}");
    let starts: Vec<f64> = db_spans(&par["before"]).iter().map(|s| num(&s["start_ms"])).collect();
    assert_eq!(starts.len(), 3);
    assert!(starts.iter().all(|t| *t == starts[0]), "they start together: {starts:?}");
    // The sequential-awaits fix makes the first like the second (plus the response
    // cache's two round trips of 0.2 ms, a miss every time here).
    assert!((num(&seq["after"]["duration_ms"]) - p).abs() < 1.0, "{}", seq["after"]);
    assert_eq!(num(&seq["before"]["queries"]), 3.0);
}

#[test]
fn promise_all_is_bounded_by_the_pool() {
    // With one connection, the three queries of Promise.all queue: no faster than in a row.
    let a = analysis(&["--set", "hit_rate=0", "--set", "pool_size=1"]);
    let p = num(&trace(&a, "/api/dashboard-fast")["before"]["duration_ms"]);
    assert!(p > 15.0, "{p}");
}

#[test]
fn helpers_in_other_files_are_followed() {
    let a = analysis(&[]);
    let t = trace(&a, "/api/profile/:id");
    let spans = db_spans(&t["before"]);
    assert_eq!(spans.len(), 2);
    assert!(spans.iter().all(|s| s["file"] == "tests/fixtures/traces/helpers.js"), "{t}");
}

#[test]
fn a_cache_hit_is_an_alternative() {
    let a = analysis(&["--set", "hit_rate=0.8"]);
    let before = &trace(&a, "/api/cached/:id")["before"];
    // 80 % of requests stop at the cache: 0.2 queries per request on average.
    assert!((num(&before["queries"]) - 0.2).abs() < 1e-9, "{before}");
    assert!(num(&before["duration_ms"]) < 2.0, "{before}");
}

#[test]
fn an_unresolved_handler_says_so_instead_of_a_number() {
    let a = analysis(&[]);
    let t = trace(&a, "/api/unknown");
    assert!(t["unresolved"].as_str().is_some_and(|s| s.contains("not be resolved")), "{t}");
    assert!(t["before"].is_null() && t["after"].is_null());
    let out = Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(["analyze", FIXTURE])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    let row = md.lines().find(|l| l.starts_with("| GET /api/unknown |")).expect("a row");
    assert!(row.contains("not simulated: handler not resolved"), "{row}");
    let root = md.lines().find(|l| l.starts_with("| GET / |")).expect("a row");
    assert!(root.contains("| 0 | 0 |"), "no finding, no query: {root}");
}

#[test]
fn a_promise_chain_runs_its_query_before_its_callbacks() {
    let a = analysis(&[]);
    let spans = db_spans(&trace(&a, "/api/counts")["before"]);
    let labels: Vec<&str> = spans.iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Note.count", "User.count"]);
    assert!(num(&spans[1]["start_ms"]) > num(&spans[0]["start_ms"]));
}

#[test]
fn a_knex_builder_is_one_query_when_awaited_not_one_per_refinement() {
    let a = analysis(&[]);
    let before = &trace(&a, "/api/links/count")["before"];
    assert_eq!(num(&before["queries"]), 1.0, "{before}");
    let spans = db_spans(before);
    assert_eq!(spans.len(), 1, "{before}");
    assert_eq!(num(&spans[0]["count"]), 1.0, "the andWhere per entry builds, it does not query");
}

/// The spans' (kind, label) of `path`'s trace before its fixes, in tests/fixtures/traces-middleware.
fn middleware_spans(path: &str) -> Vec<(String, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(["analyze", "tests/fixtures/traces-middleware", "--format", "json"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the backlens binary runs");
    let a: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let t = trace(&a, path);
    t["before"]["spans"]
        .as_array()
        .unwrap_or_else(|| panic!("{t}"))
        .iter()
        .map(|s| {
            let file = s["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            (s["kind"].as_str().unwrap().to_string(), s["label"].as_str().unwrap().to_string(), file)
        })
        .collect()
}

#[test]
fn middleware_before_the_route_is_on_its_path() {
    let spans = middleware_spans("/api/posts");
    let kinds: Vec<(&str, &str)> = spans.iter().take(6).map(|(k, l, _)| (k.as_str(), l.as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("request", "request (parsing, routing)"),
            ("middleware", "express.json()"),
            ("cache", "session() (store round trip)"),
            ("middleware", "cors()"),
            ("db", "User.findByPk"),
            ("db", "Post.findAll"),
        ],
        "{spans:?}"
    );
    assert_eq!(spans.len(), 7, "then the response: {spans:?}");
    assert_eq!(spans[6].0, "respond");
    // The authentication middleware's lookup is walked in its own file.
    assert_eq!(spans[4].2, "auth.js");
}

#[test]
fn middleware_registered_after_a_route_or_on_another_path_is_not() {
    let health: Vec<String> = middleware_spans("/health").into_iter().map(|(_, l, _)| l).collect();
    assert!(health.contains(&"express.json()".to_string()), "{health:?}");
    assert!(!health.iter().any(|l| l.starts_with("session") || l.starts_with("cors")), "{health:?}");
    // `app.use('/admin', requireUser)` guards /admin/stats: one user lookup.
    let admin = middleware_spans("/admin/stats");
    assert_eq!(admin.iter().filter(|(k, l, _)| k == "db" && l == "User.findByPk").count(), 1, "{admin:?}");
}

#[test]
fn middleware_after_the_mount_and_error_handlers_are_not_on_the_path() {
    let labels: Vec<String> = middleware_spans("/api/posts").into_iter().map(|(_, l, _)| l).collect();
    assert!(!labels.iter().any(|l| l.starts_with("express.static")), "{labels:?}");
    assert_eq!(labels.iter().filter(|l| l.starts_with("res.")).count(), 1, "one response: {labels:?}");
}
