//! The HTTP side of the contract: one request, one classified answer.
//!
//! `CentralClient` knows URLs, the token and the status codes; it does not
//! know the outbox. Every way a request can end is mapped to an [`Answer`]
//! the drain loop can act on, so that the contract's table lives in one
//! `match`. The client uses rustls only, and refuses plain HTTP to anything
//! but loopback even though the configuration check already did: personal
//! data must never leave the kiosk unencrypted, whoever built the settings.
//!
//! Every answer is bounded (contract 1.1): the whole request, headers and
//! body included, must end within `request_timeout`; a body is read only up
//! to [`MAX_ANSWER_BYTES`] (an announced `Content-Length` above it is not
//! read at all), and the body of an error answer only up to
//! [`ERROR_START_BYTES`], enough to show staff how it starts. Redirects are
//! not followed: they could carry the token elsewhere, and a central system
//! that redirects is configured at the wrong address.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use uuid::Uuid;

use super::backoff::parse_retry_after;
use super::error::SyncError;
use super::settings::SyncSettings;
use super::wire::{Heartbeat, Updates, Verdict, parse_results, parse_updates, records_body};
use crate::domain::record::Record;

/// The most of an answer the kiosk reads (contract 1.1).
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// How much of an error answer is read, to show staff how it starts.
pub const ERROR_START_BYTES: usize = 4096;

/// The most of a CA file the kiosk reads: a chain of a few certificates
/// is a few kilobytes.
const MAX_CA_BYTES: u64 = 1024 * 1024;

/// How many characters of an error answer staff see.
const SHOWN_CHARS: usize = 200;

/// How the central system answered a batch, in the contract's terms.
#[derive(Debug)]
pub enum Answer {
    /// 200 with per-record results; records missing from the map were not
    /// acknowledged.
    Results(HashMap<Uuid, Verdict>),
    /// 413: the batch is too large.
    TooLarge { detail: String },
    /// 400 or 422: something in the batch cannot be taken, or the central
    /// system cannot take anything from this kiosk (the drain tells which).
    BadRequest { status: u16, detail: String },
    /// Nothing was delivered: a transport failure, 5xx, refused
    /// credentials, a wrong address. `Busy` carries the wait the server
    /// asked for.
    Failed(SyncError),
}

/// A connection to the central system.
#[derive(Debug, Clone)]
pub struct CentralClient {
    http: reqwest::Client,
    records_url: Url,
    heartbeat_url: Url,
    updates_url: Url,
    auth: HeaderValue,
    kiosk_id: String,
}

