//! Every word the desk's pages and the registry copy show, one file per
//! language ([`bg`], [`en`]).
//!
//! A page never builds a label from pieces of two languages: it takes one
//! [`Strings`] for the request's language and reads every label from it.
//! Adding a label is a compile error until both languages have it.
//! Bulgarian is the default; words that come from the shared rules (the
//! complaint types, month names) are taken from `kiosk_rules`, not copied.

mod bg;
mod en;

use kiosk_rules::domain::lang::Lang;

pub use self::strings::Strings;

mod strings;

/// The labels of `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Bg => &bg::BG,
        Lang::En => &en::EN,
    }
}

/// The language a request asked for with `?lang=` or its cookie; Bulgarian
/// for anything else.
pub fn parse_lang(code: &str) -> Option<Lang> {
    match code {
        "bg" => Some(Lang::Bg),
        "en" => Some(Lang::En),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulgarian_is_the_default_and_english_is_offered() {
        assert_eq!(strings(Lang::default()).lang, Lang::Bg);
        assert_eq!(strings(Lang::En).lang, Lang::En);
        assert_eq!(parse_lang("en"), Some(Lang::En));
        assert_eq!(parse_lang("de"), None);
    }
}
