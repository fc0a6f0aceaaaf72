//! The serialization model, for responses written by `JSON.stringify` (`res.json`,
//! `res.send(obj)`, `ctx.body = obj`).
//!
//! `stringify_ms = payload_kb · stringify_us_per_kb / 1000`: serialising is linear in the
//! bytes it writes, and it runs on the event loop, so every request pays it and blocks the
//! others meanwhile. A row's size is the profile's `response_kb / items` (a list response of
//! `items` rows weighs `response_kb`), so `payload_kb = rows · response_kb / items`.
//!
//! A serializer compiled once from a schema (`fast-json-stringify`, Fastify's response
//! schemas) writes the same bytes `speedup` times faster: [`SCHEMA_SPEEDUP`] is the low end of
//! fast-json-stringify's own benchmark (1.4–2.4× on objects of short strings, none on long
//! strings and large arrays; REFERENCES.md), so the estimate never promises the high end.
//! Newer engines narrow the gap: V8 13.8 made `JSON.stringify` more than twice as fast on
//! plain data objects (v8.dev, "How we made JSON.stringify more than twice as fast"), and on
//! such Node.js versions a schema serializer may be no faster (fast-json-stringify issue
//! 782); set `speedup` (`backlens model slow-json-serialization --set speedup=1`) and
//! `stringify_us_per_kb` to what the deployed Node.js measures.

use super::{fmt_num, metric, parameter, profile::Value, Profile};
use crate::analysis::{Estimate, Parameter};

/// fast-json-stringify over `JSON.stringify`, the low end of its measured range.
pub const SCHEMA_SPEEDUP: f64 = 1.4;

/// CPU time to serialise `kb` of JSON at `us_per_kb`, in ms.
pub fn stringify_ms(kb: f64, us_per_kb: f64) -> f64 {
    kb.max(0.0) * us_per_kb.max(0.0) / 1000.0
}

/// The size of one row of a list response, in KB: `response_kb / items`.
pub fn row_kb(profile: &Profile) -> f64 {
    let items = profile.items.value;
    if items > 0.0 {
        profile.response_kb.value.max(0.0) / items
    } else {
        profile.response_kb.value.max(0.0)
    }
}

/// `rows` rows serialised by `JSON.stringify` vs a schema serializer `speedup` times faster
/// (default [`SCHEMA_SPEEDUP`]).
pub fn schema_serializer(profile: &Profile, rows: &Value, speedup: Option<f64>) -> Estimate {
    let speedup_v = speedup.filter(|s| *s > 0.0).unwrap_or(SCHEMA_SPEEDUP);
    let kb = rows.value.max(0.0) * row_kb(profile);
    let before_ms = stringify_ms(kb, profile.stringify_us_per_kb.value);
    let after_ms = before_ms / speedup_v;
    Estimate {
        model: "serialization",
        parameters: vec![
            parameter(rows, "rows", "rows"),
            parameter(&profile.items, "items", "rows"),
            parameter(&profile.response_kb, "response_kb", "KB"),
            parameter(&profile.stringify_us_per_kb, "stringify_us_per_kb", "µs/KB"),
            Parameter {
                name: "speedup",
                value: speedup_v,
                unit: "×",
                source: if speedup.is_some() {
                    "user".into()
                } else {
                    "fast-json-stringify's benchmark, low end (1.4–2.4× on short strings, none on long strings)".into()
                },
            },
        ],
        before: vec![metric("payload", kb, "KB"), metric("cpu_time", before_ms, "ms")],
        after: vec![metric("payload", kb, "KB"), metric("cpu_time", after_ms, "ms")],
        summary: format!(
            "≈{} ms → ≈{} ms of event-loop time per response ({} rows, ≈{} KB of JSON, {}× — up to 2.4× on short strings, none on long ones)",
            fmt_ms(before_ms),
            fmt_ms(after_ms),
            fmt_num(rows.value),
            fmt_num(kb.round()),
            fmt_num(speedup_v)
        ),
    }
}

/// Milliseconds of CPU: two decimals below 10 ms (`2.25`, `0.4`), one above (`22.5`).
pub fn fmt_ms(v: f64) -> String {
    if v >= 10.0 {
        fmt_num((v * 10.0).round() / 10.0)
    } else {
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn payload_times_cost_per_kb() {
        assert_eq!(stringify_ms(450.0, 5.0), 2.25);
        assert_eq!(stringify_ms(-1.0, 5.0), 0.0);
        let p = Profile::for_load(LoadProfile::Medium); // 100 KB for 50 rows: 2 KB a row
        assert_eq!(row_kb(&p), 2.0);
        let rows = Value { value: 200.0, source: "the query's limit".into() };
        let e = schema_serializer(&p, &rows, None);
        assert_eq!(e.before[0].value, 400.0);
        assert_eq!(e.before[1].value, 2.0);
        assert!((e.after[1].value - 2.0 / 1.4).abs() < 1e-9);
        assert_eq!(e.model, "serialization");
        assert!(
            e.summary.starts_with("≈2 ms → ≈1.43 ms of event-loop time per response (200 rows, ≈400 KB"),
            "{}",
            e.summary
        );
        let e = schema_serializer(&p, &rows, Some(2.0));
        assert_eq!(e.after[1].value, 1.0);
        assert_eq!(e.parameters.iter().find(|p| p.name == "speedup").unwrap().source, "user");
    }
}
