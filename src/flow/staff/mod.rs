//! Staff mode: the PIN pad, the staff key, the session and the pages behind
//! them (status and tools, summaries, the complaint register, reprints).
//!
//! Invariants:
//! - every login and staff action goes through the kiosk ([`Kiosk::staff_login`],
//!   [`Kiosk::staff_act`]), which runs it off the UI thread and audits it;
//! - one PIN check at a time: "Enter" while one is being checked does
//!   nothing, and neither does a second tap on a tool that is working;
//! - every tap on a staff page counts as activity ([`StaffSession::touch`]);
//!   [`StaffFlow::tick`] ends the session after `[staff] idle_logout_secs`
//!   without one, or as soon as a visitor's page is shown, and a page
//!   behind the PIN is never shown without a live session;
//! - while a session is live the visitor's idle question stays away: the
//!   staff idle limit is the one that counts.

mod outbox;
mod views;
pub mod words;

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

pub use outbox::{OutboxRow, OutboxView};
pub use views::{Bar, Names, RegisterRow, StatusRow, SummaryView};

use super::edit::{backspace, push_key};
use super::kiosk::{Kiosk, Login, StaffAction, StaffDone};
use super::outlet::{Event, Outlet, Part};
use super::router::{Page, StaffStep};
use super::visit::Prefs;
use crate::domain::ReceiptNumber;
use crate::domain::notices::Notice;
use crate::domain::numbering::MAX_SEQUENCE;
use crate::domain::summary::Period;
use crate::staff::{Staff, StaffError, StaffSession};
use crate::store::{RegisterFilter, RegisterView, RequeueTarget};
use words::Done;

/// Longest PIN the pad takes.
pub const PIN_MAX: usize = 12;
/// Digits of a receipt number's sequence.
const DIGITS: usize = 6;
/// The first year a receipt can carry.
const FIRST_YEAR: i32 = 2000;

/// A result box: `kind` "ok" or "problem", and its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub kind: &'static str,
    pub text: String,
}

impl Outcome {
    fn ok(text: String) -> Self {
        Outcome { kind: "ok", text }
    }
    fn problem(text: String) -> Self {
        Outcome {
            kind: "problem",
            text,
        }
    }
}

#[derive(Debug, Default)]
struct State {
    pin: String,
    checking: bool,
    pin_message: String,
    /// PIN entry is locked until then (the kiosk's clock).
    locked_until: Option<DateTime<Utc>>,
    session: Option<Arc<StaffSession>>,
    /// The summary's period: 0 today, 1 this week, 2 this month, 3 this year.
    period: i32,
    /// The register's filter: 0 all, 1 flagged, 2 due soon, 3 overdue.
    filter: i32,
    reprint_digits: String,
    /// The reprint year; 0: this year.
    reprint_year: i32,
    status: Vec<StatusRow>,
    home_result: Option<Outcome>,
    home_working: bool,
    summary: SummaryView,
    summary_loading: bool,
    summary_problem: String,
    summary_result: Option<Outcome>,
    register: Vec<RegisterRow>,
    register_loading: bool,
    register_problem: String,
    reprint_result: Option<Outcome>,
    reprint_working: bool,
    outbox: OutboxView,
    outbox_loading: bool,
    outbox_result: Option<Outcome>,
    outbox_working: bool,
}

/// What the staff pages show.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffView {
    pub pin_length: usize,
    pub pin_message: String,
    /// The pad takes no digits: entry is locked, or no PIN is set.
    pub pin_closed: bool,
    pub checking: bool,
    pub status: Vec<StatusRow>,
    pub home_result: Option<Outcome>,
    pub home_working: bool,
    pub period: i32,
    pub summary: SummaryView,
    pub summary_loading: bool,
    pub summary_problem: String,
    pub summary_result: Option<Outcome>,
    pub filter: i32,
    pub register: Vec<RegisterRow>,
    pub register_loading: bool,
    pub register_problem: String,
    /// "KV1-2026-000042", with blanks for digits not typed.
    pub reprint_number: String,
    pub reprint_year: i32,
    pub reprint_can_go_later: bool,
    pub reprint_result: Option<Outcome>,
    pub reprint_working: bool,
    /// Records that did not reach the central system, and the link's problem.
    pub outbox: OutboxView,
    pub outbox_loading: bool,
    pub outbox_result: Option<Outcome>,
    pub outbox_working: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// "Leave staff mode" (or the key turned back).
    Leave,
    /// Idle too long.
    Idle,
    /// A visitor's page was shown.
    Left,
}

