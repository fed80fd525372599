//! How long wrong PINs lock staff entry.
//!
//! Five wrong PINs in a row are free; the fifth locks entry for one minute,
//! and every further wrong PIN (typed once the lock has run out) doubles
//! the lock, up to an hour. A right PIN clears the count. The count and the
//! time of the last wrong PIN are stored (`Store::lockout`), so a power
//! cycle changes nothing. If the clock has gone back since the last wrong
//! PIN (a Pi without a battery after a power cut), the full lock runs from
//! now: never shorter, and never longer than one lock.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::store::LockoutRecord;

/// Wrong PINs allowed before entry locks.
pub const FREE_ATTEMPTS: u32 = 5;
/// The first lock.
pub const FIRST_LOCK: Duration = Duration::from_secs(60);
/// The longest lock.
pub const MAX_LOCK: Duration = Duration::from_secs(3600);

/// The lock after `failures` wrong PINs in a row; `None` below the limit.
pub fn lock_for(failures: u32) -> Option<Duration> {
    let over = failures.checked_sub(FREE_ATTEMPTS)?;
    let factor = 1u32.checked_shl(over.min(31)).unwrap_or(u32::MAX);
    Some(FIRST_LOCK.saturating_mul(factor).min(MAX_LOCK))
}

/// How long entry stays locked at `now`; `None` when a PIN may be tried.
pub fn remaining(record: LockoutRecord, now: DateTime<Utc>) -> Option<Duration> {
    let lock = lock_for(record.failures)?;
    let last = record.last_failure?;
    let since = (now - last).to_std().unwrap_or(Duration::ZERO);
    let left = lock.saturating_sub(since);
    (!left.is_zero()).then_some(left)
}

/// The record after one more wrong PIN at `now`.
pub fn after_failure(record: LockoutRecord, now: DateTime<Utc>) -> LockoutRecord {
    LockoutRecord {
        failures: record.failures.saturating_add(1),
        last_failure: Some(now),
    }
}

/// Wrong PINs left before the next lock.
pub fn attempts_left(record: LockoutRecord) -> u32 {
    FREE_ATTEMPTS.saturating_sub(record.failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_grow_from_the_fifth_wrong_pin_and_stop_at_an_hour() {
        assert_eq!(lock_for(4), None);
        assert_eq!(lock_for(5), Some(Duration::from_secs(60)));
        assert_eq!(lock_for(6), Some(Duration::from_secs(120)));
        assert_eq!(lock_for(8), Some(Duration::from_secs(480)));
        assert_eq!(lock_for(12), Some(MAX_LOCK));
        assert_eq!(lock_for(u32::MAX), Some(MAX_LOCK));
    }

    #[test]
    fn a_clock_gone_back_keeps_one_full_lock() {
        let t = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        let rec = LockoutRecord {
            failures: 5,
            last_failure: Some(t),
        };
        assert_eq!(remaining(rec, t), Some(Duration::from_secs(60)));
        assert_eq!(
            remaining(rec, t + chrono::Duration::seconds(45)),
            Some(Duration::from_secs(15))
        );
        assert_eq!(remaining(rec, t + chrono::Duration::seconds(60)), None);
        assert_eq!(
            remaining(rec, t - chrono::Duration::days(300)),
            Some(Duration::from_secs(60))
        );
    }
}
