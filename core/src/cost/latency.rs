//! The latency and event-loop models of the concurrency rules.
//!
//! **Awaits one after another vs together** (`sequential-awaits`, `await-in-loop`):
//! sequential = the sum of the parts; parallel = the longest part, bounded by the pool that
//! serves them: with more parts than the pool has connections, the parts queue and the
//! makespan is that of `pool` lanes filled longest-first. Per-call latencies come from the
//! profile (`query_ms`, `http_ms`, `cache_ms`) or, for the file system, [`FS_MS`]. Fed the
//! seed's 50, 80 and 60 ms queries: 190 ms → 80 ms, 57.9 % faster.
//!
//! **Event-loop blocking** (`blocking-call-in-handler`): Node runs JavaScript on one thread.
//! A synchronous call that takes `b` ms blocks every other request for `b` ms, so the process
//! can serve at most `1000 / b` requests per second, and at `rps` requests per second the
//! call alone takes `rps · b / 1000` of the event loop (≥ 100 %: saturated — requests queue
//! without bound). Its asynchronous form runs on libuv's thread pool (crypto, zlib, fs; 4
//! threads by default, `UV_THREADPOOL_SIZE`, Node.js docs "Don't block the event loop") or in
//! a child process (`exec`), and leaves the event loop free: capacity `threads · 1000 / b`.
//!
//! The blocking times per operation are order-of-magnitude defaults for a small input on a
//! server core, stated with their basis in [`blocking_ms`]; they are model inputs, not
//! measurements of the user's code.

use super::{fmt_num, metric, parameter, profile::Value, Profile};
use crate::analysis::{Estimate, Parameter};

/// One small-file read or `stat` that hits the page cache ≈ 0.05–1 ms; 0.5 ms is the
/// middle of the range (the brief's 0.1–1 ms for a small file).
pub const FS_MS: f64 = 0.5;

/// libuv's default thread-pool size (Node.js docs, `UV_THREADPOOL_SIZE`, default 4).
pub const THREADPOOL: f64 = 4.0;

/// A concurrency bound suggested for per-item work (`p-limit`/`p-map`): 10, the same as the
/// node-postgres pool default, so one request never opens more than a handful of sockets.
pub const CONCURRENCY: f64 = 10.0;

/// How long a request-sized CPU loop is assumed to block the event loop, in ms: a loop over
/// a size the client chooses has no upper bound in the code; 100 ms is what ≈10⁷ simple
/// iterations take, the size of a large export or report.
pub const CPU_LOOP_MS: f64 = 100.0;

/// Header, cookie and small-body parsing by one middleware, in ms: tens of microseconds.
pub const PARSER_MS: f64 = 0.05;

/// Heavy middleware (session stores, passport's user lookup, body and cookie parsers) run for
/// light requests that need none of it: each store round trip costs `cache_ms` (a Redis
/// session store), each parser `parser_ms` ([`PARSER_MS`]); the fix (a public router mounted
/// first) takes all of it off those requests.
pub fn middleware_overhead(profile: &Profile, store_trips: f64, parsers: f64, parser_ms: Option<f64>) -> Estimate {
    let per_parser = parser_ms.unwrap_or(PARSER_MS).max(0.0);
    let wasted = store_trips.max(0.0) * profile.cache_ms.value.max(0.0) + parsers.max(0.0) * per_parser;
    let rps = profile.rps.value.max(0.0);
    Estimate {
        model: "latency",
        parameters: vec![
            parameter(&profile.cache_ms, "cache_ms", "ms"),
            parameter(
                &default_value(
                    per_parser,
                    if parser_ms.is_some() { "user" } else { "default: header and small-body parsing" },
                ),
                "parser_ms",
                "ms",
            ),
            parameter(&profile.rps, "rps", "requests/s"),
        ],
        before: vec![metric("overhead", wasted, "ms"), metric("store_round_trips", store_trips, "per request")],
        after: vec![metric("overhead", 0.0, "ms"), metric("store_round_trips", 0.0, "per request")],
        summary: format!(
            "≈{} ms of middleware per light request (round trips to a session store or user lookup: {}; parsers: {}) → 0{}",
            fmt_num((wasted * 100.0).round() / 100.0),
            fmt_num(store_trips),
            fmt_num(parsers),
            if store_trips > 0.0 {
                format!("; ≈{} store round trips a second at {} requests/s", fmt_num((store_trips * rps).round()), fmt_num(rps))
            } else {
                String::new()
            }
        ),
    }
}

