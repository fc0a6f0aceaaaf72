//! The complexity model, for in-memory algorithms: operation counts × a per-operation cost.
//!
//! Every collection has the profile's list size `n = items` (the searched/copied/sorted
//! collection too: `m = n`); one operation (a comparison, a hash, a copy of one element)
//! costs `op_ns`. Times are CPU time on the event loop per request.
//!
//! | finding | before | after |
//! |---|---|---|
//! | quadratic lookup | `n · m` comparisons (a linear scan of `m` per item of `n`; `find` stops early on a hit, `filter`, `some` on a miss and `includes` on a miss do not — the worst case is counted) | `m + n` (build a `Map`/`Set` once, one hash lookup per item) |
//! | top-k by full sort | `n · log₂ n` comparisons | `n · log₂ k` (a bounded buffer of `k`; `n` for `k = 1`) |
//! | sort in a loop | `n · m · log₂ m` (the loop's `n` iterations each sort `m`) | `m · log₂ m` (sorted once) |
//! | accumulating spread | `n · (n + 1) / 2` element copies (iteration `i` copies the `i` accumulated so far) | `n` (one write per item) |
//! | JSON deep clone | `2 · s` (serialise every value to a string, parse it back) | `s` (one structured copy) |
//! | overlapping recursion | `2·F(n+1) − 1` calls (the Fibonacci recursion; more self-calls only grow faster), `n = min(items, 30)` | `n + 1` (each sub-problem once, cached) |
//!
//! `log₂` of anything below 2 counts as 1. The savings are CPU time: under the profile's
//! arrival rate `rps` they also occupy the event loop for `saved · rps` per second
//! ([`event_loop_share`]), which is what severity weighs for in-memory work.

use super::{metric, parameter, Profile};
use crate::analysis::Estimate;

/// Operation counts before and after a fix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ops {
    pub before: f64,
    pub after: f64,
}

fn log2(x: f64) -> f64 {
    if x < 2.0 {
        1.0
    } else {
        x.log2()
    }
}

/// A linear search of `m` elements per item of `n` vs a `Map`/`Set` built once.
pub fn lookup_ops(n: f64, m: f64) -> Ops {
    Ops { before: n * m, after: n + m }
}

/// Sorting `n` elements to keep `k` vs a bounded buffer of `k`.
pub fn top_k_ops(n: f64, k: f64) -> Ops {
    let after = if k <= 1.0 { n } else { n * log2(k) };
    Ops { before: n * log2(n), after }
}

/// Sorting `m` elements in each of `n` iterations vs once.
pub fn sort_in_loop_ops(n: f64, m: f64) -> Ops {
    Ops { before: n * m * log2(m), after: m * log2(m) }
}

/// Copying the accumulator in each of `n` iterations vs one write per item.
pub fn accumulating_spread_ops(n: f64) -> Ops {
    Ops { before: n * (n + 1.0) / 2.0, after: n }
}

/// A call doing `m` operations repeated with the same arguments in each of `n` iterations vs
/// called once before the loop.
pub fn invariant_call_ops(n: f64, m: f64) -> Ops {
    Ops { before: n * m, after: m }
}

/// The problem size overlapping recursions are priced at: `min(items, 30)` (fib(30) already
/// makes 2.7 million calls).
pub const MAX_RECURSION_N: f64 = 30.0;

/// Serialising and parsing `s` values vs one structured copy.
pub fn json_clone_ops(s: f64) -> Ops {
    Ops { before: 2.0 * s, after: s }
}

/// A recursion with two overlapping self-calls on a problem of size `n` (at least the
/// Fibonacci count `2·F(n+1) − 1` calls) vs each of the `n + 1` sub-problems solved once.
pub fn overlapping_recursion_ops(n: f64) -> Ops {
    let (mut a, mut b) = (0.0f64, 1.0f64); // F(0), F(1)
    for _ in 0..(n.max(0.0) as u32) {
        (a, b) = (b, a + b);
    }
    // b = F(n+1)
    Ops { before: 2.0 * b - 1.0, after: n + 1.0 }
}

/// The fraction of one event loop that `saved_ms` per request occupies at `rps`.
pub fn event_loop_share(saved_ms: f64, rps: f64) -> f64 {
    saved_ms * rps / 1000.0
}

