//! The JSON bodies of the central-system contract, version 1.1.
//!
//! Requests are built from the store's [`Record`]s, whose serde form is the
//! contract's record object; this file adds the envelopes. Answers are read
//! leniently where the contract allows growth (unknown statuses count as
//! "not acknowledged", unknown fields are ignored) and strictly where it
//! does not (a body that is not `{"results": [...]}` is malformed).
//!
//! The updates answer (`GET /v1/kiosks/{id}/updates`): `highest_numbers`
//! and `answers` are checked entry by entry (a bad entry is left out and
//! noted, never guessed); `config` is kept as sent, for
//! `crate::config::fragment` to check.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::local_time;
use crate::domain::follow_up::is_registry_number;
pub use crate::domain::follow_up::{CentralAnswer, CentralStatus};
use crate::domain::record::Record;
// What a central system says is kept, logged and shown as a stored reason
// is: one clean line of at most 1 KiB.
use crate::store::kept_reason;

/// `POST {url}/v1/records` body.
#[derive(Debug, Serialize)]
pub struct RecordsRequest<'a> {
    pub kiosk_id: &'a str,
    /// RFC 3339 with the Europe/Sofia offset.
    pub sent_at: String,
    pub records: Vec<&'a Record>,
}

impl<'a> RecordsRequest<'a> {
    /// The body for `records`, sent at `now`.
    pub fn new(kiosk_id: &'a str, now: DateTime<Utc>, records: Vec<&'a Record>) -> Self {
        Self {
            kiosk_id,
            sent_at: sofia_rfc3339(now),
            records,
        }
    }
}

/// The encoded `POST /v1/records` body.
pub fn records_body(
    kiosk_id: &str,
    now: DateTime<Utc>,
    records: &[&Record],
) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&RecordsRequest::new(kiosk_id, now, records.to_vec()))
}

/// `POST {url}/v1/heartbeat` body.
#[derive(Debug, Serialize)]
pub struct Heartbeat<'a> {
    pub kiosk_id: &'a str,
    pub at: String,
    pub version: &'a str,
    /// Records not yet at the central system, held and set aside ones included.
    pub outbox_pending: u64,
    pub oldest_pending_at: Option<String>,
    pub printer: &'a str,
    pub clock_trusted: bool,
    /// The version of the last configuration fragment applied (1.1); none yet.
    pub config_version: Option<String>,
    /// Why the last fragment was not applied (1.1).
    pub config_error: Option<String>,
    /// Records held after 400/422/413, plus those the kiosk set aside as
    /// unreadable (1.1).
    pub held: u64,
    /// Records the central system rejected (1.1).
    pub rejected: u64,
}

/// The answer to `GET /v1/kiosks/{id}/updates`, as far as the kiosk reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Updates {
    /// What to send as `since` once everything in this answer is applied.
    pub cursor: Option<String>,
    /// Per `<prefix>-<year>`, the highest sequence the central system holds.
    pub highest_numbers: Vec<HighestNumber>,
    /// `highest_numbers` entries left out, with why, for the log.
    pub skipped: Vec<String>,
    /// What happened to complaints, checked; entries that do not fit the
    /// contract are left out and noted in `skipped`.
    pub answers: Vec<CentralAnswer>,
    /// The configuration fragment, as sent (applied by a later version).
    pub config: Option<serde_json::Value>,
}

/// One entry of `highest_numbers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HighestNumber {
    pub prefix: String,
    pub year: i32,
    pub sequence: u32,
}

/// More `highest_numbers` entries than this are not read: a kiosk has one
/// prefix and a year or two.
const MAX_HIGHEST_ENTRIES: usize = 1000;

