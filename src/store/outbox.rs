//! The outbox: records waiting for the central system (store and forward).
//!
//! Every record a visitor leaves gets an outbox row in the transaction that
//! writes it, demo records included. A row is `pending` until the central
//! system answers `accepted`/`duplicate` (`delivered`) or `rejected`; both
//! are final for the sync worker, and only staff can put a rejected record
//! back ([`Store::requeue`]). A late or repeated answer cannot undo a final
//! state. Queue order is the order records were written, which is also
//! their time order.
//!
//! A pending row may carry a [`Hold`]: `held` (contract 1.1: the central
//! system refused it alone with 400, 422 or 413 while it took others) or
//! `set_aside` (the kiosk cannot read or encode it). Such a row is skipped,
//! so it never blocks the records behind it, until staff put it back or a
//! newer software version (which may have fixed the cause) tries it once
//! more by itself. It stays `pending`: it has not reached the central
//! system.

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::records;
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::Record;

/// The software version that holds or sets records aside: a newer one
/// sends them again.
pub const SOFTWARE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A record larger than this once encoded is set aside rather than sent:
/// no genuine record comes near it (a complaint's text is at most 10 000
/// characters), and the central system would refuse it anyway.
pub const MAX_RECORD_BYTES: usize = 256 * 1024;

/// Where a record is on its way to the central system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Not yet accepted; the sync worker will (re)send it unless it is held
    /// or set aside.
    Pending,
    /// The central system has it (`accepted` or `duplicate`).
    Delivered,
    /// The central system will never take it; kept, with the reason, for staff.
    Rejected,
}

impl OutboxState {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Delivered => "delivered",
            OutboxState::Rejected => "rejected",
        }
    }

    /// The state stored as `s`, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [
            OutboxState::Pending,
            OutboxState::Delivered,
            OutboxState::Rejected,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// Why a pending record is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hold {
    /// The central system refused it alone (400, 422, 413) while it took
    /// other records.
    Held,
    /// The kiosk cannot read or encode it.
    SetAside,
}

impl Hold {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Hold::Held => "held",
            Hold::SetAside => "set_aside",
        }
    }

    /// The hold stored as `s`, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [Hold::Held, Hold::SetAside]
            .into_iter()
            .find(|h| h.as_str() == s)
    }

    /// In plain words for staff: "held", "set aside".
    pub fn words(self) -> &'static str {
        match self {
            Hold::Held => "held",
            Hold::SetAside => "set aside",
        }
    }
}

/// A record waiting to be sent, with its sending history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    /// The record with its personal data, as the central system receives it.
    pub record: Record,
    /// How many times sending it has been tried.
    pub attempts: u32,
    /// Why the last attempt failed, if one did.
    pub last_error: Option<String>,
}

/// A record the kiosk could not read or encode and set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// The record's id as stored (it may itself be what is damaged).
    pub id: String,
    /// Its receipt number as stored, if it has one and it can be read.
    pub number: Option<String>,
    pub reason: String,
}

/// The next records to send, and those met on the way that cannot be sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub items: Vec<OutboxItem>,
    /// Set aside while making this batch (never in `items`).
    pub set_aside: Vec<SetAside>,
}

/// How many outbox rows are in each state. `held` and `set_aside` are
/// part of `pending`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub delivered: u64,
    pub rejected: u64,
    pub held: u64,
    pub set_aside: u64,
}

impl OutboxCounts {
    /// Pending records the sync worker will send (neither held nor set aside).
    pub fn sendable(&self) -> u64 {
        self.pending.saturating_sub(self.held + self.set_aside)
    }
}

/// Which records [`Store::requeue`] puts back in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequeueTarget {
    /// The record with this receipt number.
    Number(ReceiptNumber),
    /// The record with this id (ratings and staff calls have no number).
    Id(Uuid),
    /// Every rejected, held and set-aside record.
    All,
}

impl std::str::FromStr for RequeueTarget {
    type Err = String;

    /// `all`, a receipt number (`KV1-2026-000042`) or a record id.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") {
            return Ok(RequeueTarget::All);
        }
        if let Ok(number) = s.parse::<ReceiptNumber>() {
            return Ok(RequeueTarget::Number(number));
        }
        if let Ok(id) = Uuid::parse_str(s) {
            return Ok(RequeueTarget::Id(id));
        }
        Err(format!(
            "{s:?} is neither a receipt number like KV1-2026-000042, a record id (as `kiosk outbox` lists it) nor `all`"
        ))
    }
}

