//! What the public status page says about a complaint: the number, the
//! type, the filing date, the due date and the latest status, nothing
//! personal (contract 1.2). Plain data and plain functions; the handler in
//! `public` renders it.

use chrono::NaiveDate;
use kiosk_rules::domain::hours::long_date;
use kiosk_rules::domain::lang::Lang;
use kiosk_rules::domain::record::ComplaintType;
use sqlx::{Any, Executor};
use subtle::ConstantTimeEq;

/// The Crockford base32 alphabet (no I, L, O, U).
const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A check code as typed or scanned, in canonical form: 6 characters of
/// Crockford base32, upper case, with Crockford's readings of the look-alike
/// letters (o as 0, i and l as 1).
pub fn normalise_code(code: &str) -> Option<String> {
    let out: String = code
        .trim()
        .chars()
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (out.chars().count() == 6 && out.chars().all(|c| CROCKFORD.contains(c))).then_some(out)
}

/// A receipt number's shape, `<prefix>-<year>-<6 digits>`, at most 40
/// characters (looked up only when it has that shape).
pub fn plausible_number(n: &str) -> bool {
    n.len() <= 40
        && n.rsplit('-')
            .next()
            .is_some_and(|s| s.len() == 6 && s.chars().all(|c| c.is_ascii_digit()))
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The latest status, as the page words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Latest {
    Received,
    Registered,
    Answered(Option<NaiveDate>),
    Extended(Option<NaiveDate>),
    NotExamined,
}

/// What the page shows for a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicStatus {
    pub number: String,
    pub ctype: Option<ComplaintType>,
    pub filed_on: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub latest: Latest,
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| s.parse().ok())
}

/// The status of `number` if its check code is `code`; `None` for an
/// unknown number, a complaint without a code and a wrong code alike.
pub async fn find<'e, E>(
    e: E,
    number: &str,
    code: &str,
) -> Result<Option<PublicStatus>, sqlx::Error>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let row: Option<(String, Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT type, check_code, filed_on, due_date FROM complaints WHERE number = $1",
    )
    .bind(number)
    .fetch_optional(e)
    .await?;
    let Some((ctype, stored, filed_on, due)) = row else {
        return Ok(None);
    };
    let matches = stored
        .as_deref()
        .and_then(normalise_code)
        .is_some_and(|s| bool::from(s.as_bytes().ct_eq(code.as_bytes())));
    if !matches {
        return Ok(None);
    }
    let events: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT status, answered_on, new_due_date FROM complaint_events WHERE number = $1 ORDER BY id",
    )
    .bind(number)
    .fetch_all(e)
    .await?;
    let mut due_date = date(due);
    let mut latest = Latest::Received;
    for (status, answered_on, new_due) in events {
        latest = match status.as_str() {
            "registered" => Latest::Registered,
            "answered" => Latest::Answered(date(answered_on)),
            "extended" => {
                let new_due = date(new_due);
                due_date = new_due.or(due_date);
                Latest::Extended(new_due)
            }
            "not_examined" => Latest::NotExamined,
            _ => latest,
        };
    }
    Ok(Some(PublicStatus {
        number: number.to_owned(),
        ctype: ComplaintType::parse(&ctype),
        filed_on: date(Some(filed_on)),
        due_date,
        latest,
    }))
}

/// The status in words.
pub fn latest_words(l: &Latest, lang: Lang) -> String {
    let d = |d: &Option<NaiveDate>| d.map(|d| long_date(d, lang)).unwrap_or_default();
    match (l, lang) {
        (Latest::Received, Lang::Bg) => "Приета, предстои регистриране в деловодството".into(),
        (Latest::Received, Lang::En) => "Received, to be entered in the registry".into(),
        (Latest::Registered, Lang::Bg) => {
            "Регистрирана в деловодството, в процес на разглеждане".into()
        }
        (Latest::Registered, Lang::En) => "Registered, being examined".into(),
        (Latest::Answered(a), Lang::Bg) => format!("Отговорена на {}", d(a)),
        (Latest::Answered(a), Lang::En) => format!("Answered on {}", d(a)),
        (Latest::Extended(n), Lang::Bg) => format!("Срокът е удължен до {}", d(n)),
        (Latest::Extended(n), Lang::En) => format!("The time limit was extended to {}", d(n)),
        (Latest::NotExamined, Lang::Bg) => {
            "Оставена без разглеждане (анонимна или с обидни изрази)".into()
        }
        (Latest::NotExamined, Lang::En) => "Not examined (anonymous or offensive)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_codes_are_six_crockford_characters_read_leniently() {
        assert_eq!(normalise_code("7k2m9q").as_deref(), Some("7K2M9Q"));
        assert_eq!(normalise_code("O1L9AB").as_deref(), Some("0119AB"));
        assert!(normalise_code("7K2M9").is_none());
        assert!(normalise_code("7K2M9QQ").is_none());
        assert!(
            normalise_code("7K2M9U").is_none(),
            "U is not in the alphabet"
        );
        assert!(normalise_code("7K2M9Щ").is_none());
    }

    #[test]
    fn only_receipt_shaped_numbers_are_looked_up() {
        assert!(plausible_number("KV1-2026-000042"));
        assert!(!plausible_number("KV1-2026-42"));
        assert!(!plausible_number("'; DROP TABLE complaints; --"));
        assert!(!plausible_number(&"9".repeat(100)));
    }
}
