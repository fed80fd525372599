//! Receipt-number counters: one row per (prefix, year) holding the last
//! sequence handed out, and the floors below which no number is given.
//!
//! Invariants:
//! * the counter only moves inside the transaction that writes the
//!   numbered record; if that transaction fails or the power goes, the bump
//!   is rolled back with it, so the sequence has no gaps of its own making;
//! * a new number is above the counter, above every number stored in
//!   `records` (read through the `UNIQUE` index on `number`) and above the
//!   floor in `number_floors` (the central system's `highest_numbers`,
//!   `kiosk init --next-number`, `kiosk db recover`). A counter row damaged
//!   or restored from an old copy therefore cannot make a number repeat:
//!   the numbers themselves, or the central system, still say how far the
//!   sequence went. Jumping over numbers is allowed; repeating one is not;
//! * floors only ever rise.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Store;
use super::error::StoreError;
use crate::domain::numbering::{MAX_SEQUENCE, ReceiptNumber};

/// Numbers a ceiling from the central system must leave free in its year.
/// A kiosk hands out a few thousand receipt numbers a year; a central
/// system that says fewer than this are left (999998, 999999) is wrong, and
/// taking its word would stop every complaint until the new year.
pub const CENTRAL_HEADROOM: u32 = 1_000;

/// Whether a ceiling of `highest` from the central system leaves too little
/// room in its year to be taken (see [`CENTRAL_HEADROOM`]).
pub fn leaves_no_room(highest: u32) -> bool {
    highest > MAX_SEQUENCE - CENTRAL_HEADROOM
}

/// Where a floor came from, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloorSource {
    /// `highest_numbers` in the central system's updates.
    Central,
    /// `kiosk init --next-number`.
    Init,
    /// The highest number `kiosk db recover` found in the damaged file.
    Recover,
}

impl FloorSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FloorSource::Central => "central",
            FloorSource::Init => "init",
            FloorSource::Recover => "recover",
        }
    }
}

/// Takes the next receipt number for `prefix` in `year`: one above the
/// highest of the counter, the stored numbers and the floor.
/// Must run in the transaction that stores the numbered record.
pub(crate) fn next_number(
    tx: &Transaction<'_>,
    prefix: &str,
    year: i32,
) -> Result<ReceiptNumber, StoreError> {
    // Check the prefix and year before touching the counter, so a bad
    // configuration cannot leave a counter row for a prefix that never prints.
    ReceiptNumber::new(prefix, year, 1)?;
    let known = floor(tx, prefix, year)?.max(highest_stored(tx, prefix, year)?);
    let sequence: i64 = tx
        .prepare_cached(
            "INSERT INTO counters (prefix, year, last_sequence) VALUES (?1, ?2, ?3 + 1)
             ON CONFLICT (prefix, year) DO UPDATE SET last_sequence = max(last_sequence, ?3) + 1
             RETURNING last_sequence",
        )?
        .query_row(params![prefix, year, known], |r| r.get(0))?;
    let sequence = u32::try_from(sequence)
        .ok()
        .filter(|s| *s <= MAX_SEQUENCE)
        .ok_or_else(|| StoreError::YearFull {
            prefix: prefix.to_owned(),
            year,
        })?;
    Ok(ReceiptNumber::new(prefix, year, sequence)?)
}

/// The last sequence handed out for `prefix` in `year`; 0 when none yet.
pub(crate) fn last_sequence(conn: &Connection, prefix: &str, year: i32) -> Result<u32, StoreError> {
    let last: Option<i64> = conn
        .prepare_cached("SELECT last_sequence FROM counters WHERE prefix = ?1 AND year = ?2")?
        .query_row(params![prefix, year], |r| r.get(0))
        .optional()?;
    Ok(last.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
}

/// The floor for `prefix` in `year`; 0 when there is none.
fn floor(conn: &Connection, prefix: &str, year: i32) -> Result<u32, StoreError> {
    let highest: Option<i64> = conn
        .prepare_cached("SELECT highest FROM number_floors WHERE prefix = ?1 AND year = ?2")?
        .query_row(params![prefix, year], |r| r.get(0))
        .optional()?;
    Ok(highest.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
}

/// The highest sequence of `prefix`-`year` stored in `records`, read
/// through the index on `number`; 0 when none. A damaged entry that does
/// not read as a number is passed over.
fn highest_stored(conn: &Connection, prefix: &str, year: i32) -> Result<u32, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT number FROM records WHERE number BETWEEN ?1 AND ?2 ORDER BY number DESC LIMIT 16",
    )?;
    let mut rows = stmt.query(params![
        format!("{prefix}-{year}-000000"),
        format!("{prefix}-{year}-999999")
    ])?;
    while let Some(row) = rows.next()? {
        let text = match row.get_ref(0)? {
            rusqlite::types::ValueRef::Text(b) => String::from_utf8_lossy(b).into_owned(),
            _ => continue,
        };
        if let Ok(n) = text.parse::<ReceiptNumber>()
            && n.prefix() == prefix
            && n.year() == year
        {
            return Ok(n.sequence());
        }
    }
    Ok(0)
}

