//! Checking a database file before anything writes to it.
//!
//! A kiosk that keeps writing into a damaged file makes the damage worse and
//! may hand out a receipt number twice, so every connection to a file is
//! preceded by [`check_file`]: the 100-byte header is read with plain file
//! I/O (is it SQLite's, with a sane page size, and is the file as long as
//! the header says?), then `PRAGMA quick_check` runs on a connection that
//! cannot write. Where there is no write-ahead log the check connection is
//! opened `immutable`, so checking leaves no `-wal` or `-shm` file behind;
//! where there is one, its committed pages are part of what is checked.
//!
//! `kiosk db check` runs [`full_check`]: the same plus `PRAGMA
//! integrity_check` (slower: it also compares every index with its table)
//! and a look at the receipt counters.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::error::StoreError;

/// The first bytes of every SQLite database file.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Problems `quick_check` lists at most; the first few say enough.
const MAX_PROBLEMS: usize = 10;

/// What [`inspect`] found at a database path before opening it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Nothing there.
    Missing,
    /// A file of zero bytes: what an interrupted creation leaves.
    Empty,
    /// A file with a database header; it still has to pass the checks.
    Present,
}

impl FileState {
    /// What is at `path` (see [`inspect`]).
    pub fn from(path: &Path) -> Result<FileState, StoreError> {
        inspect(path)
    }
}

/// Looks at `path` without opening it for SQLite: missing, empty, or a
/// file to check. Anything but a regular file is refused, so that a FIFO
/// or a device named as the database never blocks or gets written.
pub fn inspect(path: &Path) -> Result<FileState, StoreError> {
    match std::fs::metadata(path) {
        // A file where a folder of the path should be: nothing is there.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(FileState::Missing)
        }
        Err(source) => Err(StoreError::Unreadable {
            path: path.to_path_buf(),
            source,
        }),
        Ok(meta) if !meta.is_file() => Err(StoreError::NotAFile {
            path: path.to_path_buf(),
            what: file_kind(&meta),
        }),
        Ok(meta) if meta.len() == 0 => Ok(FileState::Empty),
        Ok(_) => Ok(FileState::Present),
    }
}

/// Refuses a damaged file: a header that is not SQLite's or does not fit
/// the file, or an `integrity_check` that finds anything. Not the cheaper
/// `quick_check`: it does not compare indexes with their tables, and a
/// file whose index of receipt numbers lacks rows would be written to,
/// with nothing left to refuse a number twice. On a year of records
/// (50,000, 35 MB) the full check took 178 ms here against 66 ms.
pub fn check_file(path: &Path) -> Result<(), StoreError> {
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    check_header(path).map_err(damaged)?;
    let problems = quick_check(path, "integrity_check")?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(damaged(brief(&problems)))
    }
}

/// The first few problems on one line; `kiosk db check` lists them all.
fn brief(problems: &[String]) -> String {
    let lines: Vec<&str> = problems
        .iter()
        .flat_map(|p| p.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("***"))
        .collect();
    let mut text = lines.iter().take(3).copied().collect::<Vec<_>>().join("; ");
    if lines.len() > 3 {
        text.push_str(&format!("; and {} more", lines.len() - 3));
    }
    text
}

/// What `kiosk db check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub bytes: u64,
    /// The write-ahead log's size, if there is one.
    pub wal_bytes: Option<u64>,
    /// Damage: a bad header, or what `integrity_check` lists.
    pub problems: Vec<String>,
    /// Signs of an old or damaged copy that do not stop the kiosk: a
    /// receipt counter below the numbers stored (the next number is still
    /// above them).
    pub warnings: Vec<String>,
    /// Records, and the queue for the central system, if they can be counted.
    pub records: Option<u64>,
    pub pending: Option<u64>,
    /// Per prefix and year: the counter, the highest number stored, the floor.
    pub numbers: Vec<(String, i64, i64, i64, i64)>,
}

