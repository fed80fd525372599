//! The staff-call rate limit: at most one call a minute.
//!
//! A visitor who presses the button again while waiting is told that
//! somebody is already coming, and no second record is made; after the
//! interval a press calls again. Invariant: the interval is counted from
//! the last call that went out, not from the last press, so pressing
//! every few seconds does not keep postponing the next call for ever.

use chrono::{DateTime, Utc};

use crate::domain::Lang;
use crate::domain::record::{RecordData, StaffCall, StaffCallSource};
use crate::store::Submission;

/// Whether a press calls somebody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallDecision {
    /// Call: store a staff-call record.
    Call,
    /// Somebody was called less than the interval ago.
    AlreadyCalled,
}

/// Remembers when the last call went out.
#[derive(Debug, Clone)]
pub struct StaffCallLimiter {
    interval: chrono::Duration,
    last_call: Option<DateTime<Utc>>,
}

impl StaffCallLimiter {
    /// At most one call per `interval`.
    pub fn new(interval: chrono::Duration) -> Self {
        Self {
            interval,
            last_call: None,
        }
    }

    /// Decides about a press at `now` and, for a call, remembers it. A
    /// clock set back (a Pi after a power cut) does not block calls: a
    /// last call in the future is forgotten.
    pub fn press(&mut self, now: DateTime<Utc>) -> CallDecision {
        match self.last_call {
            Some(last) if last <= now && now - last < self.interval => CallDecision::AlreadyCalled,
            _ => {
                self.last_call = Some(now);
                CallDecision::Call
            }
        }
    }

    /// Forgets the last call, so the next press calls again: the call
    /// could not be stored, and the visitor must be able to retry.
    pub fn forget(&mut self) {
        self.last_call = None;
    }
}

/// The record for a staff call from `source` in the visitor's language.
pub fn staff_call_submission(source: StaffCallSource, lang: Lang) -> Submission {
    Submission {
        data: RecordData::StaffCall(StaffCall { source, lang }),
        print_receipt: false,
        demo: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_second_press_within_the_minute_is_already_called() {
        let mut limiter = StaffCallLimiter::new(Duration::minutes(1));
        let t = start();
        assert_eq!(limiter.press(t), CallDecision::Call);
        assert_eq!(
            limiter.press(t + Duration::seconds(5)),
            CallDecision::AlreadyCalled
        );
        assert_eq!(
            limiter.press(t + Duration::seconds(59)),
            CallDecision::AlreadyCalled
        );
        assert_eq!(limiter.press(t + Duration::seconds(60)), CallDecision::Call);
    }

    #[test]
    fn pressing_again_and_again_does_not_postpone_the_next_call() {
        let mut limiter = StaffCallLimiter::new(Duration::minutes(1));
        let t = start();
        assert_eq!(limiter.press(t), CallDecision::Call);
        for s in (10..60).step_by(10) {
            assert_eq!(
                limiter.press(t + Duration::seconds(s)),
                CallDecision::AlreadyCalled
            );
        }
        assert_eq!(limiter.press(t + Duration::seconds(61)), CallDecision::Call);
    }

    #[test]
    fn a_clock_set_back_does_not_block_calls() {
        let mut limiter = StaffCallLimiter::new(Duration::minutes(1));
        let t = start();
        assert_eq!(limiter.press(t), CallDecision::Call);
        assert_eq!(limiter.press(t - Duration::hours(3)), CallDecision::Call);
    }

    #[test]
    fn a_forgotten_call_can_be_made_again_at_once() {
        let mut limiter = StaffCallLimiter::new(Duration::minutes(1));
        let t = start();
        assert_eq!(limiter.press(t), CallDecision::Call);
        limiter.forget();
        assert_eq!(limiter.press(t + Duration::seconds(1)), CallDecision::Call);
    }

    #[test]
    fn the_submission_is_a_staff_call_without_a_receipt() {
        let sub = staff_call_submission(StaffCallSource::Button, Lang::En);
        assert_eq!(sub.data.kind().as_str(), "staff_call");
        assert_eq!(sub.data.lang(), Lang::En);
        assert!(!sub.print_receipt && !sub.demo);
    }
}