/// Reads an updates answer. The body must be a JSON object; inside it, what
/// does not fit the contract is left out and noted in `skipped`.
pub fn parse_updates(body: &[u8]) -> Result<Updates, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| kept_reason(&e.to_string()))?;
    let serde_json::Value::Object(mut top) = value else {
        return Err("the answer is not a JSON object".into());
    };
    let mut updates = Updates {
        cursor: match top.remove("cursor") {
            Some(serde_json::Value::String(c)) if c.len() <= 1024 => Some(c),
            _ => None,
        },
        ..Updates::default()
    };
    match top.remove("answers") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Array(answers)) => {
            for (i, value) in answers.iter().take(MAX_ANSWERS).enumerate() {
                match answer_entry(value) {
                    Ok(a) => updates.answers.push(a),
                    Err(why) => updates.skipped.push(format!("answers[{i}]: {why}")),
                }
            }
        }
        Some(_) => updates.skipped.push("answers is not a list".into()),
    }
    updates.config = top.remove("config").filter(|c| !c.is_null());
    match top.remove("highest_numbers") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Object(map)) => {
            for (key, value) in map.into_iter().take(MAX_HIGHEST_ENTRIES) {
                match highest_entry(&key, &value) {
                    Ok(entry) => updates.highest_numbers.push(entry),
                    Err(why) => updates.skipped.push(format!(
                        "{}: {why}",
                        key.chars().take(40).collect::<String>()
                    )),
                }
            }
        }
        Some(_) => updates
            .skipped
            .push("highest_numbers is not an object".into()),
    }
    // A skipped entry may quote the central system's keys.
    for why in &mut updates.skipped {
        *why = kept_reason(why);
    }
    Ok(updates)
}

/// More answers than this in one updates answer are not read (the 1 MiB
/// bound allows about 10,000); the rest come with the next cursor.
const MAX_ANSWERS: usize = 10_000;

/// One `answers` entry, checked: a receipt number, a known status, and the
/// date that status needs.
fn answer_entry(value: &serde_json::Value) -> Result<CentralAnswer, String> {
    let field = |k: &str| value.get(k).and_then(serde_json::Value::as_str);
    let number: crate::domain::ReceiptNumber = field("number")
        .ok_or("no number")?
        .parse()
        .map_err(|_| "the number is not like KV1-2026-000042")?;
    let status = field("status")
        .and_then(CentralStatus::parse)
        .ok_or("the status is not registered, answered, extended or not_examined")?;
    let date = |k: &str| -> Result<Option<NaiveDate>, String> {
        match value.get(k) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => v
                .as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .map(Some)
                .ok_or_else(|| format!("{k} is not a date YYYY-MM-DD")),
        }
    };
    let answered_on = date("answered_on")?;
    let new_due_date = date("new_due_date")?;
    let registered_on = date("registered_on")?;
    let registry_number = match value.get("registry_number") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .map(str::trim)
                .filter(|n| is_registry_number(n))
                .ok_or("registry_number is not a text of 1 to 32 characters")?
                .to_owned(),
        ),
    };
    match status {
        CentralStatus::Answered if answered_on.is_none() => {
            return Err("answered without answered_on".into());
        }
        CentralStatus::Extended if new_due_date.is_none() => {
            return Err("extended without new_due_date".into());
        }
        CentralStatus::Registered if registry_number.is_none() || registered_on.is_none() => {
            return Err("registered without registry_number and registered_on".into());
        }
        _ => {}
    }
    Ok(CentralAnswer {
        number: number.to_string(),
        status,
        answered_on,
        new_due_date,
        registry_number,
        registered_on,
    })
}

/// One `"KV1-2026": 57` entry, checked.
fn highest_entry(key: &str, value: &serde_json::Value) -> Result<HighestNumber, String> {
    let (prefix, year) = key
        .rsplit_once('-')
        .ok_or("the key is not <prefix>-<year>")?;
    crate::domain::numbering::validate_prefix(prefix).map_err(|e| e.to_string())?;
    let year: i32 = year
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or("the year is not 2000-2100")?;
    let sequence = value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n <= crate::domain::numbering::MAX_SEQUENCE)
        .ok_or("the value is not a sequence from 0 to 999999")?;
    Ok(HighestNumber {
        prefix: prefix.to_owned(),
        year,
        sequence,
    })
}

