//! A logged-in staff member and what they can do.
//!
//! Each action checks the idle limit first (an expired session refuses and
//! audits), then counts as activity, runs, and writes one audit row saying
//! how it ended. Times come from the [`Staff`]'s clock. A session may be
//! shared between the UI thread (which calls [`StaffSession::touch`] on
//! every tap) and the worker thread running the actions.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::Staff;
use super::device::{self, DeviceStatus};
use super::error::StaffError;
use super::export::ExportDone;
use super::outbox::OutboxProblems;
use crate::clock::local_time;
use crate::domain::ReceiptNumber;
use crate::domain::summary::slip::summary_slip;
use crate::domain::summary::{DateRange, Period, Summary};
use crate::printer::PrinterStatus;
use crate::printer::jobs::PrintWorker;
use crate::store::{
    AuditEntry, AuditOutcome, RegisterEntry, RegisterFilter, RequeueTarget, Requeued, Scope,
};
use crate::sync::SyncStatus;

/// How the staff member got in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMethod {
    Pin,
    Key,
}

#[derive(Debug)]
struct State {
    last_activity: DateTime<Utc>,
    ended: bool,
}

/// A logged-in staff member. `Send + Sync`.
#[derive(Debug)]
pub struct StaffSession {
    staff: Staff,
    method: LoginMethod,
    state: Mutex<State>,
}

impl StaffSession {
    pub(crate) fn start(staff: Staff, method: LoginMethod, now: DateTime<Utc>) -> Self {
        StaffSession {
            staff,
            method,
            state: Mutex::new(State {
                last_activity: now,
                ended: false,
            }),
        }
    }

    pub fn method(&self) -> LoginMethod {
        self.method
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the session is over at `now`: logged out, or idle for
    /// `[staff] idle_logout_secs`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        let st = self.state();
        st.ended || idle_too_long(&st, now, self.staff.inner().settings.idle_logout)
    }

    /// Notes activity (a tap) at `now`. Returns `false`, and logs the
    /// session out (audited once), when it had already expired.
    pub fn touch(&self, now: DateTime<Utc>) -> bool {
        let mut st = self.state();
        if st.ended {
            return false;
        }
        if idle_too_long(&st, now, self.staff.inner().settings.idle_logout) {
            st.ended = true;
            drop(st);
            self.log_audit(now, "logout_idle", AuditOutcome::Ok, "");
            return false;
        }
        st.last_activity = st.last_activity.max(now);
        true
    }

    /// Ends the session (the "log out" button or the key turned back).
    pub fn logout(&self, now: DateTime<Utc>) {
        let mut st = self.state();
        if !st.ended {
            st.ended = true;
            drop(st);
            self.log_audit(now, "logout", AuditOutcome::Ok, "");
        }
    }

    /// The summary of `period` (demo records excluded).
    pub fn summary(&self, period: Period) -> Result<Summary, StaffError> {
        self.act("summary", |now| {
            let (range, summary) = self.compute(period, now, Scope::default())?;
            Ok((summary, range.to_string()))
        })
    }

    /// The complaint register, without personal data.
    pub fn register(&self, filter: &RegisterFilter) -> Result<Vec<RegisterEntry>, StaffError> {
        self.act("register", |_| {
            let list = self.staff.inner().store.register(filter)?;
            let detail = format!("{} listed", list.len());
            Ok((list, detail))
        })
    }

    /// Marks complaint `id` answered on `on` (`None` clears the mark).
    pub fn mark_answered(&self, id: Uuid, on: Option<NaiveDate>) -> Result<(), StaffError> {
        self.act("mark_answered", |_| {
            self.staff.inner().store.mark_answered(id, on)?;
            let number = self
                .staff
                .inner()
                .store
                .get(id)?
                .and_then(|r| r.record.number)
                .map_or_else(|| id.to_string(), |n| n.to_string());
            let on = on.map_or_else(|| "cleared".to_owned(), |d| d.to_string());
            Ok(((), format!("{number} answered {on}")))
        })
    }

