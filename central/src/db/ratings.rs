//! The `ratings` table: one row per rating record, as the kiosk sent it,
//! with its instant in UTC (`at_utc`) for the last hour's alert.

use kiosk_rules::domain::record::Rating;
use sqlx::{Any, Executor};

pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    record_id: &str,
    r: &Rating,
    created_at: &str,
    clock_trusted: bool,
    at_utc: Option<&str>,
) -> Result<(), sqlx::Error> {
    let reasons = serde_json::to_string(&r.reasons).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO ratings (kiosk_id, record_id, score, service, desk, reasons, comment, lang, created_at, clock_trusted, at_utc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(kiosk_id)
    .bind(record_id)
    .bind(i64::from(r.score))
    .bind(r.service.as_deref())
    .bind(r.desk.as_deref())
    .bind(reasons)
    .bind(&r.comment)
    .bind(r.lang.code())
    .bind(created_at)
    .bind(super::flag(clock_trusted))
    .bind(at_utc)
    .execute(e)
    .await?;
    Ok(())
}
