//! The rules of the complaint form: what a visitor must fix before sending,
//! what they should know before sending, and the record that is stored.
//!
//! The form carries out the charter:
//! - complaints and signals get a written answer within a month, so unless
//!   anonymous they need a name and at least one contact (postal address,
//!   phone or e-mail);
//! - anonymous complaints and signals are examined only when they threaten
//!   health or safety, so anonymity needs the visitor's confirmation of that
//!   and the record is flagged;
//! - proposals and praise get no written answer: they may be anonymous
//!   without any confirmation and need no name or contact;
//! - obscene or insulting words, an ЕГН, and the topics the administration
//!   may not answer on (personal data, classified information) are never a
//!   reason to refuse a text: they are shown as [`Warning`]s the visitor may
//!   act on or ignore, and become [`Flag`]s on the record.
//!
//! Invariants of a [`Complaint`] built by [`finalize`]: every text field is
//! cleaned ([`super::sanitize`]) and within its limit; an anonymous record
//! has no name and no contact, whatever was typed; flags are sorted and
//! unique; a due date is set only where a written answer is owed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::answer::Filing;
use super::egn::{find_egn, mask_egn};
use super::lang::{Lang, Localized};
use super::offensive::find_offensive;
use super::record::{Complaint, ComplaintType, Flag, has_contact};
use super::sanitize::{char_count, clean_line, clean_text};
use super::topics::{SensitiveTopic, sensitive_topics};

/// A complaint category from `[[complaints.categories]]` in kiosk.toml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable id stored in records, e.g. "service_quality".
    pub id: String,
    pub name: Localized,
    /// Reports in this category go to the anti-corruption officer.
    #[serde(default)]
    pub suspected_corruption: bool,
}

/// What the visitor has entered so far, as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDraft {
    pub ctype: ComplaintType,
    /// Category id.
    pub category: String,
    pub text: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub anonymous: bool,
    /// The visitor confirmed the matter threatens health or safety.
    pub health_safety_confirmed: bool,
    pub lang: Lang,
}

impl ComplaintDraft {
    /// The filing this draft would be, for the answer it gets
    /// ([`super::answer`]): contact fields count once cleaned.
    pub fn filing(&self) -> Filing {
        let (a, p, e) = (
            clean_line(&self.address, usize::MAX),
            clean_line(&self.phone, usize::MAX),
            clean_line(&self.email, usize::MAX),
        );
        Filing {
            ctype: self.ctype,
            anonymous: self.anonymous,
            has_contact: has_contact(self.anonymous, [&a, &p, &e]),
        }
    }
}

/// Longest allowed length of each field, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    pub text: usize,
    pub name: usize,
    pub address: usize,
    pub phone: usize,
    pub email: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // An e-mail address can be 254 characters long (RFC 5321); a phone
        // number with spaces and a country code fits in 30.
        Self {
            text: 3000,
            name: 100,
            address: 200,
            phone: 30,
            email: 254,
        }
    }
}

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Text,
    Name,
    Address,
    Phone,
    Email,
}

impl Field {
    /// The field's label as the form shows it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Field::Text, Lang::Bg) => "Текст",
            (Field::Name, Lang::Bg) => "Име",
            (Field::Address, Lang::Bg) => "Адрес",
            (Field::Phone, Lang::Bg) => "Телефон",
            (Field::Email, Lang::Bg) => "Имейл",
            (Field::Text, Lang::En) => "Text",
            (Field::Name, Lang::En) => "Name",
            (Field::Address, Lang::En) => "Address",
            (Field::Phone, Lang::En) => "Phone",
            (Field::Email, Lang::En) => "E-mail",
        }
    }

    /// The keys the on-screen keyboard opens with for this field: digits
    /// for a phone number, Latin letters for an e-mail address, Cyrillic
    /// for the rest (the visitor can still switch).
    pub fn keys(self) -> Keys {
        match self {
            Field::Phone => Keys::Digits,
            Field::Email => Keys::Latin,
            Field::Text | Field::Name | Field::Address => Keys::Cyrillic,
        }
    }
}

