//! Contract 1.1 end to end, as the IT contractor and staff meet it: a record
//! the central system refuses alone is held while the others arrive, an
//! unreadable record is set aside without stopping the queue, staff put
//! records back and they arrive exactly once, and receipt numbers continue
//! above the central system's `highest_numbers`, even in a new database.
use crate::support;

use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, Utc};
use kiosk::clock::{SystemClock, local_time};
use kiosk::store::{OutboxList, Store};

use crate::support::central::{FakeCentral, Faults};
use crate::support::cli::{run as kiosk, text};

fn this_year() -> i32 {
    local_time(Utc::now()).year()
}

/// A kiosk folder made by `kiosk init`, with `n` records (complaints on
/// even places, ratings on odd ones) and a token. Returns their ids.
fn kiosk_with(dir: &std::path::Path, url: &str, n: usize) -> Vec<uuid::Uuid> {
    support::cli::token(dir);
    let made = kiosk(dir, url, &["init"]);
    assert!(made.status.success(), "{}", text(&made));
    let store = Store::open(dir.join("kiosk.db")).unwrap();
    (0..n)
        .map(|i| {
            let data = if i % 2 == 0 {
                support::complaint()
            } else {
                support::rating(4)
            };
            store
                .submit(
                    support::submission(data, false),
                    &support::context(&SystemClock),
                )
                .unwrap()
                .id
        })
        .collect()
}

#[test]
fn a_record_refused_alone_is_held_the_rest_arrive_and_requeue_sends_it_once() {
    let dir = support::memory_dir();
    let server = FakeCentral::start(Faults::default());
    let url = server.url();
    let ids = kiosk_with(dir.path(), &url, 12);
    let bad = ids[4].to_string();
    let rejected = ids[7].to_string();
    server.set_faults(|f| {
        f.unprocessable = [bad.clone()].into();
        f.reject = [rejected.clone()].into();
    });
    let number = format!("KV1-{}-000003", this_year());

    let first = kiosk(dir.path(), &url, &["sync", "--once"]);
    let out = text(&first);
    assert_eq!(first.status.code(), Some(1), "something is left: {out}");
    assert!(
        out.contains(&format!(
            "held complaint {number} {bad}: HTTP 422 when sent alone: {{\"error\":\"bad record\"}}"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("rejected rating - {rejected}: unknown category")),
        "{out}"
    );
    assert!(
        out.contains("outbox now: 1 pending (1 held, 0 set aside), 10 delivered, 1 rejected"),
        "{out}"
    );
    server.seen(|s| assert_eq!(s.held.len(), 10));

    let listing = text(&kiosk(dir.path(), &url, &["outbox"]));
    assert!(listing.contains("held (refused alone"), "{listing}");
    assert!(
        listing.lines().any(|l| l.contains(&number)
            && l.contains(&bad)
            && l.ends_with("HTTP 422 when sent alone: {\"error\":\"bad record\"}")),
        "{listing}"
    );

    // The central system is fixed; staff put both back.
    server.set_faults(|f| {
        f.unprocessable.clear();
        f.reject.clear();
    });
    let back = kiosk(dir.path(), &url, &["outbox", "--requeue", &number]);
    assert!(back.status.success(), "{}", text(&back));
    assert!(
        text(&back).contains("(was held: HTTP 422"),
        "{}",
        text(&back)
    );
    let back = kiosk(dir.path(), &url, &["outbox", "--requeue", &rejected]);
    assert!(
        text(&back).contains("(was rejected: unknown category)"),
        "{}",
        text(&back)
    );
    let again = kiosk(dir.path(), &url, &["outbox", "--requeue", "all"]);
    assert!(
        text(&again).contains("nothing to put back"),
        "{}",
        text(&again)
    );

    let second = kiosk(dir.path(), &url, &["sync", "--once"]);
    let out = text(&second);
    assert!(second.status.success(), "{out}");
    assert!(
        out.contains("outbox now: 0 pending, 12 delivered, 0 rejected"),
        "{out}"
    );
    server.seen(|s| {
        assert_eq!(s.held.len(), 12);
        assert!(s.accepted.values().all(|&n| n == 1), "{:?}", s.accepted);
        assert!(s.violations.is_empty(), "{:?}", s.violations);
    });
    let store = Store::open(dir.path().join("kiosk.db")).unwrap();
    let audit: Vec<String> = store
        .audit_entries(10)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "requeue")
        .map(|e| e.detail)
        .collect();
    assert_eq!(audit.len(), 3, "{audit:?}");
    assert!(
        audit.iter().all(|d| d.ends_with("from the command line")),
        "{audit:?}"
    );
}

