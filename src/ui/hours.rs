//! Office hours: the coming week, the lunch break, days off ahead and the
//! contacts.

use slint::ComponentHandle;

use super::models::{list, texts};
use super::{AppWindow, DayRow, HoursAdapter, InfoRow};
use crate::flow::Visit;

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.info.hours();
    let a = w.global::<HoursAdapter>();
    a.set_status_line(v.status_line.into());
    a.set_week(list(
        v.week
            .into_iter()
            .map(|d| DayRow {
                day: d.day.into(),
                hours: d.hours.into(),
                today: d.today,
            })
            .collect(),
    ));
    a.set_lunch(v.lunch.into());
    a.set_days_off(texts(&v.days_off));
    a.set_contacts(list(
        v.contacts
            .into_iter()
            .map(|(label, value)| InfoRow {
                label: label.into(),
                value: value.into(),
            })
            .collect(),
    ));
}
