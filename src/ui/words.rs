//! The few sentences the adapters put together in Rust, in both languages.
//! Everything fixed on a screen is translated in the Slint files instead.

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::hours::month_name;

/// Picks the Bulgarian or the English text.
pub fn tr(lang: Lang, bg: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Bg => bg,
        Lang::En => en,
    }
}

/// "23 декември 2026 г." / "23 December 2026".
pub fn long_date(d: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let month = month_name(d.month(), lang);
    match lang {
        Lang::Bg => format!("{} {} {} г.", d.day(), month, d.year()),
        Lang::En => format!("{} {} {}", d.day(), month, d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 23).unwrap_or_default();
        assert_eq!(long_date(d, Lang::Bg), "23 декември 2026 г.");
        assert_eq!(long_date(d, Lang::En), "23 December 2026");
    }
}
