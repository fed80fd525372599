//! Room on the disk: the kiosk stops writing before the disk is full.
//!
//! In WAL mode SQLite keeps the log's index in the `-shm` file, mapped into
//! memory. When a connection is the first to open the database, SQLite
//! cuts that file down and grows it again by writing one byte per memory
//! page; on a file system with blocks smaller than a memory page (ext4 on a
//! small card or image uses 1 KiB blocks) the rest of each page stays a
//! hole, and the first write through the mapping needs a block. On a full
//! disk the kernel has none to give and kills the process with SIGBUS: no
//! error, no message, and under systemd a restart loop. `PRAGMA mmap_size`
//! does not govern the `-shm` mapping, and exclusive locking (which keeps
//! the index on the heap) would shut out the kiosk's other processes.
//!
//! So the kiosk looks first: before a connection is opened, and before
//! every write transaction, the file system holding the database must have
//! [`MIN_FREE`] bytes free for an unprivileged user; otherwise the store
//! answers [`StoreError::DiskFull`] and writes nothing. What was written
//! stays intact, and the kiosk carries on once space is freed.
//!
//! Looking is not enough: another process can fill the disk between the
//! look and the commit, and the commit's write into the index then lands
//! in a hole. So once a connection holds the `-shm` file, and again
//! before every write transaction, the kiosk has the file system allocate
//! every block of the index's first [`INDEX_RESERVE`] bytes (`fallocate`,
//! size unchanged): writes through the mapping then never need a new
//! block. The allocation goes through SQLite's own descriptor of the file
//! (found in /proc/self/fd): opening and closing another one would drop
//! this process's POSIX locks on it, which SQLite relies on.

use std::path::Path;

use super::error::StoreError;

/// The free space below which nothing is opened or written: the `-shm`
/// file's first region (32 KiB), a transaction's pages in the log and the
/// file system's own needs, with a wide margin.
pub const MIN_FREE: u64 = 4 * 1024 * 1024;

/// Bytes free for an unprivileged user on the file system holding `path`
/// (its folder, when the file does not exist), if the system says.
#[cfg(unix)]
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let dir = if path.exists() {
        path.to_path_buf()
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    };
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `statvfs` is plain old data; all-zero is a valid value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid NUL-terminated path and a valid, exclusively
    // borrowed `statvfs` for the call's duration.
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    if rc != 0 {
        return None;
    }
    #[allow(clippy::useless_conversion)] // the field types differ between targets
    let (avail, size) = (u64::from(st.f_bavail), u64::from(st.f_frsize));
    Some(avail.saturating_mul(size))
}

#[cfg(not(unix))]
pub fn free_bytes(_path: &Path) -> Option<u64> {
    None
}

/// Whether the file system holding `path` is mounted read-only, if the
/// system says.
#[cfg(unix)]
pub fn read_only(path: &Path) -> Option<bool> {
    use std::os::unix::ffi::OsStrExt;
    let dir = if path.exists() {
        path
    } else {
        path.parent().filter(|p| !p.as_os_str().is_empty())?
    };
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: as in `free_bytes`.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: as in `free_bytes`.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_flag & libc::ST_RDONLY != 0)
}

#[cfg(not(unix))]
pub fn read_only(_path: &Path) -> Option<bool> {
    None
}

