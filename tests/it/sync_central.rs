//! The sync worker against a real HTTP server on 127.0.0.1 that fails on
//! purpose (tests/support/central.rs). Back-off, timeouts and intervals are
//! shrunk to milliseconds; assertions are on outcomes and on the waits the
//! worker chose, never on how long something took.
use crate::support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::central::{FakeCentral, Faults, TOKEN};
use kiosk::clock::{Clock, ManualClock, SystemClock};
use kiosk::store::{OutboxCounts, Store};
use kiosk::sync::{self, Backoff, SyncError, SyncHandle, SyncSettings, SyncStatus};
use uuid::Uuid;

const CAP: Duration = Duration::from_millis(40);

fn token_file(dir: &Path, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("central.token");
    std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

fn settings(url: String, token_file: PathBuf) -> SyncSettings {
    SyncSettings {
        kiosk_id: "kovachevtsi-lobby-1".into(),
        url,
        token_file,
        ca_file: None,
        batch_size: 100,
        connect_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_millis(300),
        backoff: Backoff {
            base: Duration::from_millis(1),
            cap: CAP,
        },
        poll_every: Duration::from_millis(20),
        heartbeat_every: Duration::from_millis(100),
        keep_after_delivery: chrono::Duration::days(30),
        erase_every: Duration::from_millis(20),
    }
}

/// A store in a temporary folder with `n` records: complaints, ratings and
/// staff calls in turn.
fn store_with(dir: &Path, n: usize, clock: &dyn Clock) -> (Store, Vec<Uuid>) {
    let store = Store::create(dir.join("kiosk.db")).unwrap();
    let ids = (0..n)
        .map(|i| {
            let data = match i % 3 {
                0 => support::complaint(),
                1 => support::rating((i % 5) as u8 + 1),
                _ => support::staff_call(),
            };
            store
                .submit(support::submission(data, false), &support::context(clock))
                .unwrap()
                .id
        })
        .collect();
    (store, ids)
}

/// Waits (up to a generous bound) for the status to satisfy `done`.
fn wait_for(handle: &SyncHandle, what: &str, done: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = handle.snapshot();
        if done(&s) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {s:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn start(s: SyncSettings, store: &Store, clock: Arc<dyn Clock>) -> SyncHandle {
    sync::start(s, store.clone(), clock, sync::printer_unknown()).unwrap()
}

#[test]
fn a_thousand_records_through_thirty_percent_faults_arrive_exactly_once() {
    let dir = support::memory_dir();
    let (store, ids) = store_with(dir.path(), 1000, &SystemClock);
    let rejected = ids[123].to_string();
    let unprocessable = ids[456].to_string();
    let server = FakeCentral::start(Faults {
        rate: 0.3,
        seed: 2026,
        max_batch: 40,
        reject: [rejected.clone()].into(),
        unprocessable: [unprocessable.clone()].into(),
        ..Faults::default()
    });
    let handle = start(
        settings(server.url(), token_file(dir.path(), 0o600)),
        &store,
        Arc::new(SystemClock),
    );
    let status = wait_for(&handle, "the outbox to drain", |s| {
        s.pending == 1 && s.held == 1 && s.phase == sync::SyncPhase::Idle && s.rejected == 1
    });
    assert!(handle.shutdown(Duration::from_secs(5)));

    assert!(status.longest_wait <= CAP, "{:?}", status.longest_wait);
    assert_eq!(
        store.outbox_counts().unwrap(),
        OutboxCounts {
            pending: 1,
            delivered: 998,
            rejected: 1,
            held: 1,
            set_aside: 0,
        }
    );
    server.seen(|seen| {
        assert!(seen.violations.is_empty(), "{:?}", seen.violations);
        assert_eq!(seen.held.len(), 998);
        assert!(seen.accepted.values().all(|&n| n == 1));
        for id in &ids {
            let key = id.to_string();
            if key == rejected || key == unprocessable {
                assert!(!seen.held.contains_key(&key));
                continue;
            }
            let sent = &seen.held[&key];
            let ours = serde_json::to_value(store.get(*id).unwrap().unwrap().record).unwrap();
            assert_eq!(sent, &ours, "record {key} arrived changed");
        }
        for kind in [
            "500",
            "reset",
            "slow",
            "429",
            "503",
            "lost answer",
            "missing results",
            "duplicate acks",
            "malformed",
        ] {
            assert!(
                seen.faults.get(kind).copied().unwrap_or(0) > 0,
                "fault {kind} never injected: {:?}",
                seen.faults
            );
        }
        assert!(
            seen.batch_sizes.iter().any(|&n| n > 40),
            "413 never provoked"
        );
    });
    // The rejected record and the held one stay visible to staff, with
    // the reason: only a per-record `rejected` rejects (contract 1.1).
    let reasons = |list| -> Vec<(String, String)> {
        store
            .outbox_entries(list, 10)
            .unwrap()
            .iter()
            .map(|e| (e.id.clone(), e.reason().unwrap_or_default().to_owned()))
            .collect()
    };
    let refused = reasons(kiosk::store::OutboxList::Rejected);
    assert_eq!(refused, [(rejected, "unknown category".to_owned())]);
    let held = reasons(kiosk::store::OutboxList::Held);
    assert!(
        held.iter()
            .any(|(id, r)| *id == unprocessable && r.starts_with("HTTP 422 when sent alone")),
        "{held:?}"
    );
}

#[test]
fn after_a_long_outage_everything_drains_and_no_wait_exceeds_the_cap() {
    let dir = support::memory_dir();
    let (store, ids) = store_with(dir.path(), 150, &SystemClock);
    let server = FakeCentral::start(Faults {
        down: true,
        ..Faults::default()
    });
    let handle = start(
        settings(server.url(), token_file(dir.path(), 0o600)),
        &store,
        Arc::new(SystemClock),
    );
    let down = wait_for(&handle, "many failures", |s| s.failures_in_a_row >= 15);
    assert!(down.last_error.is_some());
    assert!(down.next_attempt_in.is_some_and(|w| w <= CAP));
    assert!(down.longest_wait <= CAP);
    assert_eq!(down.pending, 150);

    server.set_faults(|f| f.down = false);
    let up = wait_for(&handle, "the outbox to drain", |s| {
        s.pending == 0 && s.last_success.is_some()
    });
    assert!(up.longest_wait <= CAP, "{:?}", up.longest_wait);
    assert!(handle.shutdown(Duration::from_secs(5)));
    server.seen(|seen| assert_eq!(seen.held.len(), ids.len()));
}

#[test]
fn refused_credentials_stop_sending_and_say_so() {
    let dir = support::memory_dir();
    let (store, _) = store_with(dir.path(), 5, &SystemClock);
    let server = FakeCentral::start(Faults {
        refuse_token: true,
        ..Faults::default()
    });
    let handle = start(
        settings(server.url(), token_file(dir.path(), 0o600)),
        &store,
        Arc::new(SystemClock),
    );
    let s = wait_for(&handle, "a refusal", |s| s.failures_in_a_row >= 1);
    assert_eq!(
        s.last_error.as_deref(),
        Some("central system refuses the kiosk's credentials")
    );
    assert_eq!(
        s.next_attempt_in,
        Some(CAP),
        "retries after the back-off cap"
    );
    assert!(handle.shutdown(Duration::from_secs(5)));
    assert_eq!(store.outbox_counts().unwrap().pending, 5);
}

#[test]
fn a_token_file_others_can_read_is_refused() {
    let dir = support::memory_dir();
    let store = Store::create(dir.path().join("kiosk.db")).unwrap();
    let s = settings("http://127.0.0.1:9".into(), token_file(dir.path(), 0o644));
    let err = sync::start(s, store, Arc::new(SystemClock), sync::printer_unknown()).unwrap_err();
    assert!(
        matches!(err, SyncError::TokenFileNotPrivate { mode: 0o644, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("chmod 600"));
}

#[test]
fn stopping_mid_request_is_quick_and_a_restart_resumes() {
    let dir = support::memory_dir();
    let (store, ids) = store_with(dir.path(), 60, &SystemClock);
    let server = FakeCentral::start(Faults {
        stall: true,
        ..Faults::default()
    });
    let mut slow = settings(server.url(), token_file(dir.path(), 0o600));
    slow.request_timeout = Duration::from_secs(30);
    let handle = start(slow.clone(), &store, Arc::new(SystemClock));
    wait_for(&handle, "a request in flight", |s| {
        s.phase == sync::SyncPhase::Sending
    });
    while server.seen(|s| s.requests) == 0 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let asked = Instant::now();
    assert!(
        handle.shutdown(Duration::from_secs(5)),
        "did not stop within 5 s"
    );
    assert!(asked.elapsed() < Duration::from_secs(5));
    assert_eq!(store.outbox_counts().unwrap().pending, 60, "nothing lost");

    drop(store);
    let store = Store::create(dir.path().join("kiosk.db")).unwrap();
    server.set_faults(|f| f.stall = false);
    let handle = start(slow, &store, Arc::new(SystemClock));
    wait_for(&handle, "the outbox to drain", |s| {
        s.pending == 0 && s.last_success.is_some()
    });
    assert!(handle.shutdown(Duration::from_secs(5)));
    server.seen(|seen| {
        assert_eq!(seen.held.len(), ids.len());
        assert!(seen.accepted.values().all(|&n| n == 1));
    });
}

#[test]
fn heartbeats_carry_the_contract_fields() {
    let dir = support::memory_dir();
    let server = FakeCentral::start(Faults {
        stall: true,
        ..Faults::default()
    });
    let (store, _) = store_with(dir.path(), 3, &SystemClock);
    let handle = start(
        settings(server.url(), token_file(dir.path(), 0o600)),
        &store,
        Arc::new(SystemClock),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.seen(|s| s.heartbeats.is_empty()) {
        assert!(Instant::now() < deadline, "no heartbeat");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(handle.shutdown(Duration::from_secs(5)));
    let beat = server.seen(|s| s.heartbeats[0].clone());
    assert_eq!(beat["kiosk_id"], "kovachevtsi-lobby-1");
    assert_eq!(beat["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(beat["outbox_pending"], 3);
    assert_eq!(beat["printer"], "unknown");
    assert!(beat["clock_trusted"].is_boolean());
    for key in ["at", "oldest_pending_at"] {
        let t = chrono::DateTime::parse_from_rfc3339(beat[key].as_str().unwrap()).unwrap();
        assert!(
            [7200, 10800].contains(&t.offset().local_minus_utc()),
            "{key}"
        );
    }
}

#[test]
fn personal_data_is_erased_after_the_retention_period_and_summaries_stay() {
    let dir = support::memory_dir();
    let clock = Arc::new(ManualClock::at_sofia(2026, 11, 2, 10, 0).unwrap());
    let (store, ids) = store_with(dir.path(), 3, clock.as_ref());
    let server = FakeCentral::start(Faults::default());
    let handle = start(
        settings(server.url(), token_file(dir.path(), 0o600)),
        &store,
        clock.clone(),
    );
    wait_for(&handle, "delivery", |s| {
        s.pending == 0 && s.last_success.is_some()
    });
    let complaint = store.get(ids[0]).unwrap().unwrap();
    assert!(
        !complaint.personal_data_erased,
        "kept while staff may reprint"
    );

    clock.advance(chrono::Duration::days(31));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !store.get(ids[0]).unwrap().unwrap().personal_data_erased {
        assert!(Instant::now() < deadline, "personal data never erased");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(handle.shutdown(Duration::from_secs(5)));
    let after = store.get(ids[0]).unwrap().unwrap();
    assert_eq!(after.record.number, complaint.record.number);
    let kiosk::domain::record::RecordData::Complaint(c) = after.record.data else {
        panic!("not a complaint")
    };
    assert!(c.name.is_empty() && c.phone.is_empty() && c.text.is_empty());
    assert_eq!(c.category, "service_quality");
    assert_eq!(store.record_counts().unwrap().total(), 3);
}

#[test]
fn sync_now_ends_a_long_wait() {
    let dir = support::memory_dir();
    let (store, ids) = store_with(dir.path(), 20, &SystemClock);
    let server = FakeCentral::start(Faults {
        down: true,
        ..Faults::default()
    });
    let mut patient = settings(server.url(), token_file(dir.path(), 0o600));
    // Waits far longer than the test may take: only "sync now" can end them.
    patient.backoff = Backoff {
        base: Duration::from_secs(600),
        cap: Duration::from_secs(600),
    };
    patient.poll_every = Duration::from_secs(600);
    let handle = start(patient, &store, Arc::new(SystemClock));
    let waiting = wait_for(&handle, "a failure", |s| {
        s.phase == sync::SyncPhase::Waiting
    });
    assert_eq!(waiting.failures_in_a_row, 1);
    assert!(
        waiting
            .next_attempt_in
            .is_some_and(|w| w <= Duration::from_secs(600))
    );

    server.set_faults(|f| f.down = false);
    handle.sync_now();
    wait_for(&handle, "the outbox to drain", |s| {
        s.pending == 0 && s.last_success.is_some()
    });
    assert!(handle.shutdown(Duration::from_secs(5)));
    server.seen(|seen| assert_eq!(seen.held.len(), ids.len()));
}

#[test]
fn a_kick_after_a_commit_waits_out_the_back_off_but_sync_now_does_not() {
    let dir = support::memory_dir();
    let (store, _) = store_with(dir.path(), 3, &SystemClock);
    let server = FakeCentral::start(Faults {
        refuse_token: true,
        ..Faults::default()
    });
    let mut patient = settings(server.url(), token_file(dir.path(), 0o600));
    // Refused credentials wait the cap: far longer than the test takes.
    patient.backoff = Backoff {
        base: Duration::from_secs(600),
        cap: Duration::from_secs(600),
    };
    patient.poll_every = Duration::from_secs(600);
    patient.heartbeat_every = Duration::from_secs(600);
    let handle = start(patient, &store, Arc::new(SystemClock));
    let refused = wait_for(&handle, "a refusal", |s| {
        s.failures_in_a_row == 1 && s.phase == sync::SyncPhase::Waiting
    });

    // Visitors go on filing: each commit kicks the worker.
    for _ in 0..5 {
        store
            .submit(
                support::submission(support::rating(4), false),
                &support::context(&SystemClock),
            )
            .unwrap();
        handle.kick();
    }
    std::thread::sleep(Duration::from_millis(300));
    let s = handle.snapshot();
    assert_eq!(s.failures_in_a_row, 1, "no new attempt: {s:?}");
    assert_eq!(s.next_attempt_in, refused.next_attempt_in);

    // The staff's "sync now" still tries at once.
    handle.sync_now();
    wait_for(&handle, "a second attempt", |s| s.failures_in_a_row == 2);
    assert!(handle.shutdown(Duration::from_secs(5)));
    assert_eq!(store.outbox_counts().unwrap().pending, 8);
}

#[test]
fn a_tls_failure_keeps_everything_and_backs_off() {
    use std::io::{Read, Write};
    // Something on the port that does not speak TLS: the handshake fails.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_server = Arc::clone(&stop);
    let server = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !stop_server.load(std::sync::atomic::Ordering::Relaxed) && Instant::now() < deadline {
            match listener.accept() {
                Ok((mut conn, _)) => {
                    let _ = conn.set_read_timeout(Some(Duration::from_millis(200)));
                    let mut buf = [0u8; 512];
                    let _ = conn.read(&mut buf);
                    let _ =
                        conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });

    let dir = support::memory_dir();
    let (store, _) = store_with(dir.path(), 4, &SystemClock);
    let url = format!("https://127.0.0.1:{port}");
    let handle = start(
        settings(url, token_file(dir.path(), 0o600)),
        &store,
        Arc::new(SystemClock),
    );
    let s = wait_for(&handle, "two failed attempts", |s| s.failures_in_a_row >= 2);
    assert!(s.last_error.is_some(), "{s:?}");
    assert!(s.next_attempt_in.is_some_and(|w| w <= CAP), "{s:?}");
    assert!(handle.shutdown(Duration::from_secs(5)));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    server.join().unwrap();
    assert_eq!(
        store.outbox_counts().unwrap().pending,
        4,
        "nothing lost, nothing marked"
    );
}
