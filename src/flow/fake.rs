//! A kiosk for the flows' unit tests: the repository's kiosk.toml, a manual
//! clock at 10:00 on Monday 23 November 2026, staff mode over an in-memory
//! store (PIN 2468, also in its `[staff] pin_hash`), and every answer held until the test calls
//! [`FakeKiosk::answer_all`], as the real kiosk answers later, on the UI
//! thread.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::kiosk::{Kiosk, Login, PrintResult, Reply, StaffAction, StaffDone, SubmitError};
use crate::clock::{Clock, ManualClock, local_time};
use crate::config::{Config, PrinterTransport};
use crate::domain::ReceiptNumber;
use crate::domain::answer;
use crate::domain::calendar::Calendar;
use crate::domain::follow_up::FollowUp;
use crate::domain::record::{Rating, RecordData};
use crate::printer::{PrintWorker, PrinterStatus};
use crate::staff::{Staff, StaffError, StaffSession, StaffSettings};
use crate::store::{Closed, Store, StoreError, Submission, Submitted};
use crate::sync::SyncStatus;

/// A rating stored at a face tap, as the fake holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRating {
    pub id: Uuid,
    pub rating: Rating,
    /// Not yet final (not closed).
    pub open: bool,
}

/// The staff PIN of the fake.
pub const PIN: &str = "2468";

pub struct FakeKiosk {
    config: Config,
    calendar: Calendar,
    clock: Arc<ManualClock>,
    trusted: Cell<bool>,
    staff: Staff,
    store: Store,
    printer: Arc<PrintWorker>,
    _dir: tempfile::TempDir,
    held: RefCell<Vec<Box<dyn FnOnce()>>>,
    submitted: RefCell<Vec<Submission>>,
    ratings: RefCell<Vec<FakeRating>>,
    printed: RefCell<Vec<Uuid>>,
    reprinted: RefCell<Vec<Uuid>>,
    numbers: Cell<u32>,
    fail: Cell<bool>,
    print_result: RefCell<fn() -> PrintResult>,
}

impl FakeKiosk {
    pub fn new() -> Rc<FakeKiosk> {
        Self::with(|_| {})
    }

    /// The fake with the configuration changed first.
    pub fn with(change: impl FnOnce(&mut Config)) -> Rc<FakeKiosk> {
        let mut config = crate::config::load_with_env(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/kiosk.toml")),
            std::iter::empty(),
        )
        .unwrap();
        config.central.url.clear();
        let dir = tempfile::tempdir().unwrap();
        config.printer.transport = PrinterTransport::File(dir.path().join("receipts.bin"));
        static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        config.staff.pin_hash = HASH
            .get_or_init(|| crate::staff::pin::hash_pin(PIN).unwrap())
            .clone();
        change(&mut config);
        let clock = Arc::new(ManualClock::at_sofia(2026, 11, 23, 10, 0).unwrap());
        let store = Store::open_in_memory().unwrap();
        let mut settings = StaffSettings::from_config(&config);
        settings.export_dir = None;
        settings.mounts.mounts = "/nonexistent/mounts".into();
        let printer = Arc::new(crate::printer::worker(store.clone(), &config));
        let staff = Staff::new(
            store.clone(),
            clock.clone(),
            settings,
            Some(printer.clone()),
        );
        Rc::new(FakeKiosk {
            calendar: config.calendar(),
            config,
            clock,
            trusted: Cell::new(true),
            staff,
            store,
            printer,
            _dir: dir,
            held: RefCell::default(),
            submitted: RefCell::default(),
            ratings: RefCell::default(),
            printed: RefCell::default(),
            reprinted: RefCell::default(),
            numbers: Cell::new(0),
            fail: Cell::new(false),
            print_result: RefCell::new(|| PrintResult::Printed(PrinterStatus::Ok)),
        })
    }

