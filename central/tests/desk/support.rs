//! What the desk's tests share: the real app on a random loopback port with
//! a fresh SQLite database, a kiosk that delivers complaints through the
//! contract's intake, people of each role, and a client that keeps its
//! session cookie like a browser.
#![allow(dead_code)]

#[path = "../support/postgres.rs"]
mod postgres;

use std::collections::HashMap;
use std::path::PathBuf;

use kiosk_central::app::{AppState, router};
use kiosk_central::config::{self, CentralConfig};
use kiosk_central::db::{self, Backend, kiosks};
use kiosk_central::desk::auth::{Role, set_user};
use kiosk_central::token;
use serde_json::{Value, json};
use sqlx::AnyPool;

pub const KIOSK: &str = "kovachevtsi-lobby-1";
pub const PASSWORD: &str = "parola-za-test";

pub struct Desk {
    pub url: String,
    pub pool: AnyPool,
    pub config: CentralConfig,
    pub dir: tempfile::TempDir,
    pub kiosk_token: String,
}

impl Desk {
    /// The app with a kiosk and one person of each role: `clerk`,
    /// `viewer`, `admin`, all with [`PASSWORD`].
    pub async fn spawn() -> Desk {
        Self::spawn_on(Backend::Sqlite).await
    }

    /// The same on `backend` (a PostgreSQL database of the tests' own).
    pub async fn spawn_on(backend: Backend) -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("central.toml");
        let url = match backend {
            Backend::Sqlite => format!("sqlite:{}", dir.path().join("central.db").display()),
            Backend::Postgres => postgres::fresh_database().await,
        };
        std::fs::write(
            &path,
            format!("[server]\nlisten = \"127.0.0.1:0\"\n[database]\nurl = \"{url}\"\n"),
        )
        .unwrap();
        let config = config::load(&path).unwrap();
        let pool = db::connect(&config.database_url(), 8).await.unwrap();
        db::migrate(&pool).await.unwrap();
        let kiosk_token = token::generate();
        kiosks::upsert(&pool, KIOSK, &token::hash(&kiosk_token), &db::now_text())
            .await
            .unwrap();
        for (name, role) in [
            ("clerk", Role::Clerk),
            ("viewer", Role::Viewer),
            ("admin", Role::Admin),
        ] {
            set_user(&pool, name, role, PASSWORD, "test").await.unwrap();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(pool.clone(), config.clone());
        tokio::spawn(kiosk_central::serve::serve_app(
            listener,
            state.clone(),
            router(state),
            std::future::pending(),
        ));
        Desk {
            url: format!("http://{addr}"),
            pool,
            config,
            dir,
            kiosk_token,
        }
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("central.toml")
    }

    /// Delivers complaints as the kiosk does; each is (number, data fields
    /// over the defaults).
    pub async fn deliver(&self, complaints: &[(&str, Value)]) {
        let records: Vec<Value> = complaints
            .iter()
            .map(|(number, extra)| {
                let mut data = json!({
                    "type": "complaint", "category": "service_quality",
                    "text": "Чаках два часа на гише 3.",
                    "name": "Мария Иванова", "address": "с. Ковачевци, ул. Първа 1",
                    "phone": "0888123456", "email": "maria@example.bg",
                    "anonymous": false, "health_safety": false, "flags": [],
                    "due_date": "2026-12-23", "lang": "bg", "check_code": "7KQ2XM"
                });
                if let (Some(d), Some(e)) = (data.as_object_mut(), extra.as_object()) {
                    for (k, v) in e {
                        d.insert(k.clone(), v.clone());
                    }
                }
                json!({
                    "id": uuid::Uuid::now_v7().to_string(),
                    "kind": "complaint",
                    "number": number,
                    "created_at": "2026-11-23T10:45:12+02:00",
                    "clock_trusted": true,
                    "data": data,
                })
            })
            .collect();
        let r = reqwest::Client::new()
            .post(format!("{}/v1/records", self.url))
            .bearer_auth(&self.kiosk_token)
            .json(&json!({ "kiosk_id": KIOSK, "sent_at": "2026-11-23T10:46:00+02:00", "records": records }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        for res in body["results"].as_array().unwrap() {
            assert_eq!(res["status"], "accepted", "{res}");
        }
    }

    /// A client with no session.
    pub fn nobody(&self) -> Client {
        Client {
            base: self.url.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            csrf: String::new(),
        }
    }

    /// A client logged in as `name`.
    pub async fn login(&self, name: &str) -> Client {
        let mut c = self.nobody();
        let r = c.log_in(name, PASSWORD).await;
        assert_eq!(r.status, 303, "{name} could not log in: {}", r.body);
        c.csrf_from("/desk/complaints").await;
        c
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        let n: (i64,) = sqlx::query_as(sql).fetch_one(&self.pool).await.unwrap();
        n.0
    }
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub body: String,
}

/// A client that keeps cookies like a browser.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub cookies: HashMap<String, String>,
    /// The session's form token, read from a page.
    pub csrf: String,
}

impl Client {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, r: reqwest::Response) -> Page {
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (status, location, content_type) = (
            r.status().as_u16(),
            header("location"),
            header("content-type"),
        );
        let bytes = r.bytes().await.unwrap().to_vec();
        Page {
            status,
            location,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    /// Posts a form as given (no token added).
    pub async fn post_raw(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.read(r).await
    }

    /// Posts a form with the session's token, as the page's form does.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        self.post_raw(path, &all).await
    }

    pub async fn log_in(&mut self, name: &str, password: &str) -> Page {
        let page = self.get("/desk/login").await;
        let token = hidden(&page.body, "csrf");
        self.post_raw(
            "/desk/login",
            &[("csrf", &token), ("name", name), ("password", password)],
        )
        .await
    }

    /// Reads the session's form token from a page.
    pub async fn csrf_from(&mut self, path: &str) {
        let page = self.get(path).await;
        self.csrf = hidden(&page.body, "csrf");
    }
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| {
            panic!("no hidden {name} in the page:\n{html}");
        });
    html[start..].split('"').next().unwrap().to_owned()
}
