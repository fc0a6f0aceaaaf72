//! The queueing model: an endpoint's tail latency and throughput under the profile's load.
//!
//! A request holds a database connection for `db_ms` (a pool of `pool_size`) and the event
//! loop for `cpu_ms`. Each is a queue with `c` servers (the pool's connections; one event
//! loop) fed by Poisson arrivals at `rps`:
//!
//! - utilisation `ρ = λ·S / c`; at `ρ ≥ 1` the queue grows without bound: *saturated*, and the
//!   only honest figure is the maximum throughput `c / S`;
//! - otherwise Erlang C gives the probability of waiting `P_w`. Service times are nearly
//!   constant (a request's queries and JavaScript cost about the same each time; measured in
//!   `docs/fidelity.md`), so the queue is M/D/c rather than M/M/c: its mean wait is about half
//!   of M/M/c's (Allen–Cunneen, `(1 + C_s²)/2` with `C_s = 0`), and a waiting request waits
//!   `Exp(2θ)` with `θ = cμ − λ`. A response takes its service time `S` plus that wait: the
//!   `p`-quantile is `S + ln(P_w / (1 − p)) / (2θ)` when `P_w > 1 − p`, else `S`;
//! - two stages in series (pool, then event loop) add their percentiles: an upper bound, as
//!   their slow tails rarely coincide.
//!
//! A load-testing tool with `n` connections is a *closed* loop instead: each connection sends
//! its next request when the last one returns. [`closed`] solves it by mean-value analysis
//! (Reiser–Lavenberg), the pool as one queue of demand `db_ms / pool_size` (Seidmann's
//! approximation of a multi-server station) and the event loop as one of demand `cpu_ms`; the
//! rest of the request's duration is a pure delay.

/// Percentiles and throughput of a stable endpoint, or saturation.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Stable { utilization: f64, p50: f64, p95: f64, p99: f64, throughput: f64, max_throughput: f64 },
    Saturated { utilization: f64, max_throughput: f64 },
}

impl Outcome {
    pub fn utilization(&self) -> f64 {
        match self {
            Outcome::Stable { utilization, .. } | Outcome::Saturated { utilization, .. } => *utilization,
        }
    }
    pub fn max_throughput(&self) -> f64 {
        match self {
            Outcome::Stable { max_throughput, .. } | Outcome::Saturated { max_throughput, .. } => *max_throughput,
        }
    }
}

/// One M/D/c stage: (utilisation, max throughput, per-percentile response time) or `None`
/// when saturated. `service_ms` of 0 is a stage that costs nothing.
fn stage(rps: f64, service_ms: f64, servers: f64) -> (f64, f64, Option<[f64; 3]>) {
    let c = servers.max(1.0).floor();
    if service_ms <= 0.0 {
        return (0.0, f64::INFINITY, Some([0.0; 3]));
    }
    let s = service_ms / 1000.0; // seconds
    let lambda = rps.max(0.0);
    let mu = 1.0 / s;
    let max_throughput = c * mu;
    let a = lambda * s; // offered load in Erlangs
    let rho = a / c;
    if rho >= 1.0 {
        return (rho, max_throughput, None);
    }
    // Erlang C, with terms built iteratively (no factorial overflow).
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c as u32 {
        sum += term;
        term *= a / (k as f64 + 1.0);
    }
    let last = term / (1.0 - rho); // a^c / c! · 1/(1−ρ)
    let p_wait = last / (sum + last);
    let theta = 2.0 * (c * mu - lambda);
    let quantile = |p: f64| {
        let wait = if p_wait > 1.0 - p { (p_wait / (1.0 - p)).ln() / theta } else { 0.0 };
        (s + wait) * 1000.0
    };
    (rho, max_throughput, Some([quantile(0.50), quantile(0.95), quantile(0.99)]))
}

/// A closed loop of `connections` clients, each sending its next request as soon as the last
/// returns, on an endpoint whose request takes `duration_ms` alone and holds `db_ms` of a
/// `pool_size` pool and `cpu_ms` of the event loop: (throughput in requests/s, mean latency
/// in ms), by exact mean-value analysis over the two queues.
pub fn closed(connections: f64, duration_ms: f64, db_ms: f64, pool_size: f64, cpu_ms: f64) -> (f64, f64) {
    let n = connections.max(1.0).round() as usize;
    let demands = [cpu_ms.max(0.0), db_ms.max(0.0) / pool_size.max(1.0)];
    let mut queue = [0.0f64; 2];
    let (mut x, mut r) = (0.0, duration_ms.max(0.0));
    for k in 1..=n {
        // A request waits behind what each queue holds, then takes its own duration.
        let waits: Vec<f64> = demands.iter().zip(queue).map(|(d, q)| d * q).collect();
        r = duration_ms.max(1e-9) + waits.iter().sum::<f64>();
        x = k as f64 / r; // requests per ms
        for (q, d) in queue.iter_mut().zip(demands) {
            // Customers at the queue: in service (x·d) plus waiting (x·d·q).
            *q = x * d * (1.0 + *q);
        }
    }
    (x * 1000.0, r)
}

/// An endpoint with `db_ms` of database time through `pool_size` connections and `cpu_ms` on
/// the event loop, offered `rps` requests per second.
pub fn endpoint(rps: f64, db_ms: f64, pool_size: f64, cpu_ms: f64) -> Outcome {
    let (rho_db, max_db, db) = stage(rps, db_ms, pool_size);
    let (rho_cpu, max_cpu, cpu) = stage(rps, cpu_ms, 1.0);
    let utilization = rho_db.max(rho_cpu);
    let max_throughput = max_db.min(max_cpu);
    match (db, cpu) {
        (Some(d), Some(c)) => Outcome::Stable {
            utilization,
            p50: d[0] + c[0],
            p95: d[1] + c[1],
            p99: d[2] + c[2],
            throughput: rps,
            max_throughput,
        },
        _ => Outcome::Saturated { utilization, max_throughput },
    }
}

