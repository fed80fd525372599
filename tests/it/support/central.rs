//! A central system on 127.0.0.1 that fails on purpose, for the sync tests
//! and the drain benchmark.
//!
//! It speaks just enough HTTP/1.1 (keep-alive, Content-Length bodies),
//! checks every field of the contract, deduplicates on the record id like
//! the real one, and keeps every record it took. Faults are drawn from a
//! seeded generator, so a failing run can be repeated. It runs on its own
//! thread and stops when dropped or after `LIFETIME`, whichever is first.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The server stops by itself after this long.
pub const LIFETIME: Duration = Duration::from_secs(90);
pub const TOKEN: &str = "test-token-kv1";

/// What the server does wrong, and how often.
#[derive(Debug, Clone)]
pub struct Faults {
    /// Share of record requests that get a random fault (0.0 to 1.0).
    pub rate: f64,
    pub seed: u64,
    /// How long a "slow" answer takes (longer than the kiosk's timeout).
    pub slow: Duration,
    /// Batches above this many records get 413.
    pub max_batch: usize,
    /// Records answered `rejected` every time.
    pub reject: HashSet<String>,
    /// Answer every record `rejected` with this reason.
    pub reject_all: Option<String>,
    /// Records that make the whole request a 422.
    pub unprocessable: HashSet<String>,
    /// Close every connection at once (a long outage).
    pub down: bool,
    /// Answer 401 to everything.
    pub refuse_token: bool,
    /// Never answer record requests (hold them for `LIFETIME`).
    pub stall: bool,
    /// `highest_numbers` for `GET /v1/kiosks/{id}/updates`; `None`: 404.
    pub highest_numbers: Option<Vec<(String, u32)>>,
    /// `answers` of the updates (served with `highest_numbers`).
    pub answers: Vec<Value>,
    /// The updates' `config` (served with `highest_numbers`).
    pub config: Value,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            rate: 0.0,
            seed: 1,
            slow: Duration::from_millis(600),
            max_batch: 1000,
            reject: HashSet::new(),
            reject_all: None,
            unprocessable: HashSet::new(),
            down: false,
            refuse_token: false,
            stall: false,
            highest_numbers: None,
            answers: Vec::new(),
            config: Value::Null,
        }
    }
}

/// What the server saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// Every record taken, by id, as received.
    pub held: HashMap<String, Value>,
    /// How many times each id was newly accepted (must stay 1).
    pub accepted: HashMap<String, u32>,
    pub requests: u64,
    pub faults: HashMap<&'static str, u64>,
    pub heartbeats: Vec<Value>,
    /// Paths of update requests, query included.
    pub updates: Vec<String>,
    /// Contract violations found in requests.
    pub violations: Vec<String>,
    /// Batch sizes received.
    pub batch_sizes: Vec<usize>,
}

struct Shared {
    faults: Mutex<Faults>,
    seen: Mutex<Seen>,
    rng: Mutex<StdRng>,
}

/// A running fake central system.
pub struct FakeCentral {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeCentral {
    pub fn start(faults: Faults) -> FakeCentral {
        let shared = Arc::new(Shared {
            rng: Mutex::new(StdRng::seed_from_u64(faults.seed)),
            faults: Mutex::new(faults),
            seen: Mutex::new(Seen::default()),
        });
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("local addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let inner = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                let serve = async {
                    loop {
                        let Ok((socket, _)) = listener.accept().await else {
                            continue;
                        };
                        tokio::spawn(connection(socket, inner.clone()));
                    }
                };
                tokio::select! {
                    _ = serve => {}
                    _ = stopped => {}
                    _ = tokio::time::sleep(LIFETIME) => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(100));
        });
        FakeCentral {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.shared.faults.lock().unwrap());
    }

    pub fn seen<R>(&self, f: impl FnOnce(&Seen) -> R) -> R {
        f(&self.shared.seen.lock().unwrap())
    }
}

impl Drop for FakeCentral {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Request {
    path: String,
    auth: String,
    body: Vec<u8>,
}

/// Reads one request; `None` at the end of the connection.
async fn read_request(socket: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Request> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let mut chunk = [0u8; 8192];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let mut length = 0usize;
    let mut auth = String::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = v.trim().parse().ok()?,
                "authorization" => auth = v.trim().to_string(),
                _ => {}
            }
        }
    }
    while buf.len() < head_end + length {
        let mut chunk = [0u8; 65536];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end..head_end + length].to_vec();
    buf.drain(..head_end + length);
    Some(Request { path, auth, body })
}

