//! A database is the kiosk's only when it carries the kiosk's identity.
//!
//! An empty SQLite file, another program's database, a kiosk database whose
//! layout version was reset (`PRAGMA user_version=0; VACUUM`) and another
//! kiosk's database are refused by every command, `init` and `run`
//! included, without a byte changed; `kiosk db check` says why. So is an
//! empty (0-byte) file, `init` included: it holds no numbers. A kiosk
//! database made before the identity existed is adopted and stamped. And
//! `kiosk init` refuses to make a database beside a write-ahead log left
//! by a deleted one.
use crate::support;

use std::path::Path;
use std::time::Duration;

use kiosk::store::{APPLICATION_ID, Store};
use rusqlite::Connection;

use crate::support::cli::{command, listing, run as kiosk, text};

/// Every command that opens the database, as the contractor would run it.
const COMMANDS: &[&[&str]] = &[
    &["outbox"],
    &["sync", "--once"],
    &["report", "--year", "2026"],
    &["export", "--year", "2026", "--dir", "OUT"],
    &["receipt", "KV1-2026-000001", "--out", "OUT/r.bin"],
    &["demo-data", "--ratings", "1", "--complaints", "1"],
    &["init"],
];

/// Runs every command against the database in `dir` and checks each
/// refuses it, saying why (`why`), and changes nothing.
fn refused_by_every_command(dir: &Path, why: &str) {
    let db = dir.join("kiosk.db");
    let bytes = std::fs::read(&db).unwrap();
    let before = listing(dir);
    for args in COMMANDS {
        let args: Vec<String> = args
            .iter()
            .map(|a| match a.strip_prefix("OUT") {
                Some(rest) => format!("{}{rest}", dir.join("out").display()),
                None => (*a).to_owned(),
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = kiosk(dir, "http://127.0.0.1:9", &args);
        let said = text(&o);
        assert_eq!(o.status.code(), Some(3), "{why}: {args:?}: {said}");
        assert!(
            said.contains("is not this kiosk's"),
            "{why}: {args:?}: {said}"
        );
        assert!(said.contains(why), "{args:?}: {said}");
        assert!(said.contains(&db.display().to_string()), "{args:?}: {said}");
        assert_eq!(std::fs::read(&db).unwrap(), bytes, "{why}: {args:?} wrote");
        assert_eq!(listing(dir), before, "{why}: {args:?}");
    }
    let check = kiosk(dir, "", &["db", "check"]);
    let said = text(&check);
    assert_eq!(check.status.code(), Some(3), "{said}");
    assert!(said.contains("not this kiosk's database"), "{said}");
    assert!(said.contains(why), "{said}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "db check wrote");
}

#[test]
fn an_empty_sqlite_database_is_refused_everywhere_and_run_stays_out_of_service() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let db = dir.path().join("kiosk.db");
    // What `sqlite3 kiosk.db "pragma user_version=0; vacuum"` leaves.
    Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 0; VACUUM;")
        .unwrap();
    assert!(std::fs::metadata(&db).unwrap().len() > 0);
    refused_by_every_command(dir.path(), "empty SQLite database");
    let bytes = std::fs::read(&db).unwrap();
    let mut child = command(dir.path(), "")
        .arg("run")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(child.try_wait().unwrap().is_none(), "kiosk run exited");
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("out of service"), "{said}");
    assert!(said.contains("empty SQLite database"), "{said}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "kiosk run wrote");
}

#[test]
fn another_programs_database_is_refused() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    Connection::open(dir.path().join("kiosk.db"))
        .unwrap()
        .execute_batch(
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
             INSERT INTO moz_places (url) VALUES ('https://kovachevtsi.bg');",
        )
        .unwrap();
    refused_by_every_command(dir.path(), "another program's tables (moz_places)");
}

#[test]
fn a_kiosk_database_with_its_layout_version_reset_is_refused() {
    let dir = support::memory_dir();
    support::cli::with_records(dir.path(), 3, 3);
    Connection::open(dir.path().join("kiosk.db"))
        .unwrap()
        .execute_batch("PRAGMA user_version = 0; VACUUM;")
        .unwrap();
    let _ = std::fs::remove_file(dir.path().join("kiosk.db-wal"));
    let _ = std::fs::remove_file(dir.path().join("kiosk.db-shm"));
    refused_by_every_command(dir.path(), "layout version is 0");
}

#[test]
fn another_kiosks_database_is_refused() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let made = command(dir.path(), "")
        .arg("init")
        .env("KIOSK__KIOSK__ID", "kovachevtsi-village-2")
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made));
    refused_by_every_command(dir.path(), "belongs to the kiosk \"kovachevtsi-village-2\"");
}

