//! The staff screens' sentences made in Rust, in both languages: why a PIN
//! or an action was refused, what a tool did, printer states, flags, dates
//! and figures. Staff are not visitors: these describe staff mode's and the
//! printer's own errors, so they live with the staff flow rather than in
//! the domain. Technical errors keep the technician's English text after a
//! short Bulgarian lead, since they are meant to be read out to the
//! technician.

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::printer::{PrinterError, PrinterStatus};
use crate::staff::{ExportError, StaffError};

use crate::staff::ExportDone;

/// Picks the Bulgarian or the English text.
pub fn tr(lang: Lang, bg: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Bg => bg,
        Lang::En => en,
    }
}

/// Why a login was refused.
pub fn refusal(lang: Lang, err: &StaffError) -> String {
    match (err, lang) {
        (StaffError::WrongPin { attempts_left }, Lang::Bg) => format!(
            "Грешен ПИН. Остават {attempts_left} опита, след което въвеждането се заключва."
        ),
        (StaffError::WrongPin { attempts_left }, Lang::En) => {
            format!("Wrong PIN. {attempts_left} more tries before entry locks.")
        }
        (StaffError::LockedOut { left }, _) => {
            let secs = left.as_secs().max(1);
            let (m, s) = (secs / 60, secs % 60);
            match lang {
                Lang::Bg => format!(
                    "Твърде много грешни опити. Опитайте след {m} мин {s} с или използвайте ключа за служители."
                ),
                Lang::En => format!(
                    "Too many wrong PINs. Try again in {m} min {s} s, or use the staff key."
                ),
            }
        }
        (StaffError::NoPin, _) => tr(
            lang,
            "Не е зададен ПИН за служители. Използвайте ключа за служители.",
            "No staff PIN is set. Use the staff key.",
        )
        .to_owned(),
        _ => problem(lang, err),
    }
}

/// Why a staff action did not happen.
pub fn problem(lang: Lang, err: &StaffError) -> String {
    match err {
        StaffError::NoPrinter => tr(
            lang,
            "Няма настроен принтер. Повикайте техника.",
            "No printer is set up. Call the technician.",
        )
        .to_owned(),
        StaffError::Export(ExportError::NoTarget) => tr(
            lang,
            "Не е намерена USB памет. Поставете USB памет и опитайте отново.",
            "No USB stick found. Plug one in and try again.",
        )
        .to_owned(),
        StaffError::SessionExpired => tr(
            lang,
            "Режимът за служители е затворен. Влезте отново.",
            "Staff mode has closed. Log in again.",
        )
        .to_owned(),
        StaffError::Printer(PrinterError::NoReceipt(_)) => tr(
            lang,
            "Няма разписка с този номер. Проверете годината и цифрите.",
            "No receipt has this number. Check the year and the digits.",
        )
        .to_owned(),
        StaffError::Printer(p) => format!("{}: {p}", tr(lang, "Принтерът", "The printer")),
        StaffError::Unavailable(_) => tr(
            lang,
            "Киоскът е зает в момента. Опитайте отново след малко.",
            "The kiosk is busy just now. Try again in a moment.",
        )
        .to_owned(),
        other => match lang {
            Lang::Bg => format!("Грешка (за техника): {other}"),
            Lang::En => format!("Error (for the technician): {other}"),
        },
    }
}

/// The printer's state in words, and whether staff must do something.
pub fn printer(lang: Lang, status: PrinterStatus) -> (&'static str, bool) {
    match status {
        PrinterStatus::Ok => (tr(lang, "готов", "ready"), false),
        PrinterStatus::PaperNearEnd => (
            tr(
                lang,
                "хартията свършва: сменете ролката скоро",
                "paper near end: change the roll soon",
            ),
            true,
        ),
        PrinterStatus::PaperOut => (
            tr(
                lang,
                "няма хартия: поставете нова ролка 80 мм и затворете капака",
                "paper out: load a new 80 mm roll and close the cover",
            ),
            true,
        ),
        PrinterStatus::CoverOpen => (
            tr(
                lang,
                "капакът е отворен: затворете го",
                "cover open: close the printer's cover",
            ),
            true,
        ),
        PrinterStatus::Offline => (
            tr(
                lang,
                "не отговаря: проверете лампичката за грешка, изключете го и го включете",
                "offline: check the error light, power it off and on",
            ),
            true,
        ),
        PrinterStatus::Unknown => (
            tr(lang, "състоянието не е известно", "status unknown"),
            false,
        ),
    }
}

/// What a staff tool did, in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    TestPage,
    TodaysSlip,
    SummarySlip,
}

impl Done {
    pub fn said(self, lang: Lang) -> &'static str {
        match self {
            Done::TestPage => tr(
                lang,
                "Пробната страница е отпечатана.",
                "The test page was printed.",
            ),
            Done::TodaysSlip => tr(
                lang,
                "Справката за днес е отпечатана.",
                "Today's summary slip was printed.",
            ),
            Done::SummarySlip => tr(
                lang,
                "Справката е отпечатана.",
                "The summary slip was printed.",
            ),
        }
    }
}