async fn respond(socket: &mut TcpStream, status: &str, extra: &str, body: &str) -> bool {
    let text = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    );
    socket.write_all(text.as_bytes()).await.is_ok()
}

/// Drops the connection with a TCP reset.
// A zero linger does not block on drop (the deprecation's concern): it
// sends the reset at once.
#[allow(deprecated)]
fn reset(socket: TcpStream) {
    let _ = socket.set_linger(Some(Duration::ZERO));
    drop(socket);
}

enum Fault {
    Status500,
    ResetBeforeAnswer,
    Slow,
    TooMany,
    Unavailable,
    LostAnswer,
    MissingResults,
    DuplicateAcks,
    Malformed,
}

const FAULTS: [Fault; 9] = [
    Fault::Status500,
    Fault::ResetBeforeAnswer,
    Fault::Slow,
    Fault::TooMany,
    Fault::Unavailable,
    Fault::LostAnswer,
    Fault::MissingResults,
    Fault::DuplicateAcks,
    Fault::Malformed,
];

async fn connection(mut socket: TcpStream, shared: Arc<Shared>) {
    let mut buf = Vec::new();
    loop {
        if shared.faults.lock().unwrap().down {
            return reset(socket);
        }
        let Some(req) = read_request(&mut socket, &mut buf).await else {
            return;
        };
        let faults = shared.faults.lock().unwrap().clone();
        if faults.refuse_token || req.auth != format!("Bearer {TOKEN}") {
            if !respond(&mut socket, "401 Unauthorized", "", "").await {
                return;
            }
            continue;
        }
        let keep = match req.path.as_str() {
            "/v1/heartbeat" => heartbeat(&mut socket, &shared, &req.body).await,
            "/v1/records" => records(socket, &shared, &faults, &req.body).await,
            p if p.starts_with("/v1/kiosks/") && p.contains("/updates") => {
                shared.seen.lock().unwrap().updates.push(p.to_string());
                match &faults.highest_numbers {
                    Some(highest) => {
                        let map: serde_json::Map<String, Value> =
                            highest.iter().map(|(k, n)| (k.clone(), json!(n))).collect();
                        let body = json!({"cursor": "c1", "answers": faults.answers,
                            "highest_numbers": map, "config": faults.config});
                        respond(&mut socket, "200 OK", "", &body.to_string()).await;
                    }
                    None => {
                        respond(&mut socket, "404 Not Found", "", "").await;
                    }
                }
                Some(socket)
            }
            _ => {
                respond(&mut socket, "404 Not Found", "", "").await;
                None
            }
        };
        match keep {
            Some(s) => socket = s,
            None => return,
        }
    }
}

async fn heartbeat(socket: &mut TcpStream, shared: &Shared, body: &[u8]) -> Option<TcpStream> {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    shared.seen.lock().unwrap().heartbeats.push(v);
    respond(socket, "204 No Content", "", "").await;
    None
}

