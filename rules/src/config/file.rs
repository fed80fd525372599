//! Reading a file the kiosk is pointed at (kiosk.toml, the central token, a
//! CA certificate) without letting it hang the kiosk or fill its memory.
//!
//! Only regular files are read: a FIFO would block `open` or `read`
//! forever, `/dev/zero` never ends. The file's size is checked before it
//! is opened; it is opened non-blocking (should it have been swapped for a
//! FIFO meanwhile, the open returns at once), checked again through the
//! open handle, and read up to the limit and one byte more, so a file that
//! grows while it is read is refused too.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum FileError {
    /// Nothing at that path.
    Missing,
    /// A FIFO, a device, a folder or a socket.
    NotAFile { what: &'static str },
    /// Larger than the limit.
    TooLarge { len: u64, limit: u64 },
    /// The operating system refused (permissions, I/O).
    Io(std::io::Error),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Missing => f.write_str("it does not exist"),
            FileError::NotAFile { what } => {
                write!(f, "it is {what}, not a regular file, so it is not read")
            }
            FileError::TooLarge { len, limit } => write!(
                f,
                "it is {len} bytes, more than the {limit} allowed, so it is not read"
            ),
            FileError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FileError {}

impl From<std::io::Error> for FileError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::NotFound {
            FileError::Missing
        } else {
            FileError::Io(e)
        }
    }
}

/// Reads the regular file at `path`, at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let meta = std::fs::metadata(path)?;
    check(&meta, limit)?;
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    check(&meta, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > limit {
        return Err(FileError::TooLarge { len, limit });
    }
    Ok(bytes)
}

fn check(meta: &std::fs::Metadata, limit: u64) -> Result<(), FileError> {
    if !meta.is_file() {
        return Err(FileError::NotAFile {
            what: kind_of(meta),
        });
    }
    if meta.len() > limit {
        return Err(FileError::TooLarge {
            len: meta.len(),
            limit,
        });
    }
    Ok(())
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// What kind of thing `meta` describes, in words.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else if meta.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, b"hello").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"hello");
        assert!(matches!(
            read_bounded(&path, 4),
            Err(FileError::TooLarge { len: 5, limit: 4 })
        ));
        assert!(matches!(
            read_bounded(&dir.path().join("none"), 4),
            Err(FileError::Missing)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_folders_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_bounded(&fifo, 1024).unwrap_err();
        assert!(err.to_string().contains("named pipe"), "{err}");
        let err = read_bounded(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.to_string().contains("a device"), "{err}");
        let err = read_bounded(dir.path(), 1024).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
    }
}
