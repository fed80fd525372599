//! Dates and clock times in words.
//!
//! Bulgarian: the day as a masculine ordinal, the month by name, the year as
//! a feminine ordinal with "година" ("двайсет и трети декември две хиляди
//! двайсет и шеста година"); times on the 24-hour clock with both units
//! named ("осем часа и трийсет минути"). "Осем и половина" is shorter, but
//! it leaves morning or evening to guess and has no form for 8:25; naming
//! hours and minutes is how official announcements read a time and is the
//! form an elderly listener can write down without doubt.
//!
//! English: "the twenty-third of December, two thousand and twenty-six";
//! times on the 12-hour clock with the part of the day in words ("eight
//! thirty in the morning"), since "seventeen hundred" is not everyday
//! English.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use super::{Gender, Noun, bg, cardinal, en, quantity};
use crate::domain::hours::month_name;
use crate::domain::lang::Lang;

/// A date as it is said: "двайсет и трети декември две хиляди двайсет и
/// шеста година", "the twenty-third of December, two thousand and
/// twenty-six".
pub fn date(day: NaiveDate, lang: Lang) -> String {
    let month = month_name(day.month(), lang);
    // Years before 1 AD never reach the kiosk; read them as their magnitude.
    let year = u64::from(day.year().unsigned_abs());
    match lang {
        Lang::Bg => format!(
            "{} {} {} година",
            bg::ordinal(u64::from(day.day()), Gender::Masculine),
            month,
            bg::ordinal(year, Gender::Feminine)
        ),
        Lang::En => format!(
            "the {} of {}, {}",
            en::ordinal(u64::from(day.day())),
            month,
            en::cardinal(year)
        ),
    }
}

/// A clock time as it is said: "осем часа и трийсет минути", "седемнайсет
/// часа", "eight thirty in the morning", "five o'clock in the afternoon".
/// Seconds are not said.
pub fn time(at: NaiveTime, lang: Lang) -> String {
    let (h, m) = (u64::from(at.hour()), u64::from(at.minute()));
    match lang {
        Lang::Bg if m == 0 => quantity(h, Noun::Hour, Lang::Bg),
        Lang::Bg => format!(
            "{} и {}",
            quantity(h, Noun::Hour, Lang::Bg),
            quantity(m, Noun::Minute, Lang::Bg)
        ),
        Lang::En => time_en(h, m),
    }
}

fn time_en(h: u64, m: u64) -> String {
    match (h, m) {
        (0, 0) => return "midnight".to_string(),
        (12, 0) => return "twelve noon".to_string(),
        _ => {}
    }
    let part = match h {
        0..=4 => "at night",
        5..=11 => "in the morning",
        12..=17 => "in the afternoon",
        _ => "in the evening",
    };
    let hour = match h % 12 {
        0 => 12,
        h => h,
    };
    let hour = cardinal(hour, Gender::Masculine, Lang::En);
    match m {
        0 => format!("{hour} o'clock {part}"),
        // "eight oh five": the usual way to say minutes below ten.
        1..=9 => format!(
            "{hour} oh {} {part}",
            en::DIGITS.get(m as usize).copied().unwrap_or_default()
        ),
        m => format!("{hour} {} {part}", en::cardinal(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn dates_in_both_languages() {
        let cases = [
            (
                d(2026, 12, 23),
                "двайсет и трети декември две хиляди двайсет и шеста година",
                "the twenty-third of December, two thousand and twenty-six",
            ),
            (
                d(2026, 1, 1),
                "първи януари две хиляди двайсет и шеста година",
                "the first of January, two thousand and twenty-six",
            ),
            (
                d(2027, 3, 2),
                "втори март две хиляди двайсет и седма година",
                "the second of March, two thousand and twenty-seven",
            ),
            (
                d(2030, 5, 31),
                "трийсет и първи май две хиляди и трийсета година",
                "the thirty-first of May, two thousand and thirty",
            ),
            (
                d(2000, 2, 29),
                "двайсет и девети февруари двехилядна година",
                "the twenty-ninth of February, two thousand",
            ),
            (
                d(2100, 11, 12),
                "дванайсети ноември две хиляди и стотна година",
                "the twelfth of November, two thousand one hundred",
            ),
        ];
        for (day, bg, en) in cases {
            assert_eq!(date(day, Lang::Bg), bg);
            assert_eq!(date(day, Lang::En), en);
        }
    }

    #[test]
    fn times_in_both_languages() {
        let cases = [
            (
                t(8, 30),
                "осем часа и трийсет минути",
                "eight thirty in the morning",
            ),
            (t(8, 0), "осем часа", "eight o'clock in the morning"),
            (
                t(8, 5),
                "осем часа и пет минути",
                "eight oh five in the morning",
            ),
            (t(1, 1), "един час и една минута", "one oh one at night"),
            (t(12, 0), "дванайсет часа", "twelve noon"),
            (
                t(12, 45),
                "дванайсет часа и четирийсет и пет минути",
                "twelve forty-five in the afternoon",
            ),
            (t(13, 0), "тринайсет часа", "one o'clock in the afternoon"),
            (
                t(17, 30),
                "седемнайсет часа и трийсет минути",
                "five thirty in the afternoon",
            ),
            (
                t(21, 21),
                "двайсет и един часа и двайсет и една минути",
                "nine twenty-one in the evening",
            ),
            (t(0, 0), "нула часа", "midnight"),
            (
                t(0, 15),
                "нула часа и петнайсет минути",
                "twelve fifteen at night",
            ),
        ];
        for (at, bg, en) in cases {
            assert_eq!(time(at, Lang::Bg), bg, "{at}");
            assert_eq!(time(at, Lang::En), en, "{at}");
        }
    }
}
