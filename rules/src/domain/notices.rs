//! The sentences the kiosk says to a visitor about what it is doing
//! (saving, printing, reading aloud), in both languages.
//!
//! Fixed texts of the screens are translated in the Slint files (`@tr`);
//! the rules' own texts sit with their rules (`answer`, `charter`,
//! `complaint`, `rating`, `hours`). What is left, the outcome of something
//! the kiosk did for the visitor, is here, so that every visitor-facing
//! sentence made in Rust lives in the domain.

use super::lang::Lang;

/// A short notice for the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notice {
    /// A complaint could not be stored.
    ComplaintNotSaved,
    /// A rating could not be stored.
    RatingNotSaved,
    /// A complaint's receipt is on its way to the printer.
    PrintingReceipt,
    /// A rating's receipt is on its way to the printer.
    Printing,
    /// "Read aloud" with no speaker configured.
    SpeechSwitchedOff,
    /// The speech engine or the sound output failed.
    SpeechNotWorking,
    /// Speech mode turned on: what a first and a second touch do.
    SpeechModeOn,
    SpeechModeOff,
    /// Staff mode closed itself after being left alone.
    StaffModeClosed,
    /// Read aloud: the screen has a keyboard.
    KeyboardOnScreen,
    /// Read aloud: the heading of the list of buttons.
    Buttons,
}

impl Notice {
    /// The notice in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        let bg = lang == Lang::Bg;
        match self {
            Notice::ComplaintNotSaved if bg => {
                "Записът не успя. Нищо не е изпратено. Моля, опитайте отново или се обърнете към деловодството."
            }
            Notice::ComplaintNotSaved => {
                "Saving failed. Nothing was sent. Please try again or go to the registry desk."
            }
            Notice::RatingNotSaved if bg => {
                "Оценката не можа да бъде записана. Моля, опитайте отново или се обърнете към деловодството."
            }
            Notice::RatingNotSaved => {
                "The rating could not be saved. Please try again or go to the registry desk."
            }
            Notice::PrintingReceipt if bg => "Отпечатваме разписката…",
            Notice::PrintingReceipt => "Printing your receipt…",
            Notice::Printing if bg => "Отпечатваме…",
            Notice::Printing => "Printing…",
            Notice::SpeechSwitchedOff if bg => {
                "Четенето на глас е изключено на този киоск. Моля, обърнете се към служител."
            }
            Notice::SpeechSwitchedOff => {
                "Reading aloud is switched off on this kiosk. Please ask a staff member."
            }
            Notice::SpeechNotWorking if bg => {
                "Четенето на глас не работи в момента. Моля, обърнете се към служител."
            }
            Notice::SpeechNotWorking => {
                "Reading aloud does not work at the moment. Please ask a staff member."
            }
            Notice::SpeechModeOn if bg => {
                "Режим с говор. Докоснете бутон, за да чуете какво прави. Докоснете го отново, за да го изберете."
            }
            Notice::SpeechModeOn => {
                "Speech mode. Touch a button to hear what it does. Touch it again to choose it."
            }
            Notice::SpeechModeOff if bg => "Режимът с говор е изключен.",
            Notice::SpeechModeOff => "Speech mode is off.",
            Notice::StaffModeClosed if bg => {
                "Режимът за служители беше затворен, защото никой не го ползваше."
            }
            Notice::StaffModeClosed => "Staff mode was closed because nobody was using it.",
            Notice::KeyboardOnScreen if bg => "Клавиатура на екрана.",
            Notice::KeyboardOnScreen => "There is a keyboard on the screen.",
            Notice::Buttons if bg => "Бутони",
            Notice::Buttons => "Buttons",
        }
    }
}

/// Why a receipt did not come out, as far as the visitor needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintTrouble {
    PaperOut,
    CoverOpen,
    /// Off, unplugged, jammed or still busy with an earlier slip.
    NotAnswering,
}

/// How printing a visitor's receipt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintOutcome {
    /// On paper; `paper_low`: the roll is nearly done.
    Printed {
        paper_low: bool,
    },
    Failed(PrintTrouble),
}

impl PrintOutcome {
    /// Whether the receipt came out.
    pub fn printed(self) -> bool {
        matches!(self, PrintOutcome::Printed { .. })
    }

    /// What to tell the visitor. A failure always says how to get the
    /// receipt anyway: the number is on screen and the desk can reprint.
    pub fn message(self, lang: Lang) -> String {
        let bg = lang == Lang::Bg;
        let first = match self {
            PrintOutcome::Printed { paper_low: true } if bg => {
                return "Моля, вземете разписката си. (Хартията в принтера свършва: служителите са уведомени.)".into();
            }
            PrintOutcome::Printed { paper_low: true } => {
                return "Please take your receipt. (The printer is running out of paper: the staff have been told.)".into();
            }
            PrintOutcome::Printed { .. } if bg => return "Моля, вземете разписката си.".into(),
            PrintOutcome::Printed { .. } => return "Please take your receipt.".into(),
            PrintOutcome::Failed(PrintTrouble::PaperOut) if bg => "В принтера няма хартия.",
            PrintOutcome::Failed(PrintTrouble::PaperOut) => "The printer is out of paper.",
            PrintOutcome::Failed(PrintTrouble::CoverOpen) if bg => "Капакът на принтера е отворен.",
            PrintOutcome::Failed(PrintTrouble::CoverOpen) => "The printer's cover is open.",
            PrintOutcome::Failed(PrintTrouble::NotAnswering) if bg => "Принтерът не отговаря.",
            PrintOutcome::Failed(PrintTrouble::NotAnswering) => "The printer is not answering.",
        };
        let after = if bg {
            " Моля, запишете номера си: в деловодството могат да отпечатат разписката отново."
        } else {
            " Please note your number: the registry desk can print the receipt again."
        };
        format!("{first}{after}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_print_says_how_to_get_the_receipt_anyway() {
        let text = PrintOutcome::Failed(PrintTrouble::PaperOut).message(Lang::Bg);
        assert!(text.starts_with("В принтера няма хартия."));
        assert!(text.contains("деловодството могат да отпечатат разписката отново"));
        let ok = PrintOutcome::Printed { paper_low: false };
        assert!(ok.printed());
        assert_eq!(ok.message(Lang::En), "Please take your receipt.");
    }

    #[test]
    fn every_notice_has_both_languages() {
        for n in [
            Notice::ComplaintNotSaved,
            Notice::RatingNotSaved,
            Notice::PrintingReceipt,
            Notice::Printing,
            Notice::SpeechSwitchedOff,
            Notice::SpeechNotWorking,
            Notice::SpeechModeOn,
            Notice::SpeechModeOff,
            Notice::StaffModeClosed,
            Notice::KeyboardOnScreen,
            Notice::Buttons,
        ] {
            assert_ne!(n.message(Lang::Bg), n.message(Lang::En), "{n:?}");
        }
    }
}
