//! The counts behind staff summaries and reports.
//!
//! Ratings are read from the running tallies of migration 002 (one row per
//! day, service or desk or reason, and score), complaints from their own
//! rows; [`crate::domain::summary::SummaryBuilder`] adds them up. What is
//! counted is what the central system holds or will hold: records the
//! central system rejected are left out, and so are demonstration records
//! unless the caller asks for them.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Store;
use super::error::StoreError;
use crate::domain::record::ComplaintType;
use crate::domain::summary::{ComplaintFacts, DateRange, Summary, SummaryBuilder};

/// Which records a summary counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// Count demonstration records too (`kiosk demo-data`).
    pub include_demo: bool,
}

/// Records of a period outside what is counted, for the report's notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    /// Counted but not yet received by the central system.
    pub pending: u64,
    /// Rejected by the central system, so not counted.
    pub rejected: u64,
}

impl Store {
    /// The summary of `range`; "due soon" and "overdue" are reckoned from
    /// `today` over complaints filed at any time.
    pub fn summary(
        &self,
        range: DateRange,
        today: NaiveDate,
        scope: Scope,
    ) -> Result<Summary, StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            let out = build(&tx, range, today, scope)?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// How many records of `range` (ratings, complaints, staff calls) are
    /// still on their way, and how many were rejected.
    pub fn delivery_counts(
        &self,
        range: DateRange,
        scope: Scope,
    ) -> Result<DeliveryCounts, StoreError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT o.state, count(*) FROM records r JOIN outbox o ON o.record_id = r.id
                 WHERE r.local_date BETWEEN ?1 AND ?2 AND (r.demo = 0 OR ?3)
                   AND o.state IN ('pending', 'rejected')
                 GROUP BY o.state",
            )?;
            let mut counts = DeliveryCounts::default();
            let mut rows = stmt.query(params![
                range.from.to_string(),
                range.to.to_string(),
                scope.include_demo
            ])?;
            while let Some(row) = rows.next()? {
                let (state, n): (String, i64) = (row.get(0)?, row.get(1)?);
                let n = u64::try_from(n).unwrap_or(0);
                if state == "pending" {
                    counts.pending = n;
                } else {
                    counts.rejected = n;
                }
            }
            Ok(counts)
        })
    }
}

fn build(
    conn: &Connection,
    range: DateRange,
    today: NaiveDate,
    scope: Scope,
) -> Result<Summary, StoreError> {
    let (from, to) = (range.from.to_string(), range.to.to_string());
    let demo = scope.include_demo;
    let mut b = SummaryBuilder::new(range, today, demo);

    let mut stmt = conn.prepare_cached(
        "SELECT local_date, service, score, sum(n) FROM rating_tally_service
         WHERE local_date BETWEEN ?1 AND ?2 AND rejected = 0 AND (demo = 0 OR ?3)
         GROUP BY local_date, service, score HAVING sum(n) > 0",
    )?;
    let mut rows = stmt.query(params![from, to, demo])?;
    while let Some(row) = rows.next()? {
        let day: String = row.get(0)?;
        let day = parse_date(&day)?;
        let service: String = row.get(1)?;
        b.service_ratings(day, &service, score(row.get(2)?), count(row.get(3)?));
    }

    for (table, column) in [("rating_tally_desk", "desk"), ("rating_tally_reason", "reason")] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {column}, score, sum(n) FROM {table}
             WHERE local_date BETWEEN ?1 AND ?2 AND rejected = 0 AND (demo = 0 OR ?3)
             GROUP BY {column}, score HAVING sum(n) > 0"
        ))?;
        let mut rows = stmt.query(params![from, to, demo])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let (s, n) = (score(row.get(1)?), count(row.get(2)?));
            if column == "desk" {
                b.desk_ratings(&id, s, n);
            } else {
                b.reason(&id, s, n);
            }
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT r.complaint_type, r.category, r.due_date, r.answered_on,
                (SELECT group_concat(flag, ',') FROM record_flags f WHERE f.record_id = r.id)
         FROM records r LEFT JOIN outbox o ON o.record_id = r.id
         WHERE r.kind = 'complaint' AND r.local_date BETWEEN ?1 AND ?2
           AND (r.demo = 0 OR ?3) AND coalesce(o.state, '') <> 'rejected'",
    )?;
    let mut rows = stmt.query(params![from, to, demo])?;
    while let Some(row) = rows.next()? {
        let ctype: String = row.get(0)?;
        let flags: Option<String> = row.get(4)?;
        b.complaint(&ComplaintFacts {
            ctype: ComplaintType::parse(&ctype).ok_or_else(|| bad("complaint_type", &ctype))?,
            category: row.get(1)?,
            due_date: opt_date(row.get(2)?)?,
            answered_on: opt_date(row.get(3)?)?,
            flags: flags
                .map(|f| f.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
        });
    }

    let mut stmt = conn.prepare_cached(
        "SELECT r.due_date FROM records r LEFT JOIN outbox o ON o.record_id = r.id
         WHERE r.kind = 'complaint' AND r.due_date IS NOT NULL AND r.answered_on IS NULL
           AND (r.demo = 0 OR ?1) AND coalesce(o.state, '') <> 'rejected'",
    )?;
    let mut rows = stmt.query(params![demo])?;
    while let Some(row) = rows.next()? {
        let due: String = row.get(0)?;
        b.open_complaint(parse_date(&due)?);
    }

    let calls: i64 = conn.prepare_cached(
        "SELECT count(*) FROM records r LEFT JOIN outbox o ON o.record_id = r.id
         WHERE r.kind = 'staff_call' AND r.local_date BETWEEN ?1 AND ?2
           AND (r.demo = 0 OR ?3) AND coalesce(o.state, '') <> 'rejected'",
    )?
    .query_row(params![from, to, demo], |r| r.get(0))?;
    b.staff_calls(count(calls));
    Ok(b.finish())
}

fn score(v: i64) -> u8 {
    u8::try_from(v).unwrap_or(0)
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn bad(column: &str, value: &str) -> StoreError {
    StoreError::BadRow {
        id: String::new(),
        detail: format!("{column} {value:?}"),
    }
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    s.parse().map_err(|_| bad("date", s))
}

pub(crate) fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    s.as_deref().map(parse_date).transpose()
}
