//! Periods a staff member asks about, turned into inclusive ranges of
//! Europe/Sofia calendar days.
//!
//! Invariants: a [`DateRange`] never ends before it starts and never spans
//! more than [`MAX_DAYS`]; weeks run Monday to Sunday (as in Bulgaria), and
//! the weeks of a range are clipped to it, so the first and last may be
//! short. "Today" is the caller's Sofia date: this module never reads a
//! clock.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// The longest range a summary or report may cover (a little over ten
/// years): longer ones are a typing mistake, and refusing them keeps a
/// summary's weekly trend small.
pub const MAX_DAYS: i64 = 3700;

/// What a staff member picks on the summary screen or the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Today,
    /// Monday to Sunday of the current week.
    ThisWeek,
    ThisMonth,
    ThisYear,
    /// A whole calendar year, e.g. for the annual report.
    Year(i32),
    /// A chosen range, both days included.
    Range {
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// Days from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Why a period cannot be summarised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period ends ({to}) before it starts ({from}); swap the dates")]
    Backwards { from: NaiveDate, to: NaiveDate },
    #[error("the period from {from} to {to} is longer than {MAX_DAYS} days; choose a shorter one")]
    TooLong { from: NaiveDate, to: NaiveDate },
    #[error("year {0} is outside the calendar this kiosk can count")]
    BadYear(i32),
}

impl DateRange {
    /// The days `from` to `to`, both included.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError::Backwards { from, to });
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(PeriodError::TooLong { from, to });
        }
        Ok(DateRange { from, to })
    }

    /// One calendar year.
    pub fn year(year: i32) -> Result<Self, PeriodError> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(PeriodError::BadYear(year))?;
        let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(PeriodError::BadYear(year))?;
        DateRange::new(from, to)
    }

    /// How many days the range covers.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The Monday-to-Sunday weeks touching the range, each clipped to it.
    pub fn weeks(&self) -> Vec<DateRange> {
        let mut out = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let sunday = week_start(start)
                .checked_add_days(Days::new(6))
                .unwrap_or(self.to);
            let end = sunday.min(self.to);
            out.push(DateRange {
                from: start,
                to: end,
            });
            match end.succ_opt() {
                Some(next) => start = next,
                None => break,
            }
        }
        out
    }
}

impl std::fmt::Display for DateRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from.format("%d.%m.%Y"))
        } else {
            write!(
                f,
                "{} – {}",
                self.from.format("%d.%m.%Y"),
                self.to.format("%d.%m.%Y")
            )
        }
    }
}

/// The Monday of `day`'s week.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    let back = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(back)).unwrap_or(day)
}

impl Period {
    /// The days this period covers, `today` being the Sofia date now.
    pub fn resolve(self, today: NaiveDate) -> Result<DateRange, PeriodError> {
        match self {
            Period::Today => DateRange::new(today, today),
            Period::ThisWeek => {
                let monday = week_start(today);
                let sunday = monday.checked_add_days(Days::new(6)).unwrap_or(today);
                DateRange::new(monday, sunday)
            }
            Period::ThisMonth => {
                let first = today.with_day(1).unwrap_or(today);
                let last = first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(today);
                DateRange::new(first, last)
            }
            Period::ThisYear => DateRange::year(today.year()),
            Period::Year(y) => DateRange::year(y),
            Period::Range { from, to } => DateRange::new(from, to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn named_periods_resolve_around_today() {
        let today = d(2026, 2, 12); // a Thursday
        assert_eq!(Period::Today.resolve(today).unwrap().days(), 1);
        let week = Period::ThisWeek.resolve(today).unwrap();
        assert_eq!((week.from, week.to), (d(2026, 2, 9), d(2026, 2, 15)));
        let month = Period::ThisMonth.resolve(today).unwrap();
        assert_eq!((month.from, month.to), (d(2026, 2, 1), d(2026, 2, 28)));
        let year = Period::ThisYear.resolve(today).unwrap();
        assert_eq!((year.from, year.to), (d(2026, 1, 1), d(2026, 12, 31)));
        let december = Period::ThisMonth.resolve(d(2026, 12, 31)).unwrap();
        assert_eq!(december.to, d(2026, 12, 31));
    }

    #[test]
    fn a_week_across_new_year_is_one_week() {
        let week = Period::ThisWeek.resolve(d(2027, 1, 1)).unwrap();
        assert_eq!((week.from, week.to), (d(2026, 12, 28), d(2027, 1, 3)));
        let range = DateRange::new(d(2026, 12, 30), d(2027, 1, 5)).unwrap();
        let weeks = range.weeks();
        assert_eq!(weeks.len(), 2);
        assert_eq!(
            (weeks[0].from, weeks[0].to),
            (d(2026, 12, 30), d(2027, 1, 3))
        );
        assert_eq!((weeks[1].from, weeks[1].to), (d(2027, 1, 4), d(2027, 1, 5)));
    }

    #[test]
    fn backwards_and_endless_ranges_are_refused() {
        assert!(matches!(
            DateRange::new(d(2026, 3, 2), d(2026, 3, 1)),
            Err(PeriodError::Backwards { .. })
        ));
        assert!(matches!(
            DateRange::new(d(2000, 1, 1), d(2026, 1, 1)),
            Err(PeriodError::TooLong { .. })
        ));
    }

    proptest! {
        #[test]
        fn weeks_cover_the_range_exactly_once(start in 0i64..4000, len in 0i64..400) {
            let from = d(2025, 1, 1) + chrono::Duration::days(start);
            let to = from + chrono::Duration::days(len);
            let range = DateRange::new(from, to).unwrap();
            let weeks = range.weeks();
            prop_assert_eq!(weeks.iter().map(DateRange::days).sum::<i64>(), range.days());
            prop_assert_eq!(weeks[0].from, from);
            prop_assert_eq!(weeks[weeks.len() - 1].to, to);
            for w in &weeks {
                prop_assert!(w.days() <= 7);
                prop_assert_eq!(week_start(w.from), week_start(w.to));
            }
        }
    }
}