/// The staff flow.
pub struct StaffFlow {
    me: Weak<StaffFlow>,
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    state: RefCell<State>,
}

impl StaffFlow {
    pub fn new(kiosk: Rc<dyn Kiosk>, outlet: Rc<Outlet>, prefs: Rc<Prefs>) -> Rc<StaffFlow> {
        Rc::new_cyclic(|me| StaffFlow {
            me: me.clone(),
            kiosk,
            outlet,
            prefs,
            state: RefCell::default(),
        })
    }

    /// Whether a staff member is logged in.
    pub fn has_session(&self) -> bool {
        self.state.borrow().session.is_some()
    }

    /// Forgets what was typed on the PIN pad.
    pub fn clear_pin(&self) {
        self.state.borrow_mut().pin.clear();
        self.changed();
    }

    /// Everything forgotten; a live session is logged out.
    pub fn reset(&self) {
        let old = std::mem::take(&mut *self.state.borrow_mut());
        if let Some(session) = old.session {
            self.kiosk.staff_logout(session, self.kiosk.now(), false);
        }
        self.changed();
    }

    // The PIN pad.

    /// A fresh PIN pad. Says at once when no PIN is set (staff use the
    /// key) or when entry is locked, and then counts the lock down.
    pub fn start_pin(&self) {
        {
            let mut s = self.state.borrow_mut();
            s.pin.clear();
            s.pin_message.clear();
            s.checking = false;
        }
        self.changed();
        if !self.pin_set() {
            return;
        }
        let (me, asked) = (self.me.clone(), self.kiosk.now());
        self.kiosk.staff_locked_for(Box::new(move |locked| {
            let Some(me) = me.upgrade() else { return };
            match locked {
                Ok(Some(left)) => me.lock_for(asked, left),
                Ok(None) => {}
                Err(err) => tracing::error!(%err, "cannot read the staff PIN lockout"),
            }
        }));
    }

    /// Whether `[staff] pin_hash` holds a PIN (else staff use the key).
    fn pin_set(&self) -> bool {
        !self.kiosk.config().staff.pin_hash.trim().is_empty()
    }

    /// Entry is locked for `left` from `from`.
    fn lock_for(&self, from: DateTime<Utc>, left: std::time::Duration) {
        let until = from + chrono::Duration::from_std(left).unwrap_or(chrono::Duration::MAX);
        {
            let mut s = self.state.borrow_mut();
            s.locked_until = Some(until);
            s.pin.clear();
            s.pin_message.clear();
        }
        self.changed();
    }

    /// How long entry stays locked from now, if it is.
    fn locked_left(&self) -> Option<std::time::Duration> {
        let until = self.state.borrow().locked_until?;
        (until - self.kiosk.now())
            .to_std()
            .ok()
            .filter(|d| !d.is_zero())
    }

    /// Whether the pad refuses digits now.
    fn pin_closed(&self) -> bool {
        !self.pin_set() || self.locked_left().is_some()
    }

    /// A digit of the PIN pad; refused while the pad is closed.
    pub fn digit(&self, d: &str) {
        if self.pin_closed() {
            return self.changed();
        }
        push_key(&mut self.state.borrow_mut().pin, d, PIN_MAX);
        self.changed();
    }

    /// The PIN pad's erase key.
    pub fn erase(&self) {
        backspace(&mut self.state.borrow_mut().pin);
        self.changed();
    }

    /// About twice a second on the PIN pad: the lock's countdown, and the
    /// pad opened again when it ends.
    fn tick_pin(&self) {
        let Some(_) = self.state.borrow().locked_until else {
            return;
        };
        if self.locked_left().is_none() {
            self.state.borrow_mut().locked_until = None;
        }
        self.changed();
    }

