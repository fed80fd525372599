//! The office-hours screen in words: each day of the coming week, the
//! lunch-break line, the days off ahead and the labels of the contacts.

use chrono::{Datelike, NaiveDate};

use super::calendar::DayKind;
use super::hours::{DaySchedule, OfficeHours, clock, day_month, long_date, weekday_name};
use super::lang::Lang;

/// "понеделник, 23 ноември" / "Monday, 23 November".
pub fn day_name(d: NaiveDate, lang: Lang) -> String {
    format!(
        "{}, {}",
        weekday_name(d.weekday(), lang),
        day_month(d, lang)
    )
}

/// A day's hours, opening to closing ("8:30–17:00"; the lunch break has a
/// line of its own), or why the office is closed.
pub fn day_hours(day: &DaySchedule, lang: Lang) -> String {
    match (day.periods.first(), day.periods.last()) {
        (Some(first), Some(last)) => format!("{}–{}", clock(first.start), clock(last.end)),
        _ => closed_reason(day.kind, lang),
    }
}

/// "Всеки работен ден: 8:30–17:00 ч., обедна почивка 12:00–12:30 ч."
pub fn lunch_line(h: &OfficeHours, lang: Lang) -> String {
    let (o, c, ls, le) = (
        clock(h.opens),
        clock(h.closes),
        clock(h.lunch_start),
        clock(h.lunch_end),
    );
    match lang {
        Lang::Bg => format!("Всеки работен ден: {o}–{c} ч., обедна почивка {ls}–{le} ч."),
        Lang::En => format!("Every working day: {o}–{c}, lunch break {ls}–{le}."),
    }
}

/// The days off ahead, one line each, or that there are none.
pub fn days_off(days: &[(NaiveDate, DayKind)], lang: Lang) -> Vec<String> {
    if days.is_empty() {
        return vec![
            match lang {
                Lang::Bg => "Няма в следващите месеци.",
                Lang::En => "None in the coming months.",
            }
            .to_owned(),
        ];
    }
    days.iter()
        .map(|&(date, kind)| {
            format!(
                "{} ({}): {}",
                long_date(date, lang),
                weekday_name(date.weekday(), lang),
                closed_reason(kind, lang)
            )
        })
        .collect()
}

/// Why the office is closed on a day, in words (empty on a working day).
pub fn closed_reason(kind: DayKind, lang: Lang) -> String {
    match (kind, lang) {
        (DayKind::Holiday(h), _) => h.name(lang).to_owned(),
        (DayKind::CarriedOver(h), Lang::Bg) => format!("почивен ден заради {}", h.name(lang)),
        (DayKind::CarriedOver(h), Lang::En) => format!("day off for {}", h.name(lang)),
        (DayKind::ExtraDayOff, Lang::Bg) => "почивен ден по решение на Министерския съвет".into(),
        (DayKind::ExtraDayOff, Lang::En) => "day off by government decision".into(),
        (DayKind::Weekend, Lang::Bg) => "затворено".into(),
        (DayKind::Weekend, Lang::En) => "closed".into(),
        (DayKind::Working | DayKind::ExtraWorkingDay, _) => String::new(),
    }
}

/// A line of the contacts box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    RegistryDesk,
    Address,
    Phone,
    Email,
    Website,
}

impl Contact {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Contact::RegistryDesk, Lang::Bg) => "Деловодство",
            (Contact::RegistryDesk, Lang::En) => "Registry desk",
            (Contact::Address, Lang::Bg) => "Адрес",
            (Contact::Address, Lang::En) => "Address",
            (Contact::Phone, Lang::Bg) => "Телефон",
            (Contact::Phone, Lang::En) => "Phone",
            (Contact::Email, Lang::Bg) => "Имейл",
            (Contact::Email, Lang::En) => "E-mail",
            (Contact::Website, Lang::Bg) => "Интернет",
            (Contact::Website, Lang::En) => "Web site",
        }
    }
}

/// The registry desk's line of the contacts box, label and value: the
/// desk's name is left out of the value where it only repeats the label
/// ("Деловодство: Партер, гише 1", not "Деловодство: Деловодство, ...").
pub fn desk_contact(name: &str, location: &str, lang: Lang) -> (String, String) {
    let label = Contact::RegistryDesk.label(lang);
    let (name, location) = (name.trim(), location.trim());
    let value = if name.is_empty() || name.to_lowercase() == label.to_lowercase() {
        location.to_owned()
    } else if location.is_empty() {
        name.to_owned()
    } else {
        format!("{name}, {location}")
    };
    (label.to_owned(), value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Holiday;
    use chrono::NaiveTime;

    #[test]
    fn the_week_the_lunch_break_and_the_days_off_in_words() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let h = OfficeHours {
            opens: t(8, 30),
            closes: t(17, 0),
            lunch_start: t(12, 0),
            lunch_end: t(12, 30),
        };
        assert_eq!(
            lunch_line(&h, Lang::En),
            "Every working day: 8:30–17:00, lunch break 12:00–12:30."
        );
        let d = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        assert_eq!(day_name(d, Lang::Bg), "четвъртък, 24 декември");
        let off = days_off(&[(d, DayKind::Holiday(Holiday::ChristmasEve))], Lang::En);
        assert!(
            off[0].starts_with("24 December 2026 (Thursday): "),
            "{off:?}"
        );
        assert_eq!(
            days_off(&[], Lang::Bg),
            vec!["Няма в следващите месеци.".to_owned()]
        );
        assert_eq!(closed_reason(DayKind::Weekend, Lang::En), "closed");
    }

    #[test]
    fn the_desk_line_does_not_repeat_its_label() {
        assert_eq!(
            desk_contact("Деловодство", "Партер, гише 1", Lang::Bg),
            ("Деловодство".to_owned(), "Партер, гише 1".to_owned())
        );
        assert_eq!(
            desk_contact("Registry desk", "Ground floor, counter 1", Lang::En),
            (
                "Registry desk".to_owned(),
                "Ground floor, counter 1".to_owned()
            )
        );
        assert_eq!(
            desk_contact("Информационен център", "Партер", Lang::Bg).1,
            "Информационен център, Партер"
        );
    }
}
