//! Records not delivered: held, set aside and rejected, with "put back in
//! the queue".

use std::rc::Rc;

use slint::ComponentHandle;

use super::super::models::list;
use super::super::wire::{on, on_str};
use super::super::{AppWindow, OutboxRow, StaffOutboxAdapter};
use crate::flow::Visit;
use crate::flow::staff::StaffView;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<StaffOutboxAdapter>();
    a.on_requeue(on_str(visit, |v, target| v.staff.requeue(target)));
    a.on_requeue_all(on(visit, |v| v.staff.requeue_all()));
}

pub fn show(w: &AppWindow, v: &StaffView) {
    let a = w.global::<StaffOutboxAdapter>();
    let o = &v.outbox;
    a.set_counts(o.counts.as_str().into());
    a.set_link_problem(o.link_problem.as_str().into());
    a.set_rows(list(
        o.rows
            .iter()
            .map(|r| OutboxRow {
                target: r.target.as_str().into(),
                title: r.title.as_str().into(),
                list: r.list.as_str().into(),
                reason: r.reason.as_str().into(),
            })
            .collect(),
    ));
    a.set_loading(v.outbox_loading);
    a.set_working(v.outbox_working);
    let (kind, text) = super::super::models::outcome(&v.outbox_result);
    a.set_result_kind(kind.into());
    a.set_result(text.into());
}
