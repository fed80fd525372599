//! Reprinting a receipt by number.

use std::rc::Rc;

use slint::ComponentHandle;

use super::super::wire::{on, on_int, on_str};
use super::super::{AppWindow, StaffReprintAdapter};
use crate::flow::Visit;
use crate::flow::staff::StaffView;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<StaffReprintAdapter>();
    a.on_digit(on_str(visit, |v, d| v.staff.reprint_digit(d)));
    a.on_erase(on(visit, |v| v.staff.reprint_erase()));
    a.on_change_year(on_int(visit, |v, d| v.staff.change_year(d)));
    a.on_reprint(on(visit, |v| v.staff.reprint()));
}

pub fn show(w: &AppWindow, v: &StaffView) {
    let a = w.global::<StaffReprintAdapter>();
    a.set_number(v.reprint_number.as_str().into());
    a.set_year(v.reprint_year);
    a.set_can_go_later(v.reprint_can_go_later);
    let (kind, text) = super::super::models::outcome(&v.reprint_result);
    a.set_result_kind(kind.into());
    a.set_result(text.into());
    a.set_working(v.reprint_working);
}
