//! What happened to a complaint after it was filed, from the registry
//! desk's marks and the central system's answers, and how it is told to a
//! visitor who checks a receipt number: filed on, answer due by, and its
//! status in the charter's words. Nothing personal is in here: no text, no
//! name, no contact.

use chrono::NaiveDate;

use crate::domain::Lang;

/// What the central system says happened (contract 1.2 `answers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CentralStatus {
    /// The registry desk took it under an incoming number (1.2).
    Registered,
    Answered,
    Extended,
    NotExamined,
}

impl CentralStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CentralStatus::Registered => "registered",
            CentralStatus::Answered => "answered",
            CentralStatus::Extended => "extended",
            CentralStatus::NotExamined => "not_examined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "registered" => Some(CentralStatus::Registered),
            "answered" => Some(CentralStatus::Answered),
            "extended" => Some(CentralStatus::Extended),
            "not_examined" => Some(CentralStatus::NotExamined),
            _ => None,
        }
    }
}

/// One entry of the central system's `answers`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentralAnswer {
    /// "KV1-2026-000042", as the receipt prints it.
    pub number: String,
    pub status: CentralStatus,
    /// For `answered`.
    pub answered_on: Option<NaiveDate>,
    /// For `extended`.
    pub new_due_date: Option<NaiveDate>,
    /// For `registered`: the municipality's incoming number, such as
    /// "94-00-12", at most [`MAX_REGISTRY_NUMBER`] characters.
    pub registry_number: Option<String>,
    /// For `registered`.
    pub registered_on: Option<NaiveDate>,
}

/// The longest registry number kept (contract 1.2).
pub const MAX_REGISTRY_NUMBER: usize = 32;

/// Whether `n` can be a registry number: 1 to 32 characters, none of them
/// a control character (it is shown and printed as is).
pub fn is_registry_number(n: &str) -> bool {
    let len = n.chars().count();
    (1..=MAX_REGISTRY_NUMBER).contains(&len) && !n.chars().any(char::is_control)
}

/// Why a complaint is not examined, as the charter allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotExamined {
    /// Anonymous, with no threat to health and safety.
    Anonymous,
    /// Obscene or unmotivated offensive wording.
    Offensive,
    /// The central system said so without a reason the kiosk knows.
    Other,
}

/// Where a complaint stands, for "check my receipt" and the register.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FollowUp {
    /// `None` when this kiosk's database does not hold the record (only the
    /// central system's answer is known).
    pub filed_on: Option<NaiveDate>,
    /// The charter's month, moved to a working day; `None` when no written
    /// answer is owed.
    pub due_date: Option<NaiveDate>,
    /// The registry desk registered it: the central system's date, else
    /// the day its copy was printed at the kiosk.
    pub registered_on: Option<NaiveDate>,
    /// The registry's incoming number, from the central system (1.2).
    pub registry_number: Option<String>,
    /// The answer went out: staff's mark, else the central system's date.
    pub answered_on: Option<NaiveDate>,
    /// The central system extended the due date to this day.
    pub extended_to: Option<NaiveDate>,
    pub not_examined: Option<NotExamined>,
}

impl FollowUp {
    /// The day the answer is due now: the extended one if there is one.
    pub fn due_now(&self) -> Option<NaiveDate> {
        self.extended_to.or(self.due_date)
    }

    /// Not answered, not set aside by the charter, and past its due day.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.answered_on.is_none()
            && self.not_examined.is_none()
            && self.due_now().is_some_and(|d| d < today)
    }

    /// The lines a visitor reads (and hears) for receipt `number`.
    pub fn lines(&self, lang: Lang, today: NaiveDate) -> Vec<String> {
        let d = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
        let mut out = Vec::new();
        let bg = lang == Lang::Bg;
        if let Some(f) = self.filed_on {
            out.push(if bg {
                format!("Подадена на {}.", d(f))
            } else {
                format!("Filed on {}.", d(f))
            });
        }
        if let Some(why) = self.not_examined {
            out.push(not_examined_text(lang, why).to_owned());
            return out;
        }
        if let Some(a) = self.answered_on {
            out.push(if bg {
                format!("Отговорено писмено на {}.", d(a))
            } else {
                format!("Answered in writing on {}.", d(a))
            });
            return out;
        }
        if let Some(due) = self.due_date {
            out.push(if bg {
                format!("Срок за писмен отговор: {}.", d(due))
            } else {
                format!("Written answer due by {}.", d(due))
            });
        }
        if let Some(new) = self.extended_to {
            out.push(if bg {
                format!(
                    "Срокът е удължен до {}. Според Хартата на клиента подателят се уведомява писмено за причините и за окончателния срок.",
                    d(new)
                )
            } else {
                format!(
                    "The deadline was extended to {}. Under the client charter the filer is told in writing why, and the final deadline.",
                    d(new)
                )
            });
        }
        if let Some(r) = self.registered_on {
            out.push(match (&self.registry_number, bg) {
                (Some(n), true) => {
                    format!("Регистрирана в деловодството под № {n} на {}.", d(r))
                }
                (Some(n), false) => {
                    format!("Registered at the registry desk under No. {n} on {}.", d(r))
                }
                (None, true) => format!("Регистрирана в деловодството на {}.", d(r)),
                (None, false) => format!("Registered at the registry desk on {}.", d(r)),
            });
        } else if self.filed_on.is_some() {
            out.push(
                if bg {
                    "Приета от киоска; предстои регистрация в деловодството."
                } else {
                    "Received by the kiosk; to be registered at the registry desk."
                }
                .to_owned(),
            );
        }
        if self.overdue(today) {
            out.push(
                if bg {
                    "Срокът за отговор е изтекъл. Моля, обърнете се към деловодството."
                } else {
                    "The deadline has passed. Please ask at the registry desk."
                }
                .to_owned(),
            );
        } else if self.due_now().is_none() && self.filed_on.is_some() {
            out.push(
                if bg {
                    "За този вид запис не се дължи писмен отговор."
                } else {
                    "No written answer is owed for this kind of record."
                }
                .to_owned(),
            );
        }
        out
    }
}

