//! The `complaint_events` table: what happened to a complaint. The id is
//! the cursor of `updates` and only grows.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::Backend;

/// An event as it is stored and sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub registry_number: Option<String>,
    pub registered_on: Option<String>,
    pub answered_on: Option<String>,
    pub new_due_date: Option<String>,
    pub reason: Option<String>,
    pub told_on: Option<String>,
    pub not_examined_reason: Option<String>,
    pub actor: String,
    pub at: String,
}

/// On PostgreSQL, event ids are taken under a table lock held to commit,
/// so that a reader never sees id 6 committed before id 5 (it would move
/// its cursor past 5 and never see it). SQLite writers are serial anyway.
pub async fn lock_for_insert(tx: &mut super::Tx, backend: Backend) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("LOCK TABLE complaint_events IN EXCLUSIVE MODE")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    ev: &Event,
) -> Result<i64, sqlx::Error> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO complaint_events (number, status, registry_number, registered_on, answered_on, new_due_date,
             reason, told_on, not_examined_reason, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(&ev.number)
    .bind(&ev.status)
    .bind(ev.registry_number.as_deref())
    .bind(ev.registered_on.as_deref())
    .bind(ev.answered_on.as_deref())
    .bind(ev.new_due_date.as_deref())
    .bind(ev.reason.as_deref())
    .bind(ev.told_on.as_deref())
    .bind(ev.not_examined_reason.as_deref())
    .bind(&ev.actor)
    .bind(&ev.at)
    .fetch_one(e)
    .await?;
    Ok(row.0)
}

impl sqlx::FromRow<'_, AnyRow> for Event {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Event {
            id: row.try_get("id")?,
            number: row.try_get("number")?,
            status: row.try_get("status")?,
            registry_number: row.try_get("registry_number")?,
            registered_on: row.try_get("registered_on")?,
            answered_on: row.try_get("answered_on")?,
            new_due_date: row.try_get("new_due_date")?,
            reason: row.try_get("reason")?,
            told_on: row.try_get("told_on")?,
            not_examined_reason: row.try_get("not_examined_reason")?,
            actor: row.try_get("actor")?,
            at: row.try_get("at")?,
        })
    }
}

/// Events about `kiosk_id`'s complaints after event `since`, oldest first,
/// at most `limit`.
pub async fn for_kiosk_since<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    since: i64,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ev.id, ev.number, ev.status, ev.registry_number, ev.registered_on, ev.answered_on,
                ev.new_due_date, ev.reason, ev.told_on, ev.not_examined_reason, ev.actor, ev.at
         FROM complaint_events ev JOIN complaints c ON c.number = ev.number
         WHERE c.kiosk_id = $1 AND ev.id > $2
         ORDER BY ev.id LIMIT $3",
    )
    .bind(kiosk_id)
    .bind(since)
    .bind(limit)
    .fetch_all(e)
    .await
}

/// Every event about `number`, oldest first.
pub async fn of_number<'e>(
    e: impl Executor<'e, Database = Any>,
    number: &str,
) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, number, status, registry_number, registered_on, answered_on, new_due_date, reason,
                told_on, not_examined_reason, actor, at
         FROM complaint_events WHERE number = $1 ORDER BY id",
    )
    .bind(number)
    .fetch_all(e)
    .await
}
