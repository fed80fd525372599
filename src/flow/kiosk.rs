//! The one service the flows talk to: everything that touches the disk,
//! the printer, the network or the clock, behind one trait.
//!
//! The real implementation (`crate::service::KioskService`) runs each kind
//! of work on a worker thread of its own and hands the answer back on the
//! UI thread; the flows' unit tests use a fake (`flow::fake`) that answers
//! at once or holds the answer until the test releases it.
//!
//! Invariant: every [`Reply`] is called exactly once, on the thread that
//! made the request (the UI thread), never from inside the call that made
//! the request in the real service. A request the service cannot take (its
//! queue is full, its worker stopped) is answered with the result's
//! "refused" value ([`Refusal`]), never dropped.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::config::Config;
use crate::domain::ReceiptNumber;
use crate::domain::calendar::Calendar;
use crate::domain::follow_up::FollowUp;
use crate::domain::notices::{PrintOutcome, PrintTrouble};
use crate::domain::record::Rating;
use crate::domain::summary::{Period, Summary};
use crate::printer::{PrinterError, PrinterStatus};
use crate::staff::{DeviceStatus, ExportDone, OutboxProblems, StaffError, StaffSession};
use crate::store::{
    Closed, RegisterEntry, RegisterFilter, RequeueTarget, Requeued, StoreError, Submission,
    Submitted,
};
use crate::sync::SyncStatus;

/// Called with the answer, on the UI thread.
pub type Reply<T> = Box<dyn FnOnce(T)>;

/// Why a request never reached its worker, or never came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the {0} worker's queue is full")]
    Busy(&'static str),
    #[error("the {0} worker has stopped")]
    Stopped(&'static str),
    #[error("the {0} worker lost the request (see the log)")]
    Lost(&'static str),
}

/// Results that can stand for a refused request.
pub trait FromRefusal {
    fn refused(why: Refusal) -> Self;
}

/// Why a submission was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(Refusal),
}

impl<T> FromRefusal for Result<T, SubmitError> {
    fn refused(why: Refusal) -> Self {
        Err(SubmitError::Refused(why))
    }
}

/// How printing one receipt ended.
#[derive(Debug)]
pub enum PrintResult {
    /// On paper; the status the printer gave before printing.
    Printed(PrinterStatus),
    Failed(PrinterError),
    /// The printer worker could not take it (busy with earlier slips):
    /// the job stays queued for staff.
    Refused(Refusal),
}

impl PrintResult {
    /// What the visitor is told about it.
    pub fn outcome(&self) -> PrintOutcome {
        match self {
            PrintResult::Printed(status) => PrintOutcome::Printed {
                paper_low: *status == PrinterStatus::PaperNearEnd,
            },
            PrintResult::Failed(err) => PrintOutcome::Failed(match err.implied_status() {
                PrinterStatus::PaperOut => PrintTrouble::PaperOut,
                PrinterStatus::CoverOpen => PrintTrouble::CoverOpen,
                _ => PrintTrouble::NotAnswering,
            }),
            PrintResult::Refused(_) => PrintOutcome::Failed(PrintTrouble::NotAnswering),
        }
    }
}

impl FromRefusal for PrintResult {
    fn refused(why: Refusal) -> Self {
        PrintResult::Refused(why)
    }
}

impl<T> FromRefusal for Result<T, StaffError> {
    fn refused(why: Refusal) -> Self {
        Err(StaffError::Unavailable(why.to_string()))
    }
}

/// How staff get in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// A PIN typed on the pad.
    Pin(String),
    /// The board's staff key.
    Key,
}

/// What a staff member asks for.
#[derive(Debug, Clone)]
pub enum StaffAction {
    Summary(Period),
    Register(RegisterFilter),
    /// Mark complaint `id` answered on `on` (`None` clears the mark).
    MarkAnswered {
        id: Uuid,
        on: Option<NaiveDate>,
    },
    /// The status page, with the printer and the link as last seen.
    DeviceStatus {
        printer: PrinterStatus,
        sync: Option<SyncStatus>,
    },
    PrintTestPage,
    PrintSummary(Period),
    Export(Period),
    /// Queue a duplicate of this receipt and print it.
    Reprint(ReceiptNumber),
    /// Held, set-aside and rejected records, with the link's problem from
    /// the sync worker's last status.
    OutboxProblems {
        sync: Option<SyncStatus>,
    },
    /// Put a record (or all of them) back in the queue for the central
    /// system; the sync worker is told at once.
    Requeue(RequeueTarget),
}

