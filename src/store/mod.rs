//! The kiosk's store: every record in SQLite until the central system has
//! it, and after that for the summaries.
//!
//! "Never loses a record": a submission is one transaction that writes the
//! record, takes its receipt number and queues it for the central system
//! and the printer ([`Store::submit`]); the caller sees the number only
//! after the commit is on disk. Every connection goes through
//! `connection.rs`, which sets WAL, `synchronous=FULL`, foreign keys and a
//! busy timeout, and runs the migrations in `migrations/`.
//!
//! One connection, behind a mutex, serves the whole process: SQLite lets only
//! one writer in at a time anyway, each call is short, and the kiosk's other
//! threads (UI, sync worker, printer) call in from background tasks, never
//! from the UI thread. `Store` is cheap to clone and `Send + Sync`.
//!
//! Files: `submit` (the submission transaction), `records` (reading
//! records), `personal` (personal data and its erasure), `counters`
//! (receipt numbers), `open_rating` (a rating stored at the face tap and
//! completed by its follow-ups), `outbox` (sync queue), `outbox_view` (the queue for staff, without personal data), `print_jobs` (printer queue), `summary` and `register` (what staff
//! see), `audit` (staff audit trail and PIN lockout), `bench_seed` (bulk
//! ratings for the summary benchmark),
//! `connection`, `identity` (whose database a file is), `space` (room on
//! the disk) and `schema` (opening and migrating), `error`.

mod audit;
mod bench_seed;
mod check;
mod connection;
mod counters;
mod error;
pub mod follow_up;
mod identity;
mod open_rating;
mod outbox;
mod outbox_view;
mod personal;
mod print_jobs;
mod records;
pub mod recover;
mod register;
mod schema;
pub mod space;
mod submit;
mod summary;

#[cfg(test)]
pub(crate) mod fixtures;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use audit::{AuditEntry, AuditOutcome, LockoutRecord};
pub use check::{CheckReport, FileState, full_check, in_use};
pub use connection::{BUSY_TIMEOUT, Create};
pub use counters::{CENTRAL_HEADROOM, FloorSource, leaves_no_room};
pub use error::StoreError;
pub use identity::APPLICATION_ID;
pub use open_rating::{Closed, MAX_OPEN};
pub use outbox::{
    Batch, Hold, MAX_RECORD_BYTES, OutboxCounts, OutboxItem, OutboxState, RequeueTarget, Requeued,
    SOFTWARE_VERSION, SetAside, WasOut, kept_reason,
};
pub use outbox_view::{OutboxEntry, OutboxList};
pub use personal::PersonalData;
pub use print_jobs::{PrintJob, PrintJobState};
pub use records::{RecordCounts, StoredRecord};
pub use register::{RegisterEntry, RegisterFilter, RegisterView};
pub use submit::{DueRule, Submission, SubmitContext, Submitted};
pub use summary::{DeliveryCounts, Scope};

/// Why `kiosk run` cannot use its database: the reason its out-of-service
/// screen gives, and the error for the log.
#[derive(Debug)]
pub struct Unavailable {
    pub why: crate::domain::out_of_service::OutOfService,
    pub error: StoreError,
}

