//! A service's statutory deadline in words: "седем работни дни", "един
//! месец", "в същия ден"; the screen shows the same with digits
//! (`Deadline::describe`).

use super::{Noun, quantity};
use crate::domain::catalogue::Deadline;
use crate::domain::lang::Lang;

/// The deadline as it is said.
pub fn deadline(d: Deadline, lang: Lang) -> String {
    let n = |count: u32, noun| quantity(u64::from(count), noun, lang);
    match (d, lang) {
        (Deadline::Immediately, Lang::Bg) => "веднага".into(),
        (Deadline::Immediately, Lang::En) => "immediately".into(),
        (Deadline::SameDay, Lang::Bg) => "в същия ден".into(),
        (Deadline::SameDay, Lang::En) => "the same day".into(),
        (Deadline::Hours(c), _) => n(c, Noun::Hour),
        (Deadline::WorkingDays(c), _) => n(c, Noun::WorkingDay),
        (Deadline::Days(c), _) => n(c, Noun::Day),
        (Deadline::Months(c), _) => n(c, Noun::Month),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_in_both_languages() {
        let cases = [
            (Deadline::Immediately, "веднага", "immediately"),
            (Deadline::SameDay, "в същия ден", "the same day"),
            (
                Deadline::Hours(24),
                "двайсет и четири часа",
                "twenty-four hours",
            ),
            (
                Deadline::WorkingDays(1),
                "един работен ден",
                "one working day",
            ),
            (
                Deadline::WorkingDays(7),
                "седем работни дни",
                "seven working days",
            ),
            (Deadline::Days(14), "четиринайсет дни", "fourteen days"),
            (Deadline::Months(1), "един месец", "one month"),
            (Deadline::Months(3), "три месеца", "three months"),
        ];
        for (d, bg, en) in cases {
            assert_eq!(deadline(d, Lang::Bg), bg, "{d:?}");
            assert_eq!(deadline(d, Lang::En), en, "{d:?}");
        }
    }
}
