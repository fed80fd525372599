//! Submitting a record: the one transaction that makes a visitor's record
//! safe.
//!
//! In one `BEGIN IMMEDIATE` transaction the store fixes the record's time,
//! works out the answer due date, takes the next receipt number, writes the
//! record and its personal data, queues it for the central system and, if
//! asked, adds the print job. Only after the commit is on disk does the
//! caller get the number, so a number shown or printed always exists, and a
//! failure or power cut before the commit leaves no trace, no gap in the
//! numbers included.
//!
//! Time invariant: a record's time is never earlier than the newest stored
//! record's (a Pi without a clock battery may boot with an old time) nor
//! than [`earliest_plausible`]. When the clock had to be overruled, the
//! record says `clock_trusted = false`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use rusqlite::Transaction;
use uuid::{NoContext, Timestamp, Uuid};

use super::Store;
use super::error::StoreError;
use super::{counters, outbox, print_jobs, records};
use crate::clock::{Clock, earliest_plausible, latest_plausible, local_time};
use crate::domain::check_code::CheckCode;
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::{Complaint, Record, RecordData};

/// What the visitor (or the board) hands in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub data: RecordData,
    /// Queue a receipt for the printer in the same transaction.
    pub print_receipt: bool,
    /// Made up for a demonstration (`kiosk demo-data`): stored, numbered
    /// and queued like any record, so summaries and the central link can be
    /// tried with it, but marked so staff and clean-ups can tell it apart.
    pub demo: bool,
}

/// The answer due date of a complaint filed on a date (Europe/Sofia), or
/// `None` where no written answer is owed.
pub type DueRule<'a> = &'a (dyn Fn(&Complaint, NaiveDate) -> Option<NaiveDate> + Sync);

/// What a submission needs besides the record: configuration and rules the
/// store does not own.
#[derive(Clone, Copy)]
pub struct SubmitContext<'a> {
    /// The kiosk's receipt prefix (`[kiosk] receipt_prefix`).
    pub prefix: &'a str,
    /// Where "now" comes from and whether to trust it.
    pub clock: &'a dyn Clock,
    /// Computes the answer due date; its answer is stored in the complaint.
    pub due_rule: DueRule<'a>,
}

/// What the caller may show once the record is safely stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub id: Uuid,
    /// The receipt number, for kinds that get one.
    pub number: Option<ReceiptNumber>,
    /// The record's time in Europe/Sofia, whole seconds.
    pub created_at: DateTime<FixedOffset>,
    pub clock_trusted: bool,
    /// When the written answer is due, for complaints that are owed one.
    pub due_date: Option<NaiveDate>,
    /// The complaint's check code (contract 1.2), printed beside the number.
    pub check_code: Option<CheckCode>,
    /// The print job added, if a receipt was asked for.
    pub print_job: Option<i64>,
}

impl Store {
    /// Stores a new record now (see the module documentation) and returns
    /// its number once committed.
    pub fn submit(
        &self,
        sub: Submission,
        ctx: &SubmitContext<'_>,
    ) -> Result<Submitted, StoreError> {
        let done = self.submit_now(sub, ctx, false)?;
        if done.number.is_some() {
            // A number on a slip should not live only in the write-ahead
            // log: a damaged log loses its pages without a word, and with
            // them the counter's last step.
            self.checkpoint_passive();
        }
        Ok(done)
    }

    /// [`Store::submit`] without the checkpoint; `open` keeps the record
    /// from being sent until it is closed.
    pub(super) fn submit_now(
        &self,
        sub: Submission,
        ctx: &SubmitContext<'_>,
        open: bool,
    ) -> Result<Submitted, StoreError> {
        validate(&sub.data)?;
        let (now, synchronised) = (ctx.clock.now(), ctx.clock.is_synchronised());
        self.with_tx(|tx| {
            let (at, trusted) = record_time(records::newest_created_ms(tx)?, now, synchronised);
            write(tx, sub, ctx, at, trusted, open)
        })
    }

    /// Stores a demonstration record at a chosen instant, e.g. to spread
    /// sample data over past months. The record is marked demo whatever
    /// `sub.demo` says, keeps the given time (the never-backwards rule is for
    /// real records) and counts as clock-trusted.
    pub fn submit_at(
        &self,
        sub: Submission,
        at: DateTime<Utc>,
        ctx: &SubmitContext<'_>,
    ) -> Result<Submitted, StoreError> {
        validate(&sub.data)?;
        let sub = Submission { demo: true, ..sub };
        self.with_tx(|tx| write(tx, sub, ctx, whole_seconds(at), true, false))
    }
}

/// Refuses records the database would refuse anyway, with a clearer message.
pub(super) fn validate(data: &RecordData) -> Result<(), StoreError> {
    match data {
        RecordData::Rating(r) if !(1..=5).contains(&r.score) => Err(StoreError::InvalidRecord(
            format!("a rating must be 1 to 5, not {}", r.score),
        )),
        _ => Ok(()),
    }
}

