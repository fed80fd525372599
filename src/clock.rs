//! Where the kiosk's idea of "now" comes from, and whether to believe it.
//!
//! A Raspberry Pi has no battery-backed clock: after a power cut it boots
//! with whatever time was last saved, until NTP corrects it. Records carry
//! `clock_trusted` so the central system and the staff know which times may
//! be off. The store, not this module, keeps record times from going
//! backwards; this module only reports the time and whether the operating
//! system considers it synchronised.
//!
//! Invariant: nothing here panics; a clock whose state cannot be read is
//! reported as not synchronised.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use chrono_tz::Tz;

/// The kiosk's time zone: times are shown and sent in Europe/Sofia.
pub const TIME_ZONE: Tz = chrono_tz::Europe::Sofia;

/// 1 January 2026 00:00 in Sofia, as milliseconds since the Unix epoch.
const EARLIEST_PLAUSIBLE_MS: i64 = 1_767_218_400_000;

/// The file systemd-timesyncd creates once it has synchronised the clock.
const TIMESYNCD_FLAG: &str = "/run/systemd/timesync/synchronized";

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Whether the operating system believes the time is right (synchronised
    /// by NTP or similar). `false` when it cannot tell.
    fn is_synchronised(&self) -> bool;
}

/// `t` as local time in Europe/Sofia, with the offset in force at that moment
/// (+02:00 in winter, +03:00 in summer).
pub fn local_time(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&TIME_ZONE).fixed_offset()
}

/// No record can be older than this: the kiosk software did not exist before
/// 2026 (fees are in euro from 1 January 2026). A clock reading earlier than
/// this is certainly wrong, e.g. a Pi that booted at the Unix epoch.
pub fn earliest_plausible() -> DateTime<Utc> {
    // The constant is a valid timestamp; the fallback only keeps this total.
    DateTime::from_timestamp_millis(EARLIEST_PLAUSIBLE_MS).unwrap_or(DateTime::UNIX_EPOCH)
}

/// No record can be newer than this: the last second of 2100 in Sofia, the
/// last year a receipt number can carry. A clock reading later is certainly
/// wrong (a bad RTC, a mistyped `date`); a record then keeps the newest
/// plausible time, untrusted, instead of being refused a number.
pub fn latest_plausible() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(LATEST_PLAUSIBLE_MS - 1_000).unwrap_or(DateTime::UNIX_EPOCH)
}

/// 2101-01-01 00:00 in Sofia (+02:00), in UTC milliseconds.
const LATEST_PLAUSIBLE_MS: i64 = 4_133_973_600_000;

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn is_synchronised(&self) -> bool {
        kernel_reports_synchronised() || Path::new(TIMESYNCD_FLAG).exists()
    }
}

/// Asks the kernel, read-only, whether its clock is synchronised: neither
/// `STA_UNSYNC` in the status nor `TIME_ERROR` as the clock state.
#[cfg(target_os = "linux")]
fn kernel_reports_synchronised() -> bool {
    // SAFETY: `timex` is plain old data for which all-zero is a valid value;
    // with `modes == 0` adjtimex only reads the kernel's state into it.
    let mut tx: libc::timex = unsafe { std::mem::zeroed() };
    // SAFETY: `tx` is a valid, exclusively borrowed `timex` for the call.
    let state = unsafe { libc::adjtimex(&mut tx) };
    state >= 0 && state != libc::TIME_ERROR && tx.status & libc::STA_UNSYNC == 0
}

/// Other systems are development machines: their clock is never trusted.
#[cfg(not(target_os = "linux"))]
fn kernel_reports_synchronised() -> bool {
    false
}

/// A clock for tests and demonstrations: its time and its synchronised flag
/// are set by hand and never move on their own.
#[derive(Debug)]
pub struct ManualClock {
    millis: AtomicI64,
    synchronised: AtomicBool,
}

impl ManualClock {
    /// A clock standing at `at`, reporting `synchronised`.
    pub fn new(at: DateTime<Utc>, synchronised: bool) -> Self {
        Self {
            millis: AtomicI64::new(at.timestamp_millis()),
            synchronised: AtomicBool::new(synchronised),
        }
    }

    /// A synchronised clock standing at the given Sofia wall-clock time.
    /// Returns `None` for a time that does not exist in Sofia (the hour
    /// skipped when summer time starts) or is out of range.
    pub fn at_sofia(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Option<Self> {
        let local = TIME_ZONE
            .with_ymd_and_hms(year, month, day, hour, minute, 0)
            .single()?;
        Some(Self::new(local.with_timezone(&Utc), true))
    }

    /// Moves the clock to `at` (backwards too, like a Pi after a power cut).
    pub fn set(&self, at: DateTime<Utc>) {
        self.millis.store(at.timestamp_millis(), Ordering::SeqCst);
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: chrono::Duration) {
        self.millis
            .fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }

    /// Sets what `is_synchronised` reports.
    pub fn set_synchronised(&self, synchronised: bool) {
        self.synchronised.store(synchronised, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.millis.load(Ordering::SeqCst))
            .unwrap_or(DateTime::UNIX_EPOCH)
    }

    fn is_synchronised(&self) -> bool {
        self.synchronised.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};

    #[test]
    fn earliest_plausible_is_new_year_2026_in_sofia() {
        let t = local_time(earliest_plausible());
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2026, 1, 1, 0, 0)
        );
    }

    #[test]
    fn latest_plausible_is_the_last_second_of_2100_in_sofia() {
        let t = local_time(latest_plausible());
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2100, 12, 31, 23, 59, 59)
        );
    }

    #[test]
    fn local_time_follows_sofia_summer_and_winter_offsets() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 10, 0, 0).unwrap();
        assert_eq!(local_time(winter).to_rfc3339(), "2026-01-15T12:00:00+02:00");
        assert_eq!(local_time(summer).to_rfc3339(), "2026-07-15T13:00:00+03:00");
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::at_sofia(2026, 3, 2, 9, 0).unwrap();
        let start = clock.now();
        assert!(clock.is_synchronised());
        clock.advance(chrono::Duration::minutes(5));
        assert_eq!(clock.now() - start, chrono::Duration::minutes(5));
        clock.set(start - chrono::Duration::days(400));
        clock.set_synchronised(false);
        assert!(clock.now() < start);
        assert!(!clock.is_synchronised());
    }

    #[test]
    fn manual_clock_refuses_the_skipped_summer_hour() {
        // 29 March 2026: clocks in Sofia jump from 03:00 to 04:00.
        assert!(ManualClock::at_sofia(2026, 3, 29, 3, 30).is_none());
    }

    #[test]
    fn system_clock_answers_without_panicking() {
        let clock = SystemClock;
        assert!(clock.now() > earliest_plausible());
        // Either answer is right depending on the machine; it must not panic.
        let _ = clock.is_synchronised();
    }
}
