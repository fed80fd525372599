//! The Bulgarian personal number (ЕГН, единен граждански номер).
//!
//! The kiosk never asks for an ЕГН and warns when one is typed, so it has to
//! recognise one. An ЕГН is ten digits `YYMMDDSSSC`: the birth date, with the
//! month raised by 20 for births in 1800-1899 and by 40 for 2000-2099, a
//! three-digit sequence and a check digit. The check digit is the sum of the
//! first nine digits weighted 2, 4, 8, 5, 10, 9, 7, 3, 6, modulo 11, where 10
//! counts as 0.
//!
//! [`find_egn`] looks for one in free text. It prefers to miss a number
//! written in an odd way over warning about a phone number: a candidate must
//! be a run of ten digits, or digit groups split where people split an ЕГН
//! (`850101 1234`, `85-01-01-1234`, `85 01 01 1234`), standing on its own:
//! not part of a longer run of digits or digit groups (phone numbers, IBANs,
//! receipt numbers such as `KV1-2026-000042`), not glued to Latin letters or
//! digits, not a decimal, and not right after a word like "тел." or "phone".

use std::ops::Range;

use chrono::NaiveDate;

const WEIGHTS: [u32; 9] = [2, 4, 8, 5, 10, 9, 7, 3, 6];

/// Group lengths in which an ЕГН may be written: whole, date and rest, or
/// year, month, day and rest.
const GROUPINGS: [&[usize]; 3] = [&[10], &[6, 4], &[2, 2, 2, 4]];

/// Words after which a number is a phone or fax number, not an ЕГН.
const PHONE_WORDS: [&str; 10] = [
    "тел",
    "телефон",
    "gsm",
    "моб",
    "мобилен",
    "факс",
    "tel",
    "phone",
    "mobile",
    "fax",
];

/// Whether `s` is exactly a valid ЕГН: ten ASCII digits, a real date and a
/// correct check digit.
pub fn is_valid_egn(s: &str) -> bool {
    let Ok(digits) = <[u8; 10]>::try_from(s.as_bytes()) else {
        return false;
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d = digits.map(|b| u32::from(b - b'0'));
    birth_date(&d).is_some() && check_digit(&d) == d[9]
}

/// The birth date an ЕГН encodes, if it is a real calendar date.
fn birth_date(d: &[u32; 10]) -> Option<NaiveDate> {
    let yy = d[0] * 10 + d[1];
    let mm = d[2] * 10 + d[3];
    let dd = d[4] * 10 + d[5];
    let (century, month) = match mm {
        1..=12 => (1900, mm),
        21..=32 => (1800, mm - 20),
        41..=52 => (2000, mm - 40),
        _ => return None,
    };
    let year = i32::try_from(century + yy).ok()?;
    NaiveDate::from_ymd_opt(year, month, dd)
}

fn check_digit(d: &[u32; 10]) -> u32 {
    let sum: u32 = WEIGHTS.iter().zip(d).map(|(w, x)| w * x).sum();
    match sum % 11 {
        10 => 0,
        r => r,
    }
}

/// Where an ЕГН was found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EgnMatch {
    /// Byte range in the text, from the first digit to the last.
    pub range: Range<usize>,
}

/// Finds the first valid ЕГН written in `text`, if any.
pub fn find_egn(text: &str) -> Option<EgnMatch> {
    let groups = digit_groups(text);
    let mut rest = groups.as_slice();
    while !rest.is_empty() {
        // A chain is a maximal run of digit groups joined by short separators.
        let joined = rest
            .windows(2)
            .take_while(|pair| matches!(pair, [a, b] if is_separator(&text[a.end..b.start])))
            .count();
        let (chain, after) = rest.split_at_checked(joined + 1)?;
        if let Some(found) = check_chain(text, chain) {
            return Some(found);
        }
        rest = after;
    }
    None
}

/// The character that stands for each digit of a masked ЕГН.
pub const MASK: char = '*';

/// `text` with the digits of every ЕГН found in it replaced by [`MASK`]
/// (separators kept, so the reader sees that a number stood there). The
/// kiosk never keeps or sends an ЕГН a visitor typed by mistake.
pub fn mask_egn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = find_egn(rest) {
        let (Some(before), Some(number)) =
            (rest.get(..found.range.start), rest.get(found.range.clone()))
        else {
            break;
        };
        out.push_str(before);
        out.extend(
            number
                .chars()
                .map(|c| if c.is_ascii_digit() { MASK } else { c }),
        );
        rest = rest.get(found.range.end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Byte ranges of the maximal runs of ASCII digits in `text`.
fn digit_groups(text: &str) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut start = None;
    for (i, b) in text.bytes().enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                groups.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        groups.push(s..text.len());
    }
    groups
}