/// How long a synchronous library call blocks the event loop, in ms, with its basis.
///
/// | op | ms | basis |
/// |---|---|---|
/// | `pbkdf2Sync` | 50 per 100 000 iterations | SHA-512, one core: ≈ 0.5 µs per iteration |
/// | `scryptSync` | 50 | Node's defaults N=16384, r=8: 16 MiB of memory work |
/// | `hashSync`, `compareSync` (bcrypt) | 100 at cost 10, ×2 per cost step | bcrypt's README: "rounds=10: ~10 hashes/sec" on a 2 GHz core |
/// | `generateKeyPairSync` | 100 | RSA-2048 prime search, tens to hundreds of ms |
/// | `generatePrimeSync` | 50 | the same search, one prime |
/// | `gzipSync`, `deflateSync`, `brotliCompressSync` … | 2 | ≈ 100 KB of JSON at gzip level 6 |
/// | `gunzipSync`, `inflateSync`, `brotliDecompressSync` … | 0.5 | decompression is ≈ 4× faster |
/// | `execSync`, `execFileSync`, `spawnSync` | 10 | fork + exec of a short command, before the command's own run time |
/// | `fs.*Sync` reads and writes | [`FS_MS`] | a small file in the page cache |
/// | `existsSync`, `statSync`, `accessSync` | 0.05 | one `stat` system call |
pub fn blocking_ms(op: &str, iterations: Option<f64>, cost: Option<f64>) -> f64 {
    match op {
        "pbkdf2Sync" => 50.0 * iterations.unwrap_or(100_000.0) / 100_000.0,
        "scryptSync" => 50.0,
        "hashSync" | "compareSync" => 100.0 * 2f64.powf(cost.unwrap_or(10.0) - 10.0),
        "generateKeyPairSync" => 100.0,
        "generatePrimeSync" => 50.0,
        "gzipSync" | "deflateSync" | "deflateRawSync" | "brotliCompressSync" => 2.0,
        "gunzipSync" | "inflateSync" | "inflateRawSync" | "unzipSync" | "brotliDecompressSync" => 0.5,
        "execSync" | "execFileSync" | "spawnSync" => 10.0,
        "existsSync" | "statSync" | "lstatSync" | "accessSync" => 0.05,
        _ => FS_MS,
    }
}