impl std::fmt::Display for RequeueTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequeueTarget::Number(n) => write!(f, "{n}"),
            RequeueTarget::Id(id) => write!(f, "{id}"),
            RequeueTarget::All => f.write_str("all"),
        }
    }
}

/// What a record was before staff put it back in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WasOut {
    Rejected,
    Held,
    SetAside,
}

impl WasOut {
    pub fn words(self) -> &'static str {
        match self {
            WasOut::Rejected => "rejected",
            WasOut::Held => "held",
            WasOut::SetAside => "set aside",
        }
    }
}

/// One record put back in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requeued {
    pub id: String,
    pub number: Option<String>,
    pub was: WasOut,
    pub reason: String,
}

/// Queues record `id` for the central system. Runs in the record's
/// transaction. `open_ms` (when it was opened) keeps it from being sent until
/// it is closed: a rating the visitor may still add to.
pub(crate) fn enqueue(
    tx: &Transaction<'_>,
    id: &str,
    open_ms: Option<i64>,
) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO outbox (record_id, open_ms) VALUES (?1, ?2)")?
        .execute(params![id, open_ms])?;
    Ok(())
}

/// A stored text column as a `String`, whatever bytes it holds: damaged
/// text must not stop a listing. `None` for NULL.
pub(crate) fn lossy_text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
    }
}

/// An outbox row picked for sending, before its record is read.
struct Candidate {
    row: i64,
    record_id: Option<String>,
    attempts: u32,
    last_error: Option<String>,
}

impl Store {
    /// Up to `limit` pending records, oldest first, for one request. Open
    /// ratings (their visitor may still add to them) are not sent; one left
    /// open longer than a visit lasts is closed first. Held
    /// and set-aside records are skipped (unless a newer software version
    /// than the one that held them runs); a record that cannot be read or
    /// encoded is set aside now, with the reason, and the batch goes on
    /// with the records behind it.
    pub fn pending_batch(&self, limit: usize) -> Result<Batch, StoreError> {
        let limit = limit.max(1);
        self.close_stale_ratings(Utc::now())?;
        let mut batch = Batch::default();
        let mut after = i64::MIN;
        loop {
            let want = limit - batch.items.len();
            let (items, unreadable, candidates, last) = self.read_candidates(want, after)?;
            after = last;
            batch.items.extend(items);
            if !unreadable.is_empty() {
                self.set_aside(&unreadable)?;
                batch
                    .set_aside
                    .extend(unreadable.into_iter().map(|(_, s)| s));
            }
            if candidates < want || batch.items.len() >= limit {
                return Ok(batch);
            }
        }
    }

    /// Reads up to `want` candidates after outbox row `after` in one
    /// snapshot; returns the readable items, the unreadable rows, how many
    /// candidates there were and the last row looked at.
    #[allow(clippy::type_complexity)]
    fn read_candidates(
        &self,
        want: usize,
        after: i64,
    ) -> Result<(Vec<OutboxItem>, Vec<(i64, SetAside)>, usize, i64), StoreError> {
        self.with_conn(|conn| {
            // One snapshot, so a record cannot change between the list and its read.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let candidates: Vec<Candidate> = tx
                .prepare_cached(
                    "SELECT id, record_id, attempts, last_error FROM outbox
                     WHERE state = 'pending' AND open_ms IS NULL
                       AND (hold IS NULL OR hold_version IS NOT ?2) AND id > ?3
                     ORDER BY id LIMIT ?1",
                )?
                .query_map(
                    params![i64::try_from(want).unwrap_or(i64::MAX), SOFTWARE_VERSION, after],
                    |r| {
                        Ok(Candidate {
                            row: r.get(0)?,
                            record_id: lossy_text(r.get_ref(1)?),
                            attempts: r.get::<_, Option<u32>>(2)?.unwrap_or(0),
                            last_error: lossy_text(r.get_ref(3)?),
                        })
                    },
                )?
                .collect::<Result<_, _>>()?;
            let count = candidates.len();
            let last = candidates.last().map_or(after, |c| c.row);
            let mut items = Vec::with_capacity(count);
            let mut unreadable = Vec::new();
            for c in candidates {
                let id = c.record_id.clone().unwrap_or_default();
                let reason = match records::load(&tx, &id) {
                    Ok(Some(stored)) => match encoded_size_problem(&stored.record) {
                        None => {
                            items.push(OutboxItem {
                                record: stored.record,
                                attempts: c.attempts,
                                last_error: c.last_error,
                            });
                            continue;
                        }
                        Some(problem) => problem,
                    },
                    Ok(None) => "its record is missing from the database".to_owned(),
                    Err(e) if e.is_unreadable_row() => e.row_detail(),
                    Err(e) => return Err(e),
                };
                let number = stored_number(&tx, &id);
                tracing::warn!(id = %id, reason = %reason, "a record cannot be sent and is set aside");
                unreadable.push((
                    c.row,
                    SetAside {
                        id,
                        number,
                        reason,
                    },
                ));
            }
            Ok((items, unreadable, count, last))
        })
    }

