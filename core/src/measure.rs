//! Measurements brought in: what a load test or a tracer measured, beside the estimates.
//!
//! Three formats users already have, told apart by their shape:
//! - a **k6 summary** (`k6 run --summary-export FILE`): `{"metrics": {"http_req_duration":
//!   {"med", "p(95)", "p(99)", …}, "http_reqs": {"count", "rate"}, "http_req_failed":
//!   {"value"}}}`; per-endpoint figures come from sub-metrics tagged with the request's name
//!   or URL (`http_req_duration{name:GET /api/users}`, `{url:http://…/api/users}`), the
//!   untagged ones stand for the whole run;
//! - an **autocannon** result (`autocannon --json URL`): `{"url", "latency": {"p50", "p97_5",
//!   "p99"}, "requests": {"average"}, "errors", "non2xx", "2xx"}` for one URL (p95 is not in
//!   it: p97.5 is reported as the nearest upper bound);
//! - an **OpenTelemetry trace export** (OTLP JSON, one object per line as the collector's
//!   file exporter writes it, or one document): server spans (`kind` 2) with `http.route`
//!   give each route's percentiles, rate and errors; database spans (`db.system`) give the
//!   query round trip and, for Redis, the cache's; client spans (`kind` 3, an HTTP method)
//!   give the outbound HTTP latency.
//!
//! Parsing is pure (the CLI and the playground read the bytes). [`calibration`] turns span
//! medians into cost-model settings, with the measurement they came from as their source;
//! [`attach`] matches measured endpoints to the analysis's by method and route.

use crate::analysis::Analysis;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What one file measured.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measurement {
    /// The file's name, for the report ("k6-summary.json").
    pub source: String,
    /// "k6", "autocannon", "otlp".
    pub format: &'static str,
    pub endpoints: Vec<MeasuredEndpoint>,
    /// Span durations by kind (ms), for calibration.
    pub db_ms: Vec<f64>,
    pub cache_ms: Vec<f64>,
    pub http_ms: Vec<f64>,
}

/// Measured figures of one endpoint (or of a whole run, `route` empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeasuredEndpoint {
    /// `GET`, or `None` when the measurement does not say.
    pub method: Option<String>,
    /// A route (`/api/users/:id`) or a concrete path (`/api/users/42`); empty for a whole run.
    pub route: String,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub rps: Option<f64>,
    /// Share of requests that failed, 0–1.
    pub error_rate: Option<f64>,
    pub requests: Option<f64>,
    /// The file it came from.
    #[serde(default)]
    pub source: String,
    /// The analysis's endpoint it was matched to (`GET /api/users`), set by [`attach`].
    #[serde(default)]
    pub endpoint: Option<String>,
}

/// Reads a measurement file; the error says which formats are understood.
pub fn parse(source: &str, text: &str) -> Result<Measurement, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("{source}: the measurement file is empty"));
    }
    // OTLP from the file exporter: one JSON object per line.
    let documents: Vec<Value> = match serde_json::from_str::<Value>(trimmed) {
        Ok(v) => vec![v],
        Err(whole) => {
            let lines: Result<Vec<Value>, _> =
                trimmed.lines().filter(|l| !l.trim().is_empty()).map(serde_json::from_str::<Value>).collect();
            lines.map_err(|_| format!("{source}: not JSON ({whole})"))?
        }
    };
    let first = &documents[0];
    let mut m = if documents.iter().all(|d| d.get("resourceSpans").is_some()) {
        otlp(&documents)
    } else if first
        .get("metrics")
        .and_then(Value::as_object)
        .is_some_and(|m| m.keys().any(|k| k.starts_with("http_req")))
    {
        k6(first)
    } else if first.get("latency").is_some() && first.get("requests").is_some() {
        autocannon(first)
    } else {
        return Err(format!(
            "{source}: not a measurement backlens reads: expected a k6 summary (`--summary-export`), an autocannon JSON result (`--json`) or an OpenTelemetry trace export (OTLP JSON)"
        ));
    };
    m.source = source.to_string();
    for e in &mut m.endpoints {
        e.source = source.to_string();
    }
    Ok(m)
}

fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))).filter(|f| f.is_finite())
}

/// `http://host:3000/api/users?x=1` → `/api/users`.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = if url.contains("://") { rest.find('/').map(|i| &rest[i..]).unwrap_or("/") } else { rest };
    path.split(['?', '#']).next().unwrap_or("/").to_string()
}

