//! One complaint as the desk shows it, on its page and on its registry
//! copy: the same words for both, built once here.
//!
//! Invariants: without `personal`, the view holds no text, name or contact
//! of the filer (they are not hidden by the template: they are never put
//! in); an ЕГН in the text is always masked; the due date's explanation
//! uses the charter's rule from `kiosk_rules` (one calendar month, then the
//! next working day), and says so when the kiosk's date differs.

use chrono::{DateTime, NaiveDate};
use kiosk_rules::domain::calendar::Calendar;
use kiosk_rules::domain::due_date::add_one_month;
use kiosk_rules::domain::egn::mask_egn;
use kiosk_rules::domain::record::ComplaintType;

use super::register::{Line, Status, dmy, flag_words};
use crate::db::complaint_events::Event;
use crate::db::register::Full;
use crate::i18n::Strings;
use crate::pdf::RegistryCopy;

/// A complaint's page: its registry copy's words, and what only the page
/// shows.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// Everything the copy prints (its `municipality` is set by [`copy`]).
    pub copy: RegistryCopy,
    pub open: bool,
    pub overdue: bool,
    pub personal: bool,
    pub history: Vec<HistoryLine>,
}

#[derive(Debug, Clone, Default)]
pub struct HistoryLine {
    pub at: String,
    pub status: String,
    pub details: String,
    pub actor: String,
}

/// Date and time of an RFC 3339 text in Sofia, `DD.MM.YYYY HH:MM`.
pub fn sofia_time(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono_tz::Europe::Sofia)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// The view of `full` with its `events`, in `t`'s language.
pub fn build(full: &Full, events: &[Event], t: &Strings, personal: bool, today: NaiveDate) -> View {
    let line = Line::of(full.entry.clone(), today);
    let e = &full.entry;
    let ctype = ComplaintType::parse(&e.ctype);
    let mut flags = flag_words(&e.flags, t);
    if flags.is_empty() && e.anonymous && full.health_safety {
        flags.push(t.flag_anonymous_health_safety.to_owned());
    }
    let text_shown = |s: &str| {
        if personal {
            s.to_owned()
        } else {
            String::new()
        }
    };
    let copy = RegistryCopy {
        municipality: String::new(),
        number: e.number.clone(),
        check_code: e.check_code.clone().unwrap_or_default(),
        kind: ctype.map_or(e.ctype.clone(), |c| c.name(t.lang).to_owned()),
        category: e.category.clone(),
        kiosk: e.kiosk_id.clone(),
        filed: sofia_time(&e.created_at),
        clock_note: (!full.clock_trusted).then(|| t.clock_not_trusted.to_owned()),
        due: line
            .due
            .map_or(t.no_due.to_owned(), |d| d.format("%d.%m.%Y").to_string()),
        due_how: due_how(full, ctype, t),
        status: line.status.name(t).to_owned(),
        text: if personal {
            mask_egn(&full.text)
        } else {
            String::new()
        },
        anonymous: e.anonymous,
        name: text_shown(&e.name),
        address: text_shown(&full.address),
        phone: text_shown(&full.phone),
        email: text_shown(&full.email),
        flags,
        registry_number: e.registry_number.clone().unwrap_or_default(),
        registered_on: e.registered_on.as_deref().map(dmy).unwrap_or_default(),
    };
    View {
        copy,
        open: line.status.is_open(),
        overdue: line.overdue,
        personal,
        history: events.iter().map(|ev| history_line(ev, t)).collect(),
    }
}