/// Refuses with [`StoreError::ReadOnlyDisk`] when the file system holding
/// `path` takes no writes: SQLite's own message ("unable to open database
/// file", "attempt to write a readonly database") would send the
/// technician after permissions.
pub fn ensure_writable(path: &Path) -> Result<(), StoreError> {
    if disk_refuses_writes(path) {
        return Err(StoreError::ReadOnlyDisk {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Whether the file system holding `path` takes no writes: mounted
/// read-only, or switched to read-only after a disk error, which recent
/// kernels do not show in `statvfs` (ext4's "emergency_ro"). Then making a
/// file in the folder fails with EROFS: the kiosk tries, with an empty
/// file of its own that it removes at once.
pub fn disk_refuses_writes(path: &Path) -> bool {
    if read_only(path) == Some(true) {
        return true;
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let probe = dir.join(format!(".kiosk-write-check-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            false
        }
        Err(e) => e.raw_os_error() == Some(EROFS),
    }
}

#[cfg(unix)]
const EROFS: i32 = libc::EROFS;
#[cfg(not(unix))]
const EROFS: i32 = 30;

/// What a failed read or write of the database at `path` really met, when
/// the disk can tell: SQLite reports a full disk met mid-transaction as a
/// disk I/O error, and a disk switched to read-only as a read-only file or
/// one it cannot open, whose words send the technician after the SD card
/// or the permissions.
pub fn explain(path: &Path, e: StoreError) -> StoreError {
    let io = matches!(e, StoreError::Io { .. });
    if !(io || matches!(e, StoreError::ReadOnly | StoreError::Open { .. })) {
        return e;
    }
    if disk_refuses_writes(path) {
        return StoreError::ReadOnlyDisk {
            path: path.to_path_buf(),
        };
    }
    if io && free_bytes(path).is_some_and(|free| free < MIN_FREE) {
        return StoreError::DiskFull;
    }
    e
}

/// Refuses with [`StoreError::DiskFull`] when the disk holding `path` has
/// less than [`MIN_FREE`] free. When the system cannot say, SQLite's own
/// errors are left to speak.
pub fn ensure_room(path: &Path) -> Result<(), StoreError> {
    match free_bytes(path) {
        Some(free) if free < MIN_FREE => Err(StoreError::DiskFull),
        _ => Ok(()),
    }
}

/// How much of the `-shm` file is kept allocated: its first region holds
/// the index of 4,096 log frames, each further 32 KiB region 4,096 more;
/// the log is checkpointed at 1,000 pages, so this leaves a wide margin.
pub const INDEX_RESERVE: u64 = 256 * 1024;

/// Allocates every block of the first [`INDEX_RESERVE`] bytes (or the
/// whole file, when larger) of the `-shm` file beside `db`, through a
/// descriptor this process already holds (see the module). Answers
/// [`StoreError::DiskFull`] when the disk has no block for it; does
/// nothing when no descriptor is open or the file system cannot allocate
/// ahead.
#[cfg(target_os = "linux")]
pub fn fill_index_holes(db: &Path) -> Result<(), StoreError> {
    let Some(fd) = held_descriptor(&super::check::sibling(db, "-shm")) else {
        return Ok(());
    };
    // SAFETY: `fstat` fills a plain-old-data struct; all-zero is valid.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `fstat` on any descriptor number is defined; a stale one
    // fails with EBADF.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Ok(());
    }
    let size = u64::try_from(st.st_size).unwrap_or(0);
    let len = i64::try_from(size.max(INDEX_RESERVE)).unwrap_or(i64::MAX);
    // SAFETY: no memory is passed. KEEP_SIZE never changes the file's
    // size, so SQLite's view of it (and its mapping) stays as it was.
    let rc = unsafe { libc::fallocate(fd, libc::FALLOC_FL_KEEP_SIZE, 0, len) };
    if rc == 0 {
        return Ok(());
    }
    match std::io::Error::last_os_error().raw_os_error() {
        Some(libc::ENOSPC | libc::EDQUOT) => Err(StoreError::DiskFull),
        // Not supported here (tmpfs of old kernels, some FUSE): the look
        // before each write is all there is.
        _ => Ok(()),
    }
}

#[cfg(not(target_os = "linux"))]
pub fn fill_index_holes(_db: &Path) -> Result<(), StoreError> {
    Ok(())
}

/// The exit code of a process stopped by [`exit_on_sigbus`]: the code of
/// every database refusal.
pub const SIGBUS_EXIT: i32 = 3;

/// The last guard of the full disk: makes SIGBUS end the process with a
/// message and exit code [`SIGBUS_EXIT`] instead of a silent signal death.
///
/// One window stays open however the kiosk looks ahead: when a process is
/// the first to open the database, SQLite cuts the `-shm` file down, grows
/// it with holes and writes into it within one call, before the kiosk can
/// allocate its blocks (see the module). A disk filled by another process
/// in those microseconds leaves the write without a block. What was
/// committed before is on the disk (the log is synced before the index is
/// written), so ending at once is safe; the message says what to do.
#[cfg(unix)]
pub fn exit_on_sigbus() {
    extern "C" fn on_sigbus(_: libc::c_int) {
        const SAID: &[u8] = b"\nkiosk: the disk holding the database is full: SQLite's shared-memory \
            index got no block (SIGBUS: most likely the disk filled while the database was opened or \
            written); records saved before are safe. Free space (e.g. `journalctl --vacuum-size=50M`, \
            old files in the export folder) and the kiosk carries on\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe; SAID is a
        // static buffer of its stated length.
        unsafe {
            libc::write(2, SAID.as_ptr().cast(), SAID.len());
            libc::_exit(SIGBUS_EXIT);
        }
    }
    // SAFETY: a zeroed sigaction is valid; the handler only calls
    // async-signal-safe functions.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

#[cfg(not(unix))]
pub fn exit_on_sigbus() {}

/// A descriptor of `file` that this process holds open already (found in
/// /proc/self/fd), used as it is: never opened again nor closed here,
/// since closing any descriptor of a file drops this process's POSIX
/// locks on it.
#[cfg(target_os = "linux")]
fn held_descriptor(file: &Path) -> Option<libc::c_int> {
    let want = std::fs::canonicalize(file).ok()?;
    std::fs::read_dir("/proc/self/fd")
        .ok()?
        .flatten()
        .find(|entry| std::fs::read_link(entry.path()).is_ok_and(|target| target == want))
        .and_then(|entry| entry.file_name().to_str()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_folder_has_room_and_is_measured() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_only(dir.path()), Some(false));
        ensure_writable(dir.path()).unwrap();
        assert!(free_bytes(dir.path()).is_some());
        assert!(free_bytes(&dir.path().join("not-yet.db")).is_some());
    }
}
