//! The counts behind staff summaries and reports.
//!
//! Ratings are read from the running tallies of migration 002 (one row per
//! day, service or desk or reason, and score), complaints from their own
//! rows; [`crate::domain::summary::SummaryBuilder`] adds them up. What is
//! counted is what the central system holds or will hold: records the
//! central system rejected are left out, and so are demonstration records
//! unless the caller asks for them.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Store;
use super::error::StoreError;
use crate::domain::record::ComplaintType;
use crate::domain::summary::{ComplaintFacts, DateRange, Summary, SummaryBuilder};

/// Which records a summary counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// Count demonstration records too (`kiosk demo-data`).
    pub include_demo: bool,
}

/// Records of a period outside what is counted, for the report's notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    /// Counted but not yet received by the central system.
    pub pending: u64,
    /// Rejected by the central system, so not counted.
    pub rejected: u64,
}

impl Store {
    /// The summary of `range`; "due soon" and "overdue" are reckoned from
    /// `today` over complaints filed at any time.
    pub fn summary(
        &self,
        range: DateRange,
        today: NaiveDate,
        scope: Scope,
    ) -> Result<Summary, StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            let out = build(&tx, range, today, scope)?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// How many records of `range` (ratings, complaints, staff calls) are
    /// still on their way, and how many were rejected.
    pub fn delivery_counts(
        &self,
        range: DateRange,
        scope: Scope,
    ) -> Result<DeliveryCounts, StoreError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT o.state, count(*) FROM records r JOIN outbox o ON o.record_id = r.id
                 WHERE r.local_date BETWEEN ?1 AND ?2 AND (r.demo = 0 OR ?3)
                   AND o.state IN ('pending', 'rejected')
                 GROUP BY o.state",
            )?;
            let mut counts = DeliveryCounts::default();
            let mut rows = stmt.query(params![
                range.from.to_string(),
                range.to.to_string(),
                scope.include_demo
            ])?;
            while let Some(row) = rows.next()? {
                let (state, n): (String, i64) = (row.get(0)?, row.get(1)?);
                let n = u64::try_from(n).unwrap_or(0);
                if state == "pending" {
                    counts.pending = n;
                } else {
                    counts.rejected = n;
                }
            }
            Ok(counts)
        })
    }
}

