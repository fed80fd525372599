//! The office's live status ("open until 12:00", "lunch break", "closed,
//! opens Monday at 8:30") and the wording that shows it to visitors.
//!
//! Invariants:
//! - all reasoning is in Europe/Sofia local wall-clock time. An instant is
//!   turned into local time once (always possible); local times are never
//!   turned back into instants, so a time that does not exist or exists twice
//!   on a daylight-saving night cannot make anything fail;
//! - a working day's open periods are half-open: 8:30:00 is open, 12:00:00 is
//!   the lunch break, 12:30:00 is open again, 17:00:00 is closed;
//! - odd hours never panic: closing at or before opening means the office is
//!   never open (and the status says so without an opening time), a lunch
//!   break that ends before it starts is ignored, and one reaching outside
//!   the opening hours is cut to them.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Europe::Sofia;

use super::calendar::{Calendar, DayKind, Holiday};
use super::lang::Lang;

/// The opening hours of every working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeHours {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub lunch_start: NaiveTime,
    pub lunch_end: NaiveTime,
}

/// A stretch of a working day when the office is open, `start` included and
/// `end` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Period {
    /// The period from `start` up to, not including, `end`.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Self {
        Period { start, end }
    }
}

impl OfficeHours {
    /// The open periods of a working day, in order: two around the lunch
    /// break, one if there is no lunch break inside the hours, none if the
    /// hours are empty.
    pub fn periods(&self) -> Vec<Period> {
        let (opens, closes) = (self.opens, self.closes);
        if opens >= closes {
            return Vec::new();
        }
        let (lunch_start, lunch_end) = (self.lunch_start, self.lunch_end);
        if lunch_start >= lunch_end || lunch_end <= opens || lunch_start >= closes {
            return vec![Period::new(opens, closes)];
        }
        [
            Period::new(opens, lunch_start),
            Period::new(lunch_end, closes),
        ]
        .into_iter()
        .filter(|p| p.start < p.end)
        .collect()
    }
}

/// What ends the current open period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextPause {
    Lunch,
    Closing,
}

/// Why the office is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedReason {
    /// A working day, before the first opening.
    BeforeOpening,
    /// A working day, after closing.
    AfterClosing,
    Weekend,
    Holiday(Holiday),
    /// A weekday off because this holiday fell on a weekend.
    CarriedOver(Holiday),
    /// A day off declared by the Council of Ministers.
    DayOff,
}

/// The office's status at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeStatus {
    /// Open; `until` is when `next` begins (local time).
    Open { until: NaiveTime, next: NextPause },
    /// The lunch break; open again at `until` (local time).
    LunchBreak { until: NaiveTime },
    /// Closed; `opens_at` is the next opening in local time, or `None` if the
    /// configured hours never open.
    Closed {
        reason: ClosedReason,
        opens_at: Option<NaiveDateTime>,
    },
}

/// The Europe/Sofia wall-clock time of an instant.
pub fn sofia_local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&Sofia).naive_local()
}

/// The office's status at the instant `at`.
pub fn status_at(cal: &Calendar, hours: &OfficeHours, at: DateTime<Utc>) -> OfficeStatus {
    status_at_local(cal, hours, sofia_local(at))
}

/// The office's status at the Sofia wall-clock time `now`.
pub fn status_at_local(cal: &Calendar, hours: &OfficeHours, now: NaiveDateTime) -> OfficeStatus {
    let (today, time) = (now.date(), now.time());
    let periods = hours.periods();
    let next_opening = |after: NaiveDate| {
        let first = periods.first()?;
        let day = cal.next_working_day(after.succ_opt()?);
        Some(day.and_time(first.start))
    };
    let reason = match cal.day_kind(today) {
        DayKind::Working | DayKind::ExtraWorkingDay => None,
        DayKind::Weekend => Some(ClosedReason::Weekend),
        DayKind::Holiday(h) => Some(ClosedReason::Holiday(h)),
        DayKind::CarriedOver(h) => Some(ClosedReason::CarriedOver(h)),
        DayKind::ExtraDayOff => Some(ClosedReason::DayOff),
    };
    if let Some(reason) = reason {
        return OfficeStatus::Closed {
            reason,
            opens_at: next_opening(today),
        };
    }
    for (i, period) in periods.iter().enumerate() {
        if time < period.start {
            return if i == 0 {
                OfficeStatus::Closed {
                    reason: ClosedReason::BeforeOpening,
                    opens_at: Some(today.and_time(period.start)),
                }
            } else {
                OfficeStatus::LunchBreak {
                    until: period.start,
                }
            };
        }
        if time < period.end {
            let next = if i + 1 < periods.len() {
                NextPause::Lunch
            } else {
                NextPause::Closing
            };
            return OfficeStatus::Open {
                until: period.end,
                next,
            };
        }
    }
    let reason = if periods.is_empty() && time < hours.opens {
        ClosedReason::BeforeOpening
    } else {
        ClosedReason::AfterClosing
    };
    OfficeStatus::Closed {
        reason,
        opens_at: next_opening(today),
    }
}