/// A set of keys of the on-screen keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    Cyrillic,
    Latin,
    Digits,
}

/// Something the visitor must fix before the form can be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No category chosen.
    NoCategory,
    /// The category id is not in the configuration (a stale screen).
    UnknownCategory(String),
    /// Nothing written.
    EmptyText,
    /// A complaint or signal with a name, but no name.
    NameMissing,
    /// A complaint or signal with a name, but no way to send the answer.
    ContactMissing,
    /// Anonymous complaint or signal without the health-and-safety confirmation.
    HealthSafetyNotConfirmed,
    BadPhone,
    BadEmail,
    TooLong {
        field: Field,
        max: usize,
        len: usize,
    },
}

impl Problem {
    /// The problem in plain, polite words for the visitor.
    pub fn message(&self, lang: Lang) -> String {
        let bg = lang == Lang::Bg;
        let s = match self {
            Problem::NoCategory | Problem::UnknownCategory(_) if bg => {
                "Моля, изберете тема от списъка."
            }
            Problem::NoCategory | Problem::UnknownCategory(_) => {
                "Please choose a topic from the list."
            }
            Problem::EmptyText if bg => {
                "Моля, напишете с няколко думи какво искате да ни съобщите."
            }
            Problem::EmptyText => "Please write in a few words what you would like to tell us.",
            Problem::NameMissing if bg => {
                "Моля, напишете името си. То е нужно, за да ви отговорим писмено."
            }
            Problem::NameMissing => {
                "Please write your name. We need it to send you a written answer."
            }
            Problem::ContactMissing if bg => {
                "Моля, напишете адрес, телефон или имейл, за да можем да ви изпратим писмен отговор."
            }
            Problem::ContactMissing => {
                "Please give a postal address, a phone number or an e-mail address, so that we can send you a written answer."
            }
            Problem::HealthSafetyNotConfirmed if bg => {
                "Анонимни жалби и сигнали се разглеждат само ако засягат здравето или сигурността на хората. \
                 Ако е така, моля, потвърдете това. Ако не е, моля, напишете името си и как да се свържем с вас."
            }
            Problem::HealthSafetyNotConfirmed => {
                "Anonymous complaints and reports are examined only when they concern people's health or safety. \
                 If yours does, please confirm it. If not, please give your name and how we can reach you."
            }
            Problem::BadPhone if bg => {
                "Телефонният номер изглежда непълен или сгрешен. Моля, проверете го. \
                 Например: 0888 123 456 или +359 888 123 456."
            }
            Problem::BadPhone => {
                "The phone number looks incomplete or mistyped. Please check it. \
                 For example: 0888 123 456 or +359 888 123 456."
            }
            Problem::BadEmail if bg => {
                "Имейл адресът изглежда сгрешен. Моля, проверете го. Например: ivan.petrov@abv.bg"
            }
            Problem::BadEmail => {
                "The e-mail address looks mistyped. Please check it. For example: ivan.petrov@example.com"
            }
            Problem::TooLong { field, max, len } => {
                let label = field.label(lang);
                return if bg {
                    format!(
                        "Полето „{label}“ е твърде дълго: {len} знака, а най-много са {max}. Моля, съкратете го."
                    )
                } else {
                    format!(
                        "The field “{label}” is too long: {len} characters, at most {max}. Please shorten it."
                    )
                };
            }
        };
        s.to_owned()
    }
}

/// Something the visitor should know before sending; they may edit the
/// text or send it as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Words that may be taken as obscene or insulting, as written.
    OffensiveLanguage(Vec<String>),
    /// The text seems to contain an ЕГН.
    PersonalNumber,
    /// The text is about personal-data protection.
    PersonalDataTopic,
    /// The text is about classified information.
    ClassifiedTopic,
}

