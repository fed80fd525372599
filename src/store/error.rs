//! What can go wrong with the kiosk's database, said so that the technician
//! reading the log knows what to do.
//!
//! SQLite reports failures as codes; [`StoreError::from`] sorts the ones a
//! technician can act on (disk full, locked, read-only, damaged) into their
//! own variants. [`StoreError::is_permanent`] tells retrying code (the sync
//! worker, the submit screen) whether trying again can help.

use std::path::PathBuf;

use rusqlite::ErrorCode;

use crate::domain::numbering::NumberError;
use crate::domain::out_of_service::OutOfService;

/// An error from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot create the folder {path} for the database: {source}; check [storage] database in kiosk.toml \
         and that the kiosk's user may write to that folder"
    )]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "cannot create the database file {path}: {source}; check that the kiosk's user may write to its folder \
         and that the disk is not full or mounted read-only"
    )]
    CreateFile {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "the database {path} does not exist; the kiosk makes one only on purpose: on a new kiosk run \
         `kiosk init` (with `--next-number N` if receipts were already handed out), otherwise restore the \
         database or correct [storage] database in kiosk.toml"
    )]
    Missing { path: PathBuf },

    #[error(
        "the database {path} is an empty file (a copy that failed, or a file made by hand): it holds no \
         record and no receipt number, and the kiosk will not start numbering again over it. Restore the \
         database from a backup; only if this kiosk never handed out a receipt, remove the file and run \
         `kiosk init` (with `--next-number N` if receipts were handed out)"
    )]
    EmptyFile { path: PathBuf },

    #[error(
        "the database {path} is not this kiosk's: {why}. The kiosk will not write to it. Correct \
         [storage] database (or [kiosk] id) in kiosk.toml, or put this kiosk's database back; \
         `kiosk db check` says what the file holds"
    )]
    NotKiosks { path: PathBuf, why: String },

    #[error(
        "the database {path} is missing but its write-ahead log {wal} is still there (the database was \
         deleted or moved while the kiosk ran); a new database beside it would be damaged at once. \
         If the database was moved, put it back; to start afresh, move {wal} and {shm} away \
         (e.g. `mkdir old && mv {wal} {shm} old/`), then run `kiosk init` again"
    )]
    LeftoverLog {
        path: PathBuf,
        wal: PathBuf,
        shm: PathBuf,
    },

    #[error("the database {path} is {what}, not a file; correct [storage] database in kiosk.toml")]
    NotAFile { path: PathBuf, what: &'static str },

    #[error("cannot look at the database {path}: {source}; check the folder's permissions")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "the database {path} is damaged ({detail}); the kiosk will not write to it. Stop the kiosk, \
         run `kiosk db check` for details and `kiosk db recover` to copy what can be read into a new \
         file (the damaged one is kept), or restore a backup"
    )]
    Damaged { path: PathBuf, detail: String },

    #[error(
        "cannot open the database {path}: {source}; check that the path in [storage] database is right, \
         that the disk is mounted and that the kiosk's user owns the file and its folder"
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error(
        "the database {path} cannot use write-ahead logging (journal mode is {mode:?}); put it on a local \
         disk (not a network share or a read-only mount) via [storage] database in kiosk.toml"
    )]
    NoWal { path: PathBuf, mode: String },

    #[error(
        "the disk holding the database is full; free space (e.g. `journalctl --vacuum-size=50M`, old files \
         in the export folder) and the kiosk carries on; records already saved are safe"
    )]
    DiskFull,

    #[error(
        "the disk holding the database {path} is mounted read-only (a file system switches to read-only \
         after disk errors: see `dmesg`); nothing is written. Check the SD card or disk, mount it \
         read-write again (`mount -o remount,rw`) or replace it; records already saved are safe"
    )]
    ReadOnlyDisk { path: PathBuf },

    #[error(
        "the database is locked by another kiosk process; stop the other one (`systemctl status kiosk`, \
         `ps aux | grep kiosk`) and try again"
    )]
    Locked,

    #[error(
        "the database file is read-only; give the kiosk's user write access to the file, its -wal and -shm \
         files and their folder (`chown kiosk: data/kiosk.db*`), then restart the kiosk"
    )]
    ReadOnly,

    #[error(
        "the database file is damaged ({detail}); stop the kiosk, then run `kiosk db check` and \
         `kiosk db recover` (it keeps the damaged file), or restore a backup"
    )]
    Corrupt { detail: String },

    #[error(
        "reading or writing the database failed at the disk level ({detail}); check the SD card or disk \
         (`dmesg`), the kiosk will try again"
    )]
    Io { detail: String },

    #[error(
        "the database was made by a newer version of the kiosk software; install that version again \
         or restore a database backup made with this version"
    )]
    TooNew,

    #[error(
        "updating the database layout failed ({0}); keep the database file and report this to the contractor"
    )]
    Migration(#[source] rusqlite_migration::Error),

    #[error("cannot give a receipt number: {0}; {hint}", hint = numbering_hint(.0))]
    Numbering(#[from] NumberError),

    #[error(
        "the receipt numbers of {prefix}-{year} are used up: {prefix}-{year}-999999 was the last a year \
         can hold; records without a number (ratings) are still taken. Tell the central system's team"
    )]
    YearFull { prefix: String, year: i32 },

    #[error(
        "the central system says receipt numbers of {prefix}-{year} are taken up to \
         {prefix}-{year}-{highest:06}, which leaves no room for this year's receipts (a year holds \
         999999); the kiosk does not take that ceiling and numbering goes on above its own numbers. \
         Ask the central system's team to check the highest_numbers it sends for {prefix}-{year}"
    )]
    CeilingRefused {
        prefix: String,
        year: i32,
        highest: u32,
    },

    #[error("the record was not saved because it is not valid: {0}")]
    InvalidRecord(String),

    #[error("there is no record {0} in the database; it may belong to another kiosk's database")]
    NoSuchRecord(uuid::Uuid),

    #[error(
        "there is no record {0} in this kiosk's database; check the number or id (`kiosk outbox` lists them)"
    )]
    NoSuchRecordNamed(String),

    #[error(
        "the stored record {id} cannot be read ({detail}); keep the database file and report this to the contractor"
    )]
    BadRow { id: String, detail: String },

    #[error(
        "database error ({0}); if it repeats, keep the database file and report this to the contractor"
    )]
    Sqlite(#[source] rusqlite::Error),
}

