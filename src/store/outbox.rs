//! The outbox: records waiting for the central system (store and forward).
//!
//! Every record a visitor leaves gets an outbox row in the transaction that
//! writes it, demo records included. A row is
//! `pending` until the central system answers `accepted`/`duplicate`
//! (`delivered`) or `rejected`; both are final. Only pending rows change, so
//! a late or repeated answer cannot undo a final one. Queue order is the
//! order records were written, which is also their time order.

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::records;
use crate::domain::record::Record;

/// Where a record is on its way to the central system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Not yet accepted; the sync worker will (re)send it.
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

/// How many outbox rows are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub delivered: u64,
    pub rejected: u64,
}

/// Queues record `id` for the central system. Runs in the record's transaction.
pub(crate) fn enqueue(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO outbox (record_id) VALUES (?1)")?
        .execute([id])?;
    Ok(())
}

impl Store {
    /// Up to `limit` pending records, oldest first, for one request.
    pub fn pending_batch(&self, limit: usize) -> Result<Vec<OutboxItem>, StoreError> {
        self.with_conn(|conn| {
            // One snapshot, so a record cannot change between the list and its read.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let queued: Vec<(String, u32, Option<String>)> = tx
                .prepare_cached(
                    "SELECT record_id, attempts, last_error FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?1",
                )?
                .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            let mut batch = Vec::with_capacity(queued.len());
            for (id, attempts, last_error) in queued {
                if let Some(stored) = records::load(&tx, &id)? {
                    batch.push(OutboxItem { record: stored.record, attempts, last_error });
                }
            }
            Ok(batch)
        })
    }

    /// Marks these records delivered at `at`. The delivery time is never
    /// before the record's own time, so a clock that is still wrong after a
    /// reboot cannot make personal data be erased early. Returns how many
    /// pending records changed.
    pub fn mark_delivered(&self, ids: &[Uuid], at: DateTime<Utc>) -> Result<usize, StoreError> {
        self.update_pending(
            ids,
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_attempt_ms = ?2,
                    last_error = NULL,
                    delivered_ms = max(?2, (SELECT created_ms FROM records WHERE id = outbox.record_id))
             WHERE record_id = ?1 AND state = 'pending'",
            params![at.timestamp_millis()],
        )
    }

    /// Marks a record rejected by the central system, with its reason; it
    /// is never sent again. Returns whether a pending record changed.
    pub fn mark_rejected(
        &self,
        id: Uuid,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = self.update_pending(
            &[id],
            "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_attempt_ms = ?2,
                    rejected_reason = ?3
             WHERE record_id = ?1 AND state = 'pending'",
            params![at.timestamp_millis(), reason],
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
            params![at.timestamp_millis(), error],
        )
    }

    /// How many records are pending, delivered and rejected.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        self.with_conn(|conn| {
            let mut counts = OutboxCounts::default();
            let mut stmt =
                conn.prepare_cached("SELECT state, count(*) FROM outbox GROUP BY state")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let (state, n): (String, i64) = (row.get(0)?, row.get(1)?);
                let n = u64::try_from(n).unwrap_or(0);
                match OutboxState::parse(&state) {
                    Some(OutboxState::Pending) => counts.pending = n,
                    Some(OutboxState::Delivered) => counts.delivered = n,
                    Some(OutboxState::Rejected) => counts.rejected = n,
                    None => {}
                }
            }
            Ok(counts)
        })
    }

    /// The time of the oldest record still waiting, for the heartbeat.
    pub fn oldest_pending_at(&self) -> Result<Option<DateTime<FixedOffset>>, StoreError> {
        self.with_conn(|conn| {
            let found: Option<(String, String)> = conn
                .prepare_cached(
                    "SELECT r.id, r.created_at FROM outbox o JOIN records r ON r.id = o.record_id
                     WHERE o.state = 'pending' ORDER BY o.id LIMIT 1",
                )?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            found
                .map(|(id, t)| {
                    DateTime::parse_from_rfc3339(&t).map_err(|e| StoreError::BadRow {
                        id,
                        detail: format!("created_at {t:?}: {e}"),
                    })
                })
                .transpose()
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
        let batch = store.pending_batch(2).unwrap();
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
            .iter()
            .map(|i| i.record.id)
            .collect();
        assert_eq!(pending, ids[2..]);
        assert_eq!(
            store.outbox_counts().unwrap(),
            OutboxCounts {
                pending: 1,
                delivered: 1,
                rejected: 1
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
        let batch = store.pending_batch(10).unwrap();
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
        assert!(store.pending_batch(100).unwrap().is_empty());
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
}
