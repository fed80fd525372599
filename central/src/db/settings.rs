//! The `desk_settings` table: what an admin sets on the pages, as text
//! under a key (the low-rating alert's threshold).

use sqlx::{Any, Executor};

pub async fn get<'e>(
    e: impl Executor<'e, Database = Any>,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM desk_settings WHERE key = $1")
        .bind(key)
        .fetch_optional(e)
        .await?;
    Ok(row.map(|(v,)| v))
}

pub async fn set<'e>(
    e: impl Executor<'e, Database = Any>,
    key: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO desk_settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(e)
    .await?;
    Ok(())
}
