//! What the status LED shows, decided from the kiosk's health.
//!
//! Rules, most serious first:
//! - an internal fault (the app says so: e.g. the database cannot be
//!   written) → [`LedPattern::Fault`];
//! - the printer short of paper, out of it, its cover open or offline, the
//!   link to the central system failing for longer than the threshold
//!   (one hour by default), a configuration problem of the link (the
//!   central system answers 404 or 405 at the URL, refuses the kiosk's
//!   credentials: waiting will not fix it, so at once), or any record the
//!   central system rejected, held after 400/422/413, or set aside as
//!   unreadable → [`LedPattern::Attention`];
//! - otherwise [`LedPattern::Ok`].
//!
//! A printer whose status is unknown does not light the LED: many printers
//! never answer on some transports. A kiosk with no central system
//! configured is not failing: keeping records is what it is meant to do.

use board::LedPattern;
use chrono::{DateTime, Utc};

use crate::printer::PrinterStatus;
use crate::sync::{SyncPhase, SyncStatus};

/// The kiosk's health as the app knows it, handed to every tick.
#[derive(Debug, Clone, Copy)]
pub struct DeviceInputs<'a> {
    /// The printer's last status.
    pub printer: PrinterStatus,
    /// The sync worker's latest status (`SyncStatus::default()` before it
    /// has said anything).
    pub sync: &'a SyncStatus,
    /// Something inside the kiosk is broken and needs a technician.
    pub internal_fault: bool,
}

/// Whether staff should look at the printer.
pub fn printer_needs_attention(status: PrinterStatus) -> bool {
    matches!(
        status,
        PrinterStatus::PaperNearEnd
            | PrinterStatus::PaperOut
            | PrinterStatus::CoverOpen
            | PrinterStatus::Offline
    )
}

/// Whether the link to the central system is failing right now.
pub fn sync_is_failing(status: &SyncStatus) -> bool {
    match status.phase {
        SyncPhase::NotConfigured => false,
        SyncPhase::Stopped => status.last_error.is_some(),
        _ => status.failures_in_a_row > 0,
    }
}

/// Remembers since when the link has been failing, so that "failing for
/// over an hour" can be told from the status snapshots the app passes in.
/// The time counts from the first snapshot seen failing.
#[derive(Debug, Clone, Default)]
pub struct FailureWatch {
    since: Option<DateTime<Utc>>,
}

impl FailureWatch {
    /// Notes whether the link fails at `now`; returns for how long it has.
    pub fn observe(&mut self, failing: bool, now: DateTime<Utc>) -> Option<chrono::Duration> {
        if !failing {
            self.since = None;
            return None;
        }
        let since = *self.since.get_or_insert(now);
        Some((now - since).max(chrono::Duration::zero()))
    }
}

/// The LED for these inputs, given how long the link has been failing.
pub fn led_pattern(
    inputs: &DeviceInputs<'_>,
    sync_failing_for: Option<chrono::Duration>,
    sync_threshold: chrono::Duration,
) -> LedPattern {
    if inputs.internal_fault {
        return LedPattern::Fault;
    }
    let sync_too_long = sync_failing_for.is_some_and(|d| d > sync_threshold);
    if printer_needs_attention(inputs.printer) || sync_too_long || inputs.sync.needs_staff() {
        return LedPattern::Attention;
    }
    LedPattern::Ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn led(
        printer: PrinterStatus,
        sync: &SyncStatus,
        fault: bool,
        failing_mins: Option<i64>,
    ) -> LedPattern {
        let inputs = DeviceInputs {
            printer,
            sync,
            internal_fault: fault,
        };
        led_pattern(
            &inputs,
            failing_mins.map(Duration::minutes),
            Duration::hours(1),
        )
    }

    #[test]
    fn all_well_is_ok() {
        let sync = SyncStatus::default();
        assert_eq!(led(PrinterStatus::Ok, &sync, false, None), LedPattern::Ok);
        assert_eq!(
            led(PrinterStatus::Unknown, &sync, false, None),
            LedPattern::Ok
        );
    }

    #[test]
    fn paper_and_printer_trouble_ask_for_attention() {
        let sync = SyncStatus::default();
        for p in [
            PrinterStatus::PaperNearEnd,
            PrinterStatus::PaperOut,
            PrinterStatus::CoverOpen,
            PrinterStatus::Offline,
        ] {
            assert_eq!(led(p, &sync, false, None), LedPattern::Attention, "{p:?}");
        }
    }

    #[test]
    fn sync_failing_asks_for_attention_only_after_the_hour() {
        let sync = SyncStatus::default();
        assert_eq!(
            led(PrinterStatus::Ok, &sync, false, Some(59)),
            LedPattern::Ok
        );
        assert_eq!(
            led(PrinterStatus::Ok, &sync, false, Some(60)),
            LedPattern::Ok
        );
        assert_eq!(
            led(PrinterStatus::Ok, &sync, false, Some(61)),
            LedPattern::Attention
        );
    }

    #[test]
    fn a_rejected_record_asks_for_attention() {
        let sync = SyncStatus {
            rejected: 1,
            ..SyncStatus::default()
        };
        assert_eq!(
            led(PrinterStatus::Ok, &sync, false, None),
            LedPattern::Attention
        );
    }

    #[test]
    fn an_internal_fault_outranks_everything() {
        let sync = SyncStatus {
            rejected: 3,
            ..SyncStatus::default()
        };
        assert_eq!(
            led(PrinterStatus::PaperOut, &sync, true, Some(300)),
            LedPattern::Fault
        );
    }

    #[test]
    fn failing_means_failures_in_a_row_unless_nothing_is_configured() {
        let mut s = SyncStatus {
            phase: SyncPhase::Waiting,
            failures_in_a_row: 2,
            ..SyncStatus::default()
        };
        assert!(sync_is_failing(&s));
        s.phase = SyncPhase::NotConfigured;
        assert!(!sync_is_failing(&s));
        let stopped = SyncStatus {
            phase: SyncPhase::Stopped,
            last_error: Some("token file missing".into()),
            ..SyncStatus::default()
        };
        assert!(sync_is_failing(&stopped));
        assert!(!sync_is_failing(&SyncStatus::default()));
    }

    #[test]
    fn the_watch_counts_from_the_first_failing_snapshot_and_resets() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut watch = FailureWatch::default();
        assert_eq!(watch.observe(false, t), None);
        assert_eq!(watch.observe(true, t), Some(Duration::zero()));
        assert_eq!(
            watch.observe(true, t + Duration::minutes(70)),
            Some(Duration::minutes(70))
        );
        assert_eq!(watch.observe(false, t + Duration::minutes(71)), None);
        assert_eq!(
            watch.observe(true, t + Duration::minutes(72)),
            Some(Duration::zero())
        );
    }

    #[test]
    fn held_set_aside_records_and_a_wrong_address_ask_for_attention_at_once() {
        for sync in [
            SyncStatus {
                held: 1,
                ..SyncStatus::default()
            },
            SyncStatus {
                set_aside: 2,
                ..SyncStatus::default()
            },
            SyncStatus {
                configuration_problem: Some(
                    "the central system answers HTTP 404 at https://c.bg/v1/records: check [central] url"
                        .into(),
                ),
                failures_in_a_row: 1,
                ..SyncStatus::default()
            },
        ] {
            assert_eq!(
                led(PrinterStatus::Ok, &sync, false, Some(1)),
                LedPattern::Attention,
                "{sync:?}"
            );
        }
    }
}
