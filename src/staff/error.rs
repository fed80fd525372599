//! What can go wrong in staff mode, in words for the staff screen.

use std::time::Duration;

use super::export::ExportError;
use super::pin::HashProblem;
use crate::domain::summary::PeriodError;
use crate::printer::PrinterError;
use crate::store::StoreError;

/// Why a staff login or action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("wrong PIN; {attempts_left} more tries before entry locks")]
    WrongPin { attempts_left: u32 },
    #[error("too many wrong PINs: entry is locked for {} more seconds; use the staff key or wait", left.as_secs().max(1))]
    LockedOut { left: Duration },
    #[error(
        "no staff PIN is set: use the staff key, or run `kiosk hash-pin` and put its output in [staff] pin_hash"
    )]
    NoPin,
    #[error("[staff] pin_hash {0}")]
    BadHash(HashProblem),
    #[error("the staff session ended after being idle; log in again")]
    SessionExpired,
    #[error("no printer is set up for staff mode; check [printer] in kiosk.toml")]
    NoPrinter,
    #[error("{0}")]
    Period(#[from] PeriodError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Printer(#[from] PrinterError),
    #[error("{0}")]
    Export(#[from] ExportError),
    /// The kiosk could not take the request now (its worker is busy or
    /// stopped); nothing was done.
    #[error("the kiosk is busy and did nothing ({0}); try again")]
    Unavailable(String),
}