fn due_how(full: &Full, ctype: Option<ComplaintType>, t: &Strings) -> Vec<String> {
    let e = &full.entry;
    let fill = |tpl: &str, pairs: &[(&str, String)]| {
        pairs.iter().fold(tpl.to_owned(), |s, (k, v)| {
            s.replace(&format!("{{{k}}}"), v)
        })
    };
    let fmt = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    let mut out = Vec::new();
    if !ctype.is_some_and(ComplaintType::expects_written_answer) {
        out.push(t.due_not_owed.to_owned());
        return out;
    }
    if e.anonymous {
        out.push(t.due_anonymous.to_owned());
        return out;
    }
    let contact = [&e.name, &full.address, &full.phone, &full.email];
    if contact.iter().skip(1).all(|c| c.trim().is_empty()) {
        out.push(t.due_at_desk.to_owned());
    }
    if let Ok(filed) = e.filed_on.parse::<NaiveDate>() {
        // The statutory calendar; a kiosk's own extra days off are in its
        // configuration, and its recorded date is shown when it differs.
        let cal = Calendar::default();
        let month = add_one_month(filed);
        let due = cal.next_working_day(month);
        out.push(fill(
            t.due_month_later,
            &[("filed", fmt(filed)), ("month", fmt(month))],
        ));
        if due == month {
            out.push(fill(t.due_is_working_day, &[("month", fmt(month))]));
        } else {
            out.push(fill(
                t.due_moved,
                &[("month", fmt(month)), ("due", fmt(due))],
            ));
        }
        if let Some(kiosk) = e
            .due_date
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok())
            && kiosk != due
        {
            out.push(fill(
                t.due_kiosk_differs,
                &[("kiosk", fmt(kiosk)), ("due", fmt(due))],
            ));
        }
    }
    if let Some(to) = e.extended_to.as_deref() {
        out.push(fill(t.due_extended_to, &[("date", dmy(to))]));
    }
    out
}

fn history_line(ev: &Event, t: &Strings) -> HistoryLine {
    let status = Status::of(Some(&ev.status));
    let mut details = Vec::new();
    if let (Some(n), Some(on)) = (&ev.registry_number, &ev.registered_on) {
        details.push(format!("{} {} · {}", t.registry_number, n, dmy(on)));
    }
    if let Some(on) = &ev.answered_on {
        details.push(format!("{} {}", t.answered_on, dmy(on)));
    }
    if let Some(d) = &ev.new_due_date {
        details.push(format!("{} {}", t.new_due_date, dmy(d)));
    }
    if let Some(r) = &ev.reason {
        details.push(format!("{}: {}", t.reason, r));
    }
    if let Some(on) = &ev.told_on {
        details.push(format!("{} {}", t.told_on, dmy(on)));
    }
    match ev.not_examined_reason.as_deref() {
        Some("anonymous") => details.push(t.reason_anonymous.to_owned()),
        Some("offensive") => details.push(t.reason_offensive.to_owned()),
        _ => {}
    }
    HistoryLine {
        at: sofia_time(&ev.at),
        status: status.name(t).to_owned(),
        details: details.join("; "),
        actor: ev.actor.clone(),
    }
}

/// The registry copy of a view (made only for those who see personal data).
pub fn copy(v: &View, municipality: &str) -> RegistryCopy {
    RegistryCopy {
        municipality: municipality.to_owned(),
        ..v.copy.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::register::Entry;
    use crate::i18n::strings;
    use kiosk_rules::domain::lang::Lang;

    fn full() -> Full {
        Full {
            entry: Entry {
                number: "KV1-2026-000042".into(),
                ctype: "complaint".into(),
                name: "Мария Петрова".into(),
                flags: "[\"personal_number\"]".into(),
                created_at: "2026-11-24T10:45:00+02:00".into(),
                filed_on: "2026-11-24".into(),
                due_date: Some("2026-12-29".into()),
                ..Entry::default()
            },
            text: "Моето ЕГН е 7501010010, моля отговор.".into(),
            phone: "0888123456".into(),
            clock_trusted: true,
            ..Full::default()
        }
    }

    #[test]
    fn the_due_date_explains_a_move_past_the_christmas_holidays() {
        let v = build(
            &full(),
            &[],
            strings(Lang::Bg),
            true,
            "2026-12-01".parse().unwrap(),
        );
        assert_eq!(v.copy.due, "29.12.2026");
        assert!(
            v.copy
                .due_how
                .iter()
                .any(|l| l.contains("24.12.2026 не е работен ден")),
            "{:?}",
            v.copy.due_how
        );
        assert!(!v.copy.due_how.iter().any(|l| l.contains("киоскът")));
        assert_eq!(v.copy.filed, "24.11.2026 10:45");
    }

    #[test]
    fn without_personal_rights_the_view_holds_no_personal_data() {
        let v = build(
            &full(),
            &[],
            strings(Lang::Bg),
            false,
            "2026-12-01".parse().unwrap(),
        );
        assert!(v.copy.text.is_empty() && v.copy.name.is_empty() && v.copy.phone.is_empty());
        let v = build(
            &full(),
            &[],
            strings(Lang::Bg),
            true,
            "2026-12-01".parse().unwrap(),
        );
        assert!(!v.copy.text.contains("7501010010"), "{}", v.copy.text);
        assert_eq!(v.copy.name, "Мария Петрова");
    }
}
