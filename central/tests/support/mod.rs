//! What the server's tests share: the app on a random loopback port with a
//! fresh database (SQLite file or PostgreSQL database), in the process
//! ([`TestApp`]) or as the real binary ([`ServerProcess`]), and the
//! records a kiosk sends.
#![allow(dead_code)]

pub mod postgres;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_central::app::{AppState, router};
use kiosk_central::config::{self, CentralConfig};
use kiosk_central::db::{self, Backend};
use serde_json::{Value, json};
use sqlx::AnyPool;

pub const KIOSK_1: &str = "kovachevtsi-lobby-1";
pub const KIOSK_2: &str = "kovachevtsi-village-2";

/// Both backends' variant of each test: `mod name { fn sqlite, fn postgres }`.
#[macro_export]
macro_rules! both {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = TestApp::spawn_with(Backend::Sqlite, "heartbeat_history = 10").await;
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $app = TestApp::spawn_with(Backend::Postgres, "heartbeat_history = 10").await;
                $body
            }
        })*
    };
}

/// A fresh database URL for `backend` (a SQLite file in `dir`).
pub async fn database_url(backend: Backend, dir: &Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite:{}", dir.join("central.db").display()),
        Backend::Postgres => postgres::fresh_database().await,
    }
}

/// Writes a central.toml into `dir` with `extra` lines under [server].
pub fn write_config(dir: &Path, url: &str, extra: &str) -> PathBuf {
    let path = dir.join("central.toml");
    std::fs::write(
        &path,
        format!("[server]\nlisten = \"127.0.0.1:0\"\n{extra}\n[database]\nurl = \"{url}\"\n"),
    )
    .unwrap();
    path
}

/// The app in this process.
pub struct TestApp {
    pub url: String,
    pub pool: AnyPool,
    pub config: CentralConfig,
    pub dir: tempfile::TempDir,
    pub client: reqwest::Client,
    pub token_1: String,
    pub token_2: String,
    pub backend: Backend,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, "").await
    }

    /// With `extra` lines in [server].
    pub async fn spawn_with(backend: Backend, extra: &str) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = database_url(backend, dir.path()).await;
        let path = write_config(dir.path(), &url, extra);
        let config = config::load(&path).unwrap();
        let pool = db::connect(&config.database_url(), 8).await.unwrap();
        db::migrate(&pool).await.unwrap();
        let token_1 = add_kiosk(&pool, KIOSK_1).await;
        let token_2 = add_kiosk(&pool, KIOSK_2).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(pool.clone(), config.clone());
        tokio::spawn(kiosk_central::serve::serve_app(
            listener,
            state.clone(),
            router(state),
            std::future::pending(),
        ));
        TestApp {
            url: format!("http://{addr}"),
            pool,
            config,
            dir,
            client: reqwest::Client::new(),
            token_1,
            token_2,
            backend,
        }
    }

    pub async fn post_records(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/v1/records", self.url))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Posts and returns the results as (id, status, reason).
    pub async fn deliver(&self, records: &[Value]) -> Vec<(String, String, Option<String>)> {
        let r = self
            .post_records(&self.token_1, &envelope(KIOSK_1, records))
            .await;
        assert_eq!(r.status(), 200);
        results(r.json().await.unwrap())
    }

    pub async fn updates(
        &self,
        token: &str,
        kiosk: &str,
        since: Option<&str>,
    ) -> reqwest::Response {
        let mut url = format!("{}/v1/kiosks/{kiosk}/updates", self.url);
        if let Some(s) = since {
            url.push_str(&format!("?since={s}"));
        }
        self.client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn count(&self, table: &'static str) -> i64 {
        let sql = match table {
            "records" => "SELECT COUNT(*) FROM records",
            "ratings" => "SELECT COUNT(*) FROM ratings",
            "complaints" => "SELECT COUNT(*) FROM complaints",
            "staff_calls" => "SELECT COUNT(*) FROM staff_calls",
            "heartbeats" => "SELECT COUNT(*) FROM heartbeats",
            "audit" => "SELECT COUNT(*) FROM audit",
            _ => panic!("no table {table}"),
        };
        let n: (i64,) = sqlx::query_as(sql).fetch_one(&self.pool).await.unwrap();
        n.0
    }
}

/// Adds a kiosk as `kiosk-central kiosk add` does; its token.
pub async fn add_kiosk(pool: &AnyPool, id: &str) -> String {
    let token = kiosk_central::token::generate();
    db::kiosks::upsert(
        pool,
        id,
        &kiosk_central::token::hash(&token),
        &db::now_text(),
    )
    .await
    .unwrap();
    token
}

pub fn results(body: Value) -> Vec<(String, String, Option<String>)> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["reason"].as_str().map(str::to_string),
            )
        })
        .collect()
}

pub fn envelope(kiosk: &str, records: &[Value]) -> Value {
    json!({ "kiosk_id": kiosk, "sent_at": "2026-11-23T10:42:07+02:00", "records": records })
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A rating as the kiosk sends it.
pub fn rating(id: &str) -> Value {
    json!({
        "id": id, "kind": "rating", "number": null,
        "created_at": "2026-11-23T10:41:55+02:00", "clock_trusted": true,
        "data": { "score": 2, "service": "2016", "desk": "registry", "reasons": ["waiting", "courtesy"],
                  "comment": "Бавно.", "lang": "bg" }
    })
}

/// A complaint as the kiosk sends it, with `number`.
pub fn complaint(id: &str, number: &str) -> Value {
    json!({
        "id": id, "kind": "complaint", "number": number,
        "created_at": "2026-11-23T10:45:12+02:00", "clock_trusted": true,
        "data": {
            "type": "complaint", "category": "service_quality", "text": "Чаках два часа.",
            "name": "Иван Петров", "address": "", "phone": "0888 123 456", "email": "",
            "anonymous": false, "health_safety": false, "flags": ["offensive_language"],
            "due_date": "2026-12-23", "lang": "bg", "check_code": "7K3QX9"
        }
    })
}

pub fn staff_call(id: &str) -> Value {
    json!({
        "id": id, "kind": "staff_call", "number": null,
        "created_at": "2026-11-23T10:50:00+02:00", "clock_trusted": false,
        "data": { "source": "button", "lang": "en" }
    })
}

/// The real `kiosk-central serve`, as a child process.
pub struct ServerProcess {
    pub child: Child,
    pub url: String,
    pub pid: u32,
    pub config: PathBuf,
}

pub fn central_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kiosk-central"))
}

/// Runs `kiosk-central --config CONFIG ARGS`; (success, stdout, stderr).
pub fn central_cli(config: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(central_bin())
        .arg("--config")
        .arg(config)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

impl ServerProcess {
    /// Starts `kiosk-central serve` with `config` and waits until it listens.
    pub fn start(config: &Path) -> ServerProcess {
        let mut child = Command::new(central_bin())
            .arg("serve")
            .arg("--config")
            .arg(config)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            let mut sent = false;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if !sent && let Some(rest) = line.split("listening on ").nth(1) {
                    let url = rest.split(',').next().unwrap_or("").trim().to_string();
                    let _ = tx.send(url);
                    sent = true;
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("kiosk-central serve did not say where it listens");
        let pid = child.id();
        ServerProcess {
            child,
            url,
            pid,
            config: config.to_path_buf(),
        }
    }

    /// Peak resident memory so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits until `f` holds, at most `limit`.
pub fn eventually(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    f()
}
