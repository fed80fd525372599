//! The `users` table: the people who open the registry desk's pages, their
//! role, their password's Argon2id hash and their lockout state.

// Queries composed from constants only (a column list, the register's
// SELECT), never from a request: safe to assert.
use sqlx::{Any, AssertSqlSafe, Executor};

/// A person as the desk knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

type Row = (
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    i64,
    String,
);

const COLUMNS: &str =
    "id, name, role, password_hash, failed_logins, locked_until, disabled, created_at";

fn from_row(r: Row) -> User {
    let (id, name, role, password_hash, failed_logins, locked_until, disabled, created_at) = r;
    User {
        id,
        name,
        role,
        password_hash,
        failed_logins,
        locked_until,
        disabled: disabled != 0,
        created_at,
    }
}

/// Adds a person, or gives a known one a new role and password (and
/// unlocks them). Returns true when the person is new.
pub async fn upsert<'e>(
    e: impl Executor<'e, Database = Any> + Copy,
    name: &str,
    role: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE users SET role = $2, password_hash = $3, failed_logins = 0, locked_until = NULL,
             disabled = 0 WHERE name = $1",
    )
    .bind(name)
    .bind(role)
    .bind(password_hash)
    .execute(e)
    .await?;
    if updated.rows_affected() > 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(name)
    .bind(role)
    .bind(password_hash)
    .bind(super::now_text())
    .execute(e)
    .await?;
    Ok(true)
}

pub async fn by_name<'e>(
    e: impl Executor<'e, Database = Any>,
    name: &str,
) -> Result<Option<User>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE name = $1"
    )))
    .bind(name)
    .fetch_optional(e)
    .await?;
    Ok(row.map(from_row))
}

pub async fn by_id<'e>(
    e: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<User>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(e)
    .await?;
    Ok(row.map(from_row))
}

/// Everyone, by name.
pub async fn all<'e>(e: impl Executor<'e, Database = Any>) -> Result<Vec<User>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users ORDER BY name"
    )))
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Counts one more wrong password; locks the account until `lock_until`
/// when this makes `limit` in a row. Returns true when it locked.
pub async fn record_failure<'e>(
    e: impl Executor<'e, Database = Any> + Copy,
    id: i64,
    limit: i64,
    lock_until: &str,
) -> Result<bool, sqlx::Error> {
    let (failed,): (i64,) = sqlx::query_as(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(id)
    .fetch_one(e)
    .await?;
    if failed < limit {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET locked_until = $2, failed_logins = 0 WHERE id = $1")
        .bind(id)
        .bind(lock_until)
        .execute(e)
        .await?;
    Ok(true)
}

/// A right password: the count of wrong ones starts again.
pub async fn record_success<'e>(
    e: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// An admin lifts a lockout.
pub async fn unlock<'e>(e: impl Executor<'e, Database = Any>, id: i64) -> Result<(), sqlx::Error> {
    record_success(e, id).await
}

/// Disables or enables an account; a disabled person cannot log in.
pub async fn set_disabled<'e>(
    e: impl Executor<'e, Database = Any>,
    id: i64,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
        .bind(id)
        .bind(super::flag(disabled))
        .execute(e)
        .await?;
    Ok(())
}
