//! Bulk ratings for `kiosk bench summary`: a year of made-up ratings
//! written straight into a scratch database, far faster than one
//! submission each, so that a summary can be timed against a million.
//!
//! Only for benchmarks: the records are marked real (not demo), spread
//! evenly over the year's days, twenty services, six desks and the five
//! scores, with a reason on every low score; their JSON is a placeholder
//! that [`Store::get`] would refuse. Never call this on a kiosk's database.

use rusqlite::params;

use super::Store;
use super::error::StoreError;

impl Store {
    /// Adds `count` benchmark ratings dated in `year` and returns how many
    /// were added. Refuses a database that already holds records.
    pub fn seed_benchmark_ratings(&self, year: i32, count: u64) -> Result<u64, StoreError> {
        self.with_tx(|tx| {
            let existing: i64 = tx.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
            if existing > 0 {
                return Err(StoreError::InvalidRecord(
                    "benchmark ratings go only into an empty scratch database".into(),
                ));
            }
            let n = tx.execute(
                "WITH RECURSIVE seq(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM seq WHERE x + 1 < ?2)
                 INSERT INTO records (id, kind, created_at, created_ms, local_date, clock_trusted, demo, lang,
                                      score, service, desk, data)
                 SELECT printf('bench-%09d', x), 'rating',
                        date(printf('%04d-01-01', ?1), printf('+%d days', x % 365)) || 'T10:00:00+02:00',
                        (unixepoch(printf('%04d-01-01', ?1)) + (x % 365) * 86400 + 28800) * 1000,
                        date(printf('%04d-01-01', ?1), printf('+%d days', x % 365)),
                        1, 0, 'bg',
                        1 + (x * 7 / 3) % 5,
                        CASE WHEN x % 10 = 0 THEN NULL ELSE printf('svc%02d', x % 20) END,
                        CASE WHEN x % 7 = 0 THEN NULL ELSE printf('%d', x % 6) END,
                        '{}'
                 FROM seq",
                params![year, i64::try_from(count).unwrap_or(i64::MAX)],
            )?;
            tx.execute(
                "INSERT INTO rating_reasons (record_id, reason)
                 SELECT id, CASE score WHEN 1 THEN 'rude' WHEN 2 THEN 'waiting' ELSE 'unclear' END
                 FROM records WHERE kind = 'rating' AND score <= 3",
                [],
            )?;
            tx.execute(
                "INSERT INTO outbox (record_id, state, attempts, delivered_ms)
                 SELECT id, 'delivered', 1, created_ms FROM records",
                [],
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }
}