impl Warning {
    /// The warning in plain, polite words for the visitor.
    pub fn message(&self, lang: Lang) -> String {
        let bg = lang == Lang::Bg;
        match self {
            Warning::OffensiveLanguage(words) => {
                let quoted: Vec<String> =
                    words.iter().map(|w| if bg { format!("„{w}“") } else { format!("“{w}”") }).collect();
                let list = quoted.join(", ");
                if bg {
                    format!(
                        "Някои думи може да се приемат за нецензурни или обидни: {list}. \
                         Общината може да не отговори на текст с такива думи. \
                         Моля, помислете дали да ги промените. Можете и да изпратите текста така."
                    )
                } else {
                    format!(
                        "Some words may be taken as obscene or insulting: {list}. \
                         The municipality may not answer a text with such words. \
                         Please consider rephrasing them. You may also send the text as it is."
                    )
                }
            }
            Warning::PersonalNumber if bg => "Изглежда сте написали единен граждански номер (ЕГН). \
                 Моля, не пишете ЕГН: не е нужен. Няма да бъде запазен: цифрите му са заменени със звездички."
                .to_owned(),
            Warning::PersonalNumber => "It looks as if you have written a personal number (ЕГН). \
                 Please do not write it: it is not needed. It will not be kept: its digits are replaced by stars."
                .to_owned(),
            Warning::PersonalDataTopic if bg => "Общинската администрация няма право да отговаря на въпроси \
                 за защита на личните данни. За тях, моля, обърнете се към Комисията за защита на личните \
                 данни (КЗЛД), www.cpdp.bg. Можете и да изпратите текста."
                .to_owned(),
            Warning::PersonalDataTopic => "The municipal administration may not answer questions on the \
                 protection of personal data. For these, please turn to the Commission for Personal Data \
                 Protection (КЗЛД), www.cpdp.bg. You may still send your text."
                .to_owned(),
            Warning::ClassifiedTopic if bg => "Общинската администрация няма право да отговаря на въпроси, \
                 свързани с класифицирана информация. Можете да изпратите текста, но отговор по тази тема \
                 няма да получите."
                .to_owned(),
            Warning::ClassifiedTopic => "The municipal administration may not answer questions about \
                 classified information. You may send your text, but you will not receive an answer on \
                 this subject."
                .to_owned(),
        }
    }
}

/// The review screen's view of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Must be fixed before sending, in the order of the form.
    pub problems: Vec<Problem>,
    /// May be acted on; sending is still allowed.
    pub warnings: Vec<Warning>,
    /// What the record will be flagged with, sorted and unique.
    pub flags: Vec<Flag>,
    /// The draft with every text field cleaned (not cut: a field over its
    /// limit is a [`Problem`], never silently shortened).
    pub cleaned: ComplaintDraft,
}