/// Milliseconds for display: one decimal from 1 ms up, two significant decimals below.
pub fn fmt_ms(v: f64) -> String {
    if v >= 1.0 || v == 0.0 {
        fmt_num(v)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// Sequential (sum) and parallel (makespan on `pool` lanes, longest first) time of parts
/// that could run together.
pub fn sequential_vs_parallel(latencies_ms: &[f64], pool: usize) -> (f64, f64) {
    let sequential: f64 = latencies_ms.iter().sum();
    let mut sorted: Vec<f64> = latencies_ms.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let mut lanes = vec![0.0f64; pool.max(1).min(sorted.len().max(1))];
    for part in sorted {
        // The lane that frees up first takes the next-longest part.
        let lane = lanes.iter_mut().min_by(|a, b| a.total_cmp(b)).expect("at least one lane");
        *lane += part;
    }
    let parallel = lanes.into_iter().fold(0.0, f64::max);
    (sequential, parallel)
}

/// What share of the time is saved, in percent (one decimal).
pub fn saving_percent(before: f64, after: f64) -> f64 {
    if before <= 0.0 {
        return 0.0;
    }
    ((before - after) / before * 1000.0).round() / 10.0
}

fn default_value(value: f64, source: &str) -> Value {
    Value { value, source: source.to_string() }
}

/// A part of a group of awaits: its latency and the profile parameter it came from.
#[derive(Clone, Debug)]
pub struct Part {
    pub ms: f64,
    /// `query_ms`, `http_ms`, `cache_ms`, `fs_ms`, or `helper` (a user function: the sum of
    /// the I/O it reaches).
    pub source: &'static str,
}

fn part_parameters(profile: &Profile, parts: &[Part], with_pool: bool) -> Vec<Parameter> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for p in parts {
        if seen.contains(&p.source) {
            continue;
        }
        seen.push(p.source);
        match p.source {
            "query_ms" => out.push(parameter(&profile.query_ms, "query_ms", "ms")),
            "http_ms" => out.push(parameter(&profile.http_ms, "http_ms", "ms")),
            "cache_ms" => out.push(parameter(&profile.cache_ms, "cache_ms", "ms")),
            "fs_ms" => {
                out.push(parameter(&default_value(FS_MS, "default: small file in the page cache"), "fs_ms", "ms"))
            }
            _ => {}
        }
    }
    if with_pool {
        out.push(parameter(&profile.pool_size, "pool_size", "connections"));
    }
    out
}

/// Independent awaits one after another vs together in `Promise.all`.
pub fn parallel_awaits(profile: &Profile, parts: &[Part]) -> Estimate {
    let latencies: Vec<f64> = parts.iter().map(|p| p.ms).collect();
    let pool = profile.pool_size.value.max(1.0) as usize;
    let (before, after) = sequential_vs_parallel(&latencies, pool);
    let percent = saving_percent(before, after);
    Estimate {
        model: "latency",
        parameters: part_parameters(profile, parts, parts.len() > pool),
        before: vec![metric("latency", before, "ms"), metric("awaits_in_sequence", parts.len() as f64, "awaits")],
        after: vec![metric("latency", after, "ms"), metric("awaits_in_sequence", 1.0, "awaits")],
        summary: format!(
            "{} awaits in sequence ≈{} ms → together ≈{} ms ({} % faster)",
            parts.len(),
            fmt_num(before),
            fmt_num(after),
            fmt_num(percent)
        ),
    }
}

/// N per-item awaits one after another vs a bounded `Promise.all` (`CONCURRENCY` at a time),
/// or one batch command (`batched`: MGET, a pipeline) that costs one round trip.
pub fn per_item_awaits(profile: &Profile, part: &Part, batched: bool) -> Estimate {
    let n = profile.items.value.max(0.0).round();
    let before = n * part.ms;
    let after = if batched { part.ms } else { (n / CONCURRENCY).ceil() * part.ms };
    let mut parameters = vec![parameter(&profile.items, "items", "items")];
    parameters.extend(part_parameters(profile, std::slice::from_ref(part), false));
    if !batched {
        parameters.push(parameter(&default_value(CONCURRENCY, "default: p-limit bound"), "concurrency", "in flight"));
    }
    let how = if batched { "one batch command".to_string() } else { format!("{} at a time", fmt_num(CONCURRENCY)) };
    Estimate {
        model: "latency",
        parameters,
        before: vec![metric("latency", before, "ms"), metric("awaits_in_sequence", n, "awaits")],
        after: vec![
            metric("latency", after, "ms"),
            metric("awaits_in_sequence", if batched { 1.0 } else { (n / CONCURRENCY).ceil() }, "awaits"),
        ],
        summary: format!(
            "{} awaits in sequence ≈{} ms → {how} ≈{} ms ({} % faster)",
            fmt_num(n),
            fmt_num(before),
            fmt_num(after),
            fmt_num(saving_percent(before, after))
        ),
    }
}

/// A fan-out over N items (`Promise.all(items.map(…))`): unbounded, all N are in flight at
/// once and the request takes one item's latency; bounded to `CONCURRENCY`, at most that many
/// are in flight and it takes `⌈N / CONCURRENCY⌉` rounds. The bound costs latency and buys a
/// peak that no longer grows with the input (sockets, memory, the remote's rate limit).
pub fn bounded_fan_out(profile: &Profile, part: &Part) -> Estimate {
    let n = profile.items.value.max(0.0).round();
    let bound = CONCURRENCY.min(n.max(1.0));
    let t = part.ms;
    let after_ms = (n / CONCURRENCY).ceil() * t;
    let mut parameters = vec![parameter(&profile.items, "items", "items")];
    parameters.push(parameter(&Value { value: t, source: format!("profile {}", part.source) }, "per_item_ms", "ms"));
    parameters.push(parameter(
        &Value { value: CONCURRENCY, source: "default: p-limit bound".into() },
        "concurrency",
        "in flight",
    ));
    Estimate {
        model: "latency",
        parameters,
        before: vec![metric("peak_in_flight", n, "requests"), metric("latency", t, "ms")],
        after: vec![metric("peak_in_flight", bound, "requests"), metric("latency", after_ms, "ms")],
        summary: format!(
            "{} requests in flight at once per request (unbounded: grows with the input) → at most {}; latency ≈{} ms → ≈{} ms, the price of the bound",
            fmt_num(n),
            fmt_num(bound),
            fmt_num(t),
            fmt_num(after_ms)
        ),
    }
}

/// Where the work goes once it leaves the event loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffLoop {
    /// libuv's thread pool (crypto, zlib, fs): `THREADPOOL` threads.
    ThreadPool,
    /// Worker threads (`worker_threads`, piscina): modelled as `THREADPOOL` workers.
    Workers,
    /// Another process (`exec`): the event loop only waits.
    ChildProcess,
}

