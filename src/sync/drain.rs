//! One pass over the outbox: send batches, oldest first, until it is empty
//! or the central system stops taking them.
//!
//! The outbox is the only state: every verdict is written to the store as
//! soon as it arrives, and nothing is remembered between passes except the
//! counters in [`DrainReport`]. A pass cancelled at any await point (the
//! worker stopping) has therefore either recorded an answer or not; a
//! record whose answer was lost is simply sent again, and the central
//! system deduplicates on its id.
//!
//! The contract's table (version 1.1), as applied here:
//! * 200: `accepted`/`duplicate` are delivered, `rejected` is final with
//!   its reason (the only way a record is ever rejected), a record missing
//!   from `results` stays pending;
//! * 413: the batch size is halved for the rest of the pass; a single
//!   record that still gets 413 is sent apart like a 400 (below);
//! * 400, 422: the batch's records are sent one by one. A record that
//!   alone still gets 400, 422 or 413 while another record alone is taken
//!   is **held** (kept pending, skipped until staff or a newer version act).
//!   If no record alone is taken ([`PROBE`] tried, or the whole batch), the
//!   central system takes nothing from this kiosk: a configuration problem,
//!   and nothing is held;
//! * 3xx, 404, 405, 410, other 4xx: a configuration problem; nothing is
//!   rejected or held, the pass ends and the worker waits the back-off cap;
//! * anything else (5xx, timeouts, resets, malformed or oversized answers)
//!   ends the pass with the error, and the worker backs off.
//!
//! Records the store cannot read or encode are set aside by
//! [`Store::pending_batch`] and never stop the ones behind them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::client::{Answer, CentralClient, short_text, wrong_address};
use super::error::SyncError;
use super::wire::Verdict;
use crate::clock::Clock;
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::{Record, RecordKind};
use crate::store::{OutboxItem, SetAside, Store};

/// Why a record was sent again: it is stored as the record's last error.
const NOT_ACKNOWLEDGED: &str = "not acknowledged by the central system";

/// How many records are sent alone, none of them taken, before the kiosk
/// concludes that the central system takes nothing from it.
pub const PROBE: usize = 8;

/// A record the central system will never take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRecord {
    pub id: Uuid,
    pub kind: RecordKind,
    pub number: Option<ReceiptNumber>,
    pub reason: String,
}

/// A record the central system refused alone while it took others.
pub type HeldRecord = RejectedRecord;

/// What passes have done, for `kiosk sync --once` and the logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Requests made to `/v1/records`.
    pub requests: u64,
    /// Records put in requests, repeats included.
    pub sent: u64,
    /// Records the central system newly accepted.
    pub delivered: u64,
    /// Records the central system already had (`duplicate`).
    pub duplicates: u64,
    /// Records rejected in these passes.
    pub rejected: Vec<RejectedRecord>,
    /// Records held in these passes.
    pub held: Vec<HeldRecord>,
    /// Records set aside as unreadable in these passes.
    pub set_aside: Vec<SetAside>,
    /// Records sent but missing from an answer.
    pub not_acknowledged: u64,
    /// Failed requests, in the technician's words.
    pub errors: Vec<String>,
    /// The batch size after 413 answers, if it had to shrink.
    pub batch_size_shrunk_to: Option<usize>,
}

impl DrainReport {
    /// Records the central system now has, from these passes.
    pub fn arrived(&self) -> u64 {
        self.delivered + self.duplicates
    }
}

/// Sends pending records until none are left to send (`Ok`) or a request
/// fails (`Err`, after noting the failure on the records concerned).
pub async fn drain(
    client: &CentralClient,
    store: &Store,
    clock: &dyn Clock,
    batch_size: usize,
    report: &mut DrainReport,
) -> Result<(), SyncError> {
    let mut size = batch_size.max(1);
    loop {
        let batch = next_batch(store, size, report)?;
        if batch.is_empty() {
            return Ok(());
        }
        match send(client, clock, &batch, report).await {
            Answer::Results(verdicts) => {
                let progress = apply(store, clock.now(), &batch, &verdicts, report)?;
                if progress == 0 {
                    return fail(store, clock, &[], SyncError::NothingAcknowledged, report);
                }
            }
            Answer::TooLarge { .. } if batch.len() > 1 => {
                size = (batch.len() / 2).max(1);
                report.batch_size_shrunk_to = Some(size);
                tracing::info!(
                    batch_size = size,
                    "central system said 413; halving the batch"
                );
            }
            Answer::TooLarge { .. } | Answer::BadRequest { .. } => {
                // The single record that is too large leads a list of
                // records to send alone; so does a refused batch.
                let apart = if batch.len() == 1 {
                    next_batch(store, batch_size.clamp(1, 32), report)?
                } else {
                    batch
                };
                isolate(client, store, clock, &apart, report).await?;
            }
            Answer::Failed(err) => return fail(store, clock, &batch, err, report),
        }
    }
}