/// A simulated load test: the endpoint's outcome at `steps` arrival rates spaced evenly on a
/// logarithmic scale from `min_rps` to `max_rps` (what the playground plots as latency against
/// RPS: a fix often moves saturation by an order of magnitude). The saturation point is each
/// outcome's `max_throughput`.
pub fn sweep(min_rps: f64, max_rps: f64, steps: usize, db_ms: f64, pool_size: f64, cpu_ms: f64) -> Vec<(f64, Outcome)> {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 1.0 };
    let (lo, hi) = (clean(min_rps), clean(max_rps));
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let steps = steps.max(2);
    let ratio = (hi / lo).ln();
    (0..steps)
        .map(|i| {
            let rps = lo * (ratio * i as f64 / (steps - 1) as f64).exp();
            (rps, endpoint(rps, db_ms, pool_size, cpu_ms))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_server_with_constant_service() {
        // M/D/1 at ρ = 0.5: P_w = 0.5, so the median waits nothing and the p99 waits
        // ln(0.5/0.01) / (2(μ − λ)).
        let Outcome::Stable { p50, p99, utilization, .. } = endpoint(50.0, 10.0, 1.0, 0.0) else { panic!() };
        assert!((utilization - 0.5).abs() < 1e-9);
        assert!((p50 - 10.0).abs() < 1e-9, "{p50}");
        let wait = 50f64.ln() / (2.0 * (100.0 - 50.0)) * 1000.0;
        assert!((p99 - (10.0 + wait)).abs() < 1e-6, "{p99}");
    }

    #[test]
    fn light_load_is_the_service_time() {
        let Outcome::Stable { p50, p99, .. } = endpoint(1.0, 10.0, 10.0, 0.0) else { panic!() };
        assert!((p50 - 10.0).abs() < 1e-9, "{p50}");
        assert!((p99 - 10.0).abs() < 1e-9, "{p99}");
    }

    #[test]
    fn a_closed_loop_rises_to_the_bottleneck() {
        // One connection: one request at a time, each taking its duration.
        let (x1, r1) = closed(1.0, 10.0, 5.0, 10.0, 1.0);
        assert!((x1 - 100.0).abs() < 1e-6 && (r1 - 10.0).abs() < 1e-9, "{x1} {r1}");
        // 51 queries of 0.3 ms and 7 ms of JavaScript: the event loop bounds it at ≈143/s.
        let (x50, r50) = closed(50.0, 17.0, 15.3, 10.0, 7.0);
        assert!(x50 <= 1000.0 / 7.0 + 1e-9 && x50 > 0.9 * 1000.0 / 7.0, "{x50}");
        assert!((r50 - 50.0 / x50 * 1000.0).abs() < 1e-6, "Little's law: {r50}");
        // Throughput never falls as connections are added.
        let xs: Vec<f64> = [1.0, 2.0, 5.0, 10.0, 50.0].iter().map(|&n| closed(n, 17.0, 15.3, 10.0, 7.0).0).collect();
        assert!(xs.windows(2).all(|w| w[1] >= w[0] - 1e-9), "{xs:?}");
    }

    #[test]
    fn saturation_is_reported_as_such() {
        // 51 queries × 5 ms = 255 ms per request through 10 connections: at most ≈39 RPS.
        let o = endpoint(50.0, 255.0, 10.0, 0.0);
        assert!(matches!(o, Outcome::Saturated { .. }));
        assert!((o.max_throughput() - 10.0 / 0.255).abs() < 1e-9);
        assert!(o.utilization() > 1.0);
        // Batched: 10 ms per request → comfortable.
        assert!(matches!(endpoint(50.0, 10.0, 10.0, 0.0), Outcome::Stable { .. }));
    }

    #[test]
    fn the_event_loop_is_a_single_server() {
        // 30 ms of blocking CPU per request at 50 RPS saturates one event loop (1.5 Erlang).
        assert!(matches!(endpoint(50.0, 5.0, 10.0, 30.0), Outcome::Saturated { .. }));
    }

    #[test]
    fn a_sweep_rises_to_saturation() {
        // 20 ms of database time over 10 connections: at most 500 RPS.
        let points = sweep(1.0, 1000.0, 4, 20.0, 10.0, 0.0);
        let rates: Vec<f64> = points.iter().map(|(rps, _)| rps.round()).collect();
        assert_eq!(rates, [1.0, 10.0, 100.0, 1000.0], "log-spaced");
        let p95 = |o: &Outcome| match o {
            Outcome::Stable { p95, .. } => Some(*p95),
            Outcome::Saturated { .. } => None,
        };
        // Latency never falls as load grows while stable; past 500 RPS the model is saturated.
        let stable: Vec<f64> = points.iter().filter_map(|(_, o)| p95(o)).collect();
        assert_eq!(stable.len(), 3, "1–100 RPS are stable");
        assert!(stable.windows(2).all(|w| w[0] <= w[1]), "{stable:?}");
        // Close to saturation the tail waits.
        assert!(p95(&endpoint(480.0, 20.0, 10.0, 0.0)).is_some_and(|p| p > 25.0));
        assert!(matches!(points[3].1, Outcome::Saturated { .. }));
        assert!((points[0].1.max_throughput() - 500.0).abs() < 1e-9);
        // Nonsense bounds still give a sweep, never NaN rates.
        assert!(sweep(f64::NAN, -3.0, 0, 20.0, 10.0, 0.0).iter().all(|(rps, _)| *rps == 1.0));
    }
}