impl Review {
    /// Whether the form can be sent.
    pub fn can_submit(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks a draft against the charter's rules.
pub fn review(draft: &ComplaintDraft, categories: &[Category], limits: &Limits) -> Review {
    let cleaned = ComplaintDraft {
        category: draft.category.trim().to_owned(),
        text: clean_text(&draft.text, usize::MAX),
        name: clean_line(&draft.name, usize::MAX),
        address: clean_line(&draft.address, usize::MAX),
        phone: clean_line(&draft.phone, usize::MAX),
        email: clean_line(&draft.email, usize::MAX),
        ..draft.clone()
    };
    let c = &cleaned;
    let answered = c.ctype.expects_written_answer();
    // An anonymous record keeps no name or contact, so they are not checked.
    let personal = !c.anonymous;
    let category = categories.iter().find(|k| k.id == c.category);

    let mut problems = Vec::new();
    if c.category.is_empty() {
        problems.push(Problem::NoCategory);
    } else if category.is_none() {
        problems.push(Problem::UnknownCategory(c.category.clone()));
    }
    if c.text.is_empty() {
        problems.push(Problem::EmptyText);
    }
    too_long(&mut problems, Field::Text, &c.text, limits.text);
    if c.anonymous && answered && !c.health_safety_confirmed {
        problems.push(Problem::HealthSafetyNotConfirmed);
    }
    if personal {
        if answered && c.name.chars().filter(|ch| ch.is_alphabetic()).count() < 2 {
            problems.push(Problem::NameMissing);
        }
        too_long(&mut problems, Field::Name, &c.name, limits.name);
        if answered
            && [&c.address, &c.phone, &c.email]
                .iter()
                .all(|f| f.is_empty())
        {
            problems.push(Problem::ContactMissing);
        }
        too_long(&mut problems, Field::Address, &c.address, limits.address);
        if !c.phone.is_empty() && !is_valid_phone(&c.phone) {
            problems.push(Problem::BadPhone);
        }
        too_long(&mut problems, Field::Phone, &c.phone, limits.phone);
        if !c.email.is_empty() && !is_valid_email(&c.email) {
            problems.push(Problem::BadEmail);
        }
        too_long(&mut problems, Field::Email, &c.email, limits.email);
    }

    let kept: Vec<&str> = if personal {
        vec![&c.text, &c.name, &c.address, &c.phone, &c.email]
    } else {
        vec![&c.text]
    };
    let mut offensive: Vec<String> = Vec::new();
    for m in kept.iter().flat_map(|f| find_offensive(f)) {
        if !offensive
            .iter()
            .any(|w| w.to_lowercase() == m.text.to_lowercase())
        {
            offensive.push(m.text);
        }
    }
    let personal_number = kept.iter().any(|f| find_egn(f).is_some());
    let topics = sensitive_topics(&c.text);
    // Found, so the record is flagged and the visitor warned; never kept.
    let cleaned = if personal_number {
        ComplaintDraft {
            text: mask_egn(&cleaned.text),
            name: mask_egn(&cleaned.name),
            address: mask_egn(&cleaned.address),
            email: mask_egn(&cleaned.email),
            ..cleaned.clone()
        }
    } else {
        cleaned.clone()
    };

    let mut warnings = Vec::new();
    let mut flags = Vec::new();
    if !offensive.is_empty() {
        warnings.push(Warning::OffensiveLanguage(offensive));
        flags.push(Flag::OffensiveLanguage);
    }
    if personal_number {
        warnings.push(Warning::PersonalNumber);
        flags.push(Flag::PersonalNumber);
    }
    if topics.contains(&SensitiveTopic::PersonalData) {
        warnings.push(Warning::PersonalDataTopic);
        flags.push(Flag::PersonalDataTopic);
    }
    if topics.contains(&SensitiveTopic::ClassifiedInformation) {
        warnings.push(Warning::ClassifiedTopic);
        flags.push(Flag::ClassifiedInformationTopic);
    }
    if c.anonymous && answered && c.health_safety_confirmed {
        flags.push(Flag::AnonymousHealthSafety);
    }
    if category.is_some_and(|k| k.suspected_corruption) {
        flags.push(Flag::SuspectedCorruption);
    }
    flags.sort();
    flags.dedup();

    Review {
        problems,
        warnings,
        flags,
        cleaned,
    }
}

fn too_long(problems: &mut Vec<Problem>, field: Field, value: &str, max: usize) {
    let len = char_count(value);
    if len > max {
        problems.push(Problem::TooLong { field, max, len });
    }
}

/// Builds the record body from a draft, or says what must be fixed.
/// `due_date` is when a written answer would be due; it is kept only where
/// one is owed (a complaint or signal with a contact).
pub fn finalize(
    draft: &ComplaintDraft,
    categories: &[Category],
    limits: &Limits,
    due_date: Option<NaiveDate>,
) -> Result<Complaint, Vec<Problem>> {
    let Review {
        problems,
        flags,
        cleaned: c,
        ..
    } = review(draft, categories, limits);
    if !problems.is_empty() {
        return Err(problems);
    }
    let answered = c.ctype.expects_written_answer();
    let keep = |s: String| if c.anonymous { String::new() } else { s };
    Ok(Complaint {
        ctype: c.ctype,
        category: c.category,
        text: c.text,
        name: keep(c.name),
        address: keep(c.address),
        phone: keep(c.phone),
        email: keep(c.email),
        anonymous: c.anonymous,
        health_safety: answered && c.health_safety_confirmed,
        flags,
        due_date: if answered && !c.anonymous {
            due_date
        } else {
            None
        },
        lang: c.lang,
        // Made by the store when the record is written.
        check_code: None,
    })
}

/// Whether `phone` is a reachable phone number: Bulgarian national
/// (`0888 123 456`, `02 987 6543`, `(02) 987 65 43`) or international
/// (`+359 888 123 456`, `00359 888 123 456`, `+44 20 7946 0958`). Spaces,
/// dashes, dots, slashes and brackets may group the digits.
pub fn is_valid_phone(phone: &str) -> bool {
    // "+359 (0)888 ..." repeats the national 0 that dialling from abroad drops.
    let phone = phone.trim().replacen("(0)", "", 1);
    let (plus, rest) = match phone.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, phone.as_str()),
    };
    let starts_well = rest
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '(');
    let allowed = rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '/' | '(' | ')'));
    if !starts_well || !allowed {
        return false;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    match international {
        // Bulgarian numbers are 8 or 9 digits after the country code.
        Some(n) => match n.strip_prefix("359") {
            Some(national) => (8..=9).contains(&national.len()) && !national.starts_with('0'),
            // E.164: at most 15 digits; country codes never start with 0.
            None => (8..=15).contains(&n.len()) && !n.starts_with('0'),
        },
        None => (9..=10).contains(&digits.len()) && digits.starts_with('0'),
    }
}

