//! The transfer models: responses sent without compression ([`compression`]) and whole
//! tables sent where a page would do ([`pagination`]).
//!
//! `time_ms = size_kb · 8 / bandwidth_mbps` (1 KB = 1,000 bytes, 1 Mbit/s = 10⁶ bit/s): the
//! seed's 450 KB on 20 Mbit/s take 180 ms. Compressed, the response keeps
//! `1 − compression_ratio` of its bytes (gzip-6 leaves ≈17–22 % of a JSON list), unless the
//! compressed size is given. Compression's own CPU cost (≈1–5 ms per 100 KB at level 6) is
//! a trade-off the report names, not part of this figure.
//!
//! **Pagination**: a list query without a limit returns `items` rows weighing `response_kb`
//! (and grows with the table); a page of `page` rows (the rewrites use 20) weighs
//! `response_kb · page / items`. Both are priced by transfer time and by the serialization
//! model's `JSON.stringify` CPU time (`cost::serialization`), which the event loop pays per
//! request.

use super::{fmt_num, metric, Profile};
use crate::analysis::{Estimate, Parameter};

/// Transfer time of `size_kb` over `bandwidth_mbps`, in ms.
pub fn transfer_ms(size_kb: f64, bandwidth_mbps: f64) -> f64 {
    size_kb.max(0.0) * 8.0 / bandwidth_mbps.max(1e-9)
}

/// Before/after compression; `compressed_kb` overrides the ratio when known.
pub fn compression(profile: &Profile, compressed_kb: Option<f64>) -> Estimate {
    let kb = profile.response_kb.value;
    let mbps = profile.bandwidth_mbps.value;
    let after_kb = compressed_kb.unwrap_or(kb * (1.0 - profile.compression_ratio.value));
    let (before_ms, after_ms) = (transfer_ms(kb, mbps), transfer_ms(after_kb, mbps));
    let saved = if kb > 0.0 { (1.0 - after_kb / kb) * 100.0 } else { 0.0 };
    let mut parameters = vec![
        super::parameter(&profile.response_kb, "response_kb", "KB"),
        super::parameter(&profile.bandwidth_mbps, "bandwidth_mbps", "Mbit/s"),
    ];
    match compressed_kb {
        Some(v) => parameters.push(Parameter { name: "compressed_kb", value: v, unit: "KB", source: "user".into() }),
        None => parameters.push(super::parameter(&profile.compression_ratio, "compression_ratio", "share")),
    }
    Estimate {
        model: "transfer",
        parameters,
        before: vec![metric("response_size", kb, "KB"), metric("transfer_time", before_ms, "ms")],
        after: vec![metric("response_size", after_kb, "KB"), metric("transfer_time", after_ms, "ms")],
        summary: format!(
            "{} KB → {} KB per response ({}% less bandwidth); ≈{} ms → ≈{} ms on {} Mbit/s",
            fmt_num(kb),
            fmt_num(after_kb),
            fmt_num((saved * 10.0).round() / 10.0),
            fmt_num(before_ms),
            fmt_num(after_ms),
            fmt_num(mbps)
        ),
    }
}

/// The page size the pagination rewrites use.
pub const PAGE: f64 = 20.0;

/// A whole list (`items` rows, `response_kb`) vs a page of `page` rows (default [`PAGE`]).
pub fn pagination(profile: &Profile, page: Option<f64>) -> Estimate {
    let rows = profile.items.value.max(0.0);
    let page_v = page.unwrap_or(PAGE).max(0.0);
    let page_rows = page_v.min(rows);
    let kb = profile.response_kb.value.max(0.0);
    let after_kb = if rows > 0.0 { kb * page_rows / rows } else { kb };
    let mbps = profile.bandwidth_mbps.value;
    let (before_ms, after_ms) = (transfer_ms(kb, mbps), transfer_ms(after_kb, mbps));
    let us = profile.stringify_us_per_kb.value;
    let (cpu_before, cpu_after) =
        (super::serialization::stringify_ms(kb, us), super::serialization::stringify_ms(after_kb, us));
    let r1 = |v: f64| fmt_num((v * 10.0).round() / 10.0);
    let r2 = super::serialization::fmt_ms;
    Estimate {
        model: "transfer",
        parameters: vec![
            super::parameter(&profile.items, "items", "rows"),
            Parameter {
                name: "page",
                value: page_v,
                unit: "rows",
                source: if page.is_some() { "user".into() } else { "rewrite".into() },
            },
            super::parameter(&profile.response_kb, "response_kb", "KB"),
            super::parameter(&profile.bandwidth_mbps, "bandwidth_mbps", "Mbit/s"),
            super::parameter(&profile.stringify_us_per_kb, "stringify_us_per_kb", "µs/KB"),
        ],
        before: vec![
            metric("rows", rows, "rows"),
            metric("response_size", kb, "KB"),
            metric("transfer_time", before_ms, "ms"),
            metric("serialize_time", cpu_before, "ms"),
        ],
        after: vec![
            metric("rows", page_rows, "rows"),
            metric("response_size", after_kb, "KB"),
            metric("transfer_time", after_ms, "ms"),
            metric("serialize_time", cpu_after, "ms"),
        ],
        summary: format!(
            "{} rows → {} per response (and growing with the table before the fix); {} KB → {} KB, ≈{} ms → ≈{} ms on {} Mbit/s, ≈{} ms → ≈{} ms of JSON.stringify",
            fmt_num(rows),
            fmt_num(page_rows),
            r1(kb),
            r1(after_kb),
            r1(before_ms),
            r1(after_ms),
            fmt_num(mbps),
            r2(cpu_before),
            r2(cpu_after)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn seeds_figures_450_kb_on_20_mbps() {
        let mut p = Profile::for_load(LoadProfile::Medium);
        p.response_kb.value = 450.0;
        p.bandwidth_mbps.value = 20.0;
        let e = compression(&p, Some(95.0));
        assert_eq!(e.before[1].value, 180.0);
        assert_eq!(e.after[1].value, 38.0);
        assert!(
            e.summary.contains("450 KB → 95 KB per response (78.9% less bandwidth); ≈180 ms → ≈38 ms"),
            "{}",
            e.summary
        );
    }

    #[test]
    fn a_page_instead_of_the_whole_table() {
        let p = Profile::for_load(LoadProfile::High); // 200 rows, 450 KB, 20 Mbit/s
        let e = pagination(&p, None);
        assert_eq!(e.after[0].value, 20.0);
        assert_eq!(e.after[1].value, 45.0);
        assert_eq!(e.before[2].value, 180.0);
        assert_eq!(e.after[2].value, 18.0);
        assert_eq!(e.before[3].value, 2.25);
        assert!(e.summary.starts_with("200 rows → 20 per response"), "{}", e.summary);
        assert!(e.summary.ends_with("≈2.25 ms → ≈0.23 ms of JSON.stringify"), "{}", e.summary);
        // A page larger than the list keeps the list.
        assert_eq!(pagination(&p, Some(500.0)).after[0].value, 200.0);
    }
}
