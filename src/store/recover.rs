//! `kiosk db recover`: copies what can be read of a damaged database into
//! a new file, and says what was lost.
//!
//! The damaged file is only read (through a connection that cannot write)
//! and is kept. Rows are copied table by table: tables with row ids are
//! walked by row id, and when a damaged page stops the walk it resumes
//! after the gap, so one bad page costs only the rows on it; the tables
//! keyed by record (personal data, flags, rating reasons) are read record
//! by record. Every value is copied as stored; text that is not valid
//! UTF-8 is copied with replacement characters and counted. Each row goes
//! through the new file's constraints, so a row damaged into nonsense is
//! left out (and counted) rather than copied.
//!
//! A record whose queue entry was lost is queued again: the central system
//! deduplicates on the record id, so it arrives once, and a complaint is
//! never left behind. The receipt counter of the new file is set to the
//! highest number found anywhere: the counters, the numbers of the records
//! copied, the number index of the damaged file (which may hold numbers
//! whose records are lost), the floors, and a scan of the file's and its
//! write-ahead log's raw bytes for a complaint's number. So no number on a
//! visitor's slip is handed out again, even if its record could not be
//! saved; those numbers are listed as lost.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};

use super::check::{self, open_for_reading, sibling};
use super::connection::{self, Create};
use super::error::StoreError;
use crate::domain::numbering::{MAX_SEQUENCE, ReceiptNumber};

/// Errors noted per table at most; the counts are complete.
const MAX_NOTED: usize = 20;
/// Gaps skipped per table before giving up on the rest of it.
const MAX_GAPS: usize = 10_000;

/// What was copied of one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    pub copied: u64,
    /// Rows read but refused by the new file (damaged into nonsense, or
    /// pointing at a record that was lost).
    pub refused: u64,
    /// Places where reading failed; the rows there are lost.
    pub unreadable: u64,
    /// The first problems, for the report.
    pub notes: Vec<String>,
}

impl TableCopy {
    fn note(&mut self, what: String) {
        if self.notes.len() < MAX_NOTED {
            self.notes.push(what);
        }
    }
}

/// The highest sequence found for one prefix and year, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HighestFound {
    pub prefix: String,
    pub year: i32,
    pub sequence: u32,
    /// Where the highest came from: counter, records, index, floor, raw bytes.
    pub source: &'static str,
}

/// Records counted by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub ratings: u64,
    pub complaints: u64,
    pub staff_calls: u64,
    /// Rows whose kind could not be read.
    pub other: u64,
}

impl KindCounts {
    pub fn total(&self) -> u64 {
        self.ratings + self.complaints + self.staff_calls + self.other
    }

    fn add(&mut self, kind: Option<&Value>) {
        match kind {
            Some(Value::Text(k)) if k == "rating" => self.ratings += 1,
            Some(Value::Text(k)) if k == "complaint" => self.complaints += 1,
            Some(Value::Text(k)) if k == "staff_call" => self.staff_calls += 1,
            _ => self.other += 1,
        }
    }

    /// `self` less `saved`, kind by kind.
    pub fn minus(&self, saved: &KindCounts) -> KindCounts {
        KindCounts {
            ratings: self.ratings.saturating_sub(saved.ratings),
            complaints: self.complaints.saturating_sub(saved.complaints),
            staff_calls: self.staff_calls.saturating_sub(saved.staff_calls),
            other: self.other.saturating_sub(saved.other),
        }
    }
}

