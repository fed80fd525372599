//! Storing a judged batch: one transaction, answered only after commit.
//!
//! A record already held for (kiosk, id) is a `duplicate` whatever its
//! content now; the first copy stays, and a differing second copy is
//! logged. A receipt number is held once: a complaint whose number another
//! record holds is rejected (two kiosks configured with one prefix), so no
//! answer can go to the wrong complaint.

use serde::Serialize;
use sqlx::AnyPool;
use uuid::Uuid;

use super::judge::{Body, Valid, Verdict};
use crate::db::{self, complaints, rating_tally, ratings, records, staff_calls};

/// One entry of the answer's `results`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordResult {
    pub id: Uuid,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Accepted,
    Duplicate,
    Rejected,
}

/// Stores what may be stored of `verdicts` for `kiosk_id` and says what
/// became of each record, in the order sent (unnamed ones left out).
pub async fn take(
    pool: &AnyPool,
    kiosk_id: &str,
    sent_at: Option<&str>,
    verdicts: Vec<Verdict<'_>>,
) -> Result<Vec<RecordResult>, sqlx::Error> {
    let received_at = db::now_text();
    let mut results = Vec::with_capacity(verdicts.len());
    let mut tx = db::begin_write(pool).await?;
    for verdict in verdicts {
        match verdict {
            Verdict::Unnamed(why) => {
                tracing::warn!(kiosk = kiosk_id, "a record left out of the answer: {why}");
            }
            Verdict::Reject { id, reason } => {
                tracing::info!(kiosk = kiosk_id, record = %id, "record rejected: {reason}");
                results.push(RecordResult {
                    id,
                    status: Status::Rejected,
                    reason: Some(reason),
                });
            }
            Verdict::Take(valid) => {
                let result = store_one(&mut tx, kiosk_id, sent_at, &received_at, &valid).await?;
                results.push(result);
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}

async fn store_one(
    tx: &mut db::Tx,
    kiosk_id: &str,
    sent_at: Option<&str>,
    received_at: &str,
    v: &Valid<'_>,
) -> Result<RecordResult, sqlx::Error> {
    let record_id = v.id.to_string();
    let result = |status, reason| RecordResult {
        id: v.id,
        status,
        reason,
    };
    if let Some(number) = v.body.number() {
        let number = number.to_string();
        if let Some((k, r)) = complaints::holder(&mut **tx, &number).await?
            && (k != kiosk_id || r != record_id)
        {
            let reason = format!(
                "the number {number} is held already for another record (from kiosk {k}); each kiosk needs a receipt_prefix of its own"
            );
            tracing::warn!(kiosk = kiosk_id, record = %v.id, "{reason}");
            return Ok(result(Status::Rejected, Some(reason)));
        }
    }
    let inserted = records::insert(
        &mut **tx,
        &records::NewRecord {
            kiosk_id,
            record_id: record_id.clone(),
            kind: v.body.kind().as_str(),
            number: v.body.number().map(ToString::to_string),
            created_at: v.created_at.clone(),
            clock_trusted: v.clock_trusted,
            sent_at,
            received_at,
            raw: v.raw,
        },
    )
    .await?;
    if !inserted {
        let first = records::raw(&mut **tx, kiosk_id, &record_id).await?;
        if !same_json(first.as_deref(), v.raw) {
            tracing::warn!(
                kiosk = kiosk_id,
                record = %v.id,
                "a second copy of a record differs from the first; the first is kept"
            );
        }
        return Ok(result(Status::Duplicate, None));
    }
    match &v.body {
        Body::Rating(r) => {
            // The tallies count the rating in the same transaction, so the
            // satisfaction page never sees one without the other.
            let slot = rating_tally::Slot::of(&v.created_at);
            ratings::insert(
                &mut **tx,
                kiosk_id,
                &record_id,
                r,
                &v.created_at,
                v.clock_trusted,
                slot.as_ref().map(|s| s.at_utc.as_str()),
            )
            .await?;
            if let Some(slot) = &slot {
                let counted = rating_tally::Counted {
                    kiosk_id,
                    slot,
                    service: r.service.as_deref().unwrap_or_default(),
                    desk: r.desk.as_deref().unwrap_or_default(),
                    score: i64::from(r.score),
                    reasons: &r.reasons,
                };
                rating_tally::add(tx, &counted, 1).await?;
            }
        }
        Body::StaffCall(s) => {
            staff_calls::insert(
                &mut **tx,
                kiosk_id,
                &record_id,
                s,
                &v.created_at,
                v.clock_trusted,
            )
            .await?
        }
        Body::Complaint {
            number,
            data,
            check_code,
            filed_on,
        } => {
            complaints::insert(
                &mut **tx,
                &complaints::NewComplaint {
                    kiosk_id,
                    record_id: &record_id,
                    number,
                    check_code: check_code.as_deref(),
                    data,
                    created_at: &v.created_at,
                    filed_on: filed_on.clone(),
                    clock_trusted: v.clock_trusted,
                },
            )
            .await?
        }
    }
    Ok(result(Status::Accepted, None))
}

/// Whether two JSON texts hold the same value (key order and spacing aside).
fn same_json(a: Option<&str>, b: &str) -> bool {
    let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
    match a {
        Some(a) => parse(a).is_some() && parse(a) == parse(b),
        None => false,
    }
}