    /// Runs every held answer (and those they lead to), in order.
    pub fn answer_all(&self) {
        loop {
            let held: Vec<_> = self.held.borrow_mut().drain(..).collect();
            if held.is_empty() {
                return;
            }
            for answer in held {
                answer();
            }
        }
    }

    /// Whether answers are waiting.
    pub fn pending(&self) -> usize {
        self.held.borrow().len()
    }

    pub fn submitted(&self) -> Vec<Submission> {
        self.submitted.borrow().clone()
    }

    /// The ratings stored at face taps, oldest first.
    pub fn ratings(&self) -> Vec<FakeRating> {
        self.ratings.borrow().clone()
    }

    pub fn printed(&self) -> Vec<Uuid> {
        self.printed.borrow().clone()
    }

    pub fn reprinted(&self) -> Vec<Uuid> {
        self.reprinted.borrow().clone()
    }

    /// The store behind staff mode.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The staff audit trail's actions, oldest first.
    pub fn audited(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .store
            .audit_entries(1000)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        v.reverse();
        v
    }

    /// Submissions fail (a broken disk) until told otherwise.
    pub fn fail_submissions(&self, fail: bool) {
        self.fail.set(fail);
    }

    /// How prints end from now on.
    pub fn print_with(&self, result: fn() -> PrintResult) {
        *self.print_result.borrow_mut() = result;
    }

    pub fn set_clock_trusted(&self, trusted: bool) {
        self.trusted.set(trusted);
    }

    /// Moves the clock on.
    pub fn advance(&self, by: Duration) {
        self.clock
            .set(self.clock.now() + chrono::Duration::from_std(by).unwrap());
    }

    fn hold(&self, answer: impl FnOnce() + 'static) {
        self.held.borrow_mut().push(Box::new(answer));
    }

    fn stored(&self, sub: &Submission) -> Result<Submitted, SubmitError> {
        if self.fail.get() {
            return Err(SubmitError::Store(StoreError::InvalidRecord(
                "the disk is broken on purpose".into(),
            )));
        }
        let created_at = local_time(self.clock.now());
        let (number, due_date) = match &sub.data {
            RecordData::Complaint(c) => {
                self.numbers.set(self.numbers.get() + 1);
                (
                    Some(ReceiptNumber::new("KV1", 2026, self.numbers.get()).unwrap()),
                    answer::due_date(c, created_at.date_naive(), &self.calendar),
                )
            }
            _ => (None, None),
        };
        let check_code = number.as_ref().and_then(|_| "7K3M9Q".parse().ok());
        Ok(Submitted {
            id: Uuid::now_v7(),
            number,
            created_at,
            clock_trusted: self.trusted.get(),
            due_date,
            check_code,
            print_job: sub.print_receipt.then_some(1),
        })
    }
}