/// The kiosk's database. Clones share one connection.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    /// What SQLite reported as damage while running, if it did: from then
    /// on nothing is written (reads go on, so staff can still look).
    damage: Mutex<Option<String>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the existing database at `path`, after checking it, and brings
    /// its layout up to date. A missing, empty, damaged or foreign file is
    /// refused and nothing is written.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_with(path, Create::Never, None).map(|(store, _)| store)
    }

    /// Opens the database at `path`, making it and its folders first if it
    /// does not exist (`[storage] create = true`, tests).
    pub fn create(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_with(path, Create::IfMissing, None).map(|(store, _)| store)
    }

    /// Opens the database at `path` as `create` allows; also says whether
    /// the file was made now. `kiosk` is the `[kiosk] id` in use: a
    /// database naming another kiosk is refused, a new one names it.
    pub fn open_with(
        path: impl AsRef<Path>,
        create: Create,
        kiosk: Option<&str>,
    ) -> Result<(Store, bool), StoreError> {
        let path = path.as_ref();
        let (conn, new) = connection::open_file(path, create, kiosk)?;
        Ok((Store::wrap(conn, Some(path.to_path_buf())), new))
    }

    /// Opens the database `[storage]` names for the kiosk `kiosk` (its
    /// `[kiosk] id`), made when missing only where `create = true` says
    /// so. Also says whether the file was made now.
    pub fn open_configured(
        storage: &crate::config::Storage,
        kiosk: &str,
    ) -> Result<(Store, bool), StoreError> {
        let create = if storage.create {
            Create::IfMissing
        } else {
            Create::Never
        };
        Store::open_with(&storage.database, create, Some(kiosk))
    }

    /// What `kiosk run` starts with: the configured database, or why the
    /// kiosk must show its out-of-service screen instead (with the error
    /// for the log). Every failure is a reason: the kiosk never takes a
    /// record it cannot keep, and never crashes into a restart loop.
    pub fn open_for_service(
        storage: &crate::config::Storage,
        kiosk: &str,
    ) -> Result<Store, Box<Unavailable>> {
        Store::open_configured(storage, kiosk)
            .map(|(store, _)| store)
            .map_err(|error| {
                let why = error.out_of_service(&storage.database).unwrap_or_else(|| {
                    crate::domain::out_of_service::OutOfService::DatabaseUnusable {
                        path: storage.database.display().to_string(),
                        detail: error.to_string(),
                    }
                });
                Box::new(Unavailable { why, error })
            })
    }

    /// A fresh database in memory, gone when the last clone is dropped; for
    /// tests and demonstrations.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Ok(Store::wrap(connection::open_memory()?, None))
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    fn wrap(conn: Connection, path: Option<PathBuf>) -> Store {
        Store {
            inner: Arc::new(Inner {
                conn: Mutex::new(conn),
                path,
                damage: Mutex::new(None),
            }),
        }
    }

    /// Runs `f` with the connection, waiting for other threads' calls to end.
    pub(crate) fn with_conn<R>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        // A panic in another thread's call cannot leave a transaction open
        // (rusqlite rolls back on drop), so the connection is still sound.
        let mut conn = self
            .inner
            .conn
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let result = f(&mut conn).map_err(|e| match &self.inner.path {
            Some(path) => space::explain(path, e),
            None => e,
        });
        if let Err(StoreError::Corrupt { detail }) = &result {
            tracing::error!(
                "the database reported damage; nothing more is written to it: {detail}"
            );
            *self
                .inner
                .damage
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(detail.clone());
        }
        result
    }

    /// The damage SQLite reported while this store ran, if any; the store
    /// then refuses every write.
    pub fn damage(&self) -> Option<String> {
        self.inner
            .damage
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, committed if `f`
    /// succeeds and rolled back otherwise.
    pub(crate) fn with_tx<R>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        if let Some(detail) = self.damage() {
            return Err(StoreError::Damaged {
                path: self.inner.path.clone().unwrap_or_default(),
                detail,
            });
        }
        // Before SQLite needs a block the disk cannot give (see `space`).
        if let Some(path) = &self.inner.path {
            space::ensure_room(path)?;
            space::fill_index_holes(path)?;
        }
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Store>();
    }

    #[test]
    fn after_damage_is_reported_nothing_more_is_written() {
        let store = Store::open_in_memory().unwrap();
        let err = store
            .with_conn(|_| -> Result<(), StoreError> {
                Err(StoreError::Corrupt {
                    detail: "database disk image is malformed".into(),
                })
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }));
        let clock = crate::clock::ManualClock::at_sofia(2026, 4, 1, 9, 0).unwrap();
        let refused = store
            .submit(
                fixtures::submission(fixtures::complaint()),
                &fixtures::context(&clock),
            )
            .unwrap_err();
        assert!(matches!(refused, StoreError::Damaged { .. }), "{refused}");
        assert!(store.record_counts().is_ok(), "reads go on");
    }

    #[test]
    fn reopening_keeps_what_was_stored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let clock = crate::clock::ManualClock::at_sofia(2026, 4, 1, 9, 0).unwrap();
        let done = {
            let store = Store::create(&path).unwrap();
            assert_eq!(store.path(), Some(path.as_path()));
            store
                .submit(
                    fixtures::submission(fixtures::complaint()),
                    &fixtures::context(&clock),
                )
                .unwrap()
        };
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.get(done.id).unwrap().unwrap().record.number,
            done.number
        );
    }
}
