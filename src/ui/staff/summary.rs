//! The summary: a period, its figures as numbers and bars, a slip, an
//! export.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc};

use super::super::models::list;
use super::super::wire::{on, on_int};
use super::super::{AppWindow, Bar, StaffSummaryAdapter};
use crate::flow::Visit;
use crate::flow::staff::{self, StaffView};

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<StaffSummaryAdapter>();
    a.on_choose_period(on_int(visit, |v, p| v.staff.choose_period(p)));
    a.on_print_slip(on(visit, |v| v.staff.print_period()));
    a.on_export(on(visit, |v| v.staff.export_period()));
}

fn bars(items: &[staff::Bar]) -> ModelRc<Bar> {
    list(
        items
            .iter()
            .map(|b| Bar {
                label: b.label.as_str().into(),
                fraction: b.fraction,
                value: b.value.as_str().into(),
            })
            .collect(),
    )
}

pub fn show(w: &AppWindow, v: &StaffView) {
    let a = w.global::<StaffSummaryAdapter>();
    let s = &v.summary;
    a.set_period(v.period);
    a.set_loading(v.summary_loading);
    a.set_problem(v.summary_problem.as_str().into());
    a.set_range(s.range.as_str().into());
    a.set_ratings(s.ratings);
    a.set_mean(s.mean.as_str().into());
    a.set_csat(s.csat.as_str().into());
    a.set_distribution(bars(&s.distribution));
    a.set_low_reasons(bars(&s.low_reasons));
    a.set_by_service(bars(&s.by_service));
    a.set_by_desk(bars(&s.by_desk));
    a.set_weekly(bars(&s.weekly));
    a.set_complaints(s.complaints);
    a.set_by_type(bars(&s.by_type));
    a.set_by_category(bars(&s.by_category));
    a.set_flagged(s.flagged);
    a.set_due_soon(s.due_soon);
    a.set_overdue(s.overdue);
    let (kind, text) = super::super::models::outcome(&v.summary_result);
    a.set_result_kind(kind.into());
    a.set_result(text.into());
}
