//! The database is never used damaged, never made by accident, and never
//! lets a receipt number be given twice.
//!
//! A realistic database (2,000 ratings, 300 numbered complaints, some
//! delivered) has 512 bytes overwritten at hundreds of places, one copy
//! each: every copy is refused without a byte changed, or, where SQLite
//! cannot tell (the bytes fell in free space or inside a value), the next
//! number is above every number the database held. Every command refuses a
//! damaged database and a missing one, naming the path, without creating
//! or changing a file; `kiosk run` stays up out of service instead of
//! exiting into a restart loop, and starts once `kiosk init` has run.
use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Datelike;
use kiosk::clock::{SystemClock, local_time};
use kiosk::store::Store;
use rand::{RngCore, SeedableRng};

use crate::support::cli::{run as kiosk, text};

/// A central system nobody answers at: the link is set up, nothing arrives.
const NOWHERE: &str = "http://127.0.0.1:9";

fn year() -> i32 {
    local_time(chrono::Utc::now()).year()
}

/// A database as a kiosk would have it after some months, closed cleanly.
fn realistic(dir: &Path) -> (PathBuf, BTreeSet<u32>) {
    support::cli::token(dir);
    let made = kiosk(dir, "", &["init"]);
    assert!(made.status.success(), "{}", text(&made));
    let demo = kiosk(
        dir,
        "",
        &["demo-data", "--ratings", "2000", "--complaints", "300"],
    );
    assert!(demo.status.success(), "{}", text(&demo));
    let db = dir.join("kiosk.db");
    {
        let store = Store::open(&db).unwrap();
        let some: Vec<_> = store
            .pending_batch(700)
            .unwrap()
            .items
            .iter()
            .map(|i| i.record.id)
            .collect();
        store.mark_delivered(&some, chrono::Utc::now()).unwrap();
        let now = chrono::Utc::now();
        store
            .audit(now, "login_pin", kiosk::store::AuditOutcome::Ok, "")
            .unwrap();
    }
    let numbers: BTreeSet<u32> = support::stored_sequences(&db, support::PREFIX, year())
        .into_iter()
        .collect();
    assert_eq!(numbers.len(), 300);
    assert!(!db.with_extension("db-wal").exists(), "closed cleanly");
    (db, numbers)
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn hundreds_of_overwritten_places_are_refused_or_never_repeat_a_number() {
    let dir = support::memory_dir();
    let (db, numbers) = realistic(dir.path());
    let highest = *numbers.iter().max().unwrap();
    let original = std::fs::read(&db).unwrap();
    let scratch = support::memory_dir();
    let copy = scratch.path().join("kiosk.db");
    let mut rng = rand::rngs::StdRng::seed_from_u64(15);
    let (mut refused, mut opened) = (0, 0);
    let mut offsets: Vec<usize> = (0..original.len()).step_by(2048).collect();
    offsets.extend((0..64).map(|_| (rng.next_u64() as usize) % original.len()));
    for &at in &offsets {
        let mut bytes = original.clone();
        let end = (at + 512).min(bytes.len());
        rng.fill_bytes(&mut bytes[at..end]);
        std::fs::write(&copy, &bytes).unwrap();
        match Store::open(&copy) {
            Err(e) => {
                refused += 1;
                assert!(
                    std::fs::read(&copy).unwrap() == bytes,
                    "offset {at}: refused ({e}) but the file changed"
                );
                assert_eq!(listing(scratch.path()), ["kiosk.db"], "offset {at}: {e}");
            }
            Ok(store) => {
                opened += 1;
                let done = store.submit(
                    support::submission(support::complaint(), false),
                    &support::context(&SystemClock),
                );
                if let Ok(done) = done {
                    let n = done.number.unwrap().sequence();
                    assert!(
                        n > highest && !numbers.contains(&n),
                        "offset {at}: number {n} given again (highest was {highest})"
                    );
                }
            }
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(scratch.path().join(format!("kiosk.db{suffix}")));
        }
    }
    eprintln!(
        "{} overwritten copies: {refused} refused, {opened} opened (damage SQLite cannot see), no number given twice",
        offsets.len()
    );
    assert!(
        refused > offsets.len() / 2,
        "{refused} of {}",
        offsets.len()
    );
}

/// Every command that reads or writes the database, as the contractor
/// would run it.
fn commands(dir: &Path) -> Vec<Vec<String>> {
    let y = year().to_string();
    let out = dir.join("out");
    let o = out.display().to_string();
    [
        vec!["outbox"],
        vec!["outbox", "--requeue", "all"],
        vec!["sync", "--once"],
        vec!["report", "--year", &y],
        vec!["export", "--year", &y, "--dir", &o],
        vec![
            "receipt",
            &format!("KV1-{y}-000001"),
            "--out",
            &format!("{o}/r.bin"),
        ],
        vec!["demo-data", "--ratings", "1", "--complaints", "1"],
        vec!["init"],
        vec!["db", "check"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect()
}

/// Runs `kiosk run` until it says `what` on stderr (or `bound` passes);
/// then kills it. Returns what it said.
fn run_until(dir: &Path, what: &str, log: &str, bound: Duration) -> (String, bool) {
    let mut running = support::cli::Running::start(dir, log);
    let found = running.wait_for(what, bound);
    (running.stop(), found)
}

#[test]
fn a_damaged_database_is_refused_by_every_command_and_never_written() {
    let dir = support::memory_dir();
    let (db, _) = realistic(dir.path());
    let original = std::fs::read(&db).unwrap();
    let mut bytes_last = Vec::new();
    for (at, what) in [
        (0usize, "the header"),
        (original.len() / 2, "a page mid-file"),
    ] {
        let mut bytes = original.clone();
        let mut rng = rand::rngs::StdRng::seed_from_u64(at as u64);
        // Mid-file: the first place SQLite can tell.
        let at = (at..original.len())
            .step_by(4096)
            .find(|&a| {
                let mut b = original.clone();
                rng.fill_bytes(&mut b[a..a + 512]);
                std::fs::write(&db, &b).unwrap();
                let bad = kiosk::store::Store::open(&db).is_err();
                if bad {
                    bytes = b;
                }
                bad
            })
            .unwrap();
        std::fs::write(&db, &bytes).unwrap();
        bytes_last.clone_from(&bytes);
        let before = listing(dir.path());
        for args in commands(dir.path()) {
            let o = kiosk(
                dir.path(),
                NOWHERE,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            let said = text(&o);
            assert_eq!(o.status.code(), Some(3), "{what} at {at}: {args:?}: {said}");
            assert!(said.contains("is damaged"), "{what}: {args:?}: {said}");
            assert!(
                said.contains(&db.display().to_string()),
                "{args:?} names the path: {said}"
            );
            assert!(!said.contains("panicked"), "{said}");
            assert_eq!(
                std::fs::read(&db).unwrap(),
                bytes,
                "{what}: {args:?} changed the file"
            );
            assert_eq!(listing(dir.path()), before, "{what}: {args:?}");
        }
        let (said, found) = run_until(
            dir.path(),
            "out of service",
            "warn",
            Duration::from_secs(60),
        );
        assert!(found, "kiosk run did not go out of service: {said}");
        assert!(said.contains("database-damaged"), "{said}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            bytes,
            "kiosk run changed the file"
        );
        assert_eq!(listing(dir.path()), before);
    }
    // The way out: recover keeps the damaged file, and numbers go on above
    // the highest found. The damaged page holds records here, so recover
    // does not put a copy with fewer records in place by itself: it says
    // so, leaves the damaged file where it is, and the technician moves the
    // copy over it by hand, as it tells them to.
    let out = kiosk(dir.path(), "", &["db", "recover"]);
    let said = text(&out);
    if out.status.success() {
        assert!(said.contains("the damaged database is kept as"), "{said}");
    } else {
        assert_eq!(out.status.code(), Some(3), "{said}");
        assert!(said.contains("it is NOT put in place"), "{said}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            bytes_last,
            "recover changed the damaged file"
        );
        let copy = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains(".recovered-"))
            .unwrap();
        std::fs::rename(copy, &db).unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert!(store.next_sequence("KV1", year()).unwrap() > 300, "{said}");
}

#[test]
fn a_missing_database_is_never_made_by_accident() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let before = listing(dir.path());
    for args in commands(dir.path()).into_iter().filter(|a| a[0] != "init") {
        let o = kiosk(
            dir.path(),
            NOWHERE,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let said = text(&o);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {said}");
        assert!(
            said.contains(&format!(
                "{} does not exist",
                dir.path().join("kiosk.db").display()
            )),
            "{args:?}: {said}"
        );
        assert_eq!(listing(dir.path()), before, "{args:?} made a file");
    }
    // `kiosk run` stays up out of service: no exit, no restart loop.
    let (said, found) = run_until(
        dir.path(),
        "out of service",
        "warn",
        Duration::from_secs(60),
    );
    assert!(found, "{said}");
    assert!(said.contains("database-missing"), "{said}");
    assert!(said.contains("kiosk init"), "{said}");
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn an_out_of_service_kiosk_starts_once_its_database_is_made() {
    let dir = support::memory_dir();
    let initialiser = {
        let dir = dir.path().to_path_buf();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(2));
            kiosk(&dir, "", &["init"])
        })
    };
    let (said, found) = run_until(
        dir.path(),
        "the database can be used again",
        "info",
        Duration::from_secs(60),
    );
    let made = initialiser.join().unwrap();
    assert!(made.status.success(), "{}", text(&made));
    assert!(said.contains("out of service"), "{said}");
    assert!(found, "{said}");
}

#[test]
fn read_only_commands_leave_the_folder_as_they_found_it() {
    let dir = support::memory_dir();
    let (db, _) = realistic(dir.path());
    let before = listing(dir.path());
    let y = year().to_string();
    for args in [
        vec!["outbox"],
        vec!["report", "--year", &y],
        vec!["db", "check"],
        vec!["check-config"],
    ] {
        let o = kiosk(dir.path(), "", &args);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        assert_eq!(listing(dir.path()), before, "{args:?}");
    }
    assert!(db.exists());
}
