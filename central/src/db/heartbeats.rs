//! The `heartbeats` table: the last heartbeats of each kiosk, bounded.

use sqlx::{Any, Executor};

/// A heartbeat's fields, each as sent (absent ones are NULL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewHeartbeat {
    pub at: Option<String>,
    pub version: Option<String>,
    pub outbox_pending: Option<i64>,
    pub oldest_pending_at: Option<String>,
    pub printer: Option<String>,
    pub clock_trusted: Option<bool>,
    pub config_version: Option<String>,
    pub config_error: Option<String>,
    pub held: Option<i64>,
    pub rejected: Option<i64>,
}

pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    received_at: &str,
    h: &NewHeartbeat,
    raw: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO heartbeats (kiosk_id, received_at, at, version, outbox_pending, oldest_pending_at, printer,
             clock_trusted, config_version, config_error, held, rejected, raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(kiosk_id)
    .bind(received_at)
    .bind(h.at.as_deref())
    .bind(h.version.as_deref())
    .bind(h.outbox_pending)
    .bind(h.oldest_pending_at.as_deref())
    .bind(h.printer.as_deref())
    .bind(h.clock_trusted.map(super::flag))
    .bind(h.config_version.as_deref())
    .bind(h.config_error.as_deref())
    .bind(h.held)
    .bind(h.rejected)
    .bind(raw)
    .execute(e)
    .await?;
    Ok(())
}

/// Deletes a kiosk's heartbeats beyond the newest `keep`.
pub async fn prune<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    keep: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM heartbeats WHERE kiosk_id = $1 AND id <= (
             SELECT id FROM heartbeats WHERE kiosk_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
    )
    .bind(kiosk_id)
    .bind(keep)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}

/// How many heartbeats are kept for a kiosk, and the newest one's `at`.
pub async fn summary<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), MAX(received_at) FROM heartbeats WHERE kiosk_id = $1")
        .bind(kiosk_id)
        .fetch_one(e)
        .await
}
