//! Reports and exports of a period, shared by the staff screen and the
//! command line (`kiosk report`, `kiosk export`), which the contractor runs
//! on the device without a session; both are audited all the same.

use chrono::{DateTime, Utc};

use super::export::{self, ExportDone};
use super::{Staff, StaffError};
use crate::clock::local_time;
use crate::domain::summary::Period;
use crate::domain::summary::report::Report;
use crate::store::{AuditOutcome, RegisterFilter, Scope};
use crate::sync::sofia_rfc3339;

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

/// Writes the export of `period` into `dir`, or where
/// [`export::find_target`] says.
pub(crate) fn export_period(
    staff: &Staff,
    period: Period,
    now: DateTime<Utc>,
    scope: Scope,
    dir: Option<&std::path::Path>,
) -> Result<ExportDone, StaffError> {
    let inner = staff.inner();
    let settings = &inner.settings;
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => export::find_target(&settings.mounts, settings.export_dir.as_deref())?,
    };
    let report = build_report(staff, period, now, scope)?;
    let register = inner.store.register(&RegisterFilter {
        filed: Some(report.summary.range),
        include_demo: scope.include_demo,
        ..RegisterFilter::default()
    })?;
    let stem = format!(
        "kiosk-{}-{}_{}-{}",
        file_safe(&settings.kiosk_id),
        report.summary.range.from,
        report.summary.range.to,
        local_time(now).format("%Y%m%d-%H%M%S")
    );
    Ok(export::write_export(
        &dir,
        &stem,
        &report,
        &register,
        &settings.names,
    )?)
}

impl Staff {
    /// `kiosk export`: the export of `period` into `dir`, or onto the USB
    /// stick (or `[staff] export_dir`) when `None`. Audited like the
    /// screen's export.
    pub fn export(
        &self,
        period: Period,
        include_demo: bool,
        dir: Option<&std::path::Path>,
    ) -> Result<ExportDone, StaffError> {
        let now = self.inner().clock.now();
        let result = export_period(self, period, now, Scope { include_demo }, dir);
        let (outcome, detail) = match &result {
            Ok(d) => (
                AuditOutcome::Ok,
                format!("command line, {} to {}", d.range, d.dir.display()),
            ),
            Err(e) => (AuditOutcome::Failed, e.to_string()),
        };
        self.audit(now, "export", outcome, &detail)?;
        result
    }

    /// The report of `period` for `kiosk report`: the command line is run
    /// by the contractor on the device, so it needs no session; it is
    /// audited all the same.
    pub fn report(&self, period: Period, include_demo: bool) -> Result<Report, StaffError> {
        let now = self.inner().clock.now();
        let scope = Scope { include_demo };
        let result = build_report(self, period, now, scope);
        let (outcome, detail) = match &result {
            Ok(r) => (
                AuditOutcome::Ok,
                format!("command line, {}", r.summary.range),
            ),
            Err(e) => (AuditOutcome::Failed, e.to_string()),
        };
        self.audit(now, "report", outcome, &detail)?;
        result
    }
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
