//! What can go wrong between the kiosk and the central system.
//!
//! Every message is written for the IT contractor reading the log or the
//! staff screen: it says what happened and what to do. The worker asks
//! [`SyncError::is_permanent`] whether waiting and retrying can help; a
//! permanent error stops the worker from starting until someone fixes the
//! configuration, a transient one only delays delivery.

use std::path::PathBuf;
use std::time::Duration;

use crate::store::StoreError;

/// Why the kiosk could not start syncing or could not deliver a batch.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// `[central] url` is empty.
    #[error(
        "no central system is configured ([central] url is empty); records stay queued on the kiosk"
    )]
    NotConfigured,

    /// The URL is not one the kiosk may send personal data to.
    #[error(
        "[central] url {url:?} is not allowed: use https:// (plain http:// only to 127.0.0.1, localhost or [::1])"
    )]
    InsecureUrl { url: String },

    /// The URL cannot be parsed.
    #[error("[central] url {url:?} is not a valid URL ({detail}); correct it in kiosk.toml")]
    BadUrl { url: String, detail: String },

    /// The token file does not exist.
    #[error(
        "the central system's token file {path} does not exist; put the token there (owner only: chmod 600) or correct [central] token_file"
    )]
    TokenFileMissing { path: PathBuf },

    /// The token file exists but cannot be read.
    #[error(
        "cannot read the central system's token file {path}: {source}; check that the kiosk's user owns it"
    )]
    TokenFileUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },

    /// Someone besides the owner can read the token.
    #[error(
        "the central system's token file {path} has mode {mode:04o}, so other users can read it; run `chmod 600 {path}` (and ask the central system for a new token if others may have seen it)"
    )]
    TokenFileNotPrivate { path: PathBuf, mode: u32 },

    /// The token file holds no usable token.
    #[error(
        "the central system's token file {path} {problem}; write the token the central system issued, on one line"
    )]
    TokenInvalid {
        path: PathBuf,
        problem: &'static str,
    },

    /// The extra CA certificate cannot be used.
    #[error(
        "the CA certificate {path} cannot be used ({detail}); it must be a PEM file (-----BEGIN CERTIFICATE-----), or leave [central] ca_file empty"
    )]
    CaFile { path: PathBuf, detail: String },

    /// The HTTP client could not be set up.
    #[error("cannot set up the connection to the central system: {detail}")]
    Client { detail: String },

    /// 401 or 403.
    #[error(
        "central system refuses the kiosk's credentials (HTTP {status}); check the token in [central] token_file with the central system's administrators"
    )]
    Credentials { status: u16 },

    /// Connection refused, no route, DNS failure.
    #[error(
        "cannot reach the central system ({detail}); check the network cable and that the central system is up"
    )]
    Unreachable { detail: String },

    /// No answer within the configured time.
    #[error(
        "the central system did not answer in time; the records will be sent again (raise [central] request_timeout_secs if this keeps happening)"
    )]
    Timeout,

    /// The connection broke mid-request.
    #[error(
        "the connection to the central system broke ({detail}); the records will be sent again"
    )]
    ConnectionBroken { detail: String },

    /// The TLS handshake failed: certificate, clock or proxy problem.
    #[error(
        "secure connection to the central system failed ({detail}); check the kiosk's clock and [central] ca_file"
    )]
    Tls { detail: String },

    /// 5xx, or a 429/503 without a usable Retry-After.
    #[error("the central system has a problem (HTTP {status}); the records will be sent again")]
    Server { status: u16 },

    /// 429 or 503 with Retry-After.
    #[error("the central system is busy (HTTP {status}) and asked to wait {wait:?}")]
    Busy { status: u16, wait: Duration },

    /// 3xx, 404, 405, 410 or another 4xx the contract does not list (or
    /// 400/422 to every record alone): the URL is wrong or a proxy answers.
    #[error(
        "the central system answers HTTP {status} at {url}: check [central] url{}; nothing is rejected or held, the records stay queued and are sent again after the back-off cap",
        if detail.is_empty() { String::new() } else { format!(" ({detail})") }
    )]
    WrongAddress {
        status: u16,
        url: String,
        detail: String,
    },

    /// An answer over the contract's 1 MiB.
    #[error(
        "the central system's answer is larger than {limit} bytes; the kiosk stopped reading it and will send the records again"
    )]
    AnswerTooLarge { limit: usize },

    /// A 200 whose body is not the contract's.
    #[error(
        "the central system's answer is not what the contract says ({detail}); the records will be sent again"
    )]
    Malformed { detail: String },

    /// No answer acknowledged any record of a batch.
    #[error("the central system acknowledged none of the records sent; they will be sent again")]
    NothingAcknowledged,

    /// The kiosk's own database failed.
    #[error("the kiosk's database failed while syncing: {0}")]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Whether the configuration (or the central system's) must change for
    /// sending to work again; the worker then waits the back-off cap.
    pub fn is_configuration_problem(&self) -> bool {
        matches!(
            self,
            SyncError::WrongAddress { .. } | SyncError::Credentials { .. }
        ) || self.is_permanent()
    }

    /// True when retrying cannot help until someone changes the
    /// configuration or files. Refused credentials are not permanent: the
    /// contract says to try again after the back-off cap, because the
    /// central system's administrators may fix the token on their side.
    pub fn is_permanent(&self) -> bool {
        match self {
            SyncError::NotConfigured
            | SyncError::InsecureUrl { .. }
            | SyncError::BadUrl { .. }
            | SyncError::TokenFileMissing { .. }
            | SyncError::TokenFileUnreadable { .. }
            | SyncError::TokenFileNotPrivate { .. }
            | SyncError::TokenInvalid { .. }
            | SyncError::CaFile { .. }
            | SyncError::Client { .. } => true,
            SyncError::Store(e) => e.is_permanent(),
            SyncError::Credentials { .. }
            | SyncError::Unreachable { .. }
            | SyncError::Timeout
            | SyncError::ConnectionBroken { .. }
            | SyncError::Tls { .. }
            | SyncError::Server { .. }
            | SyncError::Busy { .. }
            | SyncError::Malformed { .. }
            | SyncError::WrongAddress { .. }
            | SyncError::AnswerTooLarge { .. }
            | SyncError::NothingAcknowledged => false,
        }
    }

    /// A short sentence for the staff screen and `kiosk outbox`, without
    /// technical detail.
    pub fn plain_words(&self) -> String {
        match self {
            SyncError::Credentials { .. } => "central system refuses the kiosk's credentials".into(),
            SyncError::Unreachable { .. } => "cannot reach the central system".into(),
            SyncError::Timeout => "the central system did not answer in time".into(),
            SyncError::ConnectionBroken { .. } => "the connection to the central system broke".into(),
            SyncError::Tls { .. } => "secure connection to the central system failed".into(),
            SyncError::Server { status } => format!("the central system has a problem (HTTP {status})"),
            SyncError::Busy { .. } => "the central system is busy and asked the kiosk to wait".into(),
            SyncError::Malformed { .. }
            | SyncError::NothingAcknowledged
            | SyncError::AnswerTooLarge { .. } => {
                "the central system's answer could not be understood".into()
            }
            SyncError::WrongAddress { status, url, .. } => {
                format!("the central system answers HTTP {status} at {url}: check [central] url")
            }
            SyncError::Store(_) => "the kiosk's database failed; call the IT contractor".into(),
            SyncError::NotConfigured => "no central system is configured".into(),
            _ => "the connection to the central system is not set up correctly; call the IT contractor".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_problems_are_permanent_and_network_ones_are_not() {
        let path = PathBuf::from("/etc/kiosk/central.token");
        assert!(
            SyncError::TokenFileNotPrivate {
                path: path.clone(),
                mode: 0o644
            }
            .is_permanent()
        );
        assert!(SyncError::TokenFileMissing { path }.is_permanent());
        assert!(
            SyncError::InsecureUrl {
                url: "http://x".into()
            }
            .is_permanent()
        );
        for transient in [
            SyncError::Timeout,
            SyncError::Server { status: 502 },
            SyncError::Credentials { status: 401 },
            SyncError::Unreachable {
                detail: "refused".into(),
            },
        ] {
            assert!(!transient.is_permanent(), "{transient}");
        }
    }

    #[test]
    fn messages_tell_the_technician_what_to_do() {
        let e = SyncError::TokenFileNotPrivate {
            path: "/etc/kiosk/central.token".into(),
            mode: 0o644,
        };
        let text = e.to_string();
        assert!(
            text.contains("chmod 600 /etc/kiosk/central.token"),
            "{text}"
        );
        assert!(text.contains("0644"), "{text}");
    }

    #[test]
    fn refused_credentials_read_as_the_contract_says() {
        assert_eq!(
            SyncError::Credentials { status: 403 }.plain_words(),
            "central system refuses the kiosk's credentials"
        );
    }
}