/// What a visitor who checks a number nobody here knows is told.
pub fn unknown_number_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => {
            "Не познаваме този номер. Проверете цифрите и годината или попитайте в деловодството."
        }
        Lang::En => {
            "We do not know this number. Check the digits and the year, or ask at the registry desk."
        }
    }
}

/// What a visitor is told after too many checks in a minute.
pub fn too_many_checks_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => "Направихте много проверки. Моля, изчакайте минута и опитайте отново.",
        Lang::En => "You have made many checks. Please wait a minute and try again.",
    }
}

/// What a visitor is told when the kiosk could not look the number up.
pub fn lookup_failed_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => "Проверката не успя. Моля, опитайте отново или попитайте в деловодството.",
        Lang::En => "The check did not work. Please try again or ask at the registry desk.",
    }
}

/// The charter's reason, in its words.
pub fn not_examined_text(lang: Lang, why: NotExamined) -> &'static str {
    match (lang, why) {
        (Lang::Bg, NotExamined::Anonymous) => {
            "Не се разглежда: според Хартата на клиента анонимни сигнали и оплаквания не се разглеждат, освен когато поставеният проблем застрашава здравето и сигурността на гражданите."
        }
        (Lang::En, NotExamined::Anonymous) => {
            "Not examined: under the client charter anonymous signals and complaints are not examined unless the problem threatens the health and safety of citizens."
        }
        (Lang::Bg, NotExamined::Offensive) => {
            "Не се разглежда: според Хартата на клиента общинската администрация не дава отговор на текстове с нецензурни изрази или немотивирани обидни изказвания."
        }
        (Lang::En, NotExamined::Offensive) => {
            "Not examined: under the client charter the administration does not answer texts with obscene expressions or unmotivated offensive statements."
        }
        (Lang::Bg, NotExamined::Other) => {
            "Не се разглежда, както Хартата на клиента позволява. Подробности в деловодството."
        }
        (Lang::En, NotExamined::Other) => {
            "Not examined, as the client charter allows. Ask at the registry desk for details."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn filed() -> FollowUp {
        FollowUp {
            filed_on: Some(day(11, 23)),
            due_date: Some(day(12, 23)),
            ..FollowUp::default()
        }
    }

    #[test]
    fn a_fresh_complaint_says_when_it_was_filed_and_when_the_answer_is_due() {
        let f = filed();
        assert_eq!(
            f.lines(Lang::Bg, day(11, 24)),
            [
                "Подадена на 23.11.2026.",
                "Срок за писмен отговор: 23.12.2026.",
                "Приета от киоска; предстои регистрация в деловодството.",
            ]
        );
        assert!(!f.overdue(day(12, 23)));
        assert!(f.overdue(day(12, 24)));
        assert!(
            f.lines(Lang::En, day(12, 24))
                .contains(&"The deadline has passed. Please ask at the registry desk.".to_owned())
        );
    }

    #[test]
    fn an_extension_moves_the_deadline_and_says_the_filer_is_told_why() {
        let f = FollowUp {
            extended_to: NaiveDate::from_ymd_opt(2027, 1, 20),
            registered_on: Some(day(11, 24)),
            ..filed()
        };
        let lines = f.lines(Lang::Bg, day(12, 30));
        assert!(
            lines.iter().any(|l| l.contains("удължен до 20.01.2027")
                && l.contains("уведомява писмено за причините"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("Регистрирана в деловодството на 24.11.2026"))
        );
        assert!(!f.overdue(day(12, 30)), "the new date counts");
    }

    #[test]
    fn a_registered_complaint_names_the_registry_number() {
        let f = FollowUp {
            registered_on: Some(day(11, 24)),
            registry_number: Some("94-00-12".into()),
            ..filed()
        };
        assert_eq!(
            f.lines(Lang::Bg, day(11, 25)),
            [
                "Подадена на 23.11.2026.",
                "Срок за писмен отговор: 23.12.2026.",
                "Регистрирана в деловодството под № 94-00-12 на 24.11.2026.",
            ]
        );
        assert!(f.lines(Lang::En, day(11, 25)).contains(
            &"Registered at the registry desk under No. 94-00-12 on 24.11.2026.".to_owned()
        ));
        assert!(is_registry_number("94-00-12"));
        assert!(!is_registry_number(""));
        assert!(!is_registry_number(&"9".repeat(33)));
        assert!(!is_registry_number("94\n00"));
    }

    #[test]
    fn answered_and_not_examined_end_the_story() {
        let f = FollowUp {
            answered_on: Some(day(12, 15)),
            ..filed()
        };
        assert_eq!(
            f.lines(Lang::En, day(12, 30)),
            ["Filed on 23.11.2026.", "Answered in writing on 15.12.2026."]
        );
        assert!(!f.overdue(day(12, 30)));
        let n = FollowUp {
            not_examined: Some(NotExamined::Anonymous),
            ..filed()
        };
        let lines = n.lines(Lang::Bg, day(12, 30));
        assert!(lines[1].contains("анонимни сигнали"), "{lines:?}");
        assert!(!n.overdue(day(12, 30)));
    }
}
