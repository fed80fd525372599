//! The app on a random loopback port with a fresh database, kiosks added,
//! and the records a kiosk sends.

use kiosk_central::app::AppState;
use kiosk_central::config;
use kiosk_central::db;
use serde_json::{Value, json};

pub const KIOSK: &str = "kovachevtsi-lobby-1";

pub struct App {
    pub url: String,
    pub token: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl App {
    /// The app with `public` lines under [public] of central.toml.
    pub async fn spawn(public: &str) -> App {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("central.toml");
        std::fs::write(
            &path,
            format!(
                "[server]\nlisten = \"127.0.0.1:0\"\n[database]\nurl = \"sqlite:{}\"\n[public]\n{public}\n",
                dir.path().join("central.db").display()
            ),
        )
        .unwrap();
        let config = config::load(&path).unwrap();
        let pool = db::connect(&config.database_url(), 4).await.unwrap();
        db::migrate(&pool).await.unwrap();
        let token = kiosk_central::token::generate();
        db::kiosks::upsert(
            &pool,
            KIOSK,
            &kiosk_central::token::hash(&token),
            &db::now_text(),
        )
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(pool.clone(), config);
        // The figures pages are behind the desk's login in the server;
        // here they are reached directly, with the public status page.
        let mut app = kiosk_central::app::intake_router(state.clone()).merge(
            kiosk_central::figures::views()
                .merge(kiosk_central::figures::config_routes())
                .with_state(state.clone()),
        );
        if let Some(public) =
            kiosk_central::public::routes(pool.clone(), &state.config.public.status_url_base)
        {
            app = app.merge(public);
        }
        tokio::spawn(kiosk_central::serve::serve_app(
            listener,
            state,
            app,
            std::future::pending(),
        ));
        App {
            url: format!("http://{addr}"),
            token,
            client: reqwest::Client::new(),
            _dir: dir,
        }
    }

    pub async fn deliver(&self, records: &[Value]) {
        let body = json!({ "kiosk_id": KIOSK, "sent_at": "2026-11-23T10:42:07+02:00", "records": records });
        let r = self
            .client
            .post(format!("{}/v1/records", self.url))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        for res in v["results"].as_array().unwrap() {
            assert_eq!(res["status"], "accepted", "{res}");
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }
}

pub fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn rating(score: u8, at: &str, desk: &str, reasons: &[&str], comment: &str) -> Value {
    json!({
        "id": id(), "kind": "rating", "number": null, "created_at": at, "clock_trusted": true,
        "data": { "score": score, "service": "2016", "desk": desk, "reasons": reasons,
                  "comment": comment, "lang": "bg" }
    })
}

pub fn complaint(number: &str, code: &str, name: &str) -> Value {
    json!({
        "id": id(), "kind": "complaint", "number": number,
        "created_at": "2026-11-23T10:45:12+02:00", "clock_trusted": true,
        "data": {
            "type": "complaint", "category": "service_quality", "text": "Чаках два часа на гишето.",
            "name": name, "address": "ул. Първа 1", "phone": "0888 123 456", "email": "",
            "anonymous": false, "health_safety": false, "flags": [],
            "due_date": "2026-12-23", "lang": "bg", "check_code": code
        }
    })
}
