//! The outbox as staff and the IT contractor see it: which records wait or
//! were refused, and why, without any personal data.
//!
//! Only the `records` and `outbox` tables are read, never `personal_data`,
//! so nothing here can leak a name, contact or free text into a terminal.

use chrono::{DateTime, FixedOffset};
use rusqlite::params;
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::outbox::OutboxState;
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::RecordKind;

/// One outbox row, without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub kind: RecordKind,
    pub number: Option<ReceiptNumber>,
    pub created_at: DateTime<FixedOffset>,
    pub demo: bool,
    pub attempts: u32,
    /// Why the last attempt failed, for pending records.
    pub last_error: Option<String>,
    /// The central system's reason, for rejected records.
    pub rejected_reason: Option<String>,
}

impl Store {
    /// Up to `limit` records in `state`, oldest first.
    pub fn outbox_entries(
        &self,
        state: OutboxState,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT r.id, r.kind, r.number, r.created_at, r.demo, o.attempts, o.last_error, o.rejected_reason
                 FROM outbox o JOIN records r ON r.id = o.record_id
                 WHERE o.state = ?1 ORDER BY o.id LIMIT ?2",
            )?;
            let rows = stmt.query_map(
                params![state.as_str(), i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, bool>(4)?,
                        r.get::<_, u32>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )?;
            let mut out = Vec::new();
            for row in rows {
                let (id, kind, number, created_at, demo, attempts, last_error, rejected_reason) =
                    row?;
                let bad = |detail: String| StoreError::BadRow {
                    id: id.clone(),
                    detail,
                };
                out.push(OutboxEntry {
                    id: Uuid::parse_str(&id).map_err(|e| bad(format!("id: {e}")))?,
                    kind: RecordKind::parse(&kind).ok_or_else(|| bad(format!("kind {kind:?}")))?,
                    number: number
                        .map(|n| n.parse().map_err(|e| bad(format!("number {n:?}: {e:?}"))))
                        .transpose()?,
                    created_at: DateTime::parse_from_rfc3339(&created_at)
                        .map_err(|e| bad(format!("created_at {created_at:?}: {e}")))?,
                    demo,
                    attempts,
                    last_error,
                    rejected_reason,
                });
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::store::fixtures::{complaint, context, rating, submission};

    #[test]
    fn pending_and_rejected_records_are_listed_with_their_reasons() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let a = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let b = store
            .submit(submission(rating(3)), &context(&clock))
            .unwrap();
        store
            .mark_rejected(a.id, "unknown category", clock.now())
            .unwrap();
        store
            .mark_attempt_failed(&[b.id], "cannot reach the central system", clock.now())
            .unwrap();

        let rejected = store.outbox_entries(OutboxState::Rejected, 10).unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].id, a.id);
        assert_eq!(rejected[0].number, a.number);
        assert_eq!(rejected[0].kind, RecordKind::Complaint);
        assert_eq!(
            rejected[0].rejected_reason.as_deref(),
            Some("unknown category")
        );

        let pending = store.outbox_entries(OutboxState::Pending, 10).unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].attempts, 1);
        assert_eq!(
            pending[0].last_error.as_deref(),
            Some("cannot reach the central system")
        );
        assert!(
            store
                .outbox_entries(OutboxState::Delivered, 10)
                .unwrap()
                .is_empty()
        );
    }
}
