//! Bulgarian numerals in words: cardinals with gender, ordinals, digit and
//! Latin letter names.
//!
//! 11-19 and 20-40 are written in their short forms ("единайсет",
//! "двайсет", "трийсет", "четирийсет"), which the official orthography
//! accepts beside "единадесет", "двадесет": they are what people say, and
//! espeak-ng 1.51 stresses them rightly, while it reads the long forms with
//! the stress on "-дЕсет" (`espeak-ng -v bg -x двадесет` gives dvad'eset,
//! `двайсет` gives dv'ajset). 50-90 keep their only forms ("петдесет"),
//! which it stresses rightly. The conjunction "и" stands
//! once before the last part of a number ("сто двайсет и пет", "хиляда и
//! сто", "две хиляди двайсет и шест"), as Bulgarian grammar requires.

use super::Gender;

const UNITS: [&str; 10] = [
    "нула",
    "един",
    "два",
    "три",
    "четири",
    "пет",
    "шест",
    "седем",
    "осем",
    "девет",
];
const TEENS: [&str; 10] = [
    "десет",
    "единайсет",
    "дванайсет",
    "тринайсет",
    "четиринайсет",
    "петнайсет",
    "шестнайсет",
    "седемнайсет",
    "осемнайсет",
    "деветнайсет",
];
const TENS: [&str; 10] = [
    "",
    "десет",
    "двайсет",
    "трийсет",
    "четирийсет",
    "петдесет",
    "шестдесет",
    "седемдесет",
    "осемдесет",
    "деветдесет",
];
const HUNDREDS: [&str; 10] = [
    "",
    "сто",
    "двеста",
    "триста",
    "четиристотин",
    "петстотин",
    "шестстотин",
    "седемстотин",
    "осемстотин",
    "деветстотин",
];

/// Scales above a thousand: all masculine, with the count form in "-а".
const BIG: [(u64, &str); 5] = [
    (1_000_000_000_000_000_000, "квинтилион"),
    (1_000_000_000_000_000, "квадрилион"),
    (1_000_000_000_000, "трилион"),
    (1_000_000_000, "милиард"),
    (1_000_000, "милион"),
];

/// The digit names used when dictating a number digit by digit.
pub const DIGITS: [&str; 10] = [
    "нула",
    "едно",
    "две",
    "три",
    "четири",
    "пет",
    "шест",
    "седем",
    "осем",
    "девет",
];

/// The names Bulgarians give the Latin letters, A to Z.
pub const LATIN_LETTERS: [&str; 26] = [
    "а",
    "бе",
    "це",
    "де",
    "е",
    "еф",
    "ге",
    "ха",
    "и",
    "йот",
    "ка",
    "ел",
    "ем",
    "ен",
    "о",
    "пе",
    "ку",
    "ер",
    "ес",
    "те",
    "у",
    "ве",
    "дубъл ве",
    "икс",
    "ипсилон",
    "зет",
];

fn unit(d: u64, gender: Gender) -> &'static str {
    match (d, gender) {
        (1, Gender::Masculine) => "един",
        (1, Gender::Feminine) => "една",
        (1, Gender::Neuter) => "едно",
        (2, Gender::Masculine) => "два",
        (2, _) => "две",
        // Digits only: callers pass 0-9.
        (d, _) => UNITS.get((d % 10) as usize).copied().unwrap_or_default(),
    }
}

/// The parts of 1-999 ("сто", "двайсет", "пет"), without "и".
fn parts(n: u64, gender: Gender) -> Vec<&'static str> {
    let (h, r) = ((n / 100) % 10, n % 100);
    let mut out = Vec::new();
    if h > 0 {
        out.push(HUNDREDS.get(h as usize).copied().unwrap_or_default());
    }
    if r >= 20 {
        out.push(TENS.get((r / 10) as usize).copied().unwrap_or_default());
        if r % 10 > 0 {
            out.push(unit(r % 10, gender));
        }
    } else if r >= 10 {
        out.push(TEENS.get((r - 10) as usize).copied().unwrap_or_default());
    } else if r > 0 {
        out.push(unit(r, gender));
    }
    out
}