    /// "Enter": checks the PIN, one check at a time.
    pub fn enter(&self) {
        if self.pin_closed() {
            self.state.borrow_mut().pin.clear();
            return self.changed();
        }
        let pin = {
            let mut s = self.state.borrow_mut();
            if s.checking {
                return;
            }
            std::mem::take(&mut s.pin)
        };
        if pin.is_empty() {
            return self.changed();
        }
        {
            let mut s = self.state.borrow_mut();
            s.checking = true;
            s.pin_message.clear();
        }
        self.changed();
        let (me, asked) = (self.me.clone(), self.kiosk.now());
        self.kiosk.staff_login(
            Login::Pin(pin),
            Box::new(move |result| {
                let Some(me) = me.upgrade() else { return };
                me.state.borrow_mut().checking = false;
                match result {
                    Ok(session) => me.begin(session),
                    Err(StaffError::LockedOut { left }) => me.lock_for(asked, left),
                    Err(err) => {
                        me.state.borrow_mut().pin_message = words::refusal(me.prefs.lang(), &err);
                        me.changed();
                    }
                }
            }),
        );
    }

    /// The board's staff key: in without a PIN, straight to the staff home.
    pub fn login_with_key(&self) {
        if self.session_now().is_some() {
            self.outlet
                .emit(Event::Replace(Page::Staff(StaffStep::Home)));
            return;
        }
        let me = self.me.clone();
        self.kiosk.staff_login(
            Login::Key,
            Box::new(move |result| {
                let Some(me) = me.upgrade() else { return };
                match result {
                    Ok(session) => me.begin(session),
                    Err(err) => {
                        tracing::error!(%err, "the staff key could not open staff mode");
                        me.outlet
                            .emit(Event::Notice(words::problem(me.prefs.lang(), &err)));
                    }
                }
            }),
        );
    }

    fn begin(&self, session: StaffSession) {
        *self.state.borrow_mut() = State {
            session: Some(Arc::new(session)),
            period: 2,
            ..State::default()
        };
        self.changed();
        self.outlet
            .emit(Event::Replace(Page::Staff(StaffStep::Home)));
    }

    /// The live session, with a tap noted now. When it has ended, staff
    /// mode is left (audited) and `None` returned.
    fn session_now(&self) -> Option<Arc<StaffSession>> {
        let now = self.kiosk.now();
        let session = self.state.borrow().session.clone()?;
        if session.is_expired(now) {
            self.end(now, Ending::Idle);
            return None;
        }
        session.touch(now);
        Some(session)
    }

    /// Runs a staff action through the kiosk, then `done` with its result.
    /// An expired session leaves staff mode instead.
    fn act(
        &self,
        action: StaffAction,
        done: impl FnOnce(&StaffFlow, Result<StaffDone, StaffError>) + 'static,
    ) {
        let Some(session) = self.session_now() else {
            return;
        };
        let me = self.me.clone();
        self.kiosk.staff_act(
            session,
            action,
            Box::new(move |result| {
                let Some(me) = me.upgrade() else { return };
                if !me.has_session() {
                    // Staff mode ended while the action ran.
                    return;
                }
                match result {
                    Err(StaffError::SessionExpired) => me.end(me.kiosk.now(), Ending::Idle),
                    other => done(&me, other),
                }
                me.changed();
            }),
        );
    }

    fn end(&self, at: DateTime<Utc>, how: Ending) {
        let taken = std::mem::take(&mut *self.state.borrow_mut());
        if let Some(session) = taken.session {
            self.kiosk.staff_logout(session, at, how == Ending::Idle);
        }
        self.changed();
        match how {
            Ending::Idle => {
                // As after a visitor's idle time: everything back to the
                // defaults, then say why.
                self.outlet.emit(Event::StartAgain);
                self.outlet.emit(Event::Notice(
                    Notice::StaffModeClosed
                        .message(self.kiosk.config().accessibility.default_language)
                        .to_owned(),
                ));
            }
            Ending::Leave => self.outlet.emit(Event::Home),
            Ending::Left => {}
        }
    }