/// The next batch; records set aside on the way go into the report.
fn next_batch(
    store: &Store,
    size: usize,
    report: &mut DrainReport,
) -> Result<Vec<OutboxItem>, SyncError> {
    let batch = store.pending_batch(size)?;
    report.set_aside.extend(batch.set_aside);
    Ok(batch.items)
}

/// What a record sent alone got.
enum Alone {
    Taken,
    Refused { status: u16, detail: String },
}

/// Sends `batch`'s records one at a time after the central system refused
/// them together, to tell the records it cannot take from a central system
/// that takes nothing.
async fn isolate(
    client: &CentralClient,
    store: &Store,
    clock: &dyn Clock,
    batch: &[OutboxItem],
    report: &mut DrainReport,
) -> Result<(), SyncError> {
    tracing::info!(
        records = batch.len(),
        "central system refused a batch; sending its records one by one"
    );
    let mut refused: Vec<(&OutboxItem, u16, String)> = Vec::new();
    let mut taken = false;
    for item in batch {
        if !taken && refused.len() >= PROBE {
            break;
        }
        let one = std::slice::from_ref(item);
        let outcome = match send(client, clock, one, report).await {
            Answer::Results(verdicts) => {
                let answered = verdicts.contains_key(&item.record.id);
                apply(store, clock.now(), one, &verdicts, report)?;
                answered.then_some(Alone::Taken)
            }
            Answer::TooLarge { detail } => Some(Alone::Refused {
                status: 413,
                detail,
            }),
            Answer::BadRequest { status, detail } => Some(Alone::Refused { status, detail }),
            Answer::Failed(err) => {
                if taken {
                    hold_all(store, clock.now(), &refused, report)?;
                }
                return fail(store, clock, one, err, report);
            }
        };
        match outcome {
            Some(Alone::Taken) => taken = true,
            Some(Alone::Refused { status, detail }) => refused.push((item, status, detail)),
            None => {}
        }
    }
    if taken {
        return hold_all(store, clock.now(), &refused, report);
    }
    // Not one record taken alone: the central system takes nothing from
    // this kiosk, which is no fault of any record.
    let Some((_, status, detail)) = refused.first() else {
        // Every record alone got a 200 that did not mention it.
        return fail(store, clock, batch, SyncError::NothingAcknowledged, report);
    };
    let err = wrong_address(*status, client.records_url(), None, detail);
    let ids: Vec<OutboxItem> = refused.iter().map(|(i, _, _)| (*i).clone()).collect();
    fail(store, clock, &ids, err, report)
}

/// Holds every record in `refused` with its answer as the reason.
fn hold_all(
    store: &Store,
    now: DateTime<Utc>,
    refused: &[(&OutboxItem, u16, String)],
    report: &mut DrainReport,
) -> Result<(), SyncError> {
    for (item, status, detail) in refused {
        let reason = if detail.is_empty() {
            format!("HTTP {status} when sent alone")
        } else {
            format!(
                "HTTP {status} when sent alone: {}",
                short_text(detail.as_bytes())
            )
        };
        if store.mark_held(item.record.id, &reason, now)? {
            tracing::warn!(id = %item.record.id, kind = item.record.kind.as_str(), reason, "the central system refuses a record alone; it is held");
            report.held.push(RejectedRecord {
                id: item.record.id,
                kind: item.record.kind,
                number: item.record.number.clone(),
                reason,
            });
        }
    }
    Ok(())
}

async fn send(
    client: &CentralClient,
    clock: &dyn Clock,
    batch: &[OutboxItem],
    report: &mut DrainReport,
) -> Answer {
    let records: Vec<&Record> = batch.iter().map(|i| &i.record).collect();
    report.requests += 1;
    report.sent += records.len() as u64;
    let answer = client.send_records(&records, clock.now()).await;
    tracing::debug!(records = records.len(), answer = ?AnswerKind::of(&answer), "sent a batch");
    answer
}

/// Writes the verdicts of a 200 answer; returns how many records left the
/// queue (delivered or rejected).
fn apply(
    store: &Store,
    now: DateTime<Utc>,
    batch: &[OutboxItem],
    verdicts: &HashMap<Uuid, Verdict>,
    report: &mut DrainReport,
) -> Result<usize, SyncError> {
    let mut delivered = Vec::with_capacity(batch.len());
    let mut missing = Vec::new();
    let mut progress = 0;
    for item in batch {
        match verdicts.get(&item.record.id) {
            Some(Verdict::Delivered { duplicate }) => {
                delivered.push(item.record.id);
                if *duplicate {
                    report.duplicates += 1;
                } else {
                    report.delivered += 1;
                }
            }
            Some(Verdict::Rejected { reason }) => {
                reject(store, now, &item.record, reason, report)?;
                progress += 1;
            }
            None => missing.push(item.record.id),
        }
    }
    progress += store.mark_delivered(&delivered, now)?;
    if !missing.is_empty() {
        report.not_acknowledged += missing.len() as u64;
        store.mark_attempt_failed(&missing, NOT_ACKNOWLEDGED, now)?;
    }
    Ok(progress)
}

