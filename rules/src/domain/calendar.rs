//! Which days the town hall works: Bulgarian public holidays, the carry-over
//! of a holiday that falls on a weekend, and the days the Council of
//! Ministers moves.
//!
//! The statute is the Labour Code, art. 154: the fixed holidays, the four
//! Orthodox Easter days, and (para. 2) "when a holiday other than the Easter
//! ones falls on a Saturday and/or Sunday, the first one or two working days
//! after it are days off". Each such holiday pushes exactly one day off onto
//! the next weekday that is neither a holiday nor already taken by an earlier
//! carry-over, so 25 Dec on a Saturday and 26 Dec on a Sunday give 27 and 28
//! Dec. A fixed holiday that coincides with an Easter Saturday or Sunday still
//! carries over (1 May 2021 and 2027 are Holy Saturday; 4 May is off in both).
//! A holiday that coincides with another one on a weekday gives nothing extra
//! (6 May 2024 was both St George's Day and Easter Monday; 7 May was worked).
//!
//! The current statute is applied to every year from [`FIRST_YEAR`] to
//! [`LAST_YEAR`]; years before the rules of 2017 are therefore what the law
//! would give today, not what was observed then. Outside that range the
//! calendar knows no holidays and only tells weekends from weekdays.
//!
//! Overrides from `kiosk.toml` sit on top of the statute, with this
//! precedence:
//! 1. an extra working day is always a working day, even on a weekend, a
//!    holiday or a carried-over day. The Council of Ministers cannot move a
//!    statutory holiday, so such an entry is almost surely a typing error and
//!    configuration checks should warn about it (see
//!    [`Calendar::statutory_day_kind`]); it is still obeyed because it is also
//!    the only way to correct the kiosk, without new firmware, if the law
//!    changes;
//! 2. a day the statute already makes non-working keeps its statutory kind
//!    (an extra day off on a holiday changes nothing);
//! 3. an extra day off makes an ordinary weekday a day off.
//!
//! [`Calendar`] answers from a table of every day of the supported years built
//! once in [`Calendar::new`], so it can be asked thousands of times a second.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::lang::Lang;

/// The first year whose holidays the calendar knows.
pub const FIRST_YEAR: i32 = 2000;
/// The last year whose holidays the calendar knows.
pub const LAST_YEAR: i32 = 2100;

/// An official holiday of the Labour Code, art. 154(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holiday {
    /// 1 January.
    NewYear,
    /// 3 March, the national day.
    Liberation,
    /// 1 May.
    Labour,
    /// 6 May.
    StGeorge,
    /// 24 May.
    Education,
    /// 6 September.
    Unification,
    /// 22 September.
    Independence,
    /// 24 December.
    ChristmasEve,
    /// 25 December.
    Christmas,
    /// 26 December.
    SecondDayOfChristmas,
    /// Orthodox Good Friday.
    GoodFriday,
    /// Orthodox Holy Saturday.
    HolySaturday,
    /// Orthodox Easter Sunday.
    Easter,
    /// Orthodox Easter Monday.
    EasterMonday,
}

impl Holiday {
    /// Every holiday, fixed ones first, in the order of the year.
    pub const ALL: [Holiday; 14] = [
        Holiday::NewYear,
        Holiday::Liberation,
        Holiday::Labour,
        Holiday::StGeorge,
        Holiday::Education,
        Holiday::Unification,
        Holiday::Independence,
        Holiday::ChristmasEve,
        Holiday::Christmas,
        Holiday::SecondDayOfChristmas,
        Holiday::GoodFriday,
        Holiday::HolySaturday,
        Holiday::Easter,
        Holiday::EasterMonday,
    ];

    /// One of the four Easter days, which never carry over to a weekday.
    pub fn is_easter(self) -> bool {
        matches!(
            self,
            Holiday::GoodFriday | Holiday::HolySaturday | Holiday::Easter | Holiday::EasterMonday
        )
    }

