//! `kiosk db recover` says exactly what it saved and lost, and never puts a
//! database in place that holds fewer records than the damaged one.
//!
//! 600 records (500 ratings, 100 numbered complaints), all waiting for the
//! central system: with the header overwritten everything is saved and the
//! copy goes in place; with the schema page overwritten nothing can be
//! read, and recover refuses, keeps the damaged file where it was and exits
//! non-zero, saying what to do.
use crate::support;

use std::path::{Path, PathBuf};

use crate::support::cli::{run as kiosk, text};

/// A closed database of 600 pending records; returns its path and bytes.
fn six_hundred(dir: &Path) -> (PathBuf, Vec<u8>) {
    support::cli::with_records(dir, 500, 100);
    let db = dir.join("kiosk.db");
    assert!(!dir.join("kiosk.db-wal").exists());
    let bytes = std::fs::read(&db).unwrap();
    (db, bytes)
}

use crate::support::cli::listing as names;

/// Writes `good` with page `page` (4 KiB) zeroed as the database in `dir`
/// and runs `db recover --out copy-<page>.db`: the damaged bytes, the
/// copy's path and what recover did.
fn recover_with_page_zeroed(
    dir: &Path,
    good: &[u8],
    page: usize,
) -> (Vec<u8>, PathBuf, std::process::Output) {
    let mut bad = good.to_vec();
    for b in bad.iter_mut().skip(page * 4096).take(4096) {
        *b = 0x00;
    }
    std::fs::write(dir.join("kiosk.db"), &bad).unwrap();
    let out = dir.join(format!("copy-{page}.db"));
    let o = kiosk(
        dir,
        "",
        &["db", "recover", "--out", &out.display().to_string()],
    );
    (bad, out, o)
}

#[test]
fn a_damaged_schema_page_is_refused_and_the_damaged_database_stays() {
    let dir = support::memory_dir();
    let (db, good) = six_hundred(dir.path());
    let mut bad = good.clone();
    // The rest of page 1: the schema table's b-tree.
    for b in bad.iter_mut().take(4096).skip(100) {
        *b = 0x5A;
    }
    std::fs::write(&db, &bad).unwrap();
    let o = kiosk(dir.path(), "", &["db", "recover"]);
    let said = text(&o);
    assert_eq!(o.status.code(), Some(3), "{said}");
    assert!(!said.contains("nothing was lost"), "{said}");
    assert!(said.contains("records saved: 0 of 100"), "{said}");
    assert!(said.contains("complaints 0 of 100"), "{said}");
    assert!(said.contains("NOT put in place"), "{said}");
    assert!(said.contains("Restore a backup"), "{said}");
    assert_eq!(std::fs::read(&db).unwrap(), bad, "the damaged file stays");
    assert!(
        !names(dir.path()).iter().any(|n| n.contains(".damaged-")),
        "{:?}",
        names(dir.path())
    );
}

#[test]
fn a_damaged_header_is_mended_and_every_record_is_saved_and_counted() {
    let dir = support::memory_dir();
    let (db, good) = six_hundred(dir.path());
    let mut bad = good.clone();
    for b in bad.iter_mut().take(100) {
        *b = 0xFF;
    }
    std::fs::write(&db, &bad).unwrap();
    let o = kiosk(dir.path(), "", &["db", "recover"]);
    let said = text(&o);
    assert!(o.status.success(), "{said}");
    assert!(said.contains("records saved: 600 of 600"), "{said}");
    assert!(
        said.contains("ratings 500 of 500, complaints 100 of 100"),
        "{said}"
    );
    assert!(said.contains("records lost: 0"), "{said}");
    assert!(
        said.contains("waiting for the central system: 600 saved of 600")
            || said.contains("waiting for the central system: 600 saved"),
        "{said}"
    );
    let store = kiosk::store::Store::open(&db).unwrap();
    assert_eq!(store.record_counts().unwrap().total(), 600);
    assert_eq!(store.next_sequence("KV1", 2026).unwrap(), 101);
}

#[test]
fn lost_records_keep_the_damaged_database_in_place_and_say_how_many() {
    let dir = support::memory_dir();
    let (db, good) = six_hundred(dir.path());
    // Overwrite pages from the middle on until recover loses records.
    let pages = good.len() / 4096;
    for page in (pages / 3)..pages {
        let (bad, _, o) = recover_with_page_zeroed(dir.path(), &good, page);
        let said = text(&o);
        if o.status.success() {
            assert!(said.contains("records saved: 600 of 600"), "{said}");
            continue;
        }
        assert_eq!(o.status.code(), Some(3), "{said}");
        assert!(said.contains("NOT put in place"), "{said}");
        if said.contains("records lost: 0:") {
            // Complaint texts lost, every record kept (the test below).
            continue;
        }
        assert!(said.contains("records lost: "), "{said}");
        assert!(said.contains("NOT put in place"), "{said}");
        assert_eq!(std::fs::read(&db).unwrap(), bad);
        return;
    }
    panic!("no page of the records table was found to damage");
}

/// Every page overwritten in turn: a copy that goes in place holds every
/// complaint's text and contact, not only its number.
#[test]
fn a_copy_put_in_place_lacks_no_complaints_text() {
    let dir = support::memory_dir();
    let (db, good) = six_hundred(dir.path());
    let texts = |path: &Path| -> i64 {
        rusqlite::Connection::open_with_flags(
            format!("file:{}?immutable=1", path.display()),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap()
        .query_row("SELECT count(*) FROM personal_data", [], |r| r.get(0))
        .unwrap()
    };
    let all = texts(&db);
    assert!(all >= 100, "{all}");
    let mut refused = 0;
    for page in 1..good.len() / 4096 {
        let (_, out, o) = recover_with_page_zeroed(dir.path(), &good, page);
        if o.status.success() {
            assert_eq!(texts(&out), all, "page {page}: {}", text(&o));
        } else {
            refused += 1;
        }
    }
    assert!(refused > 0, "no overwritten page cost anything");
}