/// Rejects a record: only ever for a per-record `rejected` in a 200.
fn reject(
    store: &Store,
    now: DateTime<Utc>,
    record: &Record,
    reason: &str,
    report: &mut DrainReport,
) -> Result<(), SyncError> {
    if store.mark_rejected(record.id, reason, now)? {
        // The reason comes from the central system and names no visitor.
        tracing::warn!(id = %record.id, kind = record.kind.as_str(), reason, "central system rejected a record for good");
        report.rejected.push(RejectedRecord {
            id: record.id,
            kind: record.kind,
            number: record.number.clone(),
            reason: reason.to_string(),
        });
    }
    Ok(())
}

/// Notes `err` on the records of the failed request and returns it.
fn fail(
    store: &Store,
    clock: &dyn Clock,
    batch: &[OutboxItem],
    err: SyncError,
    report: &mut DrainReport,
) -> Result<(), SyncError> {
    let ids: Vec<Uuid> = batch.iter().map(|i| i.record.id).collect();
    store.mark_attempt_failed(&ids, &err.plain_words(), clock.now())?;
    report.errors.push(err.to_string());
    Err(err)
}

/// The answer without its payload, for debug logs.
#[derive(Debug)]
enum AnswerKind {
    Results,
    TooLarge,
    BadRequest,
    Failed,
}

impl AnswerKind {
    fn of(a: &Answer) -> Self {
        match a {
            Answer::Results(_) => AnswerKind::Results,
            Answer::TooLarge { .. } => AnswerKind::TooLarge,
            Answer::BadRequest { .. } => AnswerKind::BadRequest,
            Answer::Failed(_) => AnswerKind::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::store::OutboxCounts;
    use crate::store::fixtures::{complaint, context, rating, submission};

    #[test]
    fn verdicts_are_written_and_missing_records_stay_pending() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 3, 2, 9, 0).unwrap();
        for data in [complaint(), rating(4), complaint(), rating(1)] {
            store.submit(submission(data), &context(&clock)).unwrap();
        }
        let batch = store.pending_batch(10).unwrap().items;
        let id = |i: usize| batch[i].record.id;
        let verdicts: HashMap<Uuid, Verdict> = [
            (id(0), Verdict::Delivered { duplicate: false }),
            (id(1), Verdict::Delivered { duplicate: true }),
            (
                id(2),
                Verdict::Rejected {
                    reason: "unknown category".into(),
                },
            ),
            // Not sent in this batch: ignored.
            (Uuid::now_v7(), Verdict::Delivered { duplicate: false }),
        ]
        .into();
        let mut report = DrainReport::default();
        let progress = apply(&store, clock.now(), &batch, &verdicts, &mut report).unwrap();

        assert_eq!(progress, 3);
        assert_eq!((report.delivered, report.duplicates), (1, 1));
        assert_eq!(report.not_acknowledged, 1);
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(report.rejected[0].number, batch[2].record.number);
        assert_eq!(
            store.outbox_counts().unwrap(),
            OutboxCounts {
                pending: 1,
                delivered: 2,
                rejected: 1,
                ..OutboxCounts::default()
            }
        );
        let left = store.pending_batch(10).unwrap().items;
        assert_eq!(left[0].record.id, id(3));
        assert_eq!(left[0].last_error.as_deref(), Some(NOT_ACKNOWLEDGED));
    }

    #[test]
    fn an_answer_repeated_later_changes_nothing() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 3, 2, 9, 0).unwrap();
        store
            .submit(submission(rating(5)), &context(&clock))
            .unwrap();
        let batch = store.pending_batch(10).unwrap().items;
        let delivered: HashMap<Uuid, Verdict> =
            [(batch[0].record.id, Verdict::Delivered { duplicate: false })].into();
        let mut report = DrainReport::default();
        assert_eq!(
            apply(&store, clock.now(), &batch, &delivered, &mut report).unwrap(),
            1
        );
        let rejected: HashMap<Uuid, Verdict> = [(
            batch[0].record.id,
            Verdict::Rejected {
                reason: "late".into(),
            },
        )]
        .into();
        apply(&store, clock.now(), &batch, &rejected, &mut report).unwrap();
        assert!(report.rejected.is_empty(), "a final state cannot change");
        assert_eq!(store.outbox_counts().unwrap().delivered, 1);
    }
}
