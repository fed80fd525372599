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

use super::device::{self, DeviceStatus};
use super::error::StaffError;
use super::export::{self, ExportDone};
use super::Staff;
use crate::clock::local_time;
use crate::domain::ReceiptNumber;
use crate::domain::summary::report::Report;
use crate::domain::summary::slip::summary_slip;
use crate::domain::summary::{DateRange, Period, Summary};
use crate::printer::PrinterStatus;
use crate::printer::jobs::PrintWorker;
use crate::store::{AuditOutcome, RegisterEntry, RegisterFilter, Scope};
use crate::sync::{SyncStatus, sofia_rfc3339};

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
            let inner = self.staff.inner();
            let settings = &inner.settings;
            let dir = export::find_target(&settings.mounts, settings.export_dir.as_deref())?;
            let report = self.report(period, now, Scope::default())?;
            let register = inner.store.register(&RegisterFilter {
                filed: Some(report.summary.range),
                ..RegisterFilter::default()
            })?;
            let stem = format!(
                "kiosk-{}-{}_{}-{}",
                file_safe(&settings.kiosk_id),
                report.summary.range.from,
                report.summary.range.to,
                local_time(now).format("%Y%m%d-%H%M%S")
            );
            let done = export::write_export(&dir, &stem, &report, &register, &settings.names)?;
            let detail = format!("{} to {}", report.summary.range, dir.display());
            Ok((done, detail))
        })
    }

    /// The report of `period` as `kiosk report` writes it.
    pub(crate) fn report(
        &self,
        period: Period,
        now: DateTime<Utc>,
        scope: Scope,
    ) -> Result<Report, StaffError> {
        build_report(&self.staff, period, now, scope)
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
        self.staff.inner().printer.as_ref().ok_or(StaffError::NoPrinter)
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

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect()
}

/// The report of `period` at `now`: the summary plus what the notes state.
pub(crate) fn build_report(
    staff: &Staff,
    period: Period,
    now: DateTime<Utc>,
    scope: Scope,
) -> Result<Report, StaffError> {
    let inner = staff.inner();
    let today = Staff::today(now);
    let range = period.resolve(today)?;
    let summary = inner.store.summary(range, today, scope)?;
    let delivery = inner.store.delivery_counts(range, scope)?;
    Ok(Report {
        municipality: inner.settings.municipality.clone(),
        kiosk_id: inner.settings.kiosk_id.clone(),
        generated_at: sofia_rfc3339(now),
        summary,
        not_yet_delivered: delivery.pending,
        rejected_not_counted: delivery.rejected,
    })
}

impl Staff {
    /// The report of `period` for `kiosk report`: the command line is run
    /// by the contractor on the device, so it needs no session; it is
    /// audited all the same.
    pub fn report(
        &self,
        period: Period,
        include_demo: bool,
    ) -> Result<Report, StaffError> {
        let now = self.inner().clock.now();
        let scope = Scope { include_demo };
        let result = build_report(self, period, now, scope);
        let (outcome, detail) = match &result {
            Ok(r) => (AuditOutcome::Ok, format!("command line, {}", r.summary.range)),
            Err(e) => (AuditOutcome::Failed, e.to_string()),
        };
        self.audit(now, "report", outcome, &detail)?;
        result
    }
}
