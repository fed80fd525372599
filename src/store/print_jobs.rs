//! Print jobs: receipts waiting for, or done by, the printer.
//!
//! A job is added in the submission's transaction when the visitor asked for
//! a receipt, or later by staff for a reprint (marked `duplicate`, so the
//! slip can say so). A job is `pending` until the printer reports `printed`
//! or `failed` (with the reason), or `unconfirmed`: sent to a network
//! printer that never confirmed printing it. All three are final, and a new
//! job is the way to try again. Failing to print never touches the record
//! or its number.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::Store;
use super::error::StoreError;

/// Where a print job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintJobState {
    Pending,
    Printed,
    Failed,
    /// Sent, not confirmed: the printer never said it printed the slip.
    Unconfirmed,
}

impl PrintJobState {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PrintJobState::Pending => "pending",
            PrintJobState::Printed => "printed",
            PrintJobState::Failed => "failed",
            PrintJobState::Unconfirmed => "unconfirmed",
        }
    }

    /// The state stored as `s`, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [
            PrintJobState::Pending,
            PrintJobState::Printed,
            PrintJobState::Failed,
            PrintJobState::Unconfirmed,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// One receipt to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    pub id: i64,
    pub record_id: Uuid,
    pub state: PrintJobState,
    /// Why printing failed (e.g. "paper out"), when it did.
    pub reason: Option<String>,
    pub copies: u32,
    /// A reprint: the slip is marked as a duplicate.
    pub duplicate: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Adds a pending job for record `record_id`; returns its id. Runs in the
/// caller's transaction.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    record_id: &str,
    duplicate: bool,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let ms = at.timestamp_millis();
    tx.prepare_cached(
        "INSERT INTO print_jobs (record_id, duplicate, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![record_id, duplicate, ms])?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// Queues a receipt for a stored record, e.g. a staff reprint
    /// (`duplicate = true`). Returns the job id.
    pub fn add_print_job(
        &self,
        record_id: Uuid,
        duplicate: bool,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        self.with_tx(|tx| {
            let id = record_id.to_string();
            let exists: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM records WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::NoSuchRecord(record_id));
            }
            insert(tx, &id, duplicate, at)
        })
    }

    /// The jobs still to print, oldest first.
    pub fn pending_print_jobs(&self) -> Result<Vec<PrintJob>, StoreError> {
        self.with_conn(|conn| select_jobs(conn, "WHERE state = 'pending' ORDER BY id", []))
    }

    /// The job with this id, if any.
    pub fn print_job(&self, id: i64) -> Result<Option<PrintJob>, StoreError> {
        self.with_conn(|conn| Ok(select_jobs(conn, "WHERE id = ?1", [id])?.into_iter().next()))
    }

    /// The printer finished job `id`. Returns whether a pending job changed.
    pub fn mark_printed(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        self.finish_job(id, PrintJobState::Printed, None, at)
    }

    /// The printer could not print job `id`, for `reason`. Returns whether a
    /// pending job changed.
    pub fn mark_print_failed(
        &self,
        id: i64,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.finish_job(id, PrintJobState::Failed, Some(reason), at)
    }

    /// Job `id` was sent but the printer never confirmed it, for `reason`.
    /// Returns whether a pending job changed.
    pub fn mark_print_unconfirmed(
        &self,
        id: i64,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.finish_job(id, PrintJobState::Unconfirmed, Some(reason), at)
    }

    fn finish_job(
        &self,
        id: i64,
        state: PrintJobState,
        reason: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.with_conn(|conn| {
            let n = conn
                .prepare_cached(
                    "UPDATE print_jobs SET state = ?2, reason = ?3, updated_ms = ?4 WHERE id = ?1 AND state = 'pending'",
                )?
                .execute(params![id, state.as_str(), reason, at.timestamp_millis()])?;
            Ok(n == 1)
        })
    }
}