/// `GET /api/users`, `/api/users`, a URL → (method, path).
fn method_and_path(tag: &str) -> (Option<String>, String) {
    let tag = tag.trim();
    match tag.split_once(' ') {
        Some((m, p)) if m.chars().all(|c| c.is_ascii_alphabetic()) && !m.is_empty() => {
            (Some(m.to_ascii_uppercase()), path_of(p.trim()))
        }
        _ => (None, path_of(tag)),
    }
}

fn k6(doc: &Value) -> Measurement {
    let metrics = doc["metrics"].as_object().cloned().unwrap_or_default();
    // Group sub-metrics by their tag set: "" for the untagged ones.
    let mut groups: Vec<(String, MeasuredEndpoint)> = Vec::new();
    for (key, value) in &metrics {
        let (name, tags) = match key.split_once('{') {
            Some((n, t)) => (n, t.trim_end_matches('}')),
            None => (key.as_str(), ""),
        };
        if !matches!(name, "http_req_duration" | "http_reqs" | "http_req_failed") {
            continue;
        }
        let idx = match groups.iter().position(|(t, _)| t == tags) {
            Some(i) => i,
            None => {
                let mut e = MeasuredEndpoint::default();
                let mut method = None;
                for pair in tags.split(',').filter(|p| !p.is_empty()) {
                    let Some((k, v)) = pair.split_once(':') else { continue };
                    match k.trim() {
                        "name" | "url" | "endpoint" | "route" => {
                            let (m, p) = method_and_path(v);
                            e.route = p;
                            method = method.or(m);
                        }
                        "method" => method = Some(v.trim().to_ascii_uppercase()),
                        _ => {}
                    }
                }
                e.method = method;
                groups.push((tags.to_string(), e));
                groups.len() - 1
            }
        };
        let e = &mut groups[idx].1;
        // `--summary-export` writes trends flat; the newer summary nests them in "values".
        let v = value.get("values").unwrap_or(value);
        match name {
            "http_req_duration" => {
                e.p50_ms = num(v.get("med")).or(num(v.get("p(50)")));
                e.p95_ms = num(v.get("p(95)"));
                e.p99_ms = num(v.get("p(99)"));
            }
            "http_reqs" => {
                e.rps = num(v.get("rate"));
                e.requests = num(v.get("count"));
            }
            _ => e.error_rate = num(v.get("value")).or(num(v.get("rate"))),
        }
    }
    let endpoints = groups.into_iter().map(|(_, e)| e).filter(|e| e.p50_ms.is_some() || e.rps.is_some()).collect();
    Measurement { format: "k6", endpoints, ..Measurement::default() }
}

fn autocannon(doc: &Value) -> Measurement {
    let lat = &doc["latency"];
    let ok = num(doc.get("2xx")).unwrap_or(0.0);
    let failed = num(doc.get("non2xx")).unwrap_or(0.0) + num(doc.get("errors")).unwrap_or(0.0);
    let total = num(doc["requests"].get("total")).unwrap_or(ok + failed);
    let e = MeasuredEndpoint {
        method: doc.get("method").and_then(Value::as_str).map(str::to_ascii_uppercase),
        route: doc.get("url").and_then(Value::as_str).map(path_of).unwrap_or_default(),
        p50_ms: num(lat.get("p50")),
        // autocannon reports p97.5, not p95: the nearest percentile above it.
        p95_ms: num(lat.get("p95")).or(num(lat.get("p97_5"))),
        p99_ms: num(lat.get("p99")),
        rps: num(doc["requests"].get("average")).or(num(doc["requests"].get("mean"))),
        error_rate: (total > 0.0).then(|| failed / total),
        requests: (total > 0.0).then_some(total),
        ..MeasuredEndpoint::default()
    };
    Measurement { format: "autocannon", endpoints: vec![e], ..Measurement::default() }
}

fn attribute<'a>(span: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    span.get("attributes")?.as_array()?.iter().find_map(|a| {
        let k = a.get("key")?.as_str()?;
        keys.contains(&k).then(|| a.get("value"))?
    })
}

fn attr_str(span: &Value, keys: &[&str]) -> Option<String> {
    let v = attribute(span, keys)?;
    v.get("stringValue").and_then(Value::as_str).map(str::to_string)
}

fn attr_num(span: &Value, keys: &[&str]) -> Option<f64> {
    let v = attribute(span, keys)?;
    num(v.get("intValue")).or(num(v.get("doubleValue")))
}

