//! Whether a finding is worth a developer's time, and how severe it is, from what its fix
//! saves — the one place every rule's pricing goes through (PRODUCT.md: "severity and
//! inclusion follow the estimated cost: a microsecond gain is not a finding").
//!
//! A rule prices its fix with its model (at the sizes the code shows, else the profile's) as
//! `saved_ms`, the time one request (or one run, off a request path) spends less, and asks
//! [`judge`]:
//!
//! - **not a finding** when the fix saves less than its kind's floor per request (per run off
//!   a request path): [`EVENT_LOOP`] work under 10 µs, [`WAITING`] under 1 ms. 10 µs is below
//!   what Node's bare `http.Server` itself spends on one request (≈70,000 requests/s on one
//!   core ≈ 14 µs; Express 4 ≈16,000/s ≈ 63 µs — delvedor's Fastify 3.0 benchmark, July 2020):
//!   no user would see the change, and `JSON.parse(JSON.stringify(row))` of one small object
//!   (≈0.5 µs) or a top-3 of 50 by a full sort (≈1 µs) is not a finding. The floor is not
//!   higher because the model prices growing data at the profile's page size: a quadratic
//!   search of 50 × 50 rows saves ≈24 µs at `medium` and ≈0.4 ms at `high` (200 × 200), and is
//!   the defect the seed's 1,000 × 1,000 example is about; raise the sizes (`items`, the load
//!   profile) and the same code prices higher. Waiting under 1 ms is within one query's
//!   round-trip jitter (`query_ms` is 5 ms at `medium`);
//! - **low** off a request path (start-up, scripts, migrations, seeds, set-up wizards,
//!   dev-only code: PRODUCT.md's "the same loop in a one-off script is low"), whatever it saves;
//! - on a request path, by the [`Bands`] of the rule's kind of cost: the time saved per
//!   request, or for event-loop work the share of the event loop, whichever is worse.

use super::complexity::event_loop_share;
use super::Profile;
use crate::params::Severity;

/// Severity thresholds: saved ms per request for critical/high/medium, and for event-loop
/// work the event-loop share for each; below `min_ms` saved, not a finding.
#[derive(Clone, Copy, Debug)]
pub struct Bands {
    pub min_ms: f64,
    pub ms: [f64; 3],
    /// `None`: the work waits (I/O), it does not hold the event loop.
    pub share: Option<[f64; 3]>,
}

/// CPU work on the event loop (in-memory algorithms, serialisation, synchronous calls):
/// ≥ 100 / 20 / 1 ms or ≥ 50 / 10 / 1 % of the event loop; not a finding under 10 µs.
pub const EVENT_LOOP: Bands = Bands { min_ms: 0.01, ms: [100.0, 20.0, 1.0], share: Some([0.5, 0.1, 0.01]) };

/// Waiting (awaits, queries, HTTP calls): ≥ 200 / 50 / 5 ms saved per request; not a finding
/// under 1 ms.
pub const WAITING: Bands = Bands { min_ms: 1.0, ms: [200.0, 50.0, 5.0], share: None };

/// Is a fix that saves `saved_ms` per request worth reporting at all?
pub fn worth(saved_ms: f64, bands: Bands) -> bool {
    saved_ms >= bands.min_ms
}

/// The severity of a fix that saves `saved_ms` per request (per run off a request path), or
/// `None` when it is not worth reporting.
pub fn judge(profile: &Profile, on_request: bool, saved_ms: f64, bands: Bands) -> Option<Severity> {
    if !worth(saved_ms, bands) {
        return None;
    }
    if !on_request {
        return Some(Severity::Low);
    }
    let share = bands.share.map(|_| event_loop_share(saved_ms.max(0.0), profile.rps.value.max(0.0)));
    let at = |i: usize| saved_ms >= bands.ms[i] || matches!((share, bands.share), (Some(s), Some(t)) if s >= t[i]);
    Some(if at(0) {
        Severity::Critical
    } else if at(1) {
        Severity::High
    } else if at(2) {
        Severity::Medium
    } else {
        Severity::Low
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::LoadProfile;

    #[test]
    fn microsecond_gains_are_not_findings() {
        let medium = Profile::for_load(LoadProfile::Medium);
        // One small object deep-cloned: 50 value copies × 10 ns = 0.5 µs.
        assert_eq!(judge(&medium, true, 0.0005, EVENT_LOOP), None);
        assert_eq!(judge(&medium, false, 0.0005, EVENT_LOOP), None);
        // A 50 × 50 search: 2,400 comparisons × 10 ns = 24 µs, 0.12 % of the loop at 50 rps.
        assert_eq!(judge(&medium, true, 0.024, EVENT_LOOP), Some(Severity::Low));
        // 0.5 ms at 50 rps is 2.5 % of the event loop: medium.
        assert_eq!(judge(&medium, true, 0.5, EVENT_LOOP), Some(Severity::Medium));
        // Waiting does not hold the loop: 0.5 ms saved is nothing.
        assert_eq!(judge(&medium, true, 0.5, WAITING), None);
        assert_eq!(judge(&medium, true, 3.0, WAITING), Some(Severity::Low));
        assert_eq!(judge(&medium, true, 60.0, WAITING), Some(Severity::High));
    }

    #[test]
    fn off_a_request_path_is_low_and_load_raises_severity() {
        let medium = Profile::for_load(LoadProfile::Medium);
        assert_eq!(judge(&medium, false, 500.0, WAITING), Some(Severity::Low));
        assert_eq!(judge(&medium, false, 500.0, EVENT_LOOP), Some(Severity::Low));
        // A 200 × 200 search under high load: 0.4 ms × 500 rps = 20 % of the loop.
        let high = Profile::for_load(LoadProfile::High);
        assert_eq!(judge(&high, true, 0.4, EVENT_LOOP), Some(Severity::High));
        assert_eq!(judge(&high, true, 120.0, EVENT_LOOP), Some(Severity::Critical));
    }
}
