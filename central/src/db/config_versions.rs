//! The `config_versions` table: configuration fragments per kiosk, every
//! version kept; the newest is the one sent.

use sqlx::{Any, Executor};

pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    version: &str,
    toml: &str,
    saved_by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO config_versions (kiosk_id, version, toml, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(kiosk_id)
    .bind(version)
    .bind(toml)
    .bind(super::now_text())
    .bind(saved_by)
    .execute(e)
    .await?;
    Ok(())
}

/// The newest version for a kiosk: (version, toml).
pub async fn latest<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, toml FROM config_versions WHERE kiosk_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(kiosk_id)
    .fetch_optional(e)
    .await
}

pub async fn version_exists<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    version: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM config_versions WHERE kiosk_id = $1 AND version = $2")
            .bind(kiosk_id)
            .bind(version)
            .fetch_optional(e)
            .await?;
    Ok(row.is_some())
}