#[test]
fn an_unreadable_record_is_set_aside_and_never_stops_the_ones_behind_it() {
    let dir = support::memory_dir();
    let server = FakeCentral::start(Faults::default());
    let url = server.url();
    let ids = kiosk_with(dir.path(), &url, 6);
    {
        let conn = rusqlite::Connection::open(dir.path().join("kiosk.db")).unwrap();
        conn.execute(
            "UPDATE personal_data SET name = CAST(X'D0C8FFFE' AS TEXT) WHERE record_id = ?1",
            [ids[0].to_string()],
        )
        .unwrap();
        conn.execute(
            "UPDATE records SET data = '{\"score\": 4, \"serv' WHERE id = ?1",
            [ids[1].to_string()],
        )
        .unwrap();
    }
    let run = kiosk(dir.path(), &url, &["sync", "--once"]);
    let out = text(&run);
    assert_eq!(run.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "set aside KV1-{}-000001 {}: a stored field is not valid text (invalid UTF-8)",
            this_year(),
            ids[0]
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("set aside - {}: it cannot be read", ids[1])),
        "{out}"
    );
    assert!(
        out.contains("outbox now: 2 pending (0 held, 2 set aside), 4 delivered, 0 rejected"),
        "{out}"
    );
    server.seen(|s| assert_eq!(s.held.len(), 4));
    let listing = text(&kiosk(dir.path(), &url, &["outbox"]));
    assert!(listing.contains("set aside (cannot be read"), "{listing}");
    // The other views of the records still work, one bad row or not.
    for args in [
        vec!["report", "--year", &this_year().to_string()],
        vec!["outbox", "--limit", "1"],
    ] {
        let o = kiosk(dir.path(), &url, &args);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
    }
    let receipt = kiosk(
        dir.path(),
        &url,
        &[
            "receipt",
            &format!("KV1-{}-000001", this_year()),
            "--out",
            "/dev/null",
        ],
    );
    assert!(
        !text(&receipt).contains("panicked"),
        "a damaged record is refused in words: {}",
        text(&receipt)
    );
}

#[test]
fn numbers_continue_above_the_central_systems_highest_in_a_new_database() {
    let year = this_year();
    let server = FakeCentral::start(Faults {
        highest_numbers: Some(vec![(format!("KV1-{year}"), 57), ("KV9-2026".into(), 3)]),
        ..Faults::default()
    });
    // `kiosk init` asks the central system at once.
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let made = kiosk(dir.path(), &server.url(), &["init"]);
    let out = text(&made);
    assert!(made.status.success(), "{out}");
    assert!(
        out.contains(&format!("the next receipt number is KV1-{year}-000058")),
        "{out}"
    );
    let store = Store::open(dir.path().join("kiosk.db")).unwrap();
    let first = store
        .submit(
            support::submission(support::complaint(), false),
            &support::context(&SystemClock),
        )
        .unwrap();
    assert_eq!(first.number.unwrap().sequence(), 58);
    drop(store);

    // A database restored from an old copy: the worker reads the updates at
    // start, before anything else, and numbering moves past them.
    server.set_faults(|f| f.highest_numbers = Some(vec![(format!("KV1-{year}"), 90)]));
    let store = Store::open(dir.path().join("kiosk.db")).unwrap();
    let settings = kiosk::sync::SyncSettings {
        kiosk_id: "kovachevtsi-lobby-1".into(),
        url: server.url(),
        token_file: dir.path().join("central.token"),
        ca_file: None,
        batch_size: 100,
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(5),
        backoff: kiosk::sync::Backoff::default(),
        poll_every: Duration::from_millis(50),
        heartbeat_every: Duration::from_secs(600),
        keep_after_delivery: chrono::Duration::days(30),
        erase_every: Duration::from_secs(60),
    };
    let handle = kiosk::sync::start(
        settings,
        store.clone(),
        Arc::new(SystemClock),
        kiosk::sync::printer_unknown(),
    )
    .unwrap();
    crate::support::central::wait_for_updates(&handle);
    assert!(handle.shutdown(Duration::from_secs(5)));
    let next = store
        .submit(
            support::submission(support::complaint(), false),
            &support::context(&SystemClock),
        )
        .unwrap();
    assert_eq!(next.number.unwrap().sequence(), 91);
    // A lower answer later never lowers the floor.
    server.set_faults(|f| f.highest_numbers = Some(vec![(format!("KV1-{year}"), 10)]));
    let sync = kiosk(dir.path(), &server.url(), &["sync", "--once"]);
    assert!(text(&sync).contains(&format!("holds receipt numbers up to KV1-{year}-000010")));
    assert_eq!(store.next_sequence("KV1", year).unwrap(), 92);
    // Every poll names this kiosk; one made after a cursor was kept also
    // carries it (`?since=`), whichever process made it.
    server.seen(|s| {
        assert!(s.updates.iter().all(|p| {
            let (path, query) = p.split_once('?').unwrap_or((p, ""));
            path == "/v1/kiosks/kovachevtsi-lobby-1/updates"
                && (query.is_empty() || query.starts_with("since="))
        }))
    });
}

#[test]
fn init_keeps_an_existing_database_and_next_number_only_raises() {
    let dir = support::memory_dir();
    let year = this_year();
    let url = "";
    let first = kiosk(dir.path(), url, &["init", "--next-number", "120"]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("made a new database"),
        "{}",
        text(&first)
    );
    assert!(
        text(&first).contains(&format!("KV1-{year}-000120")),
        "{}",
        text(&first)
    );
    let again = kiosk(dir.path(), url, &["init", "--next-number", "5"]);
    let out = text(&again);
    assert!(again.status.success(), "{out}");
    assert!(out.contains("exists and is kept"), "{out}");
    assert!(out.contains("already past"), "{out}");
    assert!(
        out.contains(&format!("the next receipt number is KV1-{year}-000120")),
        "{out}"
    );
    let wrong = kiosk(
        dir.path(),
        url,
        &["init", "--next-number", "KV2-2026-000001"],
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong));
    let store = Store::open(dir.path().join("kiosk.db")).unwrap();
    assert!(
        store
            .outbox_entries(OutboxList::Waiting, 1)
            .unwrap()
            .is_empty()
    );
}
