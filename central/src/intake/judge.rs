//! Judging what a kiosk sends, record by record, before anything is stored.
//!
//! The envelope (`kiosk_id`, `records`) must be the contract's JSON, or the
//! whole request is a 400. Inside it each record is judged on its own: an
//! unknown kind, a malformed receipt number, a missing or mistyped field, a
//! time that is not RFC 3339 make that record `rejected` with a reason; the
//! others are still taken. A record whose `id` is not a UUID cannot be named
//! in the answer (the kiosk reads every result id as a UUID) and is left out
//! of it, which the contract reads as "not delivered".
//!
//! The record shapes are the kiosk's own (`kiosk_rules::domain::record`), so
//! the server takes exactly what the kiosk sends.

use chrono::{DateTime, FixedOffset};
use kiosk_rules::domain::ReceiptNumber;
use kiosk_rules::domain::record::{Complaint, Rating, RecordKind, StaffCall};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use uuid::Uuid;

/// The request body, with each record still as raw text.
#[derive(Debug, Deserialize)]
pub struct Envelope<'a> {
    pub kiosk_id: String,
    #[serde(default)]
    pub sent_at: Option<String>,
    #[serde(borrow)]
    pub records: Vec<&'a RawValue>,
}

/// Reads the envelope; the error says what is wrong, for the 400.
pub fn envelope(body: &[u8]) -> Result<Envelope<'_>, String> {
    serde_json::from_slice(body).map_err(|e| {
        format!(
            "the body is not the records request of the contract (kiosk_id, sent_at, records): {e}"
        )
    })
}

/// What a record becomes.
#[derive(Debug)]
pub enum Verdict<'a> {
    Take(Box<Valid<'a>>),
    Reject {
        id: Uuid,
        reason: String,
    },
    /// No UUID to answer with; left out of the answer.
    Unnamed(String),
}

/// A record that may be stored.
#[derive(Debug)]
pub struct Valid<'a> {
    pub id: Uuid,
    pub raw: &'a str,
    /// As sent (RFC 3339, checked).
    pub created_at: String,
    pub clock_trusted: bool,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    Rating(Rating),
    Complaint {
        number: ReceiptNumber,
        data: Box<Complaint>,
        check_code: Option<String>,
        /// The filing date in the record's own offset (Europe/Sofia).
        filed_on: String,
    },
    StaffCall(StaffCall),
}

impl Body {
    pub fn kind(&self) -> RecordKind {
        match self {
            Body::Rating(_) => RecordKind::Rating,
            Body::Complaint { .. } => RecordKind::Complaint,
            Body::StaffCall(_) => RecordKind::StaffCall,
        }
    }

    pub fn number(&self) -> Option<&ReceiptNumber> {
        match self {
            Body::Complaint { number, .. } => Some(number),
            _ => None,
        }
    }
}

/// Longest free text taken (the kiosk's own limit is far lower).
const MAX_TEXT_CHARS: usize = 20_000;
/// Longest short field (name, phone, ids...).
const MAX_FIELD_CHARS: usize = 500;

/// Judges one record.
pub fn record(raw: &RawValue) -> Verdict<'_> {
    let text = raw.get();
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Verdict::Unnamed(format!("not JSON: {e}")),
    };
    let Value::Object(mut fields) = value else {
        return Verdict::Unnamed("a record that is not a JSON object".into());
    };
    let id = match fields
        .get("id")
        .and_then(Value::as_str)
        .map(Uuid::parse_str)
    {
        Some(Ok(id)) => id,
        _ => return Verdict::Unnamed("a record without a UUID id".into()),
    };
    match judge(&mut fields) {
        Ok((created_at, clock_trusted, body)) => Verdict::Take(Box::new(Valid {
            id,
            raw: text,
            created_at,
            clock_trusted,
            body,
        })),
        Err(reason) => Verdict::Reject { id, reason },
    }
}