/// The `p` quantile (0–1) of sorted values, nearest rank.
fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn otlp(docs: &[Value]) -> Measurement {
    let mut m = Measurement { format: "otlp", ..Measurement::default() };
    // (method, route) → (durations, errors, first start, last end) of server spans.
    let mut routes: Vec<((Option<String>, String), Vec<f64>, f64, f64, f64)> = Vec::new();
    let spans = docs
        .iter()
        .flat_map(|d| d["resourceSpans"].as_array().cloned().unwrap_or_default())
        .flat_map(|rs| rs["scopeSpans"].as_array().cloned().unwrap_or_default())
        .flat_map(|ss| ss["spans"].as_array().cloned().unwrap_or_default());
    for span in spans {
        let (Some(start), Some(end)) = (num(span.get("startTimeUnixNano")), num(span.get("endTimeUnixNano"))) else {
            continue;
        };
        let ms = (end - start) / 1e6;
        if ms < 0.0 {
            continue;
        }
        let kind = num(span.get("kind")).unwrap_or(0.0) as i64;
        let db = attr_str(&span, &["db.system", "db.system.name"]);
        let method = attr_str(&span, &["http.request.method", "http.method"]);
        if let Some(system) = db {
            if system == "redis" || system == "memcached" {
                m.cache_ms.push(ms);
            } else {
                m.db_ms.push(ms);
            }
        } else if kind == 2 {
            let Some(route) = attr_str(&span, &["http.route"]) else { continue };
            let status = attr_num(&span, &["http.response.status_code", "http.status_code"]).unwrap_or(0.0);
            let error = status >= 500.0 || num(span.get("status").and_then(|s| s.get("code"))) == Some(2.0);
            let key = (method.map(|s| s.to_ascii_uppercase()), route);
            match routes.iter_mut().find(|r| r.0 == key) {
                Some(r) => {
                    r.1.push(ms);
                    r.2 += f64::from(u8::from(error));
                    r.3 = r.3.min(start);
                    r.4 = r.4.max(end);
                }
                None => routes.push((key, vec![ms], f64::from(u8::from(error)), start, end)),
            }
        } else if kind == 3 && method.is_some() {
            m.http_ms.push(ms);
        }
    }
    for ((method, route), mut durations, errors, first, last) in routes {
        durations.sort_by(f64::total_cmp);
        let n = durations.len() as f64;
        let seconds = (last - first) / 1e9;
        m.endpoints.push(MeasuredEndpoint {
            method,
            route,
            p50_ms: quantile(&durations, 0.50),
            p95_ms: quantile(&durations, 0.95),
            p99_ms: quantile(&durations, 0.99),
            rps: (seconds > 0.0 && n > 1.0).then(|| n / seconds),
            error_rate: Some(errors / n),
            requests: Some(n),
            ..MeasuredEndpoint::default()
        });
    }
    m
}

/// A cost-model parameter set from measured spans: (name, value, source).
pub fn calibration(measurements: &[Measurement]) -> Vec<(&'static str, f64, String)> {
    let mut out = Vec::new();
    for (name, pick) in [
        ("query_ms", (|m: &Measurement| &m.db_ms) as fn(&Measurement) -> &Vec<f64>),
        ("cache_ms", |m: &Measurement| &m.cache_ms),
        ("http_ms", |m: &Measurement| &m.http_ms),
    ] {
        let mut all: Vec<f64> = Vec::new();
        let mut sources: Vec<&str> = Vec::new();
        for m in measurements {
            let v = pick(m);
            if !v.is_empty() {
                all.extend(v);
                sources.push(&m.source);
            }
        }
        all.sort_by(f64::total_cmp);
        if let Some(median) = quantile(&all, 0.5) {
            out.push((
                name,
                (median * 1000.0).round() / 1000.0,
                format!("measured: median of {} spans in {}", all.len(), sources.join(", ")),
            ));
        }
    }
    out
}

/// Sets the parameters that measured spans calibrate ([`calibration`]) on `params`, except
/// those the user set already (their setting wins): the playground's rule, where the cost
/// panel's fields are the user's.
pub fn calibrate(params: &mut crate::Params, measurements: &[Measurement]) {
    for (name, value, source) in calibration(measurements) {
        if !params.settings.iter().any(|s| s.name == name) {
            // The value is a finite number of a known parameter: it cannot be refused.
            let _ = params.set_cost(name, &value.to_string(), &source);
        }
    }
}