/// What `recover` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoverReport {
    /// The new database.
    pub written: PathBuf,
    /// Whether the damaged file could be opened by SQLite at all (after
    /// mending its header if that was the damage).
    pub readable: bool,
    /// Whether the first 100 bytes had to be mended to read anything.
    pub header_mended: bool,
    pub tables: Vec<TableCopy>,
    /// Records copied whose queue entry was lost: queued again.
    pub requeued: u64,
    /// Values whose text was not valid UTF-8, copied with replacement
    /// characters.
    pub text_repaired: u64,
    /// The receipt counters of the new file.
    pub highest: Vec<HighestFound>,
    /// Receipt numbers seen in the damaged file whose records could not be
    /// copied. They stay taken.
    pub lost_numbers: Vec<String>,
    /// Records known to be in the damaged file: every row read, and every
    /// receipt number whose row could not be read (a complaint).
    pub found: KindCounts,
    /// Records copied into the new file.
    pub saved: KindCounts,
    /// Places in the damaged `records` table that could not be read: the
    /// records there are lost and cannot be counted.
    pub records_unreadable: u64,
    /// Records waiting for the central system: in the damaged file (when
    /// its queue could be counted) and in the new one.
    pub pending_found: Option<u64>,
    pub pending_saved: u64,
    /// Receipt numbers of the rows read, copied or not.
    read_numbers: BTreeSet<String>,
}

impl RecoverReport {
    /// Whether the new file holds every record the damaged one was seen to
    /// hold, with what the visitors wrote and how to reach them: only then
    /// may it take the damaged one's place. A complaint whose text was on
    /// an unreadable page is a complaint lost, though its number survives.
    pub fn complete(&self) -> bool {
        self.readable
            && self.records_unreadable == 0
            && self.saved == self.found
            && self.pending_found.is_none_or(|n| self.pending_saved >= n)
            && self
                .tables
                .iter()
                .filter(|t| t.table == "personal_data")
                .all(|t| t.refused + t.unreadable == 0)
    }

    /// Rows of every table that did not make it.
    pub fn rows_lost(&self) -> u64 {
        self.tables.iter().map(|t| t.refused + t.unreadable).sum()
    }
}

/// Copies what can be read of the database at `damaged` into a new file at
/// `out` (which must not exist), made for the kiosk `kiosk`. `damaged` is
/// never written. Whether the copy may take the damaged file's place is
/// [`RecoverReport::complete`].
pub fn recover(
    damaged: &Path,
    out: &Path,
    kiosk: Option<&str>,
) -> Result<RecoverReport, StoreError> {
    if out.exists() {
        return Err(StoreError::CreateFile {
            path: out.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a file is in the way; give another --out or move it",
            ),
        });
    }
    // Nothing is read through SQLite, nor a scratch copy made, on a full disk.
    super::space::ensure_room(out)?;
    super::space::ensure_room(damaged)?;
    let mut report = RecoverReport {
        written: out.to_path_buf(),
        ..RecoverReport::default()
    };
    // A scratch copy with a mended header, if the header is the damage.
    let mut scratch: Option<PathBuf> = None;
    let src = match readable(damaged) {
        Some(conn) => Some(conn),
        None => match mend_header(damaged, out)? {
            Some(copy) => {
                let conn = readable(&copy);
                report.header_mended = conn.is_some();
                scratch = Some(copy);
                conn
            }
            None => None,
        },
    };
    report.readable = src.is_some();
    let (dest, _) = connection::open_file(out, Create::IfMissing, kiosk)?;
    let result = copy_all(src.as_ref(), &dest, damaged, &mut report);
    drop(src);
    if let Some(copy) = scratch {
        let _ = std::fs::remove_file(copy);
    }
    result?;
    dest.close().map_err(|(_, e)| StoreError::from(e))?;
    check::check_file(out)?;
    Ok(report)
}

/// A reading connection to `path` if SQLite can read its schema.
fn readable(path: &Path) -> Option<Connection> {
    let conn = open_for_reading(path).ok()?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .ok()?;
    Some(conn)
}