fn judge(fields: &mut Map<String, Value>) -> Result<(String, bool, Body), String> {
    let kind_text = match fields.get("kind") {
        Some(Value::String(k)) => k.clone(),
        Some(_) => return Err("kind is not a string".into()),
        None => return Err("missing field kind".into()),
    };
    let kind = RecordKind::parse(&kind_text).ok_or_else(|| {
        format!(
            "unknown kind {:?}: this server takes rating, complaint and staff_call",
            kind_text.chars().take(40).collect::<String>()
        )
    })?;
    let created_text = match fields.get("created_at") {
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err("created_at is not a string".into()),
        None => return Err("missing field created_at".into()),
    };
    let created: DateTime<FixedOffset> =
        DateTime::parse_from_rfc3339(&created_text).map_err(|_| {
            "created_at is not an RFC 3339 time like 2026-11-23T10:41:55+02:00".to_string()
        })?;
    let clock_trusted = match fields.get("clock_trusted") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("clock_trusted is not true or false".into()),
        None => return Err("missing field clock_trusted".into()),
    };
    let data = match fields.remove("data") {
        Some(d @ Value::Object(_)) => d,
        Some(_) => return Err("data is not an object".into()),
        None => return Err("missing field data".into()),
    };
    let body = match kind {
        RecordKind::Rating => {
            let rating: Rating = typed(data)?;
            if !(1..=5).contains(&rating.score) {
                return Err(format!("data.score {} is outside 1-5", rating.score));
            }
            bounded("data.comment", &rating.comment, MAX_TEXT_CHARS)?;
            for (name, v) in [
                ("data.service", &rating.service),
                ("data.desk", &rating.desk),
            ] {
                if let Some(v) = v {
                    bounded(name, v, MAX_FIELD_CHARS)?;
                }
            }
            if rating.reasons.len() > 50 {
                return Err("data.reasons has more than 50 entries".into());
            }
            for r in &rating.reasons {
                bounded("data.reasons", r, MAX_FIELD_CHARS)?;
            }
            Body::Rating(rating)
        }
        RecordKind::Complaint => {
            let number_text = match fields.get("number") {
                Some(Value::String(n)) => n.clone(),
                Some(Value::Null) | None => return Err("a complaint without a number".into()),
                Some(_) => return Err("number is not a string".into()),
            };
            let number: ReceiptNumber = number_text
                .parse()
                .ok()
                .filter(|n: &ReceiptNumber| n.to_string() == number_text)
                .ok_or_else(|| {
                    format!(
                        "the number {:?} does not match <prefix>-<year>-<6 digits>, like KV1-2026-000042",
                        number_text.chars().take(40).collect::<String>()
                    )
                })?;
            let check_code = match data.get("check_code") {
                None | Some(Value::Null) => None,
                Some(Value::String(c)) if is_check_code(c) => Some(c.clone()),
                Some(_) => {
                    return Err(
                        "data.check_code is not 6 characters of the Crockford base32 alphabet"
                            .into(),
                    );
                }
            };
            let complaint: Complaint = typed(data)?;
            bounded("data.text", &complaint.text, MAX_TEXT_CHARS)?;
            for (name, v) in [
                ("data.category", &complaint.category),
                ("data.name", &complaint.name),
                ("data.address", &complaint.address),
                ("data.phone", &complaint.phone),
                ("data.email", &complaint.email),
            ] {
                bounded(name, v, MAX_FIELD_CHARS)?;
            }
            if complaint.category.trim().is_empty() {
                return Err("data.category is empty".into());
            }
            Body::Complaint {
                number,
                data: Box::new(complaint),
                check_code,
                filed_on: created.date_naive().format("%Y-%m-%d").to_string(),
            }
        }
        RecordKind::StaffCall => Body::StaffCall(typed(data)?),
    };
    Ok((created_text, clock_trusted, body))
}

/// `data` read into the kiosk's own type; the error names the field.
fn typed<T: DeserializeOwned>(data: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(data).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner().to_string();
        if path == "." {
            format!("data: {inner}")
        } else {
            format!("data.{path}: {inner}")
        }
    })
}

fn bounded(name: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        Err(format!("{name} is longer than {max} characters"))
    } else {
        Ok(())
    }
}