    /// The day and month of a fixed-date holiday; `None` for the Easter days.
    pub fn fixed_date(self) -> Option<(u32, u32)> {
        match self {
            Holiday::NewYear => Some((1, 1)),
            Holiday::Liberation => Some((3, 3)),
            Holiday::Labour => Some((5, 1)),
            Holiday::StGeorge => Some((5, 6)),
            Holiday::Education => Some((5, 24)),
            Holiday::Unification => Some((9, 6)),
            Holiday::Independence => Some((9, 22)),
            Holiday::ChristmasEve => Some((12, 24)),
            Holiday::Christmas => Some((12, 25)),
            Holiday::SecondDayOfChristmas => Some((12, 26)),
            Holiday::GoodFriday
            | Holiday::HolySaturday
            | Holiday::Easter
            | Holiday::EasterMonday => None,
        }
    }

    /// The holiday's name as the Labour Code gives it, for lists and the
    /// "upcoming holidays" screen.
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Bg => match self {
                Holiday::NewYear => "Нова година",
                Holiday::Liberation => "Ден на Освобождението на България от османско иго",
                Holiday::Labour => "Ден на труда и на международната работническа солидарност",
                Holiday::StGeorge => "Гергьовден, Ден на храбростта и Българската армия",
                Holiday::Education => {
                    "Ден на светите братя Кирил и Методий, на българската азбука, \
                     просвета и култура и на славянската книжовност"
                }
                Holiday::Unification => "Ден на Съединението",
                Holiday::Independence => "Ден на Независимостта на България",
                Holiday::ChristmasEve => "Бъдни вечер",
                Holiday::Christmas => "Рождество Христово",
                Holiday::SecondDayOfChristmas => "Рождество Христово (втори ден)",
                Holiday::GoodFriday => "Велики петък",
                Holiday::HolySaturday => "Велика събота",
                Holiday::Easter => "Великден",
                Holiday::EasterMonday => "Великден (понеделник)",
            },
            Lang::En => match self {
                Holiday::NewYear => "New Year's Day",
                Holiday::Liberation => "Day of the Liberation of Bulgaria from Ottoman Rule",
                Holiday::Labour => "Labour Day and International Workers' Solidarity Day",
                Holiday::StGeorge => "St George's Day, Day of Bravery and the Bulgarian Army",
                Holiday::Education => {
                    "Day of Saints Cyril and Methodius, of the Bulgarian Alphabet, \
                     Education and Culture and of Slavonic Literature"
                }
                Holiday::Unification => "Unification Day",
                Holiday::Independence => "Independence Day of Bulgaria",
                Holiday::ChristmasEve => "Christmas Eve",
                Holiday::Christmas => "Christmas Day",
                Holiday::SecondDayOfChristmas => "Second Day of Christmas",
                Holiday::GoodFriday => "Good Friday",
                Holiday::HolySaturday => "Holy Saturday",
                Holiday::Easter => "Easter Sunday",
                Holiday::EasterMonday => "Easter Monday",
            },
        }
    }

    /// The everyday name, short enough for the one-line office status.
    pub fn short_name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Bg => match self {
                Holiday::NewYear => "Нова година",
                Holiday::Liberation => "Освобождението на България",
                Holiday::Labour => "Ден на труда",
                Holiday::StGeorge => "Гергьовден",
                Holiday::Education => "Ден на българската просвета и култура",
                Holiday::Unification => "Съединението на България",
                Holiday::Independence => "Независимостта на България",
                Holiday::ChristmasEve => "Бъдни вечер",
                Holiday::Christmas => "Коледа",
                Holiday::SecondDayOfChristmas => "Втори ден на Коледа",
                Holiday::GoodFriday => "Велики петък",
                Holiday::HolySaturday => "Велика събота",
                Holiday::Easter => "Великден",
                Holiday::EasterMonday => "Втори ден на Великден",
            },
            Lang::En => match self {
                Holiday::NewYear => "New Year's Day",
                Holiday::Liberation => "Liberation Day",
                Holiday::Labour => "Labour Day",
                Holiday::StGeorge => "St George's Day",
                Holiday::Education => "Day of Bulgarian Education and Culture",
                Holiday::Unification => "Unification Day",
                Holiday::Independence => "Independence Day",
                Holiday::ChristmasEve => "Christmas Eve",
                Holiday::Christmas => "Christmas Day",
                Holiday::SecondDayOfChristmas => "Second Day of Christmas",
                Holiday::GoodFriday => "Good Friday",
                Holiday::HolySaturday => "Holy Saturday",
                Holiday::Easter => "Easter Sunday",
                Holiday::EasterMonday => "Easter Monday",
            },
        }
    }
}

