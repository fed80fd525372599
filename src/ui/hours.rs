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
                value: breakable(&value).into(),
            })
            .collect(),
    ));
}

/// An e-mail or web address is one long word: a zero-width space after its
/// "@" and before its dots lets a narrow panel wrap it there instead of
/// breaking it anywhere (or pushing it out of the window).
fn breakable(value: &str) -> String {
    if value.contains(' ') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if c == '.' {
            out.push('\u{200B}');
        }
        out.push(c);
        if c == '@' {
            out.push('\u{200B}');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_may_wrap_at_their_at_and_dots_only() {
        assert_eq!(super::breakable("a@b.bg"), "a@\u{200B}b\u{200B}.bg");
        assert_eq!(super::breakable("ул. Първа 1"), "ул. Първа 1");
    }
}