/// The time to give a new record and whether it can be trusted: the clock's
/// time, unless that is before the newest record or before the kiosk
/// existed, in which case the later of those, untrusted. A clock past
/// [`latest_plausible`] (no receipt number can carry its year) is wrong
/// too: the record then gets the floor, untrusted, so complaints are still
/// taken and numbered.
fn record_time(
    newest_ms: Option<i64>,
    now: DateTime<Utc>,
    synchronised: bool,
) -> (DateTime<Utc>, bool) {
    let now = whole_seconds(now);
    let newest = newest_ms.and_then(DateTime::from_timestamp_millis);
    let floor = newest.map_or(earliest_plausible(), |n| {
        n.clamp(earliest_plausible(), latest_plausible())
    });
    if now >= floor && now <= latest_plausible() {
        (now, synchronised)
    } else {
        (floor, false)
    }
}

/// Drops the fraction of a second: record times are sent and shown in
/// whole seconds, and the stored milliseconds must agree with the text.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// Writes everything one submission consists of, inside `tx`. An `open`
/// record is queued but not sent until it is closed (a rating the visitor
/// may still add follow-ups to, see `open_rating.rs`).
fn write(
    tx: &Transaction<'_>,
    sub: Submission,
    ctx: &SubmitContext<'_>,
    at: DateTime<Utc>,
    clock_trusted: bool,
    open: bool,
) -> Result<Submitted, StoreError> {
    let created_at = local_time(at);
    let mut data = sub.data;
    let mut check_code = None;
    let due_date = match &mut data {
        RecordData::Complaint(c) => {
            c.due_date = (ctx.due_rule)(c, created_at.date_naive());
            // Made when the record is written, never by the form: a draft
            // sent twice must not carry the same code (contract 1.2).
            check_code = Some(CheckCode::random());
            c.check_code = check_code;
            c.due_date
        }
        _ => None,
    };
    let number = if data.gets_number() {
        Some(counters::next_number(tx, ctx.prefix, created_at.year())?)
    } else {
        None
    };
    let id = new_id(at);
    let record = Record {
        id,
        kind: data.kind(),
        number,
        created_at,
        clock_trusted,
        data,
    };
    records::insert(tx, &record, sub.demo)?;
    let id_text = id.to_string();
    // Open since now on the wall clock, which is what the sync worker
    // measures a visit's length against (the record's time may be moved).
    outbox::enqueue(tx, &id_text, open.then(|| Utc::now().timestamp_millis()))?;
    let print_job = if sub.print_receipt {
        Some(print_jobs::insert(tx, &id_text, false, at)?)
    } else {
        None
    };
    Ok(Submitted {
        id,
        number: record.number,
        created_at,
        clock_trusted,
        due_date,
        check_code,
        print_job,
    })
}