impl OfficeStatus {
    /// Whether a visitor can be served now.
    pub fn is_open(&self) -> bool {
        matches!(self, OfficeStatus::Open { .. })
    }

    /// One short line for visitors. `now` is the Sofia wall-clock time the
    /// status was computed for; it decides "today", "tomorrow" or a weekday.
    pub fn describe(&self, lang: Lang, now: NaiveDateTime) -> String {
        match (*self, lang) {
            (OfficeStatus::Open { until, .. }, Lang::Bg) => {
                format!("Отворено до {} ч.", clock(until))
            }
            (OfficeStatus::Open { until, .. }, Lang::En) => format!("Open until {}", clock(until)),
            // When it opens again, in so many words: "until 12:30" alone
            // leaves a visitor wondering whether the office closes then.
            (OfficeStatus::LunchBreak { until }, Lang::Bg) => {
                format!("Обедна почивка. Отваря отново в {} ч.", clock(until))
            }
            (OfficeStatus::LunchBreak { until }, Lang::En) => {
                format!("Lunch break. Opens again at {}", clock(until))
            }
            (OfficeStatus::Closed { reason, opens_at }, Lang::Bg) => {
                let head = match reason {
                    ClosedReason::Holiday(h) => {
                        format!("Днес е официален празник: {}.", h.short_name(Lang::Bg))
                    }
                    ClosedReason::CarriedOver(h) => {
                        format!(
                            "Днес е почивен ден заради празника {}.",
                            h.short_name(Lang::Bg)
                        )
                    }
                    ClosedReason::DayOff => "Днес е почивен ден.".to_owned(),
                    _ => "Затворено.".to_owned(),
                };
                match opens_at {
                    Some(at) => format!("{head} Отваря {}", when_bg(now.date(), at)),
                    None => head,
                }
            }
            (OfficeStatus::Closed { reason, opens_at }, Lang::En) => {
                let today = match reason {
                    ClosedReason::Holiday(h) => Some(h.short_name(Lang::En).to_owned()),
                    ClosedReason::CarriedOver(h) => {
                        Some(format!("day off for {}", h.short_name(Lang::En)))
                    }
                    ClosedReason::DayOff => Some("day off".to_owned()),
                    _ => None,
                };
                let when = opens_at.map(|at| when_en(now.date(), at));
                match (today, when) {
                    (Some(t), Some(w)) => format!("Closed today: {t}. Opens {w}"),
                    (Some(t), None) => format!("Closed today: {t}"),
                    (None, Some(w)) => format!("Closed, opens {w}"),
                    (None, None) => "Closed".to_owned(),
                }
            }
        }
    }
}

/// One day of the "office hours" screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySchedule {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// When the office is open that day; empty on days off.
    pub periods: Vec<Period>,
}

/// The opening hours of `days` consecutive days from `from`, holidays and
/// moved days included, for the "office hours" screen.
pub fn schedule(
    cal: &Calendar,
    hours: &OfficeHours,
    from: NaiveDate,
    days: u32,
) -> Vec<DaySchedule> {
    let periods = hours.periods();
    from.iter_days()
        .take(usize::try_from(days).unwrap_or(usize::MAX))
        .map(|date| {
            let kind = cal.day_kind(date);
            let periods = if kind.is_working() {
                periods.clone()
            } else {
                Vec::new()
            };
            DaySchedule {
                date,
                kind,
                periods,
            }
        })
        .collect()
}

/// A time of day as visitors read it: 24-hour `H:MM`, e.g. "8:30", "17:00".
pub fn clock(t: NaiveTime) -> String {
    format!("{}:{:02}", t.hour(), t.minute())
}

