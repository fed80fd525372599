//! Exporting a period to a USB stick: where to write, and what.
//!
//! Where: the first mounted removable filesystem under `/media` (from
//! `/proc/mounts`, a device whose `/sys/block/<disk>/removable` is 1 or
//! that hangs off a USB bus), else `[staff] export_dir` when set; with
//! neither, a clear error. What: three files named after the kiosk and the
//! period, the summary as CSV, the complaint register as CSV, and both as
//! one JSON file. Files are written under a temporary name, synced and
//! renamed, so a stick pulled out mid-way never holds a half file under
//! the final name.
//!
//! A stick is anyone's: what the kiosk reads to find it is bounded (the
//! mount table, one flag per disk), and a name already on the stick is
//! never followed or opened: a symbolic link there (pointing at the
//! kiosk's database, say) or a FIFO (which would block the open) is
//! removed as a name and replaced by the export's own file.
//!
//! Personal data: the register carries number, type, category, dates, due
//! and answer dates, flags, and whether the filer was anonymous, left a
//! contact and whether the personal data has been erased, but never the
//! name, contact details or text. A stick leaves the building and is easily
//! lost; the central system holds the full record and is where a complaint
//! is answered from; and the kiosk erases personal data after delivery, so
//! an export with it would hold it for some complaints and not others.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::summary::csv::to_csv;
use crate::domain::summary::report::{Format, Report, render, rows};
use crate::domain::summary::{DateRange, Names, percent};
use crate::store::RegisterEntry;

/// Where the kiosk looks for mounted filesystems and their disks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountSources {
    /// `/proc/mounts`.
    pub mounts: PathBuf,
    /// `/sys/block`.
    pub sys_block: PathBuf,
    /// Only mount points under this folder count: `/media`.
    pub media: PathBuf,
}

impl Default for MountSources {
    fn default() -> Self {
        MountSources {
            mounts: "/proc/mounts".into(),
            sys_block: "/sys/block".into(),
            media: "/media".into(),
        }
    }
}

/// The most of the mount table read.
const MAX_MOUNTS_BYTES: u64 = 1024 * 1024;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "no USB stick found: plug one in (it must be mounted under /media) or set [staff] export_dir in kiosk.toml"
    )]
    NoTarget,
    #[error(
        "could not write {path}: {source}; check that the USB stick is not full or write-protected"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The files an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportDone {
    /// The period exported.
    pub range: DateRange,
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// Complaints in the register file.
    pub complaints: usize,
}

/// The folder to export to: a USB stick first, else `export_dir`.
pub fn find_target(
    sources: &MountSources,
    export_dir: Option<&Path>,
) -> Result<PathBuf, ExportError> {
    if let Some(stick) = removable_mount(sources) {
        return Ok(stick);
    }
    match export_dir {
        Some(dir) if !dir.as_os_str().is_empty() => Ok(dir.to_path_buf()),
        _ => Err(ExportError::NoTarget),
    }
}

/// The first mount point under `media` whose device is removable.
pub fn removable_mount(sources: &MountSources) -> Option<PathBuf> {
    let table = crate::config::read_bounded(&sources.mounts, MAX_MOUNTS_BYTES).ok()?;
    let table = String::from_utf8_lossy(&table);
    table.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        let device = fields.next()?;
        let mount = PathBuf::from(unescape(fields.next()?));
        let under_media = mount.starts_with(&sources.media) && mount != sources.media;
        let name = device.strip_prefix("/dev/")?;
        (under_media && is_removable(&sources.sys_block, name)).then_some(mount)
    })
}