impl CentralClient {
    /// Sets up the client for `settings` with the bearer `token`.
    pub fn new(settings: &SyncSettings, token: &str) -> Result<Self, SyncError> {
        let base = checked_url(&settings.url)?;
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(settings.connect_timeout)
            // The whole request: connecting, the headers and the body, so a
            // server that trickles either cannot hold the worker.
            .timeout(settings.request_timeout)
            .user_agent(concat!("kovachevtsi-kiosk/", env!("CARGO_PKG_VERSION")))
            // Redirects could carry the token to another host.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(ca) = &settings.ca_file {
            for cert in read_ca(ca)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(|e| SyncError::Client {
            detail: error_chain(&e),
        })?;
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| SyncError::Client {
                detail: "the token cannot be sent in an HTTP header".into(),
            })?;
        auth.set_sensitive(true);
        let mut updates_url = join(&base, "v1/kiosks/", &settings.url)?;
        updates_url
            .path_segments_mut()
            .map_err(|()| SyncError::BadUrl {
                url: settings.url.clone(),
                detail: "it cannot have a path".into(),
            })?
            .pop_if_empty()
            .push(&settings.kiosk_id)
            .push("updates");
        Ok(Self {
            http,
            records_url: join(&base, "v1/records", &settings.url)?,
            heartbeat_url: join(&base, "v1/heartbeat", &settings.url)?,
            updates_url,
            auth,
            kiosk_id: settings.kiosk_id.clone(),
        })
    }

    /// `POST /v1/records` with `records`, stamped `now`.
    pub async fn send_records(&self, records: &[&Record], now: DateTime<Utc>) -> Answer {
        let body = match records_body(&self.kiosk_id, now, records) {
            Ok(b) => b,
            Err(e) => {
                return Answer::Failed(SyncError::Client {
                    detail: format!("cannot encode the records: {e}"),
                });
            }
        };
        let mut response = match self.post(&self.records_url, body).await {
            Ok(r) => r,
            Err(e) => return Answer::Failed(e),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, now));
        if status == StatusCode::OK {
            return match read_body(&mut response, MAX_ANSWER_BYTES).await {
                Ok(bytes) => answer_for(status, retry_after, &bytes, &self.records_url, None),
                Err(e) => Answer::Failed(e),
            };
        }
        let location = location(&response);
        let start = read_start(&mut response).await;
        answer_for(
            status,
            retry_after,
            &start,
            &self.records_url,
            location.as_deref(),
        )
    }

    /// `POST /v1/heartbeat`; the contract expects 204. The answer's body is
    /// never read.
    pub async fn heartbeat(&self, beat: &Heartbeat<'_>) -> Result<(), SyncError> {
        let body = serde_json::to_vec(beat).map_err(|e| SyncError::Client {
            detail: format!("cannot encode the heartbeat: {e}"),
        })?;
        let response = self.post(&self.heartbeat_url, body).await?;
        let location = location(&response);
        match response.status().as_u16() {
            200..=299 => Ok(()),
            401 | 403 => Err(SyncError::Credentials {
                status: response.status().as_u16(),
            }),
            status @ 300..=499 => Err(wrong_address(
                status,
                &self.heartbeat_url,
                location.as_deref(),
                "",
            )),
            status => Err(SyncError::Server { status }),
        }
    }

    /// `GET /v1/kiosks/{id}/updates[?since=cursor]` (contract 1.1): what the
    /// municipality tells the kiosk. `Ok(None)` when the central system does
    /// not offer updates (404).
    pub async fn updates(&self, since: Option<&str>) -> Result<Option<Updates>, SyncError> {
        let mut url = self.updates_url.clone();
        if let Some(cursor) = since {
            url.query_pairs_mut().append_pair("since", cursor);
        }
        let mut response = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .map_err(|e| classify(&e))?;
        let status = response.status().as_u16();
        match status {
            200 => {
                let body = read_body(&mut response, MAX_ANSWER_BYTES).await?;
                parse_updates(&body)
                    .map(Some)
                    .map_err(|detail| SyncError::Malformed { detail })
            }
            404 => Ok(None),
            401 | 403 => Err(SyncError::Credentials { status }),
            300..=499 => {
                let location = location(&response);
                let start = read_start(&mut response).await;
                Err(wrong_address(
                    status,
                    &self.updates_url,
                    location.as_deref(),
                    &short_text(&start),
                ))
            }
            _ => Err(SyncError::Server { status }),
        }
    }

    /// The records URL, as staff are told to check it.
    pub fn records_url(&self) -> &Url {
        &self.records_url
    }

    async fn post(&self, url: &Url, body: Vec<u8>) -> Result<reqwest::Response, SyncError> {
        self.http
            .post(url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| classify(&e))
    }
}

/// Reads the whole body, refusing one over `limit` bytes: one announced
/// that large is not read at all, one that keeps coming is dropped as soon
/// as it passes the limit.
async fn read_body(response: &mut reqwest::Response, limit: usize) -> Result<Vec<u8>, SyncError> {
    let too_large = || SyncError::AnswerTooLarge { limit };
    if response
        .content_length()
        .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e))? {
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The first [`ERROR_START_BYTES`] of an error answer, whatever follows;
/// a body that fails or stalls gives what arrived.
async fn read_start(response: &mut reqwest::Response) -> Vec<u8> {
    let mut start = Vec::new();
    while start.len() < ERROR_START_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = ERROR_START_BYTES - start.len();
                start.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
            }
            Ok(None) | Err(_) => break,
        }
    }
    start
}

