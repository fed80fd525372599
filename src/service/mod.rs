//! The kiosk service: the real [`Kiosk`] the flows talk to, over the store,
//! the receipt printer, staff mode and the link to the central system.
//!
//! Work runs on four worker threads, each with a bounded queue
//! ([`worker::Worker`]), so that nothing slow holds up a visitor's record:
//! - `store` (32 jobs): submissions, staff reads and marks, logins with the
//!   key, audit writes. After each commit it tells the sync worker
//!   ([`crate::sync::SyncKick`]) and hands the receipt to the printer.
//! - `printer` (8 jobs): receipts, reprints, slips, the status poll. A
//!   printer that never answers holds only this thread, one timeout per
//!   job; the store goes on committing.
//! - `pin` (2 jobs): PIN checks. Argon2 takes a moment and its memory; on a
//!   thread of its own it delays nobody (see `staff::pin` for the memory).
//! - `files` (2 jobs): exports to a USB stick, which may be slow or hang.
//!
//! A full queue refuses at once: the request is answered with its
//! "refused" value and the visitor or staff member is told (a record: "not
//! saved, please try again"; a receipt: "the printer is not answering,
//! note your number", and its job stays queued for staff to reprint; a
//! status poll is skipped). Answers come back to the UI thread through a
//! [`HandBack`]; see `handback.rs`.

pub mod handback;
pub mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use uuid::Uuid;

pub use handback::{HandBack, Pump, Ticket};
use worker::Worker;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::answer;
use crate::domain::calendar::Calendar;
use crate::domain::follow_up::FollowUp;
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::Rating;
use crate::flow::{
    FromRefusal, Kiosk, Login, PrintResult, Reply, StaffAction, StaffDone, SubmitError,
};
use crate::printer::{Outcome, PrintWorker, PrinterStatus, SharedStatus};
use crate::staff::{Staff, StaffError, StaffSession, StaffSettings};
use crate::store::{Closed, Store, Submission, SubmitContext, Submitted};
use crate::sync::{SyncKick, SyncStatus};

/// Queue lengths: see the module documentation.
const STORE_QUEUE: usize = 32;
const PRINTER_QUEUE: usize = 8;
const PIN_QUEUE: usize = 2;
const FILES_QUEUE: usize = 2;

/// The link to the central system, when one is set up.
#[derive(Clone)]
pub struct SyncLink {
    pub status: watch::Receiver<SyncStatus>,
    pub kick: SyncKick,
}

/// What the service is made of.
pub struct Parts {
    pub config: Arc<Config>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// The printer's last known status, shared with the heartbeat.
    pub printer_status: SharedStatus,
    pub sync: Option<SyncLink>,
    pub back: Arc<dyn HandBack>,
}

/// What the store thread needs for a submission.
struct Desk {
    store: Store,
    clock: Arc<dyn Clock>,
    calendar: Calendar,
    prefix: String,
    kick: Option<SyncKick>,
    fault: Arc<AtomicBool>,
}

impl Desk {
    fn submit(&self, sub: Submission) -> Result<Submitted, SubmitError> {
        self.with_context(|store, ctx| store.submit(sub, ctx), true)
    }

    /// A rating at the face tap: nothing to send yet.
    fn open_rating(&self, rating: Rating) -> Result<Submitted, SubmitError> {
        self.with_context(|store, ctx| store.submit_open_rating(rating, ctx), false)
    }

    fn close_rating(&self, id: Uuid, rating: Option<&Rating>) -> Result<Closed, SubmitError> {
        let closed = self.store.close_rating(id, rating).map_err(|err| {
            self.fault.store(true, Ordering::Relaxed);
            SubmitError::from(err)
        })?;
        if let Some(kick) = &self.kick {
            kick.kick();
        }
        Ok(closed)
    }

