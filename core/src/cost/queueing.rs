//! The queueing model: an endpoint's tail latency and throughput under the profile's load.
//!
//! A request spends `db_ms` in the database, through a pool of `pool_size` connections, and
//! `cpu_ms` on the event loop. Each is an M/M/c queue (Poisson arrivals at `rps`,
//! exponential service): the pool with `c = pool_size`, the event loop with `c = 1`.
//!
//! - utilisation `ρ = λ·S / c`; at `ρ ≥ 1` the queue grows without bound: *saturated*, and the
//!   only honest figure is the maximum throughput `c / S`;
//! - otherwise Erlang C gives the probability of waiting `P_w`; a waiting request waits
//!   `Exp(θ)` with `θ = cμ − λ`, and is then served for `Exp(μ)`, so the response time has
//!   `P(T > t) = (1 − P_w)·e^{−μt} + P_w·(θe^{−μt} − μe^{−θt})/(θ − μ)` (`(1 + μt)e^{−μt}`
//!   when `θ = μ`), whose percentiles are found by bisection;
//! - two stages in series (pool, then event loop) add their percentiles: an upper bound, as
//!   their slow tails rarely coincide.

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

/// One M/M/c stage: (utilisation, max throughput, per-percentile response time) or `None`
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
    let theta = c * mu - lambda;
    let tail = |t: f64| {
        let served = (-mu * t).exp();
        let waited = if (theta - mu).abs() < 1e-9 {
            (1.0 + mu * t) * served
        } else {
            (theta * served - mu * (-theta * t).exp()) / (theta - mu)
        };
        (1.0 - p_wait) * served + p_wait * waited
    };
    let quantile = |p: f64| {
        // P(T > t) falls from 1 to 0; find where it crosses 1 − p.
        let (mut lo, mut hi) = (0.0, s);
        while tail(hi) > 1.0 - p {
            hi *= 2.0;
        }
        for _ in 0..100 {
            let mid = (lo + hi) / 2.0;
            if tail(mid) > 1.0 - p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi * 1000.0
    };
    (rho, max_throughput, Some([quantile(0.50), quantile(0.95), quantile(0.99)]))
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
    fn a_single_server_matches_m_m_1() {
        // M/M/1: response time is exponential with rate μ − λ; p50 = ln 2 / (μ − λ).
        let Outcome::Stable { p50, p99, utilization, .. } = endpoint(50.0, 10.0, 1.0, 0.0) else { panic!() };
        assert!((utilization - 0.5).abs() < 1e-9);
        let rate = 100.0 - 50.0;
        assert!((p50 - 2f64.ln() / rate * 1000.0).abs() < 1e-6, "{p50}");
        assert!((p99 - 100f64.ln() / rate * 1000.0).abs() < 1e-6, "{p99}");
    }

    #[test]
    fn light_load_is_close_to_the_service_time() {
        let Outcome::Stable { p50, .. } = endpoint(1.0, 10.0, 10.0, 0.0) else { panic!() };
        assert!((p50 - 10.0 * 2f64.ln()).abs() < 0.01, "{p50}");
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
        // Latency grows with load while stable; past 500 RPS the model is saturated.
        let stable: Vec<f64> = points.iter().filter_map(|(_, o)| p95(o)).collect();
        assert_eq!(stable.len(), 3, "1–100 RPS are stable");
        assert!(stable.windows(2).all(|w| w[0] < w[1]), "{stable:?}");
        assert!(matches!(points[3].1, Outcome::Saturated { .. }));
        assert!((points[0].1.max_throughput() - 500.0).abs() < 1e-9);
        // Nonsense bounds still give a sweep, never NaN rates.
        assert!(sweep(f64::NAN, -3.0, 0, 20.0, 10.0, 0.0).iter().all(|(rps, _)| *rps == 1.0));
    }
}