    /// "Leave staff mode".
    pub fn leave(&self) {
        self.end(self.kiosk.now(), Ending::Leave);
    }

    /// Called about twice a second with the tick's `now` and the page shown.
    /// Ends an idle session, or one whose page was left for a visitor's, and
    /// sends a staff page with no session home. Returns whether staff mode
    /// owns the screen, in which case the visitor's idle question waits.
    pub fn tick(&self, now: Instant, page: Page) -> bool {
        let session = self.state.borrow().session.clone();
        let Some(session) = session else {
            if page == Page::Staff(StaffStep::Pin) {
                self.tick_pin();
            }
            if page.needs_session() {
                self.outlet.emit(Event::Home);
            }
            return false;
        };
        // The tick's instant, moved onto the staff clock: tests pass a later
        // instant to stand for time gone by.
        let ahead = now.saturating_duration_since(Instant::now());
        let wall = self.kiosk.now() + chrono::Duration::from_std(ahead).unwrap_or_default();
        if !page.needs_session() {
            self.end(wall, Ending::Left);
            return false;
        }
        if session.is_expired(wall) {
            tracing::info!("staff mode closed after being idle");
            self.end(wall, Ending::Idle);
            return false;
        }
        true
    }

    /// A staff page was shown (by a button, "back" or a language change):
    /// fill it.
    pub fn entered(&self, step: StaffStep) {
        match step {
            StaffStep::Pin => {}
            StaffStep::Home => {
                {
                    let mut s = self.state.borrow_mut();
                    s.home_result = None;
                    s.home_working = false;
                }
                self.load_status();
            }
            StaffStep::Summary => self.load_summary(),
            StaffStep::Register => self.load_register(),
            StaffStep::Reprint => {
                {
                    let mut s = self.state.borrow_mut();
                    s.reprint_digits.clear();
                    s.reprint_year = 0;
                    s.reprint_result = None;
                    s.reprint_working = false;
                }
                self.changed();
            }
            StaffStep::Outbox => {
                {
                    let mut s = self.state.borrow_mut();
                    s.outbox_result = None;
                    s.outbox_working = false;
                }
                self.load_outbox();
            }
        }
    }

    // The staff home.

    /// A button to another staff page.
    pub fn open(&self, step: StaffStep) {
        if self.session_now().is_some() {
            self.outlet.emit(Event::Go(Page::Staff(step)));
        }
    }

    /// Reads the device status again.
    pub fn load_status(&self) {
        let printer = self.kiosk.printer_status();
        let central = !self.kiosk.config().central.url.trim().is_empty();
        let sync = self.kiosk.sync_status();
        let lang = self.prefs.lang();
        self.act(
            StaffAction::DeviceStatus { printer, sync },
            move |me, result| {
                me.state.borrow_mut().status = match result {
                    Ok(StaffDone::Device(status)) => {
                        views::status_rows(lang, printer, central, &status)
                    }
                    Ok(_) => Vec::new(),
                    Err(err) => views::status_problem(lang, words::problem(lang, &err)),
                };
            },
        );
    }

    /// "Print a test page".
    pub fn print_test_page(&self) {
        self.tool(StaffAction::PrintTestPage, Done::TestPage);
    }

    /// "Print today's summary".
    pub fn print_todays_summary(&self) {
        self.tool(StaffAction::PrintSummary(Period::Today), Done::TodaysSlip);
    }

    /// "Export" on the home page: this month.
    pub fn export_month(&self) {
        if self.state.borrow().home_working {
            return;
        }
        self.state.borrow_mut().home_working = true;
        self.changed();
        let lang = self.prefs.lang();
        self.act(StaffAction::Export(Period::ThisMonth), move |me, result| {
            let mut s = me.state.borrow_mut();
            s.home_working = false;
            s.home_result = Some(exported(lang, result));
        });
    }