/// The `Location` header of a redirect, shortened for staff.
fn location(response: &reqwest::Response) -> Option<String> {
    response.headers().get(LOCATION).map(|v| {
        crate::domain::sanitize::clean_line(&String::from_utf8_lossy(v.as_bytes()), SHOWN_CHARS)
    })
}

/// The contract's table for one answer to `POST /v1/records`; `body` is
/// the whole body of a 200, the start of any other.
fn answer_for(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
    url: &Url,
    location: Option<&str>,
) -> Answer {
    let code = status.as_u16();
    match code {
        200 => match parse_results(body) {
            Ok(results) => Answer::Results(results),
            Err(detail) => Answer::Failed(SyncError::Malformed { detail }),
        },
        401 | 403 => Answer::Failed(SyncError::Credentials { status: code }),
        413 => Answer::TooLarge {
            detail: short_text(body),
        },
        429 | 503 => match retry_after {
            Some(wait) => Answer::Failed(SyncError::Busy { status: code, wait }),
            None => Answer::Failed(SyncError::Server { status: code }),
        },
        400 | 422 => Answer::BadRequest {
            status: code,
            detail: short_text(body),
        },
        // 404, 405, 410 and the rest: a wrong URL or a proxy's page; and a
        // redirect, which the kiosk does not follow.
        300..=499 => Answer::Failed(wrong_address(code, url, location, &short_text(body))),
        // 5xx, and answers the contract does not list (1xx, other 2xx).
        _ => Answer::Failed(SyncError::Server { status: code }),
    }
}

/// The configuration problem of contract 1.1: the central system answers
/// `status` at `url`.
pub(crate) fn wrong_address(
    status: u16,
    url: &Url,
    location: Option<&str>,
    start: &str,
) -> SyncError {
    let mut detail = String::new();
    if let Some(to) = location {
        detail.push_str(&format!("it redirects to {to}"));
    }
    if !start.is_empty() {
        if !detail.is_empty() {
            detail.push_str("; ");
        }
        detail.push_str(&format!("its answer starts \"{start}\""));
    }
    SyncError::WrongAddress {
        status,
        url: url.to_string(),
        detail,
    }
}

/// The start of an answer body, on one line, for staff. Bodies come from
/// the central system, not from visitors; control, bidirectional and
/// invisible characters go.
pub(crate) fn short_text(body: &[u8]) -> String {
    crate::domain::sanitize::clean_line(&String::from_utf8_lossy(body), SHOWN_CHARS)
}

/// Parses `url` and refuses plain HTTP except to loopback.
pub fn checked_url(url: &str) -> Result<Url, SyncError> {
    if url.trim().is_empty() {
        return Err(SyncError::NotConfigured);
    }
    let parsed = Url::parse(url.trim()).map_err(|e| SyncError::BadUrl {
        url: url.into(),
        detail: e.to_string(),
    })?;
    let loopback = parsed.host_str().is_some_and(|host| {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        _ => Err(SyncError::InsecureUrl { url: url.into() }),
    }
}

fn join(base: &Url, path: &str, original: &str) -> Result<Url, SyncError> {
    // "https://host/api" + "v1/records" must give "https://host/api/v1/records".
    let mut base = base.clone();
    if !base.path().ends_with('/') {
        let with_slash = format!("{}/", base.path());
        base.set_path(&with_slash);
    }
    base.join(path).map_err(|e| SyncError::BadUrl {
        url: original.into(),
        detail: e.to_string(),
    })
}

/// Every certificate in the PEM file at `path` (a root, or a chain).
fn read_ca(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, SyncError> {
    let bad = |detail: String| SyncError::CaFile {
        path: path.to_path_buf(),
        detail,
    };
    let pem = crate::config::read_bounded(path, MAX_CA_BYTES).map_err(|e| bad(e.to_string()))?;
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(bad("no certificate in it".into()));
    }
    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(error_chain(&e)))
}