#[test]
fn a_kiosk_database_from_before_the_identity_is_adopted_and_stamped() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let db = dir.path().join("kiosk.db");
    {
        let store = Store::create(&db).unwrap();
        store
            .submit(
                support::submission(support::complaint(), false),
                &support::context(&kiosk::clock::SystemClock),
            )
            .unwrap();
    }
    // As the kiosk left it before databases named their kiosk: no
    // application id, no identity table, the layout of migration 006 (the
    // one before the identity's 007).
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "DROP TABLE kiosk_identity; PRAGMA application_id = 0; PRAGMA user_version = 6;",
        )
        .unwrap();
    let o = kiosk(dir.path(), "", &["outbox"]);
    assert!(o.status.success(), "{}", text(&o));
    let conn = Connection::open(&db).unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    let id: String = conn
        .query_row("SELECT kiosk_id FROM kiosk_identity", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, "kovachevtsi-lobby-1");
    let records: i64 = conn
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(records, 1);
    let check = kiosk(dir.path(), "", &["db", "check"]);
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn init_refuses_a_write_ahead_log_left_by_a_deleted_database() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let db = dir.path().join("kiosk.db");
    let wal = dir.path().join("kiosk.db-wal");
    {
        let store = Store::create(&db).unwrap();
        store
            .submit(
                support::submission(support::complaint(), false),
                &support::context(&kiosk::clock::SystemClock),
            )
            .unwrap();
        // The kiosk is killed with its log not yet checkpointed.
        std::fs::copy(&wal, dir.path().join("saved-wal")).unwrap();
    }
    std::fs::rename(dir.path().join("saved-wal"), &wal).unwrap();
    // The database deleted, or emptied (a copy that failed): either way the
    // log would be played into the new file.
    for emptied in [false, true] {
        let _ = std::fs::remove_file(&db);
        if emptied {
            std::fs::File::create(&db).unwrap();
        }
        let before = listing(dir.path());
        let o = kiosk(dir.path(), "", &["init"]);
        let said = text(&o);
        assert_eq!(o.status.code(), Some(3), "emptied {emptied}: {said}");
        if emptied {
            assert!(said.contains("empty file"), "{said}");
        } else {
            assert!(said.contains(&wal.display().to_string()), "{said}");
            assert!(said.contains("move"), "{said}");
        }
        assert_eq!(listing(dir.path()), before, "init made or removed a file");
    }
    std::fs::remove_file(&db).unwrap();
    // The other commands name the log too, not only the missing database.
    for args in [
        &["outbox"][..],
        &["demo-data", "--ratings", "1", "--complaints", "1"],
    ] {
        let o = kiosk(dir.path(), "", args);
        let said = text(&o);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {said}");
        assert!(
            said.contains(&wal.display().to_string()),
            "{args:?}: {said}"
        );
    }
    // Moved away as told, init makes a sound database.
    std::fs::rename(&wal, dir.path().join("old-wal")).unwrap();
    let o = kiosk(dir.path(), "", &["init"]);
    assert!(o.status.success(), "{}", text(&o));
    let check = kiosk(dir.path(), "", &["db", "check"]);
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn an_empty_file_is_not_made_into_a_database_even_by_init() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let db = dir.path().join("kiosk.db");
    std::fs::File::create(&db).unwrap();
    let before = listing(dir.path());
    for args in COMMANDS {
        let args: Vec<String> = args
            .iter()
            .map(|a| match a.strip_prefix("OUT") {
                Some(rest) => format!("{}{rest}", dir.path().join("out").display()),
                None => (*a).to_owned(),
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = kiosk(dir.path(), "http://127.0.0.1:9", &args);
        let said = text(&o);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {said}");
        assert!(said.contains("empty file"), "{args:?}: {said}");
        assert!(said.contains("Restore"), "{args:?}: {said}");
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "{args:?} wrote");
        assert_eq!(listing(dir.path()), before, "{args:?}");
    }
    // Removed on purpose, as the message says, `init` makes a new one.
    std::fs::remove_file(&db).unwrap();
    let o = kiosk(dir.path(), "", &["init"]);
    assert!(o.status.success(), "{}", text(&o));
}