fn build(
    conn: &Connection,
    range: DateRange,
    today: NaiveDate,
    scope: Scope,
) -> Result<Summary, StoreError> {
    let (from, to) = (range.from.to_string(), range.to.to_string());
    let demo = scope.include_demo;
    let mut b = SummaryBuilder::new(range, today, demo);

    let mut stmt = conn.prepare_cached(
        "SELECT local_date, service, score, sum(n) FROM rating_tally_service
         WHERE local_date BETWEEN ?1 AND ?2 AND rejected = 0 AND (demo = 0 OR ?3)
         GROUP BY local_date, service, score HAVING sum(n) > 0",
    )?;
    // A row damaged on disk is left out of the figures (and logged), so
    // one bad row never takes the whole summary with it; the database
    // failing still fails it.
    let mut skipped = 0u64;
    let mut rows = stmt.query(params![from, to, demo])?;
    while let Some(row) = rows.next()? {
        let read = (|| -> Result<(), StoreError> {
            let day = parse_date(&text(row, 0)?)?;
            b.service_ratings(day, &text(row, 1)?, score(row.get(2)?), count(row.get(3)?));
            Ok(())
        })();
        skipped += u64::from(read.is_err());
    }

    for (table, column) in [
        ("rating_tally_desk", "desk"),
        ("rating_tally_reason", "reason"),
    ] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {column}, score, sum(n) FROM {table}
             WHERE local_date BETWEEN ?1 AND ?2 AND rejected = 0 AND (demo = 0 OR ?3)
             GROUP BY {column}, score HAVING sum(n) > 0"
        ))?;
        let mut rows = stmt.query(params![from, to, demo])?;
        while let Some(row) = rows.next()? {
            let read = (|| -> Result<(), StoreError> {
                let id = text(row, 0)?;
                let (s, n) = (score(row.get(1)?), count(row.get(2)?));
                if column == "desk" {
                    b.desk_ratings(&id, s, n);
                } else {
                    b.reason(&id, s, n);
                }
                Ok(())
            })();
            skipped += u64::from(read.is_err());
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT r.complaint_type, r.category, r.due_date, r.answered_on,
                (SELECT group_concat(flag, ',') FROM record_flags f WHERE f.record_id = r.id)
         FROM records r LEFT JOIN outbox o ON o.record_id = r.id
         WHERE r.kind = 'complaint' AND r.local_date BETWEEN ?1 AND ?2
           AND (r.demo = 0 OR ?3) AND coalesce(o.state, '') <> 'rejected'",
    )?;
    let mut rows = stmt.query(params![from, to, demo])?;
    while let Some(row) = rows.next()? {
        let read = (|| -> Result<ComplaintFacts, StoreError> {
            let ctype = text(row, 0)?;
            let flags = super::outbox::lossy_text(row.get_ref(4)?);
            Ok(ComplaintFacts {
                ctype: ComplaintType::parse(&ctype).ok_or_else(|| bad("complaint_type", &ctype))?,
                category: text(row, 1)?,
                due_date: opt_date(row.get(2)?)?,
                answered_on: opt_date(row.get(3)?)?,
                flags: flags
                    .map(|f| f.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        })();
        match read {
            Ok(facts) => b.complaint(&facts),
            Err(_) => skipped += 1,
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT r.due_date FROM records r LEFT JOIN outbox o ON o.record_id = r.id
         WHERE r.kind = 'complaint' AND r.due_date IS NOT NULL AND r.answered_on IS NULL
           AND (r.demo = 0 OR ?1) AND coalesce(o.state, '') <> 'rejected'",
    )?;
    let mut rows = stmt.query(params![demo])?;
    while let Some(row) = rows.next()? {
        match text(row, 0).and_then(|due| parse_date(&due)) {
            Ok(due) => b.open_complaint(due),
            Err(_) => skipped += 1,
        }
    }
    if skipped > 0 {
        tracing::warn!(
            rows = skipped,
            "rows of the database cannot be read and are left out of the summary; run `kiosk db check`"
        );
    }

    let calls: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM records r LEFT JOIN outbox o ON o.record_id = r.id
         WHERE r.kind = 'staff_call' AND r.local_date BETWEEN ?1 AND ?2
           AND (r.demo = 0 OR ?3) AND coalesce(o.state, '') <> 'rejected'",
        )?
        .query_row(params![from, to, demo], |r| r.get(0))?;
    b.staff_calls(count(calls));
    Ok(b.finish())
}

/// A text column, damaged bytes replaced; NULL is an error here.
fn text(row: &rusqlite::Row<'_>, i: usize) -> Result<String, StoreError> {
    super::outbox::lossy_text(row.get_ref(i)?).ok_or_else(|| StoreError::BadRow {
        id: String::new(),
        detail: format!("column {i} is empty"),
    })
}

fn score(v: i64) -> u8 {
    u8::try_from(v).unwrap_or(0)
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn bad(column: &str, value: &str) -> StoreError {
    StoreError::BadRow {
        id: String::new(),
        detail: format!("{column} {value:?}"),
    }
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    s.parse().map_err(|_| bad("date", s))
}

pub(crate) fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    s.as_deref().map(parse_date).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::domain::Lang;
    use crate::domain::record::{Complaint, Rating, RecordData};
    use crate::store::fixtures::{complaint, context, staff_call, submission};
    use crate::store::{RegisterFilter, RegisterView, Submission, Submitted};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rate(score: u8, service: Option<&str>, desk: Option<&str>, reasons: &[&str]) -> RecordData {
        RecordData::Rating(Rating {
            score,
            service: service.map(Into::into),
            desk: desk.map(Into::into),
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            comment: "Иван Иванов, 0888 111 222".into(),
            lang: Lang::Bg,
        })
    }

    fn of_type(ctype: ComplaintType, flagged: bool) -> RecordData {
        let RecordData::Complaint(c) = complaint() else {
            unreachable!()
        };
        RecordData::Complaint(Complaint {
            ctype,
            flags: if flagged { c.flags.clone() } else { vec![] },
            ..c
        })
    }

    /// Known records around new year 2027, plus a demo and a rejected one.
    struct Seeded {
        store: Store,
        clock: ManualClock,
        complaint: Submitted,
        signal: Submitted,
    }

    fn seeded() -> Seeded {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 12, 30, 9, 0).unwrap();
        let ctx = context(&clock);
        let put = |data| store.submit(submission(data), &ctx).unwrap();
        put(rate(5, Some("A"), Some("1"), &[]));
        put(rate(2, Some("A"), Some("2"), &["waiting", "rude"]));
        put(rate(4, None, None, &["kind"]));
        clock.set(ManualClock::at_sofia(2026, 12, 31, 16, 59).unwrap().now());
        let complaint = put(of_type(ComplaintType::Complaint, true));
        put(of_type(ComplaintType::Proposal, false));
        store
            .submit_at(
                submission(rate(3, Some("A"), Some("1"), &["waiting"])),
                clock.now(),
                &ctx,
            )
            .unwrap();
        // 23:30 on 1 January in Sofia is still 1 January, though 21:30 UTC.
        clock.set(ManualClock::at_sofia(2027, 1, 1, 23, 30).unwrap().now());
        put(rate(1, Some("B"), Some("1"), &["waiting"]));
        put(staff_call());
        let signal = put(of_type(ComplaintType::Signal, false));
        let refused = put(rate(1, Some("B"), Some("1"), &["waiting"]));
        store
            .mark_rejected(refused.id, "unknown service", clock.now())
            .unwrap();
        Seeded {
            store,
            clock,
            complaint,
            signal,
        }
    }

    fn summary(s: &Seeded, from: NaiveDate, to: NaiveDate, demo: bool) -> Summary {
        s.store
            .summary(
                DateRange::new(from, to).unwrap(),
                d(2027, 1, 2),
                Scope { include_demo: demo },
            )
            .unwrap()
    }

    #[test]
    fn a_period_across_new_year_counts_every_figure() {
        let s = seeded();
        let sum = summary(&s, d(2026, 12, 28), d(2027, 1, 3), false);
        let r = sum.ratings;
        assert_eq!(r.count, 4);
        assert_eq!(r.distribution, [1, 1, 0, 1, 1]);
        assert_eq!(r.mean, Some(3.0));
        assert_eq!(r.csat, Some(0.5));
        let groups = |g: &[crate::domain::summary::Group]| {
            g.iter()
                .map(|g| (g.id.clone(), g.ratings.count))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            groups(&sum.by_service),
            [("A".into(), 2), ("".into(), 1), ("B".into(), 1)]
        );
        assert_eq!(
            groups(&sum.by_desk),
            [("1".into(), 2), ("".into(), 1), ("2".into(), 1)]
        );
        let reasons: Vec<(&str, u64)> = sum
            .low_reasons
            .iter()
            .map(|c| (c.id.as_str(), c.count))
            .collect();
        assert_eq!(reasons, [("waiting", 2), ("rude", 1)]);
        assert_eq!(sum.weekly.len(), 1);
        assert_eq!(sum.weekly[0].ratings.count, 4);
        let c = &sum.complaints;
        assert_eq!(c.total, 3);
        let types: Vec<u64> = c.by_type.iter().map(|t| t.count).collect();
        assert_eq!(types, [1, 1, 1, 0]);
        assert_eq!(c.flagged, 1);
        assert_eq!(c.by_flag.len(), 2);
        assert_eq!((c.owed_answer, c.answered, c.answered_in_time), (2, 0, 0));
        assert_eq!(sum.staff_calls, 1);
        assert!(!sum.demo_included);
    }

    #[test]
    fn each_year_gets_its_own_records_by_sofia_date() {
        let s = seeded();
        let y2026 = summary(&s, d(2026, 1, 1), d(2026, 12, 31), false);
        let y2027 = summary(&s, d(2027, 1, 1), d(2027, 12, 31), false);
        assert_eq!((y2026.ratings.count, y2027.ratings.count), (3, 1));
        assert_eq!((y2026.complaints.total, y2027.complaints.total), (2, 1));
        assert_eq!(y2026.weekly.len(), 53);
        assert_eq!(y2026.weekly[52].ratings.count, 3);
    }

    #[test]
    fn demo_records_count_only_when_asked() {
        let s = seeded();
        let with = summary(&s, d(2026, 12, 28), d(2027, 1, 3), true);
        assert_eq!(with.ratings.count, 5);
        assert_eq!(with.ratings.distribution[2], 1);
        assert!(with.demo_included);
        let range = DateRange::new(d(2026, 12, 28), d(2027, 1, 3)).unwrap();
        let delivery = s.store.delivery_counts(range, Scope::default()).unwrap();
        assert_eq!(delivery.rejected, 1);
        assert_eq!(delivery.pending, 8);
    }

    #[test]
    fn migrating_a_database_from_before_staff_mode_tallies_what_it_holds() {
        let s = seeded();
        let before = summary(&s, d(2026, 1, 1), d(2027, 12, 31), true);
        s.store
            .with_conn(|c| {
                // Back to the layout of migration 001, records kept.
                c.execute_batch(
                    "DROP TABLE kiosk_identity;
                     DROP TRIGGER rating_tally_update; DROP TRIGGER rating_tally_reason_delete;
                     DROP INDEX outbox_open; ALTER TABLE outbox DROP COLUMN open_ms;
                     DROP TRIGGER rating_tally_insert; DROP TRIGGER rating_tally_reason_insert;
                     DROP TRIGGER rating_tally_rejected; DROP TABLE rating_tally_service;
                     DROP TABLE rating_tally_desk; DROP TABLE rating_tally_reason;
                     DROP INDEX records_complaint_date; DROP TABLE staff_audit;
                     DROP TABLE staff_lockout; DROP TRIGGER rating_tally_requeued;
                     DROP TABLE number_floors; ALTER TABLE outbox DROP COLUMN hold;
                     ALTER TABLE outbox DROP COLUMN hold_reason; ALTER TABLE outbox DROP COLUMN hold_version;
                     ALTER TABLE outbox DROP COLUMN held_ms; DROP TABLE central_answers;
                     DROP TABLE updates_state; ALTER TABLE records DROP COLUMN registered_on; ALTER TABLE records DROP COLUMN check_code;
                     PRAGMA user_version = 1;",
                )?;
                super::super::schema::migrate(c)
            })
            .unwrap();
        assert_eq!(summary(&s, d(2026, 1, 1), d(2027, 12, 31), true), before);
        assert_eq!(
            summary(&s, d(2026, 1, 1), d(2027, 12, 31), false)
                .ratings
                .count,
            4
        );
    }

    #[test]
    fn an_empty_period_has_zeros_and_no_mean() {
        let s = seeded();
        let sum = summary(&s, d(2026, 6, 1), d(2026, 6, 30), false);
        assert_eq!(sum.ratings.count, 0);
        assert_eq!((sum.ratings.mean, sum.ratings.csat), (None, None));
        assert!(sum.by_service.is_empty() && sum.low_reasons.is_empty());
        assert_eq!(sum.weekly.len(), 5);
        assert_eq!(sum.complaints.total, 0);
        // Open complaints are reckoned from today whatever the period.
        assert_eq!(sum.complaints.overdue + sum.complaints.due_soon, 0);
    }

    #[test]
    fn erasing_personal_data_changes_no_figure_and_no_register_line() {
        let s = seeded();
        let range = (d(2026, 12, 28), d(2027, 1, 3));
        let before = summary(&s, range.0, range.1, false);
        let register_before = s.store.register(&RegisterFilter::default()).unwrap();
        let ids: Vec<_> = register_before.iter().map(|e| e.id).collect();
        s.store.mark_delivered(&ids, s.clock.now()).unwrap();
        let later = s.clock.now() + chrono::Duration::days(40);
        assert!(s.store.erase_personal_data_delivered_before(later).unwrap() > 0);
        assert_eq!(summary(&s, range.0, range.1, false), before);
        let after = s.store.register(&RegisterFilter::default()).unwrap();
        assert_eq!(after.len(), register_before.len());
        for (a, b) in after.iter().zip(&register_before) {
            assert!(a.personal_data_erased);
            assert_eq!(
                (a.number.clone(), a.due_date, &a.flags),
                (b.number.clone(), b.due_date, &b.flags)
            );
        }
    }

    #[test]
    fn answers_deadlines_and_the_register_views() {
        let s = seeded();
        // The complaint filed 31.12.2026 is due 31.01.2027 (one-month rule).
        assert_eq!(s.complaint.due_date, Some(d(2027, 1, 31)));
        let today = d(2027, 1, 24);
        let due_soon = s
            .store
            .register(&RegisterFilter {
                only: Some(RegisterView::DueSoon { today }),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(due_soon.len(), 1);
        assert_eq!(due_soon[0].id, s.complaint.id);
        let overdue_view = RegisterFilter {
            only: Some(RegisterView::Overdue {
                today: d(2027, 2, 2),
            }),
            ..Default::default()
        };
        assert_eq!(s.store.register(&overdue_view).unwrap().len(), 2);

        s.store
            .mark_answered(s.complaint.id, Some(d(2027, 1, 20)))
            .unwrap();
        s.store
            .mark_answered(s.signal.id, Some(d(2027, 2, 3)))
            .unwrap();
        assert!(s.store.register(&overdue_view).unwrap().is_empty());
        let sum = s
            .store
            .summary(
                DateRange::year(2026).unwrap(),
                d(2027, 2, 5),
                Scope::default(),
            )
            .unwrap();
        assert_eq!(
            (
                sum.complaints.owed_answer,
                sum.complaints.answered,
                sum.complaints.answered_in_time
            ),
            (1, 1, 1)
        );
        let sum = s
            .store
            .summary(
                DateRange::year(2027).unwrap(),
                d(2027, 2, 5),
                Scope::default(),
            )
            .unwrap();
        assert_eq!(
            (sum.complaints.answered, sum.complaints.answered_in_time),
            (1, 0)
        );

        let flagged = s
            .store
            .register(&RegisterFilter {
                only: Some(RegisterView::Flagged),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(flagged.len(), 1);
        assert_eq!(flagged[0].answered_on, Some(d(2027, 1, 20)));
        let err = s
            .store
            .mark_answered(s.complaint.id, Some(d(2026, 12, 1)))
            .unwrap_err();
        assert!(err.to_string().contains("before the filing date"), "{err}");
    }

    #[test]
    fn the_tallies_agree_with_a_count_of_the_records_themselves() {
        let s = seeded();
        let clock = ManualClock::at_sofia(2027, 3, 1, 9, 0).unwrap();
        let ctx = context(&clock);
        for i in 0..60u8 {
            clock.advance(chrono::Duration::hours(7));
            let service = ["A", "B", "C"][usize::from(i % 3)];
            let sub = Submission {
                data: rate(1 + i % 5, Some(service), Some("1"), &["waiting"]),
                print_receipt: false,
                demo: i % 11 == 0,
            };
            let done = s.store.submit(sub, &ctx).unwrap();
            if i % 13 == 0 {
                s.store.mark_rejected(done.id, "test", clock.now()).unwrap();
            }
        }
        let direct: Vec<(i64, i64)> = s
            .store
            .with_conn(|c| {
                let mut st = c.prepare(
                    "SELECT score, count(*) FROM records r JOIN outbox o ON o.record_id = r.id
                     WHERE kind = 'rating' AND demo = 0 AND o.state <> 'rejected'
                       AND local_date BETWEEN '2027-01-01' AND '2027-12-31'
                     GROUP BY score ORDER BY score",
                )?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .unwrap();
        let sum = summary(&s, d(2027, 1, 1), d(2027, 12, 31), false);
        let mut expected = [0u64; 5];
        for (score, n) in direct {
            expected[usize::try_from(score - 1).unwrap()] = u64::try_from(n).unwrap();
        }
        assert_eq!(sum.ratings.distribution, expected);
        let desk_total: u64 = sum.by_desk.iter().map(|g| g.ratings.count).sum();
        assert_eq!(desk_total, sum.ratings.count);
    }

    #[test]
    fn a_damaged_row_is_left_out_not_the_whole_summary_or_register() {
        let s = seeded();
        let before = summary(&s, d(2026, 1, 1), d(2027, 12, 31), true);
        s.store
            .with_conn(|c| {
                c.execute_batch(
                    "PRAGMA ignore_check_constraints = ON;
                     UPDATE records SET category = CAST(X'C3FF' AS TEXT) WHERE kind = 'complaint'
                        AND complaint_type = 'proposal';
                     UPDATE records SET complaint_type = 'gar\u{fffd}bage' WHERE kind = 'complaint'
                        AND complaint_type = 'complaint';
                     PRAGMA ignore_check_constraints = OFF;",
                )?;
                Ok(())
            })
            .unwrap();
        let after = summary(&s, d(2026, 1, 1), d(2027, 12, 31), true);
        assert_eq!(after.ratings, before.ratings);
        assert_eq!(
            after.complaints.total + 1,
            before.complaints.total,
            "only the unreadable one is left out"
        );
        let register = s
            .store
            .register(&crate::store::RegisterFilter {
                include_demo: true,
                ..Default::default()
            })
            .unwrap();
        assert!(register.iter().any(|e| e.category.contains('\u{fffd}')));
    }
}
