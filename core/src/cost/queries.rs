//! The query-count model, for queries run once per item (N+1).
//!
//! - before: `1 + N` queries (the list, then one per item). Awaited one after another they
//!   take `(1 + N) · query_ms`; started together (`Promise.all`) they are bounded by the
//!   pool: `query_ms + ⌈N / pool_size⌉ · query_ms`.
//! - after: `2` queries when batched (`IN (…)`, `$in`, DataLoader) → `2 · query_ms`, or `1`
//!   with eager loading (a JOIN) → `query_ms`.
//!
//! Per-row transfer cost is the same before and after and is left out.

use super::{metric, parameter, Profile};
use crate::analysis::Estimate;

/// The parameters both models read: the pool bounds only queries started together.
fn parameters(profile: &Profile, parallel: bool) -> Vec<crate::analysis::Parameter> {
    let mut parameters =
        vec![parameter(&profile.items, "items", "rows"), parameter(&profile.query_ms, "query_ms", "ms")];
    if parallel {
        parameters.push(parameter(&profile.pool_size, "pool_size", "connections"));
    }
    parameters
}

/// Evaluates the model. `parallel` when the per-item queries start together.
pub fn n_plus_one(profile: &Profile, parallel: bool) -> Estimate {
    let n = profile.items.value.max(0.0).round();
    let q = profile.query_ms.value.max(0.0);
    let pool = profile.pool_size.value.max(1.0);
    let before_queries = 1.0 + n;
    let before_ms = if parallel { q + (n / pool).ceil() * q } else { before_queries * q };
    let after_ms = 2.0 * q;
    let parameters = parameters(profile, parallel);
    Estimate {
        model: "queries",
        parameters,
        before: vec![metric("queries", before_queries, "queries"), metric("db_time", before_ms, "ms")],
        after: vec![
            metric("queries", 2.0, "queries"),
            metric("queries_with_join", 1.0, "queries"),
            metric("db_time", after_ms, "ms"),
        ],
        summary: format!(
            "{} queries → 2 (batched) or 1 (join); ≈{} ms → ≈{} ms of database time per request",
            super::fmt_num(before_queries),
            super::fmt_num(before_ms),
            super::fmt_num(after_ms)
        ),
    }
}

/// Writes per item: `N` round trips → `1` bulk write (`bulkCreate`, `createMany`,
/// `insertMany`, a multi-row `INSERT`). The bulk write still sends every row; its time is
/// modelled as one round trip.
pub fn per_item_writes(profile: &Profile, parallel: bool) -> Estimate {
    let n = profile.items.value.max(0.0).round();
    let q = profile.query_ms.value.max(0.0);
    let pool = profile.pool_size.value.max(1.0);
    let before_ms = if parallel { (n / pool).ceil() * q } else { n * q };
    let parameters = parameters(profile, parallel);
    Estimate {
        model: "queries",
        parameters,
        before: vec![metric("queries", n, "queries"), metric("db_time", before_ms, "ms")],
        after: vec![metric("queries", 1.0, "queries"), metric("db_time", q, "ms")],
        summary: format!(
            "{} writes → 1 bulk write; ≈{} ms → ≈{} ms of database time per request",
            super::fmt_num(n),
            super::fmt_num(before_ms),
            super::fmt_num(q)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn seeds_feed_example_fifty_posts() {
        let mut p = Profile::for_load(LoadProfile::Medium);
        p.items.value = 50.0;
        let e = n_plus_one(&p, false);
        assert_eq!(e.before[0].value, 51.0);
        assert_eq!(e.after[0].value, 2.0);
        assert_eq!(e.after[1].value, 1.0);
        assert!(e.summary.starts_with("51 queries → 2 (batched) or 1 (join)"), "{}", e.summary);
    }

    #[test]
    fn parallel_queries_are_bounded_by_the_pool() {
        let mut p = Profile::for_load(LoadProfile::Medium);
        p.items.value = 50.0;
        p.query_ms.value = 4.0;
        assert_eq!(n_plus_one(&p, false).before[1].value, 204.0);
        assert_eq!(n_plus_one(&p, true).before[1].value, 4.0 + 5.0 * 4.0);
    }
}
