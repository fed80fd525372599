//! What the staff screen shows about the link to the central system.
//!
//! The worker publishes a fresh [`SyncStatus`] on a `tokio::sync::watch`
//! channel after everything it does; the UI reads the latest value with
//! `borrow()`, which never waits for the network or the disk.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};

/// What the worker is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPhase {
    /// Not yet started.
    Starting,
    /// Nothing to send, or waiting for the next look at the outbox.
    Idle,
    /// A pass over the outbox is running.
    Sending,
    /// Waiting after a failure before trying again.
    Waiting,
    /// No central system configured: records stay queued.
    NotConfigured,
    /// The worker could not start (see `last_error`) or has stopped.
    Stopped,
}

/// A snapshot for the UI and staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub phase: SyncPhase,
    /// Records waiting for the central system.
    pub pending: u64,
    /// Records the central system will never take (kept for staff).
    pub rejected: u64,
    /// Pending records the central system refused alone (400/422/413) while
    /// it took others; skipped until staff put them back.
    pub held: u64,
    /// Pending records the kiosk cannot read or encode; skipped.
    pub set_aside: u64,
    /// When the last failure means the configuration (or the central
    /// system's) must change: the wrong URL, refused credentials. In plain
    /// words with the HTTP code and the URL; cleared by a success.
    pub configuration_problem: Option<String>,
    /// When the central system's updates were last read (they carry the
    /// highest receipt numbers it holds); `None` before the first.
    pub updates_read_at: Option<DateTime<Utc>>,
    /// `Some(false)` when the central system answered that it offers no
    /// updates (404).
    pub updates_offered: Option<bool>,
    /// When the oldest waiting record was written.
    pub oldest_pending_at: Option<DateTime<FixedOffset>>,
    /// When the central system last took a batch or had nothing to take.
    pub last_success: Option<DateTime<Utc>>,
    /// The last failure in plain words; cleared by a success.
    pub last_error: Option<String>,
    /// Failed attempts in a row.
    pub failures_in_a_row: u32,
    /// How long the worker is waiting before the next attempt.
    pub next_attempt_in: Option<Duration>,
    /// The longest wait chosen since start; never above the back-off cap.
    pub longest_wait: Duration,
    /// Records delivered since start.
    pub delivered_since_start: u64,
}

impl Default for SyncStatus {
    fn default() -> Self {
        Self {
            phase: SyncPhase::Starting,
            pending: 0,
            rejected: 0,
            held: 0,
            set_aside: 0,
            configuration_problem: None,
            updates_read_at: None,
            updates_offered: None,
            oldest_pending_at: None,
            last_success: None,
            last_error: None,
            failures_in_a_row: 0,
            next_attempt_in: None,
            longest_wait: Duration::ZERO,
            delivered_since_start: 0,
        }
    }
}

impl SyncStatus {
    /// How long the oldest waiting record has waited at `now`.
    pub fn oldest_pending_age(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        self.oldest_pending_at
            .map(|t| (now - t.with_timezone(&Utc)).max(chrono::Duration::zero()))
    }

    /// Whether staff must act: records held, set aside or rejected, or a
    /// configuration problem.
    pub fn needs_staff(&self) -> bool {
        self.held > 0
            || self.set_aside > 0
            || self.rejected > 0
            || self.configuration_problem.is_some()
    }

    /// One line for staff, e.g. "12 records waiting (1 held), the oldest
    /// for 3 h; last error: cannot reach the central system".
    pub fn summary(&self, now: DateTime<Utc>) -> String {
        let mut line = match (self.phase, self.pending) {
            (SyncPhase::NotConfigured, n) => {
                format!("no central system configured; {n} records kept on the kiosk")
            }
            (_, 0) => "all records have reached the central system".to_string(),
            (_, 1) => "1 record waiting".to_string(),
            (_, n) => format!("{n} records waiting"),
        };
        let mut apart = Vec::new();
        if self.held > 0 {
            apart.push(format!("{} held", self.held));
        }
        if self.set_aside > 0 {
            apart.push(format!("{} set aside as unreadable", self.set_aside));
        }
        if !apart.is_empty() {
            line.push_str(&format!(" ({})", apart.join(", ")));
        }
        if let Some(age) = self.oldest_pending_age(now).filter(|_| self.pending > 0) {
            line.push_str(&format!(", the oldest for {}", plain_age(age)));
        }
        if self.rejected > 0 {
            line.push_str(&format!(
                "; {} refused by the central system",
                self.rejected
            ));
        }
        if self.needs_staff() && self.configuration_problem.is_none() {
            line.push_str(" (see `kiosk outbox`; `kiosk outbox --requeue` puts them back)");
        }
        match (&self.configuration_problem, &self.last_error) {
            (Some(problem), _) => line.push_str(&format!("; {problem}")),
            (None, Some(err)) => line.push_str(&format!("; last error: {err}")),
            (None, None) => {}
        }
        line
    }
}

/// An age in the largest unit that fits: "40 s", "12 min", "3 h", "2 days".
pub fn plain_age(age: chrono::Duration) -> String {
    let secs = age.num_seconds().max(0);
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        3600..86_400 => format!("{} h", secs / 3600),
        _ if secs < 2 * 86_400 => "1 day".to_string(),
        _ => format!("{} days", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_summary_names_what_waits_and_why() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let status = SyncStatus {
            phase: SyncPhase::Waiting,
            pending: 12,
            rejected: 1,
            oldest_pending_at: Some(crate::clock::local_time(now - chrono::Duration::hours(3))),
            last_error: Some("cannot reach the central system".into()),
            ..SyncStatus::default()
        };
        assert_eq!(
            status.summary(now),
            "12 records waiting, the oldest for 3 h; 1 refused by the central system (see `kiosk outbox`; `kiosk outbox --requeue` puts them back); last error: cannot reach the central system"
        );
        let wrong = SyncStatus {
            phase: SyncPhase::Waiting,
            pending: 3,
            held: 1,
            set_aside: 1,
            configuration_problem: Some(
                "the central system answers HTTP 404 at https://c.bg/v1/records: check [central] url"
                    .into(),
            ),
            ..SyncStatus::default()
        };
        assert_eq!(
            wrong.summary(now),
            "3 records waiting (1 held, 1 set aside as unreadable); the central system answers HTTP 404 at https://c.bg/v1/records: check [central] url"
        );
        assert!(wrong.needs_staff());
        let done = SyncStatus {
            phase: SyncPhase::Idle,
            ..SyncStatus::default()
        };
        assert_eq!(
            done.summary(now),
            "all records have reached the central system"
        );
    }

    #[test]
    fn ages_read_in_the_largest_unit() {
        let d = chrono::Duration::seconds;
        assert_eq!(plain_age(d(40)), "40 s");
        assert_eq!(plain_age(d(12 * 60 + 5)), "12 min");
        assert_eq!(plain_age(d(3 * 3600)), "3 h");
        assert_eq!(plain_age(d(86_400 + 5)), "1 day");
        assert_eq!(plain_age(d(5 * 86_400)), "5 days");
        assert_eq!(plain_age(d(-5)), "0 s");
    }
}