    /// Runs a write with the submission context; a failure is an internal
    /// fault, a success tells the sync worker when `kick`.
    fn with_context<T>(
        &self,
        write: impl FnOnce(&Store, &SubmitContext<'_>) -> Result<T, crate::store::StoreError>,
        kick: bool,
    ) -> Result<T, SubmitError> {
        let calendar = &self.calendar;
        let due =
            move |c: &crate::domain::record::Complaint, filed| answer::due_date(c, filed, calendar);
        let ctx = SubmitContext {
            prefix: &self.prefix,
            clock: self.clock.as_ref(),
            due_rule: &due,
        };
        match write(&self.store, &ctx) {
            Ok(done) => {
                if kick && let Some(kick) = &self.kick {
                    kick.kick();
                }
                Ok(done)
            }
            Err(err) => {
                self.fault.store(true, Ordering::Relaxed);
                Err(err.into())
            }
        }
    }
}

/// What the printer thread needs.
struct PrintDesk {
    printer: Arc<PrintWorker>,
    store: Store,
    clock: Arc<dyn Clock>,
    status: SharedStatus,
}

impl PrintDesk {
    fn now(&self) -> impl Fn() -> DateTime<Utc> + use<> {
        let clock = self.clock.clone();
        move || clock.now()
    }

    /// Prints `record`'s receipt and notes what the printer said.
    fn print(&self, record: Uuid) -> PrintResult {
        let outcome = self.printer.print_record(record, &self.now());
        self.result(outcome)
    }

    /// A new job for `record` (the failed one stays failed), printed now.
    fn reprint(&self, record: Uuid) -> PrintResult {
        let outcome = self
            .store
            .add_print_job(record, false, self.clock.now())
            .map_err(Into::into)
            .and_then(|job| self.printer.print_job(job, &self.now()));
        self.result(outcome)
    }

    fn result(&self, outcome: Result<Outcome, crate::printer::PrinterError>) -> PrintResult {
        match outcome {
            Ok(Outcome::Printed { status, .. }) => {
                self.status.set(status);
                PrintResult::Printed(status)
            }
            Ok(Outcome::Failed { error, .. }) | Err(error) => {
                self.status.set(error.implied_status());
                PrintResult::Failed(error)
            }
        }
    }

    fn poll(&self) {
        match self.printer.status() {
            Ok(status) => self.status.set(status),
            Err(err) => {
                tracing::warn!(%err, "cannot read the printer's status");
                self.status.set(PrinterStatus::Offline);
            }
        }
    }
}

/// The real kiosk.
pub struct KioskService {
    config: Arc<Config>,
    calendar: Calendar,
    clock: Arc<dyn Clock>,
    staff: Staff,
    desk: Arc<Desk>,
    print_desk: Arc<PrintDesk>,
    store_worker: Worker,
    printer_worker: Worker,
    pin_worker: Worker,
    files_worker: Worker,
    back: Arc<dyn HandBack>,
    sync: Option<watch::Receiver<SyncStatus>>,
    fault: Arc<AtomicBool>,
}

impl KioskService {
    /// Starts the worker threads.
    pub fn start(parts: Parts) -> std::io::Result<KioskService> {
        let Parts {
            config,
            store,
            clock,
            printer_status,
            sync,
            back,
        } = parts;
        let printer = Arc::new(crate::printer::worker(store.clone(), &config));
        let staff = Staff::new(
            store.clone(),
            clock.clone(),
            StaffSettings::from_config(&config),
            Some(printer.clone()),
        );
        let fault = Arc::new(AtomicBool::new(false));
        let desk = Arc::new(Desk {
            store: store.clone(),
            clock: clock.clone(),
            calendar: config.calendar(),
            prefix: config.kiosk.receipt_prefix.clone(),
            kick: sync.as_ref().map(|s| s.kick.clone()),
            fault: fault.clone(),
        });
        let print_desk = Arc::new(PrintDesk {
            printer,
            store,
            clock: clock.clone(),
            status: printer_status,
        });
        Ok(KioskService {
            calendar: config.calendar(),
            config,
            clock,
            staff,
            desk,
            print_desk,
            store_worker: Worker::spawn("store", STORE_QUEUE)?,
            printer_worker: Worker::spawn("printer", PRINTER_QUEUE)?,
            pin_worker: Worker::spawn("pin", PIN_QUEUE)?,
            files_worker: Worker::spawn("files", FILES_QUEUE)?,
            back,
            sync: sync.map(|s| s.status),
            fault,
        })
    }