/// The weekday's name, lower case in Bulgarian as written mid-sentence.
pub fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    match (lang, day) {
        (Lang::Bg, Weekday::Mon) => "понеделник",
        (Lang::Bg, Weekday::Tue) => "вторник",
        (Lang::Bg, Weekday::Wed) => "сряда",
        (Lang::Bg, Weekday::Thu) => "четвъртък",
        (Lang::Bg, Weekday::Fri) => "петък",
        (Lang::Bg, Weekday::Sat) => "събота",
        (Lang::Bg, Weekday::Sun) => "неделя",
        (Lang::En, Weekday::Mon) => "Monday",
        (Lang::En, Weekday::Tue) => "Tuesday",
        (Lang::En, Weekday::Wed) => "Wednesday",
        (Lang::En, Weekday::Thu) => "Thursday",
        (Lang::En, Weekday::Fri) => "Friday",
        (Lang::En, Weekday::Sat) => "Saturday",
        (Lang::En, Weekday::Sun) => "Sunday",
    }
}

/// The month's name (1 = January), lower case in Bulgarian; empty for a
/// number that is not a month.
pub fn month_name(month: u32, lang: Lang) -> &'static str {
    const BG: [&str; 12] = [
        "януари",
        "февруари",
        "март",
        "април",
        "май",
        "юни",
        "юли",
        "август",
        "септември",
        "октомври",
        "ноември",
        "декември",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = match lang {
        Lang::Bg => &BG,
        Lang::En => &EN,
    };
    month
        .checked_sub(1)
        .and_then(|i| names.get(usize::try_from(i).ok()?))
        .copied()
        .unwrap_or("")
}

/// "23 декември 2026 г." / "23 December 2026": a date as the screens write it.
pub fn long_date(d: NaiveDate, lang: Lang) -> String {
    let month = month_name(d.month(), lang);
    match lang {
        Lang::Bg => format!("{} {} {} г.", d.day(), month, d.year()),
        Lang::En => format!("{} {} {}", d.day(), month, d.year()),
    }
}

/// "24 ноември" / "24 November".
pub fn day_month(d: NaiveDate, lang: Lang) -> String {
    format!("{} {}", d.day(), month_name(d.month(), lang))
}

/// Beyond this many days a weekday alone would be ambiguous, so the date is
/// named as well.
const WEEKDAY_ONLY_WITHIN_DAYS: i64 = 6;

fn days_until(today: NaiveDate, at: NaiveDateTime) -> i64 {
    (at.date() - today).num_days()
}

/// "утре в 8:30 ч.", "във вторник в 8:30 ч.", "в сряда, 7 януари, в 8:30 ч."
fn when_bg(today: NaiveDate, at: NaiveDateTime) -> String {
    let time = clock(at.time());
    let day = at.date();
    // "във" before a word starting with "в" (вторник), as Bulgarian requires.
    let on = |name: &str| {
        if name.starts_with('в') {
            "във"
        } else {
            "в"
        }
    };
    match days_until(today, at) {
        ..=0 => format!("днес в {time} ч."),
        1 => format!("утре в {time} ч."),
        n => {
            let name = weekday_name(day.weekday(), Lang::Bg);
            if n <= WEEKDAY_ONLY_WITHIN_DAYS {
                format!("{} {name} в {time} ч.", on(name))
            } else {
                let month = month_name(day.month(), Lang::Bg);
                format!("{} {name}, {} {month}, в {time} ч.", on(name), day.day())
            }
        }
    }
}

