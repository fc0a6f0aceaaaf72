//! The cache model, for reads served without a cache.
//!
//! Average latency `hit_rate · hit_ms + (1 − hit_rate) · miss_ms`; database load scales by
//! `1 − hit_rate` (the seed: 82 % hits → 82 % less database load). `hit_ms` defaults to the
//! profile's `cache_ms` (a Redis GET), `miss_ms` to four database round trips (`4 · query_ms`,
//! a read endpoint that runs a few queries).

use super::{fmt_num, metric, Profile};
use crate::analysis::{Estimate, Parameter};

pub fn response_cache(profile: &Profile, hit_ms: Option<f64>, miss_ms: Option<f64>) -> Estimate {
    let hit = profile.hit_rate.value.clamp(0.0, 1.0);
    let hit_ms_v = hit_ms.unwrap_or(profile.cache_ms.value);
    let miss_ms_v = miss_ms.unwrap_or(4.0 * profile.query_ms.value);
    let after_ms = hit * hit_ms_v + (1.0 - hit) * miss_ms_v;
    let param = |name: &'static str, value: f64, given: bool, from: &str| Parameter {
        name,
        value,
        unit: "ms",
        source: if given { "user".to_string() } else { from.to_string() },
    };
    Estimate {
        model: "cache",
        parameters: vec![
            super::parameter(&profile.hit_rate, "hit_rate", "share"),
            param("hit_ms", hit_ms_v, hit_ms.is_some(), &format!("cache_ms ({})", profile.cache_ms.source)),
            param("miss_ms", miss_ms_v, miss_ms.is_some(), &format!("4 × query_ms ({})", profile.query_ms.source)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn seeds_82_percent_hit_rate() {
        let mut p = Profile::for_load(LoadProfile::Medium);
        p.hit_rate.value = 0.82;
        let e = response_cache(&p, Some(5.0), Some(120.0));
        assert!((e.after[1].value - 18.0).abs() < 1e-9);
        assert!((e.after[0].value - (0.82 * 5.0 + 0.18 * 120.0)).abs() < 1e-9);
        assert!(e.summary.starts_with("82% less database load"), "{}", e.summary);
    }
}