impl CheckReport {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The thorough check of `kiosk db check`: the header, `PRAGMA
/// integrity_check` (which also compares each index with its table), and
/// the receipt counters against the numbers stored, and whose database it
/// is (`identity.rs`; with `kiosk`, that it is this kiosk's). Only reads.
pub fn full_check(path: &Path, kiosk: Option<&str>) -> Result<CheckReport, StoreError> {
    match inspect(path)? {
        FileState::Missing => {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        FileState::Empty => {
            return Err(StoreError::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        FileState::Present => {}
    }
    let mut report = CheckReport {
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        wal_bytes: std::fs::metadata(sibling(path, "-wal"))
            .ok()
            .map(|m| m.len()),
        ..CheckReport::default()
    };
    if let Err(problem) = check_header(path) {
        report.problems.push(problem);
    }
    match quick_check(path, "integrity_check") {
        Ok(found) => report.problems.extend(found),
        Err(StoreError::Damaged { detail, .. }) => report.problems.push(detail),
        Err(e) => return Err(e),
    }
    if let Ok(conn) = open_for_reading(path) {
        if report.problems.is_empty() {
            match super::identity::judge(&conn, path, kiosk) {
                Ok(_) => {}
                Err(StoreError::NotKiosks { why, .. }) => report
                    .problems
                    .push(format!("it is not this kiosk's database: {why}")),
                Err(e) => report.problems.push(e.to_string()),
            }
        }
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).ok();
        report.records = count("SELECT count(*) FROM records").and_then(|n| u64::try_from(n).ok());
        report.pending = count("SELECT count(*) FROM outbox WHERE state = 'pending'")
            .and_then(|n| u64::try_from(n).ok());
        let numbers = conn
            .prepare(
                "SELECT c.prefix, c.year, c.last_sequence,
                        coalesce((SELECT max(CAST(substr(number, -6) AS INTEGER)) FROM records
                                  WHERE number LIKE c.prefix || '-' || c.year || '-______'), 0),
                        coalesce((SELECT highest FROM number_floors f
                                  WHERE f.prefix = c.prefix AND f.year = c.year), 0)
                 FROM counters c ORDER BY c.prefix, c.year",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            });
        match numbers {
            Ok(n) => report.numbers = n,
            Err(e) => report
                .problems
                .push(format!("the receipt counters cannot be read: {e}")),
        }
        for (prefix, year, counter, stored, _) in &report.numbers {
            if stored > counter {
                report.warnings.push(format!(
                    "the counter of {prefix}-{year} is at {counter} but numbers up to {stored} are stored: the counter row is old or damaged (the next number is still {})",
                    stored + 1
                ));
            }
        }
    }
    Ok(report)
}

/// Whether another process has the database at `path` open, as far as the
/// locks SQLite takes in WAL mode tell: every connection holds a shared
/// lock on byte 128 of the `-shm` file while it is open.
#[cfg(unix)]
pub fn in_use(path: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let Ok(shm) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(sibling(path, "-shm"))
    else {
        return false;
    };
    // SAFETY: `flock` is plain old data; all-zero is a valid value.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    lock.l_start = 128;
    lock.l_len = 1;
    // SAFETY: a valid descriptor we own and a valid, exclusively borrowed
    // `flock` for the call's duration.
    let rc = unsafe { libc::fcntl(shm.as_raw_fd(), libc::F_GETLK, &mut lock) };
    rc == 0 && lock.l_type != libc::F_UNLCK as libc::c_short
}

#[cfg(not(unix))]
pub fn in_use(_path: &Path) -> bool {
    false
}

/// Runs `PRAGMA <pragma>` (`quick_check` or `integrity_check`) on a
/// connection that cannot write; returns the problems, empty when the
/// file is sound.
pub(crate) fn quick_check(path: &Path, pragma: &str) -> Result<Vec<String>, StoreError> {
    let damaged = |e: rusqlite::Error| StoreError::Damaged {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let conn = open_for_reading(path)?;
    let mut stmt = conn
        .prepare(&format!("PRAGMA {pragma}({MAX_PROBLEMS})"))
        .map_err(|e| classify(path, e))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(damaged)?;
    let mut problems = Vec::new();
    for row in rows {
        let line = row.map_err(damaged)?;
        if line != "ok" {
            problems.push(line);
        }
    }
    Ok(problems)
}

/// A connection that can neither write nor create: `immutable` when no
/// write-ahead log exists (then SQLite makes no `-wal`/`-shm` file),
/// read-only otherwise (the log's committed pages count).
pub(crate) fn open_for_reading(path: &Path) -> Result<Connection, StoreError> {
    let wal = sibling(path, "-wal");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let immutable = !wal.exists();
    // With a log, SQLite maps the `-shm` file even to read: on a full disk
    // that is a SIGBUS, not an error (see `space`).
    if !immutable {
        super::space::ensure_room(path)?;
    }
    let uri = file_uri(path, immutable);
    let conn = Connection::open_with_flags(&uri, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(super::connection::BUSY_TIMEOUT)
        .map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// Sorts an error met while checking: damage is `Damaged` with the path,
/// the rest keeps its own kind.
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    match StoreError::opening(path, e) {
        StoreError::Corrupt { detail } => StoreError::Damaged {
            path: path.to_path_buf(),
            detail,
        },
        other => other,
    }
}

/// `file:` URI of `path`, percent-encoding what a URI cannot hold.
fn file_uri(path: &Path, immutable: bool) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(*b));
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str(if immutable {
        "?mode=ro&immutable=1"
    } else {
        "?mode=ro"
    });
    uri
}

/// `path` with `suffix` appended to its file name (`kiosk.db-wal`).
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Checks the 100-byte header against the file, as SQLite documents it
/// ("Database File Format", section 1.3).
pub(crate) fn check_header(path: &Path) -> Result<(), String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    let mut header = [0u8; 100];
    file.read_exact(&mut header)
        .map_err(|_| format!("it is {len} bytes long, shorter than a database header"))?;
    // A power cut during a checkpoint can leave the file shorter than its
    // new header says; the write-ahead log beside it still holds every
    // page, and SQLite restores them on opening (quick_check follows).
    let wal_restores = std::fs::metadata(sibling(path, "-wal")).is_ok_and(|m| m.len() > 0);
    header_problem(&header, len, wal_restores).map_or(Ok(()), Err)
}

/// What is wrong with `header` of a file of `len` bytes, if anything.
/// With `wal_restores` (a non-empty write-ahead log beside the file) its
/// length is not judged: the log may hold the pages it lacks.
pub(crate) fn header_problem(header: &[u8; 100], len: u64, wal_restores: bool) -> Option<String> {
    let be16 = |at: usize| {
        header
            .get(at..at + 2)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map_or(0, u16::from_be_bytes)
    };
    let be32 = |at: usize| {
        header
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_be_bytes)
    };
    if &header[..16] != MAGIC {
        return Some("it does not start with the SQLite header".into());
    }
    let page_size: u64 = match be16(16) {
        1 => 65_536,
        n if (512..=32_768).contains(&n) && n.is_power_of_two() => u64::from(n),
        n => return Some(format!("its header gives an impossible page size ({n})")),
    };
    if !matches!(header[18], 1 | 2) || !matches!(header[19], 1 | 2) {
        return Some("its header gives an unknown file format version".into());
    }
    if (header[21], header[22], header[23]) != (64, 32, 32) {
        return Some("its header has damaged payload fractions".into());
    }
    if page_size.saturating_sub(u64::from(header[20])) < 480 {
        return Some("its header reserves more of each page than SQLite allows".into());
    }
    if !(1..=4).contains(&be32(44)) && be32(44) != 0 {
        return Some(format!(
            "its header gives an unknown schema format ({})",
            be32(44)
        ));
    }
    if be32(56) > 3 {
        return Some(format!(
            "its header gives an unknown text encoding ({})",
            be32(56)
        ));
    }
    if wal_restores {
        return None;
    }
    if !len.is_multiple_of(page_size) {
        return Some(format!(
            "it is {len} bytes long, not a whole number of {page_size}-byte pages: it was cut short or overwritten"
        ));
    }
    // The page count in the header is valid when the "version valid for"
    // number matches the change counter.
    let pages = u64::from(be32(28));
    if pages > 0 && be32(92) == be32(24) && pages.saturating_mul(page_size) > len {
        return Some(format!(
            "its header says it has {pages} pages but the file holds {}: it was cut short",
            len / page_size
        ));
    }
    None
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    crate::config::kind_of(meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn sound_db(dir: &Path) -> PathBuf {
        let path = dir.join("kiosk.db");
        drop(Store::create(&path).unwrap());
        path
    }

    #[test]
    fn a_sound_database_passes_and_checking_leaves_no_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = sound_db(dir.path());
        let names = || {
            let mut v: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            v.sort();
            v
        };
        let before = names();
        check_file(&path).unwrap();
        assert_eq!(before, names());
        assert!(!sibling(&path, "-wal").exists());
    }

    #[test]
    fn a_foreign_or_cut_file_is_refused_by_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = sound_db(dir.path());
        let good = std::fs::read(&path).unwrap();

        let mut cut = good.clone();
        cut.truncate(good.len() - 100);
        std::fs::write(&path, &cut).unwrap();
        let err = check_file(&path).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert!(err.to_string().contains("cut short"), "{err}");

        let mut bad_page = good.clone();
        bad_page[16] = 0x03;
        std::fs::write(&path, &bad_page).unwrap();
        assert!(
            check_file(&path)
                .unwrap_err()
                .to_string()
                .contains("page size")
        );

        std::fs::write(&path, b"hello").unwrap();
        assert!(matches!(check_file(&path), Err(StoreError::Damaged { .. })));
    }

    #[test]
    fn a_file_cut_during_a_checkpoint_is_judged_with_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = sound_db(dir.path());
        let good = std::fs::read(&path).unwrap();
        let mut header = [0u8; 100];
        header.copy_from_slice(&good[..100]);
        // The header counts one page more than the file holds, as when the
        // checkpoint wrote page 1 but not yet the page that grows the file.
        let pages = u32::from_be_bytes(header[28..32].try_into().unwrap()) + 1;
        header[28..32].copy_from_slice(&pages.to_be_bytes());
        let len = good.len() as u64;
        assert!(
            header_problem(&header, len, false)
                .unwrap()
                .contains("cut short")
        );
        assert_eq!(header_problem(&header, len, true), None);
    }

