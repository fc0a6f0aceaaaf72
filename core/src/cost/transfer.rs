//! The transfer model, for responses sent without compression.
//!
//! `time_ms = size_kb · 8 / bandwidth_mbps` (1 KB = 1,000 bytes, 1 Mbit/s = 10⁶ bit/s): the
//! seed's 450 KB on 20 Mbit/s take 180 ms. Compressed, the response keeps
//! `1 − compression_ratio` of its bytes (gzip-6 leaves ≈17–22 % of a JSON list), unless the
//! compressed size is given. Compression's own CPU cost (≈1–5 ms per 100 KB at level 6) is
//! a trade-off the report names, not part of this figure.

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
}
