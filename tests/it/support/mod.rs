//! Fixtures shared by the integration tests: sample records, a submit
//! context, temporary database folders and raw checks on a database file.
//!
//! Each test binary uses only some of these.
#![allow(dead_code)]

pub mod central;
// Only the test binary knows where the kiosk binary is; the benchmark in
// examples/ shares the rest.
#[cfg(test)]
pub mod cli;
pub mod hostile;

use std::path::Path;

use chrono::{Months, NaiveDate};
use kiosk::clock::Clock;
use kiosk::domain::Lang;
use kiosk::domain::record::{
    Complaint, ComplaintType, Rating, RecordData, StaffCall, StaffCallSource,
};
use kiosk::store::{Submission, SubmitContext};

pub mod drawn;
pub mod escpos;
pub mod fake_printer;
pub mod layout;
pub mod ui;

/// The receipt prefix used throughout the tests.
pub const PREFIX: &str = "KV1";

/// A named complaint with a phone number in `category`.
pub fn complaint_in(category: &str) -> RecordData {
    RecordData::Complaint(Complaint {
        ctype: ComplaintType::Complaint,
        category: category.into(),
        text: "Чаках два часа на гишето.".into(),
        name: "Иван Петров".into(),
        address: String::new(),
        phone: "0888 123 456".into(),
        email: String::new(),
        anonymous: false,
        health_safety: false,
        flags: vec![],
        due_date: None,
        lang: Lang::Bg,
        // The store makes one when it writes the record.
        check_code: None,
    })
}

/// A complaint in category `service_quality`.
pub fn complaint() -> RecordData {
    complaint_in("service_quality")
}

pub fn rating(score: u8) -> RecordData {
    RecordData::Rating(Rating {
        score,
        service: Some("2016".into()),
        desk: None,
        reasons: vec![],
        comment: String::new(),
        lang: Lang::Bg,
    })
}

pub fn staff_call() -> RecordData {
    RecordData::StaffCall(StaffCall {
        source: StaffCallSource::Screen,
        lang: Lang::En,
    })
}

/// A real (not demo) submission.
pub fn submission(data: RecordData, print_receipt: bool) -> Submission {
    Submission {
        data,
        print_receipt,
        demo: false,
    }
}

/// A stand-in for the charter's due-date rule: one calendar month for
/// complaints and signals.
pub fn one_month(c: &Complaint, filed: NaiveDate) -> Option<NaiveDate> {
    c.ctype
        .expects_written_answer()
        .then(|| filed.checked_add_months(Months::new(1)))
        .flatten()
}

/// Prefix [`PREFIX`], the given clock, the one-month rule.
pub fn context(clock: &dyn Clock) -> SubmitContext<'_> {
    SubmitContext {
        prefix: PREFIX,
        clock,
        due_rule: &one_month,
    }
}

/// A temporary folder on the ordinary disk, like the kiosk's.
pub fn disk_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("cannot create a temporary folder")
}

/// A temporary folder in memory where the system has one (`/dev/shm`), for
/// tests about logic rather than disks, so fsync does not dominate them.
pub fn memory_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    disk_dir()
}

/// The receipt sequences stored for `prefix` and `year`, ascending, read
/// straight from the database file.
pub fn stored_sequences(db: &Path, prefix: &str, year: i32) -> Vec<u32> {
    let conn = rusqlite::Connection::open(db).expect("cannot open the database");
    let mut stmt = conn
        .prepare("SELECT number FROM records WHERE number LIKE ?1 ORDER BY number")
        .expect("cannot query numbers");
    let rows = stmt
        .query_map([format!("{prefix}-{year}-%")], |r| r.get::<_, String>(0))
        .expect("cannot read numbers");
    rows.map(|n| {
        let n: kiosk::domain::ReceiptNumber = n
            .expect("unreadable number")
            .parse()
            .expect("malformed number");
        n.sequence()
    })
    .collect()
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` on the file:
/// "ok" and no rows when the database is sound.
pub fn integrity(db: &Path) -> (String, usize) {
    let conn = rusqlite::Connection::open(db).expect("cannot open the database");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check failed");
    let mut stmt = conn
        .prepare("PRAGMA foreign_key_check")
        .expect("foreign_key_check failed");
    let orphans = stmt
        .query_map([], |_| Ok(()))
        .expect("foreign_key_check failed")
        .count();
    (check, orphans)
}
