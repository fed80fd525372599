//! The database layout, as numbered SQL migrations embedded in the binary.
//!
//! Migrations live in `migrations/NNN_name.sql`, each opening with a comment
//! on why it exists. They are only ever added, never edited once released:
//! the database's `user_version` records how many have run, and a kiosk in
//! the field upgrades by running the ones it has not seen.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::error::StoreError;

/// The SQL of every migration, in order. Append new ones at the end, here
/// and in [`MIGRATION_LIST`].
const MIGRATION_SQL: [&str; 7] = [
    include_str!("migrations/001_initial.sql"),
    include_str!("migrations/002_staff.sql"),
    include_str!("migrations/003_contract_1_1.sql"),
    include_str!("migrations/004_updates.sql"),
    include_str!("migrations/005_open_ratings.sql"),
    include_str!("migrations/006_check_code_registered.sql"),
    include_str!("migrations/007_identity_and_confirmed_prints.sql"),
];

/// Every migration, in order.
const MIGRATION_LIST: &[M<'static>] = &[
    M::up(MIGRATION_SQL[0]).foreign_key_check(),
    M::up(MIGRATION_SQL[1]).foreign_key_check(),
    M::up(MIGRATION_SQL[2]).foreign_key_check(),
    M::up(MIGRATION_SQL[3]).foreign_key_check(),
    M::up(MIGRATION_SQL[4]).foreign_key_check(),
    M::up(MIGRATION_SQL[5]).foreign_key_check(),
    M::up(MIGRATION_SQL[6]).foreign_key_check(),
];

/// The migrations as `rusqlite_migration` wants them.
pub(crate) const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_LIST);

/// Brings the database behind `conn` up to the latest layout, atomically.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    match MIGRATIONS.to_latest(conn) {
        Ok(()) => Ok(()),
        // The version is read before the migration's transaction starts, so
        // a second process opening a new database at the same moment may
        // find the tables already made by the first; then all is well.
        Err(_) if MIGRATIONS.pending_migrations(conn) == Ok(0) => Ok(()),
        Err(e) => Err(StoreError::from(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(MIGRATIONS.validate().is_ok(), "{:?}", MIGRATIONS.validate());
    }

    #[test]
    fn every_migration_says_why_it_exists() {
        assert_eq!(MIGRATION_SQL.len(), MIGRATION_LIST.len());
        for (i, m) in MIGRATION_SQL.iter().enumerate() {
            assert!(
                m.starts_with("-- "),
                "migration {} must open with a comment",
                i + 1
            );
        }
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATION_LIST.len() as i64);
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.pragma_update(None, "user_version", MIGRATION_LIST.len() as i64 + 1)
            .unwrap();
        assert!(matches!(migrate(&mut conn), Err(StoreError::TooNew)));
    }
}