/// Answers a records request; returns the socket if the connection stays open.
async fn records(
    mut socket: TcpStream,
    shared: &Shared,
    faults: &Faults,
    body: &[u8],
) -> Option<TcpStream> {
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let list = parsed["records"].as_array().cloned().unwrap_or_default();
    let fault = {
        let mut rng = shared.rng.lock().unwrap();
        let hit = rng.random_bool(faults.rate);
        let which = rng.random_range(0..FAULTS.len());
        hit.then_some(which)
    };
    {
        let mut seen = shared.seen.lock().unwrap();
        seen.requests += 1;
        seen.batch_sizes.push(list.len());
        check_envelope(&parsed, &mut seen.violations);
    }
    if faults.stall {
        tokio::time::sleep(LIFETIME).await;
        return None;
    }
    if list.len() > faults.max_batch {
        respond(&mut socket, "413 Payload Too Large", "", "").await;
        return Some(socket);
    }
    let ids: Vec<String> = list
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    if ids.iter().any(|id| faults.unprocessable.contains(id)) {
        respond(
            &mut socket,
            "422 Unprocessable Entity",
            "",
            "{\"error\":\"bad record\"}",
        )
        .await;
        return Some(socket);
    }
    let count =
        |name: &'static str| *shared.seen.lock().unwrap().faults.entry(name).or_insert(0) += 1;
    match fault.map(|i| &FAULTS[i]) {
        Some(Fault::Status500) => {
            count("500");
            respond(&mut socket, "500 Internal Server Error", "", "{}").await;
            return Some(socket);
        }
        Some(Fault::ResetBeforeAnswer) => {
            count("reset");
            reset(socket);
            return None;
        }
        Some(Fault::TooMany) => {
            count("429");
            respond(
                &mut socket,
                "429 Too Many Requests",
                "Retry-After: 1\r\n",
                "",
            )
            .await;
            return Some(socket);
        }
        Some(Fault::Unavailable) => {
            count("503");
            let date = "Retry-After: Thu, 01 Jan 2099 00:00:00 GMT\r\n";
            respond(&mut socket, "503 Service Unavailable", date, "").await;
            return Some(socket);
        }
        Some(Fault::Malformed) => {
            count("malformed");
            respond(&mut socket, "200 OK", "", "<html>proxy error</html>").await;
            return Some(socket);
        }
        _ => {}
    }
    // The records are taken before any of the remaining faults, as a real
    // server would have committed them before its answer went missing.
    let mut results = Vec::new();
    {
        let mut seen = shared.seen.lock().unwrap();
        for (record, id) in list.iter().zip(&ids) {
            if let Some(reason) = &faults.reject_all {
                results.push(json!({"id": id, "status": "rejected", "reason": reason}));
                continue;
            }
            if faults.reject.contains(id) {
                results.push(json!({"id": id, "status": "rejected", "reason": "unknown category"}));
                continue;
            }
            check_record(record, &mut seen.violations);
            let status = if seen.held.contains_key(id) {
                "duplicate"
            } else {
                seen.held.insert(id.clone(), record.clone());
                *seen.accepted.entry(id.clone()).or_insert(0) += 1;
                "accepted"
            };
            results.push(json!({"id": id, "status": status}));
        }
    }
    match fault.map(|i| &FAULTS[i]) {
        Some(Fault::Slow) => {
            count("slow");
            tokio::time::sleep(faults.slow).await;
        }
        Some(Fault::LostAnswer) => {
            count("lost answer");
            reset(socket);
            return None;
        }
        Some(Fault::MissingResults) => {
            count("missing results");
            let keep = results.len() / 2;
            results.truncate(keep);
        }
        Some(Fault::DuplicateAcks) => {
            count("duplicate acks");
            let again = results.clone();
            results.extend(again);
        }
        _ => {}
    }
    let body = json!({ "results": results }).to_string();
    respond(&mut socket, "200 OK", "", &body)
        .await
        .then_some(socket)
}

fn check_envelope(v: &Value, violations: &mut Vec<String>) {
    if v["kiosk_id"].as_str().is_none_or(str::is_empty) {
        violations.push("kiosk_id missing".into());
    }
    check_sofia_time(&v["sent_at"], "sent_at", violations);
    if !v["records"].is_array() {
        violations.push("records is not an array".into());
    }
}

fn check_record(r: &Value, violations: &mut Vec<String>) {
    let Some(obj) = r.as_object() else {
        violations.push("record is not an object".into());
        return;
    };
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort();
    if keys
        != [
            "clock_trusted",
            "created_at",
            "data",
            "id",
            "kind",
            "number",
        ]
    {
        violations.push(format!("record keys {keys:?}"));
    }
    if uuid::Uuid::parse_str(r["id"].as_str().unwrap_or(""))
        .map_or(true, |u| u.get_version_num() != 7)
    {
        violations.push(format!("id {} is not a UUIDv7", r["id"]));
    }
    let kind = r["kind"].as_str().unwrap_or("");
    if !["rating", "complaint", "staff_call"].contains(&kind) {
        violations.push(format!("kind {kind:?}"));
    }
    match (kind, &r["number"]) {
        ("complaint", Value::String(_)) | ("rating" | "staff_call", Value::Null) => {}
        (k, n) => violations.push(format!("{k} with number {n}")),
    }
    check_sofia_time(&r["created_at"], "created_at", violations);
    if !r["clock_trusted"].is_boolean() || !r["data"].is_object() {
        violations.push("clock_trusted or data has the wrong type".into());
    }
}

fn check_sofia_time(v: &Value, what: &str, violations: &mut Vec<String>) {
    let ok = v
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .is_some_and(|t| [7200, 10800].contains(&t.offset().local_minus_utc()));
    if !ok {
        violations.push(format!("{what} {v} is not RFC 3339 with a Sofia offset"));
    }
}

/// Waits (30 s at most) until the sync worker behind `handle` has read the
/// central system's updates once: at its start, with its first heartbeat.
pub fn wait_for_updates(handle: &kiosk::sync::SyncHandle) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while handle.snapshot().updates_read_at.is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the updates were never read"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}
