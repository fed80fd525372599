//! The services screens in words: a tier's fee and deadline as shown and as
//! said, the documents line, the list's title and what the search found.

use super::catalogue::{Deadline, Tier, TierKind};
use super::lang::Lang;
use super::spoken;

/// The list's title when no group was chosen.
pub fn all_services(lang: Lang) -> &'static str {
    match lang {
        Lang::Bg => "Всички услуги",
        Lang::En => "All services",
    }
}

/// The documents to bring, or that none are needed.
pub fn documents(listed: &[String], lang: Lang) -> Vec<String> {
    if !listed.is_empty() {
        return listed.to_vec();
    }
    vec![
        match lang {
            Lang::Bg => "Не са нужни документи.",
            Lang::En => "No documents are needed.",
        }
        .to_owned(),
    ]
}

/// A fee as the screen shows it: "5,00 €", or "free of charge".
pub fn fee(tier: &Tier, lang: Lang) -> String {
    if tier.fee_eur.cents() == 0 {
        match lang {
            Lang::Bg => "без такса",
            Lang::En => "free of charge",
        }
        .to_owned()
    } else {
        tier.fee_eur.display(lang)
    }
}

/// "Срок: 7 работни дни" / "Deadline: 7 working days".
pub fn deadline(d: Deadline, lang: Lang) -> String {
    match lang {
        Lang::Bg => format!("Срок: {}", d.describe(lang)),
        Lang::En => format!("Deadline: {}", d.describe(lang)),
    }
}

/// A tier's row as it is said: the amount and the deadline in words.
pub fn spoken_tier(kind: TierKind, tier: &Tier, lang: Lang) -> String {
    let name = kind.name(lang);
    match lang {
        Lang::Bg => format!(
            "{name}: такса {}, срок {}",
            spoken::fee(tier.fee_eur, lang),
            spoken::deadline(tier.deadline, lang)
        ),
        Lang::En => format!(
            "{name}: fee {}, deadline {}",
            spoken::fee(tier.fee_eur, lang),
            spoken::deadline(tier.deadline, lang)
        ),
    }
}

/// The line above the search results: what to type, nothing found, or how
/// many were found.
pub fn search_result(query: &str, found: usize, lang: Lang) -> String {
    match (query.trim().is_empty(), found, lang) {
        (true, _, Lang::Bg) => "Напишете няколко букви от името на услугата.".to_owned(),
        (true, _, Lang::En) => "Type a few letters of the service's name.".to_owned(),
        (false, 0, Lang::Bg) => "Няма услуга с такова име. Опитайте с по-малко букви.".to_owned(),
        (false, 0, Lang::En) => "No service has such a name. Try fewer letters.".to_owned(),
        (false, n, Lang::Bg) => format!("Намерени услуги: {n}"),
        (false, n, Lang::En) => format!("Services found: {n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Euro;

    #[test]
    fn fees_deadlines_and_the_search_in_words() {
        let free = Tier {
            fee_eur: Euro::from_cents(0),
            deadline: Deadline::WorkingDays(7),
        };
        assert_eq!(fee(&free, Lang::Bg), "без такса");
        assert_eq!(
            deadline(free.deadline, Lang::En),
            "Deadline: 7 working days"
        );
        assert_eq!(
            spoken_tier(TierKind::Ordinary, &free, Lang::Bg),
            "обикновена: такса безплатно, срок седем работни дни"
        );
        assert_eq!(
            search_result(" ", 3, Lang::En),
            "Type a few letters of the service's name."
        );
        assert_eq!(search_result("нас", 2, Lang::Bg), "Намерени услуги: 2");
        assert_eq!(
            documents(&[], Lang::En),
            vec!["No documents are needed.".to_owned()]
        );
    }
}
