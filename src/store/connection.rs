//! Opening the database: the one place every connection goes through.
//!
//! Invariants for every connection, file or memory:
//! * `journal_mode=WAL` (file databases): a reader never blocks the writer,
//!   and a crash mid-write leaves the last committed state intact;
//! * `synchronous=FULL`: a commit is on the disk before it returns, so a
//!   receipt number shown to a visitor survives a power cut;
//! * `foreign_keys=ON`: no outbox row or print job without its record;
//! * `secure_delete=ON`: erased personal data is overwritten, not just
//!   unlinked from the page;
//! * a busy timeout, so a second process briefly holding the lock makes a
//!   submission wait instead of fail;
//! * the schema migrated to the latest version.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::error::StoreError;
use super::schema;

/// How long a statement waits for another connection's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the database file at `path`, with its parent
/// folders, configured and migrated.
pub(crate) fn open_file(path: &Path) -> Result<Connection, StoreError> {
    create_parent_dirs(path)?;
    create_private_file(path)?;
    let mut conn = Connection::open(path).map_err(|e| StoreError::opening(path, e))?;
    prefer_immediate(&mut conn);
    configure(&conn).map_err(|e| StoreError::opening(path, e))?;
    let mode = enable_wal(&conn).map_err(|e| StoreError::opening(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::NoWal {
            path: path.to_path_buf(),
            mode,
        });
    }
    schema::migrate(&mut conn)?;
    Ok(conn)
}

/// Switches the file to write-ahead logging and returns the journal mode in
/// force. The switch needs the file to itself for a moment, and SQLite
/// reports "busy" at once rather than waiting, so this waits here, up to
/// [`BUSY_TIMEOUT`], for another process doing the same.
fn enable_wal(conn: &Connection) -> Result<String, rusqlite::Error> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            result => return result,
        }
    }
}

/// Opens a private in-memory database, configured and migrated. It vanishes
/// with the connection; for tests and demonstrations.
pub(crate) fn open_memory() -> Result<Connection, StoreError> {
    let mut conn = Connection::open_in_memory()?;
    prefer_immediate(&mut conn);
    configure(&conn)?;
    schema::migrate(&mut conn)?;
    Ok(conn)
}

/// Sets the per-connection options listed in the module documentation,
/// except the journal mode, which only a file database can take.
fn configure(conn: &Connection) -> Result<(), rusqlite::Error> {
    // First, so that the pragmas below wait for a lock too.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

/// Makes `BEGIN` take the write lock at once on this connection, so that
/// transactions which read then write (migrations too) never fail half-way
/// when another connection writes first.
fn prefer_immediate(conn: &mut Connection) {
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
}

fn create_parent_dirs(path: &Path) -> Result<(), StoreError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// Creates the database file readable by its owner only, if it does not
/// exist yet. SQLite gives the -wal and -shm files the same permissions, so
/// the personal data in them is private too.
#[cfg(unix)]
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.exists() {
        return Ok(());
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map(drop)
        .map_err(|source| StoreError::CreateFile {
            path: path.to_path_buf(),
            source,
        })
}

#[cfg(not(unix))]
fn create_private_file(_path: &Path) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pragma<T: rusqlite::types::FromSql>(conn: &Connection, name: &str) -> T {
        conn.pragma_query_value(None, name, |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_fresh_file_connection_has_every_safety_setting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        drop(open_file(&path).unwrap());
        let conn = open_file(&path).unwrap();
        assert_eq!(pragma::<String>(&conn, "journal_mode"), "wal");
        assert_eq!(pragma::<i64>(&conn, "synchronous"), 2, "FULL is 2");
        assert_eq!(pragma::<i64>(&conn, "foreign_keys"), 1);
        assert_eq!(pragma::<i64>(&conn, "secure_delete"), 1);
        assert_eq!(
            pragma::<i64>(&conn, "busy_timeout"),
            BUSY_TIMEOUT.as_millis() as i64
        );
    }

    #[test]
    fn a_memory_connection_has_the_same_settings_except_wal() {
        let conn = open_memory().unwrap();
        assert_eq!(pragma::<i64>(&conn, "synchronous"), 2);
        assert_eq!(pragma::<i64>(&conn, "foreign_keys"), 1);
        assert_eq!(
            pragma::<i64>(&conn, "busy_timeout"),
            BUSY_TIMEOUT.as_millis() as i64
        );
    }

    #[test]
    fn processes_starting_together_on_a_new_database_all_open_it() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("kiosk.db");
            let start = std::sync::Barrier::new(4);
            std::thread::scope(|s| {
                let opens: Vec<_> = (0..4)
                    .map(|_| {
                        s.spawn(|| {
                            start.wait();
                            open_file(&path).map(drop)
                        })
                    })
                    .collect();
                for open in opens {
                    let result = open.join().unwrap();
                    assert!(result.is_ok(), "{result:?}");
                }
            });
        }
    }

    #[test]
    fn creates_missing_parent_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("nested").join("kiosk.db");
        open_file(&path).unwrap();
        assert!(path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_database_file_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        open_file(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "mode {mode:o} lets others read personal data"
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_as_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let err = open_file(&path).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(err.is_permanent());
    }

    #[test]
    fn a_folder_in_the_way_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, b"a file where a folder should be").unwrap();
        let err = open_file(&blocker.join("kiosk.db")).unwrap_err();
        assert!(matches!(err, StoreError::CreateDir { .. }), "{err}");
        assert!(err.to_string().contains("data"));
    }
}