    /// The device status page. `printer` is the printer's answer if the
    /// caller asked it (see [`StaffSession::printer_status`]); `sync` the
    /// sync worker's latest snapshot.
    pub fn device_status(
        &self,
        printer: Option<Result<PrinterStatus, String>>,
        sync: Option<&SyncStatus>,
    ) -> Result<DeviceStatus, StaffError> {
        self.act("device_status", |_| {
            let inner = self.staff.inner();
            let status = device::gather(&inner.store, printer, sync, inner.clock.as_ref())?;
            Ok((status, String::new()))
        })
    }

    /// The records that did not reach the central system and need staff:
    /// held (with the HTTP code and the start of the answer), set aside
    /// (with what could not be read), rejected (with the reason); and the
    /// link's configuration problem from `sync`, the worker's snapshot
    /// ("the central system answers HTTP 404 at URL: check [central] url").
    pub fn outbox_problems(&self, sync: Option<&SyncStatus>) -> Result<OutboxProblems, StaffError> {
        self.act("outbox_problems", |_| {
            let problems = super::outbox::problems(&self.staff.inner().store, sync)?;
            Ok((problems, String::new()))
        })
    }

    /// Puts a rejected, held or set-aside record (or all of them) back in
    /// the queue; the screen then asks the sync worker to send now. Audited
    /// with the receipt numbers or ids, as `kiosk outbox --requeue` is.
    pub fn requeue(&self, target: &RequeueTarget) -> Result<Vec<Requeued>, StaffError> {
        // `act` audits the outcome; the store call itself is not audited twice.
        self.act("requeue", |now| {
            let done = self.staff.inner().store.requeue(target, now)?;
            let detail = super::outbox::audit_detail(target, &done, "screen");
            Ok((done, detail))
        })
    }

    /// The newest `limit` rows of the audit trail, newest first.
    pub fn audit_trail(&self, limit: usize) -> Result<Vec<AuditEntry>, StaffError> {
        self.act("audit_trail", |_| {
            Ok((
                self.staff.inner().store.audit_entries(limit)?,
                String::new(),
            ))
        })
    }

    /// Asks the printer for its status (waits up to `[printer] timeout_ms`).
    pub fn printer_status(&self) -> Result<PrinterStatus, StaffError> {
        self.act("printer_status", |_| {
            let status = self.printer()?.status()?;
            Ok((status, status.as_str().to_owned()))
        })
    }

    /// Queues a duplicate of receipt `number`; returns the print job's id.
    pub fn reprint(&self, number: &ReceiptNumber) -> Result<i64, StaffError> {
        self.act("reprint", |now| {
            let job = self.printer()?.reprint(number, now)?;
            Ok((job, number.to_string()))
        })
    }

    /// Prints the summary slip of `period` now.
    pub fn print_summary(&self, period: Period) -> Result<PrinterStatus, StaffError> {
        self.act("print_summary", |now| {
            let printer = self.printer()?;
            let (range, summary) = self.compute(period, now, Scope::default())?;
            let inner = self.staff.inner();
            let ctx = printer.context();
            let doc = summary_slip(
                &summary,
                &inner.settings.names,
                &inner.settings.municipality,
                &local_time(now).format("%d.%m.%Y %H:%M").to_string(),
                ctx.columns,
                ctx.large_print,
            );
            let bytes = crate::printer::render(&doc, printer.page())?;
            let status = printer.print_now(&bytes)?;
            Ok((status, range.to_string()))
        })
    }

    /// Prints the printer set-up slip (`kiosk print-test`).
    pub fn print_test_page(&self) -> Result<PrinterStatus, StaffError> {
        self.act("print_test_page", |_| {
            let printer = self.printer()?;
            let bytes = crate::printer::test_slip::bytes(printer.page().cancel_kanji);
            Ok((printer.print_now(&bytes)?, String::new()))
        })
    }

    /// Exports `period` (summary and complaint register, CSV, JSON and
    /// Markdown) to the USB stick, or `[staff] export_dir`.
    pub fn export(&self, period: Period) -> Result<ExportDone, StaffError> {
        self.act("export", |now| {
            let done =
                super::reports::export_period(&self.staff, period, now, Scope::default(), None)?;
            let detail = format!("{} to {}", done.range, done.dir.display());
            Ok((done, detail))
        })
    }