/// Every table, in an order that keeps references valid.
fn copy_all(
    src: Option<&Connection>,
    dest: &Connection,
    damaged: &Path,
    report: &mut RecoverReport,
) -> Result<(), StoreError> {
    dest.execute_batch("BEGIN IMMEDIATE")?;
    let mut highest: BTreeMap<(String, i32), (u32, &'static str)> = BTreeMap::new();
    if let Some(src) = src {
        let records = copy_records(src, dest, report, &mut highest)?;
        for table in ["personal_data", "record_flags", "rating_reasons"] {
            copy_per_record(src, dest, table, &records, report)?;
        }
        copy_outbox(src, dest, report)?;
        for table in [
            "print_jobs",
            "staff_audit",
            "staff_lockout",
            "central_answers",
        ] {
            copy_by_rowid(src, dest, table, report, |_, _| {}, |_, _| {})?;
        }
        numbers_from_counters(src, &mut highest);
        numbers_from_index(src, &mut highest, &records, report);
        numbers_from_audit(src, &mut highest);
        report.pending_found = src
            .query_row(
                "SELECT count(*) FROM outbox WHERE state = 'pending'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .ok()
            .and_then(|n| u64::try_from(n).ok());
    }
    let mut raw = BTreeSet::new();
    numbers_from_raw_bytes(damaged, &mut highest, &mut raw);
    numbers_from_raw_bytes(&sibling(damaged, "-wal"), &mut highest, &mut raw);
    if src.is_none() {
        // Nothing could be read: the complaints' numbers in the raw bytes
        // are the only count of what was there.
        report.found.complaints = report.found.complaints.max(raw.len() as u64);
        report.lost_numbers.extend(raw.iter().cloned());
    }
    report.requeued = dest.execute(
        "INSERT INTO outbox (record_id, last_error)
         SELECT id, 'queued again by kiosk db recover: its queue entry was lost' FROM records
         WHERE id NOT IN (SELECT record_id FROM outbox)",
        [],
    )? as u64;
    for ((prefix, year), (sequence, source)) in highest {
        if sequence == 0 {
            continue;
        }
        dest.execute(
            "INSERT INTO counters (prefix, year, last_sequence) VALUES (?1, ?2, ?3)
             ON CONFLICT (prefix, year) DO UPDATE SET last_sequence = max(last_sequence, excluded.last_sequence)",
            rusqlite::params![prefix, year, sequence],
        )?;
        dest.execute(
            "INSERT INTO number_floors (prefix, year, highest, source, updated_ms)
             VALUES (?1, ?2, ?3, 'recover', ?4)
             ON CONFLICT (prefix, year) DO UPDATE SET highest = max(highest, excluded.highest)",
            rusqlite::params![
                prefix,
                year,
                sequence,
                chrono::Utc::now().timestamp_millis()
            ],
        )?;
        report.highest.push(HighestFound {
            prefix,
            year,
            sequence,
            source,
        });
    }
    report.pending_saved = dest
        .query_row(
            "SELECT count(*) FROM outbox WHERE state = 'pending'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .ok()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0);
    dest.execute_batch("COMMIT")?;
    Ok(())
}

/// The columns `table` has in both files, in the new file's order.
fn shared_columns(src: &Connection, dest: &Connection, table: &str) -> Vec<String> {
    let names = |c: &Connection| -> Vec<String> {
        let Ok(mut stmt) = c.prepare(&format!("PRAGMA table_info({table})")) else {
            return Vec::new();
        };
        stmt.query_map([], |r| r.get::<_, String>(1))
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    };
    let theirs = names(src);
    names(dest)
        .into_iter()
        .filter(|c| theirs.contains(c))
        .collect()
}

/// The columns to copy of `table` and its empty tally; `None` (noted in
/// the report) when the damaged file's layout of it cannot be read.
fn start_copy(
    src: &Connection,
    dest: &Connection,
    table: &'static str,
    report: &mut RecoverReport,
) -> Option<(Vec<String>, TableCopy)> {
    let columns = shared_columns(src, dest, table);
    let mut copy = TableCopy {
        table,
        ..TableCopy::default()
    };
    if columns.is_empty() {
        copy.note(format!("{table}: its layout cannot be read"));
        copy.unreadable += 1;
        report.tables.push(copy);
        return None;
    }
    Some((columns, copy))
}

/// A stored value as it can be written again; damaged text is mended with
/// replacement characters (and counted).
fn owned(v: ValueRef<'_>, repaired: &mut u64) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Value::Text(s.to_owned()),
            Err(_) => {
                *repaired += 1;
                Value::Text(String::from_utf8_lossy(t).into_owned())
            }
        },
    }
}

/// Copies `table` by row id, resuming after unreadable gaps. Each row's
/// values (the row id first, then `shared_columns` order) go through
/// `before` on the way in, and to `copied` once the new file took them.
fn copy_by_rowid(
    src: &Connection,
    dest: &Connection,
    table: &'static str,
    report: &mut RecoverReport,
    mut before: impl FnMut(&[String], &mut [Value]),
    mut copied: impl FnMut(&[String], &[Value]),
) -> Result<(), StoreError> {
    let Some((columns, mut copy)) = start_copy(src, dest, table, report) else {
        return Ok(());
    };
    let list = columns.join(", ");
    let select = format!("SELECT rowid, {list} FROM {table} WHERE rowid >= ?1 ORDER BY rowid");
    let insert = format!(
        "INSERT INTO {table} (rowid, {list}) VALUES ({})",
        vec!["?"; columns.len() + 1].join(", ")
    );
    let mut next = i64::MIN;
    let mut gaps = 0;
    'walk: loop {
        let walked = (|| -> Result<bool, rusqlite::Error> {
            let mut stmt = src.prepare(&select)?;
            let mut rows = stmt.query([next])?;
            while let Some(row) = rows.next()? {
                let rowid: i64 = row.get(0)?;
                let mut values = Vec::with_capacity(columns.len() + 1);
                values.push(Value::Integer(rowid));
                for i in 0..columns.len() {
                    values.push(owned(row.get_ref(i + 1)?, &mut report.text_repaired));
                }
                next = rowid.saturating_add(1);
                before(&columns, &mut values);
                match dest.execute(&insert, params_from_iter(values.iter())) {
                    Ok(_) => {
                        copy.copied += 1;
                        copied(&columns, &values);
                    }
                    Err(e) => {
                        copy.refused += 1;
                        copy.note(format!("{table} row {rowid}: refused ({e})"));
                    }
                }
                if rowid == i64::MAX {
                    return Ok(true);
                }
            }
            Ok(true)
        })();
        match walked {
            Ok(_) => break 'walk,
            Err(e) => {
                copy.unreadable += 1;
                copy.note(format!("{table} after row {}: {e}", next.saturating_sub(1)));
                gaps += 1;
                match next_readable_rowid(src, table, next) {
                    Some(after) if gaps < MAX_GAPS => next = after,
                    _ => break 'walk,
                }
            }
        }
    }
    report.tables.push(copy);
    Ok(())
}

