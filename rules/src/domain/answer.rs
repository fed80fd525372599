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
//! praise are read without one. When the clock was not trusted, the date
//! counted from the kiosk's filing date is still the one rule: the record
//! carries it (with `clock_trusted = false`), and the screen, the slip and
//! the spoken text give that same date, marked as not confirmed (the
//! registry desk confirms it). Only a record without any date (an import)
//! says "within one month of registration".

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
    /// A written answer is owed, but the clock was not trusted:
    /// `provisional` is the date counted from the kiosk's filing date, kept
    /// in the record and shown marked as not confirmed ("within one month
    /// of registration" when there is none).
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

/// The answer as the slip prints it, in the filer's language: a heading
/// line, the due date on a line of its own in large print, and a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub heading: Option<String>,
    /// The due date, `DD.MM.YYYY`, printed large.
    pub date: Option<String>,
    pub text: String,
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

    /// The date shown and whether it is confirmed (the clock was trusted).
    fn shown_date(&self) -> Option<(NaiveDate, bool)> {
        match *self {
            Answer::By(d) => Some((d, true)),
            Answer::WithinAMonth { provisional } => provisional.map(|d| (d, false)),
            _ => None,
        }
    }

    /// After sending: the receipt screen's line.
    pub fn message(&self, lang: Lang) -> String {
        self.with_date(lang, |d| long_date(d, lang))
    }

    /// Before sending: the review screen's promise.
    pub fn promise(&self, lang: Lang) -> String {
        match (self.shown_date(), lang) {
            (Some((d, sure)), Lang::Bg) => format!(
                "Ще получите писмен отговор до {}{}",
                long_date(d, lang),
                unconfirmed(sure, lang)
            ),
            (Some((d, sure)), Lang::En) => format!(
                "You will receive a written answer by {}{}.",
                long_date(d, lang),
                unconfirmed(sure, lang)
            ),
            (None, _) => self.without_date(lang).to_owned(),
        }
    }

    /// [`Answer::message`] as it is read aloud: the date in words.
    pub fn spoken(&self, lang: Lang) -> String {
        self.with_date(lang, |d| spoken::date(d, lang))
    }

    /// "Written answer by DATE", the date written by `write`, marked when
    /// not confirmed; the words without a date otherwise.
    fn with_date(&self, lang: Lang, write: impl Fn(NaiveDate) -> String) -> String {
        match (self.shown_date(), lang) {
            (Some((d, sure)), Lang::Bg) => {
                format!("Писмен отговор до {}{}", write(d), unconfirmed(sure, lang))
            }
            (Some((d, sure)), Lang::En) => {
                format!("Written answer by {}{}", write(d), unconfirmed(sure, lang))
            }
            (None, _) => self.without_date(lang).to_owned(),
        }
    }

    /// What the slip prints, in `lang` only.
    pub fn printed(&self, lang: Lang) -> Printed {
        let bg = lang == Lang::Bg;
        let pick = |b: &str, e: &str| if bg { b.to_owned() } else { e.to_owned() };
        let plain = |b: &str, e: &str| Printed {
            heading: None,
            date: None,
            text: pick(b, e),
        };
        if let Some((d, sure)) = self.shown_date() {
            return Printed {
                heading: Some(pick("Писмен отговор до:", "Written answer by:")),
                date: Some(if bg {
                    format!("{} г.", slip_date(d))
                } else {
                    slip_date(d)
                }),
                text: if sure {
                    String::new()
                } else {
                    pick(
                        "Датата не е потвърдена (часовникът на киоска не беше сверен). Деловодството ще я потвърди.",
                        "The date is not confirmed (the kiosk's clock was not set). The registry desk will confirm it.",
                    )
                },
            };
        }
        match self {
            Answer::By(_) | Answer::WithinAMonth { .. } => plain(
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
                heading: Some(pick("Подадено анонимно", "Filed anonymously")),
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

/// The mark after a date counted on a clock that was not set.
fn unconfirmed(sure: bool, lang: Lang) -> &'static str {
    match (sure, lang) {
        (true, _) => "",
        (false, Lang::Bg) => " (датата ще бъде потвърдена)",
        (false, Lang::En) => " (date to be confirmed)",
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
        let p = a.printed(Lang::Bg);
        assert_eq!(p.heading.as_deref(), Some("Писмен отговор до:"));
        assert_eq!(p.date.as_deref(), Some("23.12.2026 г."));
        assert_eq!(a.printed(Lang::En).date.as_deref(), Some("23.12.2026"));
        assert!(a.spoken(Lang::Bg).contains("двайсет и трети декември"));
    }

    #[test]
    fn an_untrusted_clock_gives_the_records_date_everywhere_marked_unconfirmed() {
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
        assert_eq!(
            a.message(Lang::Bg),
            "Писмен отговор до 23 декември 2026 г. (датата ще бъде потвърдена)"
        );
        assert_eq!(
            a.promise(Lang::En),
            "You will receive a written answer by 23 December 2026 (date to be confirmed)."
        );
        assert!(a.spoken(Lang::Bg).contains("двайсет и трети декември"));
        assert!(a.spoken(Lang::Bg).ends_with("(датата ще бъде потвърдена)"));
        let p = a.printed(Lang::Bg);
        assert_eq!(p.date.as_deref(), Some("23.12.2026 г."));
        assert!(p.text.contains("не е потвърдена"), "{p:?}");
        // A record without any date says so in words.
        let none = Answer::WithinAMonth { provisional: None };
        assert_eq!(
            none.message(Lang::Bg),
            "Писмен отговор: до един месец от регистрирането"
        );
        assert_eq!(none.printed(Lang::En).date, None);
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
                        check_code: None,
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
            anonymous.printed(Lang::Bg).heading.as_deref(),
            Some("Подадено анонимно")
        );
        assert_eq!(
            anonymous.printed(Lang::En).heading.as_deref(),
            Some("Filed anonymously")
        );
    }
}