/// `/proc/mounts` writes spaces and tabs in paths as octal escapes.
fn unescape(field: &str) -> String {
    field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

/// Whether the disk holding partition `name` (e.g. `sda1`, `mmcblk1p1`) is
/// removable or on a USB bus.
fn is_removable(sys_block: &Path, name: &str) -> bool {
    let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let candidates = [name, trimmed, trimmed.strip_suffix('p').unwrap_or(trimmed)];
    candidates.iter().any(|disk| {
        let dir = sys_block.join(disk);
        let flag = crate::config::read_bounded(&dir.join("removable"), 16)
            .map(|s| s.trim_ascii() == b"1")
            .unwrap_or(false);
        let usb = std::fs::read_link(&dir)
            .map(|target| target.to_string_lossy().contains("/usb"))
            .unwrap_or(false);
        !disk.is_empty() && (flag || usb)
    })
}

/// The register as rows, the first a header.
pub fn register_rows(entries: &[RegisterEntry], names: &Names) -> Vec<Vec<String>> {
    let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut v = vec![
        [
            "number",
            "type",
            "category",
            "category_name",
            "filed_at",
            "filed_on",
            "due_date",
            "answered_on",
            "answered_in_time",
            "flags",
            "anonymous",
            "has_contact",
            "personal_data_erased",
            "clock_trusted",
            "delivery",
            "demo",
            "id",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for e in entries {
        let in_time = match (e.due_date, e.answered_on) {
            (Some(due), Some(on)) => yes(on <= due),
            (Some(_), None) => "no".into(),
            _ => String::new(),
        };
        v.push(vec![
            e.number
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            e.ctype.as_str().into(),
            e.category.clone(),
            names.category(&e.category).to_owned(),
            e.filed_at.clone(),
            e.filed_on.to_string(),
            date(e.due_date),
            date(e.answered_on),
            in_time,
            e.flags.join(";"),
            yes(e.anonymous),
            yes(e.has_contact),
            yes(e.personal_data_erased),
            yes(e.clock_trusted),
            e.delivery.clone().unwrap_or_default(),
            yes(e.demo),
            e.id.to_string(),
        ]);
    }
    v
}

/// Writes the export of `report` and `register` into `dir` under names
/// starting with `stem` (e.g. `kiosk-kv1-2026-01-01_2026-12-31`).
pub fn write_export(
    dir: &Path,
    stem: &str,
    report: &Report,
    register: &[RegisterEntry],
    names: &Names,
) -> Result<ExportDone, ExportError> {
    let json = serde_json::json!({
        "report": report,
        "csat_percent": percent(report.summary.ratings.csat),
        "register": register,
    });
    let json = serde_json::to_vec_pretty(&json).unwrap_or_default();
    let files = [
        (format!("{stem}-summary.csv"), to_csv(rows(report, names))),
        (
            format!("{stem}-register.csv"),
            to_csv(register_rows(register, names)),
        ),
        (format!("{stem}.json"), json),
        (
            format!("{stem}-report.md"),
            render(report, names, Format::Markdown),
        ),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomically(&path, &bytes)?;
        written.push(path);
    }
    Ok(ExportDone {
        range: report.summary.range,
        dir: dir.to_path_buf(),
        files: written,
        complaints: register.len(),
    })
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let err = |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("part");
    // Whatever has that name already goes, as a name: never followed.
    match std::fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(e)),
    }
    let mut f = create_new_file(&tmp).map_err(err)?;
    f.write_all(bytes).map_err(err)?;
    f.sync_all().map_err(err)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(err)?;
    if let Some(dir) = path.parent() {
        // Best effort: some filesystems on sticks (vfat) refuse a folder sync.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// A new file at `path`; fails if anything is there, and never follows a
/// link or blocks on a FIFO put there meanwhile.
#[cfg(unix)]
fn create_new_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn create_new_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_and_fifos_planted_on_a_stick_are_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let precious = dir.path().join("kiosk.db");
        std::fs::write(&precious, b"the database").unwrap();
        let stick = dir.path().join("stick");
        std::fs::create_dir(&stick).unwrap();
        let target = stick.join("kiosk-x-summary.csv");
        std::os::unix::fs::symlink(&precious, stick.join("kiosk-x-summary.part")).unwrap();
        std::os::unix::fs::symlink(&precious, &target).unwrap();
        write_atomically(&target, b"a,b\n").unwrap();
        assert_eq!(std::fs::read(&precious).unwrap(), b"the database");
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
        assert!(
            !std::fs::symlink_metadata(&target)
                .unwrap()
                .file_type()
                .is_symlink()
        );

        let fifo = stick.join("kiosk-y.part");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        write_atomically(&stick.join("kiosk-y.csv"), b"x").unwrap();
        assert_eq!(std::fs::read(stick.join("kiosk-y.csv")).unwrap(), b"x");
    }

    fn sources(dir: &Path, mounts: &str) -> MountSources {
        std::fs::write(dir.join("mounts"), mounts).unwrap();
        MountSources {
            mounts: dir.join("mounts"),
            sys_block: dir.join("block"),
            media: "/media".into(),
        }
    }

    fn disk(dir: &Path, name: &str, removable: bool) {
        let d = dir.join("block").join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("removable"), if removable { "1\n" } else { "0\n" }).unwrap();
    }

    #[test]
    fn the_first_removable_filesystem_under_media_is_chosen() {
        let dir = tempfile::tempdir().unwrap();
        disk(dir.path(), "mmcblk0", false);
        disk(dir.path(), "sda", false);
        disk(dir.path(), "sdb", true);
        let s = sources(
            dir.path(),
            "/dev/mmcblk0p2 / ext4 rw 0 0\n/dev/sda1 /media/backup ext4 rw 0 0\n/dev/sdb1 /media/kiosk/USB\\040STICK vfat rw 0 0\n",
        );
        assert_eq!(
            removable_mount(&s),
            Some(PathBuf::from("/media/kiosk/USB STICK"))
        );
        assert_eq!(
            find_target(&s, Some(Path::new("/srv/exports"))).unwrap(),
            PathBuf::from("/media/kiosk/USB STICK")
        );
    }

    #[test]
    fn without_a_stick_the_export_dir_is_used_or_the_error_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        disk(dir.path(), "sda", true);
        // Removable, but not under /media: not a stick the kiosk may write to.
        let s = sources(dir.path(), "/dev/sda1 /mnt ext4 rw 0 0\n");
        assert_eq!(
            find_target(&s, Some(Path::new("/srv/x"))).unwrap(),
            PathBuf::from("/srv/x")
        );
        let err = find_target(&s, None).unwrap_err();
        assert!(err.to_string().contains("no USB stick found"), "{err}");
        assert!(err.to_string().contains("[staff] export_dir"));
    }
}
