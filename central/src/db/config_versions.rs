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

/// A stored version as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub version: String,
    pub saved_at: String,
    pub saved_by: String,
}

/// Every version of a kiosk's configuration, newest first.
pub async fn history<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
) -> Result<Vec<Version>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT version, saved_at, saved_by FROM config_versions WHERE kiosk_id = $1 ORDER BY id DESC",
    )
    .bind(kiosk_id)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(version, saved_at, saved_by)| Version {
            version,
            saved_at,
            saved_by,
        })
        .collect())
}

/// One version's TOML.
pub async fn toml_of<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    version: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT toml FROM config_versions WHERE kiosk_id = $1 AND version = $2")
            .bind(kiosk_id)
            .bind(version)
            .fetch_optional(e)
            .await?;
    Ok(row.map(|(t,)| t))
}