/// Joins parts with "и" before the last one.
fn join_with_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} и {last}", init.join(" ")),
    }
}

fn group(n: u64, gender: Gender) -> (String, bool) {
    let p: Vec<String> = parts(n, gender).into_iter().map(String::from).collect();
    (join_with_and(&p), p.len() == 1)
}

/// `n` in words; `gender` is that of the counted noun ("един час", "една
/// минута", "едно евро"; "два часа", "две минути").
pub fn cardinal(n: u64, gender: Gender) -> String {
    if n == 0 {
        return UNITS[0].to_string();
    }
    // Each piece: its words and whether it is a single part, which decides
    // whether the "и" of the whole number goes in front of it.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut rest = n;
    for (scale, name) in BIG {
        let count = rest / scale;
        rest %= scale;
        if count == 1 {
            pieces.push((format!("един {name}"), true));
        } else if count > 1 {
            let (words, single) = group(count, Gender::Masculine);
            pieces.push((format!("{words} {name}а"), single));
        }
    }
    let thousands = rest / 1000;
    rest %= 1000;
    if thousands == 1 {
        pieces.push(("хиляда".into(), true));
    } else if thousands > 1 {
        let (words, single) = group(thousands, Gender::Feminine);
        pieces.push((format!("{words} хиляди"), single));
    }
    if rest > 0 {
        pieces.push(group(rest, gender));
    }
    let last_single = pieces.last().is_some_and(|p| p.1);
    let words: Vec<String> = pieces.into_iter().map(|p| p.0).collect();
    if words.len() > 1 && last_single {
        join_with_and(&words)
    } else {
        words.join(" ")
    }
}

/// The stem of the ordinal of a last part, and whether it takes the
/// adjective endings of "стотен, стотна, стотно" rather than "-и, -а, -о".
fn ordinal_stem(word: &str) -> (String, bool) {
    let plain = |s: &str| (s.to_string(), false);
    let adjective = |s: &str| (s.to_string(), true);
    match word {
        "един" | "една" | "едно" => plain("първ"),
        "два" | "две" => plain("втор"),
        "три" => plain("трет"),
        "четири" => plain("четвърт"),
        "седем" => plain("седм"),
        "осем" => plain("осм"),
        "сто" => adjective("стот"),
        "двеста" => adjective("двустот"),
        "триста" => adjective("тристот"),
        "хиляда" => adjective("хиляд"),
        "милион" => adjective("милион"),
        w if w.ends_with("стотин") => {
            adjective(&format!("{}стот", w.trim_end_matches("стотин")))
        }
        w => plain(w),
    }
}

/// `n` as an ordinal of the given gender: "двайсет и трети" (masculine,
/// a day), "две хиляди двайсет и шеста" (feminine, a year). Exact up to
/// 999 999 and for round millions; that covers days and years.
pub fn ordinal(n: u64, gender: Gender) -> String {
    if n == 0 {
        return match gender {
            Gender::Masculine => "нулев".to_string(),
            _ => format!("нулев{}", plain_ending(gender)),
        };
    }
    // A round number of thousands is one word: "двехилядна".
    if n.is_multiple_of(1000) && n < 1_000_000 {
        let count = n / 1000;
        let prefix = if count == 1 {
            String::new()
        } else {
            cardinal(count, Gender::Feminine).replace(' ', "")
        };
        return format!("{prefix}хиляд{}", adjective_ending(gender));
    }
    let words = cardinal(n, gender);
    let (head, last) = match words.rsplit_once(' ') {
        Some((head, last)) => (Some(head), last),
        None => (None, words.as_str()),
    };
    let (stem, is_adjective) = ordinal_stem(last);
    let ending = if is_adjective {
        adjective_ending(gender)
    } else {
        plain_ending(gender)
    };
    match head {
        Some(head) => format!("{head} {stem}{ending}"),
        None => format!("{stem}{ending}"),
    }
}