    fn tool(&self, action: StaffAction, said: Done) {
        if self.state.borrow().home_working {
            return;
        }
        self.state.borrow_mut().home_working = true;
        self.changed();
        let lang = self.prefs.lang();
        self.act(action, move |me, result| {
            {
                let mut s = me.state.borrow_mut();
                s.home_working = false;
                s.home_result = Some(printed(lang, said, result));
            }
            me.load_status();
        });
    }

    // Summaries.

    /// One of the four periods.
    pub fn choose_period(&self, period: i32) {
        self.state.borrow_mut().period = period.clamp(0, 3);
        self.load_summary();
    }

    fn load_summary(&self) {
        let period = {
            let mut s = self.state.borrow_mut();
            s.summary_loading = true;
            s.summary_problem.clear();
            s.summary_result = None;
            period_of(s.period)
        };
        self.changed();
        let lang = self.prefs.lang();
        self.act(StaffAction::Summary(period), move |me, result| {
            let view = match &result {
                Ok(StaffDone::Summary(summary)) => {
                    Some(views::summary_view(lang, me.kiosk.config(), summary))
                }
                _ => None,
            };
            let mut s = me.state.borrow_mut();
            s.summary_loading = false;
            match (view, result) {
                (Some(view), _) => s.summary = view,
                (None, Err(err)) => s.summary_problem = words::problem(lang, &err),
                (None, Ok(_)) => {}
            }
        });
    }

    /// The period's summary slip.
    pub fn print_period(&self) {
        let period = period_of(self.state.borrow().period);
        let lang = self.prefs.lang();
        self.act(StaffAction::PrintSummary(period), move |me, result| {
            me.state.borrow_mut().summary_result = Some(printed(lang, Done::SummarySlip, result));
        });
    }

    /// The period's export.
    pub fn export_period(&self) {
        let period = period_of(self.state.borrow().period);
        let lang = self.prefs.lang();
        self.act(StaffAction::Export(period), move |me, result| {
            me.state.borrow_mut().summary_result = Some(exported(lang, result));
        });
    }

    // The complaint register.

    /// One of the four filters.
    pub fn choose_filter(&self, filter: i32) {
        self.state.borrow_mut().filter = filter.clamp(0, 3);
        self.load_register();
    }

    fn load_register(&self) {
        let today = Staff::today(self.kiosk.now());
        let filter = {
            let mut s = self.state.borrow_mut();
            s.register_loading = true;
            s.register_problem.clear();
            s.filter
        };
        self.changed();
        let only = match filter {
            1 => Some(RegisterView::Flagged),
            2 => Some(RegisterView::DueSoon { today }),
            3 => Some(RegisterView::Overdue { today }),
            _ => None,
        };
        let lang = self.prefs.lang();
        let filter = RegisterFilter {
            filed: None,
            only,
            include_demo: false,
        };
        self.act(StaffAction::Register(filter), move |me, result| {
            let rows = match &result {
                Ok(StaffDone::Register(list)) => {
                    let names = Names {
                        lang,
                        config: me.kiosk.config(),
                    };
                    list.iter()
                        .rev()
                        .map(|e| views::register_row(lang, &names, today, e))
                        .collect()
                }
                _ => Vec::new(),
            };
            let mut s = me.state.borrow_mut();
            s.register_loading = false;
            s.register = rows;
            if let Err(err) = result {
                s.register_problem = words::problem(lang, &err);
            }
        });
    }

    /// "Mark answered today" (or clear the mark) on an entry.
    pub fn mark_answered(&self, id: &str, answered: bool) {
        let Ok(id) = Uuid::parse_str(id) else {
            tracing::error!(id, "the register page gave an unreadable record id");
            return;
        };
        let lang = self.prefs.lang();
        let today = Staff::today(self.kiosk.now());
        let on = answered.then_some(today);
        self.act(
            StaffAction::MarkAnswered { id, on },
            move |me, result| match result {
                Ok(_) => me.load_register(),
                Err(err) => me.state.borrow_mut().register_problem = words::problem(lang, &err),
            },
        );
    }

    // Records not delivered.