/// The value of `column` in a row's `values` (row id first).
fn column<'v>(columns: &[String], values: &'v [Value], column: &str) -> Option<&'v Value> {
    let i = columns.iter().position(|c| c == column)?;
    values.get(i + 1)
}

/// The first row id above a damaged place that can be read, probing
/// further and further on.
fn next_readable_rowid(src: &Connection, table: &str, from: i64) -> Option<i64> {
    let sql = format!("SELECT rowid FROM {table} WHERE rowid >= ?1 ORDER BY rowid LIMIT 1");
    let mut step: i64 = 1;
    for _ in 0..64 {
        let probe = from.saturating_add(step);
        match src.query_row(&sql, [probe], |r| r.get::<_, i64>(0)) {
            Ok(rowid) => {
                // The rows between `from` and `rowid` may be readable one by
                // one; the walk resumes at the first of them that is.
                return Some(first_single(src, table, from, rowid).unwrap_or(rowid));
            }
            Err(rusqlite::Error::QueryReturnedNoRows) => return None,
            Err(_) => {}
        }
        step = step.saturating_mul(2);
        if probe == i64::MAX {
            return None;
        }
    }
    None
}

/// The first row id in `from..to` that reads on its own, trying at most a
/// few hundred.
fn first_single(src: &Connection, table: &str, from: i64, to: i64) -> Option<i64> {
    let sql = format!("SELECT rowid FROM {table} WHERE rowid = ?1");
    (from.saturating_add(1)..to)
        .take(256)
        .find(|id| src.query_row(&sql, [id], |r| r.get::<_, i64>(0)).is_ok())
}

