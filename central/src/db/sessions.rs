//! The `sessions` table: who is logged in. Only the SHA-256 of a session
//! id is kept; the id itself lives in the person's cookie.

use sqlx::{Any, Executor};

/// A live session and the person it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf: String,
    pub last_seen_at: String,
    pub expires_at: String,
}

pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    s: &Session,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(&s.id_hash)
    .bind(s.user_id)
    .bind(&s.csrf)
    .bind(&s.last_seen_at)
    .bind(&s.expires_at)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn by_hash<'e>(
    e: impl Executor<'e, Database = Any>,
    id_hash: &str,
) -> Result<Option<Session>, sqlx::Error> {
    let row: Option<(String, i64, String, String, String)> = sqlx::query_as(
        "SELECT id_hash, user_id, csrf, last_seen_at, expires_at FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(e)
    .await?;
    Ok(row.map(
        |(id_hash, user_id, csrf, last_seen_at, expires_at)| Session {
            id_hash,
            user_id,
            csrf,
            last_seen_at,
            expires_at,
        },
    ))
}

pub async fn touch<'e>(
    e: impl Executor<'e, Database = Any>,
    id_hash: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(now)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn delete<'e>(
    e: impl Executor<'e, Database = Any>,
    id_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(e)
        .await?;
    Ok(())
}

/// Ends every session of a person (a new password, a disabled account).
pub async fn delete_of_user<'e>(
    e: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(e)
        .await?;
    Ok(())
}

/// Forgets sessions that ended before `now` (expired or idle since
/// `idle_before`), so the table does not grow.
pub async fn purge<'e>(
    e: impl Executor<'e, Database = Any>,
    now: &str,
    idle_before: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
        .bind(now)
        .bind(idle_before)
        .execute(e)
        .await?;
    Ok(done.rows_affected())
}
