//! `kiosk sync --once` and the sync worker against central systems that
//! misbehave on purpose (tests/it/support/hostile.rs): a wrong address
//! (404, 405, 410, 400, 422 or 413 to everything, redirects), answers that
//! never end or are huge, headers or bodies that trickle, resets and
//! garbage. Each run must end by itself within its bound, stay under
//! 50 MiB of resident memory (the child's VmHWM from /proc), reject and
//! hold nothing, lose nothing, and say why in words staff can act on.
//!
//! The worker runs in a child process (this test binary again, only
//! `worker_child`), so its memory is measured alone.
use crate::support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::hostile::{Behaviour, Hostile, run_measured};
use kiosk::clock::SystemClock;
use kiosk::store::{OutboxCounts, Store};

/// The most resident memory a run may take.
const MAX_RSS_KIB: u64 = 50 * 1024;
/// A run still going after this long is killed and fails the test.
const BOUND: Duration = Duration::from_secs(90);
const RECORDS: usize = 250;
const CHILD_TEST: &str = "hostile_central::worker_child";
const CHILD_DIR: &str = "KIOSK_HOSTILE_WORKER_DIR";
const CHILD_URL: &str = "KIOSK_HOSTILE_WORKER_URL";

/// A kiosk folder: its database with `RECORDS` records (one in five a
/// numbered complaint) and a private token file.
fn kiosk_dir() -> tempfile::TempDir {
    let dir = support::memory_dir();
    let store = Store::create(dir.path().join("kiosk.db")).unwrap();
    for i in 0..RECORDS {
        let data = if i % 5 == 0 {
            support::complaint()
        } else {
            support::rating((i % 5) as u8)
        };
        store
            .submit(
                support::submission(data, false),
                &support::context(&SystemClock),
            )
            .unwrap();
    }
    support::cli::token(dir.path());
    dir
}

/// `kiosk ARGS` pointed at `dir` and `url` (see `support::cli`).
fn kiosk(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut cmd = support::cli::command(dir, url);
    cmd.args(args);
    cmd
}

fn counts(dir: &Path) -> OutboxCounts {
    Store::open(dir.join("kiosk.db"))
        .unwrap()
        .outbox_counts()
        .unwrap()
}

/// Nothing delivered, rejected, held or lost.
fn untouched() -> OutboxCounts {
    OutboxCounts {
        pending: RECORDS as u64,
        ..OutboxCounts::default()
    }
}

/// Runs `sync --once` against a server behaving as `behaviour`; checks
/// the bound and the memory and returns the output and exit code.
fn sync_once(behaviour: Behaviour) -> (tempfile::TempDir, Hostile, String, Option<i32>) {
    let dir = kiosk_dir();
    let server = Hostile::start(behaviour.clone());
    let (out, m) = run_measured(
        &mut kiosk(dir.path(), &server.url(), &["sync", "--once"]),
        BOUND,
    );
    assert!(
        !m.killed,
        "{behaviour:?}: still running after {BOUND:?}\n{out}"
    );
    assert!(
        m.peak_kib < MAX_RSS_KIB,
        "{behaviour:?}: {} KiB resident at the peak\n{out}",
        m.peak_kib
    );
    eprintln!(
        "{behaviour:?}: {:.1} s, peak {} KiB, exit {:?}",
        m.elapsed.as_secs_f64(),
        m.peak_kib,
        m.status
    );
    (dir, server, out, m.status)
}