/// What a staff action gave.
#[derive(Debug)]
pub enum StaffDone {
    Summary(Box<Summary>),
    Register(Vec<RegisterEntry>),
    Marked,
    Device(Box<DeviceStatus>),
    /// A slip was printed; the printer's status before it.
    Printed(PrinterStatus),
    Exported(ExportDone),
    /// The duplicate was queued; how printing it went.
    Reprinted {
        number: ReceiptNumber,
        printed: Result<PrinterStatus, PrinterError>,
    },
    Outbox(Box<OutboxProblems>),
    Requeued(Vec<Requeued>),
}

/// The kiosk as the flows see it.
pub trait Kiosk {
    /// kiosk.toml: identity, contacts, catalogue, categories, reasons.
    fn config(&self) -> &Config;
    /// Holidays and moved days.
    fn calendar(&self) -> &Calendar;
    /// Now.
    fn now(&self) -> DateTime<Utc>;
    /// Whether the clock is synchronised (dates can be promised).
    fn clock_trusted(&self) -> bool;

    /// Stores `sub` in one transaction and tells the sync worker. When
    /// `sub.print_receipt` is set, its receipt is printed after the commit
    /// and `printed` told how; otherwise `printed` is dropped uncalled.
    fn submit(
        &self,
        sub: Submission,
        stored: Reply<Result<Submitted, SubmitError>>,
        printed: Reply<PrintResult>,
    );
    /// Stores a rating at the face tap, open: kept and counted at once, but
    /// not sent while the visitor may still add follow-ups.
    fn open_rating(&self, rating: Rating, stored: Reply<Result<Submitted, SubmitError>>);
    /// Completes the open rating `id` with what the visitor gave (`None`:
    /// as stored) and makes it final, so it is sent, once.
    fn close_rating(
        &self,
        id: Uuid,
        rating: Option<Rating>,
        done: Reply<Result<Closed, SubmitError>>,
    );
    /// Where complaint `number` stands, for "check my receipt": `None`
    /// when neither this kiosk nor the central system knows it. Nothing
    /// personal comes back.
    fn follow_up(&self, number: ReceiptNumber, reply: Reply<Result<Option<FollowUp>, SubmitError>>);
    /// Prints the receipt of `record` (its pending job, or a new one).
    fn print(&self, record: Uuid, reply: Reply<PrintResult>);
    /// Queues a new job for `record` after a failed print, and prints it.
    fn reprint(&self, record: Uuid, reply: Reply<PrintResult>);
    /// Asks the printer for its status (the periodic poll); the answer
    /// lands in [`Kiosk::printer_status`].
    fn poll_printer(&self);
    /// The printer's last known status.
    fn printer_status(&self) -> PrinterStatus;
    /// The link to the central system as last seen (`None`: none set up).
    fn sync_status(&self) -> Option<SyncStatus>;
    /// Something failed that needs a technician (a record not stored).
    fn internal_fault(&self) -> bool;

    /// How long PIN entry stays locked now.
    fn staff_locked_for(&self, reply: Reply<Result<Option<Duration>, StaffError>>);
    /// Logs a staff member in.
    fn staff_login(&self, how: Login, reply: Reply<Result<StaffSession, StaffError>>);
    /// Runs an audited staff action.
    fn staff_act(
        &self,
        session: Arc<StaffSession>,
        action: StaffAction,
        reply: Reply<Result<StaffDone, StaffError>>,
    );
    /// Ends a session at `at` (audited): by hand, or found idle.
    fn staff_logout(&self, session: Arc<StaffSession>, at: DateTime<Utc>, idle: bool);
}
