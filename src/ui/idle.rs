//! When the kiosk asks "Do you need more time?" and when it starts again.
//!
//! A plain state machine over `Instant`s, so tests can move time by hand.
//! After `ask_after` without a touch the question appears; if nobody answers
//! within `answer_within`, the visit is over: everything typed is cleared and
//! the kiosk goes home in the default language. A kiosk already at rest
//! (home screen, default language and text size) has nothing to clear: after
//! `attract_after` it shows "Touch the screen" instead.

use std::time::{Duration, Instant};

/// What the idle logic wants on screen now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleState {
    /// Someone is using the kiosk.
    Active,
    /// Ask whether they need more time; clear in this many seconds.
    Asking { seconds_left: u32 },
    /// Nobody answered: clear everything and go home.
    Expired,
    /// Nobody there and nothing to clear: show the attract screen.
    Attract,
}

/// Tracks the last touch.
#[derive(Debug, Clone)]
pub struct IdleTimer {
    last_touch: Instant,
    ask_after: Duration,
    answer_within: Duration,
    attract_after: Duration,
}

impl IdleTimer {
    /// A timer whose last touch is `now`.
    pub fn new(
        now: Instant,
        ask_after: Duration,
        answer_within: Duration,
        attract_after: Duration,
    ) -> Self {
        IdleTimer {
            last_touch: now,
            ask_after,
            answer_within,
            attract_after,
        }
    }

    /// Someone touched the screen.
    pub fn touch(&mut self, now: Instant) {
        self.last_touch = now;
    }

    /// What to show at `now`; `at_rest` says the kiosk has nothing to clear.
    pub fn state(&self, now: Instant, at_rest: bool) -> IdleState {
        let idle = now.saturating_duration_since(self.last_touch);
        if at_rest {
            return if idle >= self.attract_after {
                IdleState::Attract
            } else {
                IdleState::Active
            };
        }
        if idle < self.ask_after {
            return IdleState::Active;
        }
        let asked_for = idle - self.ask_after;
        if asked_for >= self.answer_within {
            return IdleState::Expired;
        }
        let left = self.answer_within - asked_for;
        // Round up: "1 second" stays on screen until the very end.
        let seconds_left = left.as_millis().div_ceil(1000) as u32;
        IdleState::Asking { seconds_left }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timer(t0: Instant) -> IdleTimer {
        IdleTimer::new(
            t0,
            Duration::from_secs(60),
            Duration::from_secs(20),
            Duration::from_secs(180),
        )
    }

    #[test]
    fn asks_after_a_minute_counts_down_twenty_seconds_then_expires() {
        let t0 = Instant::now();
        let t = timer(t0);
        assert_eq!(
            t.state(t0 + Duration::from_secs(59), false),
            IdleState::Active
        );
        assert_eq!(
            t.state(t0 + Duration::from_secs(60), false),
            IdleState::Asking { seconds_left: 20 }
        );
        assert_eq!(
            t.state(t0 + Duration::from_millis(79_500), false),
            IdleState::Asking { seconds_left: 1 }
        );
        assert_eq!(
            t.state(t0 + Duration::from_secs(80), false),
            IdleState::Expired
        );
    }

    #[test]
    fn a_touch_during_the_question_starts_over() {
        let t0 = Instant::now();
        let mut t = timer(t0);
        t.touch(t0 + Duration::from_secs(70));
        assert_eq!(
            t.state(t0 + Duration::from_secs(100), false),
            IdleState::Active
        );
    }

    #[test]
    fn at_rest_there_is_no_question_only_the_attract_screen() {
        let t0 = Instant::now();
        let t = timer(t0);
        assert_eq!(
            t.state(t0 + Duration::from_secs(90), true),
            IdleState::Active
        );
        assert_eq!(
            t.state(t0 + Duration::from_secs(180), true),
            IdleState::Attract
        );
    }
}
