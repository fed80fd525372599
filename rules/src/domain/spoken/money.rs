//! Amounts of money in words, from whole euro cents.
//!
//! "пет евро и петдесет цента", "five euros and fifty cents". Cents are
//! always said in full, never as "point five": an amount said like a price
//! tag is easy to mishear as five euros and five cents.

use super::{Noun, quantity};
use crate::domain::lang::Lang;
use crate::domain::money::Euro;

/// An amount in words: "едно евро", "пет евро и петдесет цента", "един
/// цент", "нула евро"; "one euro", "five euros and fifty cents".
pub fn euro(amount: Euro, lang: Lang) -> String {
    // Negative amounts are refused where fees are read; say the magnitude.
    let cents = amount.cents().unsigned_abs();
    let (whole, rest) = (cents / 100, cents % 100);
    let and = match lang {
        Lang::Bg => "и",
        Lang::En => "and",
    };
    match (whole, rest) {
        (w, 0) => quantity(w, Noun::Euro, lang),
        (0, c) => quantity(c, Noun::Cent, lang),
        (w, c) => format!(
            "{} {and} {}",
            quantity(w, Noun::Euro, lang),
            quantity(c, Noun::Cent, lang)
        ),
    }
}

/// A fee in words: like [`euro`], but a fee of zero is "безплатно" / "free
/// of charge".
pub fn fee(amount: Euro, lang: Lang) -> String {
    match (amount.is_free(), lang) {
        (true, Lang::Bg) => "безплатно".to_string(),
        (true, Lang::En) => "free of charge".to_string(),
        (false, lang) => euro(amount, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_both_languages() {
        let cases = [
            (
                550,
                "пет евро и петдесет цента",
                "five euros and fifty cents",
            ),
            (100, "едно евро", "one euro"),
            (200, "две евро", "two euros"),
            (1, "един цент", "one cent"),
            (2, "два цента", "two cents"),
            (50, "петдесет цента", "fifty cents"),
            (101, "едно евро и един цент", "one euro and one cent"),
            (202, "две евро и два цента", "two euros and two cents"),
            (
                2121,
                "двайсет и едно евро и двайсет и един цента",
                "twenty-one euros and twenty-one cents",
            ),
            (
                511,
                "пет евро и единайсет цента",
                "five euros and eleven cents",
            ),
            (
                123_456,
                "хиляда двеста трийсет и четири евро и петдесет и шест цента",
                "one thousand two hundred and thirty-four euros and fifty-six cents",
            ),
            (0, "нула евро", "zero euros"),
        ];
        for (cents, bg, en) in cases {
            let amount = Euro::from_cents(cents);
            assert_eq!(euro(amount, Lang::Bg), bg, "{cents}");
            assert_eq!(euro(amount, Lang::En), en, "{cents}");
        }
    }

    #[test]
    fn a_free_service_is_said_to_be_free() {
        assert_eq!(fee(Euro::ZERO, Lang::Bg), "безплатно");
        assert_eq!(fee(Euro::ZERO, Lang::En), "free of charge");
        assert_eq!(
            fee(Euro::from_cents(511), Lang::Bg),
            "пет евро и единайсет цента"
        );
    }
}
