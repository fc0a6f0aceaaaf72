//! Performance budgets: `[budgets]` in `backlens.toml`, checked by `--fail-on-budget`.
//!
//! ```toml
//! [budgets]
//! "GET /api/*" = { queries = 5, p95_ms = 200 }
//! "/api/reports/:id" = { event_loop_ms = 20 }
//! ```
//!
//! Each key is an endpoint pattern (as `endpoints`: an optional method, a path whose `:name`
//! segments match any one segment and whose `*` matches the rest); every endpoint it matches
//! must stay within its limits, per request, on the simulated figures of the endpoint's trace
//! as the code is now (`endpoints[].trace.before`, see `cost::trace`):
//!
//! - `queries`: database round trips, repeats included (a query per item counts `items`);
//! - `p95_ms`: the simulated 95th-percentile response time at the profile's `rps` (the
//!   report's load-test table: queueing on the pool and the event loop, plus the request's
//!   own waits); a saturated endpoint is over any `p95_ms`;
//! - `event_loop_ms`: the time a request holds the event loop.
//!
//! An endpoint several patterns match must meet them all. Over a limit, the verdict names the
//! spans that push it over: the largest contributors, largest first, until leaving them out
//! would bring the figure within the limit.
//!
//! With a baseline that recorded the endpoints' figures (`--write-baseline`), an endpoint whose
//! queries per request grew since is over budget too, whether or not a rule fires: a change
//! that adds 40 queries to a request fails the build.

use crate::analysis::Analysis;
use crate::baseline::Baseline;
use crate::cost::queueing::{self, Outcome};
use crate::cost::trace::{TraceSide, TraceSpan};
use crate::cost::{fmt_num, Profile};
use crate::params::{EndpointPattern, ParamError};

/// One `[budgets]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    /// The key as written (`GET /api/*`).
    pub key: String,
    pub pattern: EndpointPattern,
    pub queries: Option<f64>,
    pub p95_ms: Option<f64>,
    pub event_loop_ms: Option<f64>,
}

/// The limits a budget may set.
pub const LIMITS: &[&str] = &["queries", "p95_ms", "event_loop_ms"];

impl Budget {
    /// A budget for `key` with `limits` (name, value); errors say what is wrong.
    pub fn new(key: &str, limits: &[(String, f64)]) -> Result<Budget, String> {
        let pattern = EndpointPattern::parse(key).map_err(|e: ParamError| format!("budget {key:?}: {e}"))?;
        let mut b = Budget { key: key.to_string(), pattern, queries: None, p95_ms: None, event_loop_ms: None };
        for (name, value) in limits {
            if !value.is_finite() || *value < 0.0 {
                return Err(format!("budget {key:?}: `{name}` must be a number ≥ 0, got {value}"));
            }
            let slot = match name.as_str() {
                "queries" => &mut b.queries,
                "p95_ms" => &mut b.p95_ms,
                "event_loop_ms" => &mut b.event_loop_ms,
                other => {
                    return Err(format!("budget {key:?}: unknown limit `{other}`: expected {}", LIMITS.join(", ")))
                }
            };
            *slot = Some(*value);
        }
        if b.queries.is_none() && b.p95_ms.is_none() && b.event_loop_ms.is_none() {
            return Err(format!("budget {key:?} sets no limit: expected {}", LIMITS.join(", ")));
        }
        Ok(b)
    }
}

/// An endpoint over a limit.
#[derive(Clone, Debug, PartialEq)]
pub struct Over {
    /// `GET /api/users`
    pub endpoint: String,
    pub file: String,
    pub line: u32,
    /// The budget's key, or `baseline`.
    pub budget: String,
    /// `queries`, `p95_ms` or `event_loop_ms`.
    pub limit: &'static str,
    /// The simulated figure (infinite when saturated).
    pub value: f64,
    pub allowed: f64,
    /// The spans that push it over: (label, file, line, contribution), largest first.
    pub spans: Vec<(String, String, u32, f64)>,
}

