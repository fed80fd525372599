//! Receipt numbers in words, for a listener who writes them down.
//!
//! `KV1-2026-000042` is said as "ка, ве, едно, тире, две хиляди двайсет и
//! шест, тире, нула нула нула, нула четири две". The prefix is spelt letter
//! by letter (Bulgarian names of the Latin letters in Bulgarian, the letters
//! themselves in English), the year is said as a number because everyone
//! knows how to write it, and the sequence is said digit by digit in two
//! groups of three, leading zeros included. Said as "четирийсет и две" it
//! would be written "42", and staff looking it up need all six digits; read
//! digit by digit, a listener writes exactly what is printed, one digit per
//! word, the way phone numbers are dictated. The commas make the engine
//! pause between the parts.

use super::{bg, en};
use crate::domain::lang::Lang;
use crate::domain::numbering::ReceiptNumber;

/// Letters and digits said one by one, with a pause between them: a check
/// code (`7K3M9Q`: "седем, ка, три, ем, девет, кю") or a receipt prefix.
/// Only A-Z and 0-9 are spelt; anything else is said as it is.
pub fn spelt(code: &str, lang: Lang) -> String {
    spelt_parts(code, lang).join(", ")
}

fn spelt_parts(code: &str, lang: Lang) -> Vec<String> {
    let digits = match lang {
        Lang::Bg => &bg::DIGITS,
        Lang::En => &en::DIGITS,
    };
    code.chars()
        .map(|c| match (c.to_digit(10), lang) {
            (Some(d), _) => digits
                .get(d as usize)
                .map_or_else(|| c.to_string(), |n| n.to_string()),
            (None, Lang::Bg) => {
                let i = (c as usize).wrapping_sub('A' as usize);
                bg::LATIN_LETTERS
                    .get(i)
                    .map_or_else(|| c.to_string(), |n| n.to_string())
            }
            (None, Lang::En) => c.to_string(),
        })
        .collect()
}

/// The receipt number in words (see the module documentation).
pub fn receipt_number(number: &ReceiptNumber, lang: Lang) -> String {
    let (digits, dash) = match lang {
        Lang::Bg => (&bg::DIGITS, "тире"),
        Lang::En => (&en::DIGITS, "dash"),
    };
    let prefix = spelt_parts(number.prefix(), lang);
    let year = u64::from(number.year().unsigned_abs());
    let year = match lang {
        Lang::Bg => bg::cardinal(year, super::Gender::Masculine),
        Lang::En => en::cardinal(year),
    };
    let sequence = format!("{:06}", number.sequence());
    let spell = |part: &str| -> String {
        part.chars()
            .filter_map(|c| c.to_digit(10))
            .map(|d| digits.get(d as usize).copied().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (high, low) = sequence.split_at(3);
    format!(
        "{}, {dash}, {year}, {dash}, {}, {}",
        prefix.join(", "),
        spell(high),
        spell(low)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_check_code_is_spelt_character_by_character() {
        assert_eq!(spelt("7K3", Lang::En), "seven, K, three");
        assert!(spelt("7K3", Lang::Bg).starts_with("седем, ка, три"));
    }

    #[test]
    fn receipt_numbers_in_both_languages() {
        let cases = [
            (
                ("KV1", 2026, 42),
                "ка, ве, едно, тире, две хиляди двайсет и шест, тире, нула нула нула, нула четири две",
                "K, V, one, dash, two thousand and twenty-six, dash, zero zero zero, zero four two",
            ),
            (
                ("A", 2030, 999_999),
                "а, тире, две хиляди и трийсет, тире, девет девет девет, девет девет девет",
                "A, dash, two thousand and thirty, dash, nine nine nine, nine nine nine",
            ),
            (
                ("WXYZ20", 2100, 100_200),
                "дубъл ве, икс, ипсилон, зет, две, нула, тире, две хиляди и сто, тире, едно нула нула, две нула нула",
                "W, X, Y, Z, two, zero, dash, two thousand one hundred, dash, one zero zero, two zero zero",
            ),
        ];
        for ((prefix, year, seq), bg, en) in cases {
            let n = ReceiptNumber::new(prefix, year, seq).unwrap();
            assert_eq!(receipt_number(&n, Lang::Bg), bg);
            assert_eq!(receipt_number(&n, Lang::En), en);
        }
    }

    proptest! {
        #[test]
        fn every_digit_of_the_sequence_is_said(prefix in "[A-Z][A-Z0-9]{0,7}", year in 2000i32..=2100, seq in 1u32..=999_999) {
            let n = ReceiptNumber::new(&prefix, year, seq).unwrap();
            let words = receipt_number(&n, Lang::Bg);
            prop_assert!(!words.chars().any(|c| c.is_ascii_alphanumeric()), "{words}");
            let said: String = words
                .rsplitn(3, ", ")
                .take(2)
                .flat_map(|group| group.split(' '))
                .map(|w| bg::DIGITS.iter().position(|d| *d == w).map_or('?', |d| char::from(b'0' + d as u8)))
                .collect();
            // rsplitn gives the last group first.
            let expected = format!("{:06}", seq);
            prop_assert_eq!(format!("{}{}", &said[3..], &said[..3]), expected);
        }
    }
}
