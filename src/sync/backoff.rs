//! How long to wait before trying the central system again.
//!
//! Capped exponential back-off with full jitter: after the n-th failure in a
//! row the wait is drawn uniformly from `0..=min(cap, base * 2^(n-1))`.
//! Jitter spreads the kiosks of a municipality apart after a shared outage,
//! so they do not all knock at the same second. A server's `Retry-After`
//! is obeyed but never beyond the cap: a misconfigured server must not
//! silence the kiosk for a day.
//!
//! Invariant: no wait computed here is longer than the cap.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// The contract's back-off: base 1 s, cap 5 min.
pub const DEFAULT_BASE: Duration = Duration::from_secs(1);
/// The contract's back-off cap.
pub const DEFAULT_CAP: Duration = Duration::from_secs(300);

/// A capped exponential back-off policy with full jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling of the first wait.
    pub base: Duration,
    /// No wait is ever longer than this.
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: DEFAULT_BASE,
            cap: DEFAULT_CAP,
        }
    }
}

impl Backoff {
    /// The ceiling of the wait after `failures` failures in a row (at least 1).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        self.base
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.cap)
            .min(self.cap)
    }

    /// The wait after `failures` failures in a row, with full jitter.
    pub fn delay(&self, failures: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.ceiling(failures);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }

    /// `wait` limited to the cap.
    pub fn capped(&self, wait: Duration) -> Duration {
        wait.min(self.cap)
    }
}

/// Reads a `Retry-After` header: whole seconds or an HTTP date. A date in
/// the past means "now". `None` when the value is neither.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // HTTP dates ("Sun, 06 Nov 1994 08:49:37 GMT") are RFC 2822 dates.
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn ceilings_double_from_the_base_up_to_the_cap() {
        let b = Backoff::default();
        let secs: Vec<u64> = (1..=10).map(|n| b.ceiling(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
        assert_eq!(b.ceiling(0), Duration::from_secs(1));
        assert_eq!(b.ceiling(u32::MAX), b.cap);
    }

    #[test]
    fn jittered_waits_stay_within_the_ceiling_and_spread_out() {
        let b = Backoff::default();
        let mut rng = StdRng::seed_from_u64(7);
        for failures in 1..100 {
            for _ in 0..50 {
                assert!(b.delay(failures, &mut rng) <= b.ceiling(failures));
            }
        }
        let waits: std::collections::HashSet<_> = (0..20).map(|_| b.delay(20, &mut rng)).collect();
        assert!(waits.len() > 15, "full jitter should rarely repeat a wait");
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date_is_understood() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 8, 49, 0).unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Mon, 23 Nov 2026 08:49:37 GMT", now),
            Some(Duration::from_secs(37))
        );
        assert_eq!(
            parse_retry_after("Mon, 23 Nov 2026 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn a_long_retry_after_is_capped() {
        let b = Backoff {
            base: Duration::from_millis(1),
            cap: Duration::from_millis(50),
        };
        assert_eq!(b.capped(Duration::from_secs(3600)), b.cap);
        assert_eq!(b.capped(Duration::from_millis(5)), Duration::from_millis(5));
    }
}
