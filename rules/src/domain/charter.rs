//! The charter's notices on the complaint form, in both languages: what a
//! visitor is told before typing anything, and in full on the review screen
//! before sending.
//!
//! The charter requires the form to say up front that the administration
//! does not answer on personal-data protection or classified information,
//! that a complaint here is not an appeal of an administrative act (and
//! where appeals go), that complaints can also be filed at the registry
//! desk, by post or on the web site, and never to write an ЕГН.

use super::answer::Answer;
use super::lang::{Lang, Localized};
use super::record::ComplaintType;

/// The short form of the notices, shown before anything is typed; the
/// review screen gives them in full ([`review_notices`]).
pub fn before_you_start(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => {
            "Това не е обжалване на административен акт. Не отговаряме на въпроси за лични данни и класифицирана информация. Можете да подадете и в деловодството, по пощата или на сайта."
        }
        Lang::En => {
            "This is not an appeal against an administrative act. We do not answer questions on personal data or classified information. You can also file at the registry desk, by post or on the web site."
        }
    }
}

/// The review screen's notices, in order: what the filer will be told about
/// the answer, no ЕГН, the topics without an answer and, for a complaint
/// only, not an appeal (and `appeals`, where appeals go, from `[contacts]`).
/// A signal, a proposal or praise is no complaint against a decision, so
/// telling its filer that it is no appeal would only puzzle them.
pub fn review_notices(
    answer: &Answer,
    ctype: ComplaintType,
    appeals: &Localized,
    lang: Lang,
) -> Vec<String> {
    let mut notices = vec![
        answer.promise(lang),
        no_personal_number(lang).to_owned(),
        cannot_answer(lang).to_owned(),
    ];
    if ctype == ComplaintType::Complaint {
        notices.push(not_an_appeal(appeals.get(lang), lang));
    }
    notices
}

fn no_personal_number(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => "Моля, не пишете ЕГН: не е нужно.",
        Lang::En => "Please do not write your personal number (ЕГН): it is not needed.",
    }
}

fn cannot_answer(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => {
            "Администрацията не отговаря на въпроси за защита на личните данни (за тях: КЗЛД, www.cpdp.bg) и за класифицирана информация."
        }
        Lang::En => {
            "The administration does not answer questions on personal-data protection (for those: the Commission for Personal Data Protection, www.cpdp.bg) or on classified information."
        }
    }
}

fn not_an_appeal(appeals: &str, lang: Lang) -> String {
    match lang {
        Lang::Bg => format!("Жалбата тук не е обжалване на административен акт. {appeals}"),
        Lang::En => {
            format!("A complaint here is not an appeal against an administrative act. {appeals}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_names_the_answer_egn_the_topics_and_where_appeals_go() {
        let appeals = Localized::new(
            "Обжалване: Административен съд – Перник.".to_owned(),
            "Appeals: the Administrative Court in Pernik.".to_owned(),
        );
        let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 23).unwrap();
        let bg = review_notices(
            &Answer::By(due),
            ComplaintType::Complaint,
            &appeals,
            Lang::Bg,
        );
        assert_eq!(bg[0], "Ще получите писмен отговор до 23 декември 2026 г.");
        assert!(bg[1].contains("ЕГН"));
        assert!(bg[2].contains("КЗЛД"));
        assert!(bg[3].ends_with("Административен съд – Перник."));
        let en = review_notices(
            &Answer::NotOwed,
            ComplaintType::Complaint,
            &appeals,
            Lang::En,
        );
        assert!(en[3].contains("not an appeal") && en[3].contains("Pernik"));
        assert!(before_you_start(Lang::En).contains("registry desk"));
    }

    #[test]
    fn only_a_complaint_is_told_it_is_no_appeal() {
        let appeals = Localized::new("Обжалване: съд.".to_owned(), "Appeals: court.".to_owned());
        for ctype in [
            ComplaintType::Signal,
            ComplaintType::Proposal,
            ComplaintType::Praise,
        ] {
            for lang in [Lang::Bg, Lang::En] {
                let notices = review_notices(&Answer::NotOwed, ctype, &appeals, lang);
                assert_eq!(notices.len(), 3, "{ctype:?}: {notices:?}");
                assert!(
                    notices
                        .iter()
                        .all(|n| !n.contains("обжалване") && !n.contains("appeal")),
                    "{ctype:?}: {notices:?}"
                );
            }
        }
    }
}
