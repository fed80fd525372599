//! The staff home: the device's status and the tools.

use std::rc::Rc;

use slint::ComponentHandle;

use super::super::models::list;
use super::super::wire::on;
use super::super::{AppWindow, StaffHomeAdapter, StatusRow};
use crate::flow::staff::StaffView;
use crate::flow::{StaffStep, Visit};

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<StaffHomeAdapter>();
    a.on_open_summary(on(visit, |v| v.staff.open(StaffStep::Summary)));
    a.on_open_register(on(visit, |v| v.staff.open(StaffStep::Register)));
    a.on_open_reprint(on(visit, |v| v.staff.open(StaffStep::Reprint)));
    a.on_open_outbox(on(visit, |v| v.staff.open(StaffStep::Outbox)));
    a.on_refresh(on(visit, |v| v.staff.load_status()));
    a.on_leave(on(visit, |v| v.staff.leave()));
    a.on_print_test(on(visit, |v| v.staff.print_test_page()));
    a.on_print_summary(on(visit, |v| v.staff.print_todays_summary()));
    a.on_export(on(visit, |v| v.staff.export_month()));
}

pub fn show(w: &AppWindow, v: &StaffView) {
    let a = w.global::<StaffHomeAdapter>();
    a.set_status(list(
        v.status
            .iter()
            .map(|r| StatusRow {
                label: r.label.as_str().into(),
                value: r.value.as_str().into(),
                problem: r.problem,
            })
            .collect(),
    ));
    let (kind, text) = super::super::models::outcome(&v.home_result);
    a.set_result_kind(kind.into());
    a.set_result(text.into());
    a.set_working(v.home_working);
}
