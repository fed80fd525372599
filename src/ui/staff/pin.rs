//! The PIN pad.

use std::rc::Rc;

use slint::ComponentHandle;

use super::super::wire::{on, on_str};
use super::super::{AppWindow, StaffAdapter};
use crate::flow::Visit;
use crate::flow::staff::StaffView;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<StaffAdapter>();
    a.on_digit(on_str(visit, |v, d| v.staff.digit(d)));
    a.on_erase(on(visit, |v| v.staff.erase()));
    a.on_enter(on(visit, |v| v.staff.enter()));
}

pub fn show(w: &AppWindow, v: &StaffView) {
    let a = w.global::<StaffAdapter>();
    a.set_pin_length(i32::try_from(v.pin_length).unwrap_or(i32::MAX));
    a.set_message(v.pin_message.as_str().into());
    a.set_checking(v.checking);
}