/// Six characters of the Crockford base32 alphabet (no I, L, O, U).
pub fn is_check_code(code: &str) -> bool {
    code.len() == 6
        && code
            .bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge_one(json: &str) -> Verdict<'static> {
        let raw: &'static RawValue =
            serde_json::from_str(Box::leak(json.to_string().into_boxed_str())).unwrap();
        record(raw)
    }

    const RATING: &str = r#"{"id":"0193a3c4-7d2e-7c41-9b1a-2f5e8c3d4a10","kind":"rating","number":null,
        "created_at":"2026-11-23T10:41:55+02:00","clock_trusted":true,
        "data":{"score":2,"service":"2016","reasons":["waiting"],"comment":"","lang":"bg"}}"#;

    const COMPLAINT: &str = r#"{"id":"0193a3c5-0b11-7a7e-8f00-6a9d1e2b3c4d","kind":"complaint",
        "number":"KV1-2026-000042","created_at":"2026-11-23T10:45:12+02:00","clock_trusted":true,
        "data":{"type":"complaint","category":"service_quality","text":"...","name":"Иван","address":"",
        "phone":"0888","email":"","anonymous":false,"health_safety":false,"flags":["offensive_language"],
        "due_date":"2026-12-23","lang":"bg","check_code":"7K3QX9"}}"#;

    fn reason(v: Verdict<'_>) -> String {
        match v {
            Verdict::Reject { reason, .. } => reason,
            other => panic!("not rejected: {other:?}"),
        }
    }

    #[test]
    fn the_contract_examples_are_taken() {
        assert!(matches!(judge_one(RATING), Verdict::Take(_)));
        let Verdict::Take(c) = judge_one(COMPLAINT) else {
            panic!()
        };
        let Body::Complaint {
            check_code,
            filed_on,
            ..
        } = &c.body
        else {
            panic!()
        };
        assert_eq!(check_code.as_deref(), Some("7K3QX9"));
        assert_eq!(filed_on, "2026-11-23");
    }

    #[test]
    fn each_fault_is_a_rejection_with_its_reason() {
        let cases = [
            (RATING.replace("\"rating\"", "\"petition\""), "unknown kind"),
            (
                COMPLAINT.replace("KV1-2026-000042", "KV1-26-42"),
                "does not match",
            ),
            (
                COMPLAINT.replace("KV1-2026-000042", "kv1-2026-000042"),
                "does not match",
            ),
            (RATING.replace("\"score\":2,", ""), "score"),
            (RATING.replace("\"score\":2", "\"score\":9"), "outside 1-5"),
            (
                RATING.replace("2026-11-23T10:41:55+02:00", "23.11.2026 10:41"),
                "RFC 3339",
            ),
            (
                COMPLAINT.replace("\"category\":\"service_quality\",", ""),
                "category",
            ),
            (COMPLAINT.replace("7K3QX9", "7K3QXI"), "check_code"),
            (
                COMPLAINT.replace("\"type\":\"complaint\"", "\"type\":\"appeal\""),
                "data.type",
            ),
        ];
        for (json, expected) in cases {
            let why = reason(judge_one(&json));
            assert!(why.contains(expected), "{expected}: {why}");
        }
    }

    #[test]
    fn a_record_without_a_uuid_is_left_unnamed() {
        assert!(matches!(
            judge_one(r#"{"id":"x","kind":"rating"}"#),
            Verdict::Unnamed(_)
        ));
        assert!(matches!(judge_one("[1,2]"), Verdict::Unnamed(_)));
    }

    #[test]
    fn the_envelope_must_be_the_contracts() {
        assert!(envelope(b"{\"kiosk_id\":\"k\",\"records\":[]}").is_ok());
        assert!(envelope(b"{\"records\":[]}").is_err());
        assert!(envelope(b"<html>").is_err());
        assert!(envelope(b"{\"kiosk_id\":\"k\",\"records\":{}}").is_err());
    }

    #[test]
    fn check_codes_use_crockfords_alphabet() {
        assert!(is_check_code("0123AZ"));
        assert!(!is_check_code("0123A"));
        assert!(!is_check_code("ABCDEL"));
        assert!(!is_check_code("abcdef"));
    }
}