impl Over {
    /// `GET /api/users (src/routes.js:12): 51 queries per request, budget 5 ("GET /api/*")`
    /// and one line per span that pushes it over.
    pub fn lines(&self) -> Vec<String> {
        let (value, unit) = match self.limit {
            "queries" => (fmt_num(self.value.round()), " queries per request"),
            "p95_ms" if self.value.is_infinite() => ("saturated".to_string(), " (p95 unbounded)"),
            "p95_ms" => (fmt_num(round1(self.value)), " ms p95"),
            _ => (fmt_num(round1(self.value)), " ms of event loop per request"),
        };
        let of = if self.budget == "baseline" {
            format!("{} in the baseline", fmt_num(self.allowed))
        } else {
            format!("budget {} ({:?})", fmt_num(self.allowed), self.budget)
        };
        let mut out =
            vec![format!("over budget: {} ({}:{}): {value}{unit}, {of}", self.endpoint, self.file, self.line)];
        for (label, file, line, amount) in &self.spans {
            let amount = match self.limit {
                "queries" => format!("{} queries", fmt_num(amount.round())),
                _ => format!("{} ms", fmt_num(round1(*amount))),
            };
            out.push(format!("  {file}:{line} {label}: {amount}"));
        }
        out
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The simulated p95 of a trace side at the profile's `rps`, or infinity when saturated.
pub fn p95_ms(side: &TraceSide, profile: &Profile) -> f64 {
    let extra = (side.duration_ms - side.db_ms - side.cpu_ms).max(0.0);
    match queueing::endpoint(profile.rps.value, side.db_ms, profile.pool_size.value, side.cpu_ms) {
        Outcome::Stable { p95, .. } => p95 + extra,
        Outcome::Saturated { .. } => f64::INFINITY,
    }
}

/// Spans on the event loop: the request's own work, CPU, responses and the clients of
/// queries and calls.
fn on_loop(s: &TraceSpan) -> bool {
    matches!(s.kind.as_str(), "request" | "cpu" | "respond" | "db" | "cache" | "http")
}

/// The spans that push `value` over `allowed`: the largest `amount`s, until the rest is within.
fn blame(
    spans: &[TraceSpan],
    amount: impl Fn(&TraceSpan) -> f64,
    value: f64,
    allowed: f64,
) -> Vec<(String, String, u32, f64)> {
    let mut ranked: Vec<(&TraceSpan, f64)> = spans.iter().map(|s| (s, amount(s))).filter(|(_, a)| *a > 0.0).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| (&a.0.file, a.0.line).cmp(&(&b.0.file, b.0.line))));
    let mut left = value;
    let mut out = Vec::new();
    for (s, a) in ranked {
        if left <= allowed {
            break;
        }
        left -= a;
        out.push((s.label.clone(), s.file.clone(), s.line, a));
    }
    out
}