    /// Marks the outbox rows in `rows` set aside with their reasons.
    fn set_aside(&self, rows: &[(i64, SetAside)]) -> Result<(), StoreError> {
        let now = Utc::now().timestamp_millis();
        self.with_tx(|tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET hold = 'set_aside', hold_reason = ?2, hold_version = ?3, held_ms = ?4
                 WHERE id = ?1 AND state = 'pending'",
            )?;
            for (row, s) in rows {
                stmt.execute(params![row, kept_reason(&s.reason), SOFTWARE_VERSION, now])?;
            }
            Ok(())
        })
    }

    /// Holds a pending record (contract 1.1: the central system refused it
    /// alone while taking others). Returns whether a pending record changed.
    pub fn mark_held(&self, id: Uuid, reason: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = self.update_pending(
            &[id],
            "UPDATE outbox SET hold = 'held', hold_reason = ?3, hold_version = ?4, held_ms = ?2,
                    attempts = attempts + 1, last_attempt_ms = ?2, last_error = ?3
             WHERE record_id = ?1 AND state = 'pending'",
            params![at.timestamp_millis(), kept_reason(reason), SOFTWARE_VERSION],
        )?;
        Ok(n == 1)
    }

    /// Marks these records delivered at `at`. The delivery time is never
    /// before the record's own time, so a clock that is still wrong after a
    /// reboot cannot make personal data be erased early. Returns how many
    /// pending records changed.
    pub fn mark_delivered(&self, ids: &[Uuid], at: DateTime<Utc>) -> Result<usize, StoreError> {
        self.update_pending(
            ids,
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_attempt_ms = ?2,
                    last_error = NULL, hold = NULL, hold_reason = NULL, hold_version = NULL, held_ms = NULL,
                    delivered_ms = max(?2, (SELECT created_ms FROM records WHERE id = outbox.record_id))
             WHERE record_id = ?1 AND state = 'pending'",
            params![at.timestamp_millis()],
        )
    }

    /// Marks a record rejected by the central system, with its reason; it
    /// is never sent again unless staff put it back. Returns whether a
    /// pending record changed.
    pub fn mark_rejected(
        &self,
        id: Uuid,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = self.update_pending(
            &[id],
            "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_attempt_ms = ?2,
                    rejected_reason = ?3, hold = NULL, hold_reason = NULL, hold_version = NULL, held_ms = NULL
             WHERE record_id = ?1 AND state = 'pending'",
            params![at.timestamp_millis(), kept_reason(reason)],
        )?;
        Ok(n == 1)
    }

    /// Notes a failed attempt to send these records; they stay pending.
    /// Returns how many pending records changed.
    pub fn mark_attempt_failed(
        &self,
        ids: &[Uuid],
        error: &str,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.update_pending(
            ids,
            "UPDATE outbox SET attempts = attempts + 1, last_attempt_ms = ?2, last_error = ?3
             WHERE record_id = ?1 AND state = 'pending'",
            params![at.timestamp_millis(), kept_reason(error)],
        )
    }

    /// Puts rejected, held and set-aside records back in the queue: the
    /// sync worker sends them at its next pass. A record that is pending
    /// already or delivered is left as it is, so asking twice changes
    /// nothing the second time. Returns what was put back; an empty list
    /// when `target` names a record that was not out of the queue.
    pub fn requeue(
        &self,
        target: &RequeueTarget,
        at: DateTime<Utc>,
    ) -> Result<Vec<Requeued>, StoreError> {
        self.with_tx(|tx| {
            let (filter, key): (&str, Option<String>) = match target {
                RequeueTarget::All => ("1", None),
                RequeueTarget::Id(id) => ("o.record_id = ?1", Some(id.to_string())),
                RequeueTarget::Number(n) => (
                    "o.record_id = (SELECT id FROM records WHERE number = ?1)",
                    Some(n.to_string()),
                ),
            };
            if let Some(key) = &key {
                let exists: Option<i64> = tx
                    .query_row(
                        &format!("SELECT o.id FROM outbox o WHERE {filter}"),
                        [key],
                        |r| r.get(0),
                    )
                    .optional()?;
                if exists.is_none() {
                    return Err(StoreError::NoSuchRecordNamed(target.to_string()));
                }
            }
            let sql = format!(
                "SELECT o.id, o.record_id, r.number, o.state, o.hold, o.rejected_reason, o.hold_reason
                 FROM outbox o LEFT JOIN records r ON r.id = o.record_id
                 WHERE (o.state = 'rejected' OR (o.state = 'pending' AND o.hold IS NOT NULL)) AND {filter}
                 ORDER BY o.id"
            );
            let mut stmt = tx.prepare(&sql)?;
            let read = |r: &rusqlite::Row<'_>| {
                Ok((
                    r.get::<_, i64>(0)?,
                    lossy_text(r.get_ref(1)?).unwrap_or_default(),
                    lossy_text(r.get_ref(2)?),
                    lossy_text(r.get_ref(3)?).unwrap_or_default(),
                    lossy_text(r.get_ref(4)?),
                    lossy_text(r.get_ref(5)?),
                    lossy_text(r.get_ref(6)?),
                ))
            };
            let rows: Vec<_> = match &key {
                Some(k) => stmt.query_map([k], read)?.collect::<Result<_, _>>()?,
                None => stmt.query_map([], read)?.collect::<Result<_, _>>()?,
            };
            drop(stmt);
            let mut out = Vec::with_capacity(rows.len());
            let mut update = tx.prepare_cached(
                "UPDATE outbox SET state = 'pending', rejected_reason = NULL, hold = NULL, hold_reason = NULL,
                        hold_version = NULL, held_ms = NULL, last_error = ?2
                 WHERE id = ?1",
            )?;
            for (row, id, number, state, hold, rejected_reason, hold_reason) in rows {
                let (was, reason) = if state == "rejected" {
                    (WasOut::Rejected, rejected_reason.unwrap_or_default())
                } else if hold.as_deref() == Some("held") {
                    (WasOut::Held, hold_reason.unwrap_or_default())
                } else {
                    (WasOut::SetAside, hold_reason.unwrap_or_default())
                };
                let note = format!(
                    "put back in the queue by staff on {} (it was {}: {reason})",
                    crate::clock::local_time(at).format("%d.%m.%Y %H:%M"),
                    was.words()
                );
                update.execute(params![row, note])?;
                out.push(Requeued {
                    id,
                    number,
                    was,
                    reason,
                });
            }
            Ok(out)
        })
    }

    /// How many records are pending (held and set aside among them),
    /// delivered and rejected.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        self.with_conn(|conn| {
            let mut counts = OutboxCounts::default();
            let mut stmt = conn
                .prepare_cached("SELECT state, hold, count(*) FROM outbox GROUP BY state, hold")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let state = lossy_text(row.get_ref(0)?).unwrap_or_default();
                let hold = lossy_text(row.get_ref(1)?);
                let n = u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0);
                match OutboxState::parse(&state) {
                    Some(OutboxState::Pending) => {
                        counts.pending += n;
                        match hold.as_deref().and_then(Hold::parse) {
                            Some(Hold::Held) => counts.held += n,
                            Some(Hold::SetAside) => counts.set_aside += n,
                            None => {}
                        }
                    }
                    Some(OutboxState::Delivered) => counts.delivered += n,
                    Some(OutboxState::Rejected) => counts.rejected += n,
                    None => {}
                }
            }
            Ok(counts)
        })
    }

    /// The time of the oldest record still waiting, for the heartbeat. A
    /// damaged time is passed over.
    pub fn oldest_pending_at(&self) -> Result<Option<DateTime<FixedOffset>>, StoreError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT r.created_at FROM outbox o JOIN records r ON r.id = o.record_id
                 WHERE o.state = 'pending' ORDER BY o.id LIMIT 16",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                if let Some(t) =
                    lossy_text(row.get_ref(0)?).and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                {
                    return Ok(Some(t));
                }
            }
            Ok(None)
        })
    }

    /// Runs `sql` (with `?1` = record id, then `extra` from `?2`) for each
    /// id in one transaction; returns how many rows changed.
    fn update_pending(
        &self,
        ids: &[Uuid],
        sql: &str,
        extra: &[&dyn rusqlite::ToSql],
    ) -> Result<usize, StoreError> {
        self.with_tx(|tx| {
            let mut stmt = tx.prepare_cached(sql)?;
            let mut changed = 0;
            for id in ids {
                let id = id.to_string();
                let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id];
                all.extend_from_slice(extra);
                changed += stmt.execute(all.as_slice())?;
            }
            Ok(changed)
        })
    }
}

