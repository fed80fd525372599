//! The outbox as staff and the IT contractor see it: which records wait,
//! are held, set aside or were refused, and why, without any personal data.
//!
//! Only the `records` and `outbox` tables are read, never `personal_data`,
//! so nothing here can leak a name, contact or free text into a terminal.
//! Every column is read as it is stored, damaged text included (shown with
//! replacement characters), so one bad row never hides the others: the
//! listing is where staff look for exactly such rows.

use chrono::{DateTime, FixedOffset};
use rusqlite::params;
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::outbox::{Hold, OutboxState, lossy_text};
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::RecordKind;

/// Which outbox rows to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxList {
    /// Pending records the sync worker will send.
    Waiting,
    /// Pending records the central system refused alone (400/422/413).
    Held,
    /// Pending records the kiosk cannot read or encode.
    SetAside,
    /// Records the central system rejected.
    Rejected,
    /// Records the central system has.
    Delivered,
}

impl OutboxList {
    /// The heading staff see.
    pub fn title(self) -> &'static str {
        match self {
            OutboxList::Waiting => "waiting",
            OutboxList::Held => {
                "held (refused alone by the central system; staff can put them back)"
            }
            OutboxList::SetAside => {
                "set aside (cannot be read or encoded; staff can put them back)"
            }
            OutboxList::Rejected => "rejected by the central system (staff can put them back)",
            OutboxList::Delivered => "delivered",
        }
    }

    fn filter(self) -> &'static str {
        match self {
            OutboxList::Waiting => "o.state = 'pending' AND o.hold IS NULL",
            OutboxList::Held => "o.state = 'pending' AND o.hold = 'held'",
            OutboxList::SetAside => "o.state = 'pending' AND o.hold = 'set_aside'",
            OutboxList::Rejected => "o.state = 'rejected'",
            OutboxList::Delivered => "o.state = 'delivered'",
        }
    }
}

/// One outbox row, without personal data, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The record's id as stored.
    pub id: String,
    /// `rating`, `complaint`, `staff_call`, as stored.
    pub kind: String,
    pub number: Option<String>,
    /// RFC 3339 as stored.
    pub created_at: String,
    pub demo: bool,
    pub state: Option<OutboxState>,
    pub hold: Option<Hold>,
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The central system's reason, for rejected records.
    pub rejected_reason: Option<String>,
    /// Why it is held or set aside.
    pub hold_reason: Option<String>,
}

impl OutboxEntry {
    /// The id, if it reads as one.
    pub fn uuid(&self) -> Option<Uuid> {
        Uuid::parse_str(&self.id).ok()
    }

    /// The kind, if it is one the kiosk knows.
    pub fn record_kind(&self) -> Option<RecordKind> {
        RecordKind::parse(&self.kind)
    }

    /// The receipt number, if it reads as one.
    pub fn receipt_number(&self) -> Option<ReceiptNumber> {
        self.number.as_deref().and_then(|n| n.parse().ok())
    }

    /// The filing time, if it reads as one.
    pub fn created(&self) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(&self.created_at).ok()
    }

    /// Why the record is where it is, for staff: the rejection or hold
    /// reason, else the last error.
    pub fn reason(&self) -> Option<&str> {
        self.rejected_reason
            .as_deref()
            .or(self.hold_reason.as_deref())
            .or(self.last_error.as_deref())
    }
}

impl Store {
    /// Up to `limit` records of `list`, oldest first.
    pub fn outbox_entries(
        &self,
        list: OutboxList,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT o.record_id, r.kind, r.number, r.created_at, r.demo, o.attempts, o.last_error,
                        o.rejected_reason, o.state, o.hold, o.hold_reason
                 FROM outbox o LEFT JOIN records r ON r.id = o.record_id
                 WHERE {} ORDER BY o.id LIMIT ?1",
                list.filter()
            ))?;
            let rows = stmt.query_map(
                params![i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| {
                    let text = |i| r.get_ref(i).map(lossy_text);
                    Ok(OutboxEntry {
                        id: text(0)?.unwrap_or_default(),
                        kind: text(1)?.unwrap_or_default(),
                        number: text(2)?,
                        created_at: text(3)?.unwrap_or_default(),
                        demo: r.get::<_, Option<i64>>(4).ok().flatten().unwrap_or(0) != 0,
                        attempts: r
                            .get::<_, Option<i64>>(5)
                            .ok()
                            .flatten()
                            .and_then(|n| u32::try_from(n).ok())
                            .unwrap_or(0),
                        // Reasons come from outside (the central system):
                        // neutralised and bounded even when stored whole
                        // by an older version.
                        last_error: text(6)?.as_deref().map(super::outbox::kept_reason),
                        rejected_reason: text(7)?.as_deref().map(super::outbox::kept_reason),
                        state: text(8)?.as_deref().and_then(OutboxState::parse),
                        hold: text(9)?.as_deref().and_then(Hold::parse),
                        hold_reason: text(10)?.as_deref().map(super::outbox::kept_reason),
                    })
                },
            )?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::store::fixtures::{complaint, context, rating, submission};

    #[test]
    fn a_hostile_reason_is_kept_short_and_shown_without_direction_controls() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 2, 2, 9, 0).unwrap();
        let a = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let hostile = format!(
            "rejected \u{202e}gnp.exe\u{2067}\u{1b}[2J{}",
            "x".repeat(40_000)
        );
        store.mark_rejected(a.id, &hostile, clock.now()).unwrap();
        let stored: String = store
            .with_conn(|c| Ok(c.query_row("SELECT rejected_reason FROM outbox", [], |r| r.get(0))?))
            .unwrap();
        assert!(stored.len() <= 1024, "{} bytes kept", stored.len());
        assert!(stored.ends_with('…'), "{stored}");
        let shown = store.outbox_entries(OutboxList::Rejected, 10).unwrap();
        let reason = shown[0].reason().unwrap();
        assert!(reason.starts_with("rejected gnp.exe[2J"), "{reason}");
        assert!(
            !reason
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{reason}"
        );
    }

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

        let rejected = store.outbox_entries(OutboxList::Rejected, 10).unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].uuid(), Some(a.id));
        assert_eq!(rejected[0].receipt_number(), a.number);
        assert_eq!(rejected[0].record_kind(), Some(RecordKind::Complaint));
        assert_eq!(
            rejected[0].rejected_reason.as_deref(),
            Some("unknown category")
        );

        let pending = store.outbox_entries(OutboxList::Waiting, 10).unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].attempts, 1);
        assert_eq!(
            pending[0].last_error.as_deref(),
            Some("cannot reach the central system")
        );
        assert!(
            store
                .outbox_entries(OutboxList::Delivered, 10)
                .unwrap()
                .is_empty()
        );
    }
}
