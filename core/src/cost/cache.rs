//! The cache models: reads served without a cache, and cached reads that go stale.
//!
//! **Response cache** ([`response_cache`]). Average latency `hit_rate · hit_ms + (1 − hit_rate) · miss_ms`; database load scales by
//! `1 − hit_rate` (the seed: 82 % hits → 82 % less database load). `hit_ms` defaults to the
//! profile's `cache_ms` (a Redis GET), `miss_ms` to four database round trips (`4 · query_ms`,
//! a read endpoint that runs a few queries).
//!
//! **Staleness** ([`staleness`]), for a cached resource whose writes never delete or refresh
//! its key. Reads of the key arrive at `λ = rps` a second (a hot key on the endpoint), the
//! entry lives `ttl_s` after the miss that filled it, and the resource changes
//! `writes_per_hour` times an hour (`w = writes_per_hour / 3600` a second; default 1).
//! - Before: a write lands at a uniformly random point of the entry's life, so readers get the
//!   old version for up to `ttl_s` (`ttl_s / 2` on average): `λ · ttl_s / 2` stale reads per
//!   write. With no TTL at all (a `Map` never expired) the old version stays until the process
//!   restarts. Hit rate of a TTL cache under Poisson reads: each fill is followed by `λ · ttl_s`
//!   hits on average, so `hit = λ·ttl / (1 + λ·ttl)`.
//! - After (delete the key on write): no stale window; the entry also ends at the next write,
//!   so its expected life is `E = (1 − e^(−w·ttl)) / w` (`1 / w` without a TTL) and
//!   `hit = λ·E / (1 + λ·E)` — the hit rate a delete per write costs is what this shows.

use super::{fmt_num, metric, parameter, profile::Value, Profile};
use crate::analysis::{Estimate, Parameter};

/// `hit_ms` / `miss_ms`: a latency given with its source (the user, the route's queries),
/// else the defaults above.
pub fn response_cache(profile: &Profile, hit_ms: Option<&Value>, miss_ms: Option<&Value>) -> Estimate {
    let hit = profile.hit_rate.value.clamp(0.0, 1.0);
    let hit_ms_v = hit_ms.map_or(profile.cache_ms.value, |v| v.value);
    let miss_ms_v = miss_ms.map_or(4.0 * profile.query_ms.value, |v| v.value);
    let after_ms = hit * hit_ms_v + (1.0 - hit) * miss_ms_v;
    let param = |name: &'static str, value: f64, given: Option<&Value>, from: &str| Parameter {
        name,
        value,
        unit: "ms",
        source: given.map_or_else(|| from.to_string(), |v| v.source.clone()),
    };
    Estimate {
        model: "cache",
        parameters: vec![
            super::parameter(&profile.hit_rate, "hit_rate", "share"),
            param("hit_ms", hit_ms_v, hit_ms, &format!("cache_ms ({})", profile.cache_ms.source)),
            param("miss_ms", miss_ms_v, miss_ms, &format!("4 × query_ms ({})", profile.query_ms.source)),
        ],
        before: vec![metric("latency", miss_ms_v, "ms"), metric("database_load", 100.0, "%")],
        after: vec![metric("latency", after_ms, "ms"), metric("database_load", (1.0 - hit) * 100.0, "%")],
        summary: format!(
            "{}% less database load; ≈{} ms → ≈{} ms average read latency at a {}% hit rate",
            fmt_num((hit * 1000.0).round() / 10.0),
            fmt_num(miss_ms_v),
            fmt_num((after_ms * 10.0).round() / 10.0),
            fmt_num((hit * 1000.0).round() / 10.0)
        ),
    }
}

/// Writes per hour of a cached resource when nothing else is known.
pub const WRITES_PER_HOUR: f64 = 1.0;

/// Hit rate of a cache entry read at `lambda` per second that lives `life_s` on average.
pub fn hit_rate(lambda: f64, life_s: f64) -> f64 {
    let x = lambda.max(0.0) * life_s.max(0.0);
    if x.is_infinite() {
        1.0
    } else {
        x / (1.0 + x)
    }
}

