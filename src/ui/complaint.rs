//! Complaint, signal, proposal or praise: type, category, text, contact,
//! review and the receipt screen.

use std::rc::Rc;

use slint::ComponentHandle;

use super::models::{choices, texts};
use super::wire::{on, on_int, on_str};
use super::{AppWindow, ComplaintAdapter};
use crate::flow::Visit;
use crate::flow::complaint::field_of;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<ComplaintAdapter>();
    a.on_choose_type(on_str(visit, |v, id| v.complaint.choose_type(id)));
    a.on_choose_category(on_str(visit, |v, id| v.complaint.choose_category(id)));
    a.on_edit_field(on_int(visit, |v, i| v.complaint.edit_field(field_of(i))));
    a.on_type_key(on_str(visit, |v, k| v.complaint.type_key(k)));
    a.on_backspace(on(visit, |v| v.complaint.backspace()));
    a.on_field_done(on(visit, |v| v.complaint.field_done()));
    a.on_toggle_anonymous(on(visit, |v| v.complaint.toggle_anonymous()));
    a.on_toggle_health_safety(on(visit, |v| v.complaint.toggle_health_safety()));
    a.on_to_review(on(visit, |v| v.complaint.to_review()));
    a.on_edit(on(visit, |v| v.complaint.change()));
    a.on_submit(on(visit, |v| v.complaint.submit()));
    a.on_reprint(on(visit, |v| v.complaint.reprint()));
    a.on_finish(on(visit, |v| v.complaint.finish()));
}

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.complaint.view();
    let a = w.global::<ComplaintAdapter>();
    a.set_types(choices(&v.types));
    a.set_type_hints(texts(&v.type_hints));
    a.set_before_you_start(v.before_you_start.into());
    a.set_type_name(v.type_name.into());
    a.set_categories(choices(&v.categories));
    a.set_category_name(v.category_name.into());
    a.set_field(v.field);
    a.set_field_value(v.field_value.into());
    a.set_field_lines(v.field_lines);
    a.set_field_keys(v.field_keys);
    a.set_field_counter(v.field_counter.into());
    a.set_name(v.name.into());
    a.set_address(v.address.into());
    a.set_phone(v.phone.into());
    a.set_email(v.email.into());
    a.set_anonymous(v.anonymous);
    a.set_health_safety(v.health_safety);
    a.set_problems(texts(&v.problems));
    a.set_review_text(v.review.text.into());
    a.set_review_name(v.review.name.into());
    a.set_review_address(v.review.address.into());
    a.set_review_phone(v.review.phone.into());
    a.set_review_email(v.review.email.into());
    a.set_warnings(texts(&v.warnings));
    a.set_notices(texts(&v.notices));
    a.set_sending(v.sending);
    a.set_number(v.number.into());
    a.set_number_spoken(v.number_spoken.into());
    a.set_check_code(v.check_code.into());
    a.set_check_code_spoken(v.check_code_spoken.into());
    a.set_due_text(v.due_text.into());
    a.set_due_spoken(v.due_spoken.into());
    a.set_printer_ok(v.printer_ok);
    a.set_can_reprint(v.can_reprint);
    a.set_printer_text(v.printer_text.into());
}