    fn compute(
        &self,
        period: Period,
        now: DateTime<Utc>,
        scope: Scope,
    ) -> Result<(DateRange, Summary), StaffError> {
        let range = period.resolve(Staff::today(now))?;
        let summary = self
            .staff
            .inner()
            .store
            .summary(range, Staff::today(now), scope)?;
        Ok((range, summary))
    }

    fn printer(&self) -> Result<&Arc<PrintWorker>, StaffError> {
        self.staff
            .inner()
            .printer
            .as_ref()
            .ok_or(StaffError::NoPrinter)
    }

    /// Runs one audited action: refused when the session is over, else
    /// counted as activity, run, and its outcome written with `f`'s detail.
    fn act<T>(
        &self,
        action: &str,
        f: impl FnOnce(DateTime<Utc>) -> Result<(T, String), StaffError>,
    ) -> Result<T, StaffError> {
        let now = self.staff.inner().clock.now();
        if !self.touch(now) {
            self.staff
                .audit(now, action, AuditOutcome::Refused, "session expired")?;
            return Err(StaffError::SessionExpired);
        }
        match f(now) {
            Ok((value, detail)) => {
                self.staff.audit(now, action, AuditOutcome::Ok, &detail)?;
                Ok(value)
            }
            Err(e) => {
                let outcome = match e {
                    StaffError::Period(_) => AuditOutcome::Refused,
                    _ => AuditOutcome::Failed,
                };
                self.log_audit(now, action, outcome, &e.to_string());
                Err(e)
            }
        }
    }

    /// Audits where an error cannot be returned; a failure is logged.
    fn log_audit(&self, now: DateTime<Utc>, action: &str, outcome: AuditOutcome, detail: &str) {
        if let Err(e) = self.staff.audit(now, action, outcome, detail) {
            tracing::error!(action, "could not write the staff audit trail: {e}");
        }
    }
}

