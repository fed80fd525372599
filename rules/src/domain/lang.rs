//! Languages of the kiosk and text given in each of them.
//!
//! Bulgarian is the kiosk's first language; English is offered for foreign
//! visitors. Every visitor-facing text in the configuration is a [`Localized`]
//! pair, so no screen can show a Bulgarian label beside an English one by
//! accident.

use serde::{Deserialize, Serialize};

/// A language the kiosk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Bg,
    En,
}

impl Lang {
    /// The two-letter code used in records and file names.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Bg => "bg",
            Lang::En => "en",
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized<T = String> {
    pub bg: T,
    pub en: T,
}

impl<T> Localized<T> {
    pub fn new(bg: T, en: T) -> Self {
        Self { bg, en }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Bg => &self.bg,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_asked_language() {
        let t = Localized::new("Деловодство", "Registry desk");
        assert_eq!(*t.get(Lang::Bg), "Деловодство");
        assert_eq!(*t.get(Lang::En), "Registry desk");
    }

    #[test]
    fn codes_match_the_central_contract() {
        assert_eq!(serde_json::to_string(&Lang::Bg).unwrap(), "\"bg\"");
        assert_eq!(Lang::En.code(), "en");
    }
}
