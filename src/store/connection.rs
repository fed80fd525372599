//! Opening the database: the one place every connection goes through.
//!
//! A database file is made only on purpose ([`Create::IfMissing`]: `kiosk
//! init`, or `[storage] create = true`); everything else opens an existing
//! one and refuses, naming the path, when it is missing or empty. Before
//! any connection that can write, the file is checked (`check.rs`: header
//! and `PRAGMA quick_check`), so a damaged database is never written to.
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

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::check::{self, FileState};
use super::error::StoreError;
use super::{identity, schema};

/// How long a statement waits for another connection's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether opening may make a new database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// Only an existing database: a missing or empty file is an error.
    Never,
    /// Make the file (and its folders) when it is missing or empty.
    IfMissing,
}

/// Opens the database file at `path`, checked, configured and migrated;
/// with [`Create::IfMissing`] makes it first if it does not exist.
/// `kiosk` is the `[kiosk] id` in use, when known: a database naming
/// another kiosk is refused, a new one is stamped with it.
/// Returns the connection and whether the file was new.
pub(crate) fn open_file(
    path: &Path,
    create: Create,
    kiosk: Option<&str>,
) -> Result<(Connection, bool), StoreError> {
    let new = match (check::inspect(path)?, create) {
        (FileState::Present, _) => false,
        (FileState::Missing, Create::Never) => {
            // A log left beside it says more than "missing": what to do
            // before `kiosk init` can help.
            refuse_leftover_log(path)?;
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        // Never made into a database, not even by `init`: an empty file
        // where the database should be is most often a copy that failed,
        // and a new database would hand out the old one's numbers again.
        (FileState::Empty, _) => {
            return Err(StoreError::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        (FileState::Missing, Create::IfMissing) => {
            refuse_leftover_log(path)?;
            create_new(path, kiosk)?
        }
    };
    // Before SQLite maps anything (see `space`).
    super::space::ensure_writable(path)?;
    super::space::ensure_room(path)?;
    check::check_file(path)?;
    let verdict = identity::judge(&check::open_for_reading(path)?, path, kiosk)?;
    // Never SQLITE_OPEN_CREATE: a file that vanished since the check must
    // not come back empty.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn =
        Connection::open_with_flags(path, flags).map_err(|e| StoreError::opening(path, e))?;
    prefer_immediate(&mut conn);
    configure(&conn).map_err(|e| StoreError::opening(path, e))?;
    let mode = enable_wal(&conn).map_err(|e| StoreError::opening(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::NoWal {
            path: path.to_path_buf(),
            mode,
        });
    }
    // SQLite holds the `-shm` file now, before anything is written (see
    // `space`).
    super::space::fill_index_holes(path)?;
    schema::migrate(&mut conn)?;
    if verdict == identity::Verdict::Unstamped {
        tracing::info!(database = %path.display(), "a kiosk database made before databases named their kiosk: stamped with its identity");
    }
    identity::stamp(&conn, kiosk)?;
    Ok((conn, new))
}

/// Refuses to make a database where a write-ahead log of an earlier one is
/// still beside it: SQLite would play the old log into the new file and
/// damage it at once. Only the technician can tell whether the old
/// database was moved (and must come back) or is gone.
fn refuse_leftover_log(path: &Path) -> Result<(), StoreError> {
    let wal = check::sibling(path, "-wal");
    // The log first: another process making the database at this moment
    // links the file into place before its log appears.
    if std::fs::symlink_metadata(&wal).is_err() || path.exists() {
        return Ok(());
    }
    Err(StoreError::LeftoverLog {
        path: path.to_path_buf(),
        wal,
        shm: check::sibling(path, "-shm"),
    })
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
    identity::stamp(&conn, None)?;
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

/// Makes a complete, migrated database beside `path` and moves it into
/// place, so that no other process ever sees a half-made file. Returns
/// `false` when another process created the database meanwhile (its file
/// is kept).
fn create_new(path: &Path, kiosk: Option<&str>) -> Result<bool, StoreError> {
    create_parent_dirs(path)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(format!(
        ".{name}.new-{}-{}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    ));
    let made = build(&temp, kiosk).and_then(|()| {
        // A hard link never replaces: whoever links first made the database.
        let placed = match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(_) if !path.exists() => std::fs::rename(&temp, path).map(|()| true),
            Err(e) => Err(e),
        };
        placed.map_err(|source| StoreError::CreateFile {
            path: path.to_path_buf(),
            source,
        })
    });
    let _ = std::fs::remove_file(&temp);
    made
}

/// A new database at `temp`: private, in WAL mode, migrated, stamped with
/// the kiosk's identity, closed.
fn build(temp: &Path, kiosk: Option<&str>) -> Result<(), StoreError> {
    create_private_file(temp)?;
    let mut conn = Connection::open(temp).map_err(|e| StoreError::opening(temp, e))?;
    prefer_immediate(&mut conn);
    configure(&conn).map_err(|e| StoreError::opening(temp, e))?;
    enable_wal(&conn).map_err(|e| StoreError::opening(temp, e))?;
    schema::migrate(&mut conn)?;
    identity::stamp(&conn, kiosk)?;
    conn.close()
        .map_err(|(_, e)| StoreError::opening(temp, e))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(check::sibling(temp, suffix));
    }
    Ok(())
}

/// Creates a new file readable by its owner only. SQLite gives the -wal and
/// -shm files the same permissions, so the personal data in them is
/// private too.
#[cfg(unix)]
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
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

    fn create(path: &Path) -> Result<Connection, StoreError> {
        open_file(path, Create::IfMissing, None).map(|(conn, _)| conn)
    }

    fn pragma<T: rusqlite::types::FromSql>(conn: &Connection, name: &str) -> T {
        conn.pragma_query_value(None, name, |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_fresh_file_connection_has_every_safety_setting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        drop(create(&path).unwrap());
        let (conn, new) = open_file(&path, Create::Never, None).unwrap();
        assert!(!new);
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
                            create(&path).map(drop)
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
        create(&path).unwrap();
        assert!(path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_database_file_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        create(&path).unwrap();
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
        let err = create(&path).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert!(err.is_permanent());
    }

    #[test]
    fn a_folder_in_the_way_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, b"a file where a folder should be").unwrap();
        let err = create(&blocker.join("kiosk.db")).unwrap_err();
        assert!(matches!(err, StoreError::CreateDir { .. }), "{err}");
        assert!(err.to_string().contains("data"));
    }

    #[test]
    fn a_missing_file_without_create_or_an_empty_one_is_refused_and_nothing_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("kiosk.db");
        let err = open_file(&path, Create::Never, None).unwrap_err();
        assert!(matches!(err, StoreError::Missing { .. }), "{err}");
        assert!(err.to_string().contains("kiosk init"), "{err}");
        assert!(!dir.path().join("data").exists(), "no folder made");

        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(&path, b"").unwrap();
        let err = open_file(&path, Create::Never, None).unwrap_err();
        assert!(matches!(err, StoreError::EmptyFile { .. }), "{err}");
        assert_eq!(
            std::fs::read_dir(dir.path().join("data")).unwrap().count(),
            1
        );
        // Creating does not replace it either: it may be a failed copy of
        // a database whose numbers were handed out.
        let err = open_file(&path, Create::IfMissing, None).unwrap_err();
        assert!(matches!(err, StoreError::EmptyFile { .. }), "{err}");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    }

    #[test]
    fn creating_twice_keeps_the_first_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let (conn, new) = open_file(&path, Create::IfMissing, None).unwrap();
        assert!(new);
        conn.execute("INSERT INTO staff_lockout VALUES (1, 3, NULL)", [])
            .unwrap();
        drop(conn);
        let (conn, new) = open_file(&path, Create::IfMissing, None).unwrap();
        assert!(!new);
        let failures: i64 = conn
            .query_row("SELECT failures FROM staff_lockout", [], |r| r.get(0))
            .unwrap();
        assert_eq!(failures, 3);
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with('.')
            })
            .count();
        assert_eq!(leftovers, 0, "no temporary file left");
    }
}