/// The sequence the next number of `prefix` in `year` would get.
pub(crate) fn next_sequence(conn: &Connection, prefix: &str, year: i32) -> Result<u32, StoreError> {
    let known = last_sequence(conn, prefix, year)?
        .max(floor(conn, prefix, year)?)
        .max(highest_stored(conn, prefix, year)?);
    Ok(known.saturating_add(1))
}

impl Store {
    /// The last receipt sequence handed out for `prefix` in `year`, i.e. how
    /// many numbered records that year has; 0 when none yet.
    pub fn last_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError> {
        self.with_conn(|conn| last_sequence(conn, prefix, year))
    }

    /// The sequence the next receipt of `prefix` in `year` will have.
    pub fn next_sequence(&self, prefix: &str, year: i32) -> Result<u32, StoreError> {
        self.with_conn(|conn| next_sequence(conn, prefix, year))
    }

    /// Makes sure no number of `prefix` in `year` at or below `highest` is
    /// ever handed out. Floors only rise; returns whether this one did.
    /// Refuses a prefix, year or sequence no receipt can have, and a
    /// ceiling from the central system that leaves fewer than
    /// [`CENTRAL_HEADROOM`] numbers in the year
    /// ([`StoreError::CeilingRefused`]): numbering then goes on as before.
    pub fn raise_number_floor(
        &self,
        prefix: &str,
        year: i32,
        highest: u32,
        source: FloorSource,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        ReceiptNumber::new(prefix, year, highest.max(1))?;
        if source == FloorSource::Central && leaves_no_room(highest) {
            return Err(StoreError::CeilingRefused {
                prefix: prefix.to_owned(),
                year,
                highest,
            });
        }
        self.with_tx(|tx| {
            let changed = tx
                .prepare_cached(
                    "INSERT INTO number_floors (prefix, year, highest, source, updated_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (prefix, year) DO UPDATE
                         SET highest = excluded.highest, source = excluded.source,
                             updated_ms = excluded.updated_ms
                         WHERE excluded.highest > number_floors.highest",
                )?
                .execute(params![
                    prefix,
                    year,
                    highest,
                    source.as_str(),
                    at.timestamp_millis()
                ])?;
            Ok(changed > 0)
        })
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
        let err = next_number(&tx, "KV1", 2026).unwrap_err();
        assert!(matches!(err, StoreError::YearFull { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("KV1-2026"), "{text}");
        assert!(!text.contains("receipt_prefix"), "{text}");
    }

    #[test]
    fn a_central_ceiling_that_leaves_no_room_is_refused_and_numbering_goes_on() {
        let store = Store::open_in_memory().unwrap();
        let now = Utc::now();
        for highest in [999_998, 999_999] {
            let err = store
                .raise_number_floor("KV1", 2026, highest, FloorSource::Central, now)
                .unwrap_err();
            let text = err.to_string();
            assert!(text.contains(&format!("KV1-2026-{highest}")), "{text}");
            assert!(text.contains("central system"), "{text}");
            assert!(!text.contains("receipt_prefix"), "{text}");
        }
        assert_eq!(store.next_sequence("KV1", 2026).unwrap(), 1);
        assert!(
            store
                .raise_number_floor("KV1", 2026, 41, FloorSource::Central, now)
                .unwrap()
        );
        assert_eq!(store.next_sequence("KV1", 2026).unwrap(), 42);
    }

    #[test]
    fn a_floor_lifts_the_next_number_and_never_falls() {
        let store = Store::open_in_memory().unwrap();
        let now = Utc::now();
        assert_eq!(store.next_sequence("KV1", 2026).unwrap(), 1);
        assert!(
            store
                .raise_number_floor("KV1", 2026, 57, FloorSource::Central, now)
                .unwrap()
        );
        assert!(
            !store
                .raise_number_floor("KV1", 2026, 12, FloorSource::Central, now)
                .unwrap()
        );
        assert_eq!(store.next_sequence("KV1", 2026).unwrap(), 58);
        let n = store.with_tx(|tx| next_number(tx, "KV1", 2026)).unwrap();
        assert_eq!(n.to_string(), "KV1-2026-000058");
        assert!(
            store
                .raise_number_floor("KV1", 2030, 999_999 + 1, FloorSource::Central, now)
                .is_err()
        );
    }

    #[test]
    fn a_counter_set_back_cannot_repeat_a_stored_number() {
        use crate::clock::ManualClock;
        use crate::store::fixtures::{complaint, context, submission};
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap();
        for _ in 0..5 {
            store
                .submit(submission(complaint()), &context(&clock))
                .unwrap();
        }
        // What a damaged or old counter row would say.
        store
            .with_conn(|c| Ok(c.execute("UPDATE counters SET last_sequence = 1", [])?))
            .unwrap();
        let next = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        assert_eq!(next.number.unwrap().sequence(), 6);
        store
            .with_conn(|c| Ok(c.execute("DELETE FROM counters", [])?))
            .unwrap();
        let next = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        assert_eq!(next.number.unwrap().sequence(), 7);
    }
}