/// Between two digit groups of one number: one to three spaces or dashes,
/// at most one of them a dash.
fn is_separator(gap: &str) -> bool {
    let n = gap.chars().count();
    let dashes = gap
        .chars()
        .filter(|c| matches!(c, '-' | '‐' | '‑' | '–'))
        .count();
    (1..=3).contains(&n)
        && dashes <= 1
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '-' | '‐' | '‑' | '–'))
}

fn check_chain(text: &str, chain: &[Range<usize>]) -> Option<EgnMatch> {
    let (first, last) = (chain.first()?, chain.last()?);
    let lengths: Vec<usize> = chain.iter().map(|g| g.len()).collect();
    if !GROUPINGS.contains(&lengths.as_slice()) {
        return None;
    }
    if !stands_alone(text, first.start, last.end) || follows_phone_word(&text[..first.start]) {
        return None;
    }
    let digits: String = chain.iter().map(|g| &text[g.clone()]).collect();
    is_valid_egn(&digits).then_some(EgnMatch {
        range: first.start..last.end,
    })
}

/// Not glued to Latin letters or digits, not after a `+` (international
/// phone numbers) and not a part of a decimal, date or fraction.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let joins_digit = |punct: Option<char>, next: Option<char>| {
        punct.is_some_and(|c| matches!(c, '.' | ',' | '/' | ':'))
            && next.is_some_and(|c| c.is_ascii_digit())
    };
    !glued(b1) && !glued(a1) && b1 != Some('+') && !joins_digit(b1, b2) && !joins_digit(a1, a2)
}

