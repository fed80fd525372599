//! Receipt-number counters: one row per (prefix, year) holding the last
//! sequence handed out.
//!
//! Invariant: the counter only moves inside the transaction that writes the
//! numbered record. If that transaction fails or the power goes, the bump is
//! rolled back with it, so the sequence has no gaps; the `UNIQUE` number
//! column of `records` is a second guard against duplicates.

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::Store;
use super::error::StoreError;
use crate::domain::numbering::{MAX_SEQUENCE, NumberError, ReceiptNumber};

/// Takes the next receipt number for `prefix` in `year`, starting at 1.
/// Must run in the transaction that stores the numbered record.
pub(crate) fn next_number(
    tx: &Transaction<'_>,
    prefix: &str,
    year: i32,
) -> Result<ReceiptNumber, StoreError> {
    // Check the prefix and year before touching the counter, so a bad
    // configuration cannot leave a counter row for a prefix that never prints.
    ReceiptNumber::new(prefix, year, 1)?;
    let sequence: i64 = tx
        .prepare_cached(
            "INSERT INTO counters (prefix, year, last_sequence) VALUES (?1, ?2, 1)
             ON CONFLICT (prefix, year) DO UPDATE SET last_sequence = last_sequence + 1
             RETURNING last_sequence",
        )?
        .query_row(rusqlite::params![prefix, year], |r| r.get(0))?;
    let sequence = u32::try_from(sequence)
        .ok()
        .filter(|s| *s <= MAX_SEQUENCE)
        .ok_or(NumberError::BadSequence(MAX_SEQUENCE))?;
    Ok(ReceiptNumber::new(prefix, year, sequence)?)
}

/// The last sequence handed out for `prefix` in `year`; 0 when none yet.
pub(crate) fn last_sequence(conn: &Connection, prefix: &str, year: i32) -> Result<u32, StoreError> {
    let last: Option<i64> = conn
        .prepare_cached("SELECT last_sequence FROM counters WHERE prefix = ?1 AND year = ?2")?
        .query_row(rusqlite::params![prefix, year], |r| r.get(0))
        .optional()?;
    Ok(last.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
}

impl Store {
    /// The last receipt sequence handed out for `prefix` in `year`, i.e. how
    /// many numbered records that year has; 0 when none yet.
    pub fn last_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError> {
        self.with_conn(|conn| last_sequence(conn, prefix, year))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::connection::open_memory;

    #[test]
    fn sequences_start_at_one_per_prefix_and_year() {
        let mut conn = open_memory().unwrap();
        let tx = conn.transaction().unwrap();
        let take = |p: &str, y: i32| next_number(&tx, p, y).unwrap().to_string();
        assert_eq!(take("KV1", 2026), "KV1-2026-000001");
        assert_eq!(take("KV1", 2026), "KV1-2026-000002");
        assert_eq!(take("KV1", 2027), "KV1-2027-000001");
        assert_eq!(take("KV2", 2026), "KV2-2026-000001");
        assert_eq!(last_sequence(&tx, "KV1", 2026).unwrap(), 2);
        assert_eq!(last_sequence(&tx, "KV1", 2030).unwrap(), 0);
    }

    #[test]
    fn a_bad_prefix_touches_no_counter() {
        let mut conn = open_memory().unwrap();
        let tx = conn.transaction().unwrap();
        assert!(matches!(
            next_number(&tx, "kv-1", 2026),
            Err(StoreError::Numbering(_))
        ));
        let rows: i64 = tx
            .query_row("SELECT count(*) FROM counters", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[test]
    fn a_full_year_is_refused_rather_than_printed_wider() {
        let mut conn = open_memory().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT INTO counters VALUES ('KV1', 2026, ?1)",
            [MAX_SEQUENCE],
        )
        .unwrap();
        assert!(matches!(
            next_number(&tx, "KV1", 2026),
            Err(StoreError::Numbering(_))
        ));
    }
}
