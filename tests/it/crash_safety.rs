//! A record the kiosk reported as saved survives the process being killed at
//! any moment, and a kill never leaves a gap, a duplicate, a record without
//! its outbox row or print job, or a damaged database.
//!
//! The parent test runs this same test binary again as a child (only the
//! `child_submits_until_killed` test, with the database named in an
//! environment variable). The child submits complaints and ratings in a loop
//! and prints each receipt number only after its commit; the parent kills it
//! with SIGKILL at a random moment, many times over, then checks the file.
use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use kiosk::clock::ManualClock;
use kiosk::domain::ReceiptNumber;
use kiosk::domain::record::RecordData;
use kiosk::store::Store;
use rand::Rng;
use uuid::Uuid;

/// Names the child's database; the child test does nothing without it.
const DB_VAR: &str = "KIOSK_CRASH_TEST_DB";
const CHILD_TEST: &str = "crash_safety::child_submits_until_killed";
const KILLS: usize = 50;
/// Categories telling the checks whether a receipt was asked for.
const WITH_RECEIPT: &str = "with_receipt";
const WITHOUT_RECEIPT: &str = "without_receipt";
/// The child stops on its own after this many records, in case nobody kills it.
const CHILD_LIMIT: usize = 100_000;

/// One line the child prints after a commit: `SAVED <number or -> <id> END`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Saved {
    number: Option<ReceiptNumber>,
    id: Uuid,
}

impl Saved {
    /// Parses a whole line; a line cut short by the kill is `None`.
    fn parse(line: &str) -> Option<Saved> {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let ["SAVED", number, id, "END"] = parts.as_slice() else {
            return None;
        };
        let number = if *number == "-" {
            None
        } else {
            Some(number.parse().ok()?)
        };
        Some(Saved {
            number,
            id: id.parse().ok()?,
        })
    }
}

#[test]
fn child_submits_until_killed() {
    let Some(db) = std::env::var_os(DB_VAR) else {
        return;
    };
    let store = Store::create(Path::new(&db)).expect("child cannot open the database");
    let clock = ManualClock::at_sofia(2026, 10, 5, 9, 30).expect("valid time");
    let ctx = support::context(&clock);
    let mut out = std::io::stdout().lock();
    for i in 0..CHILD_LIMIT {
        let (data, print) = match i % 3 {
            0 => (support::complaint_in(WITH_RECEIPT), true),
            1 => (support::complaint_in(WITHOUT_RECEIPT), false),
            _ => (support::rating(3), false),
        };
        let done = store
            .submit(support::submission(data, print), &ctx)
            .expect("submission failed");
        let number = done.number.map_or("-".to_string(), |n| n.to_string());
        // Reported only now, after the commit; a parent that went away ends the loop.
        if writeln!(out, "SAVED {number} {} END", done.id)
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Starts the child and a thread forwarding its complete report lines.
fn spawn_child(db: &Path) -> (Child, mpsc::Receiver<Saved>, std::thread::JoinHandle<()>) {
    let exe = std::env::current_exe().expect("cannot find the test binary");
    let mut child = Command::new(exe)
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env(DB_VAR, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cannot start the child");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(saved) = Saved::parse(&line)
                && tx.send(saved).is_err()
            {
                return;
            }
        }
    });
    (child, rx, reader)
}

/// Runs one child and kills it 5-150 ms after its first report; returns
/// every record it reported as saved.
fn run_and_kill(db: &Path, rng: &mut impl Rng) -> Vec<Saved> {
    let (mut child, rx, reader) = spawn_child(db);
    let first = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(first) => first,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child reported nothing ({e}); see its output above");
        }
    };
    std::thread::sleep(Duration::from_millis(rng.random_range(5..=150)));
    child.kill().expect("cannot kill the child"); // SIGKILL on Unix
    child.wait().expect("cannot reap the child");
    reader.join().expect("reader thread panicked");
    std::iter::once(first).chain(rx.try_iter()).collect()
}

#[test]
fn records_reported_saved_survive_sigkill_without_gaps() {
    let dir = support::disk_dir();
    let db = dir.path().join("kiosk.db");
    let mut rng = rand::rng();
    let mut reported = Vec::new();
    for _ in 0..KILLS {
        reported.extend(run_and_kill(&db, &mut rng));
    }

    let (check, orphans) = support::integrity(&db);
    assert_eq!(check, "ok", "integrity_check after {KILLS} kills");
    assert_eq!(orphans, 0, "rows pointing at missing records");

    let store = Store::open(&db).unwrap();
    for saved in &reported {
        let stored = store
            .get(saved.id)
            .unwrap()
            .unwrap_or_else(|| panic!("reported record {} lost", saved.id));
        assert_eq!(stored.record.number, saved.number);
        if let Some(number) = &saved.number {
            assert_eq!(
                store.get_by_number(number).unwrap().map(|s| s.record.id),
                Some(saved.id)
            );
        }
    }

    let sequences = support::stored_sequences(&db, support::PREFIX, 2026);
    let n = u32::try_from(sequences.len()).unwrap();
    assert_eq!(
        sequences,
        (1..=n).collect::<Vec<_>>(),
        "numbers must run 1..=N without gap or duplicate"
    );
    eprintln!(
        "{KILLS} kills with SIGKILL: {} records reported saved, all found; numbers 1..={n} without gap or duplicate",
        reported.len()
    );
    let highest_reported = reported
        .iter()
        .filter_map(|s| s.number.as_ref())
        .map(ReceiptNumber::sequence)
        .max();
    assert!(highest_reported.unwrap_or(0) <= n);

    // Every record waits in the outbox, and has a print job exactly when one was asked for.
    let total = usize::try_from(store.record_counts().unwrap().total()).unwrap();
    let queued = store.pending_batch(usize::MAX).unwrap().items;
    assert_eq!(queued.len(), total, "a record without its outbox row");
    let mut jobs: BTreeMap<Uuid, usize> = BTreeMap::new();
    for job in store.pending_print_jobs().unwrap() {
        *jobs.entry(job.record_id).or_default() += 1;
    }
    let mut numbered = BTreeSet::new();
    for item in &queued {
        let expected_jobs = match &item.record.data {
            RecordData::Complaint(c) if c.category == WITH_RECEIPT => 1,
            _ => 0,
        };
        let id = item.record.id;
        assert_eq!(
            jobs.get(&id).copied().unwrap_or(0),
            expected_jobs,
            "print jobs of {id}"
        );
        numbered.extend(item.record.number.as_ref().map(ReceiptNumber::sequence));
    }
    assert_eq!(
        numbered.len(),
        sequences.len(),
        "a numbered record without its outbox row"
    );
}