/// Every endpoint over a budget (in the analysis's endpoint order, then the budgets' order),
/// and, with a baseline that has the endpoints' figures, every endpoint whose queries grew.
pub fn check(analysis: &Analysis, budgets: &[Budget], baseline: Option<&Baseline>, profile: &Profile) -> Vec<Over> {
    let mut out = Vec::new();
    for e in &analysis.endpoints {
        let Some(side) = e.trace.as_ref().and_then(|t| t.before.as_ref()) else { continue };
        let label = e.label();
        let over = |budget: &str, limit: &'static str, value: f64, allowed: f64, spans| Over {
            endpoint: label.clone(),
            file: e.file.clone(),
            line: e.line,
            budget: budget.to_string(),
            limit,
            value,
            allowed,
            spans,
        };
        let queries = |s: &TraceSpan| if s.kind == "db" { s.count } else { 0.0 };
        for b in budgets.iter().filter(|b| b.pattern.matches(&e.method, &e.path)) {
            // Figures are estimates with fractions (a cache's hit rate): a limit is met within
            // rounding to the figures shown.
            if let Some(limit) = b.queries.filter(|l| side.queries.round() > *l) {
                out.push(over(
                    &b.key,
                    "queries",
                    side.queries,
                    limit,
                    blame(&side.spans, queries, side.queries, limit),
                ));
            }
            if let Some(limit) = b.p95_ms {
                let p95 = p95_ms(side, profile);
                if round1(p95) > limit {
                    let spans = blame(&side.spans, |s| s.duration_ms, side.duration_ms.min(p95), limit);
                    out.push(over(&b.key, "p95_ms", p95, limit, spans));
                }
            }
            if let Some(limit) = b.event_loop_ms.filter(|l| round1(side.cpu_ms) > *l) {
                let spans = blame(&side.spans, |s| if on_loop(s) { s.duration_ms } else { 0.0 }, side.cpu_ms, limit);
                out.push(over(&b.key, "event_loop_ms", side.cpu_ms, limit, spans));
            }
        }
        if let Some(recorded) = baseline.and_then(|b| b.endpoints.iter().find(|r| r.endpoint == label)) {
            if side.queries.round() > recorded.queries.round() {
                out.push(over(
                    "baseline",
                    "queries",
                    side.queries,
                    recorded.queries.round(),
                    blame(&side.spans, queries, side.queries, recorded.queries.round()),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, Params, SourceFile};

    const N1: &str = "const express = require('express');\nconst app = express();\napp.get('/api/users', async (req, res) => {\n  const users = await User.findAll();\n  for (const u of users) {\n    u.posts = await Post.findAll({ where: { userId: u.id } });\n  }\n  res.json(users);\n});\napp.get('/health', (req, res) => res.send('ok'));\n";

    fn budget(key: &str, limits: &[(&str, f64)]) -> Budget {
        Budget::new(key, &limits.iter().map(|(n, v)| (n.to_string(), *v)).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn an_endpoint_over_its_queries_names_the_spans() {
        let params = Params::default();
        let analysis = analyze(&[SourceFile::new("app.js", N1)], &params);
        let profile = Profile::for_params(&params);
        let over = check(&analysis, &[budget("GET /api/*", &[("queries", 5.0)])], None, &profile);
        assert_eq!(over.len(), 1, "{over:?}");
        assert_eq!(over[0].endpoint, "GET /api/users");
        assert!(over[0].value > 5.0);
        assert_eq!(over[0].spans[0].0, "Post.findAll");
        assert_eq!(over[0].spans[0].2, 6);
        let lines = over[0].lines();
        assert!(lines[0].starts_with("over budget: GET /api/users (app.js:3): "), "{lines:?}");
        assert!(lines[1].starts_with("  app.js:6 Post.findAll: "), "{lines:?}");
        // Within budget, nothing; /health is not matched by /api/*.
        assert!(check(&analysis, &[budget("/api/users", &[("queries", 100.0)])], None, &profile).is_empty());
        let p95 = check(&analysis, &[budget("/*", &[("p95_ms", 1.0), ("event_loop_ms", 0.01)])], None, &profile);
        assert!(p95.iter().any(|o| o.limit == "p95_ms" && o.endpoint == "GET /api/users"), "{p95:?}");
        assert!(p95.iter().any(|o| o.limit == "event_loop_ms"), "{p95:?}");
    }

    #[test]
    fn a_baseline_fails_an_endpoint_that_gains_queries() {
        let params = Params::default();
        let profile = Profile::for_params(&params);
        let one = N1.replace(
            "  for (const u of users) {\n    u.posts = await Post.findAll({ where: { userId: u.id } });\n  }\n",
            "",
        );
        let before = analyze(&[SourceFile::new("app.js", one.as_str())], &params);
        let baseline = crate::baseline::record(&before);
        assert_eq!(baseline.endpoints.iter().find(|e| e.endpoint == "GET /api/users").map(|e| e.queries), Some(1.0));
        assert!(check(&before, &[], Some(&baseline), &profile).is_empty());
        let after = analyze(&[SourceFile::new("app.js", N1)], &params);
        let over = check(&after, &[], Some(&baseline), &profile);
        assert_eq!(over.len(), 1, "{over:?}");
        assert_eq!((over[0].budget.as_str(), over[0].allowed), ("baseline", 1.0));
        assert!(over[0].lines()[0].ends_with(", 1 in the baseline"), "{:?}", over[0].lines());
    }

    #[test]
    fn bad_budgets_are_errors() {
        let e = Budget::new("GET /api/*", &[("querys".into(), 5.0)]).unwrap_err();
        assert!(e.contains("unknown limit `querys`"), "{e}");
        assert!(Budget::new("api", &[("queries".into(), 5.0)]).unwrap_err().contains("starting with '/'"));
        assert!(Budget::new("/a", &[]).unwrap_err().contains("sets no limit"));
        assert!(Budget::new("/a", &[("p95_ms".into(), -1.0)]).unwrap_err().contains("≥ 0"));
    }
}