impl Kiosk for FakeKiosk {
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
        self.trusted.get()
    }

    fn submit(
        &self,
        sub: Submission,
        stored: Reply<Result<Submitted, SubmitError>>,
        printed: Reply<PrintResult>,
    ) {
        let result = self.stored(&sub);
        let print = result.is_ok() && sub.print_receipt;
        if let Ok(done) = &result
            && print
        {
            self.printed.borrow_mut().push(done.id);
        }
        self.submitted.borrow_mut().push(sub);
        self.hold(move || stored(result));
        if print {
            let result = (self.print_result.borrow())();
            self.hold(move || printed(result));
        }
    }

    fn open_rating(&self, rating: Rating, stored: Reply<Result<Submitted, SubmitError>>) {
        let result = self.stored(&Submission {
            data: RecordData::Rating(rating.clone()),
            print_receipt: false,
            demo: false,
        });
        if let Ok(done) = &result {
            self.ratings.borrow_mut().push(FakeRating {
                id: done.id,
                rating,
                open: true,
            });
        }
        self.hold(move || stored(result));
    }

    fn close_rating(
        &self,
        id: Uuid,
        rating: Option<Rating>,
        done: Reply<Result<Closed, SubmitError>>,
    ) {
        let result = if self.fail.get() {
            Err(SubmitError::Store(StoreError::InvalidRecord(
                "the disk is broken on purpose".into(),
            )))
        } else {
            let mut all = self.ratings.borrow_mut();
            Ok(match all.iter_mut().find(|r| r.id == id) {
                None => Closed::Missing,
                Some(r) if !r.open => Closed::AlreadyFinal,
                Some(r) => {
                    if let Some(new) = rating {
                        r.rating = new;
                    }
                    r.open = false;
                    Closed::Completed
                }
            })
        };
        self.hold(move || done(result));
    }

    fn follow_up(
        &self,
        number: ReceiptNumber,
        reply: Reply<Result<Option<FollowUp>, SubmitError>>,
    ) {
        let result = self.store.follow_up(&number).map_err(SubmitError::from);
        self.hold(move || reply(result));
    }

    fn print(&self, record: Uuid, reply: Reply<PrintResult>) {
        self.printed.borrow_mut().push(record);
        let result = (self.print_result.borrow())();
        self.hold(move || reply(result));
    }

    fn reprint(&self, record: Uuid, reply: Reply<PrintResult>) {
        self.reprinted.borrow_mut().push(record);
        let result = (self.print_result.borrow())();
        self.hold(move || reply(result));
    }

    fn poll_printer(&self) {}

    fn printer_status(&self) -> PrinterStatus {
        PrinterStatus::Ok
    }

    fn sync_status(&self) -> Option<SyncStatus> {
        None
    }

    fn internal_fault(&self) -> bool {
        false
    }

    fn staff_locked_for(&self, reply: Reply<Result<Option<Duration>, StaffError>>) {
        let result = self.staff.locked_for(self.clock.now());
        self.hold(move || reply(result));
    }

    fn staff_login(&self, how: Login, reply: Reply<Result<StaffSession, StaffError>>) {
        let now = self.clock.now();
        let result = match how {
            Login::Pin(pin) => self.staff.login_pin(&pin, now),
            Login::Key => self.staff.login_key(now),
        };
        self.hold(move || reply(result));
    }

    fn staff_act(
        &self,
        session: Arc<StaffSession>,
        action: StaffAction,
        reply: Reply<Result<StaffDone, StaffError>>,
    ) {
        let result = match action {
            StaffAction::Summary(p) => session.summary(p).map(|s| StaffDone::Summary(Box::new(s))),
            StaffAction::Register(f) => session.register(&f).map(StaffDone::Register),
            StaffAction::MarkAnswered { id, on } => {
                session.mark_answered(id, on).map(|()| StaffDone::Marked)
            }
            StaffAction::DeviceStatus { printer, sync } => session
                .device_status(Some(Ok(printer)), sync.as_ref())
                .map(|d| StaffDone::Device(Box::new(d))),
            StaffAction::PrintTestPage => session.print_test_page().map(StaffDone::Printed),
            StaffAction::PrintSummary(p) => session.print_summary(p).map(StaffDone::Printed),
            StaffAction::Export(p) => session.export(p).map(StaffDone::Exported),
            StaffAction::Reprint(number) => session.reprint(&number).map(|job| {
                let clock = self.clock.clone();
                let printed = self
                    .printer
                    .print_job(job, &move || clock.now())
                    .map(|_| PrinterStatus::Unknown);
                StaffDone::Reprinted { number, printed }
            }),
            StaffAction::OutboxProblems { sync } => session
                .outbox_problems(sync.as_ref())
                .map(|p| StaffDone::Outbox(Box::new(p))),
            StaffAction::Requeue(target) => session.requeue(&target).map(StaffDone::Requeued),
        };
        self.hold(move || reply(result));
    }

    fn staff_logout(&self, session: Arc<StaffSession>, at: DateTime<Utc>, idle: bool) {
        if idle && !session.touch(at) {
            return;
        }
        session.logout(at);
    }
}
