//! The complaint register: four filters and "mark answered today".

use std::rc::Rc;

use slint::ComponentHandle;

use super::super::models::list;
use super::super::wire::{on_int, on_str};
use super::super::{AppWindow, RegisterRow, StaffRegisterAdapter};
use crate::flow::Visit;
use crate::flow::staff::StaffView;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<StaffRegisterAdapter>();
    a.on_choose_filter(on_int(visit, |v, f| v.staff.choose_filter(f)));
    a.on_mark_answered(on_str(visit, |v, id| v.staff.mark_answered(id, true)));
    a.on_clear_answered(on_str(visit, |v, id| v.staff.mark_answered(id, false)));
}

pub fn show(w: &AppWindow, v: &StaffView) {
    let a = w.global::<StaffRegisterAdapter>();
    a.set_filter(v.filter);
    a.set_loading(v.register_loading);
    a.set_problem(v.register_problem.as_str().into());
    a.set_entries(list(
        v.register
            .iter()
            .map(|r| RegisterRow {
                id: r.id.as_str().into(),
                number: r.number.as_str().into(),
                kind: r.kind.as_str().into(),
                category: r.category.as_str().into(),
                filed: r.filed.as_str().into(),
                due: r.due.as_str().into(),
                answer: r.answer.as_str().into(),
                answered: r.answered,
                registered: r.registered.as_str().into(),
                flags: r.flags.as_str().into(),
                urgent: r.urgent,
            })
            .collect(),
    ));
}
