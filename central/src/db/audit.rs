//! The `audit` table: who did what, only ever appended.

use sqlx::{Any, Executor};

/// Appends one entry; `details` is JSON.
pub async fn append<'e>(
    e: impl Executor<'e, Database = Any>,
    actor: &str,
    action: &str,
    target: &str,
    details: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit (at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(super::now_text())
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(details.to_string())
    .execute(e)
    .await?;
    Ok(())
}

/// An audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub details: String,
}

/// The entries about `target`, oldest first.
pub async fn of_target<'e>(
    e: impl Executor<'e, Database = Any>,
    target: &str,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT at, actor, action, target, details FROM audit WHERE target = $1 ORDER BY id",
    )
    .bind(target)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, target, details)| AuditRow {
            at,
            actor,
            action,
            target,
            details,
        })
        .collect())
}

/// The newest entries with an id below `before` (all when `None`), newest
/// first, at most `limit`; with the id of each, for the next page.
pub async fn recent<'e>(
    e: impl Executor<'e, Database = Any>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, AuditRow)>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, at, actor, action, target, details FROM audit
         WHERE ($1 IS NULL OR id < $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(e)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, at, actor, action, target, details)| {
            (
                id,
                AuditRow {
                    at,
                    actor,
                    action,
                    target,
                    details,
                },
            )
        })
        .collect())
}
