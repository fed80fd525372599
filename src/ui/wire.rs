//! Small helpers for wiring a screen's callbacks to the visit: each hands
//! the callback the visit, and does nothing once the visit is gone.

use std::rc::{Rc, Weak};

use slint::SharedString;

use crate::flow::Visit;

/// A callback without arguments that runs `f`.
pub fn on(visit: &Rc<Visit>, f: fn(&Visit)) -> impl Fn() + 'static {
    let visit: Weak<Visit> = Rc::downgrade(visit);
    move || {
        if let Some(v) = visit.upgrade() {
            f(&v)
        }
    }
}

/// A callback taking a string that runs `f` with it.
pub fn on_str(visit: &Rc<Visit>, f: fn(&Visit, &str)) -> impl Fn(SharedString) + 'static {
    let visit: Weak<Visit> = Rc::downgrade(visit);
    move |s: SharedString| {
        if let Some(v) = visit.upgrade() {
            f(&v, s.as_str())
        }
    }
}

/// A callback taking a number that runs `f` with it.
pub fn on_int(visit: &Rc<Visit>, f: fn(&Visit, i32)) -> impl Fn(i32) + 'static {
    let visit: Weak<Visit> = Rc::downgrade(visit);
    move |n: i32| {
        if let Some(v) = visit.upgrade() {
            f(&v, n)
        }
    }
}

/// A callback taking a yes or no that runs `f` with it.
pub fn on_bool(visit: &Rc<Visit>, f: fn(&Visit, bool)) -> impl Fn(bool) + 'static {
    let visit: Weak<Visit> = Rc::downgrade(visit);
    move |b: bool| {
        if let Some(v) = visit.upgrade() {
            f(&v, b)
        }
    }
}
