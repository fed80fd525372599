//! Text for the speech engine: numbers, quantities, dates, times, amounts,
//! deadlines and receipt numbers written out as words, in Bulgarian and
//! English.
//!
//! A speech engine reads "23.12.2026", "5,50 €" or "KV1-2026-000042" in ways
//! that depend on its version and voice, and Bulgarian needs the gender of
//! the counted noun ("един час", "една минута", "едно евро"). These
//! functions give the engine plain words instead, so what a listener hears
//! is decided and tested here. They are pure: no I/O, no engine.
//!
//! Invariants: the output is never empty, contains no digits (except where
//! a function says it keeps some), and has only single spaces.

mod bg;
mod calendar;
mod deadline;
mod en;
mod money;
mod receipt;

pub use calendar::{date, time};
pub use deadline::deadline;
pub use money::{euro, fee};
pub use receipt::{receipt_number, spelt};

use super::lang::Lang;

/// The grammatical gender of a counted Bulgarian noun. English ignores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Gender {
    /// "един час", "два часа".
    #[default]
    Masculine,
    /// "една минута", "две минути".
    Feminine,
    /// "едно евро", "две евро".
    Neuter,
}

/// `n` in words: `cardinal(2, Gender::Feminine, Lang::Bg)` is "две",
/// `cardinal(2026, Gender::Masculine, Lang::En)` is "two thousand and
/// twenty-six".
pub fn cardinal(n: u64, gender: Gender, lang: Lang) -> String {
    match lang {
        Lang::Bg => bg::cardinal(n, gender),
        Lang::En => en::cardinal(n),
    }
}

/// `n` as an ordinal: `ordinal(23, Gender::Masculine, Lang::Bg)` is
/// "двайсет и трети", in English "twenty-third".
pub fn ordinal(n: u64, gender: Gender, lang: Lang) -> String {
    match lang {
        Lang::Bg => bg::ordinal(n, gender),
        Lang::En => en::ordinal(n),
    }
}

/// Things the kiosk counts aloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Noun {
    Hour,
    Minute,
    Day,
    WorkingDay,
    Month,
    Euro,
    Cent,
}

impl Noun {
    /// Gender, form after "one", form after any other number.
    fn forms(self, lang: Lang) -> (Gender, &'static str, &'static str) {
        use Gender::*;
        match (self, lang) {
            // Masculine nouns take the count form ("два часа") after numbers.
            (Noun::Hour, Lang::Bg) => (Masculine, "час", "часа"),
            (Noun::Minute, Lang::Bg) => (Feminine, "минута", "минути"),
            (Noun::Day, Lang::Bg) => (Masculine, "ден", "дни"),
            (Noun::WorkingDay, Lang::Bg) => (Masculine, "работен ден", "работни дни"),
            (Noun::Month, Lang::Bg) => (Masculine, "месец", "месеца"),
            // "евро" is neuter and does not change: "едно евро", "две евро".
            (Noun::Euro, Lang::Bg) => (Neuter, "евро", "евро"),
            (Noun::Cent, Lang::Bg) => (Masculine, "цент", "цента"),
            (Noun::Hour, Lang::En) => (Masculine, "hour", "hours"),
            (Noun::Minute, Lang::En) => (Masculine, "minute", "minutes"),
            (Noun::Day, Lang::En) => (Masculine, "day", "days"),
            (Noun::WorkingDay, Lang::En) => (Masculine, "working day", "working days"),
            (Noun::Month, Lang::En) => (Masculine, "month", "months"),
            (Noun::Euro, Lang::En) => (Masculine, "euro", "euros"),
            (Noun::Cent, Lang::En) => (Masculine, "cent", "cents"),
        }
    }
}

/// `n` things: "един час", "две минути", "пет работни дни", "one hour",
/// "twenty-one days". After numbers ending in one other than one itself
/// ("двайсет и един часа") the counted form is used, as Bulgarian
/// grammar asks.
pub fn quantity(n: u64, noun: Noun, lang: Lang) -> String {
    let (gender, one, many) = noun.forms(lang);
    let form = if n == 1 { one } else { many };
    format!("{} {form}", cardinal(n, gender, lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantities_agree_with_their_noun() {
        let cases: &[(u64, Noun, Lang, &str)] = &[
            (1, Noun::Hour, Lang::Bg, "един час"),
            (2, Noun::Hour, Lang::Bg, "два часа"),
            (1, Noun::Minute, Lang::Bg, "една минута"),
            (2, Noun::Minute, Lang::Bg, "две минути"),
            (21, Noun::Minute, Lang::Bg, "двайсет и една минути"),
            (1, Noun::Euro, Lang::Bg, "едно евро"),
            (2, Noun::Euro, Lang::Bg, "две евро"),
            (1, Noun::Cent, Lang::Bg, "един цент"),
            (2, Noun::Cent, Lang::Bg, "два цента"),
            (1, Noun::Day, Lang::Bg, "един ден"),
            (14, Noun::Day, Lang::Bg, "четиринайсет дни"),
            (7, Noun::WorkingDay, Lang::Bg, "седем работни дни"),
            (1, Noun::Month, Lang::Bg, "един месец"),
            (1, Noun::Hour, Lang::En, "one hour"),
            (21, Noun::Day, Lang::En, "twenty-one days"),
            (2, Noun::Euro, Lang::En, "two euros"),
            (0, Noun::Minute, Lang::En, "zero minutes"),
        ];
        for &(n, noun, lang, words) in cases {
            assert_eq!(quantity(n, noun, lang), words, "{n} {noun:?} {lang:?}");
        }
    }

    fn clean(s: &str) -> bool {
        !s.is_empty()
            && !s.starts_with(' ')
            && !s.ends_with(' ')
            && !s.contains("  ")
            && !s.chars().any(|c| c.is_ascii_digit())
    }

    proptest! {
        #[test]
        fn every_number_has_clean_words(n in any::<u64>()) {
            for lang in [Lang::Bg, Lang::En] {
                for gender in [Gender::Masculine, Gender::Feminine, Gender::Neuter] {
                    let words = cardinal(n, gender, lang);
                    prop_assert!(clean(&words), "{n} {lang:?}: {words:?}");
                    let words = ordinal(n, gender, lang);
                    prop_assert!(clean(&words), "{n} {lang:?}: {words:?}");
                }
            }
        }

        #[test]
        fn bulgarian_and_stands_once_before_the_last_part_below_a_million(n in 1u64..1_000_000) {
            let words = cardinal(n, Gender::Masculine, Lang::Bg);
            let ands = words.split(' ').filter(|w| *w == "и").count();
            prop_assert!(ands <= 2, "{words}");
            prop_assert!(!words.ends_with(" и"), "{words}");
            prop_assert!(!words.starts_with("и "), "{words}");
        }
    }
}