impl StoreError {
    /// Whether trying the same thing again cannot help until someone fixes
    /// something (configuration, permissions, the file, the software).
    /// A full disk, a lock held by another process and disk-level I/O errors
    /// may clear by themselves, so they are not permanent.
    pub fn is_permanent(&self) -> bool {
        !matches!(
            self,
            StoreError::DiskFull | StoreError::Locked | StoreError::Io { .. }
        )
    }

    /// Whether the kiosk must stay out of service because of this error met
    /// opening the database at `path`, and why; `None` when it is not
    /// about the database itself (such errors are passing, or a fault).
    pub fn out_of_service(&self, path: &std::path::Path) -> Option<OutOfService> {
        let path = path.display().to_string();
        Some(match self {
            StoreError::Missing { .. } | StoreError::EmptyFile { .. } => {
                OutOfService::DatabaseMissing { path }
            }
            StoreError::Damaged { detail, .. } | StoreError::Corrupt { detail } => {
                OutOfService::DatabaseDamaged {
                    path,
                    detail: detail.clone(),
                }
            }
            StoreError::TooNew => OutOfService::DatabaseTooNew { path },
            StoreError::DiskFull => OutOfService::DiskFull { path },
            StoreError::NotAFile { .. }
            | StoreError::Unreadable { .. }
            | StoreError::ReadOnly
            | StoreError::NoWal { .. }
            | StoreError::NotKiosks { .. }
            | StoreError::ReadOnlyDisk { .. }
            | StoreError::LeftoverLog { .. }
            | StoreError::Open { .. }
            | StoreError::CreateDir { .. }
            | StoreError::CreateFile { .. }
            | StoreError::Migration(_) => OutOfService::DatabaseUnusable {
                path,
                detail: self.to_string(),
            },
            _ => return None,
        })
    }