/// A UUIDv7 carrying the record's time; the random part makes it unique.
fn new_id(at: DateTime<Utc>) -> Uuid {
    let secs = u64::try_from(at.timestamp()).unwrap_or(0);
    Uuid::new_v7(Timestamp::from_unix(
        NoContext,
        secs,
        at.timestamp_subsec_nanos(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::store::fixtures::{complaint, context, rating, staff_call, submission};

    #[test]
    fn complaints_get_consecutive_numbers_ratings_and_calls_none() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap();
        let ctx = context(&clock);
        let first = store.submit(submission(complaint()), &ctx).unwrap();
        let rated = store.submit(submission(rating(2)), &ctx).unwrap();
        let called = store.submit(submission(staff_call()), &ctx).unwrap();
        let second = store.submit(submission(complaint()), &ctx).unwrap();
        assert_eq!(first.number.unwrap().to_string(), "KV1-2026-000001");
        assert_eq!(second.number.unwrap().to_string(), "KV1-2026-000002");
        assert_eq!((rated.number, called.number), (None, None));
    }

    #[test]
    fn the_stored_record_reads_back_as_submitted_with_its_due_date() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 11, 23, 10, 45).unwrap();
        let done = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        assert_eq!(done.due_date, NaiveDate::from_ymd_opt(2026, 12, 23));
        assert_eq!(done.created_at.to_rfc3339(), "2026-11-23T10:45:00+02:00");

        let stored = store.get(done.id).unwrap().unwrap();
        let RecordData::Complaint(c) = &stored.record.data else {
            panic!("not a complaint")
        };
        assert_eq!(c.due_date, done.due_date);
        assert_eq!(c.name, "Иван Петров");
        assert_eq!(stored.record.created_at, done.created_at);
        assert_eq!(stored.record.number, done.number);
        assert!(!stored.demo && !stored.personal_data_erased);
        let by_number = store
            .get_by_number(done.number.as_ref().unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(by_number, stored);
    }

    #[test]
    fn a_receipt_is_queued_only_when_asked() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap();
        let with = store.submit(
            Submission {
                print_receipt: true,
                ..submission(complaint())
            },
            &context(&clock),
        );
        let without = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let job = with.unwrap().print_job.unwrap();
        assert_eq!(without.print_job, None);
        let pending = store.pending_print_jobs().unwrap();
        assert_eq!(pending.iter().map(|j| j.id).collect::<Vec<_>>(), vec![job]);
    }

    #[test]
    fn times_never_go_backwards_and_overruled_times_are_untrusted() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 6, 1, 12, 0).unwrap();
        let ctx = context(&clock);
        let first = store.submit(submission(rating(5)), &ctx).unwrap();
        assert!(first.clock_trusted);

        // Power cut; the Pi boots believing it is a day earlier.
        clock.set(clock.now() - chrono::Duration::days(1));
        let second = store.submit(submission(rating(4)), &ctx).unwrap();
        assert_eq!(second.created_at, first.created_at);
        assert!(!second.clock_trusted);
        assert!(!store.get(second.id).unwrap().unwrap().record.clock_trusted);

        // NTP catches up: later records are trusted again.
        clock.set(clock.now() + chrono::Duration::days(2));
        let third = store.submit(submission(rating(3)), &ctx).unwrap();
        assert!(third.created_at > second.created_at);
        assert!(third.clock_trusted);
    }

    #[test]
    fn a_clock_past_2100_still_takes_complaints_with_a_number() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2101, 3, 2, 10, 0).unwrap();
        let ctx = context(&clock);
        // A rating needs no number; it must not drag later records past 2100.
        let rating = store.submit(submission(rating(5)), &ctx).unwrap();
        assert!(!rating.clock_trusted);
        for _ in 0..2 {
            let done = store.submit(submission(complaint()), &ctx).unwrap();
            assert!(!done.clock_trusted);
            assert_eq!(done.number.unwrap().year(), 2026);
        }
        // The clock is put right: records go on at the right time, trusted.
        clock.set(ManualClock::at_sofia(2026, 6, 1, 12, 0).unwrap().now());
        let fixed = store.submit(submission(complaint()), &ctx).unwrap();
        assert!(fixed.clock_trusted);
        assert_eq!(fixed.number.unwrap().to_string(), "KV1-2026-000003");
    }

    #[test]
    fn an_unsynchronised_clock_is_recorded_as_untrusted() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 6, 1, 12, 0).unwrap();
        clock.set_synchronised(false);
        let done = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        assert!(!done.clock_trusted);
        assert!(!store.get(done.id).unwrap().unwrap().record.clock_trusted);
    }

    #[test]
    fn a_clock_at_the_epoch_still_gives_a_valid_receipt_number() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::new(DateTime::UNIX_EPOCH, false);
        let done = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        assert_eq!(done.number.unwrap().to_string(), "KV1-2026-000001");
        assert!(!done.clock_trusted);
    }

    #[test]
    fn submit_at_stores_a_demo_record_in_the_past_and_queues_it() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 9, 1, 9, 0).unwrap();
        let ctx = context(&clock);
        let past = clock.now() - chrono::Duration::days(60);
        let demo = store
            .submit_at(submission(complaint()), past, &ctx)
            .unwrap();
        assert_eq!(demo.created_at, local_time(past));
        let stored = store.get(demo.id).unwrap().unwrap();
        assert!(stored.demo);
        assert_eq!(stored.delivery, Some(crate::store::OutboxState::Pending));
        let queued = store.pending_batch(10).unwrap().items;
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].record.id, demo.id);
        assert_eq!(store.record_counts().unwrap().demo, 1);
    }

    #[test]
    fn a_rating_out_of_range_is_refused_and_leaves_nothing() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 6, 1, 12, 0).unwrap();
        let err = store
            .submit(submission(rating(6)), &context(&clock))
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidRecord(_)), "{err}");
        assert_eq!(store.record_counts().unwrap().total(), 0);
    }

    #[test]
    fn a_failure_after_the_number_was_taken_leaves_no_gap() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 6, 1, 12, 0).unwrap();
        let ctx = context(&clock);
        store.submit(submission(complaint()), &ctx).unwrap();
        store
            .with_conn(|c| {
                c.execute_batch(
                    "CREATE TEMP TRIGGER fail_print BEFORE INSERT ON print_jobs
                     BEGIN SELECT RAISE(ABORT, 'printer queue broken on purpose'); END;",
                )?;
                Ok(())
            })
            .unwrap();
        let failed = store.submit(
            Submission {
                print_receipt: true,
                ..submission(complaint())
            },
            &ctx,
        );
        assert!(failed.is_err());
        store
            .with_conn(|c| Ok(c.execute_batch("DROP TRIGGER temp.fail_print")?))
            .unwrap();

        let next = store.submit(submission(complaint()), &ctx).unwrap();
        assert_eq!(next.number.unwrap().sequence(), 2);
        assert_eq!(store.record_counts().unwrap().complaints, 2);
    }
}