    fn load_outbox(&self) {
        self.state.borrow_mut().outbox_loading = true;
        self.changed();
        let lang = self.prefs.lang();
        let sync = self.kiosk.sync_status();
        self.act(StaffAction::OutboxProblems { sync }, move |me, result| {
            let mut s = me.state.borrow_mut();
            s.outbox_loading = false;
            match result {
                Ok(StaffDone::Outbox(p)) => s.outbox = OutboxView::of(lang, &p),
                Ok(_) => {}
                Err(err) => s.outbox_result = Some(Outcome::problem(words::problem(lang, &err))),
            }
        });
    }

    /// "Put back in the queue" on one record (its receipt number or id).
    pub fn requeue(&self, target: &str) {
        match target.parse::<RequeueTarget>() {
            Ok(RequeueTarget::All) | Err(_) => {
                tracing::error!(target, "the outbox page gave an unreadable record");
            }
            Ok(t) => self.requeue_target(t),
        }
    }

    /// "Put them all back in the queue".
    pub fn requeue_all(&self) {
        self.requeue_target(RequeueTarget::All);
    }

    fn requeue_target(&self, target: RequeueTarget) {
        if self.state.borrow().outbox_working || self.session_now().is_none() {
            return;
        }
        self.state.borrow_mut().outbox_working = true;
        self.changed();
        let lang = self.prefs.lang();
        self.act(StaffAction::Requeue(target), move |me, result| {
            let outcome = match result {
                Ok(StaffDone::Requeued(done)) => Outcome::ok(words::requeued(lang, done.len())),
                Ok(_) => Outcome::ok(String::new()),
                Err(err) => Outcome::problem(words::problem(lang, &err)),
            };
            {
                let mut s = me.state.borrow_mut();
                s.outbox_working = false;
                s.outbox_result = Some(outcome);
            }
            me.load_outbox();
        });
    }

    // Reprints.

    /// A digit of the reprint pad (no leading zeros: "000042" is "42").
    pub fn reprint_digit(&self, d: &str) {
        if self.session_now().is_none() {
            return;
        }
        {
            let mut s = self.state.borrow_mut();
            if !(s.reprint_digits.is_empty() && d == "0") {
                push_key(&mut s.reprint_digits, d, DIGITS);
            }
        }
        self.changed();
    }

    pub fn reprint_erase(&self) {
        if self.session_now().is_none() {
            return;
        }
        backspace(&mut self.state.borrow_mut().reprint_digits);
        self.changed();
    }

    /// The year one earlier or later, never past this year.
    pub fn change_year(&self, delta: i32) {
        if self.session_now().is_none() {
            return;
        }
        let this_year = self.this_year();
        {
            let mut s = self.state.borrow_mut();
            let year = year_of(s.reprint_year, this_year);
            s.reprint_year = (year.saturating_add(delta)).clamp(FIRST_YEAR, this_year);
        }
        self.changed();
    }

    /// "Reprint": queues a duplicate of the typed number and prints it.
    pub fn reprint(&self) {
        let lang = self.prefs.lang();
        let (year, digits) = {
            let s = self.state.borrow();
            if s.reprint_working {
                return;
            }
            (
                year_of(s.reprint_year, self.this_year()),
                s.reprint_digits.clone(),
            )
        };
        let sequence: u32 = digits.parse().unwrap_or(0);
        let prefix = &self.kiosk.config().kiosk.receipt_prefix;
        let number = match ReceiptNumber::new(prefix, year, sequence) {
            Ok(n) if sequence <= MAX_SEQUENCE => n,
            _ => {
                self.state.borrow_mut().reprint_result =
                    Some(Outcome::problem(words::type_the_digits(lang).to_owned()));
                return self.changed();
            }
        };
        self.state.borrow_mut().reprint_working = true;
        self.changed();
        self.act(StaffAction::Reprint(number), move |me, result| {
            let outcome = match result {
                Ok(StaffDone::Reprinted {
                    number,
                    printed: Err(crate::printer::PrinterError::NotConfirmed),
                }) => Outcome::problem(words::reprint_unconfirmed(lang, &number.to_string())),
                Ok(StaffDone::Reprinted { number, printed }) => {
                    if let Err(err) = printed {
                        tracing::warn!(%err, %number, "the reprint is queued but could not be printed yet");
                    }
                    Outcome::ok(words::reprint_queued(lang, &number.to_string()))
                }
                Ok(_) => Outcome::problem(String::new()),
                Err(err) => Outcome::problem(words::problem(lang, &err)),
            };
            let mut s = me.state.borrow_mut();
            s.reprint_working = false;
            s.reprint_result = Some(outcome);
        });
    }

