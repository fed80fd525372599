//! Staff mode behind one small façade for the screens and the command line.
//!
//! [`Staff`] is made once at start-up and shared (it is `Clone + Send +
//! Sync`); logging in with the PIN or the board's staff key gives a
//! [`StaffSession`], through which every staff action goes. Every call
//! blocks (Argon2, SQLite, the printer, a USB stick) and returns plain data,
//! so the UI runs them on a worker thread, never on its own.
//!
//! Invariants:
//! - every login, refusal, logout and action writes one `staff_audit` row
//!   (see `crate::store::audit`); no PIN and no personal data goes there;
//! - five wrong PINs lock entry for a growing time (`lockout`), stored so
//!   that a power cycle does not reset it;
//! - a session idle for `[staff] idle_logout_secs` is over: its next action
//!   is refused and audited, and the screen is expected to go back to the
//!   visitor's home;
//! - figures exclude demonstration records and records the central system
//!   rejected, so they match what the central system holds.
//!
//! Files: `pin` (Argon2id), `lockout` (how long wrong PINs lock), `session`
//! (a logged-in staff member and the actions), `reports` (reports and
//! exports, also for the command line), `device` (status page), `outbox`
//! (held, set-aside and rejected records, and putting them back),
//! `export` (USB stick and files), `error`.

pub mod device;
mod error;
pub mod export;
pub mod lockout;
pub mod outbox;
pub mod pin;
mod reports;
mod session;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

pub use device::{DeviceStatus, DiskSpace};
pub use error::StaffError;
pub use export::{ExportDone, ExportError, MountSources};
pub use outbox::OutboxProblems;
pub use session::{LoginMethod, StaffSession};

use crate::clock::{Clock, local_time};
use crate::config::Config;
use crate::domain::summary::Names;
use crate::printer::jobs::PrintWorker;
use crate::store::{AuditOutcome, Store};

/// What staff mode needs from kiosk.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSettings {
    /// `[staff] pin_hash`; empty: the key switch only.
    pub pin_hash: String,
    /// `[staff] idle_logout_secs`.
    pub idle_logout: Duration,
    /// `[staff] export_dir`; used when no USB stick is mounted.
    pub export_dir: Option<PathBuf>,
    /// Where USB sticks are looked for.
    pub mounts: MountSources,
    /// Display names of services, desks, categories and reasons.
    pub names: Names,
    /// The municipality's name, for slips and reports.
    pub municipality: String,
    /// `[kiosk] id`, for reports and export file names.
    pub kiosk_id: String,
}

impl StaffSettings {
    /// The settings from `config`.
    pub fn from_config(config: &Config) -> Self {
        StaffSettings {
            pin_hash: config.staff.pin_hash.trim().to_owned(),
            idle_logout: Duration::from_secs(u64::from(config.staff.idle_logout_secs)),
            export_dir: Some(config.staff.export_dir.clone()).filter(|p| !p.as_os_str().is_empty()),
            mounts: MountSources::default(),
            names: config.summary_names(),
            municipality: config.kiosk.municipality.bg.clone(),
            kiosk_id: config.kiosk.id.clone(),
        }
    }
}

/// Staff mode: logs staff in and hands out sessions. Clones share state.
#[derive(Clone)]
pub struct Staff {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: StaffSettings,
    pub(crate) printer: Option<Arc<PrintWorker>>,
    /// One PIN check at a time, so two taps cannot both slip under the limit.
    pub(crate) login: std::sync::Mutex<()>,
}

impl std::fmt::Debug for Staff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staff")
            .field("store", &self.inner.store)
            .field("printer", &self.inner.printer.is_some())
            .finish_non_exhaustive()
    }
}

impl Staff {
    /// Staff mode over `store`, with `clock` for audit times and idle
    /// checks, and the print worker (`None`: printing is refused).
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: StaffSettings,
        printer: Option<Arc<PrintWorker>>,
    ) -> Staff {
        Staff {
            inner: Arc::new(Inner {
                store,
                clock,
                settings,
                printer,
                login: std::sync::Mutex::new(()),
            }),
        }
    }

    /// Logs in with `pin` at `now`. Wrong PINs count towards the lockout;
    /// while locked, the PIN is not even checked.
    pub fn login_pin(&self, pin: &str, now: DateTime<Utc>) -> Result<StaffSession, StaffError> {
        let s = &self.inner;
        let _one_at_a_time = s
            .login
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if s.settings.pin_hash.is_empty() {
            self.audit(now, "login_pin", AuditOutcome::Refused, "no PIN configured")?;
            return Err(StaffError::NoPin);
        }
        let record = s.store.lockout()?;
        if let Some(left) = lockout::remaining(record, now) {
            self.audit(now, "login_pin", AuditOutcome::Refused, "locked")?;
            return Err(StaffError::LockedOut { left });
        }
        let matches = pin::check_pin(pin).is_ok()
            && pin::verify_pin(pin, &s.settings.pin_hash).map_err(StaffError::BadHash)?;
        if !matches {
            let record = lockout::after_failure(record, now);
            s.store.set_lockout(record)?;
            self.audit(
                now,
                "login_pin",
                AuditOutcome::Refused,
                &format!("wrong PIN ({} in a row)", record.failures),
            )?;
            return Err(match lockout::remaining(record, now) {
                Some(left) => StaffError::LockedOut { left },
                None => StaffError::WrongPin {
                    attempts_left: lockout::attempts_left(record),
                },
            });
        }
        s.store.set_lockout(Default::default())?;
        self.audit(now, "login_pin", AuditOutcome::Ok, "")?;
        Ok(StaffSession::start(self.clone(), LoginMethod::Pin, now))
    }

    /// Logs in with the board's staff key (turned at `now`). The key is
    /// physical, so it is not subject to the PIN lockout.
    pub fn login_key(&self, now: DateTime<Utc>) -> Result<StaffSession, StaffError> {
        self.audit(now, "login_key", AuditOutcome::Ok, "")?;
        Ok(StaffSession::start(self.clone(), LoginMethod::Key, now))
    }

    /// How long PIN entry stays locked at `now`, for the PIN screen.
    pub fn locked_for(&self, now: DateTime<Utc>) -> Result<Option<Duration>, StaffError> {
        Ok(lockout::remaining(self.inner.store.lockout()?, now))
    }

    /// The Sofia date at `now`.
    pub fn today(now: DateTime<Utc>) -> NaiveDate {
        local_time(now).date_naive()
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    pub(crate) fn audit(
        &self,
        at: DateTime<Utc>,
        action: &str,
        outcome: AuditOutcome,
        detail: &str,
    ) -> Result<(), StaffError> {
        Ok(self.inner.store.audit(at, action, outcome, detail)?)
    }
}