/// A resource cached with a TTL of `ttl` seconds (`None`: never expires) whose writes do not
/// delete its key, vs deleting the key on every write. `what` names the resource.
pub fn staleness(profile: &Profile, ttl: Option<&Value>, writes_per_hour: Option<f64>, what: &str) -> Estimate {
    let lambda = profile.rps.value.max(0.0);
    let writes_h = writes_per_hour.unwrap_or(WRITES_PER_HOUR).max(0.0);
    let w = writes_h / 3600.0;
    let ttl_s = ttl.map(|t| t.value.max(0.0));
    let life_before = ttl_s.unwrap_or(f64::INFINITY);
    let life_after = match ttl_s {
        Some(t) if w > 0.0 => (1.0 - (-w * t).exp()) / w,
        Some(t) => t,
        None if w > 0.0 => 1.0 / w,
        None => f64::INFINITY,
    };
    let (hit_before, hit_after) = (hit_rate(lambda, life_before), hit_rate(lambda, life_after));
    let pct = |h: f64| (h * 1000.0).round() / 10.0;
    let mut parameters = vec![parameter(&profile.rps, "rps", "requests/s")];
    if let Some(t) = ttl {
        parameters.push(parameter(t, "ttl_s", "s"));
    }
    parameters.push(parameter(
        &Value {
            value: writes_h,
            source: if writes_per_hour.is_some() { "user".into() } else { "default: one change an hour".into() },
        },
        "writes_per_hour",
        "writes/h",
    ));
    let hits = format!("hit rate {} % → {} %", fmt_num(pct(hit_before)), fmt_num(pct(hit_after)));
    let (before, summary) = match ttl_s {
        None => (
            vec![metric("hit_rate", pct(hit_before), "%")],
            format!("readers get the old `{what}` until the process restarts (the cache has no TTL) → fresh after every write; {hits}"),
        ),
        Some(t) => (
            vec![
                metric("stale_window", t, "s"),
                metric("stale_reads_per_write", lambda * t / 2.0, "reads"),
                metric("hit_rate", pct(hit_before), "%"),
            ],
            format!(
                "readers may get the old `{what}` for up to {} s after each write (≈{} stale reads per write at {} reads/s) → 0 s; {hits}",
                fmt_num(t),
                super::complexity::fmt_count(lambda * t / 2.0),
                fmt_num(lambda)
            ),
        ),
    };
    let mut after = vec![metric("hit_rate", pct(hit_after), "%")];
    if ttl_s.is_some() {
        after.insert(0, metric("stale_reads_per_write", 0.0, "reads"));
        after.insert(0, metric("stale_window", 0.0, "s"));
    }
    Estimate { model: "cache", parameters, before, after, summary }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn seeds_82_percent_hit_rate() {
        let mut p = Profile::for_load(LoadProfile::Medium);
        p.hit_rate.value = 0.82;
        let user = |value: f64| Value { value, source: "user".into() };
        let e = response_cache(&p, Some(&user(5.0)), Some(&user(120.0)));
        assert!((e.after[1].value - 18.0).abs() < 1e-9);
        assert!((e.after[0].value - (0.82 * 5.0 + 0.18 * 120.0)).abs() < 1e-9);
        assert!(e.summary.starts_with("82% less database load"), "{}", e.summary);
    }

    #[test]
    fn stale_window_and_hit_rate_vs_ttl() {
        // λ = 1 read/s, TTL 9 s: 9 hits per fill → 90 %.
        assert!((hit_rate(1.0, 9.0) - 0.9).abs() < 1e-12);
        assert_eq!(hit_rate(5.0, f64::INFINITY), 1.0);
        let p = Profile::for_load(LoadProfile::Medium); // 50 reads/s
        let ttl = Value { value: 300.0, source: "the cache write".into() };
        let e = staleness(&p, Some(&ttl), None, "post");
        assert_eq!(e.before[0].value, 300.0);
        assert_eq!(e.before[1].value, 7500.0);
        assert_eq!(e.after[0].value, 0.0);
        // A hot key (15,000 reads per 5-minute entry) and one write an hour: ≈100 % both ways.
        assert_eq!(e.before[2].value, 100.0);
        assert_eq!(e.after[2].value, 100.0);
        assert!(e.summary.starts_with("readers may get the old `post` for up to 300 s after each write (≈7,500 stale reads per write at 50 reads/s) → 0 s"), "{}", e.summary);
        // Rare reads and frequent writes: deleting on write costs hits.
        let mut p = Profile::for_load(LoadProfile::Low);
        p.set("rps", 0.01, "user").unwrap();
        let e = staleness(&p, Some(&ttl), Some(360.0), "post");
        assert!(e.after[2].value < e.before[2].value, "{:?} vs {:?}", e.after, e.before);
        // No TTL: stale until restart.
        let e = staleness(&Profile::for_load(LoadProfile::Medium), None, None, "user");
        assert!(e.summary.starts_with("readers get the old `user` until the process restarts"), "{}", e.summary);
    }
}