    /// Whether this is one stored row that cannot be read (bad JSON, bad
    /// text, a value of the wrong type), as opposed to the database failing:
    /// such a row is set aside and the rows behind it go on.
    pub fn is_unreadable_row(&self) -> bool {
        use rusqlite::Error as E;
        match self {
            StoreError::BadRow { .. } => true,
            StoreError::Sqlite(e) => matches!(
                e,
                E::FromSqlConversionFailure(..)
                    | E::InvalidColumnType(..)
                    | E::IntegralValueOutOfRange(..)
                    | E::Utf8Error(..)
            ),
            _ => false,
        }
    }

    /// What is wrong with an unreadable row, in words for staff.
    pub fn row_detail(&self) -> String {
        match self {
            StoreError::BadRow { detail, .. } if detail.starts_with("a stored field") => {
                detail.clone()
            }
            StoreError::BadRow { detail, .. } => format!("it cannot be read: {detail}"),
            StoreError::Sqlite(e) if e.to_string().to_ascii_lowercase().contains("utf-8") => {
                "a stored field is not valid text (invalid UTF-8)".to_owned()
            }
            StoreError::Sqlite(e) => format!("a stored field cannot be read ({e})"),
            other => other.to_string(),
        }
    }

    /// Wraps an error met while opening `path`, keeping the actionable kinds.
    pub(crate) fn opening(path: &std::path::Path, source: rusqlite::Error) -> Self {
        let e = match StoreError::from(source) {
            StoreError::Sqlite(source) => StoreError::Open {
                path: path.to_path_buf(),
                source,
            },
            other => other,
        };
        super::space::explain(path, e)
    }
}

/// What to check when no number can be given: the prefix only when it is
/// the prefix that is wrong.
fn numbering_hint(e: &NumberError) -> &'static str {
    match e {
        NumberError::BadPrefix(_) => "check [kiosk] receipt_prefix in kiosk.toml",
        NumberError::BadYear(_) => "check the kiosk's clock (`timedatectl`)",
        NumberError::BadSequence(_) | NumberError::Malformed(_) => {
            "keep the database file and report this to the contractor"
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        let detail = e.to_string();
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt { detail }
            }
            Some(ErrorCode::SystemIoFailure) => StoreError::Io { detail },
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(e: rusqlite_migration::Error) -> Self {
        use rusqlite_migration::{Error as M, MigrationDefinitionError as D};
        match e {
            M::MigrationDefinition(D::DatabaseTooFarAhead) => StoreError::TooNew,
            M::RusqliteError { err, .. } => match StoreError::from(err) {
                StoreError::Sqlite(err) => StoreError::Migration(M::RusqliteError {
                    query: String::new(),
                    err,
                }),
                actionable => actionable,
            },
            other => StoreError::Migration(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn sorts_sqlite_codes_into_actionable_errors() {
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_FULL)),
            StoreError::DiskFull
        ));
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_BUSY)),
            StoreError::Locked
        ));
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_READONLY)),
            StoreError::ReadOnly
        ));
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_NOTADB)),
            StoreError::Corrupt { .. }
        ));
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_IOERR)),
            StoreError::Io { .. }
        ));
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_CONSTRAINT)),
            StoreError::Sqlite(_)
        ));
    }

    #[test]
    fn only_conditions_that_can_clear_are_retried() {
        assert!(!StoreError::DiskFull.is_permanent());
        assert!(!StoreError::Locked.is_permanent());
        assert!(!StoreError::Io { detail: "x".into() }.is_permanent());
        assert!(StoreError::ReadOnly.is_permanent());
        assert!(StoreError::Corrupt { detail: "x".into() }.is_permanent());
        assert!(StoreError::TooNew.is_permanent());
    }

    #[test]
    fn messages_say_what_to_do() {
        assert!(StoreError::DiskFull.to_string().contains("free space"));
        assert!(
            StoreError::Locked
                .to_string()
                .contains("another kiosk process")
        );
        assert!(StoreError::ReadOnly.to_string().contains("write access"));
        let corrupt = StoreError::Corrupt {
            detail: "file is not a database".into(),
        };
        assert!(corrupt.to_string().contains("kiosk db recover"));
    }

    #[test]
    fn a_database_from_a_newer_version_is_named_as_such() {
        let e = rusqlite_migration::Error::MigrationDefinition(
            rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
        );
        assert!(matches!(StoreError::from(e), StoreError::TooNew));
    }
}
