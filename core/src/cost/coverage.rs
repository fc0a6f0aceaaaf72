//! The coverage model, for an app with no response-time or metrics instrumentation.
//!
//! Nothing is faster after the fix: what changes is how much of the traffic is measured.
//! Without instrumentation none of the `rps · 86 400` requests a day has a recorded duration
//! (so no p95, no throughput, no error rate per endpoint, and no fix in the report can be
//! checked); with a metrics middleware every one has. The middleware's own cost is a timer
//! and a histogram update per request: microseconds, left out.

use super::{fmt_num, metric, parameter, Profile};
use crate::analysis::{Estimate, Parameter};

/// `routes`: the routes the app serves in the analysed code.
pub fn metrics_coverage(profile: &Profile, routes: f64) -> Estimate {
    let per_day = profile.rps.value.max(0.0) * 86_400.0;
    Estimate {
        model: "coverage",
        parameters: vec![
            parameter(&profile.rps, "rps", "requests/s"),
            Parameter { name: "routes", value: routes, unit: "routes", source: "the analysed code".into() },
        ],
        before: vec![metric("measured_requests", 0.0, "%"), metric("unmeasured_per_day", per_day, "requests")],
        after: vec![metric("measured_requests", 100.0, "%"), metric("unmeasured_per_day", 0.0, "requests")],
        summary: format!(
            "0 % → 100 % of requests with a measured duration ({} route{} in the analysed code; {} requests a day unmeasured → 0)",
            fmt_num(routes),
            if routes == 1.0 { "" } else { "s" },
            super::complexity::fmt_count(per_day)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn every_request_measured_after() {
        let e = metrics_coverage(&Profile::for_load(LoadProfile::Low), 3.0);
        assert_eq!(e.before[1].value, 432_000.0);
        assert_eq!(e.after[0].value, 100.0);
        assert!(e.summary.starts_with("0 % → 100 % of requests with a measured duration (3 routes"), "{}", e.summary);
    }
}
