//! What-if evaluation: one rule's cost model with parameters the user gives
//! (`backlens model missing-compression --set response_kb=450 --set compressed_kb=95`).
//! The same model functions price the findings.

use super::{cache, connections, latency, queries, transfer, Profile};
use crate::analysis::Estimate;
use crate::params::LoadProfile;

/// A model's own inputs besides the profile's parameters.
struct Extra {
    name: &'static str,
    unit: &'static str,
    help: &'static str,
}

struct Model {
    rule: &'static str,
    /// The profile parameters it reads.
    reads: &'static [&'static str],
    extras: &'static [Extra],
}

const MODELS: &[Model] = &[
    Model {
        rule: "n-plus-one-query",
        reads: &["items", "query_ms", "pool_size"],
        extras: &[Extra {
            name: "parallel",
            unit: "0|1",
            help: "1 when the per-item queries start together (Promise.all)",
        }],
    },
    Model {
        rule: "missing-compression",
        reads: &["response_kb", "compression_ratio", "bandwidth_mbps"],
        extras: &[Extra {
            name: "compressed_kb",
            unit: "KB",
            help: "the compressed size, when known (else from compression_ratio)",
        }],
    },
    Model {
        rule: "missing-response-cache",
        reads: &["hit_rate", "cache_ms", "query_ms"],
        extras: &[
            Extra { name: "hit_ms", unit: "ms", help: "latency of a cached response (default: cache_ms)" },
            Extra { name: "miss_ms", unit: "ms", help: "latency of an uncached response (default: 4 × query_ms)" },
        ],
    },
    Model { rule: "connection-per-request", reads: &["connect_ms", "checkout_ms"], extras: &[] },
    Model {
        rule: "sequential-awaits",
        reads: &["query_ms", "pool_size"],
        extras: &[Extra {
            name: "latencies_ms",
            unit: "ms, comma-separated",
            help: "each awaited operation's latency (default: three queries of query_ms)",
        }],
    },
];

/// The rules that have a what-if model.
pub fn rules() -> Vec<&'static str> {
    MODELS.iter().map(|m| m.rule).collect()
}

/// One line per parameter a rule's model accepts, for help and errors.
pub fn describe(rule: &str) -> Option<Vec<String>> {
    let m = MODELS.iter().find(|m| m.rule == rule)?;
    let profile = Profile::for_load(LoadProfile::Medium);
    let mut out: Vec<String> = profile
        .parameters()
        .iter()
        .filter(|(n, _, _)| m.reads.contains(n))
        .map(|(n, v, unit)| format!("{n} ({unit}; medium profile: {})", super::fmt_num(v.value)))
        .collect();
    out.extend(m.extras.iter().map(|e| format!("{} ({}): {}", e.name, e.unit, e.help)));
    Some(out)
}

