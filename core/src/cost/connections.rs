//! The connection model, for a database connection or pool opened per request.
//!
//! Per request: `connect_ms` (TCP + TLS + authentication handshake; node-postgres documents
//! ≈20–30 ms, the seed uses 50 ms) before, `checkout_ms` (taking an idle connection from a
//! pool; the seed uses 0.5 ms) after.

use super::{fmt_num, metric, Profile};
use crate::analysis::Estimate;

pub fn connection_per_request(profile: &Profile) -> Estimate {
    let (before, after) = (profile.connect_ms.value, profile.checkout_ms.value);
    Estimate {
        model: "connections",
        parameters: vec![
            super::parameter(&profile.connect_ms, "connect_ms", "ms"),
            super::parameter(&profile.checkout_ms, "checkout_ms", "ms"),
        ],
        before: vec![metric("connection_time", before, "ms"), metric("connections_opened", 1.0, "per request")],
        after: vec![metric("connection_time", after, "ms"), metric("connections_opened", 0.0, "per request")],
        summary: format!("≈{} ms → ≈{} ms of connection set-up per request", fmt_num(before), fmt_num(after)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn seeds_50_ms_to_half_a_millisecond() {
        let mut p = Profile::for_load(LoadProfile::Medium);
        p.connect_ms.value = 50.0;
        p.checkout_ms.value = 0.5;
        let e = connection_per_request(&p);
        assert_eq!(e.summary, "≈50 ms → ≈0.5 ms of connection set-up per request");
    }
}
