//! "Check my receipt": the pad's digits, the year and "Check" to the flow,
//! and the answer back to the screen.

use std::rc::Rc;

use slint::ComponentHandle;

use super::models::texts;
use super::wire::{on, on_int, on_str};
use super::{AppWindow, CheckReceiptAdapter};
use crate::flow::Visit;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<CheckReceiptAdapter>();
    a.on_digit(on_str(visit, |v, d| v.check_receipt.digit(d)));
    a.on_erase(on(visit, |v| v.check_receipt.erase()));
    a.on_change_year(on_int(visit, |v, d| v.check_receipt.change_year(d)));
    a.on_check(on(visit, |v| v.check_receipt.check()));
    a.on_again(on(visit, |v| v.check_receipt.start()));
}

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.check_receipt.view();
    let a = w.global::<CheckReceiptAdapter>();
    a.set_number(v.number.into());
    a.set_year(v.year);
    a.set_can_go_later(v.can_go_later);
    a.set_can_go_earlier(v.can_go_earlier);
    a.set_checking(v.checking);
    a.set_result_kind(v.result_kind.into());
    a.set_result_number(v.result_number.into());
    a.set_result_lines(texts(&v.result_lines));
}