/// Evaluates `rule`'s model under `load` with `settings` (`name`, `value`) applied.
pub fn evaluate(rule: &str, load: LoadProfile, settings: &[(String, String)]) -> Result<Estimate, String> {
    let Some(model) = MODELS.iter().find(|m| m.rule == rule) else {
        return Err(format!("no cost model for `{rule}`: expected one of {}", rules().join(", ")));
    };
    let mut profile = Profile::for_load(load);
    let mut extras: Vec<(&str, f64)> = Vec::new();
    let mut latencies: Option<Vec<f64>> = None;
    for (name, value) in settings {
        if name == "latencies_ms" && model.extras.iter().any(|e| e.name == "latencies_ms") {
            let list: Result<Vec<f64>, _> = value.split(',').map(|v| v.trim().parse::<f64>()).collect();
            match list {
                Ok(l) if !l.is_empty() && l.iter().all(|v| v.is_finite() && *v >= 0.0) => latencies = Some(l),
                _ => {
                    return Err(format!(
                        "invalid value {value:?} for `latencies_ms`: expected numbers ≥ 0 separated by commas, e.g. 50,80,60"
                    ))
                }
            }
            continue;
        }
        let number: f64 =
            value.trim().parse().map_err(|_| format!("invalid value {value:?} for `{name}`: expected a number"))?;
        if let Some(extra) = model.extras.iter().find(|e| e.name == name) {
            extras.push((extra.name, number));
        } else if model.reads.contains(&name.as_str()) {
            profile.set(name, number, "user")?;
        } else {
            let accepted: Vec<&str> = model.reads.iter().copied().chain(model.extras.iter().map(|e| e.name)).collect();
            return Err(format!("`{rule}`'s model has no parameter `{name}`: expected one of {}", accepted.join(", ")));
        }
    }
    let extra = |name: &str| extras.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| *v);
    Ok(match rule {
        "n-plus-one-query" => queries::n_plus_one(&profile, extra("parallel").is_some_and(|v| v != 0.0)),
        "missing-compression" => transfer::compression(&profile, extra("compressed_kb")),
        "missing-response-cache" => cache::response_cache(&profile, extra("hit_ms"), extra("miss_ms")),
        "connection-per-request" => connections::connection_per_request(&profile),
        "sequential-awaits" => {
            let given = latencies.is_some();
            let list = latencies.unwrap_or_else(|| vec![profile.query_ms.value; 3]);
            let parts: Vec<latency::Part> = list.iter().map(|&ms| latency::Part { ms, source: "query_ms" }).collect();
            let mut e = latency::parallel_awaits(&profile, &parts);
            if given {
                e.parameters.retain(|p| p.name != "query_ms");
                for &ms in &list {
                    e.parameters.push(crate::analysis::Parameter {
                        name: "latencies_ms",
                        value: ms,
                        unit: "ms",
                        source: "user".into(),
                    });
                }
            }
            e
        }
        _ => unreachable!("every model in MODELS is evaluated above"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn reproduces_the_seeds_figures() {
        let e = evaluate("n-plus-one-query", LoadProfile::Medium, &set(&[("items", "50")])).unwrap();
        assert!(e.summary.starts_with("51 queries → 2 (batched) or 1 (join)"), "{}", e.summary);
        let e = evaluate(
            "missing-compression",
            LoadProfile::Medium,
            &set(&[("response_kb", "450"), ("compressed_kb", "95"), ("bandwidth_mbps", "20")]),
        )
        .unwrap();
        assert!(e.summary.contains("≈180 ms → ≈38 ms"), "{}", e.summary);
        let e = evaluate("missing-response-cache", LoadProfile::Medium, &set(&[("hit_rate", "0.82")])).unwrap();
        assert!(e.summary.starts_with("82% less database load"), "{}", e.summary);
        let e = evaluate(
            "connection-per-request",
            LoadProfile::Medium,
            &set(&[("connect_ms", "50"), ("checkout_ms", "0.5")]),
        )
        .unwrap();
        assert!(e.summary.starts_with("≈50 ms → ≈0.5 ms"), "{}", e.summary);
        let e = evaluate("sequential-awaits", LoadProfile::Medium, &set(&[("latencies_ms", "50,80,60")])).unwrap();
        assert!(e.summary.contains("≈190 ms → together ≈80 ms (57.9 % faster)"), "{}", e.summary);
        assert!(evaluate("sequential-awaits", LoadProfile::Medium, &set(&[("latencies_ms", "50,x")])).is_err());
    }

    #[test]
    fn unknown_rules_and_parameters_list_what_exists() {
        let e = evaluate("fast-code", LoadProfile::Medium, &[]).unwrap_err();
        assert!(e.contains("expected one of n-plus-one-query, missing-compression"), "{e}");
        let e = evaluate("missing-compression", LoadProfile::Medium, &set(&[("items", "3")])).unwrap_err();
        assert!(
            e.contains("has no parameter `items`") && e.contains("response_kb") && e.contains("compressed_kb"),
            "{e}"
        );
        assert!(evaluate("n-plus-one-query", LoadProfile::Medium, &set(&[("items", "lots")])).is_err());
    }
}