/// A CPU time in the most readable unit: `850 ns`, `25 µs`, `1.2 ms`, `2.4 s`.
pub fn fmt_time(ns: f64) -> String {
    if ns < 1_000.0 {
        format!("{} ns", super::fmt_num(ns))
    } else if ns < 1_000_000.0 {
        format!("{} µs", super::fmt_num(ns / 1_000.0))
    } else if ns < 1_000_000_000.0 {
        format!("{} ms", super::fmt_num(ns / 1_000_000.0))
    } else {
        format!("{} s", super::fmt_num(ns / 1_000_000_000.0))
    }
}

/// A count with thousands separators: `2,500`.
pub fn fmt_count(v: f64) -> String {
    let v = v.round() as i64;
    let digits = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Prices `ops` with the profile's `op_ns`. `unit` names what is counted ("comparisons",
/// "copies"); `shape` says how the counts came about ("50 × 50 vs 50 + 50").
pub fn estimate(profile: &Profile, ops: Ops, unit: &'static str, shape: &str) -> Estimate {
    let op_ns = profile.op_ns.value.max(0.0);
    let before_ms = ops.before * op_ns / 1e6;
    let after_ms = ops.after * op_ns / 1e6;
    let ratio = if ops.after > 0.0 { ops.before / ops.after } else { 1.0 };
    Estimate {
        model: "complexity",
        parameters: vec![
            parameter(&profile.items, "items", "rows"),
            parameter(&profile.op_ns, "op_ns", "ns"),
            parameter(&profile.rps, "rps", "requests/s"),
        ],
        before: vec![metric("operations", ops.before, unit), metric("cpu_time", before_ms, "ms")],
        after: vec![metric("operations", ops.after, unit), metric("cpu_time", after_ms, "ms")],
        summary: format!(
            "≈{} → ≈{} {unit} ({shape}, {}× fewer); ≈{} → ≈{} of CPU per request",
            fmt_count(ops.before),
            fmt_count(ops.after),
            super::fmt_num((ratio * 10.0).round() / 10.0),
            fmt_time(ops.before * op_ns),
            fmt_time(ops.after * op_ns)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn seeds_thousand_users_lookup_is_hundreds_of_times_cheaper() {
        let ops = lookup_ops(1000.0, 1000.0);
        assert_eq!(ops.before, 1_000_000.0);
        assert_eq!(ops.after, 2_000.0);
        assert!(ops.before / ops.after >= 100.0, "the seed's \"100x for 1000 users\" at least");
        let p = Profile::for_load(LoadProfile::Medium);
        let e = estimate(&p, ops, "comparisons", "1000 × 1000 vs 1000 + 1000");
        assert_eq!(e.before[1].value, 10.0); // 10^6 × 10 ns
        assert_eq!(e.after[1].value, 0.02);
        assert!(e.summary.starts_with("≈1,000,000 → ≈2,000 comparisons"), "{}", e.summary);
        assert!(e.summary.contains("500× fewer"), "{}", e.summary);
        assert!(e.summary.ends_with("≈10 ms → ≈20 µs of CPU per request"), "{}", e.summary);
    }

    #[test]
    fn top_k_counts_n_log_k() {
        let ops = top_k_ops(10_000.0, 10.0);
        assert!((ops.before - 10_000.0 * 10_000f64.log2()).abs() < 1e-6);
        assert!((ops.after - 10_000.0 * 10f64.log2()).abs() < 1e-6);
        assert_eq!(top_k_ops(100.0, 1.0).after, 100.0);
    }

    #[test]
    fn sort_in_loop_and_spread_and_clone() {
        assert_eq!(sort_in_loop_ops(4.0, 8.0), Ops { before: 96.0, after: 24.0 });
        assert_eq!(accumulating_spread_ops(50.0), Ops { before: 1275.0, after: 50.0 });
        assert_eq!(json_clone_ops(50.0), Ops { before: 100.0, after: 50.0 });
        assert_eq!(event_loop_share(2.0, 500.0), 1.0);
        // fib(10) makes 177 calls; fib(30) 2,692,537.
        assert_eq!(overlapping_recursion_ops(10.0), Ops { before: 177.0, after: 11.0 });
        assert_eq!(overlapping_recursion_ops(30.0).before, 2_692_537.0);
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_time(850.0), "850 ns");
        assert_eq!(fmt_time(25_000.0), "25 µs");
        assert_eq!(fmt_time(1_250_000.0), "1.2 ms");
        assert_eq!(fmt_count(1_000_000.0), "1,000,000");
        assert_eq!(fmt_count(999.0), "999");
    }
}