    fn this_year(&self) -> i32 {
        Staff::today(self.kiosk.now()).year()
    }

    fn changed(&self) {
        self.outlet.emit(Event::Changed(Part::Staff));
    }

    /// What the PIN pad says: no PIN set, the lock's time left (counting
    /// down), or the last answer.
    fn pin_words(&self, last: &str) -> String {
        let lang = self.prefs.lang();
        if !self.pin_set() {
            return words::refusal(lang, &StaffError::NoPin);
        }
        match self.locked_left() {
            Some(left) => words::refusal(lang, &StaffError::LockedOut { left }),
            None => last.to_owned(),
        }
    }

    /// The pages' contents.
    pub fn view(&self) -> StaffView {
        let this_year = self.this_year();
        let s = self.state.borrow();
        let year = year_of(s.reprint_year, this_year);
        StaffView {
            pin_length: s.pin.chars().count(),
            pin_message: self.pin_words(&s.pin_message),
            pin_closed: self.pin_closed(),
            checking: s.checking,
            status: s.status.clone(),
            home_result: s.home_result.clone(),
            home_working: s.home_working,
            period: s.period,
            summary: s.summary.clone(),
            summary_loading: s.summary_loading,
            summary_problem: s.summary_problem.clone(),
            summary_result: s.summary_result.clone(),
            filter: s.filter,
            register: s.register.clone(),
            register_loading: s.register_loading,
            register_problem: s.register_problem.clone(),
            reprint_number: shown(
                &self.kiosk.config().kiosk.receipt_prefix,
                year,
                &s.reprint_digits,
            ),
            reprint_year: year,
            reprint_can_go_later: year < this_year,
            reprint_result: s.reprint_result.clone(),
            reprint_working: s.reprint_working,
            outbox: s.outbox.clone(),
            outbox_loading: s.outbox_loading,
            outbox_result: s.outbox_result.clone(),
            outbox_working: s.outbox_working,
        }
    }
}

fn period_of(index: i32) -> Period {
    match index {
        0 => Period::Today,
        1 => Period::ThisWeek,
        3 => Period::ThisYear,
        _ => Period::ThisMonth,
    }
}

fn year_of(chosen: i32, this_year: i32) -> i32 {
    if chosen == 0 { this_year } else { chosen }
}

/// "KV1-2026-000042": the typed digits with leading zeros; blanks when
/// nothing is typed yet.
fn shown(prefix: &str, year: i32, digits: &str) -> String {
    let seq = if digits.is_empty() {
        "_".repeat(DIGITS)
    } else {
        format!("{digits:0>DIGITS$}")
    };
    format!("{prefix}-{year}-{seq}")
}

fn printed(
    lang: crate::domain::Lang,
    said: Done,
    result: Result<StaffDone, StaffError>,
) -> Outcome {
    match result {
        Ok(StaffDone::Printed(status)) => {
            Outcome::ok(words::printed(lang, said.said(lang), status))
        }
        Ok(_) => Outcome::ok(said.said(lang).to_owned()),
        Err(err) => Outcome::problem(words::problem(lang, &err)),
    }
}

fn exported(lang: crate::domain::Lang, result: Result<StaffDone, StaffError>) -> Outcome {
    match result {
        Ok(StaffDone::Exported(done)) => Outcome::ok(words::exported(lang, &done)),
        Ok(_) => Outcome::ok(String::new()),
        Err(err) => Outcome::problem(words::problem(lang, &err)),
    }
}

#[cfg(test)]
mod tests;
