//! What the filer of a complaint, signal, proposal or praise is told about
//! the written answer: the one decision behind the review screen, the
//! receipt screen, the printed slip, what is read aloud and the due date
//! the record carries to the central system.
//!
//! [`answer`] decides, once, from the kind of filing, whether it is
//! anonymous, whether a contact was left, the filing date and whether the
//! kiosk's clock could be trusted. [`stored`] reads the same decision back
//! from a stored complaint (its due date was fixed by [`answer`] in the
//! submission's transaction), so the slip printed a week later says what the
//! screen said.
//!
//! The charter: complaints and signals with a contact get a written answer
//! within a month ([`super::due_date`]); anonymous ones are examined only
//! when they concern health or safety and get no answer; proposals and
//! praise are read without one. When the clock was not trusted, a printed
//! or shown date could be wrong, so the filer is told "within one month of
//! registration" instead and the registry desk fixes the date; the record
//! still carries the date counted from the kiosk's filing date (with
//! `clock_trusted = false`), so staff and the central system can see it.

use chrono::NaiveDate;

use super::calendar::Calendar;
use super::due_date::answer_due;
use super::hours::long_date;
use super::lang::Lang;
use super::record::{Complaint, ComplaintType};
use super::spoken;

/// What decides the answer: the kind of filing and who can be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    pub ctype: ComplaintType,
    pub anonymous: bool,
    /// The filer left a postal address, a phone or an e-mail (never true
    /// for an anonymous filing).
    pub has_contact: bool,
}

impl Filing {
    /// The filing a stored complaint was.
    pub fn of(c: &Complaint) -> Filing {
        Filing {
            ctype: c.ctype,
            anonymous: c.anonymous,
            has_contact: c.has_contact(),
        }
    }
}

/// What the filer is told about the written answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A written answer is owed by this date.
    By(NaiveDate),
    /// A written answer is owed, but the clock was not trusted: the filer is
    /// told "within one month of registration". `provisional` is the date
    /// counted from the kiosk's filing date, kept in the record.
    WithinAMonth { provisional: Option<NaiveDate> },
    /// Owed, but nobody left a contact: the answer waits at the registry
    /// desk. (The form never lets this through; older or imported records
    /// may be so.)
    AtTheDesk,
    /// An anonymous complaint or signal: examined only when it concerns
    /// health or safety, and no written answer is sent.
    Anonymous,
    /// A proposal or praise: read, no written answer.
    NotOwed,
}

/// The charter's answer to `filing`, filed on `filed` (Sofia date) with a
/// clock that was (`clock_trusted`) or was not synchronised.
pub fn answer(filing: Filing, filed: NaiveDate, clock_trusted: bool, cal: &Calendar) -> Answer {
    decide(filing, clock_trusted, Some(answer_due(filed, cal)))
}

/// The answer a stored complaint was given; `clock_trusted` is the record's.
pub fn stored(c: &Complaint, clock_trusted: bool) -> Answer {
    decide(Filing::of(c), clock_trusted, c.due_date)
}

/// The due date a complaint filed on `filed` carries in its record.
pub fn due_date(c: &Complaint, filed: NaiveDate, cal: &Calendar) -> Option<NaiveDate> {
    answer(Filing::of(c), filed, true, cal).due_date()
}

fn decide(filing: Filing, clock_trusted: bool, due: Option<NaiveDate>) -> Answer {
    if !filing.ctype.expects_written_answer() {
        Answer::NotOwed
    } else if filing.anonymous {
        Answer::Anonymous
    } else if !filing.has_contact {
        Answer::AtTheDesk
    } else {
        match due {
            Some(d) if clock_trusted => Answer::By(d),
            provisional => Answer::WithinAMonth { provisional },
        }
    }
}

/// The answer as the slip prints it: an optional heading line in tall
/// print, a Bulgarian paragraph in bold and its English line in plain print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub heading: Option<String>,
    /// Whether the Bulgarian line itself is printed tall (the due date).
    pub tall: bool,
    pub bulgarian: String,
    pub english: String,
}

