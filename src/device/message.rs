//! What the screen says when the board does something a visitor should
//! know about.
//!
//! The texts are fixed here, in Bulgarian and English, so the interface
//! only shows them; the language is the one the visitor chose.

use crate::domain::Lang;

/// A message for the visitor, shown for a few seconds over the current
/// screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenMessage {
    /// The staff-call button was pressed and a call went out.
    StaffCalled,
    /// The button was pressed again within the minute: no second call.
    StaffAlreadyCalled,
    /// The call could not be stored; the visitor should ask in person.
    StaffCallFailed,
}

impl ScreenMessage {
    /// The message in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ScreenMessage::StaffCalled, Lang::Bg) => {
                "Повикахме служител. Моля, изчакайте – идва при вас."
            }
            (ScreenMessage::StaffCalled, Lang::En) => {
                "A staff member has been called. Please wait here."
            }
            (ScreenMessage::StaffAlreadyCalled, Lang::Bg) => {
                "Служител вече е повикан и идва. Моля, изчакайте."
            }
            (ScreenMessage::StaffAlreadyCalled, Lang::En) => {
                "A staff member has already been called and is on the way. Please wait."
            }
            (ScreenMessage::StaffCallFailed, Lang::Bg) => {
                "Повикването не успя. Моля, обърнете се към служител на гишетата."
            }
            (ScreenMessage::StaffCallFailed, Lang::En) => {
                "The call did not go through. Please ask at one of the service counters."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_reads_in_both_languages() {
        for m in [
            ScreenMessage::StaffCalled,
            ScreenMessage::StaffAlreadyCalled,
            ScreenMessage::StaffCallFailed,
        ] {
            let (bg, en) = (m.text(Lang::Bg), m.text(Lang::En));
            assert!(bg.chars().any(|c| ('а'..='я').contains(&c)), "{bg}");
            assert!(en.is_ascii() && !en.is_empty(), "{en}");
            assert_ne!(bg, en);
        }
        assert!(
            ScreenMessage::StaffCalled
                .text(Lang::En)
                .starts_with("A staff member has been called")
        );
    }
}