    /// Runs `job` on `worker` and hands its result to `reply`.
    fn call<T>(&self, worker: &Worker, job: impl FnOnce() -> T + Send + 'static, reply: Reply<T>)
    where
        T: FromRefusal + Send + 'static,
    {
        let ticket = Ticket::new(reply, self.back.clone(), worker.name());
        dispatch(worker, ticket, job);
    }

    /// Runs `job` on `worker`, answering nobody.
    fn fire(&self, worker: &Worker, job: impl FnOnce() + Send + 'static) {
        if let Err((why, _)) = worker.try_run(Box::new(job)) {
            tracing::warn!(%why, "a background task was skipped");
        }
    }
}

/// Queues `job` with its ticket; a refusal is answered through the ticket.
fn dispatch<T>(worker: &Worker, ticket: Ticket<T>, job: impl FnOnce() -> T + Send + 'static)
where
    T: FromRefusal + Send + 'static,
{
    let why = ticket.refusal();
    if let Err((refusal, job)) = worker.try_run(Box::new(move || ticket.send(job()))) {
        *why.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = refusal;
        // Dropping the job drops its ticket, which answers with the refusal.
        drop(job);
    }
}

impl Kiosk for KioskService {
    fn config(&self) -> &Config {
        &self.config
    }

    fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn clock_trusted(&self) -> bool {
        self.clock.is_synchronised()
    }

    fn submit(
        &self,
        sub: Submission,
        stored: Reply<Result<Submitted, SubmitError>>,
        printed: Reply<PrintResult>,
    ) {
        let printed = sub.print_receipt.then(|| {
            Ticket::<PrintResult>::new(printed, self.back.clone(), self.printer_worker.name())
        });
        let (desk, print_desk) = (self.desk.clone(), self.print_desk.clone());
        let printer = self.printer_worker.clone();
        self.call(
            &self.store_worker,
            move || {
                let result = desk.submit(sub);
                if let Some(ticket) = printed {
                    match &result {
                        // After the commit, never before: the number exists.
                        Ok(done) => {
                            let id = done.id;
                            dispatch(&printer, ticket, move || print_desk.print(id));
                        }
                        Err(_) => ticket.cancel(),
                    }
                }
                result
            },
            stored,
        );
    }

    fn open_rating(&self, rating: Rating, stored: Reply<Result<Submitted, SubmitError>>) {
        let desk = self.desk.clone();
        self.call(&self.store_worker, move || desk.open_rating(rating), stored);
    }

    fn close_rating(
        &self,
        id: Uuid,
        rating: Option<Rating>,
        done: Reply<Result<Closed, SubmitError>>,
    ) {
        let desk = self.desk.clone();
        self.call(
            &self.store_worker,
            move || desk.close_rating(id, rating.as_ref()),
            done,
        );
    }

    fn follow_up(
        &self,
        number: ReceiptNumber,
        reply: Reply<Result<Option<FollowUp>, SubmitError>>,
    ) {
        let desk = self.desk.clone();
        self.call(
            &self.store_worker,
            move || desk.store.follow_up(&number).map_err(SubmitError::from),
            reply,
        );
    }

    fn print(&self, record: Uuid, reply: Reply<PrintResult>) {
        let desk = self.print_desk.clone();
        self.call(&self.printer_worker, move || desk.print(record), reply);
    }

    fn reprint(&self, record: Uuid, reply: Reply<PrintResult>) {
        let desk = self.print_desk.clone();
        self.call(&self.printer_worker, move || desk.reprint(record), reply);
    }

    fn poll_printer(&self) {
        let desk = self.print_desk.clone();
        self.fire(&self.printer_worker, move || desk.poll());
    }

    fn printer_status(&self) -> PrinterStatus {
        self.print_desk.status.get()
    }

    fn sync_status(&self) -> Option<SyncStatus> {
        self.sync.as_ref().map(|rx| rx.borrow().clone())
    }

    fn internal_fault(&self) -> bool {
        self.fault.load(Ordering::Relaxed)
    }

    fn staff_locked_for(&self, reply: Reply<Result<Option<Duration>, StaffError>>) {
        let (staff, now) = (self.staff.clone(), self.clock.now());
        self.call(&self.store_worker, move || staff.locked_for(now), reply);
    }

    fn staff_login(&self, how: Login, reply: Reply<Result<StaffSession, StaffError>>) {
        let (staff, now) = (self.staff.clone(), self.clock.now());
        match how {
            Login::Pin(pin) => {
                self.call(&self.pin_worker, move || staff.login_pin(&pin, now), reply);
            }
            Login::Key => self.call(&self.store_worker, move || staff.login_key(now), reply),
        }
    }

    fn staff_act(
        &self,
        session: Arc<StaffSession>,
        action: StaffAction,
        reply: Reply<Result<StaffDone, StaffError>>,
    ) {
        let status = self.print_desk.status.clone();
        let printed = move |result: Result<PrinterStatus, StaffError>| {
            result.map(|s| {
                status.set(s);
                StaffDone::Printed(s)
            })
        };
        match action {
            StaffAction::Summary(period) => self.call(
                &self.store_worker,
                move || {
                    session
                        .summary(period)
                        .map(|s| StaffDone::Summary(Box::new(s)))
                },
                reply,
            ),
            StaffAction::Register(filter) => self.call(
                &self.store_worker,
                move || session.register(&filter).map(StaffDone::Register),
                reply,
            ),
            StaffAction::MarkAnswered { id, on } => self.call(
                &self.store_worker,
                move || session.mark_answered(id, on).map(|()| StaffDone::Marked),
                reply,
            ),
            StaffAction::DeviceStatus { printer, sync } => self.call(
                &self.store_worker,
                move || {
                    session
                        .device_status(Some(Ok(printer)), sync.as_ref())
                        .map(|d| StaffDone::Device(Box::new(d)))
                },
                reply,
            ),
            StaffAction::PrintTestPage => self.call(
                &self.printer_worker,
                move || printed(session.print_test_page()),
                reply,
            ),
            StaffAction::PrintSummary(period) => self.call(
                &self.printer_worker,
                move || printed(session.print_summary(period)),
                reply,
            ),
            StaffAction::Export(period) => self.call(
                &self.files_worker,
                move || session.export(period).map(StaffDone::Exported),
                reply,
            ),
            StaffAction::Reprint(number) => {
                let desk = self.print_desk.clone();
                self.call(
                    &self.printer_worker,
                    move || {
                        let job = session.reprint(&number)?;
                        let printed = match desk.printer.print_job(job, &desk.now()) {
                            Ok(Outcome::Printed { status, .. }) => Ok(status),
                            Ok(Outcome::Failed { error, .. }) | Err(error) => Err(error),
                        };
                        Ok(StaffDone::Reprinted { number, printed })
                    },
                    reply,
                );
            }
            StaffAction::OutboxProblems { sync } => self.call(
                &self.store_worker,
                move || {
                    session
                        .outbox_problems(sync.as_ref())
                        .map(|p| StaffDone::Outbox(Box::new(p)))
                },
                reply,
            ),
            StaffAction::Requeue(target) => {
                let kick = self.desk.kick.clone();
                self.call(
                    &self.store_worker,
                    move || {
                        let done = session.requeue(&target)?;
                        // Staff acted on purpose: try now, not after the back-off.
                        if let Some(kick) = kick.filter(|_| !done.is_empty()) {
                            kick.sync_now();
                        }
                        Ok(StaffDone::Requeued(done))
                    },
                    reply,
                );
            }
        }
    }

    fn staff_logout(&self, session: Arc<StaffSession>, at: DateTime<Utc>, idle: bool) {
        self.fire(&self.store_worker, move || {
            // `touch` writes "logout_idle" for an idle session; a live one
            // is logged out by hand.
            if idle && !session.touch(at) {
                return;
            }
            session.logout(at);
        });
    }
}