impl Answer {
    /// The date the record carries: the due date, provisional or not.
    pub fn due_date(&self) -> Option<NaiveDate> {
        match *self {
            Answer::By(d) => Some(d),
            Answer::WithinAMonth { provisional } => provisional,
            Answer::AtTheDesk | Answer::Anonymous | Answer::NotOwed => None,
        }
    }

    /// After sending: the receipt screen's line.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Answer::By(d), Lang::Bg) => format!("Писмен отговор до {}", long_date(*d, lang)),
            (Answer::By(d), Lang::En) => format!("Written answer by {}", long_date(*d, lang)),
            _ => self.without_date(lang).to_owned(),
        }
    }

    /// Before sending: the review screen's promise.
    pub fn promise(&self, lang: Lang) -> String {
        match (self, lang) {
            (Answer::By(d), Lang::Bg) => {
                format!("Ще получите писмен отговор до {}", long_date(*d, lang))
            }
            (Answer::By(d), Lang::En) => {
                format!(
                    "You will receive a written answer by {}.",
                    long_date(*d, lang)
                )
            }
            _ => self.without_date(lang).to_owned(),
        }
    }

    /// [`Answer::message`] as it is read aloud: the date in words.
    pub fn spoken(&self, lang: Lang) -> String {
        match (self, lang) {
            (Answer::By(d), Lang::Bg) => format!("Писмен отговор до {}", spoken::date(*d, lang)),
            (Answer::By(d), Lang::En) => format!("Written answer by {}", spoken::date(*d, lang)),
            _ => self.without_date(lang).to_owned(),
        }
    }

    /// What the slip prints (Bulgarian first, then one English line).
    pub fn printed(&self) -> Printed {
        let plain = |bg: &str, en: &str| Printed {
            heading: None,
            tall: false,
            bulgarian: bg.to_owned(),
            english: en.to_owned(),
        };
        match self {
            Answer::By(d) => Printed {
                heading: None,
                tall: true,
                bulgarian: format!("Писмен отговор до {} г.", slip_date(*d)),
                english: format!("Written answer by {}", slip_date(*d)),
            },
            Answer::WithinAMonth { .. } => plain(
                "Писмен отговор: до един месец от регистрирането",
                "Written answer within one month of registration",
            ),
            Answer::AtTheDesk => plain(
                "Не е посочен адрес за писмен отговор. Отговорът може да бъде получен в деловодството.",
                "No contact given: ask for the answer at the registry desk.",
            ),
            // The charter speaks of anonymous signals; a complaint filed
            // without a name is treated the same way, so the wording covers both.
            Answer::Anonymous => Printed {
                heading: Some("Подадено анонимно".to_owned()),
                ..plain(
                    "Анонимни сигнали и жалби се разглеждат само когато застрашават живота и здравето на хората. Писмен отговор не се изпраща.",
                    "Anonymous: examined only where health or safety is threatened. No written answer is sent.",
                )
            },
            Answer::NotOwed => plain(
                "Благодарим Ви! Предложенията и похвалите се разглеждат, без да се изпраща писмен отговор.",
                "Thank you. Proposals and praise are read; no written answer is sent.",
            ),
        }
    }

    /// The screen's words for every answer without a date to show.
    fn without_date(&self, lang: Lang) -> &'static str {
        let bg = lang == Lang::Bg;
        match self {
            Answer::By(_) | Answer::WithinAMonth { .. } if bg => {
                "Писмен отговор: до един месец от регистрирането"
            }
            Answer::By(_) | Answer::WithinAMonth { .. } => {
                "Written answer within one month of registration"
            }
            Answer::AtTheDesk if bg => {
                "Не е посочен адрес за писмен отговор. Отговорът може да бъде получен в деловодството."
            }
            Answer::AtTheDesk => "No contact given: ask for the answer at the registry desk.",
            Answer::Anonymous if bg => {
                "Анонимен сигнал: ще бъде разгледан, защото засяга здравето или сигурността на хората. Писмен отговор не се изпраща."
            }
            Answer::Anonymous => {
                "Anonymous: it will be examined because it concerns people's health or safety. No written answer is sent."
            }
            Answer::NotOwed if bg => "Благодарим ви! Ще го предадем на ръководството.",
            Answer::NotOwed => "Thank you! We will pass it on to the management.",
        }
    }
}