/// The share of the event loop a blocking call takes at the profile's arrival rate, and the
/// throughput it caps the process at; after the fix, the work runs `off` the event loop.
pub fn event_loop(profile: &Profile, op: &str, blocked_ms: f64, off: OffLoop) -> Estimate {
    let pooled = off != OffLoop::ChildProcess;
    let rps = profile.rps.value.max(0.0);
    let b = blocked_ms.max(1e-6);
    let share = rps * b / 1000.0;
    let cap = 1000.0 / b;
    let parameters = vec![
        parameter(&profile.rps, "rps", "requests/s"),
        parameter(&default_value(blocked_ms, &format!("default for {op} (cost::latency)")), "blocked_ms", "ms"),
    ];
    let mut parameters = parameters;
    let after_cap = if pooled {
        let (source, name) = match off {
            OffLoop::Workers => ("default: 4 worker threads (a small server's cores)", "workers"),
            _ => ("default: UV_THREADPOOL_SIZE", "threadpool"),
        };
        parameters.push(parameter(&default_value(THREADPOOL, source), name, "threads"));
        THREADPOOL * cap
    } else {
        f64::INFINITY
    };
    let state = if share >= 1.0 {
        format!("saturated at {} requests/s", fmt_num(rps))
    } else {
        format!("{} % of the event loop at {} requests/s", fmt_num((share * 1000.0).round() / 10.0), fmt_num(rps))
    };
    let after = if pooled {
        let place = if off == OffLoop::Workers { "on 4 worker threads" } else { "on the thread pool" };
        format!("≈{} requests/s {place}, event loop free", fmt_num(after_cap.round()))
    } else {
        "event loop free while the child process runs".to_string()
    };
    let mut after_metrics = vec![metric("event_loop_blocked", 0.0, "ms"), metric("event_loop_share", 0.0, "%")];
    if after_cap.is_finite() {
        after_metrics.push(metric("max_rps", after_cap.round(), "requests/s"));
    }
    Estimate {
        model: "latency",
        parameters,
        before: vec![
            metric("event_loop_blocked", blocked_ms, "ms"),
            metric("event_loop_share", (share * 1000.0).round() / 10.0, "%"),
            metric("max_rps", (cap * 10.0).round() / 10.0, "requests/s"),
        ],
        after: after_metrics,
        summary: format!(
            "blocks the event loop ≈{} ms per request: at most ≈{} requests/s per process ({state}) → {after}",
            fmt_ms(blocked_ms),
            fmt_num((cap * 10.0).round() / 10.0),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn seeds_three_queries_190_to_80_ms() {
        let (before, after) = sequential_vs_parallel(&[50.0, 80.0, 60.0], 10);
        assert_eq!(before, 190.0);
        assert_eq!(after, 80.0);
        assert_eq!(saving_percent(before, after), 57.9);
        let parts: Vec<Part> = [50.0, 80.0, 60.0].iter().map(|&ms| Part { ms, source: "query_ms" }).collect();
        let e = parallel_awaits(&Profile::for_load(LoadProfile::Medium), &parts);
        assert_eq!(e.summary, "3 awaits in sequence ≈190 ms → together ≈80 ms (57.9 % faster)");
    }

    #[test]
    fn the_pool_bounds_parallel_parts() {
        // Four 10 ms queries on two connections: two rounds.
        assert_eq!(sequential_vs_parallel(&[10.0; 4], 2), (40.0, 20.0));
        assert_eq!(sequential_vs_parallel(&[], 10), (0.0, 0.0));
    }

    #[test]
    fn a_blocking_call_caps_throughput() {
        let p = Profile::for_load(LoadProfile::Medium);
        let e = event_loop(&p, "pbkdf2Sync", 50.0, OffLoop::ThreadPool);
        assert_eq!(e.before[2].value, 20.0);
        assert!(e.summary.contains("saturated at 50 requests/s"), "{}", e.summary);
        assert!(e.summary.contains("≈80 requests/s on the thread pool"), "{}", e.summary);
        assert_eq!(blocking_ms("pbkdf2Sync", Some(310_000.0), None), 155.0);
        assert_eq!(blocking_ms("hashSync", None, Some(12.0)), 400.0);
    }

    #[test]
    fn per_item_awaits_are_bounded_or_batched() {
        let p = Profile::for_load(LoadProfile::Medium);
        let http = Part { ms: 50.0, source: "http_ms" };
        let e = per_item_awaits(&p, &http, false);
        assert_eq!((e.before[0].value, e.after[0].value), (2500.0, 250.0));
        let get = Part { ms: 0.2, source: "cache_ms" };
        assert_eq!(per_item_awaits(&p, &get, true).after[0].value, 0.2);
    }
}