/// Copies `records`; returns the ids copied. Numbers seen count towards
/// the counters.
fn copy_records(
    src: &Connection,
    dest: &Connection,
    report: &mut RecoverReport,
    highest: &mut BTreeMap<(String, i32), (u32, &'static str)>,
) -> Result<BTreeSet<String>, StoreError> {
    let mut ids = BTreeSet::new();
    let mut found = KindCounts::default();
    let mut saved = KindCounts::default();
    let mut read_numbers = BTreeSet::new();
    copy_by_rowid(
        src,
        dest,
        "records",
        report,
        |columns, values| {
            found.add(column(columns, values, "kind"));
            if let Some(Value::Text(n)) = column(columns, values, "number") {
                read_numbers.insert(n.clone());
            }
        },
        |columns, values| {
            saved.add(column(columns, values, "kind"));
            if let Some(Value::Text(id)) = column(columns, values, "id") {
                ids.insert(id.clone());
            }
            if let Some(Value::Text(n)) = column(columns, values, "number") {
                note_number(highest, n, "records");
            }
        },
    )?;
    report.found = found;
    report.saved = saved;
    report.records_unreadable = report
        .tables
        .iter()
        .filter(|t| t.table == "records")
        .map(|t| t.unreadable)
        .sum();
    report.read_numbers = read_numbers;
    Ok(ids)
}

/// Copies a table keyed by record id, one record at a time.
fn copy_per_record(
    src: &Connection,
    dest: &Connection,
    table: &'static str,
    records: &BTreeSet<String>,
    report: &mut RecoverReport,
) -> Result<(), StoreError> {
    let Some((columns, mut copy)) = start_copy(src, dest, table, report) else {
        return Ok(());
    };
    let list = columns.join(", ");
    let select = format!("SELECT {list} FROM {table} WHERE record_id = ?1");
    let insert = format!(
        "INSERT INTO {table} ({list}) VALUES ({})",
        vec!["?"; columns.len()].join(", ")
    );
    for id in records {
        let read = (|| -> Result<Vec<Vec<Value>>, rusqlite::Error> {
            let mut stmt = src.prepare_cached(&select)?;
            let mut rows = stmt.query([id])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let mut values = Vec::with_capacity(columns.len());
                for i in 0..columns.len() {
                    values.push(owned(row.get_ref(i)?, &mut report.text_repaired));
                }
                out.push(values);
            }
            Ok(out)
        })();
        match read {
            Ok(rows) => {
                for values in rows {
                    match dest.execute(&insert, params_from_iter(values.iter())) {
                        Ok(_) => copy.copied += 1,
                        Err(e) => {
                            copy.refused += 1;
                            copy.note(format!("{table} of record {id}: refused ({e})"));
                        }
                    }
                }
            }
            Err(e) => {
                copy.unreadable += 1;
                copy.note(format!("{table} of record {id}: {e}"));
            }
        }
    }
    report.tables.push(copy);
    Ok(())
}

