//! What the desk's tests share: the server's own test app (`../support`,
//! a fresh SQLite or PostgreSQL database on a random loopback port), a
//! kiosk that delivers complaints through the contract's intake, people of
//! each role, and a client that keeps its cookies like a browser.
#![allow(dead_code)]

use std::collections::HashMap;

use kiosk_central::db::Backend;
use kiosk_central::desk::auth::{Role, set_user};
use serde_json::{Value, json};

#[path = "../support/mod.rs"]
mod common;

#[allow(unused_imports)]
pub use common::KIOSK_1 as KIOSK;
pub const PASSWORD: &str = "parola-za-test";

/// The server's own test app, with people to log in.
pub struct Desk {
    pub app: common::TestApp,
    pub url: String,
    pub pool: sqlx::AnyPool,
    pub kiosk_token: String,
}

impl Desk {
    pub async fn spawn() -> Desk {
        Self::spawn_on(Backend::Sqlite).await
    }

    /// The app on `backend` with one person of each role: `clerk`,
    /// `viewer`, `admin`, all with [`PASSWORD`].
    pub async fn spawn_on(backend: Backend) -> Desk {
        let app = common::TestApp::spawn(backend).await;
        for (name, role) in [
            ("clerk", Role::Clerk),
            ("viewer", Role::Viewer),
            ("admin", Role::Admin),
        ] {
            set_user(&app.pool, name, role, PASSWORD, "test")
                .await
                .unwrap();
        }
        Desk {
            url: app.url.clone(),
            pool: app.pool.clone(),
            kiosk_token: app.token_1.clone(),
            app,
        }
    }

    /// Delivers complaints as the kiosk does; each is (number, data fields
    /// over the defaults).
    pub async fn deliver(&self, complaints: &[(&str, Value)]) {
        let records: Vec<Value> = complaints
            .iter()
            .map(|(number, extra)| {
                let mut record = common::complaint(&uuid::Uuid::now_v7().to_string(), number);
                let mine = json!({
                    "text": "Чаках два часа на гише 3.",
                    "name": "Мария Иванова", "address": "с. Ковачевци, ул. Първа 1",
                    "phone": "0888123456", "email": "maria@example.bg",
                    "flags": [], "check_code": "7KQ2XM"
                });
                let data = record["data"].as_object_mut().unwrap();
                for (k, v) in mine
                    .as_object()
                    .unwrap()
                    .iter()
                    .chain(extra.as_object().unwrap())
                {
                    data.insert(k.clone(), v.clone());
                }
                record
            })
            .collect();
        for (id, status, reason) in self.app.deliver(&records).await {
            assert_eq!(status, "accepted", "{id}: {reason:?}");
        }
    }

    /// The real `kiosk-central serve` on this app's database, for figures
    /// of its own process (memory).
    pub fn server_process(&self) -> common::ServerProcess {
        common::ServerProcess::start(&self.app.dir.path().join("central.toml"))
    }

    /// A client with no session.
    pub fn nobody(&self) -> Client {
        self.client_for(&self.url)
    }

    /// A client with no session, of the server at `url`.
    pub fn client_for(&self, url: &str) -> Client {
        Client {
            base: url.to_owned(),
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
