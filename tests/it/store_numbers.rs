//! Receipt numbers as a visitor and the registry desk see them: the format,
//! the yearly restart at Sofia midnight, no number for ratings and staff
//! calls, and no gap or duplicate under concurrent submissions, after a
//! restart or after a failed submission.
use crate::support;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::support::{PREFIX, complaint, context, rating, staff_call, submission};
use kiosk::clock::{Clock, ManualClock};
use kiosk::domain::ReceiptNumber;
use kiosk::store::Store;

fn number_text(store: &Store, clock: &dyn Clock) -> String {
    let done = store
        .submit(submission(complaint(), false), &context(clock))
        .unwrap();
    done.number.expect("a complaint gets a number").to_string()
}

#[test]
fn numbers_read_like_kv1_year_sequence_from_one() {
    let store = Store::open_in_memory().unwrap();
    let clock = ManualClock::at_sofia(2026, 3, 2, 9, 15).unwrap();
    let numbers: Vec<String> = (0..3).map(|_| number_text(&store, &clock)).collect();
    assert_eq!(
        numbers,
        ["KV1-2026-000001", "KV1-2026-000002", "KV1-2026-000003"]
    );
}

#[test]
fn the_sequence_restarts_at_new_year_in_sofia_time() {
    let store = Store::open_in_memory().unwrap();
    let clock = ManualClock::at_sofia(2026, 12, 31, 23, 59).unwrap();
    assert_eq!(number_text(&store, &clock), "KV1-2026-000001");
    assert_eq!(number_text(&store, &clock), "KV1-2026-000002");
    // 00:00 in Sofia is still 31 December in UTC: the Sofia year counts.
    let new_year = ManualClock::at_sofia(2027, 1, 1, 0, 0).unwrap();
    assert_eq!(new_year.now().to_rfc3339(), "2026-12-31T22:00:00+00:00");
    assert_eq!(number_text(&store, &new_year), "KV1-2027-000001");
    assert_eq!(number_text(&store, &new_year), "KV1-2027-000002");
    assert_eq!(store.last_sequence(PREFIX, 2026).unwrap(), 2);
}

#[test]
fn ratings_and_staff_calls_get_no_number_and_leave_no_gap() {
    let store = Store::open_in_memory().unwrap();
    let clock = ManualClock::at_sofia(2026, 6, 15, 14, 0).unwrap();
    let ctx = context(&clock);
    let mut numbers = Vec::new();
    for data in [
        complaint(),
        rating(1),
        staff_call(),
        rating(5),
        complaint(),
        staff_call(),
        complaint(),
    ] {
        let gets_number = data.gets_number();
        let done = store.submit(submission(data, true), &ctx).unwrap();
        assert_eq!(done.number.is_some(), gets_number);
        numbers.extend(done.number.map(|n| n.sequence()));
    }
    assert_eq!(numbers, [1, 2, 3]);
}

#[test]
fn ten_thousand_submissions_from_four_threads_get_numbers_one_to_ten_thousand() {
    const THREADS: usize = 4;
    const EACH: usize = 2_500;
    let dir = support::memory_dir();
    let db = dir.path().join("kiosk.db");
    let shared = Store::create(&db).unwrap();
    let clock = Arc::new(ManualClock::at_sofia(2026, 9, 14, 10, 0).unwrap());

    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            // Half the threads share one store; the others open their own
            // connection to the same file, like a second process would.
            let store = if t % 2 == 0 {
                shared.clone()
            } else {
                Store::open(&db).unwrap()
            };
            let clock = Arc::clone(&clock);
            std::thread::spawn(move || {
                let ctx = context(clock.as_ref());
                (0..EACH)
                    .map(|i| {
                        // Three connections writing without a pause can keep
                        // one waiting past the busy timeout on a loaded
                        // machine; the kiosk then says "try again", and so
                        // does this. A refused attempt must use no number.
                        let done = loop {
                            match store.submit(submission(complaint(), i % 10 == 0), &ctx) {
                                Err(kiosk::store::StoreError::Locked) => continue,
                                other => break other.unwrap(),
                            }
                        };
                        done.number.unwrap().sequence()
                    })
                    .collect::<Vec<u32>>()
            })
        })
        .collect();

    let mut returned = Vec::new();
    for h in handles {
        returned.extend(h.join().unwrap());
    }
    let distinct: BTreeSet<u32> = returned.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        THREADS * EACH,
        "a number was handed out twice"
    );
    assert_eq!(
        distinct.into_iter().collect::<Vec<_>>(),
        (1..=10_000).collect::<Vec<u32>>()
    );
    assert_eq!(
        support::stored_sequences(&db, PREFIX, 2026),
        (1..=10_000).collect::<Vec<u32>>()
    );
}

#[test]
fn numbers_continue_after_the_kiosk_restarts() {
    let dir = support::disk_dir();
    let db = dir.path().join("data").join("kiosk.db");
    let clock = ManualClock::at_sofia(2026, 4, 20, 11, 0).unwrap();
    let before = {
        let store = Store::create(&db).unwrap();
        (0..3)
            .map(|_| number_text(&store, &clock))
            .collect::<Vec<_>>()
    };
    let store = Store::open(&db).unwrap();
    let after = number_text(&store, &clock);
    assert_eq!(
        before,
        ["KV1-2026-000001", "KV1-2026-000002", "KV1-2026-000003"]
    );
    assert_eq!(after, "KV1-2026-000004");
    let first: ReceiptNumber = before[0].parse().unwrap();
    assert!(store.get_by_number(&first).unwrap().is_some());
}

#[test]
fn a_submission_that_fails_after_taking_its_number_leaves_no_gap() {
    let dir = support::disk_dir();
    let db = dir.path().join("kiosk.db");
    let store = Store::create(&db).unwrap();
    let clock = ManualClock::at_sofia(2026, 5, 5, 10, 0).unwrap();
    assert_eq!(number_text(&store, &clock), "KV1-2026-000001");

    // Make the last step of a submission fail, after the number was taken.
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute_batch(
            "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox
             BEGIN SELECT RAISE(ABORT, 'outbox broken on purpose'); END;",
        )
        .unwrap();
    let failed = store.submit(submission(complaint(), true), &context(&clock));
    assert!(
        failed.is_err(),
        "the broken outbox must fail the submission"
    );
    other.execute_batch("DROP TRIGGER fail_outbox").unwrap();

    assert_eq!(number_text(&store, &clock), "KV1-2026-000002");
    assert_eq!(support::stored_sequences(&db, PREFIX, 2026), [1, 2]);
    assert_eq!(store.record_counts().unwrap().complaints, 2);
    assert!(
        store.pending_print_jobs().unwrap().is_empty(),
        "the failed submission left a print job"
    );
}