/// `t` as RFC 3339 in Europe/Sofia, whole seconds: "2026-11-23T10:42:07+02:00".
pub fn sofia_rfc3339(t: DateTime<Utc>) -> String {
    local_time(t).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A stored time as the contract writes it.
pub fn rfc3339(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// What the central system said about one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// `accepted` or `duplicate`: the central system has it.
    Delivered { duplicate: bool },
    /// `rejected`: never send it again.
    Rejected { reason: String },
}

#[derive(Debug, Deserialize)]
struct ResultsBody {
    results: Vec<ResultEntry>,
}

#[derive(Debug, Deserialize)]
struct ResultEntry {
    id: Uuid,
    status: String,
    #[serde(default)]
    reason: Option<String>,
}

/// Reads a 200 answer into a verdict per record id. Records missing from
/// the map were not acknowledged. When an id appears twice, a final
/// "rejected" does not override a "delivered": the central system holds
/// the record either way, and a rejected mark would hide that.
pub fn parse_results(body: &[u8]) -> Result<HashMap<Uuid, Verdict>, String> {
    let parsed: ResultsBody =
        serde_json::from_slice(body).map_err(|e| kept_reason(&e.to_string()))?;
    let mut verdicts: HashMap<Uuid, Verdict> = HashMap::with_capacity(parsed.results.len());
    for entry in parsed.results {
        let verdict = match entry.status.as_str() {
            "accepted" => Verdict::Delivered { duplicate: false },
            "duplicate" => Verdict::Delivered { duplicate: true },
            "rejected" => Verdict::Rejected {
                reason: entry
                    .reason
                    .map(|r| kept_reason(&r))
                    .filter(|r| !r.trim().is_empty())
                    .unwrap_or_else(|| "no reason given".into()),
            },
            // A status this kiosk does not know: not an acknowledgement.
            _ => continue,
        };
        match verdicts.get(&entry.id) {
            Some(Verdict::Delivered { .. }) => {}
            _ => {
                verdicts.insert(entry.id, verdict);
            }
        }
    }
    Ok(verdicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sent_at_carries_the_sofia_offset() {
        let winter = Utc.with_ymd_and_hms(2026, 11, 23, 8, 42, 7).unwrap();
        assert_eq!(sofia_rfc3339(winter), "2026-11-23T10:42:07+02:00");
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap();
        assert_eq!(sofia_rfc3339(summer), "2026-07-01T11:00:00+03:00");
    }

    #[test]
    fn results_are_read_per_record() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let c = Uuid::now_v7();
        let body = format!(
            r#"{{"results":[{{"id":"{a}","status":"accepted"}},{{"id":"{b}","status":"duplicate"}},{{"id":"{c}","status":"rejected","reason":"unknown category"}}]}}"#
        );
        let v = parse_results(body.as_bytes()).unwrap();
        assert_eq!(v[&a], Verdict::Delivered { duplicate: false });
        assert_eq!(v[&b], Verdict::Delivered { duplicate: true });
        assert_eq!(
            v[&c],
            Verdict::Rejected {
                reason: "unknown category".into()
            }
        );
    }

    #[test]
    fn unknown_statuses_and_repeats_do_not_deliver_or_undo() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let body = format!(
            r#"{{"results":[{{"id":"{a}","status":"accepted"}},{{"id":"{a}","status":"rejected"}},{{"id":"{b}","status":"queued"}}]}}"#
        );
        let v = parse_results(body.as_bytes()).unwrap();
        assert_eq!(v[&a], Verdict::Delivered { duplicate: false });
        assert!(!v.contains_key(&b));
    }

    #[test]
    fn a_body_outside_the_contract_is_malformed() {
        assert!(parse_results(b"<html>gateway</html>").is_err());
        assert!(parse_results(br#"{"result":[]}"#).is_err());
        assert!(parse_results(br#"{"results":[{"id":"x","status":"accepted"}]}"#).is_err());
        assert!(parse_results(br#"{"results":[]}"#).unwrap().is_empty());
    }

    #[test]
    fn a_rejection_without_reason_still_has_one_for_staff() {
        let a = Uuid::now_v7();
        let body = format!(r#"{{"results":[{{"id":"{a}","status":"rejected"}}]}}"#);
        assert_eq!(
            parse_results(body.as_bytes()).unwrap()[&a],
            Verdict::Rejected {
                reason: "no reason given".into()
            }
        );
    }

    #[test]
    fn updates_give_the_highest_numbers_and_leave_out_bad_entries() {
        let body = br#"{"cursor":"c-17","answers":[{"number":"KV1-2026-000042","status":"answered","answered_on":"2026-12-15"}],
            "highest_numbers":{"KV1-2026":57,"KV1-2025":1200,"kv1-2026":3,"KV1-1999":4,"KV1-2026x":5,
                                "KV2-2026":-1,"KV3-2026":1000000,"KV4-2026":"12"},
            "config":null,"extra":true}"#;
        let u = parse_updates(body).unwrap();
        assert_eq!(u.cursor.as_deref(), Some("c-17"));
        assert_eq!(u.answers.len(), 1);
        assert_eq!(u.config, None);
        let mut got: Vec<_> = u
            .highest_numbers
            .iter()
            .map(|h| format!("{}-{}:{}", h.prefix, h.year, h.sequence))
            .collect();
        got.sort();
        assert_eq!(got, ["KV1-2025:1200", "KV1-2026:57"]);
        assert_eq!(u.skipped.len(), 6, "{:?}", u.skipped);
    }

    #[test]
    fn answers_are_checked_entry_by_entry() {
        let body = br#"{"answers":[
            {"number":"KV1-2026-000042","status":"answered","answered_on":"2026-12-15"},
            {"number":"KV1-2026-000043","status":"extended","new_due_date":"2027-01-20"},
            {"number":"KV1-2026-000044","status":"not_examined"},
            {"number":"KV1-2026-000045","status":"answered"},
            {"number":"KV1-2026-000046","status":"extended","new_due_date":"20.01.2027"},
            {"number":"42","status":"answered","answered_on":"2026-12-15"},
            {"number":"KV1-2026-000047","status":"lost"},
            "nonsense"]}"#;
        let u = parse_updates(body).unwrap();
        assert_eq!(u.answers.len(), 3, "{:?}", u.skipped);
        assert_eq!(u.answers[0].status, CentralStatus::Answered);
        assert_eq!(
            u.answers[1].new_due_date,
            NaiveDate::from_ymd_opt(2027, 1, 20)
        );
        assert_eq!(u.answers[2].status, CentralStatus::NotExamined);
        assert_eq!(u.skipped.len(), 5, "{:?}", u.skipped);
        assert!(u.skipped[0].starts_with("answers[3]: answered without"));
    }

    #[test]
    fn a_registered_answer_needs_its_registry_number_and_day() {
        let body = br#"{"answers":[
            {"number":"KV1-2026-000042","status":"registered","registry_number":"94-00-12","registered_on":"2026-11-24"},
            {"number":"KV1-2026-000043","status":"registered","registered_on":"2026-11-24"},
            {"number":"KV1-2026-000044","status":"registered","registry_number":"123456789012345678901234567890123","registered_on":"2026-11-24"},
            {"number":"KV1-2026-000045","status":"registered","registry_number":"94-00-13"}]}"#;
        let u = parse_updates(body).unwrap();
        assert_eq!(u.answers.len(), 1, "{:?}", u.skipped);
        assert_eq!(u.answers[0].status, CentralStatus::Registered);
        assert_eq!(u.answers[0].registry_number.as_deref(), Some("94-00-12"));
        assert_eq!(
            u.answers[0].registered_on,
            NaiveDate::from_ymd_opt(2026, 11, 24)
        );
        assert_eq!(u.skipped.len(), 3, "{:?}", u.skipped);
    }

    #[test]
    fn an_updates_answer_that_is_not_an_object_is_malformed() {
        assert!(parse_updates(b"[]").is_err());
        assert!(parse_updates(b"<html>").is_err());
        assert!(parse_updates(b"{}").unwrap().highest_numbers.is_empty());
    }
}
