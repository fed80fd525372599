//! Staff mode's screens: the PIN pad and the pages behind it, each its own
//! adapter over the one staff controller (`crate::flow::staff`).

mod home;
mod outbox;
mod pin;
mod register;
mod reprint;
mod summary;

use std::rc::Rc;

use super::AppWindow;
use crate::flow::Visit;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    pin::connect(w, visit);
    home::connect(w, visit);
    outbox::connect(w, visit);
    summary::connect(w, visit);
    register::connect(w, visit);
    reprint::connect(w, visit);
}

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.staff.view();
    pin::show(w, &v);
    home::show(w, &v);
    outbox::show(w, &v);
    summary::show(w, &v);
    register::show(w, &v);
    reprint::show(w, &v);
}