/// Does a route pattern (`/api/users/:id`, `/files/*`) match a measured path or route?
fn route_matches(pattern: &str, path: &str) -> bool {
    if pattern == path {
        return true;
    }
    let p: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let q: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if p.last() == Some(&"*") {
        return q.len() >= p.len() - 1 && p[..p.len() - 1].iter().zip(&q).all(|(a, b)| seg(a, b));
    }
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| seg(a, b))
}

fn seg(pattern: &str, value: &str) -> bool {
    pattern == value
        || pattern.starts_with(':')
        || (pattern.starts_with('{') && pattern.ends_with('}'))
        || value.starts_with(':')
}

/// Matches each measured endpoint to one of the analysis's by method and route (a whole-run
/// figure goes to the only endpoint when there is one) and stores them in
/// `analysis.measured`; returns what matched nothing.
pub fn attach(analysis: &mut Analysis, measurements: &[Measurement]) -> Vec<MeasuredEndpoint> {
    let mut unmatched = Vec::new();
    for m in measurements {
        for e in &m.endpoints {
            let mut e = e.clone();
            let found = if e.route.is_empty() {
                (analysis.endpoints.len() == 1).then(|| analysis.endpoints[0].label())
            } else {
                analysis
                    .endpoints
                    .iter()
                    .filter(|ep| e.method.as_deref().is_none_or(|m| m == ep.method || ep.method == "ALL"))
                    .find(|ep| route_matches(&ep.path, &e.route))
                    .map(|ep| ep.label())
            };
            match found {
                Some(label) => {
                    e.endpoint = Some(label);
                    analysis.measured.push(e);
                }
                None => unmatched.push(e),
            }
        }
    }
    unmatched
}

#[cfg(test)]
mod tests {
    use super::*;

