//! The `records` table: every record taken, once per (kiosk, record id).

use sqlx::{Any, Executor};

/// The envelope of a record as stored.
#[derive(Debug, Clone)]
pub struct NewRecord<'a> {
    pub kiosk_id: &'a str,
    pub record_id: String,
    pub kind: &'static str,
    pub number: Option<String>,
    pub created_at: String,
    pub clock_trusted: bool,
    pub sent_at: Option<&'a str>,
    pub received_at: &'a str,
    pub raw: &'a str,
}

/// Inserts the record unless (kiosk, id) is held already; true when it
/// was new.
pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    r: &NewRecord<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO records (kiosk_id, record_id, kind, number, created_at, clock_trusted, sent_at, received_at, raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (kiosk_id, record_id) DO NOTHING",
    )
    .bind(r.kiosk_id)
    .bind(&r.record_id)
    .bind(r.kind)
    .bind(r.number.as_deref())
    .bind(&r.created_at)
    .bind(super::flag(r.clock_trusted))
    .bind(r.sent_at)
    .bind(r.received_at)
    .bind(r.raw)
    .execute(e)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The record as first received, if held.
pub async fn raw<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    record_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT raw FROM records WHERE kiosk_id = $1 AND record_id = $2")
            .bind(kiosk_id)
            .bind(record_id)
            .fetch_optional(e)
            .await?;
    Ok(row.map(|r| r.0))
}

/// How many records a kiosk delivered (all kiosks with `None`).
pub async fn count<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let row: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM records WHERE $1 IS NULL OR kiosk_id = $1")
            .bind(kiosk_id)
            .fetch_one(e)
            .await?;
    Ok(row.0)
}