/// Orthodox Easter Sunday of `year`, as a Gregorian date; `None` outside
/// [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn orthodox_easter(year: i32) -> Option<NaiveDate> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    // The Julian computus: the paschal full moon follows the 19-year lunar
    // cycle, and Easter is the Sunday after it, all in the Julian calendar.
    let golden = year % 19;
    let moon = (19 * golden + 15) % 30;
    let to_sunday = (2 * (year % 4) + 4 * (year % 7) - moon + 34) % 7;
    let days_after_feb = moon + to_sunday + 114;
    let (month, day) = (days_after_feb / 31, days_after_feb % 31 + 1);
    // March to December have the same lengths in both calendars, so the
    // Julian date is the Gregorian date with the same numbers moved by the
    // calendars' gap: 13 days until February 2100, 14 days from March 2100.
    let gap = year / 100 - year / 400 - 2;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?
        .checked_add_days(Days::new(u64::try_from(gap).ok()?))
}

/// The official holidays of `year`, sorted by date; two holidays that fall on
/// the same day are both listed. Empty outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let Some(easter) = orthodox_easter(year) else {
        return Vec::new();
    };
    let mut out: Vec<(NaiveDate, Holiday)> = Holiday::ALL
        .iter()
        .filter_map(|&h| {
            let (month, day) = h.fixed_date()?;
            Some((NaiveDate::from_ymd_opt(year, month, day)?, h))
        })
        .collect();
    let easter_days = [
        (Holiday::GoodFriday, -2),
        (Holiday::HolySaturday, -1),
        (Holiday::Easter, 0),
        (Holiday::EasterMonday, 1),
    ];
    for (h, offset) in easter_days {
        if let Some(date) = easter.checked_add_signed(chrono::TimeDelta::days(offset)) {
            out.push((date, h));
        }
    }
    out.sort();
    out
}