/// Jobs matching `filter` (an SQL `WHERE ... ORDER BY ...` tail).
fn select_jobs(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<PrintJob>, StoreError> {
    let sql = format!(
        "SELECT id, record_id, state, reason, copies, duplicate, created_ms, updated_ms FROM print_jobs {filter}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let raw: Vec<RawJob> = stmt
        .query_map(args, RawJob::from_row)?
        .collect::<Result<_, _>>()?;
    raw.into_iter().map(RawJob::decode).collect()
}

struct RawJob {
    id: i64,
    record_id: String,
    state: String,
    reason: Option<String>,
    copies: u32,
    duplicate: bool,
    created_ms: i64,
    updated_ms: i64,
}

impl RawJob {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawJob {
            id: r.get(0)?,
            record_id: r.get(1)?,
            state: r.get(2)?,
            reason: r.get(3)?,
            copies: r.get(4)?,
            duplicate: r.get(5)?,
            created_ms: r.get(6)?,
            updated_ms: r.get(7)?,
        })
    }

    fn decode(self) -> Result<PrintJob, StoreError> {
        let bad = |detail: String| StoreError::BadRow {
            id: format!("print job {}", self.id),
            detail,
        };
        let time =
            |ms: i64| DateTime::from_timestamp_millis(ms).ok_or_else(|| bad(format!("time {ms}")));
        Ok(PrintJob {
            id: self.id,
            record_id: Uuid::parse_str(&self.record_id)
                .map_err(|e| bad(format!("record id: {e}")))?,
            state: PrintJobState::parse(&self.state)
                .ok_or_else(|| bad(format!("state {:?}", self.state)))?,
            copies: self.copies,
            duplicate: self.duplicate,
            created_at: time(self.created_ms)?,
            updated_at: time(self.updated_ms)?,
            reason: self.reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::store::fixtures::{complaint, context, submission};
    use crate::store::submit::Submission;

    fn store_with_receipt(clock: &ManualClock) -> (Store, Uuid, i64) {
        let store = Store::open_in_memory().unwrap();
        let sub = Submission {
            print_receipt: true,
            ..submission(complaint())
        };
        let done = store.submit(sub, &context(clock)).unwrap();
        (store, done.id, done.print_job.unwrap())
    }

    #[test]
    fn a_printed_job_leaves_the_queue() {
        let clock = ManualClock::at_sofia(2026, 3, 3, 11, 0).unwrap();
        let (store, record, job) = store_with_receipt(&clock);
        let pending = store.pending_print_jobs().unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(
            (
                pending[0].record_id,
                pending[0].copies,
                pending[0].duplicate
            ),
            (record, 1, false)
        );
        assert!(store.mark_printed(job, clock.now()).unwrap());
        assert!(store.pending_print_jobs().unwrap().is_empty());
        assert_eq!(
            store.print_job(job).unwrap().unwrap().state,
            PrintJobState::Printed
        );
    }

    #[test]
    fn a_failed_print_keeps_the_record_and_staff_can_reprint() {
        let clock = ManualClock::at_sofia(2026, 3, 3, 11, 0).unwrap();
        let (store, record, job) = store_with_receipt(&clock);
        clock.advance(chrono::Duration::seconds(5));
        assert!(
            store
                .mark_print_failed(job, "paper out", clock.now())
                .unwrap()
        );
        let failed = store.print_job(job).unwrap().unwrap();
        assert_eq!(
            (failed.state, failed.reason.as_deref()),
            (PrintJobState::Failed, Some("paper out"))
        );
        assert!(failed.updated_at > failed.created_at);
        // Final: the printer cannot report it printed afterwards.
        assert!(!store.mark_printed(job, clock.now()).unwrap());
        assert!(store.get(record).unwrap().unwrap().record.number.is_some());

        let reprint = store.add_print_job(record, true, clock.now()).unwrap();
        let pending = store.pending_print_jobs().unwrap();
        assert_eq!(
            pending
                .iter()
                .map(|j| (j.id, j.duplicate))
                .collect::<Vec<_>>(),
            vec![(reprint, true)]
        );
    }

    #[test]
    fn a_reprint_of_an_unknown_record_is_refused() {
        let store = Store::open_in_memory().unwrap();
        let err = store
            .add_print_job(Uuid::now_v7(), true, chrono::Utc::now())
            .unwrap_err();
        assert!(matches!(err, StoreError::NoSuchRecord(_)), "{err}");
        assert_eq!(store.print_job(1).unwrap(), None);
    }

    #[test]
    fn state_names_round_trip() {
        for s in [
            PrintJobState::Pending,
            PrintJobState::Printed,
            PrintJobState::Failed,
            PrintJobState::Unconfirmed,
        ] {
            assert_eq!(PrintJobState::parse(s.as_str()), Some(s));
        }
        assert_eq!(PrintJobState::parse("queued"), None);
    }
}