/// `DD.MM.YYYY`, as dates are written on the slip.
fn slip_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn filing(ctype: ComplaintType, anonymous: bool, has_contact: bool) -> Filing {
        Filing {
            ctype,
            anonymous,
            has_contact,
        }
    }

    #[test]
    fn a_complaint_with_a_contact_gets_a_date_a_month_on() {
        let cal = Calendar::default();
        let a = answer(
            filing(ComplaintType::Complaint, false, true),
            ymd("2026-11-23"),
            true,
            &cal,
        );
        assert_eq!(a, Answer::By(ymd("2026-12-23")));
        assert_eq!(a.message(Lang::Bg), "Писмен отговор до 23 декември 2026 г.");
        assert_eq!(
            a.promise(Lang::En),
            "You will receive a written answer by 23 December 2026."
        );
        assert_eq!(a.printed().bulgarian, "Писмен отговор до 23.12.2026 г.");
        assert!(a.spoken(Lang::Bg).contains("двайсет и трети декември"));
    }

    #[test]
    fn an_untrusted_clock_shows_no_date_but_the_record_keeps_one() {
        let cal = Calendar::default();
        let a = answer(
            filing(ComplaintType::Signal, false, true),
            ymd("2026-11-23"),
            false,
            &cal,
        );
        assert_eq!(
            a,
            Answer::WithinAMonth {
                provisional: Some(ymd("2026-12-23"))
            }
        );
        assert_eq!(a.due_date(), Some(ymd("2026-12-23")));
        for text in [a.message(Lang::Bg), a.promise(Lang::Bg), a.spoken(Lang::Bg)] {
            assert_eq!(text, "Писмен отговор: до един месец от регистрирането");
            assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
        }
        assert_eq!(
            a.printed().bulgarian,
            "Писмен отговор: до един месец от регистрирането"
        );
    }

    #[test]
    fn the_screen_and_the_slip_agree_for_every_kind_of_filing() {
        let cal = Calendar::default();
        let filed = ymd("2026-11-24");
        for ctype in [
            ComplaintType::Complaint,
            ComplaintType::Signal,
            ComplaintType::Proposal,
            ComplaintType::Praise,
        ] {
            for (anonymous, has_contact) in [(false, true), (false, false), (true, false)] {
                for trusted in [true, false] {
                    let f = filing(ctype, anonymous, has_contact);
                    let decided = answer(f, filed, trusted, &cal);
                    let c = Complaint {
                        ctype,
                        category: "x".into(),
                        text: "t".into(),
                        name: String::new(),
                        address: String::new(),
                        phone: if has_contact { "0888 123 456" } else { "" }.into(),
                        email: String::new(),
                        anonymous,
                        health_safety: anonymous,
                        flags: vec![],
                        due_date: due_date_of(f, filed, &cal),
                        lang: Lang::Bg,
                    };
                    assert_eq!(
                        stored(&c, trusted),
                        decided,
                        "{ctype:?} {anonymous} {has_contact}"
                    );
                }
            }
        }
    }

    fn due_date_of(f: Filing, filed: NaiveDate, cal: &Calendar) -> Option<NaiveDate> {
        answer(f, filed, true, cal).due_date()
    }

    #[test]
    fn only_complaints_and_signals_with_a_contact_carry_a_date() {
        let cal = Calendar::default();
        let filed = ymd("2026-11-23");
        let due = |ctype, anonymous, contact| {
            answer(filing(ctype, anonymous, contact), filed, true, &cal).due_date()
        };
        assert_eq!(
            due(ComplaintType::Complaint, false, true),
            Some(ymd("2026-12-23"))
        );
        assert_eq!(due(ComplaintType::Signal, false, false), None);
        assert_eq!(due(ComplaintType::Signal, true, false), None);
        assert_eq!(due(ComplaintType::Proposal, false, true), None);
        assert_eq!(due(ComplaintType::Praise, false, true), None);
        let anonymous = answer(
            filing(ComplaintType::Signal, true, false),
            filed,
            true,
            &cal,
        );
        assert!(anonymous.message(Lang::En).starts_with("Anonymous"));
        assert_eq!(
            anonymous.printed().heading.as_deref(),
            Some("Подадено анонимно")
        );
    }
}
