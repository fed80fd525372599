//! When the kiosk asks "Do you need more time?" and when it starts again.
//!
//! A plain state machine over `Instant`s, so tests can move time by hand.
//! After `ask_after` without a touch the question appears; if nobody answers
//! within `answer_within`, the visit is over: everything typed is cleared and
//! the kiosk goes home in the default language. A kiosk already at rest
//! (home screen, default language and text size) has nothing to clear: after
//! `attract_after` it shows "Touch the screen" instead.
//!
//! [`IdleFlow`] applies the timer to the screen: it shows or hides the
//! question and the attract screen, and ends the visit when the question
//! went unanswered.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::outlet::{Event, Outlet, Part};

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

/// What the idle logic shows over the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IdleView {
    /// "Do you need more time?", with its countdown.
    pub asking: bool,
    pub seconds_left: u32,
    /// "Touch the screen".
    pub attract: bool,
}

/// The idle question and the attract screen.
pub struct IdleFlow {
    outlet: Rc<Outlet>,
    timer: RefCell<IdleTimer>,
    shown: Cell<IdleView>,
}

impl IdleFlow {
    pub fn new(outlet: Rc<Outlet>, timer: IdleTimer) -> Rc<IdleFlow> {
        Rc::new(IdleFlow {
            outlet,
            timer: RefCell::new(timer),
            shown: Cell::new(IdleView::default()),
        })
    }

    /// What is shown now.
    pub fn view(&self) -> IdleView {
        self.shown.get()
    }

    /// A touch anywhere: the question and the attract screen go.
    pub fn touched(&self, now: Instant) {
        self.timer.borrow_mut().touch(now);
        self.show(IdleView::default());
    }

    /// Staff mode owns the screen: the visitor's question waits.
    pub fn hold(&self, now: Instant) {
        self.timer.borrow_mut().touch(now);
        let shown = self.shown.get();
        self.show(IdleView {
            asking: false,
            ..shown
        });
    }

    /// The visit started again: nothing over the page.
    pub fn reset(&self, now: Instant) {
        self.touched(now);
    }

    /// Applies the timer at `now`; `at_rest`: nothing of a visitor's to clear.
    pub fn tick(&self, now: Instant, at_rest: bool) {
        let state = self.timer.borrow().state(now, at_rest);
        let shown = self.shown.get();
        match state {
            IdleState::Active => self.show(IdleView::default()),
            IdleState::Asking { seconds_left } => self.show(IdleView {
                asking: true,
                seconds_left,
                ..shown
            }),
            IdleState::Attract => self.show(IdleView {
                attract: true,
                ..shown
            }),
            IdleState::Expired => {
                tracing::info!("nobody answered the idle question; starting again");
                self.timer.borrow_mut().touch(now);
                self.show(IdleView::default());
                self.outlet.emit(Event::StartAgain);
            }
        }
    }

    fn show(&self, view: IdleView) {
        if self.shown.replace(view) != view {
            self.outlet.emit(Event::Changed(Part::Idle));
        }
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
    fn the_flow_shows_the_question_then_starts_the_visit_again() {
        let t0 = Instant::now();
        let outlet = Outlet::new();
        let flow = IdleFlow::new(outlet.clone(), timer(t0));
        flow.tick(t0 + Duration::from_secs(65), false);
        assert_eq!(
            flow.view(),
            IdleView {
                asking: true,
                seconds_left: 15,
                attract: false
            }
        );
        assert_eq!(outlet.take(), [Event::Changed(Part::Idle)]);
        flow.tick(t0 + Duration::from_secs(65), false);
        assert!(outlet.take().is_empty(), "nothing new to show");
        flow.tick(t0 + Duration::from_secs(80), false);
        assert!(outlet.take().contains(&Event::StartAgain));
        assert_eq!(flow.view(), IdleView::default());
        flow.tick(t0 + Duration::from_secs(80 + 180), true);
        assert!(flow.view().attract);
        flow.touched(t0 + Duration::from_secs(300));
        assert_eq!(flow.view(), IdleView::default());
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
