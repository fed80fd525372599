//! The database: SQLite (one file, the default) or PostgreSQL, through
//! sqlx's Any driver, with the same schema and the same queries.
//!
//! Invariants: every write that the contract acknowledges runs in one
//! transaction begun with [`begin_write`] and is answered only after its
//! commit; SQLite runs in WAL mode with `synchronous = FULL` (sqlx's
//! default), so a commit is on disk. Queries live in one module per table;
//! placeholders are `$1`, which both drivers read.

pub mod audit;
pub mod complaint_events;
pub mod complaints;
pub mod config_versions;
pub mod heartbeats;
pub mod kiosks;
pub mod rating_tally;
pub mod ratings;
pub mod records;
pub mod register;
pub mod sessions;
pub mod settings;
pub mod staff_calls;
pub mod users;

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// A transaction on the pool.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Why the database cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database URL is neither sqlite:PATH nor postgres://...")]
    UnknownBackend,
    #[error("cannot make the directory {dir} for the database: {source}")]
    Directory { dir: String, source: std::io::Error },
    #[error("cannot open the database: {0}; check [database] url in central.toml")]
    Connect(#[source] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

/// The migrations, embedded so that the installed binary needs no files
/// beside it. Numbered, only ever added.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "intake",
        include_str!("../../migrations/sqlite/0001_intake.sql"),
    ),
    (
        2,
        "desk users",
        include_str!("../../migrations/sqlite/0002_desk_users.sql"),
    ),
    (
        3,
        "figures",
        include_str!("../../migrations/sqlite/0003_figures.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "intake",
        include_str!("../../migrations/postgres/0001_intake.sql"),
    ),
    (
        2,
        "desk users",
        include_str!("../../migrations/postgres/0002_desk_users.sql"),
    ),
    (
        3,
        "figures",
        include_str!("../../migrations/postgres/0003_figures.sql"),
    ),
];

fn migrator(backend: Backend) -> Migrator {
    let list = match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS,
        Backend::Postgres => POSTGRES_MIGRATIONS,
    };
    Migrator::with_migrations(
        list.iter()
            .map(|(version, name, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*name),
                    MigrationType::Simple,
                    sqlx::SqlSafeStr::into_sql_str(*sql),
                    false,
                )
            })
            .collect(),
    )
}

/// Opens the database at `url` with at most `max_connections`. A SQLite
/// file and its directory are made when missing; the file is switched to
/// WAL once (the mode is kept in the file).
pub async fn connect(url: &str, max_connections: u32) -> Result<AnyPool, DbError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url).ok_or(DbError::UnknownBackend)?;
    let url = match backend {
        Backend::Sqlite => {
            let file = url.trim_start_matches("sqlite:").trim_start_matches("//");
            if let Some(dir) = Path::new(file)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|source| DbError::Directory {
                    dir: dir.display().to_string(),
                    source,
                })?;
            }
            format!("sqlite://{file}?mode=rwc")
        }
        Backend::Postgres => url.to_string(),
    };
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect(&url)
        .await
        .map_err(DbError::Connect)?;
    if backend == Backend::Sqlite {
        pool.execute("PRAGMA journal_mode = WAL").await?;
    }
    Ok(pool)
}

/// Which database the pool is connected to.
pub fn backend(pool: &AnyPool) -> Backend {
    match pool.connect_options().database_url.scheme() {
        "sqlite" => Backend::Sqlite,
        _ => Backend::Postgres,
    }
}

/// Applies the migrations not yet applied.
pub async fn migrate(pool: &AnyPool) -> Result<(), DbError> {
    migrator(backend(pool)).run(pool).await?;
    Ok(())
}

/// A transaction that will write. SQLite takes the write lock at once
/// (`BEGIN IMMEDIATE`), so a transaction that reads first never fails
/// later on a lock another writer took in between; it waits instead
/// (sqlx's busy timeout, 5 s).
pub async fn begin_write(pool: &AnyPool) -> Result<Tx, sqlx::Error> {
    match backend(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
}

/// A consistent copy of a SQLite database into `out`, while it is in use
/// (`VACUUM INTO`).
pub async fn vacuum_into(pool: &AnyPool, out: &Path) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO $1")
        .bind(out.display().to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// Now, as the database keeps it: RFC 3339, UTC, milliseconds.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A yes/no as the schema keeps it.
pub fn flag(b: bool) -> i64 {
    i64::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_open_with_a_comment_on_why_and_match_in_number() {
        assert_eq!(SQLITE_MIGRATIONS.len(), POSTGRES_MIGRATIONS.len());
        for ((v1, n1, s1), (v2, n2, s2)) in SQLITE_MIGRATIONS.iter().zip(POSTGRES_MIGRATIONS) {
            assert_eq!((v1, n1), (v2, n2));
            assert!(s1.starts_with("-- Why:") && s2.starts_with("-- Why:"));
        }
    }

    #[tokio::test]
    async fn migrations_apply_to_a_fresh_sqlite_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}/sub/c.db", dir.path().display());
        let pool = connect(&url, 2).await.unwrap();
        migrate(&pool).await.unwrap();
        migrate(&pool).await.unwrap();
        assert_eq!(backend(&pool), Backend::Sqlite);
        let mode: (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode.0, "wal");
    }
}
