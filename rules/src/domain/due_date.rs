//! The charter's deadline for a written answer: one calendar month from
//! filing, moved forward to the next working day.
//!
//! A month counts to the day with the filing's number in the next month, or
//! to that month's last day if it is shorter (31 January gives 28 or 29
//! February), and a term ending on a day off ends on the next working day:
//! the way Bulgarian law counts terms in months. Which filings are owed an
//! answer, and what their filer is told, is decided in [`super::answer`].
//! The result is always a working day of the given calendar and never comes
//! before the same day next month.

use chrono::{Months, NaiveDate};

use super::calendar::Calendar;

/// The same day next month, or the last day of next month if it is shorter.
pub fn add_one_month(d: NaiveDate) -> NaiveDate {
    // Fails only at the very end of chrono's range, hundreds of thousands of
    // years away; keeping the date is then as good an answer as any.
    d.checked_add_months(Months::new(1)).unwrap_or(d)
}

/// When the answer to a filing of `filed` is due: one calendar month later,
/// or the first working day after that if it is not one.
pub fn answer_due(filed: NaiveDate, cal: &Calendar) -> NaiveDate {
    cal.next_working_day(add_one_month(filed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{CalendarOverrides, FIRST_YEAR};
    use chrono::{Datelike, TimeDelta};
    use proptest::prelude::*;

    fn ymd(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn one_month_later_in_tricky_cases() {
        let cases = [
            ("2024-01-31", "2024-02-29"),
            ("2025-01-31", "2025-02-28"),
            ("2100-01-31", "2100-02-28"),
            ("2000-01-31", "2000-02-29"),
            ("2024-02-29", "2024-03-29"),
            ("2025-02-28", "2025-03-28"),
            ("2026-03-31", "2026-04-30"),
            ("2025-12-30", "2026-01-30"),
            ("2025-12-31", "2026-01-31"),
        ];
        for (filed, expected) in cases {
            assert_eq!(add_one_month(ymd(filed)), ymd(expected), "{filed}");
        }
    }

    #[test]
    fn due_dates_move_past_days_off() {
        let cal = Calendar::default();
        let cases = [
            // Thursday 29 February 2024 is a working day.
            ("2024-01-31", "2024-02-29"),
            // 28 February 2026 is a Saturday.
            ("2026-01-31", "2026-03-02"),
            ("2025-12-30", "2026-01-30"),
            ("2026-11-23", "2026-12-23"),
            // 24-25 Dec 2026 holidays, 26 Sat holiday, 27 Sun, 28 carried over.
            ("2026-11-24", "2026-12-29"),
            // 25-26 Dec 2027 on the weekend, 27-28 carried over.
            ("2027-11-25", "2027-12-29"),
            // Easter Sunday 2026 and Good Friday 2026.
            ("2026-03-12", "2026-04-14"),
            ("2026-03-10", "2026-04-14"),
            // Labour Day on Holy Saturday 2027: 1-4 May off.
            ("2027-04-01", "2027-05-05"),
            // New Year 2026 without the Council of Ministers' decision.
            ("2025-12-01", "2026-01-02"),
        ];
        for (filed, due) in cases {
            assert_eq!(answer_due(ymd(filed), &cal), ymd(due), "filed {filed}");
        }
    }

    #[test]
    fn due_dates_follow_the_overrides() {
        let cal = Calendar::new(CalendarOverrides {
            extra_days_off: vec![ymd("2025-12-31"), ymd("2026-01-02")],
            extra_working_days: vec![ymd("2026-03-14")],
        });
        assert_eq!(answer_due(ymd("2025-12-01"), &cal), ymd("2026-01-05"));
        assert_eq!(answer_due(ymd("2026-02-14"), &cal), ymd("2026-03-14"));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 2000-01-01 to 2100-11-30, so that due dates stay inside the table.
        (0i64..36_858).prop_map(|n| ymd("2000-01-01") + TimeDelta::days(n))
    }

    proptest! {
        #[test]
        fn the_due_date_is_a_working_day_about_a_month_later(
            filed in any_date(),
            off in prop::collection::vec(any_date(), 0..20),
            working in prop::collection::vec(any_date(), 0..5),
        ) {
            let cal = Calendar::new(CalendarOverrides {
                extra_days_off: off,
                extra_working_days: working,
            });
            let due = answer_due(filed, &cal);
            let month_later = add_one_month(filed);
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due >= filed + TimeDelta::days(28));
            prop_assert!(due >= month_later);
            prop_assert!(due <= cal.next_working_day(month_later));
            prop_assert!(due.year() >= FIRST_YEAR);
        }

        #[test]
        fn one_month_keeps_the_day_or_ends_the_month(filed in any_date()) {
            let next = add_one_month(filed);
            prop_assert_eq!(next.month(), filed.month() % 12 + 1);
            let ends_the_month = next.succ_opt().unwrap().day() == 1;
            prop_assert!(next.day() == filed.day() || (next.day() < filed.day() && ends_the_month));
        }
    }
}