/// The weekdays made days off by art. 154(2) in `year`, each with the holiday
/// that fell on the weekend, sorted by date.
pub fn carried_over_days(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let holidays = public_holidays(year);
    let is_holiday = |d: NaiveDate| holidays.iter().any(|&(h, _)| h == d);
    let mut out: Vec<(NaiveDate, Holiday)> = Vec::new();
    for &(date, holiday) in &holidays {
        if holiday.is_easter() || !is_weekend(date) {
            continue;
        }
        // Found within a few days: at most four holidays are ever
        // consecutive and at most two carry-overs queue up (Christmas).
        let free = date.iter_days().skip(1).find(|&d| {
            !is_weekend(d) && !is_holiday(d) && !out.iter().any(|&(taken, _)| taken == d)
        });
        if let Some(day) = free {
            out.push((day, holiday));
        }
    }
    out
}

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The days the Council of Ministers moves, as listed in `kiosk.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarOverrides {
    /// Weekdays declared days off.
    pub extra_days_off: Vec<NaiveDate>,
    /// Days declared working days, usually Saturdays worked in exchange.
    pub extra_working_days: Vec<NaiveDate>,
}

/// What kind of day a date is for the town hall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// An ordinary working weekday.
    Working,
    /// A day made working by an override, usually a Saturday.
    ExtraWorkingDay,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// An official holiday. Where two fall on one day, the fixed-date one is
    /// named (St George's Day rather than Easter Monday); see
    /// [`Calendar::holidays_on`] for all of them.
    Holiday(Holiday),
    /// A weekday off because this holiday fell on a weekend.
    CarriedOver(Holiday),
    /// A weekday made a day off by an override.
    ExtraDayOff,
}

impl DayKind {
    /// Whether the office works on such a day.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Working | DayKind::ExtraWorkingDay)
    }

    /// The holiday behind the day off, if there is one.
    pub fn holiday(self) -> Option<Holiday> {
        match self {
            DayKind::Holiday(h) | DayKind::CarriedOver(h) => Some(h),
            _ => None,
        }
    }
}

/// The working-day calendar: statute plus overrides, ready to be asked.
#[derive(Clone)]
pub struct Calendar {
    /// `num_days_from_ce` of 1 January [`FIRST_YEAR`], the first table entry.
    first_day: i32,
    /// The statutory kind of every day of the supported years.
    statutory: Box<[DayKind]>,
    /// Sorted and deduplicated, for binary search.
    extra_days_off: Vec<NaiveDate>,
    extra_working_days: Vec<NaiveDate>,
}

impl std::fmt::Debug for Calendar {
    // The table has some 37 000 entries; the overrides are what tells two
    // calendars apart in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calendar")
            .field("extra_days_off", &self.extra_days_off)
            .field("extra_working_days", &self.extra_working_days)
            .finish_non_exhaustive()
    }
}

impl Default for Calendar {
    /// The statute alone, with no overrides.
    fn default() -> Self {
        Calendar::new(CalendarOverrides::default())
    }
}

impl Calendar {
    /// Builds the calendar of [`FIRST_YEAR`]..=[`LAST_YEAR`] with `overrides`.
    pub fn new(overrides: CalendarOverrides) -> Self {
        let first_day = NaiveDate::from_yo_opt(FIRST_YEAR, 1)
            .map(|d| d.num_days_from_ce())
            .unwrap_or_default();
        let mut statutory: Vec<DayKind> = Vec::with_capacity(36_890);
        for year in FIRST_YEAR..=LAST_YEAR {
            statutory.extend(
                (1..=366)
                    .filter_map(|ordinal| NaiveDate::from_yo_opt(year, ordinal))
                    .map(|d| {
                        if is_weekend(d) {
                            DayKind::Weekend
                        } else {
                            DayKind::Working
                        }
                    }),
            );
        }
        let mut calendar = Calendar {
            first_day,
            statutory: statutory.into_boxed_slice(),
            extra_days_off: sorted(overrides.extra_days_off),
            extra_working_days: sorted(overrides.extra_working_days),
        };
        for year in FIRST_YEAR..=LAST_YEAR {
            for (date, holiday) in public_holidays(year) {
                if let Some(slot) = calendar.slot_mut(date) {
                    // A fixed-date holiday names the day over an Easter one.
                    let keep = matches!(*slot, DayKind::Holiday(h) if !h.is_easter());
                    if !keep {
                        *slot = DayKind::Holiday(holiday);
                    }
                }
            }
            for (date, holiday) in carried_over_days(year) {
                if let Some(slot) = calendar.slot_mut(date) {
                    *slot = DayKind::CarriedOver(holiday);
                }
            }
        }
        calendar
    }

    fn index(&self, date: NaiveDate) -> Option<usize> {
        let offset = date.num_days_from_ce().checked_sub(self.first_day)?;
        usize::try_from(offset)
            .ok()
            .filter(|&i| i < self.statutory.len())
    }

    fn slot_mut(&mut self, date: NaiveDate) -> Option<&mut DayKind> {
        let i = self.index(date)?;
        self.statutory.get_mut(i)
    }

    /// What `date` is by the statute alone, ignoring the overrides; for
    /// configuration checks that warn about overrides contradicting the law.
    pub fn statutory_day_kind(&self, date: NaiveDate) -> DayKind {
        match self.index(date).and_then(|i| self.statutory.get(i)) {
            Some(&kind) => kind,
            None if is_weekend(date) => DayKind::Weekend,
            None => DayKind::Working,
        }
    }

    /// What `date` is, overrides included.
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        let statutory = self.statutory_day_kind(date);
        if self.extra_working_days.binary_search(&date).is_ok() {
            return if statutory == DayKind::Working {
                DayKind::Working
            } else {
                DayKind::ExtraWorkingDay
            };
        }
        if statutory == DayKind::Working && self.extra_days_off.binary_search(&date).is_ok() {
            return DayKind::ExtraDayOff;
        }
        statutory
    }

    /// Whether the office works on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date).is_working()
    }

    /// The first working day on or after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        // Ends within days: only finitely many overrides can block weekdays.
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        day
    }

    /// All official holidays on `date`; usually none or one.
    pub fn holidays_on(&self, date: NaiveDate) -> Vec<Holiday> {
        public_holidays(date.year())
            .into_iter()
            .filter(|&(d, _)| d == date)
            .map(|(_, h)| h)
            .collect()
    }

    /// The days from `from` to `to` inclusive that are not ordinary: holidays
    /// (weekend ones too), carried-over days, extra days off and extra
    /// working days.
    pub fn notable_days(&self, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, DayKind)> {
        from.iter_days()
            .take_while(|&d| d <= to)
            .map(|d| (d, self.day_kind(d)))
            .filter(|&(_, kind)| !matches!(kind, DayKind::Working | DayKind::Weekend))
            .collect()
    }

    /// The non-working days from `from` to `to` inclusive that are not
    /// ordinary weekends, for the "upcoming holidays" screen.
    pub fn days_off(&self, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, DayKind)> {
        let mut days = self.notable_days(from, to);
        days.retain(|&(_, kind)| !kind.is_working());
        days
    }
}

fn sorted(mut dates: Vec<NaiveDate>) -> Vec<NaiveDate> {
    dates.sort_unstable();
    dates.dedup();
    dates
}

#[cfg(test)]
mod tests {
    use super::*;
    use Holiday::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn ymd(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The weekdays of `year` on which the office is closed, as "MM-DD ...".
    fn closed_weekdays(cal: &Calendar, year: i32) -> String {
        let days: Vec<String> = date(year, 1, 1)
            .iter_days()
            .take_while(|d| d.year() == year)
            .filter(|&d| !is_weekend(d) && !cal.is_working_day(d))
            .map(|d| d.format("%m-%d").to_string())
            .collect();
        days.join(" ")
    }

    /// Checks lines of "YYYY: MM-DD MM-DD ..." against the calendar.
    fn assert_closed_weekdays(cal: &Calendar, expected: &str) {
        for line in expected.lines() {
            let (year, days) = line.trim().split_once(": ").unwrap();
            assert_eq!(closed_weekdays(cal, year.parse().unwrap()), days, "{year}");
        }
    }

    #[test]
    fn orthodox_easter_matches_known_dates() {
        let known = "2000-04-30 2005-05-01 2010-04-04 2021-05-02 2023-04-16 2024-05-05 \
                     2025-04-20 2026-04-12 2027-05-02 2028-04-16 2029-04-08 2030-04-28 \
                     2040-05-06 2100-05-02";
        for s in known.split_whitespace() {
            let d = ymd(s);
            assert_eq!(orthodox_easter(d.year()), Some(d), "Easter {}", d.year());
        }
    }

    #[test]
    fn years_outside_the_table_have_no_holidays() {
        assert_eq!(orthodox_easter(1999), None);
        assert_eq!(orthodox_easter(2101), None);
        assert!(public_holidays(2101).is_empty());
        let cal = Calendar::default();
        assert!(cal.is_working_day(date(2101, 1, 3)));
        assert_eq!(cal.day_kind(date(1999, 12, 25)), DayKind::Weekend);
    }

    #[test]
    fn a_year_has_fourteen_holidays_in_date_order() {
        let h = public_holidays(2025);
        assert_eq!(h.len(), 14);
        assert!(h.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(h[2], (date(2025, 4, 18), GoodFriday));
        assert_eq!(h[13], (date(2025, 12, 26), SecondDayOfChristmas));
    }

    #[test]
    fn non_working_weekdays_by_the_statute_alone() {
        let cal = Calendar::default();
        let expected = "\
            2024: 01-01 03-04 05-01 05-03 05-06 05-24 09-06 09-23 12-24 12-25 12-26
            2025: 01-01 03-03 04-18 04-21 05-01 05-06 05-26 09-08 09-22 12-24 12-25 12-26
            2026: 01-01 03-03 04-10 04-13 05-01 05-06 05-25 09-07 09-22 12-24 12-25 12-28
            2027: 01-01 03-03 04-30 05-03 05-04 05-06 05-24 09-06 09-22 12-24 12-27 12-28";
        assert_closed_weekdays(&cal, expected);
    }

    /// The Council of Ministers' decisions for 2024-2027 known when this was
    /// written: 31 Dec 2025 and 2 Jan 2026 made days off, with no Saturday
    /// worked in exchange.
    fn decided_overrides() -> CalendarOverrides {
        CalendarOverrides {
            extra_days_off: vec![date(2025, 12, 31), date(2026, 1, 2)],
            extra_working_days: vec![],
        }
    }

    #[test]
    fn non_working_weekdays_with_the_council_of_ministers_decisions() {
        let cal = Calendar::new(decided_overrides());
        let expected = "\
            2024: 01-01 03-04 05-01 05-03 05-06 05-24 09-06 09-23 12-24 12-25 12-26
            2025: 01-01 03-03 04-18 04-21 05-01 05-06 05-26 09-08 09-22 12-24 12-25 12-26 12-31
            2026: 01-01 01-02 03-03 04-10 04-13 05-01 05-06 05-25 09-07 09-22 12-24 12-25 12-28
            2027: 01-01 03-03 04-30 05-03 05-04 05-06 05-24 09-06 09-22 12-24 12-27 12-28";
        assert_closed_weekdays(&cal, expected);
        assert_eq!(cal.day_kind(date(2025, 12, 31)), DayKind::ExtraDayOff);
    }

    #[test]
    fn two_weekend_christmas_days_push_two_days_off() {
        let cal = Calendar::default();
        // 2021: 25 Sat, 26 Sun. 2022: 24 Sat, 25 Sun, 26 Mon.
        assert_eq!(
            cal.day_kind(date(2021, 12, 27)),
            DayKind::CarriedOver(Christmas)
        );
        assert_eq!(
            cal.day_kind(date(2021, 12, 28)),
            DayKind::CarriedOver(SecondDayOfChristmas)
        );
        assert!(cal.is_working_day(date(2021, 12, 29)));
        assert_eq!(
            cal.day_kind(date(2022, 12, 27)),
            DayKind::CarriedOver(ChristmasEve)
        );
        assert_eq!(
            cal.day_kind(date(2022, 12, 28)),
            DayKind::CarriedOver(Christmas)
        );
        assert!(cal.is_working_day(date(2022, 12, 29)));
    }

    #[test]
    fn labour_day_on_holy_saturday_carries_past_easter_monday() {
        let cal = Calendar::default();
        for year in [2021, 2027] {
            assert_eq!(cal.day_kind(date(year, 5, 1)), DayKind::Holiday(Labour));
            assert_eq!(cal.holidays_on(date(year, 5, 1)), [Labour, HolySaturday]);
            assert_eq!(
                cal.day_kind(date(year, 5, 3)),
                DayKind::Holiday(EasterMonday)
            );
            assert_eq!(cal.day_kind(date(year, 5, 4)), DayKind::CarriedOver(Labour));
        }
    }

    #[test]
    fn a_holiday_on_easter_monday_gives_no_extra_day() {
        let cal = Calendar::default();
        assert_eq!(cal.day_kind(date(2024, 5, 6)), DayKind::Holiday(StGeorge));
        assert_eq!(cal.holidays_on(date(2024, 5, 6)), [StGeorge, EasterMonday]);
        assert!(cal.is_working_day(date(2024, 5, 7)));
    }

    #[test]
    fn an_extra_working_saturday_is_worked() {
        let sat = date(2026, 3, 14);
        let cal = Calendar::new(CalendarOverrides {
            extra_days_off: vec![date(2026, 3, 2)],
            extra_working_days: vec![sat],
        });
        assert_eq!(cal.day_kind(sat), DayKind::ExtraWorkingDay);
        assert_eq!(cal.statutory_day_kind(sat), DayKind::Weekend);
        assert_eq!(cal.day_kind(date(2026, 3, 2)), DayKind::ExtraDayOff);
        assert_eq!(cal.next_working_day(date(2026, 3, 2)), date(2026, 3, 4));
        assert_eq!(cal.next_working_day(date(2026, 3, 14)), sat);
    }

    #[test]
    fn an_extra_working_day_on_a_holiday_wins_and_a_day_off_there_changes_nothing() {
        let cal = Calendar::new(CalendarOverrides {
            extra_days_off: vec![date(2026, 12, 25), date(2026, 12, 26)],
            extra_working_days: vec![date(2026, 12, 24), date(2026, 12, 22)],
        });
        assert_eq!(cal.day_kind(date(2026, 12, 24)), DayKind::ExtraWorkingDay);
        assert_eq!(
            cal.statutory_day_kind(date(2026, 12, 24)),
            DayKind::Holiday(ChristmasEve)
        );
        assert_eq!(
            cal.day_kind(date(2026, 12, 25)),
            DayKind::Holiday(Christmas)
        );
        // 26 Dec 2026 is a Saturday holiday.
        assert_eq!(
            cal.day_kind(date(2026, 12, 26)),
            DayKind::Holiday(SecondDayOfChristmas)
        );
        // Listing an ordinary weekday as working changes nothing either.
        assert_eq!(cal.day_kind(date(2026, 12, 22)), DayKind::Working);
    }

    #[test]
    fn days_off_lists_holidays_and_carry_overs_but_not_plain_weekends() {
        let cal = Calendar::new(CalendarOverrides {
            extra_days_off: vec![],
            extra_working_days: vec![date(2027, 12, 18)],
        });
        let listed = cal.days_off(date(2027, 12, 1), date(2027, 12, 31));
        assert_eq!(
            listed,
            [
                (date(2027, 12, 24), DayKind::Holiday(ChristmasEve)),
                (date(2027, 12, 25), DayKind::Holiday(Christmas)),
                (date(2027, 12, 26), DayKind::Holiday(SecondDayOfChristmas)),
                (date(2027, 12, 27), DayKind::CarriedOver(Christmas)),
                (
                    date(2027, 12, 28),
                    DayKind::CarriedOver(SecondDayOfChristmas)
                ),
            ]
        );
        let notable = cal.notable_days(date(2027, 12, 1), date(2027, 12, 20));
        assert_eq!(notable, [(date(2027, 12, 18), DayKind::ExtraWorkingDay)]);
        assert!(
            cal.days_off(date(2027, 12, 31), date(2027, 12, 1))
                .is_empty()
        );
    }

    #[test]
    fn next_working_day_skips_a_long_easter_weekend() {
        let cal = Calendar::default();
        assert_eq!(cal.next_working_day(date(2026, 4, 10)), date(2026, 4, 14));
        assert_eq!(cal.next_working_day(date(2026, 4, 14)), date(2026, 4, 14));
        assert_eq!(cal.next_working_day(date(2027, 4, 30)), date(2027, 5, 5));
    }

    #[test]
    fn every_holiday_has_distinct_names_in_both_languages() {
        for lang in [Lang::Bg, Lang::En] {
            let mut names: Vec<_> = Holiday::ALL.iter().map(|h| h.name(lang)).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), 14);
            assert!(Holiday::ALL.iter().all(|h| !h.short_name(lang).is_empty()));
        }
        assert_eq!(Unification.short_name(Lang::Bg), "Съединението на България");
    }

    proptest! {
        #[test]
        fn easter_is_a_sunday_in_april_or_may(year in FIRST_YEAR..=LAST_YEAR) {
            let easter = orthodox_easter(year).unwrap();
            prop_assert_eq!(easter.weekday(), Weekday::Sun);
            prop_assert!(matches!(easter.month(), 4 | 5));
            prop_assert_eq!(easter.year(), year);
        }

        #[test]
        fn carried_over_days_are_otherwise_working_weekdays(year in FIRST_YEAR..=LAST_YEAR) {
            let holidays = public_holidays(year);
            let carried = carried_over_days(year);
            let on_weekends = holidays
                .iter()
                .filter(|(d, h)| !h.is_easter() && is_weekend(*d))
                .count();
            prop_assert_eq!(carried.len(), on_weekends);
            for (i, &(day, holiday)) in carried.iter().enumerate() {
                prop_assert!(!is_weekend(day));
                prop_assert!(!holidays.iter().any(|&(d, _)| d == day));
                prop_assert!(!carried[..i].iter().any(|&(d, _)| d == day));
                prop_assert!(!holiday.is_easter());
                // Within the week after the holiday, in the same year.
                let (month, dom) = holiday.fixed_date().unwrap();
                let fell_on = date(year, month, dom);
                prop_assert!(day > fell_on && (day - fell_on).num_days() <= 7);
                prop_assert_eq!(day.year(), year);
            }
        }

        #[test]
        fn the_table_agrees_with_the_rules(
            y in FIRST_YEAR..=LAST_YEAR,
            ordinal in 1u32..=365,
        ) {
            let d = NaiveDate::from_yo_opt(y, ordinal).unwrap();
            let cal = Calendar::default();
            let holiday = public_holidays(y).iter().any(|&(h, _)| h == d);
            let carried = carried_over_days(y).iter().any(|&(c, _)| c == d);
            prop_assert_eq!(cal.is_working_day(d), !holiday && !carried && !is_weekend(d));
            prop_assert!(cal.is_working_day(cal.next_working_day(d)));
            prop_assert!((cal.next_working_day(d) - d).num_days() <= 7);
        }
    }
}