/// Whether `email` looks like a deliverable address: `local@domain.tld`, an
/// ASCII local part (a Cyrillic one is nearly always the keyboard left in
/// the wrong language), and a domain of at least two labels.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let local_ok = (1..=64).contains(&local.len())
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let labels_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.chars().count())
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic));
    local_ok && labels_ok && tld_ok && domain.len() <= 253
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories() -> Vec<Category> {
        vec![
            Category {
                id: "service_quality".into(),
                name: Localized::new(
                    "Качество на обслужването".into(),
                    "Quality of service".into(),
                ),
                suspected_corruption: false,
            },
            Category {
                id: "corruption".into(),
                name: Localized::new("Съмнение за корупция".into(), "Suspected corruption".into()),
                suspected_corruption: true,
            },
        ]
    }

    fn draft() -> ComplaintDraft {
        ComplaintDraft {
            ctype: ComplaintType::Complaint,
            category: "service_quality".into(),
            text: "Чаках два часа на гишето.".into(),
            name: "Иван Петров".into(),
            address: String::new(),
            phone: "0888 123 456".into(),
            email: String::new(),
            anonymous: false,
            health_safety_confirmed: false,
            lang: Lang::Bg,
        }
    }

    fn check(d: &ComplaintDraft) -> Review {
        review(d, &categories(), &Limits::default())
    }

    fn due() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 4, 13)
    }

    #[test]
    fn a_complete_complaint_passes_and_keeps_its_due_date() {
        let r = check(&draft());
        assert!(r.can_submit(), "{:?}", r.problems);
        assert!(r.warnings.is_empty() && r.flags.is_empty());
        let c = finalize(&draft(), &categories(), &Limits::default(), due()).unwrap();
        assert_eq!(c.name, "Иван Петров");
        assert_eq!(c.phone, "0888 123 456");
        assert_eq!(c.due_date, due());
        assert!(c.has_contact());
    }

    #[test]
    fn fields_are_cleaned() {
        let d = ComplaintDraft {
            text: "  Чаках\r\n\r\n\r\n\r\nдва   часа.\u{200b} ".into(),
            name: "  Иван\n Петров ".into(),
            category: " service_quality ".into(),
            ..draft()
        };
        let c = finalize(&d, &categories(), &Limits::default(), due()).unwrap();
        assert_eq!(c.text, "Чаках\n\nдва часа.");
        assert_eq!(c.name, "Иван Петров");
        assert_eq!(c.category, "service_quality");
    }

    #[test]
    fn empty_text_and_missing_category_are_problems() {
        let d = ComplaintDraft {
            text: " \n ".into(),
            category: String::new(),
            ..draft()
        };
        assert_eq!(
            check(&d).problems,
            [Problem::NoCategory, Problem::EmptyText]
        );
        let d = ComplaintDraft {
            category: "parking".into(),
            ..draft()
        };
        assert_eq!(
            check(&d).problems,
            [Problem::UnknownCategory("parking".into())]
        );
    }

    #[test]
    fn complaints_and_signals_need_a_name_and_a_contact() {
        for ctype in [ComplaintType::Complaint, ComplaintType::Signal] {
            let d = ComplaintDraft {
                ctype,
                name: " . ".into(),
                phone: String::new(),
                ..draft()
            };
            assert_eq!(
                check(&d).problems,
                [Problem::NameMissing, Problem::ContactMissing]
            );
            assert_eq!(
                finalize(&d, &categories(), &Limits::default(), due())
                    .unwrap_err()
                    .len(),
                2
            );
        }
    }

    #[test]
    fn any_one_contact_is_enough() {
        for (address, phone, email) in [
            ("с. Ковачевци, ул. Първа 1", "", ""),
            ("", "02 987 6543", ""),
            ("", "", "ivan@abv.bg"),
        ] {
            let d = ComplaintDraft {
                address: address.into(),
                phone: phone.into(),
                email: email.into(),
                ..draft()
            };
            assert!(check(&d).can_submit(), "{address} {phone} {email}");
        }
    }

    #[test]
    fn anonymous_complaint_needs_the_health_and_safety_confirmation() {
        let d = ComplaintDraft {
            anonymous: true,
            name: String::new(),
            phone: String::new(),
            ..draft()
        };
        assert_eq!(check(&d).problems, [Problem::HealthSafetyNotConfirmed]);
        let d = ComplaintDraft {
            health_safety_confirmed: true,
            ..d
        };
        let r = check(&d);
        assert!(r.can_submit());
        assert_eq!(r.flags, [Flag::AnonymousHealthSafety]);
        let c = finalize(&d, &categories(), &Limits::default(), due()).unwrap();
        assert!(c.anonymous && c.health_safety);
        assert_eq!(c.due_date, None);
    }

    #[test]
    fn anonymous_record_keeps_no_name_or_contact_even_if_typed() {
        let d = ComplaintDraft {
            anonymous: true,
            health_safety_confirmed: true,
            email: "not an address".into(),
            address: "ул. Първа 1".into(),
            ..draft()
        };
        // Fields that will be dropped are not checked either.
        assert!(check(&d).can_submit());
        let c = finalize(&d, &categories(), &Limits::default(), due()).unwrap();
        assert_eq!(
            (
                c.name.as_str(),
                c.address.as_str(),
                c.phone.as_str(),
                c.email.as_str()
            ),
            ("", "", "", "")
        );
        assert!(!c.has_contact());
    }

    #[test]
    fn proposals_and_praise_need_neither_name_nor_confirmation() {
        for ctype in [ComplaintType::Proposal, ComplaintType::Praise] {
            let named_nothing = ComplaintDraft {
                ctype,
                name: String::new(),
                phone: String::new(),
                ..draft()
            };
            assert!(check(&named_nothing).can_submit());
            let anonymous = ComplaintDraft {
                ctype,
                anonymous: true,
                ..draft()
            };
            let r = check(&anonymous);
            assert!(r.can_submit());
            assert!(!r.flags.contains(&Flag::AnonymousHealthSafety));
            let c = finalize(&anonymous, &categories(), &Limits::default(), due()).unwrap();
            assert_eq!(
                (c.due_date, c.health_safety, c.name.as_str()),
                (None, false, "")
            );
            // A proposal that leaves a phone still has it checked.
            let bad = ComplaintDraft {
                ctype,
                phone: "12".into(),
                ..draft()
            };
            assert_eq!(check(&bad).problems, [Problem::BadPhone]);
        }
    }

    #[test]
    fn malformed_phone_and_email_are_problems() {
        let d = ComplaintDraft {
            phone: "0888 12".into(),
            email: "ivan@abv".into(),
            ..draft()
        };
        assert_eq!(check(&d).problems, [Problem::BadPhone, Problem::BadEmail]);
    }

    #[test]
    fn accepts_phone_numbers_as_people_write_them() {
        for p in [
            "0888 123 456",
            "0888123456",
            "088 812 3456",
            "0888-123-456",
            "02 987 6543",
            "02/987 65 43",
            "(02) 987 65 43",
            "07727 2233",
            "+359 888 123 456",
            "+359888123456",
            "+359 (0)888 123 456",
            "00359 888 123 456",
            "+359 2 987 6543",
            "+44 20 7946 0958",
            "+1 (555) 123-4567",
        ] {
            assert!(is_valid_phone(p), "{p}");
        }
    }

    #[test]
    fn rejects_phone_numbers_that_cannot_be_dialled() {
        for p in [
            "",
            "12345",
            "0888 123",
            "888 123 456",
            "0888 123 456 789",
            "+359 0888 123 456",
            "+359 88 12",
            "+0 123 456 789",
            "0888 ABC 456",
            "тел 0888123456",
            "+",
            "(0)",
            "-0888 123 456",
            "0888123456 вечер",
        ] {
            assert!(!is_valid_phone(p), "{p}");
        }
    }

    #[test]
    fn accepts_and_rejects_email_addresses() {
        for e in [
            "ivan@abv.bg",
            "ivan.petrov+kiosk@mail.example.com",
            "i_p-1@gov.bg",
            "ivan@пример.бг",
            "o'brien@example.ie",
        ] {
            assert!(is_valid_email(e), "{e}");
        }
        for e in [
            "",
            "ivan",
            "ivan@",
            "@abv.bg",
            "ivan@abv",
            "ivan@@abv.bg",
            "иван@abv.bg",
            "ivan@abv..bg",
            ".ivan@abv.bg",
            "ivan.@abv.bg",
            "iv an@abv.bg",
            "ivan@-abv.bg",
            "ivan@abv.b",
            "ivan@abv.123",
            "ivan@abv bg",
        ] {
            assert!(!is_valid_email(e), "{e}");
        }
    }

    #[test]
    fn too_long_fields_are_problems_not_cut() {
        let limits = Limits {
            text: 10,
            name: 5,
            ..Limits::default()
        };
        let d = ComplaintDraft {
            text: "Много дълъг текст".into(),
            name: "Иван Петров".into(),
            ..draft()
        };
        let r = review(&d, &categories(), &limits);
        assert_eq!(
            r.problems,
            [
                Problem::TooLong {
                    field: Field::Text,
                    max: 10,
                    len: 17
                },
                Problem::TooLong {
                    field: Field::Name,
                    max: 5,
                    len: 11
                }
            ]
        );
        assert_eq!(r.cleaned.text, "Много дълъг текст");
    }

    #[test]
    fn offensive_words_warn_and_flag_but_do_not_block() {
        let d = ComplaintDraft {
            text: "Служителката е идиот и курва. Идиот!".into(),
            ..draft()
        };
        let r = check(&d);
        assert!(r.can_submit());
        assert_eq!(
            r.warnings,
            [Warning::OffensiveLanguage(vec![
                "идиот".into(),
                "курва".into()
            ])]
        );
        assert_eq!(r.flags, [Flag::OffensiveLanguage]);
        let c = finalize(&d, &categories(), &Limits::default(), due()).unwrap();
        assert_eq!(c.text, d.text, "the text is never changed");
        assert_eq!(c.flags, [Flag::OffensiveLanguage]);
    }

    #[test]
    fn motivated_criticism_is_not_flagged() {
        let d = ComplaintDraft {
            category: "corruption".into(),
            text: "Служителката беше груба и некомпетентна. Това е корупция, крадци!".into(),
            ..draft()
        };
        let r = check(&d);
        assert!(r.warnings.is_empty());
        assert_eq!(r.flags, [Flag::SuspectedCorruption]);
    }

    #[test]
    fn every_kept_field_is_checked_for_words_and_personal_numbers() {
        let d = ComplaintDraft {
            name: "Курва Петрова".into(),
            address: "ЕГН 8501011234".into(),
            ..draft()
        };
        let r = check(&d);
        assert_eq!(r.flags, [Flag::OffensiveLanguage, Flag::PersonalNumber]);
        assert_eq!(
            r.warnings,
            [
                Warning::OffensiveLanguage(vec!["Курва".into()]),
                Warning::PersonalNumber
            ]
        );
    }

    #[test]
    fn sensitive_topics_and_corruption_give_sorted_flags() {
        let d = ComplaintDraft {
            category: "corruption".into(),
            text:
                "Разгласиха личните ми данни и класифицирана информация. ЕГН 850101 1234. Идиоти!"
                    .into(),
            anonymous: true,
            health_safety_confirmed: true,
            ..draft()
        };
        let r = check(&d);
        assert_eq!(
            r.flags,
            [
                Flag::OffensiveLanguage,
                Flag::AnonymousHealthSafety,
                Flag::PersonalDataTopic,
                Flag::ClassifiedInformationTopic,
                Flag::PersonalNumber,
                Flag::SuspectedCorruption,
            ]
        );
        assert_eq!(r.warnings.len(), 4);
    }

    #[test]
    fn every_message_is_written_in_both_languages() {
        let problems = [
            Problem::NoCategory,
            Problem::UnknownCategory("x".into()),
            Problem::EmptyText,
            Problem::NameMissing,
            Problem::ContactMissing,
            Problem::HealthSafetyNotConfirmed,
            Problem::BadPhone,
            Problem::BadEmail,
            Problem::TooLong {
                field: Field::Address,
                max: 200,
                len: 250,
            },
        ];
        let warnings = [
            Warning::OffensiveLanguage(vec!["идиот".into()]),
            Warning::PersonalNumber,
            Warning::PersonalDataTopic,
            Warning::ClassifiedTopic,
        ];
        let texts = problems
            .iter()
            .flat_map(|p| [p.message(Lang::Bg), p.message(Lang::En)])
            .chain(
                warnings
                    .iter()
                    .flat_map(|w| [w.message(Lang::Bg), w.message(Lang::En)]),
            );
        for (i, t) in texts.enumerate() {
            let cyrillic = t.chars().filter(|c| ('а'..='я').contains(c)).count();
            if i % 2 == 0 {
                assert!(cyrillic > 10, "{t}");
            } else {
                assert!(cyrillic < 10, "{t}");
            }
            assert!(!t.contains("  "), "{t}");
        }
    }

    #[test]
    fn notices_say_what_the_charter_asks() {
        assert!(
            Warning::PersonalDataTopic
                .message(Lang::Bg)
                .contains("Комисията за защита на личните данни (КЗЛД)")
        );
        assert!(
            Warning::PersonalDataTopic
                .message(Lang::En)
                .contains("Commission for Personal Data Protection")
        );
        assert!(
            Warning::PersonalNumber
                .message(Lang::Bg)
                .contains("не пишете ЕГН")
        );
        let w = Warning::OffensiveLanguage(vec!["идиот".into(), "fuck".into()]);
        assert!(w.message(Lang::Bg).contains("„идиот“, „fuck“"));
        assert!(w.message(Lang::En).contains("may not answer"));
        let p = Problem::TooLong {
            field: Field::Name,
            max: 100,
            len: 120,
        };
        assert!(p.message(Lang::Bg).contains("„Име“") && p.message(Lang::Bg).contains("120"));
    }

    #[test]
    fn categories_parse_from_configuration_and_reject_unknown_keys() {
        let c: Category =
            serde_json::from_str(r#"{"id":"roads","name":{"bg":"Пътища","en":"Roads"}}"#).unwrap();
        assert!(!c.suspected_corruption);
        assert!(
            serde_json::from_str::<Category>(r#"{"id":"x","name":{"bg":"","en":""},"colour":1}"#)
                .is_err()
        );
    }

    #[test]
    fn the_keyboard_opens_with_digits_for_the_phone() {
        assert_eq!(Field::Phone.keys(), Keys::Digits);
        assert_eq!(Field::Email.keys(), Keys::Latin);
        assert_eq!(Field::Name.keys(), Keys::Cyrillic);
        assert_eq!(Field::Text.keys(), Keys::Cyrillic);
    }
}
