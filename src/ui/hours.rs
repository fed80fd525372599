//! Office hours: the coming week, the lunch break, days off ahead and the
//! contacts.

use std::sync::Arc;

use chrono::{Datelike, Duration};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::domain::Lang;
use crate::domain::calendar::DayKind;
use crate::domain::hours::{clock, schedule, sofia_local, status_at, weekday_name};

use super::context::Ctx;
use super::words::{long_date, tr};
use super::{AppWindow, DayRow, HoursAdapter, InfoRow};

/// How far ahead the days off are listed.
const DAYS_OFF_AHEAD: i64 = 120;

pub fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let now = ctx.clock.now();
    let today = sofia_local(now).date();
    let cal = &ctx.calendar;
    let hours = ctx.config.office_hours();
    let a = w.global::<HoursAdapter>();
    a.set_status_line(
        status_at(cal, &hours, now)
            .describe(lang, sofia_local(now))
            .into(),
    );

    let week: Vec<DayRow> = schedule(cal, &hours, today, 7)
        .into_iter()
        .map(|day| {
            let name = format!(
                "{}, {}",
                weekday_name(day.date.weekday(), lang),
                day_month(day.date, lang)
            );
            // Opening to closing; the lunch break has its own line below.
            let hours_text = match (day.periods.first(), day.periods.last()) {
                (Some(first), Some(last)) => format!("{}–{}", clock(first.start), clock(last.end)),
                _ => closed_reason(day.kind, lang),
            };
            DayRow {
                day: name.into(),
                hours: hours_text.into(),
                today: day.date == today,
            }
        })
        .collect();
    a.set_week(ModelRc::new(VecModel::from(week)));

    let lunch = match lang {
        Lang::Bg => format!(
            "Всеки работен ден: {}–{} ч., обедна почивка {}–{} ч.",
            clock(hours.opens),
            clock(hours.closes),
            clock(hours.lunch_start),
            clock(hours.lunch_end)
        ),
        Lang::En => format!(
            "Every working day: {}–{}, lunch break {}–{}.",
            clock(hours.opens),
            clock(hours.closes),
            clock(hours.lunch_start),
            clock(hours.lunch_end)
        ),
    };
    a.set_lunch(lunch.into());

    let off: Vec<SharedString> = cal
        .days_off(today, today + Duration::days(DAYS_OFF_AHEAD))
        .into_iter()
        .map(|(date, kind)| {
            format!(
                "{} ({}): {}",
                long_date(date, lang),
                weekday_name(date.weekday(), lang),
                closed_reason(kind, lang)
            )
            .into()
        })
        .collect();
    let off = if off.is_empty() {
        vec![
            tr(
                lang,
                "Няма в следващите месеци.",
                "None in the coming months.",
            )
            .into(),
        ]
    } else {
        off
    };
    a.set_days_off(ModelRc::new(VecModel::from(off)));

    let c = &ctx.config.contacts;
    let mut contacts = Vec::new();
    if let Some(desk) = ctx.config.desks.iter().find(|d| d.id == c.registry_desk) {
        contacts.push(InfoRow {
            label: tr(lang, "Деловодство", "Registry desk").into(),
            value: format!("{}, {}", desk.name.get(lang), desk.location.get(lang)).into(),
        });
    }
    contacts.push(InfoRow {
        label: tr(lang, "Адрес", "Address").into(),
        value: c.address.get(lang).into(),
    });
    for (label, value) in [
        (tr(lang, "Телефон", "Phone"), &c.phone),
        (tr(lang, "Имейл", "E-mail"), &c.email),
        (tr(lang, "Интернет", "Web site"), &c.website),
    ] {
        if !value.is_empty() {
            contacts.push(InfoRow {
                label: label.into(),
                value: value.as_str().into(),
            });
        }
    }
    a.set_contacts(ModelRc::new(VecModel::from(contacts)));
}

/// "24 ноември" / "24 November".
fn day_month(d: chrono::NaiveDate, lang: Lang) -> String {
    format!(
        "{} {}",
        d.day(),
        crate::domain::hours::month_name(d.month(), lang)
    )
}

/// Why the office is closed on a day, in words.
fn closed_reason(kind: DayKind, lang: Lang) -> String {
    match kind {
        DayKind::Holiday(h) => h.name(lang).to_owned(),
        DayKind::CarriedOver(h) => match lang {
            Lang::Bg => format!("почивен ден заради {}", h.name(lang)),
            Lang::En => format!("day off for {}", h.name(lang)),
        },
        DayKind::ExtraDayOff => tr(
            lang,
            "почивен ден по решение на Министерския съвет",
            "day off by government decision",
        )
        .into(),
        DayKind::Weekend => tr(lang, "затворено", "closed").into(),
        DayKind::Working | DayKind::ExtraWorkingDay => String::new(),
    }
}
