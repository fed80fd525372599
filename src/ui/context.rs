//! What the adapters share: configuration, store, clock, the background
//! worker, the visitor's language and the drafts of the current visit.
//!
//! It is `Send + Sync` so that results coming back from the background
//! worker can reach it; the drafts sit behind one mutex that is only ever
//! held for a moment on the UI thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::Lang;
use crate::domain::calendar::Calendar;
use crate::domain::record::Complaint;
use crate::domain::record::ComplaintType;
use crate::printer::SharedStatus;
use crate::store::{Store, StoreError, Submission, SubmitContext, Submitted};
use crate::sync::SyncStatus;

use super::Screen;
use super::background::Background;
use super::speech::SpeechHandle;

/// Shared by every adapter.
pub struct Ctx {
    pub config: Arc<Config>,
    /// Built once: holidays and moved days from the configuration.
    pub calendar: Calendar,
    pub clock: Arc<dyn Clock>,
    pub background: Background,
    pub printer_status: SharedStatus,
    /// "Read aloud" and speech mode; silent when no speaker was given.
    pub speech: SpeechHandle,
    visit: Mutex<Visit>,
    /// A record could not be stored: the status LED shows a fault.
    fault: AtomicBool,
    /// A staff call could not be stored; the board forgets the minute.
    staff_call_failed: AtomicBool,
    /// The link to the central system as last seen (none: not configured).
    sync: Mutex<Option<SyncStatus>>,
}

/// The current visit: everything cleared when the kiosk starts again.
#[derive(Debug, Default)]
pub struct Visit {
    pub lang: Option<Lang>,
    pub large_text: Option<bool>,
    /// Screens to go back to.
    pub stack: Vec<Screen>,
    pub services: ServicesDraft,
    pub rate: RateDraft,
    pub complaint: ComplaintDraftState,
    pub staff_pin: String,
    /// Staff mode: the session and its screens' choices.
    pub staff: super::staff::StaffState,
}

#[derive(Debug, Default)]
pub struct ServicesDraft {
    /// The group on the list screen; `None`: all services.
    pub group: Option<usize>,
    pub query: String,
    pub service: Option<String>,
}

#[derive(Debug, Default)]
pub struct RateDraft {
    pub score: u8,
    pub reasons: Vec<String>,
    pub desk: Option<String>,
    pub service: Option<String>,
    pub comment: String,
    /// The stored rating, once sent (for "print a receipt").
    pub stored: Option<uuid::Uuid>,
    pub printed: bool,
    pub problem: String,
}

/// Which field the keyboard writes into on the complaint screens.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintField {
    #[default]
    Text,
    Name,
    Address,
    Phone,
    Email,
}

#[derive(Debug, Default)]
pub struct ComplaintDraftState {
    pub ctype: Option<ComplaintType>,
    pub category: String,
    pub text: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub anonymous: bool,
    pub health_safety: bool,
    pub field: ComplaintField,
    /// Problems shown on the current step.
    pub problems: Vec<String>,
    /// Set once sent: the receipt screen shows it.
    pub number: Option<String>,
    pub record: Option<uuid::Uuid>,
    pub sending: bool,
}

impl Ctx {
    pub fn new(
        config: Arc<Config>,
        clock: Arc<dyn Clock>,
        background: Background,
        printer_status: SharedStatus,
    ) -> Ctx {
        Ctx {
            calendar: config.calendar(),
            config,
            clock,
            background,
            printer_status,
            speech: SpeechHandle::default(),
            visit: Mutex::new(Visit::default()),
            fault: AtomicBool::new(false),
            staff_call_failed: AtomicBool::new(false),
            sync: Mutex::new(None),
        }
    }

    /// The same context speaking through `speech`.
    pub fn with_speech(mut self, speech: SpeechHandle) -> Ctx {
        self.speech = speech;
        self
    }

    /// The current visit's state. Never hold it across a call into Slint
    /// that may run a callback.
    pub fn visit(&self) -> MutexGuard<'_, Visit> {
        match self.visit.lock() {
            Ok(v) => v,
            // A panic elsewhere must not lock the visitor out: the drafts
            // are plain data and still usable.
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The visitor's language.
    pub fn lang(&self) -> Lang {
        self.visit()
            .lang
            .unwrap_or(self.config.accessibility.default_language)
    }

    /// Whether large text is on.
    pub fn large_text(&self) -> bool {
        self.visit()
            .large_text
            .unwrap_or(self.config.accessibility.large_text)
    }

    /// Stores a submission in `store` (the worker's connection) with this
    /// kiosk's prefix, clock and the charter's due-date rule.
    pub fn submit(&self, store: &Store, sub: Submission) -> Result<Submitted, StoreError> {
        let calendar = &self.calendar;
        let due = move |c: &Complaint, filed: chrono::NaiveDate| {
            crate::domain::answer::due_date(c, filed, calendar)
        };
        let sc = SubmitContext {
            prefix: &self.config.kiosk.receipt_prefix,
            clock: self.clock.as_ref(),
            due_rule: &due,
        };
        store.submit(sub, &sc)
    }

    /// Something failed that needs a technician (the status LED shows it).
    pub fn set_fault(&self) {
        self.fault.store(true, Ordering::Relaxed);
    }

    /// Whether [`Ctx::set_fault`] was called.
    pub fn fault(&self) -> bool {
        self.fault.load(Ordering::Relaxed)
    }

    /// A staff call failed to be stored.
    pub fn set_staff_call_failed(&self) {
        self.staff_call_failed.store(true, Ordering::Relaxed);
    }

    /// Whether a staff call failed since the last look.
    pub fn take_staff_call_failed(&self) -> bool {
        self.staff_call_failed.swap(false, Ordering::Relaxed)
    }

    /// Remembers the sync worker's latest status, for the staff screen.
    pub fn set_sync_status(&self, status: SyncStatus) {
        if let Ok(mut s) = self.sync.lock() {
            *s = Some(status);
        }
    }

    /// The sync worker's latest status, if a central system is configured.
    pub fn sync_status(&self) -> Option<SyncStatus> {
        self.sync.lock().ok().and_then(|s| s.clone())
    }

    /// Forgets the visit: drafts, language, text size, back stack.
    pub fn clear_visit(&self) {
        *self.visit() = Visit::default();
    }
}
