//! The JSON bodies of the central-system contract, version 1.
//!
//! Requests are built from the store's [`Record`]s, whose serde form is the
//! contract's record object; this file adds the envelopes. Answers are read
//! leniently where the contract allows growth (unknown statuses count as
//! "not acknowledged") and strictly where it does not (a body that is not
//! `{"results": [...]}` is malformed).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::local_time;
use crate::domain::record::Record;

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

/// `POST {url}/v1/heartbeat` body.
#[derive(Debug, Serialize)]
pub struct Heartbeat<'a> {
    pub kiosk_id: &'a str,
    pub at: String,
    pub version: &'a str,
    pub outbox_pending: u64,
    pub oldest_pending_at: Option<String>,
    pub printer: &'a str,
    pub clock_trusted: bool,
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
    let parsed: ResultsBody = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut verdicts: HashMap<Uuid, Verdict> = HashMap::with_capacity(parsed.results.len());
    for entry in parsed.results {
        let verdict = match entry.status.as_str() {
            "accepted" => Verdict::Delivered { duplicate: false },
            "duplicate" => Verdict::Delivered { duplicate: true },
            "rejected" => Verdict::Rejected {
                reason: entry
                    .reason
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
}
