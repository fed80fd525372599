//! The device status page for staff: printer and paper, records waiting
//! for, held from or refused by the central system, the link's
//! configuration problem, the last sync, whether the clock can be
//! trusted, free disk and the software version.
//!
//! [`gather`] only reads: the printer's status and the sync worker's
//! snapshot are passed in (asking the printer takes up to its timeout, so
//! the caller decides when), the rest comes from the store, the clock and
//! `statvfs` of the database's folder.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::clock::{Clock, local_time};
use crate::printer::PrinterStatus;
use crate::store::{Store, StoreError};
use crate::sync::SyncStatus;

/// The software version, as `kiosk --version` prints it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Free and total bytes of a filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DiskSpace {
    /// Bytes an unprivileged process may still write.
    pub free: u64,
    pub total: u64,
}

/// What the device status page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceStatus {
    /// When this was gathered, Sofia time.
    pub at: DateTime<FixedOffset>,
    /// `None` when the printer was not asked.
    pub printer: Option<String>,
    /// The printer's state in plain words with what to do (e.g. "paper out:
    /// load a new 80 mm roll and close the cover").
    pub printer_advice: Option<String>,
    pub printer_can_print: Option<bool>,
    /// Records waiting for the central system.
    pub pending: u64,
    /// When the oldest waiting record was written.
    pub oldest_pending_at: Option<DateTime<FixedOffset>>,
    /// Records the central system refused, kept for staff.
    pub rejected: u64,
    /// Waiting records the central system refused alone (400/422/413);
    /// skipped until staff put them back.
    pub held: u64,
    /// Waiting records the kiosk cannot read back; skipped.
    pub set_aside: u64,
    /// The link's configuration problem, with the HTTP code and the URL
    /// ("the central system answers HTTP 404 at URL: check [central] url").
    pub link_problem: Option<String>,
    /// When the central system last took a batch (since the worker started).
    pub last_sync: Option<DateTime<FixedOffset>>,
    /// The sync worker's one-line account, if it runs.
    pub sync: Option<String>,
    /// Whether the system clock is synchronised.
    pub clock_trusted: bool,
    /// Free space where the database lives; `None` when it cannot be read.
    pub disk: Option<DiskSpace>,
    pub version: String,
}

/// Gathers the status. `printer` is the answer to a status request (or the
/// error's message); `sync` the worker's latest snapshot, if it runs.
pub fn gather(
    store: &Store,
    printer: Option<Result<PrinterStatus, String>>,
    sync: Option<&SyncStatus>,
    clock: &dyn Clock,
) -> Result<DeviceStatus, StoreError> {
    let now = clock.now();
    let counts = store.outbox_counts()?;
    let oldest = store.oldest_pending_at()?;
    let db_dir = store.path().and_then(Path::parent).map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    let (printer, printer_advice, printer_can_print) = match printer {
        None => (None, None, None),
        Some(Ok(s)) => (
            Some(s.as_str().to_owned()),
            Some(s.to_string()),
            Some(s.can_print()),
        ),
        Some(Err(e)) => (Some("unreachable".to_owned()), Some(e), Some(false)),
    };
    Ok(DeviceStatus {
        at: local_time(now),
        printer,
        printer_advice,
        printer_can_print,
        pending: counts.pending,
        oldest_pending_at: oldest,
        rejected: counts.rejected,
        held: counts.held,
        set_aside: counts.set_aside,
        link_problem: sync.and_then(|s| s.configuration_problem.clone()),
        last_sync: sync.and_then(|s| s.last_success).map(local_time),
        sync: sync.map(|s| s.summary(now)),
        clock_trusted: clock.is_synchronised(),
        disk: db_dir.and_then(|d| disk_space(d).ok()),
        version: VERSION.to_owned(),
    })
}

/// Free and total space of the filesystem holding `dir`.
#[cfg(unix)]
// The block counts are 32-bit on a 32-bit Raspberry Pi OS and 64-bit
// elsewhere; the conversions are needed there and no-ops here.
#[allow(clippy::useless_conversion)]
pub fn disk_space(dir: &Path) -> std::io::Result<DiskSpace> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    // SAFETY: `statvfs` is plain old data for which all-zero is valid.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a valid NUL-terminated string and `st` a valid,
    // exclusively borrowed `statvfs` for the duration of the call.
    let rc = unsafe { libc::statvfs(path.as_ptr(), &mut st) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let unit = u64::from(st.f_frsize);
    Ok(DiskSpace {
        free: u64::from(st.f_bavail).saturating_mul(unit),
        total: u64::from(st.f_blocks).saturating_mul(unit),
    })
}

#[cfg(not(unix))]
pub fn disk_space(_dir: &Path) -> std::io::Result<DiskSpace> {
    Err(std::io::Error::other("free space is only read on Linux"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::store::fixtures::{complaint, context, submission};

    #[test]
    fn the_status_counts_the_outbox_and_reads_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(dir.path().join("kiosk.db")).unwrap();
        let clock = ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap();
        let done = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let rejected = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        store
            .mark_rejected(rejected.id, "unknown category", clock.now())
            .unwrap();
        clock.set_synchronised(false);
        let status = gather(
            &store,
            Some(Ok(PrinterStatus::PaperNearEnd)),
            Some(&SyncStatus::default()),
            &clock,
        )
        .unwrap();
        assert_eq!((status.pending, status.rejected), (1, 1));
        assert_eq!(status.oldest_pending_at, Some(done.created_at));
        assert_eq!(status.printer.as_deref(), Some("paper near end"));
        assert_eq!(status.printer_can_print, Some(true));
        assert!(!status.clock_trusted);
        let disk = status.disk.unwrap();
        assert!(disk.total > 0 && disk.free <= disk.total);
        assert_eq!(status.version, VERSION);
    }

    #[test]
    fn an_unreachable_printer_is_said_so() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap();
        let status = gather(
            &store,
            Some(Err("no answer on 192.0.2.1:9100".into())),
            None,
            &clock,
        )
        .unwrap();
        assert_eq!(status.printer.as_deref(), Some("unreachable"));
        assert_eq!(status.printer_can_print, Some(false));
        assert_eq!(status.disk, None, "an in-memory store has no folder");
        assert_eq!(status.sync, None);
    }
}