fn idle_too_long(st: &State, now: DateTime<Utc>, limit: std::time::Duration) -> bool {
    (now - st.last_activity)
        .to_std()
        .is_ok_and(|idle| idle >= limit)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::staff::{StaffSettings, pin};
    use crate::store::Store;
    use crate::store::fixtures::{complaint, context, submission};

    fn settings(hash: &str, export_dir: Option<std::path::PathBuf>) -> StaffSettings {
        StaffSettings {
            pin_hash: hash.into(),
            idle_logout: Duration::from_secs(120),
            export_dir,
            mounts: crate::staff::MountSources {
                mounts: "/nonexistent/mounts".into(),
                ..Default::default()
            },
            names: Default::default(),
            municipality: "Община Ковачевци".into(),
            kiosk_id: "kv-lobby".into(),
        }
    }

    fn staff(
        store: &Store,
        clock: &Arc<ManualClock>,
        export_dir: Option<std::path::PathBuf>,
    ) -> Staff {
        // One hash for the whole test binary: Argon2 is slow on purpose.
        static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let hash = HASH.get_or_init(|| pin::hash_pin("2468").unwrap());
        Staff::new(
            store.clone(),
            clock.clone(),
            settings(hash, export_dir),
            None,
        )
    }

    fn actions(store: &Store) -> Vec<(String, AuditOutcome)> {
        let mut v: Vec<_> = store
            .audit_entries(100)
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.outcome))
            .collect();
        v.reverse();
        v
    }

    #[test]
    fn five_wrong_pins_lock_entry_even_across_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let clock = Arc::new(ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap());
        {
            let store = Store::create(&path).unwrap();
            let staff = staff(&store, &clock, None);
            for left in (1..=4).rev() {
                let err = staff.login_pin("1111", clock.now()).unwrap_err();
                assert!(
                    matches!(err, StaffError::WrongPin { attempts_left } if attempts_left == left),
                    "{err}"
                );
            }
            let err = staff.login_pin("1111", clock.now()).unwrap_err();
            assert!(
                matches!(err, StaffError::LockedOut { left } if left == Duration::from_secs(60))
            );
        }
        // Power cycle: a new process, the same database.
        let store = Store::open(&path).unwrap();
        let staff = staff(&store, &clock, None);
        clock.advance(chrono::Duration::seconds(30));
        let err = staff.login_pin("2468", clock.now()).unwrap_err();
        assert!(
            matches!(err, StaffError::LockedOut { .. }),
            "the right PIN is not even checked while locked"
        );
        clock.advance(chrono::Duration::seconds(31));
        // Another wrong PIN after the lock: twice as long.
        let err = staff.login_pin("1111", clock.now()).unwrap_err();
        assert!(matches!(err, StaffError::LockedOut { left } if left == Duration::from_secs(120)));
        clock.advance(chrono::Duration::seconds(121));
        staff.login_pin("2468", clock.now()).unwrap();
        assert_eq!(store.lockout().unwrap().failures, 0);
        let refused = actions(&store)
            .iter()
            .filter(|(a, o)| a == "login_pin" && *o == AuditOutcome::Refused)
            .count();
        assert_eq!(refused, 7);
        assert!(
            store
                .audit_entries(100)
                .unwrap()
                .iter()
                .all(|e| !e.detail.contains("2468") && !e.detail.contains("1111"))
        );
    }

    #[test]
    fn an_idle_session_ends_and_its_next_action_is_refused_and_audited() {
        let store = Store::open_in_memory().unwrap();
        let clock = Arc::new(ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap());
        let staff = staff(&store, &clock, None);
        let session = staff.login_key(clock.now()).unwrap();
        clock.advance(chrono::Duration::seconds(119));
        assert!(!session.is_expired(clock.now()));
        assert!(session.touch(clock.now()));
        session.summary(Period::Today).unwrap();
        clock.advance(chrono::Duration::seconds(120));
        assert!(session.is_expired(clock.now()));
        assert!(matches!(
            session.summary(Period::Today),
            Err(StaffError::SessionExpired)
        ));
        assert!(!session.touch(clock.now()));
        assert_eq!(
            actions(&store),
            [
                ("login_key".to_owned(), AuditOutcome::Ok),
                ("summary".to_owned(), AuditOutcome::Ok),
                ("logout_idle".to_owned(), AuditOutcome::Ok),
                ("summary".to_owned(), AuditOutcome::Refused),
            ]
        );
    }

    #[test]
    fn every_action_leaves_an_audit_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_memory().unwrap();
        let clock = Arc::new(ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap());
        let filed = store
            .submit(submission(complaint()), &context(clock.as_ref()))
            .unwrap();
        let staff = staff(&store, &clock, Some(dir.path().to_path_buf()));
        let session = staff.login_pin("2468", clock.now()).unwrap();
        assert_eq!(session.method(), LoginMethod::Pin);
        let list = session.register(&RegisterFilter::default()).unwrap();
        assert_eq!(list.len(), 1);
        session
            .mark_answered(filed.id, Some(Staff::today(clock.now())))
            .unwrap();
        session.device_status(None, None).unwrap();
        let done = session.export(Period::ThisMonth).unwrap();
        assert_eq!(done.files.len(), 4);
        assert_eq!(done.complaints, 1);
        assert!(matches!(
            session.reprint(filed.number.as_ref().unwrap()),
            Err(StaffError::NoPrinter)
        ));
        assert!(matches!(
            session.summary(Period::Range {
                from: Staff::today(clock.now()),
                to: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
            }),
            Err(StaffError::Period(_))
        ));
        session.logout(clock.now());
        assert!(session.is_expired(clock.now()));
        let trail = actions(&store);
        let names: Vec<&str> = trail.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            names,
            [
                "login_pin",
                "register",
                "mark_answered",
                "device_status",
                "export",
                "reprint",
                "summary",
                "logout"
            ]
        );
        assert_eq!(trail[5].1, AuditOutcome::Failed);
        assert_eq!(trail[6].1, AuditOutcome::Refused);
        let entries = store.audit_entries(10).unwrap();
        let answered = entries
            .iter()
            .find(|e| e.action == "mark_answered")
            .unwrap();
        assert!(
            answered
                .detail
                .starts_with("KV1-2026-000001 answered 2026-05-04"),
            "{}",
            answered.detail
        );
        // The register export holds no personal data.
        let register = done
            .files
            .iter()
            .find(|f| f.to_string_lossy().ends_with("-register.csv"))
            .unwrap();
        let text = String::from_utf8(std::fs::read(register).unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("KV1-2026-000001"));
        for secret in ["Иван", "0888", "ivan@", "Чаках"] {
            for f in &done.files {
                assert!(
                    !std::fs::read_to_string(f).unwrap().contains(secret),
                    "{secret} in {}",
                    f.display()
                );
            }
        }
    }

    #[test]
    fn without_a_stick_or_folder_the_export_says_so() {
        let store = Store::open_in_memory().unwrap();
        let clock = Arc::new(ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap());
        let session = staff(&store, &clock, None).login_key(clock.now()).unwrap();
        let err = session.export(Period::Today).unwrap_err();
        assert!(err.to_string().contains("no USB stick found"), "{err}");
        assert_eq!(
            store.audit_entries(1).unwrap()[0].outcome,
            AuditOutcome::Failed
        );
    }

    /// A printer in memory that always answers "ready".
    struct MemoryPrinter(Arc<Mutex<Vec<u8>>>);

    impl crate::printer::Transport for MemoryPrinter {
        fn write_all(&mut self, bytes: &[u8]) -> Result<(), crate::printer::PrinterError> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(())
        }
        fn query(&mut self, _n: u8) -> Result<Option<u8>, crate::printer::PrinterError> {
            Ok(Some(0x12))
        }
        fn can_read(&self) -> bool {
            true
        }
    }

    #[test]
    fn slips_print_at_once_and_reprints_are_queued_as_duplicates() {
        use crate::domain::receipt::ReceiptContext;
        use crate::printer::render::PageSetup;
        let store = Store::open_in_memory().unwrap();
        let clock = Arc::new(ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap());
        let filed = store
            .submit(submission(complaint()), &context(clock.as_ref()))
            .unwrap();
        let paper = Arc::new(Mutex::new(Vec::new()));
        let sheet = paper.clone();
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let ctx = ReceiptContext {
            municipality: crate::domain::Localized::new("Община Ковачевци".into(), String::new()),
            registry_desk: None,
            hours: crate::domain::hours::OfficeHours {
                opens: t(8, 30),
                closes: t(17, 0),
                lunch_start: t(12, 0),
                lunch_end: t(12, 30),
            },
            phone: String::new(),
            website: String::new(),
            status_url: String::new(),
            categories: Vec::new(),
            columns: 48,
            large_print: false,
        };
        let page = PageSetup {
            encoding: crate::config::PrinterEncoding::Cp866,
            esc_t_n: 17,
            cancel_kanji: true,
        };
        let worker = PrintWorker::new(
            store.clone(),
            ctx,
            page,
            Box::new(move || {
                Ok(Box::new(MemoryPrinter(sheet.clone())) as Box<dyn crate::printer::Transport>)
            }),
        );
        let staff = Staff::new(
            store.clone(),
            clock.clone(),
            settings("", None),
            Some(Arc::new(worker)),
        );
        let session = staff.login_key(clock.now()).unwrap();

        assert_eq!(
            session.print_summary(Period::Today).unwrap(),
            PrinterStatus::Ok
        );
        let text = crate::printer::encode::decode(&paper.lock().unwrap(), page.encoding);
        assert!(text.contains("СПРАВКА"), "{text}");
        assert!(text.contains("Жалба: 1"), "{text}");
        assert!(!text.contains("Иван"), "no personal data on a summary slip");

        paper.lock().unwrap().clear();
        session.print_test_page().unwrap();
        assert!(paper.lock().unwrap().starts_with(&[0x1B, 0x40]));

        let job = session.reprint(filed.number.as_ref().unwrap()).unwrap();
        let queued = store.pending_print_jobs().unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!((queued[0].id, queued[0].duplicate), (job, true));
        let details: Vec<String> = store
            .audit_entries(3)
            .unwrap()
            .into_iter()
            .map(|e| e.detail)
            .collect();
        assert_eq!(details[0], "KV1-2026-000001");
        assert_eq!(details[2], "04.05.2026");
    }

    #[test]
    fn sessions_can_be_used_from_a_worker_thread() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<StaffSession>();
        assert_send_sync::<Staff>();
    }
}
