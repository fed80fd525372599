//! What the sync worker needs from kiosk.toml, and the bearer token.
//!
//! [`SyncSettings`] is plain data so tests can shrink the back-off, the
//! timeouts and the intervals to milliseconds; [`SyncSettings::from_config`]
//! gives the production values. The token is read once at start, from a
//! file only its owner may read: the worker refuses to start otherwise,
//! because a token readable by other users can be copied to impersonate the
//! kiosk.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::backoff::Backoff;
use super::error::SyncError;
use crate::config::Config;

/// Everything the worker and `kiosk sync --once` need.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// `[kiosk] id`, sent with every request.
    pub kiosk_id: String,
    /// `[central] url`, the base the contract's paths are added to.
    pub url: String,
    /// `[central] token_file`.
    pub token_file: PathBuf,
    /// `[central] ca_file`; `None` for the system roots only.
    pub ca_file: Option<PathBuf>,
    /// Records per request.
    pub batch_size: usize,
    /// Time to set up a TCP and TLS connection.
    pub connect_timeout: Duration,
    /// Time for a whole request and its answer.
    pub request_timeout: Duration,
    /// Back-off after failures.
    pub backoff: Backoff,
    /// How often the worker looks for new records when all is well.
    pub poll_every: Duration,
    /// `[central] heartbeat_secs`.
    pub heartbeat_every: Duration,
    /// `[privacy] keep_days_after_delivery`.
    pub keep_after_delivery: chrono::Duration,
    /// How often personal data past its time is erased.
    pub erase_every: Duration,
}

impl SyncSettings {
    /// The production settings from a checked configuration.
    pub fn from_config(config: &Config) -> Self {
        let c = &config.central;
        Self {
            kiosk_id: config.kiosk.id.clone(),
            url: c.url.trim().to_string(),
            token_file: c.token_file.clone(),
            ca_file: (!c.ca_file.as_os_str().is_empty()).then(|| c.ca_file.clone()),
            batch_size: usize::try_from(c.batch_size).unwrap_or(100).max(1),
            connect_timeout: Duration::from_secs(u64::from(c.connect_timeout_secs)),
            request_timeout: Duration::from_secs(u64::from(c.request_timeout_secs)),
            backoff: Backoff::default(),
            poll_every: Duration::from_secs(30),
            heartbeat_every: Duration::from_secs(u64::from(c.heartbeat_secs)),
            keep_after_delivery: chrono::Duration::days(i64::from(
                config.privacy.keep_days_after_delivery,
            )),
            erase_every: Duration::from_secs(3600),
        }
    }
}

/// The largest token file read: tokens are a few hundred bytes, and the
/// token goes into every request's headers.
pub const MAX_TOKEN_BYTES: u64 = 4096;

/// Reads the bearer token from `path`, refusing a file that is missing,
/// not a regular file, larger than [`MAX_TOKEN_BYTES`], empty, readable by
/// group or others, or holds more than one line.
pub fn read_token(path: &Path) -> Result<String, SyncError> {
    let missing = || SyncError::TokenFileMissing {
        path: path.to_path_buf(),
    };
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => missing(),
        _ => SyncError::TokenFileUnreadable {
            path: path.to_path_buf(),
            source,
        },
    })?;
    check_private(path, &meta)?;
    let invalid = |problem| SyncError::TokenInvalid {
        path: path.to_path_buf(),
        problem,
    };
    let bytes = crate::config::read_bounded(path, MAX_TOKEN_BYTES).map_err(|e| match e {
        crate::config::FileError::Missing => missing(),
        crate::config::FileError::NotAFile { .. } => invalid("is not a regular file"),
        crate::config::FileError::TooLarge { .. } => {
            invalid("is larger than 4096 bytes, far more than any token")
        }
        crate::config::FileError::Io(source) => SyncError::TokenFileUnreadable {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|_| invalid("is not plain text"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(invalid("is empty"));
    }
    // A token goes into an HTTP header: visible ASCII only, no line breaks.
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(
            "holds spaces, line breaks or characters other than plain ASCII",
        ));
    }
    Ok(token.to_string())
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata) -> Result<(), SyncError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(SyncError::TokenFileNotPrivate {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), SyncError> {
    Ok(())
}

/// Short timeouts and no central system, for unit tests to adjust.
#[cfg(test)]
pub(crate) fn for_tests(url: &str) -> SyncSettings {
    SyncSettings {
        kiosk_id: "k".into(),
        url: url.into(),
        token_file: "/unused".into(),
        ca_file: None,
        batch_size: 10,
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
        backoff: super::backoff::Backoff::default(),
        poll_every: Duration::from_secs(1),
        heartbeat_every: Duration::from_secs(60),
        keep_after_delivery: chrono::Duration::days(30),
        erase_every: Duration::from_secs(60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn token_file(text: &str, mode: u32) -> (tempfile::TempDir, PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("central.token");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        (dir, path)
    }

    #[cfg(unix)]
    #[test]
    fn a_private_token_is_read_without_its_newline() {
        let (_dir, path) = token_file("s3cr3t-token\n", 0o600);
        assert_eq!(read_token(&path).unwrap(), "s3cr3t-token");
        let (_dir, path) = token_file("s3cr3t-token", 0o400);
        assert_eq!(read_token(&path).unwrap(), "s3cr3t-token");
    }

    #[cfg(unix)]
    #[test]
    fn a_token_others_can_read_is_refused() {
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let (_dir, path) = token_file("s3cr3t", mode);
            let err = read_token(&path).unwrap_err();
            assert!(
                matches!(err, SyncError::TokenFileNotPrivate { mode: m, .. } if m == mode),
                "{mode:o}: {err}"
            );
            assert!(err.is_permanent());
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_empty_or_multi_line_token_is_refused() {
        let (_dir, path) = token_file(" \n", 0o600);
        assert!(matches!(
            read_token(&path),
            Err(SyncError::TokenInvalid { .. })
        ));
        let (_dir, path) = token_file("one\ntwo", 0o600);
        assert!(matches!(
            read_token(&path),
            Err(SyncError::TokenInvalid { .. })
        ));
    }

    #[test]
    fn a_missing_token_file_is_named() {
        let err = read_token(Path::new("/nonexistent/kiosk/central.token")).unwrap_err();
        assert!(matches!(err, SyncError::TokenFileMissing { .. }));
        assert!(err.to_string().contains("/nonexistent/kiosk/central.token"));
    }

    #[cfg(unix)]
    #[test]
    fn a_huge_token_file_or_a_device_is_refused_without_reading_it() {
        let (_dir, path) = token_file(&"x".repeat(5000), 0o600);
        let err = read_token(&path).unwrap_err();
        assert!(err.to_string().contains("4096"), "{err}");
        let (dir, _) = token_file("t", 0o600);
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_token(&fifo).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
}