    const K6: &str = r#"{
      "root_group": {"name": "", "checks": {}},
      "metrics": {
        "http_req_duration": {"avg": 20.1, "min": 3, "med": 18.5, "max": 90, "p(90)": 30, "p(95)": 41.2},
        "http_req_duration{name:GET /api/users}": {"avg": 25, "min": 5, "med": 22.0, "max": 90, "p(90)": 35, "p(95)": 48.0, "p(99)": 77.5},
        "http_reqs": {"count": 3000, "rate": 99.8},
        "http_reqs{name:GET /api/users}": {"count": 1500, "rate": 49.9},
        "http_req_failed": {"passes": 3, "fails": 2997, "value": 0.001},
        "iterations": {"count": 3000, "rate": 99.8}
      }
    }"#;

    #[test]
    fn a_k6_summary_gives_the_run_and_its_tagged_endpoints() {
        let m = parse("k6.json", K6).unwrap();
        assert_eq!(m.format, "k6");
        let users = m.endpoints.iter().find(|e| e.route == "/api/users").expect("tagged endpoint");
        assert_eq!(users.method.as_deref(), Some("GET"));
        assert_eq!((users.p50_ms, users.p95_ms, users.p99_ms), (Some(22.0), Some(48.0), Some(77.5)));
        assert_eq!(users.rps, Some(49.9));
        let run = m.endpoints.iter().find(|e| e.route.is_empty()).expect("the whole run");
        assert_eq!((run.p50_ms, run.p95_ms, run.error_rate), (Some(18.5), Some(41.2), Some(0.001)));
    }

    #[test]
    fn an_autocannon_result_gives_its_url() {
        let json = r#"{"url":"http://127.0.0.1:3000/api/users/42?x=1","connections":10,"duration":10.02,
          "latency":{"average":12.3,"mean":12.3,"p50":11,"p97_5":30,"p99":41},
          "requests":{"average":801.5,"mean":801.5,"total":8015},"errors":0,"timeouts":0,"non2xx":15,"2xx":8000}"#;
        let m = parse("ac.json", json).unwrap();
        let e = &m.endpoints[0];
        assert_eq!(e.route, "/api/users/42");
        assert_eq!((e.p50_ms, e.p95_ms, e.p99_ms, e.rps), (Some(11.0), Some(30.0), Some(41.0), Some(801.5)));
        assert!((e.error_rate.unwrap() - 15.0 / 8015.0).abs() < 1e-12);
    }

    fn span(kind: u8, start_ms: f64, ms: f64, attrs: &str) -> String {
        format!(
            r#"{{"traceId":"a","spanId":"b","name":"s","kind":{kind},"startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{attrs}],"status":{{}}}}"#,
            (start_ms * 1e6) as u64,
            ((start_ms + ms) * 1e6) as u64
        )
    }

    #[test]
    fn otlp_spans_give_routes_and_calibrate_by_kind() {
        let route = r#"{"key":"http.route","value":{"stringValue":"/api/users/:id"}},{"key":"http.request.method","value":{"stringValue":"GET"}}"#;
        let db = r#"{"key":"db.system","value":{"stringValue":"postgresql"}}"#;
        let client = r#"{"key":"http.request.method","value":{"stringValue":"GET"}}"#;
        let mut spans = Vec::new();
        for i in 0..10 {
            spans.push(span(2, i as f64 * 100.0, 10.0 + i as f64, route));
            spans.push(span(3, i as f64 * 100.0 + 1.0, 4.0, db));
        }
        spans.push(span(3, 5.0, 40.0, client));
        // The collector's file exporter: one document per line.
        let line = |s: &[String]| {
            format!(
                r#"{{"resourceSpans":[{{"resource":{{}},"scopeSpans":[{{"scope":{{}},"spans":[{}]}}]}}]}}"#,
                s.join(",")
            )
        };
        let text = format!("{}\n{}\n", line(&spans[..10]), line(&spans[10..]));
        let m = parse("traces.jsonl", &text).unwrap();
        assert_eq!(m.format, "otlp");
        let e = &m.endpoints[0];
        assert_eq!((e.method.as_deref(), e.route.as_str()), (Some("GET"), "/api/users/:id"));
        assert_eq!(e.p50_ms, Some(14.0));
        assert_eq!(e.requests, Some(10.0));
        let cal = calibration(&[m]);
        assert_eq!(cal[0].0, "query_ms");
        assert_eq!(cal[0].1, 4.0);
        assert!(cal[0].2.contains("10 spans in traces.jsonl"), "{}", cal[0].2);
        assert_eq!((cal[1].0, cal[1].1), ("http_ms", 40.0));
    }

    #[test]
    fn calibration_leaves_the_users_settings_alone() {
        let db = r#"{"key":"db.system","value":{"stringValue":"postgresql"}}"#;
        let spans: Vec<String> = (0..3).map(|i| span(3, i as f64 * 10.0, 2.0, db)).collect();
        let text = format!(
            r#"{{"resourceSpans":[{{"resource":{{}},"scopeSpans":[{{"scope":{{}},"spans":[{}]}}]}}]}}"#,
            spans.join(",")
        );
        let m = parse("t.json", &text).unwrap();
        let mut p = crate::Params::default();
        calibrate(&mut p, std::slice::from_ref(&m));
        assert_eq!((p.settings[0].name.as_str(), p.settings[0].value), ("query_ms", 2.0));
        assert!(p.settings[0].source.starts_with("measured"));
        let mut mine = crate::Params::default();
        mine.set_cost("query_ms", "9", "playground").unwrap();
        calibrate(&mut mine, &[m]);
        assert_eq!((mine.settings.len(), mine.settings[0].value), (1, 9.0));
    }

    #[test]
    fn unknown_or_broken_files_are_clear_errors() {
        assert!(parse("x.json", "").unwrap_err().contains("empty"));
        assert!(parse("x.json", "{not json").unwrap_err().contains("not JSON"));
        assert!(parse("x.json", r#"{"hello": 1}"#).unwrap_err().contains("k6 summary"));
    }

    #[test]
    fn routes_match_by_pattern_and_method() {
        let files = [crate::SourceFile::new(
            "app.js",
            "const app = require('express')();\napp.get('/api/users/:id', (req, res) => res.json({}));\napp.post('/api/users', (req, res) => res.json({}));\n",
        )];
        let mut a = crate::analyze(&files, &crate::Params::default());
        let ac = parse("ac.json", r#"{"url":"http://h/api/users/7","latency":{"p50":3},"requests":{"average":10}}"#)
            .unwrap();
        let k6 = parse("k6.json", K6).unwrap();
        let unmatched = attach(&mut a, &[ac, k6]);
        assert_eq!(a.measured.len(), 1, "{:?}", a.measured);
        assert_eq!(a.measured[0].endpoint.as_deref(), Some("GET /api/users/:id"));
        // `GET /api/users` is not a route here (only POST), and the whole run has two endpoints.
        assert_eq!(unmatched.len(), 2);
    }
}
