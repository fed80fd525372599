//! How the flows tell the interface (and each other, through the visit)
//! what happened: a queue of [`Event`]s delivered to one sink.
//!
//! Events are delivered in order, one at a time: an event emitted while
//! another is being handled waits in the queue until that one is done. So
//! a controller may emit from anywhere outside a borrow of its own state,
//! and the sink may call back into any controller. Without a sink (the unit
//! tests) events stay queued for [`Outlet::take`].

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::router::Page;

/// A part of the interface whose screens show one flow's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Home,
    Hours,
    Services,
    Rating,
    Complaint,
    Staff,
    /// "Check my receipt".
    CheckReceipt,
    Idle,
    /// The question before home throws away what was typed.
    Leave,
}

/// Something the interface or the visit must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A flow's state changed: refill its screens.
    Changed(Part),
    /// A flow asks to go to `page`, remembering where it came from.
    Go(Page),
    /// A flow asks to show `page` in place of the current one.
    Replace(Page),
    /// A flow asks for home, its draft done with.
    Home,
    /// The visit is over (idle timeout, staff mode closed when idle):
    /// everything cleared, default language.
    StartAgain,
    /// Show this over any screen.
    Notice(String),
    /// The visit now shows `page` (emitted by the visit only).
    Shown(Page),
    /// The language or the text size changed: refill every screen.
    Language,
}

/// Where events are delivered.
pub type Sink = Rc<dyn Fn(Event)>;

/// The queue and its sink.
#[derive(Default)]
pub struct Outlet {
    queue: RefCell<VecDeque<Event>>,
    sink: RefCell<Option<Sink>>,
    delivering: Cell<bool>,
}

impl Outlet {
    pub fn new() -> Rc<Outlet> {
        Rc::new(Outlet::default())
    }

    /// Delivers every event from now on (and those queued) to `sink`.
    pub fn connect(&self, sink: Sink) {
        *self.sink.borrow_mut() = Some(sink);
        self.deliver();
    }

    /// Queues `event` and, unless an event is being handled, delivers.
    pub fn emit(&self, event: Event) {
        self.queue.borrow_mut().push_back(event);
        self.deliver();
    }

    /// Queued events, when nothing is connected (for tests).
    pub fn take(&self) -> Vec<Event> {
        self.queue.borrow_mut().drain(..).collect()
    }

    fn deliver(&self) {
        let Some(sink) = self.sink.borrow().clone() else {
            return;
        };
        if self.delivering.replace(true) {
            return;
        }
        // Cleared even if the sink panics, so later events still go out.
        struct Done<'a>(&'a Cell<bool>);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.set(false);
            }
        }
        let _done = Done(&self.delivering);
        loop {
            let next = self.queue.borrow_mut().pop_front();
            match next {
                Some(event) => sink(event),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_emitted_while_one_is_handled_wait_their_turn() {
        let outlet = Outlet::new();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let (o, s) = (Rc::downgrade(&outlet), seen.clone());
        outlet.connect(Rc::new(move |e: Event| {
            s.borrow_mut().push(format!("start {e:?}"));
            if e == Event::Home
                && let Some(o) = o.upgrade()
            {
                o.emit(Event::Changed(Part::Home));
            }
            s.borrow_mut().push(format!("end {e:?}"));
        }));
        outlet.emit(Event::Home);
        assert_eq!(
            *seen.borrow(),
            [
                "start Home",
                "end Home",
                "start Changed(Home)",
                "end Changed(Home)"
            ]
        );
    }

    #[test]
    fn without_a_sink_events_are_kept() {
        let outlet = Outlet::new();
        outlet.emit(Event::StartAgain);
        assert_eq!(outlet.take(), [Event::StartAgain]);
        assert!(outlet.take().is_empty());
    }
}
