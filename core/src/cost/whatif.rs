//! What-if evaluation: one rule's cost model with parameters the user gives
//! (`backlens model missing-compression --set response_kb=450 --set compressed_kb=95`).
//! The same model functions price the findings; every rule of `rules::catalog()` has one
//! entry here (a test checks it).
//!
//! A setting is either one of the load profile's parameters the model reads (`items`,
//! `query_ms`, …; see `cost::profile`) or one of the model's own inputs (`parallel`,
//! `compressed_kb`, `latencies_ms`, …), which stand for what a finding reads from the code
//! (the query's limit, the sort's `k`, the blocking call). Unknown rules and parameters are
//! errors that list what exists.

use super::profile::Value;
use super::{
    cache, complexity, connections, coverage, latency, memory, queries, rate_limit, serialization, transfer, Profile,
};
use crate::analysis::{Estimate, Parameter};
use crate::params::LoadProfile;

/// What a model input accepts.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A number ≥ 0.
    Number,
    /// 0 or 1.
    Flag,
    /// Numbers ≥ 0 separated by commas.
    List,
    /// One of the names listed in `help`.
    Name(&'static [&'static str]),
}

/// A model's own input besides the profile's parameters.
struct Extra {
    name: &'static str,
    unit: &'static str,
    kind: Kind,
    help: &'static str,
}

const fn num(name: &'static str, unit: &'static str, help: &'static str) -> Extra {
    Extra { name, unit, kind: Kind::Number, help }
}

const fn flag(name: &'static str, help: &'static str) -> Extra {
    Extra { name, unit: "0|1", kind: Kind::Flag, help }
}

