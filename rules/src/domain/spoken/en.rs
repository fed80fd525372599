//! English numerals in words: cardinals, ordinals, digit and letter names.
//!
//! British usage, to match the engine's default English voice: "one hundred
//! and five", "two thousand and twenty-six".

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const SCALES: [(u64, &str); 6] = [
    (1_000_000_000_000_000_000, "quintillion"),
    (1_000_000_000_000_000, "quadrillion"),
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];

/// The digit names used when dictating a number digit by digit. "Zero",
/// not "oh", so that a digit is never heard as the letter O.
pub const DIGITS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// The word at `i` in one of the tables above; callers stay in range.
fn word(table: &[&'static str], i: u64) -> &'static str {
    table.get(i as usize).copied().unwrap_or_default()
}

/// 1-99.
fn below_hundred(n: u64) -> String {
    if n < 20 {
        word(&ONES, n).to_string()
    } else if n.is_multiple_of(10) {
        word(&TENS, n / 10).to_string()
    } else {
        format!("{}-{}", word(&TENS, n / 10), word(&ONES, n % 10))
    }
}

/// 1-999.
fn below_thousand(n: u64) -> String {
    let (h, r) = (n / 100, n % 100);
    match (h, r) {
        (0, r) => below_hundred(r),
        (h, 0) => format!("{} hundred", word(&ONES, h)),
        (h, r) => format!("{} hundred and {}", word(&ONES, h), below_hundred(r)),
    }
}

/// `n` in words: "two thousand and twenty-six".
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    let mut words: Vec<String> = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        let count = rest / scale;
        rest %= scale;
        if count > 0 {
            words.push(format!("{} {name}", below_thousand(count)));
        }
    }
    if rest > 0 {
        // "one thousand and five", but "one thousand two hundred".
        if !words.is_empty() && rest < 100 {
            words.push(format!("and {}", below_hundred(rest)));
        } else {
            words.push(below_thousand(rest));
        }
    }
    words.join(" ")
}

/// `n` as an ordinal: "first", "twenty-third", "one hundredth".
pub fn ordinal(n: u64) -> String {
    let words = cardinal(n);
    let split = words.rfind([' ', '-']).map_or(0, |i| i + 1);
    let (head, last) = words.split_at(split);
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", w.trim_end_matches('y')),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals() {
        let cases: &[(u64, &str)] = &[
            (0, "zero"),
            (1, "one"),
            (13, "thirteen"),
            (20, "twenty"),
            (21, "twenty-one"),
            (100, "one hundred"),
            (105, "one hundred and five"),
            (999, "nine hundred and ninety-nine"),
            (1000, "one thousand"),
            (1005, "one thousand and five"),
            (1200, "one thousand two hundred"),
            (2026, "two thousand and twenty-six"),
            (2100, "two thousand one hundred"),
            (21_000, "twenty-one thousand"),
            (1_000_021, "one million and twenty-one"),
            (3_000_000_000, "three billion"),
        ];
        for &(n, words) in cases {
            assert_eq!(cardinal(n), words, "{n}");
        }
    }

    #[test]
    fn ordinals() {
        let cases: &[(u64, &str)] = &[
            (1, "first"),
            (2, "second"),
            (3, "third"),
            (4, "fourth"),
            (5, "fifth"),
            (8, "eighth"),
            (9, "ninth"),
            (12, "twelfth"),
            (20, "twentieth"),
            (21, "twenty-first"),
            (23, "twenty-third"),
            (30, "thirtieth"),
            (31, "thirty-first"),
            (100, "one hundredth"),
        ];
        for &(n, words) in cases {
            assert_eq!(ordinal(n), words, "{n}");
        }
    }
}
