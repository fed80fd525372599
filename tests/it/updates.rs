//! Updates from the municipality (contract 1.1 `updates`) through the
//! running sync worker: the central system's `answers` reach the register
//! and "check my receipt" within one heartbeat, the cursor goes back as
//! `since`, and an unknown number stays unknown.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kiosk::clock::SystemClock;
use kiosk::store::{RegisterFilter, RegisterView, Store};
use serde_json::json;

use crate::support;
use crate::support::central::{FakeCentral, Faults};

fn settings(url: String, dir: &std::path::Path) -> kiosk::sync::SyncSettings {
    let mut s = kiosk::sync::SyncSettings::from_config(&support::ui::config(dir));
    s.url = url;
    s.token_file = dir.join("central.token");
    s.poll_every = Duration::from_millis(50);
    s.heartbeat_every = Duration::from_millis(300);
    s
}

#[test]
fn answers_from_the_central_system_reach_the_register_and_the_receipt_check() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let store = Store::create(dir.path().join("kiosk.db")).unwrap();
    let ctx = support::context(&SystemClock);
    let a = store
        .submit(support::submission(support::complaint(), false), &ctx)
        .unwrap();
    let b = store
        .submit(support::submission(support::complaint(), false), &ctx)
        .unwrap();
    let (na, nb) = (a.number.unwrap(), b.number.unwrap());
    let year = na.year();
    let server = FakeCentral::start(Faults {
        highest_numbers: Some(vec![(format!("KV1-{year}"), 2)]),
        answers: vec![
            json!({"number": na.to_string(), "status": "answered", "answered_on": format!("{year}-12-15")}),
            json!({"number": nb.to_string(), "status": "extended", "new_due_date": format!("{}-01-20", year + 1)}),
            json!({"number": "KV1-2026-00004", "status": "answered"}),
        ],
        ..Faults::default()
    });
    let handle = kiosk::sync::start(
        settings(server.url(), dir.path()),
        store.clone(),
        Arc::new(SystemClock),
        kiosk::sync::printer_unknown(),
    )
    .unwrap();
    // The worker reads the updates at start, with its first heartbeat.
    crate::support::central::wait_for_updates(&handle);
    let fa = store.follow_up(&na).unwrap().unwrap();
    assert_eq!(fa.answered_on, NaiveDate::from_ymd_opt(year, 12, 15));
    let fb = store.follow_up(&nb).unwrap().unwrap();
    assert_eq!(fb.extended_to, NaiveDate::from_ymd_opt(year + 1, 1, 20));
    assert_eq!(
        store
            .follow_up(&format!("KV1-{year}-000099").parse().unwrap())
            .unwrap(),
        None,
        "an unknown number is unknown"
    );
    let register = store.register(&RegisterFilter::default()).unwrap();
    let entry = |n| {
        register
            .iter()
            .find(|e| e.number.as_ref() == Some(n))
            .unwrap()
    };
    assert_eq!(entry(&na).answered_on, fa.answered_on);
    assert_eq!(entry(&nb).extended_to, fb.extended_to);
    // Nothing is overdue at the original date once it was extended.
    let after_first_due = fb.due_date.unwrap().succ_opt().unwrap();
    let overdue = store
        .register(&RegisterFilter {
            only: Some(RegisterView::Overdue {
                today: after_first_due,
            }),
            ..RegisterFilter::default()
        })
        .unwrap();
    assert!(overdue.is_empty(), "{overdue:?}");
    // The cursor is kept and sent back as `since`.
    assert_eq!(
        store
            .updates_value(kiosk::store::follow_up::keys::CURSOR)
            .unwrap()
            .as_deref(),
        Some("c1")
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.seen(|s| s.updates.iter().any(|u| u.contains("since=c1"))) {
        assert!(
            Instant::now() < deadline,
            "{:?}",
            server.seen(|s| s.updates.clone())
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(handle.shutdown(Duration::from_secs(5)));
}

#[test]
fn a_central_ceiling_with_no_room_left_is_refused_and_complaints_go_on() {
    for ceiling in [999_998, 999_999] {
        let dir = support::memory_dir();
        support::cli::token(dir.path());
        let store = Store::create(dir.path().join("kiosk.db")).unwrap();
        let ctx = support::context(&SystemClock);
        let first = store
            .submit(support::submission(support::complaint(), false), &ctx)
            .unwrap()
            .number
            .unwrap();
        let year = first.year();
        let server = FakeCentral::start(Faults {
            highest_numbers: Some(vec![(format!("KV1-{year}"), ceiling)]),
            answers: vec![
                json!({"number": first.to_string(), "status": "answered", "answered_on": format!("{year}-12-15")}),
            ],
            ..Faults::default()
        });
        let handle = kiosk::sync::start(
            settings(server.url(), dir.path()),
            store.clone(),
            Arc::new(SystemClock),
            kiosk::sync::printer_unknown(),
        )
        .unwrap();
        crate::support::central::wait_for_updates(&handle);
        // The rest of the updates still applies.
        let answered = store.follow_up(&first).unwrap().unwrap().answered_on;
        assert_eq!(answered, NaiveDate::from_ymd_opt(year, 12, 15));
        for expected in 2..=4 {
            let n = store
                .submit(support::submission(support::complaint(), false), &ctx)
                .unwrap()
                .number
                .unwrap();
            assert_eq!(n.sequence(), expected, "ceiling {ceiling}");
        }
        // The command line says why it did not take the ceiling.
        let o = support::cli::run(dir.path(), &server.url(), &["sync", "--once"]);
        let said = support::cli::text(&o);
        assert!(said.contains(&format!("KV1-{year}-{ceiling}")), "{said}");
        assert!(said.contains("refused: it leaves no room"), "{said}");
        assert!(!said.contains("receipt_prefix"), "{said}");
        drop(handle);
    }
}
