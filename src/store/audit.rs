//! The staff audit trail and the persisted PIN lockout.
//!
//! Every staff action leaves one `staff_audit` row: when, what, how it
//! ended and a short detail (a period, a receipt number, a file name).
//! Invariant: no PIN, hash or personal data is ever written here; callers
//! pass only those plain details.
//!
//! The lockout is one row: wrong PINs in a row and when the last one was
//! typed. It lives in the database so that pulling the plug does not give
//! someone guessing PINs five fresh tries.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::error::StoreError;
use crate::clock::local_time;

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Ok,
    /// Not allowed: wrong PIN, locked out, session expired.
    Refused,
    /// Allowed but it did not work (no USB stick, printer off).
    Failed,
}

impl AuditOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Refused => "refused",
            AuditOutcome::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "ok" => AuditOutcome::Ok,
            "refused" => AuditOutcome::Refused,
            _ => AuditOutcome::Failed,
        }
    }
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339 in Europe/Sofia.
    pub at: String,
    pub action: String,
    pub outcome: AuditOutcome,
    pub detail: String,
}

/// Wrong PINs in a row, as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockoutRecord {
    pub failures: u32,
    pub last_failure: Option<DateTime<Utc>>,
}

impl Store {
    /// Writes one audit row.
    pub fn audit(
        &self,
        at: DateTime<Utc>,
        action: &str,
        outcome: AuditOutcome,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "INSERT INTO staff_audit (at_ms, at, action, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                at.timestamp_millis(),
                local_time(at).to_rfc3339(),
                action,
                outcome.as_str(),
                detail
            ])?;
            Ok(())
        })
    }

    /// The newest `limit` audit rows, newest first.
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, at, action, outcome, detail FROM staff_audit ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                let outcome: String = r.get(3)?;
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    action: r.get(2)?,
                    outcome: AuditOutcome::parse(&outcome),
                    detail: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// The stored count of wrong PINs.
    pub fn lockout(&self) -> Result<LockoutRecord, StoreError> {
        self.with_conn(|conn| {
            let found: Option<(i64, Option<i64>)> = conn
                .query_row(
                    "SELECT failures, last_failure_ms FROM staff_lockout WHERE id = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            Ok(
                found.map_or_else(LockoutRecord::default, |(f, ms)| LockoutRecord {
                    failures: u32::try_from(f).unwrap_or(u32::MAX),
                    last_failure: ms.and_then(DateTime::from_timestamp_millis),
                }),
            )
        })
    }

    /// Stores the count of wrong PINs (zero after a right one).
    pub fn set_lockout(&self, record: LockoutRecord) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.execute(
                "INSERT INTO staff_lockout (id, failures, last_failure_ms) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET failures = ?1, last_failure_ms = ?2",
                params![
                    i64::from(record.failures),
                    record.last_failure.map(|t| t.timestamp_millis())
                ],
            )?;
            Ok(())
        })
    }
}
