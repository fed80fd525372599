//! Topics the municipality may not answer on: personal-data protection and
//! classified information.
//!
//! The charter says the administration has no right to answer questions on
//! the protection of personal data or on classified information. The kiosk
//! still accepts such a text; it shows a notice (for personal data, pointing
//! to the Commission for Personal Data Protection, КЗЛД) and flags the
//! record. Detection works on lower-cased words and word stems, so it is
//! tolerant of case and of Bulgarian inflection ("личните ми данни",
//! "класифицираната информация"). A stray word is not enough: the patterns
//! are the terms of art (two-word phrases and the usual abbreviations).

use serde::{Deserialize, Serialize};

/// A subject the administration may not answer on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveTopic {
    /// Protection of personal data (ЗЗЛД, GDPR/ОРЗД, КЗЛД).
    PersonalData,
    /// Classified information (държавна или служебна тайна).
    ClassifiedInformation,
}

/// One pattern: word patterns that must follow each other, with at most
/// `gap` other words between two of them. A word pattern is a list of
/// alternatives; an alternative ending in `*` is a stem, otherwise the whole
/// word must match.
struct Pattern {
    topic: SensitiveTopic,
    words: &'static [&'static str],
    gap: usize,
}

const fn p(topic: SensitiveTopic, words: &'static [&'static str], gap: usize) -> Pattern {
    Pattern { topic, words, gap }
}

use SensitiveTopic::{ClassifiedInformation as Classified, PersonalData as Data};

const PATTERNS: &[Pattern] = &[
    // Personal data, Bulgarian. The gap lets "личните ми данни",
    // "защита на личните данни" through.
    p(Data, &["личн*", "данн*"], 2),
    p(Data, &["персонални*", "данн*"], 2),
    p(Data, &["защит*", "данн*"], 2),
    p(Data, &["орзд|ззлд|кзлд|gdpr|ozzd|zzld|kzld|cpdp"], 0),
    // Regulation (EU) 2016/679, the GDPR.
    p(Data, &["2016", "679"], 0),
    // Personal data, English.
    p(Data, &["personal", "data|information"], 1),
    p(
        Data,
        &[
            "data",
            "protection|privacy|controller|processor|subject*|breach*",
        ],
        0,
    ),
    p(Data, &["protect*", "data"], 2),
    // Classified information, Bulgarian.
    p(
        Classified,
        &[
            "класифицира*",
            "информаци*|документ*|сведени*|материал*|данн*",
        ],
        1,
    ),
    p(
        Classified,
        &["държавн*|служебн*", "тайна|тайни|тайната|тайните"],
        0,
    ),
    p(Classified, &["строго", "секретн*"], 0),
    p(
        Classified,
        &["секретн*", "информаци*|документ*|сведени*|материал*"],
        1,
    ),
    p(Classified, &["гриф*", "сигурност*|секретност*"], 1),
    p(Classified, &["ззки|дкси"], 0),
    // Classified information, English.
    p(
        Classified,
        &[
            "classified",
            "information|document*|material*|file*|data|matter*",
        ],
        1,
    ),
    p(Classified, &["state|official", "secret|secrets"], 0),
    p(Classified, &["top", "secret"], 0),
    p(Classified, &["security", "clearance*"], 0),
];

/// The sensitive topics `text` is about, each once, in declaration order.
pub fn sensitive_topics(text: &str) -> Vec<SensitiveTopic> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut found: Vec<SensitiveTopic> = PATTERNS
        .iter()
        .filter(|p| matches_pattern(p, &words))
        .map(|p| p.topic)
        .collect();
    found.sort();
    found.dedup();
    found
}

fn matches_pattern(pattern: &Pattern, words: &[String]) -> bool {
    (0..words.len())
        .filter_map(|start| words.get(start..))
        .any(|from| matches_from(pattern.words, pattern.gap, from))
}

/// Whether `parts` match `words`, the first part at `words[0]`.
fn matches_from(parts: &[&str], gap: usize, words: &[String]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return true;
    };
    let Some(word) = words.first() else {
        return false;
    };
    if !word_matches(first, word) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    (1..=gap + 1)
        .filter_map(|skip| words.get(skip..))
        .any(|tail| !tail.is_empty() && matches_from(rest, gap, tail))
}

fn word_matches(alternatives: &str, word: &str) -> bool {
    alternatives
        .split('|')
        .any(|alt| match alt.strip_suffix('*') {
            Some(stem) => word.starts_with(stem),
            None => word == alt,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(text: &str) -> Vec<SensitiveTopic> {
        sensitive_topics(text)
    }

    #[test]
    fn personal_data_in_bulgarian() {
        for t in [
            "Искам да знам как се обработват личните ми данни.",
            "ЛИЧНИ ДАННИ",
            "Нарушение на Закона за защита на личните данни",
            "Служителката разгласи личните си данни... моите данни",
            "Подавам сигнал по ОРЗД",
            "съгласно ЗЗЛД",
            "ще се оплача в КЗЛД",
            "Регламент (ЕС) 2016/679",
            "защита на данните",
            "персоналните ми данни",
        ] {
            assert_eq!(topics(t), vec![SensitiveTopic::PersonalData], "{t}");
        }
    }

    #[test]
    fn personal_data_in_english() {
        for t in [
            "My personal data was shared",
            "a GDPR request",
            "Data Protection Act",
            "protection of my data",
            "personal information leaked",
        ] {
            assert_eq!(topics(t), vec![SensitiveTopic::PersonalData], "{t}");
        }
    }

    #[test]
    fn classified_information_in_bulgarian() {
        for t in [
            "достъп до класифицирана информация",
            "КЛАСИФИЦИРАНАТА ИНФОРМАЦИЯ",
            "това е държавна тайна",
            "нарушение на служебната тайна",
            "документ с гриф за сигурност",
            "строго секретно",
            "секретни документи",
            "по ЗЗКИ",
            "класифицирани документи",
        ] {
            assert_eq!(
                topics(t),
                vec![SensitiveTopic::ClassifiedInformation],
                "{t}"
            );
        }
    }

    #[test]
    fn classified_information_in_english() {
        for t in [
            "Classified information",
            "state secrets",
            "a TOP SECRET file",
            "my security clearance",
            "classified documents",
        ] {
            assert_eq!(
                topics(t),
                vec![SensitiveTopic::ClassifiedInformation],
                "{t}"
            );
        }
    }

    #[test]
    fn both_topics_come_once_each_in_order() {
        let t = "Класифицирана информация и лични данни, пак лични данни, и държавна тайна.";
        assert_eq!(
            topics(t),
            vec![
                SensitiveTopic::PersonalData,
                SensitiveTopic::ClassifiedInformation
            ]
        );
    }

    #[test]
    fn ordinary_texts_are_not_sensitive() {
        for t in [
            "Чаках два часа на гишето за данъци.",
            "Данните в удостоверението са грешни.",
            "Личният лекар не приема.",
            "Лично кметът ми обеща, но данни за ремонта няма.",
            "Тайната на доброто обслужване е усмивката.",
            "Класификацията на отпадъците е неясна.",
            "Обявата беше в раздел classified ads.",
            "The data on my certificate is wrong.",
            "I want to protect the park.",
            "Personally I think the staff were kind.",
            "Секретарката беше много любезна.",
            "Държавната администрация работи бавно.",
            "",
        ] {
            assert_eq!(topics(t), vec![], "{t}");
        }
    }

    #[test]
    fn words_too_far_apart_do_not_count() {
        assert_eq!(topics("лични неща, за които нямам никакви данни"), vec![]);
        assert_eq!(topics("държавна служба пази тайна"), vec![]);
    }
}