/// Why `record` cannot be sent, if its encoding fails or is too large.
fn encoded_size_problem(record: &Record) -> Option<String> {
    match serde_json::to_vec(record) {
        Ok(bytes) if bytes.len() > MAX_RECORD_BYTES => Some(format!(
            "it is {} bytes once encoded, more than any genuine record ({MAX_RECORD_BYTES} at most)",
            bytes.len()
        )),
        Ok(_) => None,
        Err(e) => Some(format!("it cannot be encoded for the central system: {e}")),
    }
}

/// The receipt number stored for record `id`, as far as it can be read.
fn stored_number(tx: &Transaction<'_>, id: &str) -> Option<String> {
    tx.query_row("SELECT number FROM records WHERE id = ?1", [id], |r| {
        Ok(lossy_text(r.get_ref(0)?))
    })
    .ok()
    .flatten()
}

/// The longest reason or error kept with a record: a central system may
/// answer with megabytes, and staff read one line.
pub const MAX_REASON_BYTES: usize = 1024;

/// A reason as it is kept: neutralised (no control or bidirectional
/// characters) and at most [`MAX_REASON_BYTES`], cut on a character and
/// marked.
pub fn kept_reason(reason: &str) -> String {
    crate::domain::sanitize::outside_text(reason, MAX_REASON_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::store::fixtures::{complaint, context, rating, submission};

    /// A store with a complaint, a rating and a second complaint, in that order.
    fn store_with_three(clock: &ManualClock) -> (Store, Vec<Uuid>) {
        let store = Store::open_in_memory().unwrap();
        let ids = [complaint(), rating(1), complaint()]
            .into_iter()
            .map(|data| {
                clock.advance(chrono::Duration::seconds(30));
                store.submit(submission(data), &context(clock)).unwrap().id
            })
            .collect();
        (store, ids)
    }

    #[test]
    fn every_new_record_waits_oldest_first_with_its_personal_data() {
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let (store, ids) = store_with_three(&clock);
        let batch = store.pending_batch(2).unwrap().items;
        assert_eq!(
            batch.iter().map(|i| i.record.id).collect::<Vec<_>>(),
            ids[..2]
        );
        assert_eq!(batch[0].attempts, 0);
        let crate::domain::record::RecordData::Complaint(c) = &batch[0].record.data else {
            panic!()
        };
        assert_eq!(
            c.phone, "0888 123 456",
            "the central system needs the contact"
        );
        assert_eq!(
            store.oldest_pending_at().unwrap(),
            Some(batch[0].record.created_at)
        );
    }

    #[test]
    fn delivered_and_rejected_records_leave_the_queue_for_good() {
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let (store, ids) = store_with_three(&clock);
        assert_eq!(store.mark_delivered(&ids[..1], clock.now()).unwrap(), 1);
        assert!(
            store
                .mark_rejected(ids[1], "unknown category", clock.now())
                .unwrap()
        );
        // A late answer cannot undo a final one.
        assert!(!store.mark_rejected(ids[0], "late", clock.now()).unwrap());
        assert_eq!(store.mark_delivered(&ids[1..2], clock.now()).unwrap(), 0);

        let pending: Vec<Uuid> = store
            .pending_batch(10)
            .unwrap()
            .items
            .iter()
            .map(|i| i.record.id)
            .collect();
        assert_eq!(pending, ids[2..]);
        assert_eq!(
            store.outbox_counts().unwrap(),
            OutboxCounts {
                pending: 1,
                delivered: 1,
                rejected: 1,
                ..OutboxCounts::default()
            }
        );
        assert_eq!(
            store.get(ids[1]).unwrap().unwrap().delivery,
            Some(OutboxState::Rejected)
        );
    }

    #[test]
    fn failed_attempts_are_counted_and_keep_the_record_pending() {
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let (store, ids) = store_with_three(&clock);
        store
            .mark_attempt_failed(&ids, "connection refused", clock.now())
            .unwrap();
        store
            .mark_attempt_failed(&ids[..1], "HTTP 503", clock.now())
            .unwrap();
        let batch = store.pending_batch(10).unwrap().items;
        assert_eq!(batch.len(), 3);
        assert_eq!(
            (batch[0].attempts, batch[0].last_error.as_deref()),
            (2, Some("HTTP 503"))
        );
        assert_eq!(
            (batch[1].attempts, batch[1].last_error.as_deref()),
            (1, Some("connection refused"))
        );
    }

    #[test]
    fn an_empty_queue_has_no_oldest_record() {
        let store = Store::open_in_memory().unwrap();
        assert!(store.pending_batch(100).unwrap().items.is_empty());
        assert_eq!(store.oldest_pending_at().unwrap(), None);
        assert_eq!(store.outbox_counts().unwrap(), OutboxCounts::default());
    }

    #[test]
    fn state_names_round_trip() {
        for s in [
            OutboxState::Pending,
            OutboxState::Delivered,
            OutboxState::Rejected,
        ] {
            assert_eq!(OutboxState::parse(s.as_str()), Some(s));
        }
        assert_eq!(OutboxState::parse("sent"), None);
    }

    #[test]
    fn an_unreadable_record_is_set_aside_and_the_ones_behind_it_are_sent() {
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let (store, ids) = store_with_three(&clock);
        store
            .with_conn(|c| {
                // Bytes that are not UTF-8 in a name, and JSON cut short.
                c.execute(
                    "UPDATE personal_data SET name = CAST(X'49C3A9FF' AS TEXT) WHERE record_id = ?1",
                    [ids[0].to_string()],
                )?;
                c.execute(
                    "UPDATE records SET data = '{\"score\": ' WHERE id = ?1",
                    [ids[1].to_string()],
                )?;
                Ok(())
            })
            .unwrap();
        let batch = store.pending_batch(10).unwrap();
        assert_eq!(
            batch.items.iter().map(|i| i.record.id).collect::<Vec<_>>(),
            ids[2..]
        );
        assert_eq!(batch.set_aside.len(), 2);
        assert_eq!(batch.set_aside[0].id, ids[0].to_string());
        assert!(
            batch.set_aside[0].reason.contains("UTF-8"),
            "{:?}",
            batch.set_aside
        );
        assert_eq!(
            batch.set_aside[0].number.as_deref(),
            Some("KV1-2026-000001")
        );
        assert!(
            batch.set_aside[1].reason.contains("data"),
            "{:?}",
            batch.set_aside
        );
        let counts = store.outbox_counts().unwrap();
        assert_eq!(
            (counts.pending, counts.set_aside, counts.sendable()),
            (3, 2, 1)
        );
        // Not met again: the next batch has only the readable record.
        let again = store.pending_batch(10).unwrap();
        assert_eq!(again.items.len(), 1);
        assert!(again.set_aside.is_empty());
        // A newer version tries them once more by itself.
        store
            .with_conn(|c| Ok(c.execute("UPDATE outbox SET hold_version = '0.0.1'", [])?))
            .unwrap();
        assert_eq!(store.pending_batch(10).unwrap().set_aside.len(), 2);
    }

    #[test]
    fn a_batch_is_filled_past_records_set_aside() {
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let store = Store::open_in_memory().unwrap();
        let ids: Vec<Uuid> = (0..6)
            .map(|_| {
                store
                    .submit(submission(rating(4)), &context(&clock))
                    .unwrap()
                    .id
            })
            .collect();
        store
            .with_conn(|c| {
                Ok(c.execute(
                    "UPDATE records SET data = 'x' WHERE id IN (?1, ?2, ?3)",
                    [ids[0].to_string(), ids[1].to_string(), ids[2].to_string()],
                )?)
            })
            .unwrap();
        let batch = store.pending_batch(2).unwrap();
        assert_eq!(
            batch.items.iter().map(|i| i.record.id).collect::<Vec<_>>(),
            ids[3..5]
        );
        assert_eq!(batch.set_aside.len(), 3);
    }

    #[test]
    fn a_held_record_is_skipped_but_still_pending() {
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let (store, ids) = store_with_three(&clock);
        assert!(
            store
                .mark_held(ids[0], "HTTP 422 when sent alone", clock.now())
                .unwrap()
        );
        let batch = store.pending_batch(10).unwrap().items;
        assert_eq!(
            batch.iter().map(|i| i.record.id).collect::<Vec<_>>(),
            ids[1..]
        );
        let counts = store.outbox_counts().unwrap();
        assert_eq!((counts.pending, counts.held), (3, 1));
        assert_eq!(
            store.get(ids[0]).unwrap().unwrap().delivery,
            Some(OutboxState::Pending)
        );
    }
}