/// Sorts a transport failure into the kinds the staff screen names.
fn classify(err: &reqwest::Error) -> SyncError {
    if err.is_timeout() {
        return SyncError::Timeout;
    }
    let detail = error_chain(err);
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match io.kind() {
                ConnectionRefused | HostUnreachable | NetworkUnreachable | AddrNotAvailable => {
                    return SyncError::Unreachable { detail };
                }
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
                    return SyncError::ConnectionBroken { detail };
                }
                TimedOut => return SyncError::Timeout,
                _ => {}
            }
        }
        source = e.source();
    }
    let lower = detail.to_ascii_lowercase();
    if ["certificate", "tls", "handshake"]
        .iter()
        .any(|w| lower.contains(w))
    {
        SyncError::Tls { detail }
    } else if err.is_connect() {
        SyncError::Unreachable { detail }
    } else {
        SyncError::ConnectionBroken { detail }
    }
}

/// The error and its causes on one line.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        for ok in [
            "https://central.kovachevtsi.bg/api",
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://localhost:9000/x",
            "http://[::1]:8080",
        ] {
            assert!(checked_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://central.kovachevtsi.bg",
            "http://10.0.0.5",
            "http://127.0.0.1.evil.example",
            "ftp://127.0.0.1",
        ] {
            assert!(
                matches!(checked_url(bad), Err(SyncError::InsecureUrl { .. })),
                "{bad}"
            );
        }
        assert!(matches!(checked_url(""), Err(SyncError::NotConfigured)));
        assert!(matches!(
            checked_url("https://"),
            Err(SyncError::BadUrl { .. })
        ));
    }

    #[test]
    fn paths_are_added_below_the_configured_base() {
        for (base, want) in [
            ("https://c.bg", "https://c.bg/v1/records"),
            ("https://c.bg/", "https://c.bg/v1/records"),
            ("https://c.bg/api", "https://c.bg/api/v1/records"),
            ("https://c.bg/api/", "https://c.bg/api/v1/records"),
        ] {
            let url = join(&checked_url(base).unwrap(), "v1/records", base).unwrap();
            assert_eq!(url.as_str(), want);
        }
    }

    #[test]
    fn every_row_of_the_contract_table_has_its_answer() {
        let url = Url::parse("https://c.bg/v1/records").unwrap();
        let answer = |code: u16, wait: Option<Duration>, body: &[u8]| {
            answer_for(StatusCode::from_u16(code).unwrap(), wait, body, &url, None)
        };
        assert!(matches!(
            answer(200, None, br#"{"results":[]}"#),
            Answer::Results(_)
        ));
        assert!(matches!(
            answer(200, None, b"oops"),
            Answer::Failed(SyncError::Malformed { .. })
        ));
        for code in [401, 403] {
            assert!(matches!(
                answer(code, None, b""),
                Answer::Failed(SyncError::Credentials { .. })
            ));
        }
        assert!(matches!(answer(413, None, b""), Answer::TooLarge { .. }));
        let wait = Some(Duration::from_secs(7));
        for code in [429, 503] {
            assert!(matches!(
                answer(code, wait, b""),
                Answer::Failed(SyncError::Busy { wait: w, .. }) if w == Duration::from_secs(7)
            ));
            assert!(matches!(
                answer(code, None, b""),
                Answer::Failed(SyncError::Server { .. })
            ));
        }
        for code in [400, 422] {
            assert!(matches!(
                answer(code, None, b"bad\n kind"),
                Answer::BadRequest { status, detail } if status == code && detail == "bad kind"
            ));
        }
        for code in [404, 405, 410, 418, 301, 302, 307] {
            let Answer::Failed(err @ SyncError::WrongAddress { .. }) =
                answer(code, None, b"<html>Not here</html>")
            else {
                panic!("{code} is a configuration problem")
            };
            assert!(!err.is_permanent());
            assert!(
                err.plain_words().starts_with(&format!(
                    "the central system answers HTTP {code} at https://c.bg/v1/records: check [central] url"
                )),
                "{}",
                err.plain_words()
            );
        }
        for code in [500, 502, 504, 204, 100] {
            assert!(matches!(
                answer(code, None, b""),
                Answer::Failed(SyncError::Server { .. })
            ));
        }
    }

    #[test]
    fn a_redirect_names_where_it_points() {
        let url = Url::parse("https://c.bg/v1/records").unwrap();
        let err = wrong_address(301, &url, Some("https://evil.example/"), "");
        assert!(
            err.to_string()
                .contains("redirects to https://evil.example/"),
            "{err}"
        );
    }

    #[test]
    fn the_start_of_an_error_answer_is_one_short_clean_line() {
        let long = format!("<html>\n\t{}\u{7}</html>", "x".repeat(1000));
        let text = short_text(long.as_bytes());
        assert_eq!(text.chars().count(), 200);
        assert!(!text.contains('\n') && !text.contains('\u{7}'));
        assert_eq!(short_text(b"\xff\xfebad"), "\u{fffd}\u{fffd}bad");
    }

    #[test]
    fn the_updates_path_carries_the_kiosk_id() {
        let settings = super::super::settings::for_tests("https://c.bg/api");
        let client = CentralClient::new(&settings, "t").unwrap();
        assert_eq!(
            client.updates_url.as_str(),
            "https://c.bg/api/v1/kiosks/k/updates"
        );
    }

    /// A self-signed test certificate (CN central.test), not used anywhere.
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBgjCCASmgAwIBAgIURg3B8t0OBhyNhzpL+pNJ1mTaka0wCgYIKoZIzj0EAwIw\nFzEVMBMGA1UEAwwMY2VudHJhbC50ZXN0MB4XDTI2MTEyMzIxMTcwNloXDTM2MTEy\nMDIxMTcwNlowFzEVMBMGA1UEAwwMY2VudHJhbC50ZXN0MFkwEwYHKoZIzj0CAQYI\nKoZIzj0DAQcDQgAEr3zUKgPyZk+BywMF4H9JVGWMt8sV70uptS51taIlILrDOrQk\ncyF4RBVDbh2RNWIdnKpTVCfy0pxOG9JvwH6ArKNTMFEwHQYDVR0OBBYEFHboG36/\nuPY2yWdOhfeuUUvhXLCLMB8GA1UdIwQYMBaAFHboG36/uPY2yWdOhfeuUUvhXLCL\nMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgNbz+E8DRKB+gi+Ie\n5273peChbxdJMKVx+SpCL/xMrhkCIAMV04m+bZIT4OwX5ht1khx/frel14qQ91XO\ndA5Nu2sr\n-----END CERTIFICATE-----\n";

    #[test]
    fn a_pem_ca_file_is_added_to_the_roots() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, format!("{TEST_CA}{TEST_CA}")).unwrap();
        assert_eq!(read_ca(&path).unwrap().len(), 2, "a chain is read whole");
        let settings = SyncSettings {
            ca_file: Some(path),
            batch_size: 1,
            ..super::super::settings::for_tests("https://central.test")
        };
        let client = CentralClient::new(&settings, "token").unwrap();
        assert_eq!(
            client.records_url.as_str(),
            "https://central.test/v1/records"
        );
    }

    #[test]
    fn a_ca_file_without_a_certificate_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate").unwrap();
        let err = read_ca(&path).unwrap_err();
        assert!(matches!(err, SyncError::CaFile { .. }));
        assert!(err.to_string().contains("ca.pem"));
    }
}