/// Copies the outbox. Rows go in as pending and are then set to their
/// state, so the rating tallies follow a rejection as they do in use.
fn copy_outbox(
    src: &Connection,
    dest: &Connection,
    report: &mut RecoverReport,
) -> Result<(), StoreError> {
    let mut states: Vec<(i64, String)> = Vec::new();
    copy_by_rowid(
        src,
        dest,
        "outbox",
        report,
        |columns, values| {
            let Some(i) = columns.iter().position(|c| c == "state") else {
                return;
            };
            if let (Some(Value::Integer(rowid)), Some(state)) =
                (values.first().cloned(), values.get_mut(i + 1))
            {
                if let Value::Text(s) = state
                    && s != "pending"
                {
                    states.push((rowid, s.clone()));
                }
                *state = Value::Text("pending".into());
            }
        },
        |_, _| {},
    )?;
    for (rowid, state) in states {
        // A state the new file refuses leaves the record pending: sent
        // again, which the central system's deduplication makes harmless.
        let _ = dest.execute(
            "UPDATE outbox SET state = ?2 WHERE id = ?1",
            rusqlite::params![rowid, state],
        );
    }
    Ok(())
}

/// Notes receipt number `text` (if it is one) in `highest`.
fn note_number(
    highest: &mut BTreeMap<(String, i32), (u32, &'static str)>,
    text: &str,
    source: &'static str,
) {
    if let Ok(n) = text.parse::<ReceiptNumber>() {
        note(highest, n.prefix(), n.year(), n.sequence(), source);
    }
}

fn note(
    highest: &mut BTreeMap<(String, i32), (u32, &'static str)>,
    prefix: &str,
    year: i32,
    sequence: u32,
    source: &'static str,
) {
    if ReceiptNumber::new(prefix, year, sequence.max(1)).is_err() || sequence > MAX_SEQUENCE {
        return;
    }
    let entry = highest
        .entry((prefix.to_owned(), year))
        .or_insert((0, source));
    if sequence > entry.0 {
        *entry = (sequence, source);
    }
}

fn numbers_from_counters(
    src: &Connection,
    highest: &mut BTreeMap<(String, i32), (u32, &'static str)>,
) {
    for (table, column, source) in [
        ("counters", "last_sequence", "counter"),
        ("number_floors", "highest", "floor"),
    ] {
        let sql = format!("SELECT prefix, year, {column} FROM {table}");
        let Ok(mut stmt) = src.prepare(&sql) else {
            continue;
        };
        let Ok(mut rows) = stmt.query([]) else {
            continue;
        };
        while let Ok(Some(row)) = rows.next() {
            let prefix = row
                .get_ref(0)
                .ok()
                .and_then(|v| v.as_str().ok().map(str::to_owned));
            let year = row
                .get::<_, i64>(1)
                .ok()
                .and_then(|y| i32::try_from(y).ok());
            let seq = row
                .get::<_, i64>(2)
                .ok()
                .and_then(|s| u32::try_from(s).ok());
            if let (Some(p), Some(y), Some(s)) = (prefix, year, seq) {
                note(highest, &p, y, s, source);
            }
        }
    }
}

/// Numbers in the damaged file's index on `records.number`: it may hold
/// numbers whose table rows are lost. Those are listed as lost.
fn numbers_from_index(
    src: &Connection,
    highest: &mut BTreeMap<(String, i32), (u32, &'static str)>,
    copied: &BTreeSet<String>,
    report: &mut RecoverReport,
) {
    let copied_numbers: BTreeSet<String> = {
        let Ok(mut stmt) = src.prepare("SELECT id, number FROM records WHERE number IS NOT NULL")
        else {
            return;
        };
        let mut set = BTreeSet::new();
        if let Ok(mut rows) = stmt.query([]) {
            while let Ok(Some(row)) = rows.next() {
                let id = row
                    .get_ref(0)
                    .ok()
                    .and_then(|v| v.as_str().ok().map(str::to_owned));
                let n = row
                    .get_ref(1)
                    .ok()
                    .and_then(|v| v.as_str().ok().map(str::to_owned));
                if let (Some(id), Some(n)) = (id, n)
                    && copied.contains(&id)
                {
                    set.insert(n);
                }
            }
        }
        set
    };
    // A covering scan of the index: it reads the index, not the table.
    let mut after = String::new();
    for _ in 0..MAX_GAPS {
        let walked = (|| -> Result<(), rusqlite::Error> {
            let mut stmt = src.prepare(
                "SELECT number FROM records INDEXED BY sqlite_autoindex_records_2
                 WHERE number > ?1 ORDER BY number",
            )?;
            let mut rows = stmt.query([&after])?;
            while let Some(row) = rows.next()? {
                let Some(n) = row.get_ref(0)?.as_str().ok().map(str::to_owned) else {
                    continue;
                };
                note_number(highest, &n, "index");
                if !copied_numbers.contains(&n) && n.parse::<ReceiptNumber>().is_ok() {
                    if !report.read_numbers.contains(&n) {
                        // A numbered record whose row could not be read.
                        report.found.complaints += 1;
                    }
                    report.lost_numbers.push(n.clone());
                }
                after = n;
            }
            Ok(())
        })();
        if walked.is_ok() {
            return;
        }
        // Past the damaged index page: the next possible number.
        after.push('\u{0}');
    }
}

/// Receipt numbers named in the audit trail ("KV1-2026-000042 answered").
fn numbers_from_audit(
    src: &Connection,
    highest: &mut BTreeMap<(String, i32), (u32, &'static str)>,
) {
    let Ok(mut stmt) = src.prepare("SELECT detail FROM staff_audit") else {
        return;
    };
    let Ok(mut rows) = stmt.query([]) else {
        return;
    };
    while let Ok(Some(row)) = rows.next() {
        if let Ok(ValueRef::Text(t)) = row.get_ref(0) {
            for n in numbers_in(t, b"") {
                note(highest, &n.0, n.1, n.2, "audit trail");
            }
        }
    }
}

/// Scans the raw bytes of `path` (the damaged file, its log) for a
/// complaint's stored number: the text `complaint` right before it, as in
/// a `records` row. Visitors' own text cannot raise the counter this way.
fn numbers_from_raw_bytes(
    path: &Path,
    highest: &mut BTreeMap<(String, i32), (u32, &'static str)>,
    seen: &mut BTreeSet<String>,
) {
    let Ok(mut file) = std::fs::File::open(path) else {
        return;
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return;
    }
    const CHUNK: usize = 1 << 20;
    const OVERLAP: usize = 64;
    let mut buf = vec![0u8; CHUNK + OVERLAP];
    let mut kept = 0;
    loop {
        let Some(space) = buf.get_mut(kept..) else {
            return;
        };
        let n = match file.read(space) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let filled = kept + n;
        let window = buf.get(..filled).unwrap_or_default();
        for (prefix, year, seq) in numbers_in(window, b"complaint") {
            note(highest, &prefix, year, seq, "raw bytes");
            if let Ok(n) = ReceiptNumber::new(&prefix, year, seq) {
                seen.insert(n.to_string());
            }
        }
        // Keep the tail, so a number across two reads is still found.
        kept = filled.min(OVERLAP);
        buf.copy_within(filled - kept..filled, 0);
    }
}

/// Every `PREFIX-YYYY-NNNNNN` in `bytes` right after `before`.
fn numbers_in(bytes: &[u8], before: &[u8]) -> Vec<(String, i32, u32)> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(rest) = bytes.get(i..) {
        let Some(pos) = rest
            .windows(before.len().max(1))
            .position(|w| before.is_empty() || w == before)
        else {
            break;
        };
        let start = i + pos + before.len();
        i = start.max(i + 1);
        // Without a marker, a number starts a word: "XKV1-..." is not one.
        if before.is_empty()
            && start > 0
            && bytes
                .get(start - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric())
        {
            continue;
        }
        // The prefix: 1-8 of A-Z0-9, starting with a letter, then "-".
        let tail = bytes.get(start..).unwrap_or_default();
        let plen = tail
            .iter()
            .take(9)
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .count();
        if plen == 0 || plen > 8 {
            continue;
        }
        let Some(candidate) = tail.get(..plen + 12) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(candidate) else {
            continue;
        };
        if let Ok(n) = text.parse::<ReceiptNumber>() {
            found.push((n.prefix().to_owned(), n.year(), n.sequence()));
        }
    }
    found
}

/// A copy of `damaged` beside `out` with a sound header in place of its
/// first 100 bytes, when those are what is damaged; `None` when the file
/// is too short to be worth it or its first page still cannot be read.
fn mend_header(damaged: &Path, out: &Path) -> Result<Option<PathBuf>, StoreError> {
    let Ok(bytes) = std::fs::read(damaged) else {
        return Ok(None);
    };
    if bytes.len() < 1024 {
        return Ok(None);
    }
    let page_size = guess_page_size(&bytes);
    let mut header = [0u8; 100];
    header[..16].copy_from_slice(b"SQLite format 3\0");
    let ps = if page_size == 65_536 {
        1
    } else {
        page_size as u16
    };
    header[16..18].copy_from_slice(&ps.to_be_bytes());
    header[18] = 2; // WAL
    header[19] = 2;
    header[21] = 64;
    header[22] = 32;
    header[23] = 32;
    let pages = u32::try_from(bytes.len() / page_size).unwrap_or(u32::MAX);
    header[24..28].copy_from_slice(&1u32.to_be_bytes()); // change counter
    header[28..32].copy_from_slice(&pages.to_be_bytes());
    header[40..44].copy_from_slice(&1u32.to_be_bytes()); // schema cookie
    header[44..48].copy_from_slice(&4u32.to_be_bytes()); // schema format
    header[56..60].copy_from_slice(&1u32.to_be_bytes()); // UTF-8
    header[92..96].copy_from_slice(&1u32.to_be_bytes()); // valid for
    header[96..100].copy_from_slice(&3_045_000u32.to_be_bytes());
    let mut mended = bytes;
    if let Some(first) = mended.get_mut(..100) {
        first.copy_from_slice(&header);
    }
    let copy = out.with_file_name(format!(
        ".{}.mended-{}",
        out.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    if let Err(source) = std::fs::write(&copy, &mended) {
        let _ = std::fs::remove_file(&copy);
        return Err(StoreError::CreateFile { path: copy, source });
    }
    Ok(Some(copy))
}

/// The page size: the smallest power of two at which page 2 starts like a
/// b-tree page.
fn guess_page_size(bytes: &[u8]) -> usize {
    let header_size = bytes
        .get(16..18)
        .and_then(|b| <[u8; 2]>::try_from(b).ok())
        .map(u16::from_be_bytes)
        .map(|n| if n == 1 { 65_536 } else { usize::from(n) })
        .filter(|n| (512..=65_536).contains(n) && n.is_power_of_two());
    if let Some(n) = header_size {
        return n;
    }
    (9..=16)
        .map(|shift| 1usize << shift)
        .find(|size| {
            matches!(bytes.get(*size), Some(0x02 | 0x05 | 0x0a | 0x0d))
                && bytes.len().is_multiple_of(*size)
        })
        .unwrap_or(4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_only_after_the_marker() {
        let bytes =
            b"xxcomplaintKV1-2026-000042\x192026-11-23 KV1-2026-999999 complaintKV1-2026-00004";
        assert_eq!(
            numbers_in(bytes, b"complaint"),
            vec![("KV1".to_owned(), 2026, 42)]
        );
        assert_eq!(numbers_in(b"answered KV1-2026-000007 on", b"").len(), 1);
    }

    #[test]
    fn the_page_size_is_guessed_from_the_second_page() {
        let mut bytes = vec![0u8; 8192];
        bytes[4096] = 0x0d;
        assert_eq!(guess_page_size(&bytes), 4096);
    }
}
