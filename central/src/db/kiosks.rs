//! The `kiosks` table: which kiosks may deliver, with their token's hash.

use sqlx::{Any, Executor};

/// A kiosk as `kiosk-central kiosk list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskRow {
    pub id: String,
    pub added_at: String,
    pub revoked_at: Option<String>,
}

/// Adds a kiosk, or gives a known one a new token (and lifts a revocation).
pub async fn upsert<'e>(
    e: impl Executor<'e, Database = Any>,
    id: &str,
    token_hash: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO kiosks (id, token_hash, added_at) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL",
    )
    .bind(id)
    .bind(token_hash)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn list<'e>(e: impl Executor<'e, Database = Any>) -> Result<Vec<KioskRow>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT id, added_at, revoked_at FROM kiosks ORDER BY id")
            .fetch_all(e)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, added_at, revoked_at)| KioskRow {
            id,
            added_at,
            revoked_at,
        })
        .collect())
}

/// Revokes a kiosk's token; false when there is no such kiosk or it was
/// revoked already.
pub async fn revoke<'e>(
    e: impl Executor<'e, Database = Any>,
    id: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE kiosks SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(e)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Every kiosk that may deliver, with its token hash.
pub async fn active<'e>(
    e: impl Executor<'e, Database = Any>,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, token_hash FROM kiosks WHERE revoked_at IS NULL")
        .fetch_all(e)
        .await
}

pub async fn exists<'e>(
    e: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM kiosks WHERE id = $1")
        .bind(id)
        .fetch_optional(e)
        .await?;
    Ok(row.is_some())
}