/// Runs the cases side by side: each waits on its server, not on the CPU.
fn each<T: Send>(cases: Vec<T>, check: impl Fn(T) + Sync) {
    std::thread::scope(|s| {
        let handles: Vec<_> = cases.into_iter().map(|c| s.spawn(|| check(c))).collect();
        for h in handles {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

#[test]
fn a_wrong_address_rejects_and_holds_nothing_and_says_which_url() {
    let cases = vec![
        (
            Behaviour::Status(404, "<html><h1>Not Found</h1></html>".into()),
            404,
        ),
        (Behaviour::Status(405, "Method Not Allowed".into()), 405),
        (Behaviour::Status(410, String::new()), 410),
        (
            Behaviour::Status(400, "{\"error\":\"bad request\"}".into()),
            400,
        ),
        (
            Behaviour::Status(422, "{\"error\":\"unprocessable\"}".into()),
            422,
        ),
        (
            Behaviour::Status(413, "<html>Request Entity Too Large</html>".into()),
            413,
        ),
        (
            Behaviour::Redirect(301, "https://elsewhere.example/v1/records".into()),
            301,
        ),
        (Behaviour::Redirect(307, "http://127.0.0.1:1/".into()), 307),
    ];
    each(cases, |(behaviour, code)| {
        let (dir, server, out, status) = sync_once(behaviour.clone());
        let url = format!("{}/v1/records", server.url());
        assert_eq!(
            status,
            Some(2),
            "{behaviour:?}: a configuration problem\n{out}"
        );
        assert!(
            out.contains(&format!(
                "stopped: the central system answers HTTP {code} at {url}: check [central] url"
            )),
            "{behaviour:?}\n{out}"
        );
        assert!(
            out.contains(&format!(
                "outbox now: {RECORDS} pending, 0 delivered, 0 rejected"
            )),
            "{behaviour:?}: must not say everything went\n{out}"
        );
        assert_eq!(counts(dir.path()), untouched(), "{behaviour:?}\n{out}");
        // Staff see the reason on the records themselves.
        let listing = kiosk(dir.path(), &server.url(), &["outbox", "--limit", "3"])
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout);
        assert!(
            listing.contains(&format!(
                "answers HTTP {code} at {url}: check [central] url"
            )),
            "{behaviour:?}\n{listing}"
        );
        assert!(!listing.contains("held ("), "{listing}");
        // Far fewer requests than records: the kiosk did not try each one.
        assert!(
            server.requests("/v1/records") <= 20,
            "{behaviour:?}: {} requests",
            server.requests("/v1/records")
        );
    });
}

#[test]
fn endless_huge_slow_and_broken_answers_are_cut_off_and_lose_nothing() {
    let cases = vec![
        Behaviour::EndlessChunked,
        Behaviour::GigabyteBody,
        Behaviour::EndlessHeaders,
        Behaviour::SlowHeaders,
        Behaviour::SlowBody,
        Behaviour::Reset,
        Behaviour::Garbage,
    ];
    each(cases, |behaviour| {
        let (dir, _server, out, status) = sync_once(behaviour.clone());
        assert_eq!(status, Some(1), "{behaviour:?}\n{out}");
        assert!(out.contains("stopped: "), "{behaviour:?}\n{out}");
        assert!(
            out.contains(&format!(
                "outbox now: {RECORDS} pending, 0 delivered, 0 rejected"
            )),
            "{behaviour:?}\n{out}"
        );
        assert_eq!(counts(dir.path()), untouched(), "{behaviour:?}\n{out}");
    });
}

/// What the worker child said about one behaviour.
#[derive(Debug)]
#[allow(dead_code)] // Read through Debug when a check fails.
struct Phase {
    behaviour: Behaviour,
    errors: Vec<String>,
}

#[test]
fn the_worker_stays_small_and_keeps_everything_through_every_misbehaviour() {
    let dir = kiosk_dir();
    let server = Hostile::start(Behaviour::Status(404, "gone".into()));
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe);
    child
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir.path())
        .env(CHILD_URL, server.url());
    // The child prints one line per status change; the phases follow the
    // server's behaviour, switched from here.
    // Each phase with what the worker must say about it (where the answer
    // is specific); a phase lasts until it has said so, because an answer
    // to the previous behaviour can still arrive on a busy machine.
    let url = format!("{}/v1/records", server.url());
    let phases = vec![
        (
            Behaviour::Status(404, "gone".into()),
            Some(format!(
                "the central system answers HTTP 404 at {url}: check [central] url"
            )),
        ),
        (
            Behaviour::EndlessChunked,
            Some("could not be understood".into()),
        ),
        (
            Behaviour::GigabyteBody,
            Some("could not be understood".into()),
        ),
        (
            Behaviour::Status(413, String::new()),
            Some("answers HTTP 413".into()),
        ),
        (
            Behaviour::SlowHeaders,
            Some("did not answer in time".into()),
        ),
        (
            Behaviour::Status(422, "{}".into()),
            Some("answers HTTP 422".into()),
        ),
        (Behaviour::EndlessHeaders, None),
        (
            Behaviour::Redirect(302, "https://elsewhere.example/".into()),
            Some("answers HTTP 302".into()),
        ),
        (Behaviour::Reset, None),
    ];
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let mut spawned = child
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = spawned.id() as libc::pid_t;
    let stdout = spawned.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    // The test harness prints its own words first, on the same line.
    loop {
        match rx.recv_timeout(BOUND) {
            Ok(line) if line.ends_with("READY") => break,
            Ok(_) => {}
            Err(e) => panic!("the worker child did not start: {e}"),
        }
    }
    let mut seen = Vec::new();
    let mut peak = 0;
    for (behaviour, wanted) in &phases {
        server.set(behaviour.clone());
        // At least 1.5 s of this behaviour, and until the worker has said
        // what it must about it (or 30 s).
        let start = Instant::now();
        let mut errors: Vec<String> = Vec::new();
        let told = |errors: &[String]| match wanted {
            Some(w) => errors.iter().any(|e| e.contains(w.as_str())),
            None => !errors.is_empty(),
        };
        while start.elapsed() < Duration::from_millis(1500)
            || (!told(&errors) && start.elapsed() < Duration::from_secs(30))
        {
            if let Some(kib) = support::hostile::vm_hwm(pid) {
                peak = peak.max(kib);
            }
            while let Ok(line) = rx.try_recv() {
                if let Some((_, e)) = line.split_once("ERROR ") {
                    errors.push(e.to_owned());
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        seen.push(Phase {
            behaviour: behaviour.clone(),
            errors,
        });
    }
    std::fs::write(dir.path().join("stop"), b"").unwrap();
    let deadline = Instant::now() + BOUND;
    let mut done = None;
    while Instant::now() < deadline {
        if let Some(kib) = support::hostile::vm_hwm(pid) {
            peak = peak.max(kib);
        }
        if let Some(status) = spawned.try_wait().unwrap() {
            done = Some(status);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let Some(status) = done else {
        let _ = spawned.kill();
        let _ = spawned.wait();
        panic!("the worker child did not end");
    };
    reader.join().unwrap();
    let rest: Vec<String> = rx.try_iter().collect();
    assert!(status.success(), "the child failed: {rest:?}");
    assert!(
        rest.iter().any(|l| l.contains("STOPPED IN TIME")),
        "the worker did not stop within 5 s: {rest:?}"
    );
    eprintln!("worker peak {peak} KiB");
    assert!(peak < MAX_RSS_KIB, "the worker took {peak} KiB");
    assert_eq!(counts(dir.path()), untouched());
    for (i, (_, wanted)) in phases.iter().enumerate() {
        if let Some(w) = wanted {
            assert!(
                seen[i].errors.iter().any(|e| e.contains(w.as_str())),
                "{:?}: wanted {w:?}",
                seen[i]
            );
        }
    }
}

/// The worker under test, in its own process: runs until a `stop` file
/// appears in its folder, printing every new error.
#[test]
fn worker_child() {
    let (Some(dir), Some(url)) = (std::env::var_os(CHILD_DIR), std::env::var_os(CHILD_URL)) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let store = Store::open(dir.join("kiosk.db")).unwrap();
    let settings = kiosk::sync::SyncSettings {
        kiosk_id: "kovachevtsi-lobby-1".into(),
        url: url.to_string_lossy().into_owned(),
        token_file: dir.join("central.token"),
        ca_file: None,
        batch_size: 100,
        connect_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_millis(700),
        backoff: kiosk::sync::Backoff {
            base: Duration::from_millis(5),
            cap: Duration::from_millis(150),
        },
        poll_every: Duration::from_millis(50),
        heartbeat_every: Duration::from_millis(200),
        keep_after_delivery: chrono::Duration::days(30),
        erase_every: Duration::from_secs(60),
    };
    let handle = kiosk::sync::start(
        settings,
        store,
        Arc::new(SystemClock),
        kiosk::sync::printer_unknown(),
    )
    .unwrap();
    println!("READY");
    let mut last = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    while !dir.join("stop").exists() && Instant::now() < deadline {
        let s = handle.snapshot();
        let now = (s.failures_in_a_row, s.last_error.clone());
        if s.failures_in_a_row > 0 && Some(&now) != last.as_ref() {
            println!("ERROR {}", now.1.clone().unwrap_or_default());
            last = Some(now);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    if handle.shutdown(Duration::from_secs(5)) {
        println!("STOPPED IN TIME");
    }
}