/// "пети, пета, пето".
fn plain_ending(gender: Gender) -> &'static str {
    match gender {
        Gender::Masculine => "и",
        Gender::Feminine => "а",
        Gender::Neuter => "о",
    }
}

/// "стотен, стотна, стотно".
fn adjective_ending(gender: Gender) -> &'static str {
    match gender {
        Gender::Masculine => "ен",
        Gender::Feminine => "на",
        Gender::Neuter => "но",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Gender::*;

    #[test]
    fn cardinals() {
        let cases: &[(u64, Gender, &str)] = &[
            (0, Masculine, "нула"),
            (1, Masculine, "един"),
            (1, Feminine, "една"),
            (1, Neuter, "едно"),
            (2, Masculine, "два"),
            (2, Feminine, "две"),
            (2, Neuter, "две"),
            (10, Masculine, "десет"),
            (11, Masculine, "единайсет"),
            (19, Masculine, "деветнайсет"),
            (20, Masculine, "двайсет"),
            (21, Feminine, "двайсет и една"),
            (22, Masculine, "двайсет и два"),
            (50, Masculine, "петдесет"),
            (100, Masculine, "сто"),
            (105, Masculine, "сто и пет"),
            (110, Masculine, "сто и десет"),
            (120, Masculine, "сто и двайсет"),
            (125, Masculine, "сто двайсет и пет"),
            (200, Neuter, "двеста"),
            (999, Masculine, "деветстотин деветдесет и девет"),
            (1000, Masculine, "хиляда"),
            (1005, Masculine, "хиляда и пет"),
            (1100, Masculine, "хиляда и сто"),
            (1200, Masculine, "хиляда и двеста"),
            (1250, Masculine, "хиляда двеста и петдесет"),
            (2000, Masculine, "две хиляди"),
            (2026, Masculine, "две хиляди двайсет и шест"),
            (2100, Masculine, "две хиляди и сто"),
            (21_000, Masculine, "двайсет и една хиляди"),
            (52_000, Masculine, "петдесет и две хиляди"),
            (125_000, Masculine, "сто двайсет и пет хиляди"),
            (1_000_000, Masculine, "един милион"),
            (1_001_000, Masculine, "един милион и хиляда"),
            (2_200_000, Masculine, "два милиона и двеста хиляди"),
            (2_200_005, Masculine, "два милиона двеста хиляди и пет"),
            (21_000_000, Masculine, "двайсет и един милиона"),
            (3_000_000_000, Masculine, "три милиарда"),
        ];
        for &(n, g, words) in cases {
            assert_eq!(cardinal(n, g), words, "{n} {g:?}");
        }
    }

    #[test]
    fn ordinals() {
        let cases: &[(u64, Gender, &str)] = &[
            (1, Masculine, "първи"),
            (2, Masculine, "втори"),
            (3, Masculine, "трети"),
            (4, Masculine, "четвърти"),
            (7, Masculine, "седми"),
            (8, Masculine, "осми"),
            (10, Masculine, "десети"),
            (11, Masculine, "единайсети"),
            (20, Masculine, "двайсети"),
            (21, Masculine, "двайсет и първи"),
            (23, Masculine, "двайсет и трети"),
            (30, Masculine, "трийсети"),
            (31, Masculine, "трийсет и първи"),
            (2000, Feminine, "двехилядна"),
            (2001, Feminine, "две хиляди и първа"),
            (2010, Feminine, "две хиляди и десета"),
            (2026, Feminine, "две хиляди двайсет и шеста"),
            (2030, Feminine, "две хиляди и трийсета"),
            (2100, Feminine, "две хиляди и стотна"),
            (100, Masculine, "стотен"),
            (1000, Masculine, "хиляден"),
            (2500, Feminine, "две хиляди и петстотна"),
            (1999, Feminine, "хиляда деветстотин деветдесет и девета"),
        ];
        for &(n, g, words) in cases {
            assert_eq!(ordinal(n, g), words, "{n} {g:?}");
        }
    }
}
