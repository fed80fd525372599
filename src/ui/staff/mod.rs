//! Staff mode's screens: the PIN pad and the pages behind it, each its own
//! adapter over the one staff controller (`crate::flow::staff`).

mod home;
mod pin;
mod register;
mod reprint;
mod summary;

use std::rc::Rc;

use super::AppWindow;
use crate::flow::Visit;
use crate::flow::staff::Outcome;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    pin::connect(w, visit);
    home::connect(w, visit);
    summary::connect(w, visit);
    register::connect(w, visit);
    reprint::connect(w, visit);
}

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.staff.view();
    pin::show(w, &v);
    home::show(w, &v);
    summary::show(w, &v);
    register::show(w, &v);
    reprint::show(w, &v);
}

/// A result box's kind and text ("" and "" when there is none).
fn outcome(o: &Option<Outcome>) -> (&'static str, String) {
    o.as_ref()
        .map_or(("", String::new()), |o| (o.kind, o.text.clone()))
}