/// Whether the text before a number ends with a phone word, perhaps followed
/// by a dot, colon, dash or spaces ("тел.: 0...", "GSM 0...").
fn follows_phone_word(before: &str) -> bool {
    let trimmed = before
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':' | '-' | '–' | '№'));
    let word: String = trimmed
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .flat_map(char::to_lowercase)
        .collect();
    PHONE_WORDS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_egn_in_a_text_is_masked_and_nothing_else() {
        assert_eq!(
            mask_egn("ЕГН 8501011234, на брат ми 85-01-01-1234. Тел. 0888123456"),
            "ЕГН **********, на брат ми **-**-**-****. Тел. 0888123456"
        );
        assert_eq!(mask_egn("850101 1234"), "****** ****");
        let plain = "Чаках 2 часа на гише 3, разписка KV1-2026-000042.";
        assert_eq!(mask_egn(plain), plain);
        assert_eq!(find_egn(&mask_egn("8211098760 и 7512319994")), None);
    }

    /// Valid numbers, computed by hand with the weights above.
    const VALID: [&str; 8] = [
        "8501011234", // 1 Jan 1985
        "8501010080", // weighted sum leaves 10, so the check digit is 0
        "8211098760", // 9 Nov 1982, weighted sum leaves 0
        "7512319994", // 31 Dec 1975
        "0042291239", // 29 Feb 2000 (month 02 + 40)
        "0351011115", // 1 Nov 2003
        "9952310016", // 31 Dec 2099
        "0422295553", // 29 Feb 1804 (month 02 + 20)
    ];

    fn found(text: &str) -> Option<&str> {
        find_egn(text).map(|m| &text[m.range])
    }

    #[test]
    fn accepts_valid_numbers() {
        for egn in VALID {
            assert!(is_valid_egn(egn), "{egn}");
        }
    }

    #[test]
    fn rejects_wrong_check_digits() {
        for egn in VALID {
            let last = egn.as_bytes()[9] - b'0';
            let wrong = format!("{}{}", &egn[..9], (last + 1) % 10);
            assert!(!is_valid_egn(&wrong), "{wrong}");
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for egn in [
            "0002291230", // 29 Feb 1900: not a leap year
            "0022295559", // 29 Feb 1800: not a leap year
            "8804317002", // 31 April
            "6602301114", // 30 February
            "7553123454", // month 53
            "0415073212", // month 15
            "1234567890", // month 34; the check digit happens to fit
            "8500011238", // month 00
        ] {
            assert!(!is_valid_egn(egn), "{egn}");
        }
    }

    #[test]
    fn rejects_wrong_shapes() {
        for s in [
            "",
            "850101123",
            "85010112345",
            "850101123a",
            "８５０１０１１２３４",
            " 8501011234",
            "850101-1234",
        ] {
            assert!(!is_valid_egn(s), "{s:?}");
        }
    }

    #[test]
    fn finds_a_number_in_free_text() {
        assert_eq!(
            found("Моето ЕГН е 8501011234, моля пишете ми."),
            Some("8501011234")
        );
        assert_eq!(found("ЕГН:7512319994"), Some("7512319994"));
        assert_eq!(found("ЕГН8501011234"), Some("8501011234"));
        assert_eq!(found("(0042291239)"), Some("0042291239"));
        assert_eq!(found("8211098760"), Some("8211098760"));
        assert_eq!(found("детето е с ЕГН 0351011115."), Some("0351011115"));
    }

    #[test]
    fn finds_a_number_written_in_groups() {
        assert_eq!(found("ЕГН 850101 1234"), Some("850101 1234"));
        assert_eq!(found("ЕГН 850101-1234"), Some("850101-1234"));
        assert_eq!(found("ЕГН 850101 - 1234"), Some("850101 - 1234"));
        assert_eq!(found("ЕГН 85 01 01 1234"), Some("85 01 01 1234"));
        assert_eq!(found("ЕГН 85-01-01-1234 тук"), Some("85-01-01-1234"));
        assert_eq!(found("ЕГН 850101\u{a0}1234"), Some("850101\u{a0}1234"));
    }

    #[test]
    fn finds_the_number_after_other_numbers() {
        let t = "Жалба по вх. № 94-00-123 от 12.03.2026, ЕГН 8501011234.";
        assert_eq!(found(t), Some("8501011234"));
    }

    #[test]
    fn ignores_invalid_numbers_of_the_right_shape() {
        assert_eq!(found("номер 8501011235"), None);
        assert_eq!(found("номер 1234567890"), None);
    }

    #[test]
    fn ignores_phone_numbers() {
        for t in [
            "тел. 0888123456",
            "0888 123 456",
            "0888-123-456",
            "088 812 3456",
            "+359 888 123 456",
            "+359888123456",
            "00359888123456",
            "02 987 6543",
            "0897 12 34 56",
            "(02) 987 65 43",
        ] {
            assert_eq!(found(t), None, "{t}");
        }
    }

    #[test]
    fn ignores_a_valid_looking_number_after_a_phone_word() {
        // Shaped like a ten-digit landline number and valid as an ЕГН.
        assert!(is_valid_egn("0351011115"));
        for t in [
            "тел. 0351011115",
            "Тел.: 0351011115",
            "GSM 0351011115",
            "phone: 0351011115",
            "факс 0351011115",
        ] {
            assert_eq!(found(t), None, "{t}");
        }
    }

    #[test]
    fn ignores_numbers_inside_longer_digit_runs() {
        assert_eq!(found("185010112345"), None);
        assert_eq!(found("85010112341"), None);
        assert_eq!(found("сметка 8501011234 5678"), None);
        assert_eq!(found("12 8501011234"), None);
        assert_eq!(found("3.8501011234"), None);
        assert_eq!(found("8501011234,5 лв."), None);
        assert_eq!(found("+8501011234"), None);
    }

    #[test]
    fn ignores_ibans() {
        for t in [
            "IBAN BG80BNBG96611020345678",
            "BG80 BNBG 9661 1020 3456 78",
            "BG18RZBB91550123456789",
            // A valid ЕГН glued to letters is part of an account number.
            "BG12UNCR7000 8501011234",
            "XX8501011234",
        ] {
            assert_eq!(found(t), None, "{t}");
        }
    }

    #[test]
    fn ignores_dates_and_times() {
        for t in [
            "на 12.03.2026 в 10:30",
            "2026-03-12",
            "12/03/2026 1030",
            "от 01.01.1985 до 31.12.2099",
        ] {
            assert_eq!(found(t), None, "{t}");
        }
    }

    #[test]
    fn ignores_receipt_and_file_numbers() {
        for t in [
            "KV1-2026-000042",
            "KV1-2025-010203",
            "номер KV1 2025 010203",
            "2025-010203",
            "вх. № 26-00-1234",
            "Заповед № РД-09-123/15.03.2026",
        ] {
            assert_eq!(found(t), None, "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn whatever_is_found_is_a_valid_number(s in "[0-9 \\-+.a-zа-я]{0,60}") {
            if let Some(m) = find_egn(&s) {
                let digits: String = s[m.range].chars().filter(char::is_ascii_digit).collect();
                proptest::prop_assert!(is_valid_egn(&digits));
            }
        }

        #[test]
        fn a_number_between_words_is_found(
            egn in proptest::sample::select(VALID.to_vec()),
            before in "[а-яА-Я ,.:]{0,20}",
            after in "[а-яА-Я ,.]{0,20}",
        ) {
            let text = format!("{before} {egn} {after}");
            proptest::prop_assert_eq!(found(&text), Some(egn));
        }
    }

    #[test]
    fn ignores_unusual_groupings() {
        // A valid ЕГН split where nobody splits one is more likely something else.
        assert_eq!(found("850 101 1234"), None);
        assert_eq!(found("8501 0112 34"), None);
    }
}