/// The inputs given for one evaluation.
struct Inputs {
    numbers: Vec<(&'static str, f64)>,
    lists: Vec<(&'static str, Vec<f64>)>,
    names: Vec<(&'static str, String)>,
}

impl Inputs {
    fn get(&self, name: &str) -> Option<f64> {
        self.numbers.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
    fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v != 0.0)
    }
    fn list(&self, name: &str) -> Option<&Vec<f64>> {
        self.lists.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    fn name(&self, name: &str) -> Option<&str> {
        self.names.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
    /// A value given by the user, or the default with its source.
    fn value(&self, name: &str, default: f64, source: &str) -> Value {
        match self.get(name) {
            Some(v) => Value { value: v, source: "user".into() },
            None => Value { value: default, source: source.into() },
        }
    }
}

struct Model {
    rule: &'static str,
    /// The profile parameters it reads.
    reads: &'static [&'static str],
    extras: &'static [Extra],
    eval: fn(&Profile, &Inputs) -> Estimate,
}

const BLOCKING_OPS: &[&str] = &[
    "readFileSync",
    "writeFileSync",
    "existsSync",
    "statSync",
    "pbkdf2Sync",
    "scryptSync",
    "hashSync",
    "compareSync",
    "generateKeyPairSync",
    "gzipSync",
    "gunzipSync",
    "brotliCompressSync",
    "execSync",
    "spawnSync",
];

const MODELS: &[Model] = &[
    Model {
        rule: "n-plus-one-query",
        reads: &["items", "query_ms", "pool_size"],
        extras: &[
            flag("parallel", "1 when the per-item queries start together (Promise.all)"),
            flag("writes", "1 for a write per item (→ one bulk write) instead of a read"),
        ],
        eval: |p, i| {
            if i.flag("writes") {
                queries::per_item_writes(p, i.flag("parallel"))
            } else {
                queries::n_plus_one(p, i.flag("parallel"))
            }
        },
    },
    Model {
        rule: "unbounded-query",
        reads: &["items", "response_kb", "bandwidth_mbps", "stringify_us_per_kb"],
        extras: &[num("page", "rows", "the page size of the fix (default 20)")],
        eval: |p, i| transfer::pagination(p, i.get("page")),
    },
    Model {
        rule: "missing-compression",
        reads: &["response_kb", "compression_ratio", "bandwidth_mbps"],
        extras: &[num("compressed_kb", "KB", "the compressed size, when known (else from compression_ratio)")],
        eval: |p, i| transfer::compression(p, i.get("compressed_kb")),
    },
    Model {
        rule: "missing-rate-limit",
        reads: &["rps", "query_ms", "pool_size"],
        extras: &[
            num("limit", "requests", "requests one client may send per window (default 100, the seed's API limit)"),
            num("window_min", "min", "the limiter's window (default 15)"),
            num("service_ms", "ms", "the work one request does (default: 4 × query_ms)"),
        ],
        eval: |p, i| {
            rate_limit::rate_limit(
                p,
                &i.value("limit", 100.0, "default: the seed's API limit"),
                &i.value("window_min", 15.0, "default: the seed's 15-minute window"),
                i.get("service_ms"),
                "the limit",
            )
        },
    },
    Model {
        rule: "slow-json-serialization",
        reads: &["items", "response_kb", "stringify_us_per_kb"],
        extras: &[
            num("rows", "rows", "rows in the response (default: items)"),
            num("speedup", "×", "the schema serializer's speed-up (default 1.4, fast-json-stringify's low end)"),
        ],
        eval: |p, i| {
            let rows = i.value("rows", p.items.value, &format!("items ({})", p.items.source));
            serialization::schema_serializer(p, &rows, i.get("speedup"))
        },
    },
    Model {
        rule: "global-heavy-middleware",
        reads: &["cache_ms", "rps"],
        extras: &[
            num("store_trips", "per request", "session-store or user-lookup round trips (default 1)"),
            num("parsers", "per request", "body, cookie or multipart parsers (default 2)"),
            num("parser_ms", "ms", "one parser's work (default 0.05)"),
        ],
        eval: |p, i| {
            latency::middleware_overhead(
                p,
                i.get("store_trips").unwrap_or(1.0),
                i.get("parsers").unwrap_or(2.0),
                i.get("parser_ms"),
            )
        },
    },
    Model {
        rule: "connection-per-request",
        reads: &["connect_ms", "checkout_ms"],
        extras: &[],
        eval: |p, _| connections::connection_per_request(p),
    },
    Model {
        rule: "missing-metrics",
        reads: &["rps"],
        extras: &[num("routes", "routes", "routes the app serves (default 1)")],
        eval: |p, i| coverage::metrics_coverage(p, i.get("routes").unwrap_or(1.0)),
    },
    Model {
        rule: "quadratic-lookup",
        reads: &["items", "op_ns", "rps"],
        extras: &[num("m", "elements", "the searched array's size (default: items)")],
        eval: |p, i| {
            let n = p.items.value.max(0.0).round();
            let m = i.get("m").unwrap_or(n);
            let shape = format!("n·m = {} × {} vs n + m", super::fmt_num(n), super::fmt_num(m));
            complexity::estimate(p, complexity::lookup_ops(n, m), "comparisons", &shape)
        },
    },
    Model {
        rule: "top-k-full-sort",
        reads: &["items", "op_ns", "rps"],
        extras: &[num("k", "elements", "how many sorted elements are kept (default 10)")],
        eval: |p, i| {
            let n = p.items.value.max(0.0).round();
            let k = i.get("k").unwrap_or(10.0);
            let shape = format!("n log n vs n log k, n = {}, k = {}", super::fmt_num(n), super::fmt_num(k));
            complexity::estimate(p, complexity::top_k_ops(n, k), "comparisons", &shape)
        },
    },
    Model {
        rule: "sort-in-loop",
        reads: &["items", "op_ns", "rps"],
        extras: &[num("m", "elements", "the sorted array's size (default: items)")],
        eval: |p, i| {
            let n = p.items.value.max(0.0).round();
            let m = i.get("m").unwrap_or(n);
            let shape = format!("n · m log m vs m log m, n = {}, m = {}", super::fmt_num(n), super::fmt_num(m));
            complexity::estimate(p, complexity::sort_in_loop_ops(n, m), "comparisons", &shape)
        },
    },
    Model {
        rule: "accumulating-spread",
        reads: &["items", "op_ns", "rps"],
        extras: &[],
        eval: |p, _| {
            let n = p.items.value.max(0.0).round();
            let shape = format!("n(n+1)/2 vs n, n = {}", super::fmt_num(n));
            complexity::estimate(p, complexity::accumulating_spread_ops(n), "copies", &shape)
        },
    },
    Model {
        rule: "json-deep-clone",
        reads: &["items", "op_ns", "rps"],
        extras: &[flag("per_item", "1 when the copy is made once per item of a loop")],
        eval: |p, i| {
            let n = p.items.value.max(0.0).round();
            let mut ops = complexity::json_clone_ops(n);
            let mut shape = format!("2·s vs s, s = {} values", super::fmt_num(n));
            if i.flag("per_item") {
                ops = complexity::Ops { before: ops.before * n, after: ops.after * n };
                shape = format!("{shape}, × {} items", super::fmt_num(n));
            }
            complexity::estimate(p, ops, "value copies", &shape)
        },
    },
    Model {
        rule: "memoization-candidate",
        reads: &["items", "op_ns", "rps"],
        extras: &[flag(
            "loop_call",
            "1 for a pure call repeated in a loop with the same arguments; 0 (default) for an overlapping recursion",
        )],
        eval: |p, i| {
            if i.flag("loop_call") {
                let n = p.items.value.max(0.0).round();
                let shape = format!("n calls × m vs 1 call × m, n = m = {}", super::fmt_num(n));
                complexity::estimate(p, complexity::invariant_call_ops(n, n), "operations", &shape)
            } else {
                let n = p.items.value.max(1.0).round().min(complexity::MAX_RECURSION_N);
                let shape = format!("naive ≥ 2·F(n+1) − 1 calls vs n + 1 sub-problems, n = {}", super::fmt_num(n));
                complexity::estimate(p, complexity::overlapping_recursion_ops(n), "calls", &shape)
            }
        },
    },
    Model {
        rule: "sequential-awaits",
        reads: &["query_ms", "pool_size"],
        extras: &[Extra {
            name: "latencies_ms",
            unit: "ms, comma-separated",
            kind: Kind::List,
            help: "each awaited operation's latency (default: three queries of query_ms)",
        }],
        eval: |p, i| {
            let given = i.list("latencies_ms");
            let list = given.cloned().unwrap_or_else(|| vec![p.query_ms.value; 3]);
            let parts: Vec<latency::Part> = list.iter().map(|&ms| latency::Part { ms, source: "query_ms" }).collect();
            let mut e = latency::parallel_awaits(p, &parts);
            if given.is_some() {
                e.parameters.retain(|p| p.name != "query_ms");
                for &ms in &list {
                    e.parameters.push(Parameter { name: "latencies_ms", value: ms, unit: "ms", source: "user".into() });
                }
            }
            e
        },
    },
    Model {
        rule: "await-in-loop",
        reads: &["items", "http_ms"],
        extras: &[
            num("per_item_ms", "ms", "one awaited call's latency (default: http_ms)"),
            flag("batched", "1 when one batch command (MGET, a pipeline) replaces the calls"),
        ],
        eval: |p, i| {
            let part = match i.get("per_item_ms") {
                Some(ms) => latency::Part { ms, source: "user" },
                None => latency::Part { ms: p.http_ms.value, source: "http_ms" },
            };
            latency::per_item_awaits(p, &part, i.flag("batched"))
        },
    },
    Model {
        rule: "unbounded-parallelism",
        reads: &["items", "http_ms"],
        extras: &[num("per_item_ms", "ms", "one item's I/O latency (default: http_ms)")],
        eval: |p, i| {
            let part = match i.get("per_item_ms") {
                Some(ms) => latency::Part { ms, source: "user" },
                None => latency::Part { ms: p.http_ms.value, source: "http_ms" },
            };
            latency::bounded_fan_out(p, &part)
        },
    },
    Model {
        rule: "blocking-call-in-handler",
        reads: &["rps"],
        extras: &[
            Extra {
                name: "op",
                unit: "name",
                kind: Kind::Name(BLOCKING_OPS),
                help: "the synchronous call (default readFileSync)",
            },
            num("blocked_ms", "ms", "how long it blocks (default: the op's figure in cost::latency)"),
            num("iterations", "iterations", "pbkdf2Sync's iteration count (default 100000)"),
            num("cost", "rounds", "bcrypt's cost factor (default 10)"),
        ],
        eval: |p, i| {
            let op = i.name("op").unwrap_or("readFileSync");
            let blocked =
                i.get("blocked_ms").unwrap_or_else(|| latency::blocking_ms(op, i.get("iterations"), i.get("cost")));
            let off = if matches!(op, "execSync" | "spawnSync") {
                latency::OffLoop::ChildProcess
            } else {
                latency::OffLoop::ThreadPool
            };
            latency::event_loop(p, op, blocked, off)
        },
    },
    Model {
        rule: "cpu-heavy-handler",
        reads: &["rps"],
        extras: &[num("blocked_ms", "ms", "how long one request's loop runs (default 100)")],
        eval: |p, i| {
            let blocked = i.get("blocked_ms").unwrap_or(latency::CPU_LOOP_MS);
            latency::event_loop(p, "a request-sized CPU loop", blocked, latency::OffLoop::Workers)
        },
    },
    Model {
        rule: "missing-response-cache",
        reads: &["hit_rate", "cache_ms", "query_ms"],
        extras: &[
            num("hit_ms", "ms", "latency of a cached response (default: cache_ms)"),
            num("miss_ms", "ms", "latency of an uncached response (default: 4 × query_ms)"),
        ],
        eval: |p, i| {
            let user = |name: &str| i.get(name).map(|value| Value { value, source: "user".into() });
            cache::response_cache(p, user("hit_ms").as_ref(), user("miss_ms").as_ref())
        },
    },
    Model {
        rule: "cache-without-invalidation",
        reads: &["rps"],
        extras: &[
            num("ttl_s", "s", "the cache entry's TTL (default 300, the seed's 5 minutes)"),
            flag("no_ttl", "1 when the cache never expires (a Map without TTL)"),
            num("writes_per_hour", "writes/h", "how often the resource changes (default 1)"),
        ],
        eval: |p, i| {
            let ttl = i.value("ttl_s", 300.0, "default: 5 minutes");
            let ttl = if i.flag("no_ttl") { None } else { Some(&ttl) };
            cache::staleness(p, ttl, i.get("writes_per_hour"), "resource")
        },
    },
    Model {
        rule: "unbounded-memory-cache",
        reads: &["rps"],
        extras: &[
            num("max_entries", "entries", "the bound of the fix (default 1000)"),
            num("entry_kb", "KB", "one entry's size (default 1)"),
        ],
        eval: |p, i| memory::unbounded_cache(p, i.get("max_entries"), i.get("entry_kb")),
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
    out.extend(m.extras.iter().map(|e| match e.kind {
        Kind::Name(names) => format!("{} ({}: {}): {}", e.name, e.unit, names.join(", "), e.help),
        _ => format!("{} ({}): {}", e.name, e.unit, e.help),
    }));
    Some(out)
}

/// Evaluates `rule`'s model under `load` with `settings` (`name`, `value`) applied in order.
pub fn evaluate(rule: &str, load: LoadProfile, settings: &[(String, String)]) -> Result<Estimate, String> {
    let Some(model) = MODELS.iter().find(|m| m.rule == rule) else {
        return Err(format!("no cost model for `{rule}`: expected one of {}", rules().join(", ")));
    };
    let mut profile = Profile::for_load(load);
    let mut inputs = Inputs { numbers: Vec::new(), lists: Vec::new(), names: Vec::new() };
    for (name, value) in settings {
        let name = name.trim();
        let Some(extra) = model.extras.iter().find(|e| e.name == name) else {
            if model.reads.contains(&name) {
                let number: f64 = value
                    .trim()
                    .parse()
                    .map_err(|_| format!("invalid value {value:?} for `{name}`: expected a number"))?;
                profile.set(name, number, "user")?;
                continue;
            }
            let accepted: Vec<&str> = model.reads.iter().copied().chain(model.extras.iter().map(|e| e.name)).collect();
            return Err(format!("`{rule}`'s model has no parameter `{name}`: expected one of {}", accepted.join(", ")));
        };
        match extra.kind {
            Kind::List => {
                let list: Result<Vec<f64>, _> = value.split(',').map(|v| v.trim().parse::<f64>()).collect();
                match list {
                    Ok(l) if !l.is_empty() && l.iter().all(|v| v.is_finite() && *v >= 0.0) => {
                        inputs.lists.push((extra.name, l))
                    }
                    _ => {
                        return Err(format!(
                        "invalid value {value:?} for `{name}`: expected numbers ≥ 0 separated by commas, e.g. 50,80,60"
                    ))
                    }
                }
            }
            Kind::Name(names) => {
                let v = value.trim();
                if !names.contains(&v) {
                    return Err(format!("invalid value {value:?} for `{name}`: expected one of {}", names.join(", ")));
                }
                inputs.names.push((extra.name, v.to_string()));
            }
            Kind::Number | Kind::Flag => {
                let number: f64 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| format!("invalid value {value:?} for `{name}`: expected a number ≥ 0"))?;
                if extra.kind == Kind::Flag && number != 0.0 && number != 1.0 {
                    return Err(format!("invalid value {value:?} for `{name}`: expected 0 or 1"));
                }
                inputs.numbers.push((extra.name, number));
            }
        }
    }
    Ok((model.eval)(&profile, &inputs))
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
        // The seed's 1,000-user lookup: 10⁶ comparisons → 2,000.
        let e = evaluate("quadratic-lookup", LoadProfile::Medium, &set(&[("items", "1000")])).unwrap();
        assert!(e.summary.starts_with("≈1,000,000 → ≈2,000 comparisons"), "{}", e.summary);
    }

    #[test]
    fn every_rule_has_a_model_that_evaluates_with_its_defaults() {
        let catalog = crate::rules::catalog();
        let ids: Vec<&str> = catalog.iter().map(|m| m.id).collect();
        assert_eq!(rules(), ids, "one model per rule, in the catalog's order");
        for m in &catalog {
            for load in [LoadProfile::Low, LoadProfile::Medium, LoadProfile::High] {
                let e = evaluate(m.id, load, &[]).unwrap();
                assert_eq!(e.model, m.model, "{}: the rule's findings and its what-if use the same model", m.id);
                assert!(!e.summary.is_empty() && !e.before.is_empty() && !e.after.is_empty(), "{}", m.id);
                let values =
                    e.before.iter().chain(&e.after).map(|x| x.value).chain(e.parameters.iter().map(|p| p.value));
                for v in values {
                    assert!(v.is_finite(), "{}: {v}", m.id);
                }
            }
            assert!(!describe(m.id).unwrap().is_empty(), "{}", m.id);
        }
    }

    #[test]
    fn the_new_models_follow_their_inputs() {
        // Rate limit: 100 requests per 15 minutes instead of 3,000 a minute.
        let e = evaluate("missing-rate-limit", LoadProfile::Medium, &set(&[("limit", "100"), ("window_min", "15")]))
            .unwrap();
        assert!((e.after[0].value - 100.0 / 15.0).abs() < 1e-9);
        // Serialization: twice the rows, twice the time.
        let a = evaluate("slow-json-serialization", LoadProfile::Medium, &set(&[("rows", "100")])).unwrap();
        let b = evaluate("slow-json-serialization", LoadProfile::Medium, &set(&[("rows", "200")])).unwrap();
        assert!((b.before[1].value - 2.0 * a.before[1].value).abs() < 1e-9);
        // Staleness: a longer TTL, a longer stale window.
        let e = evaluate("cache-without-invalidation", LoadProfile::Medium, &set(&[("ttl_s", "60")])).unwrap();
        assert_eq!(e.before[0].value, 60.0);
        let e = evaluate("cache-without-invalidation", LoadProfile::Medium, &set(&[("no_ttl", "1")])).unwrap();
        assert!(e.summary.contains("until the process restarts"), "{}", e.summary);
        let e = evaluate("blocking-call-in-handler", LoadProfile::High, &set(&[("op", "pbkdf2Sync")])).unwrap();
        assert!(e.summary.contains("saturated"), "{}", e.summary);
        let e = evaluate("unbounded-query", LoadProfile::High, &set(&[("page", "50")])).unwrap();
        assert_eq!(e.after[0].value, 50.0);
    }

    #[test]
    fn unknown_rules_and_parameters_list_what_exists() {
        let e = evaluate("fast-code", LoadProfile::Medium, &[]).unwrap_err();
        assert!(e.contains("expected one of n-plus-one-query, unbounded-query, missing-compression"), "{e}");
        assert!(e.contains("unbounded-memory-cache"), "{e}");
        let e = evaluate("missing-compression", LoadProfile::Medium, &set(&[("items", "3")])).unwrap_err();
        assert!(
            e.contains("has no parameter `items`") && e.contains("response_kb") && e.contains("compressed_kb"),
            "{e}"
        );
        assert!(evaluate("n-plus-one-query", LoadProfile::Medium, &set(&[("items", "lots")])).is_err());
        let e = evaluate("n-plus-one-query", LoadProfile::Medium, &set(&[("parallel", "2")])).unwrap_err();
        assert!(e.contains("expected 0 or 1"), "{e}");
        let e = evaluate("blocking-call-in-handler", LoadProfile::Medium, &set(&[("op", "sleep")])).unwrap_err();
        assert!(e.contains("pbkdf2Sync"), "{e}");
        let e = evaluate("top-k-full-sort", LoadProfile::Medium, &set(&[("k", "-1")])).unwrap_err();
        assert!(e.contains("a number ≥ 0"), "{e}");
    }
}
