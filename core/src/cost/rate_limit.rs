//! The rate-limit model, for an app (or an expensive route) that any one client can call as
//! often as it likes.
//!
//! Without a limiter one client can send the profile's whole arrival rate: `rps · 60`
//! requests a minute. With a limit of `limit` requests per `window_min` minutes it gets
//! `limit / window_min` a minute; the rest of a burst is refused with 429 before any work.
//!
//! What the burst costs the server: every admitted request holds a database connection (or
//! the handler) for `service_ms`, so by Little's law an arrival rate `λ` keeps
//! `λ · service_ms / 1000` connections busy. The pool has `pool_size`: one unthrottled client
//! at `rps` occupies `rps · service_ms / 1000 / pool_size` of it (≥ 100 %: saturated, every
//! other client queues); under the limit, `limit / (60 · window_min)` requests a second. The
//! work refused per window is `(rps · 60 · window_min − limit) · service_ms`. `service_ms`
//! defaults to four database round trips (`4 · query_ms`), as in the cache model.

use super::{fmt_num, metric, parameter, profile::Value, Profile};
use crate::analysis::{Estimate, Parameter};

/// Evaluates the model for a limit of `limit` requests per `window_min` minutes; `what`
/// names the limit in the summary ("the app's limit", "a stricter limit").
pub fn rate_limit(profile: &Profile, limit: &Value, window: &Value, service_ms: Option<f64>, what: &str) -> Estimate {
    let rps = profile.rps.value.max(0.0);
    let window_param = window;
    let window_min = window.value;
    let window = window_min.max(1e-9);
    let limit_param = limit;
    let limit = limit.value.max(0.0);
    let service = service_ms.unwrap_or(4.0 * profile.query_ms.value).max(0.0);
    let pool = profile.pool_size.value.max(1.0);
    let before_per_min = rps * 60.0;
    let after_per_min = (limit / window).min(before_per_min);
    let busy = |per_min: f64| per_min / 60.0 * service / 1000.0;
    let (busy_before, busy_after) = (busy(before_per_min), busy(after_per_min));
    let share = |b: f64| (b / pool * 1000.0).round() / 10.0;
    let refused_ms = (before_per_min * window - limit).max(0.0) * service;
    let pool_state = |b: f64| {
        if b >= pool {
            format!("the whole pool of {} (saturated: every other client queues)", fmt_num(pool))
        } else if b > 0.0 && share(b) < 0.1 {
            "under 0.1 % of the pool".to_string()
        } else {
            format!("{} % of the pool", fmt_num(share(b)))
        }
    };
    Estimate {
        model: "rate-limit",
        parameters: vec![
            parameter(&profile.rps, "rps", "requests/s"),
            parameter(limit_param, "limit", "requests"),
            parameter(window_param, "window_min", "min"),
            Parameter {
                name: "service_ms",
                value: service,
                unit: "ms",
                source: if service_ms.is_some() {
                    "user".into()
                } else {
                    format!("4 × query_ms ({})", profile.query_ms.source)
                },
            },
            parameter(&profile.pool_size, "pool_size", "connections"),
        ],
        before: vec![
            metric("requests_per_client", before_per_min, "per minute"),
            metric("pool_busy", share(busy_before), "%"),
        ],
        after: vec![
            metric("requests_per_client", after_per_min, "per minute"),
            metric("pool_busy", share(busy_after), "%"),
            metric("work_refused", refused_ms / 1000.0, "s per window"),
        ],
        summary: format!(
            "one client can send up to {} requests/min (the whole load), holding {} → {} requests/min under {what} ({} per {} min), {}; ≈{} s of work per window refused",
            super::complexity::fmt_count(before_per_min),
            pool_state(busy_before),
            fmt_num((after_per_min * 100.0).round() / 100.0),
            fmt_num(limit),
            fmt_num(window_min),
            pool_state(busy_after),
            fmt_num((refused_ms / 100.0).round() / 10.0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    fn v(value: f64) -> Value {
        Value { value, source: "rewrite".into() }
    }

    #[test]
    fn a_burst_beyond_the_limit_is_refused_before_it_reaches_the_pool() {
        // Medium: 50 requests/s, 4 × 5 ms per request, a pool of 10.
        let p = Profile::for_load(LoadProfile::Medium);
        let e = rate_limit(&p, &v(10.0), &v(1.0), None, "a stricter limit");
        assert_eq!(e.before[0].value, 3000.0);
        assert_eq!(e.after[0].value, 10.0);
        // 50/s × 20 ms = 1 connection busy = 10 % of the pool; 10/min × 20 ms ≈ 0.03 %.
        assert_eq!(e.before[1].value, 10.0);
        assert_eq!(e.after[1].value, 0.0);
        // (3000 − 10) × 20 ms = 59.8 s of work refused per minute.
        assert!((e.after[2].value - 59.8).abs() < 1e-9);
        assert!(e.summary.starts_with("one client can send up to 3,000 requests/min (the whole load), holding 10 % of the pool → 10 requests/min"), "{}", e.summary);

        // High: 500/s × 200 ms of work hold 100 connections: saturated.
        let mut p = Profile::for_load(LoadProfile::High);
        p.set("query_ms", 50.0, "user").unwrap();
        let e = rate_limit(&p, &v(100.0), &v(15.0), None, "the app's limit");
        assert!(e.summary.contains("the whole pool of 10 (saturated"), "{}", e.summary);
        assert!((e.after[0].value - 100.0 / 15.0).abs() < 1e-9);
        // A limit above the load changes nothing.
        let p = Profile::for_load(LoadProfile::Low);
        let e = rate_limit(&p, &v(1000.0), &v(1.0), Some(10.0), "x");
        assert_eq!(e.after[0].value, e.before[0].value);
        assert_eq!(e.after[2].value, 0.0);
    }
}
