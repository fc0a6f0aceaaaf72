//! The memory model, for a module-level cache that only grows.
//!
//! In the worst case every request brings a key not seen before (a user id, a search
//! string, a URL): the cache gains `rps · 86 400` entries a day and frees none, so the heap
//! grows by `entries · entry_kb` a day until the process runs out of memory and restarts
//! (and every major GC walks all of it). Bounded to `max_entries` (the rewrite evicts the
//! oldest), it holds at most `max_entries · entry_kb`. `entry_kb` defaults to 1 KB: a key
//! plus a small serialised row or object.

use super::{fmt_num, metric, parameter, profile::Value, Profile};

/// Entries a bounded cache keeps in the rewrites.
pub const MAX_ENTRIES: f64 = 1000.0;
/// The default size of one entry, in KB.
pub const ENTRY_KB: f64 = 1.0;

pub fn unbounded_cache(
    profile: &Profile,
    max_entries: Option<f64>,
    entry_kb: Option<f64>,
) -> crate::analysis::Estimate {
    let rps = profile.rps.value.max(0.0);
    let per_day = rps * 86_400.0;
    let max = max_entries.unwrap_or(MAX_ENTRIES).max(0.0);
    let kb = entry_kb.unwrap_or(ENTRY_KB).max(0.0);
    let given = |v: Option<f64>, default: &str| if v.is_some() { "user".to_string() } else { default.to_string() };
    let mb_per_day = per_day * kb / 1000.0;
    let max_mb = max * kb / 1000.0;
    crate::analysis::Estimate {
        model: "memory",
        parameters: vec![
            parameter(&profile.rps, "rps", "requests/s"),
            parameter(&Value { value: max, source: given(max_entries, "the rewrite") }, "max_entries", "entries"),
            parameter(&Value { value: kb, source: given(entry_kb, "default: a key and a small object") }, "entry_kb", "KB"),
        ],
        before: vec![metric("entries_per_day", per_day, "entries"), metric("heap_growth", mb_per_day, "MB/day")],
        after: vec![metric("entries", max, "entries"), metric("heap_growth", 0.0, "MB/day")],
        summary: format!(
            "up to {} new entries (≈{} MB) a day when each request brings a new key, never freed → at most {} entries (≈{} MB)",
            super::complexity::fmt_count(per_day),
            super::complexity::fmt_count(mb_per_day),
            fmt_num(max),
            fmt_num((max_mb * 10.0).round() / 10.0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn grows_with_the_arrival_rate_until_bounded() {
        let p = Profile::for_load(LoadProfile::Medium); // 50 requests/s
        let e = unbounded_cache(&p, None, None);
        assert_eq!(e.before[0].value, 4_320_000.0);
        assert_eq!(e.before[1].value, 4_320.0);
        assert_eq!(e.after[0].value, 1000.0);
        assert!(e.summary.starts_with("up to 4,320,000 new entries (≈4,320 MB) a day"), "{}", e.summary);
        assert!(e.summary.ends_with("at most 1000 entries (≈1 MB)"), "{}", e.summary);
        let e = unbounded_cache(&p, Some(500.0), Some(4.0));
        assert!(e.summary.ends_with("at most 500 entries (≈2 MB)"), "{}", e.summary);
    }
}