/// "tomorrow at 8:30", "Monday at 8:30", "Wednesday 7 January at 8:30".
fn when_en(today: NaiveDate, at: NaiveDateTime) -> String {
    let time = clock(at.time());
    let day = at.date();
    match days_until(today, at) {
        ..=0 => format!("today at {time}"),
        1 => format!("tomorrow at {time}"),
        n => {
            let name = weekday_name(day.weekday(), Lang::En);
            if n <= WEEKDAY_ONLY_WITHIN_DAYS {
                format!("{name} at {time}")
            } else {
                let month = month_name(day.month(), Lang::En);
                format!("{name} {} {month} at {time}", day.day())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::CalendarOverrides;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        date(y, mo, d).and_time(t(h, mi, s))
    }

    fn hours() -> OfficeHours {
        OfficeHours {
            opens: t(8, 30, 0),
            closes: t(17, 0, 0),
            lunch_start: t(12, 0, 0),
            lunch_end: t(12, 30, 0),
        }
    }

    /// The status and both descriptions at a Sofia wall-clock time that exists
    /// exactly once.
    fn at(cal: &Calendar, now: NaiveDateTime) -> (OfficeStatus, String, String) {
        let instant = Sofia
            .from_local_datetime(&now)
            .single()
            .unwrap()
            .with_timezone(&Utc);
        let status = status_at(cal, &hours(), instant);
        (
            status,
            status.describe(Lang::Bg, now),
            status.describe(Lang::En, now),
        )
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn open(until: NaiveTime, next: NextPause) -> OfficeStatus {
        OfficeStatus::Open { until, next }
    }

    fn closed(reason: ClosedReason, opens_at: Option<NaiveDateTime>) -> OfficeStatus {
        OfficeStatus::Closed { reason, opens_at }
    }

    fn reason(s: OfficeStatus) -> Option<ClosedReason> {
        match s {
            OfficeStatus::Closed { reason, .. } => Some(reason),
            _ => None,
        }
    }

    #[test]
    fn a_working_day_from_morning_to_evening() {
        let cal = Calendar::default();
        // Tuesday 24 November 2026.
        let (s, bg, en) = at(&cal, local(2026, 11, 24, 8, 29, 59));
        let opening = Some(local(2026, 11, 24, 8, 30, 0));
        assert_eq!(s, closed(ClosedReason::BeforeOpening, opening));
        assert_eq!(bg, "Затворено. Отваря днес в 8:30 ч.");
        assert_eq!(en, "Closed, opens today at 8:30");

        let (s, bg, en) = at(&cal, local(2026, 11, 24, 8, 30, 0));
        assert_eq!(s, open(t(12, 0, 0), NextPause::Lunch));
        assert_eq!(bg, "Отворено до 12:00 ч.");
        assert_eq!(en, "Open until 12:00");

        let (s, bg, en) = at(&cal, local(2026, 11, 24, 12, 0, 0));
        assert_eq!(
            s,
            OfficeStatus::LunchBreak {
                until: t(12, 30, 0)
            }
        );
        assert_eq!(bg, "Обедна почивка. Отваря отново в 12:30 ч.");
        assert_eq!(en, "Lunch break. Opens again at 12:30");

        let (s, bg, _) = at(&cal, local(2026, 11, 24, 12, 30, 0));
        assert_eq!(s, open(t(17, 0, 0), NextPause::Closing));
        assert_eq!(bg, "Отворено до 17:00 ч.");
        assert!(at(&cal, local(2026, 11, 24, 16, 59, 59)).0.is_open());

        let (s, bg, en) = at(&cal, local(2026, 11, 24, 17, 0, 0));
        let opening = Some(local(2026, 11, 25, 8, 30, 0));
        assert_eq!(s, closed(ClosedReason::AfterClosing, opening));
        assert_eq!(bg, "Затворено. Отваря утре в 8:30 ч.");
        assert_eq!(en, "Closed, opens tomorrow at 8:30");
    }

    #[test]
    fn friday_evening_and_the_weekend_point_to_monday() {
        let cal = Calendar::default();
        let monday = Some(local(2026, 11, 30, 8, 30, 0));
        for (now, why) in [
            (local(2026, 11, 27, 18, 0, 0), ClosedReason::AfterClosing),
            (local(2026, 11, 28, 10, 0, 0), ClosedReason::Weekend),
        ] {
            let (s, bg, en) = at(&cal, now);
            assert_eq!(s, closed(why, monday));
            assert_eq!(bg, "Затворено. Отваря в понеделник в 8:30 ч.");
            assert_eq!(en, "Closed, opens Monday at 8:30");
        }
        let (s, _, en) = at(&cal, local(2026, 11, 29, 23, 59, 59));
        assert_eq!(reason(s), Some(ClosedReason::Weekend));
        assert_eq!(en, "Closed, opens tomorrow at 8:30");
    }

    #[test]
    fn a_holiday_is_named() {
        let cal = Calendar::default();
        // Monday 6 September 2027.
        let (s, bg, en) = at(&cal, local(2027, 9, 6, 10, 0, 0));
        assert_eq!(reason(s), Some(ClosedReason::Holiday(Holiday::Unification)));
        assert_eq!(
            bg,
            "Днес е официален празник: Съединението на България. Отваря утре в 8:30 ч."
        );
        assert_eq!(en, "Closed today: Unification Day. Opens tomorrow at 8:30");
    }

    #[test]
    fn a_carried_over_day_names_its_holiday() {
        let cal = Calendar::default();
        // Tuesday 4 May 2027: Labour Day fell on Holy Saturday; 6 May is a holiday too.
        let (s, bg, en) = at(&cal, local(2027, 5, 4, 9, 0, 0));
        assert_eq!(reason(s), Some(ClosedReason::CarriedOver(Holiday::Labour)));
        assert_eq!(
            bg,
            "Днес е почивен ден заради празника Ден на труда. Отваря утре в 8:30 ч."
        );
        assert_eq!(
            en,
            "Closed today: day off for Labour Day. Opens tomorrow at 8:30"
        );
    }

    #[test]
    fn the_long_easter_weekend() {
        let cal = Calendar::default();
        // Thursday 9 April 2026 after closing, then Good Friday to Easter Monday.
        let (_, bg, en) = at(&cal, local(2026, 4, 9, 17, 30, 0));
        assert_eq!(bg, "Затворено. Отваря във вторник в 8:30 ч.");
        assert_eq!(en, "Closed, opens Tuesday at 8:30");
        let (_, bg, _) = at(&cal, local(2026, 4, 10, 9, 0, 0));
        assert_eq!(
            bg,
            "Днес е официален празник: Велики петък. Отваря във вторник в 8:30 ч."
        );
        let (_, bg, en) = at(&cal, local(2026, 4, 13, 9, 0, 0));
        assert_eq!(
            bg,
            "Днес е официален празник: Втори ден на Великден. Отваря утре в 8:30 ч."
        );
        assert_eq!(en, "Closed today: Easter Monday. Opens tomorrow at 8:30");
    }

    #[test]
    fn an_opening_more_than_six_days_away_names_the_date() {
        // The real 2025/26 decisions plus two imagined days off.
        let cal = Calendar::new(CalendarOverrides {
            extra_days_off: vec![
                date(2025, 12, 31),
                date(2026, 1, 2),
                date(2026, 1, 5),
                date(2026, 1, 6),
            ],
            extra_working_days: vec![],
        });
        let (_, bg, en) = at(&cal, local(2025, 12, 30, 17, 30, 0));
        assert_eq!(bg, "Затворено. Отваря в сряда, 7 януари, в 8:30 ч.");
        assert_eq!(en, "Closed, opens Wednesday 7 January at 8:30");
        let (s, bg, _) = at(&cal, local(2026, 1, 6, 9, 0, 0));
        let opening = Some(local(2026, 1, 7, 8, 30, 0));
        assert_eq!(s, closed(ClosedReason::DayOff, opening));
        assert_eq!(bg, "Днес е почивен ден. Отваря утре в 8:30 ч.");
        // Exactly six days ahead still reads as a weekday.
        let (_, bg, _) = at(&cal, local(2026, 1, 1, 9, 0, 0));
        assert_eq!(
            bg,
            "Днес е официален празник: Нова година. Отваря в сряда в 8:30 ч."
        );
    }

    #[test]
    fn an_extra_working_saturday_opens() {
        let cal = Calendar::new(CalendarOverrides {
            extra_days_off: vec![],
            extra_working_days: vec![date(2026, 12, 12)],
        });
        assert!(at(&cal, local(2026, 12, 12, 9, 0, 0)).0.is_open());
        let (_, bg, _) = at(&cal, local(2026, 12, 11, 18, 0, 0));
        assert_eq!(bg, "Затворено. Отваря утре в 8:30 ч.");
    }

    #[test]
    fn daylight_saving_nights_are_handled() {
        let cal = Calendar::default();
        let monday_spring = Some(local(2026, 3, 30, 8, 30, 0));
        // 29 March 2026: 03:00 EET jumps to 04:00 EEST.
        for instant in [
            "2026-03-29T00:59:59Z",
            "2026-03-29T01:00:00Z",
            "2026-03-29T01:30:00Z",
        ] {
            let s = status_at(&cal, &hours(), utc(instant));
            assert_eq!(s, closed(ClosedReason::Weekend, monday_spring));
        }
        assert_eq!(
            sofia_local(utc("2026-03-29T01:00:00Z")),
            local(2026, 3, 29, 4, 0, 0)
        );
        // 8:30 EEST is 5:30 UTC.
        assert!(!status_at(&cal, &hours(), utc("2026-03-30T05:29:59Z")).is_open());
        assert!(status_at(&cal, &hours(), utc("2026-03-30T05:30:00Z")).is_open());

        // 25 October 2026: 04:00 EEST falls back to 03:00 EET; 03:30 happens twice.
        let monday_autumn = Some(local(2026, 10, 26, 8, 30, 0));
        for instant in ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"] {
            assert_eq!(sofia_local(utc(instant)), local(2026, 10, 25, 3, 30, 0));
            let s = status_at(&cal, &hours(), utc(instant));
            assert_eq!(s, closed(ClosedReason::Weekend, monday_autumn));
        }
        // 8:30 EET is 6:30 UTC.
        assert!(!status_at(&cal, &hours(), utc("2026-10-26T06:29:59Z")).is_open());
        assert!(status_at(&cal, &hours(), utc("2026-10-26T06:30:00Z")).is_open());

        // A wall-clock time that never existed is still described.
        let missing = local(2026, 3, 29, 3, 30, 0);
        let s = status_at_local(&cal, &hours(), missing);
        assert_eq!(
            s.describe(Lang::Bg, missing),
            "Затворено. Отваря утре в 8:30 ч."
        );
    }

    #[test]
    fn odd_hours_do_not_panic() {
        let cal = Calendar::default();
        let now = local(2026, 11, 24, 10, 0, 0);
        let never = OfficeHours {
            opens: t(17, 0, 0),
            closes: t(8, 0, 0),
            ..hours()
        };
        let s = status_at_local(&cal, &never, now);
        assert_eq!(s, closed(ClosedReason::BeforeOpening, None));
        assert_eq!(s.describe(Lang::Bg, now), "Затворено.");
        assert_eq!(s.describe(Lang::En, now), "Closed");

        let backwards_lunch = OfficeHours {
            lunch_start: t(13, 0, 0),
            lunch_end: t(12, 0, 0),
            ..hours()
        };
        assert_eq!(
            backwards_lunch.periods(),
            [Period::new(t(8, 30, 0), t(17, 0, 0))]
        );
        let lunch_at_opening = OfficeHours {
            lunch_start: t(8, 0, 0),
            lunch_end: t(9, 0, 0),
            ..hours()
        };
        assert_eq!(
            lunch_at_opening.periods(),
            [Period::new(t(9, 0, 0), t(17, 0, 0))]
        );
        let s = status_at_local(&cal, &lunch_at_opening, local(2026, 11, 24, 8, 45, 0));
        let opening = Some(local(2026, 11, 24, 9, 0, 0));
        assert_eq!(s, closed(ClosedReason::BeforeOpening, opening));
    }

    #[test]
    fn the_week_schedule_shows_holidays_closed() {
        let cal = Calendar::default();
        let week = schedule(&cal, &hours(), date(2026, 12, 21), 7);
        assert_eq!(week.len(), 7);
        assert_eq!(week[0].periods, hours().periods());
        assert_eq!(week[3].kind, DayKind::Holiday(Holiday::ChristmasEve));
        assert!(week[3].periods.is_empty());
        assert!(week[6].periods.is_empty());
    }

    #[test]
    fn names_of_days_and_months() {
        assert_eq!(weekday_name(Weekday::Thu, Lang::Bg), "четвъртък");
        assert_eq!(month_name(1, Lang::Bg), "януари");
        assert_eq!(month_name(12, Lang::En), "December");
        assert_eq!(month_name(0, Lang::En), "");
        let d = date(2026, 12, 23);
        assert_eq!(long_date(d, Lang::Bg), "23 декември 2026 г.");
        assert_eq!(long_date(d, Lang::En), "23 December 2026");
        assert_eq!(day_month(d, Lang::Bg), "23 декември");
        assert_eq!(month_name(13, Lang::Bg), "");
        assert_eq!(clock(t(8, 5, 59)), "8:05");
    }

    proptest! {
        #[test]
        fn status_is_consistent_at_any_instant(secs in 946_684_800i64..4_133_980_799) {
            let cal = Calendar::default();
            let instant = DateTime::from_timestamp(secs, 0).unwrap();
            let now = sofia_local(instant);
            let status = status_at(&cal, &hours(), instant);
            let working = cal.is_working_day(now.date());
            match status {
                OfficeStatus::Open { until, .. } => {
                    prop_assert!(working && now.time() < until);
                }
                OfficeStatus::LunchBreak { until } => {
                    prop_assert!(working && now.time() >= t(12, 0, 0) && until == t(12, 30, 0));
                }
                OfficeStatus::Closed { opens_at, .. } => {
                    let opens_at = opens_at.unwrap();
                    prop_assert!(opens_at > now);
                    prop_assert!(cal.is_working_day(opens_at.date()));
                    prop_assert_eq!(opens_at.time(), t(8, 30, 0));
                    prop_assert!((opens_at - now).num_days() <= 7);
                }
            }
            prop_assert!(!status.describe(Lang::Bg, now).is_empty());
            prop_assert!(!status.describe(Lang::En, now).is_empty());
        }
    }
}