    #[test]
    fn an_overwritten_page_is_found_by_quick_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = sound_db(dir.path());
        let mut bytes = std::fs::read(&path).unwrap();
        // Page 2 onwards: the first table's b-tree page header.
        for b in bytes.iter_mut().skip(4096).take(64) {
            *b = 0xA5;
        }
        std::fs::write(&path, &bytes).unwrap();
        let err = check_file(&path).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    }

    #[test]
    fn an_index_that_lacks_rows_of_its_table_is_found() {
        use crate::store::fixtures::{complaint, context, submission};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        {
            let store = Store::create(&path).unwrap();
            let clock = crate::clock::ManualClock::at_sofia(2026, 11, 23, 14, 5).unwrap();
            for _ in 0..3 {
                store
                    .submit(submission(complaint()), &context(&clock))
                    .unwrap();
            }
        }
        // The index's entries stay those of (created_ms) while its
        // definition says (local_date): none of the table's rows is found
        // in it, as after a damaged index page. Every page is sound.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE INDEX records_created ON records (local_date)'
               WHERE name = 'records_created';",
        )
        .unwrap();
        drop(conn);
        assert!(quick_check(&path, "quick_check").unwrap().is_empty());
        let err = check_file(&path).unwrap_err();
        assert!(err.to_string().contains("missing from index"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_opening_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = inspect(&path).unwrap_err();
        assert!(err.to_string().contains("named pipe"), "{err}");
    }

    #[test]
    fn paths_become_file_uris() {
        assert_eq!(
            file_uri(Path::new("/var/lib/kiosk/kiosk.db"), true),
            "file:/var/lib/kiosk/kiosk.db?mode=ro&immutable=1"
        );
        assert_eq!(
            file_uri(Path::new("/tmp/a b?#.db"), false),
            "file:/tmp/a%20b%3F%23.db?mode=ro"
        );
    }
}