/// A printout's outcome; a printer that needs attention is said too.
pub fn printed(lang: Lang, said: &str, status: PrinterStatus) -> String {
    let (words, attention) = printer(lang, status);
    if attention {
        format!("{said} {}: {words}.", tr(lang, "Принтер", "Printer"))
    } else {
        said.to_owned()
    }
}

/// What an export wrote.
pub fn exported(lang: Lang, done: &ExportDone) -> String {
    match lang {
        Lang::Bg => format!(
            "Записани са {} файла в {} (жалби: {}).",
            done.files.len(),
            done.dir.display(),
            done.complaints
        ),
        Lang::En => format!(
            "{} files written to {} ({} complaints).",
            done.files.len(),
            done.dir.display(),
            done.complaints
        ),
    }
}

/// The reprint pad's sentences.
/// After "put back in the queue": how many records go to the central
/// system again.
pub fn requeued(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Bg, 0) => "Няма какво да се върне: записът вече чака или е приет.".to_owned(),
        (Lang::En, 0) => {
            "Nothing to put back: the record is waiting or delivered already.".to_owned()
        }
        (Lang::Bg, 1) => "Записът е върнат в опашката и ще бъде изпратен отново.".to_owned(),
        (Lang::En, 1) => "The record is back in the queue and will be sent again.".to_owned(),
        (Lang::Bg, n) => format!("{n} записа са върнати в опашката и ще бъдат изпратени отново."),
        (Lang::En, n) => format!("{n} records are back in the queue and will be sent again."),
    }
}

pub fn reprint_queued(lang: Lang, number: &str) -> String {
    match lang {
        Lang::Bg => format!("Дубликат на разписка {number} е изпратен за печат."),
        Lang::En => format!("A duplicate of receipt {number} was sent to the printer."),
    }
}

/// A reprint went to a network printer that never confirmed it.
pub fn reprint_unconfirmed(lang: Lang, number: &str) -> String {
    match lang {
        Lang::Bg => format!(
            "Дубликатът на разписка {number} е изпратен, но принтерът не потвърди отпечатването. Проверете дали е излязъл; ако не е, отпечатайте го отново."
        ),
        Lang::En => format!(
            "The duplicate of receipt {number} was sent, not confirmed: the printer did not confirm printing it. Check whether it came out; if not, print it again."
        ),
    }
}

/// The reprint pad's number is incomplete.
pub fn type_the_digits(lang: Lang) -> &'static str {
    tr(
        lang,
        "Въведете последните цифри от номера на разписката.",
        "Type the last digits of the receipt's number.",
    )
}

/// A complaint flag in words.
pub fn flag(lang: Lang, id: &str) -> String {
    let words = match id {
        "offensive_language" => tr(lang, "обидни думи", "offensive language"),
        "anonymous_health_safety" => tr(
            lang,
            "анонимен сигнал за здраве или безопасност",
            "anonymous health or safety signal",
        ),
        "personal_data_topic" => tr(lang, "лични данни", "personal data"),
        "classified_information_topic" => {
            tr(lang, "класифицирана информация", "classified information")
        }
        "personal_number" => tr(lang, "съдържа ЕГН", "contains a personal number"),
        "suspected_corruption" => tr(lang, "съмнение за корупция", "suspected corruption"),
        other => return other.to_owned(),
    };
    words.to_owned()
}

/// "04.05.2026".
pub fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A decimal figure as the language writes it ("4,25" / "4.25").
pub fn decimal(lang: Lang, s: String) -> String {
    match lang {
        Lang::Bg => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Bytes as "12,3 GB".
pub fn gigabytes(lang: Lang, bytes: u64) -> String {
    decimal(lang, format!("{:.1} GB", bytes as f64 / 1e9))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn refusals_say_how_many_tries_and_how_long() {
        let wrong = StaffError::WrongPin { attempts_left: 3 };
        assert!(refusal(Lang::Bg, &wrong).contains("Остават 3 опита"));
        assert!(refusal(Lang::En, &wrong).contains("3 more tries"));
        let locked = StaffError::LockedOut {
            left: Duration::from_secs(125),
        };
        assert!(refusal(Lang::En, &locked).contains("in 2 min 5 s"));
        assert!(refusal(Lang::Bg, &StaffError::NoPin).contains("ключа"));
    }

    #[test]
    fn figures_use_the_languages_decimal_sign() {
        assert_eq!(decimal(Lang::Bg, "4.25".into()), "4,25");
        assert_eq!(gigabytes(Lang::En, 12_345_000_000), "12.3 GB");
        assert_eq!(flag(Lang::En, "unknown_flag"), "unknown_flag");
    }
}
