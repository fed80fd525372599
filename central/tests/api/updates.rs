//! `GET /v1/kiosks/{id}/updates`: answers after the cursor, oldest first;
//! the cursor only moves forward; `highest_numbers` from every kiosk;
//! `config` from the stored versions.

use chrono::NaiveDate;
use kiosk_central::complaints::actions::{self, Extension, Registration};
use kiosk_central::db::Backend;
use kiosk_central::kiosk_config;
use serde_json::{Value, json};

use crate::both;
use crate::support::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn get(app: &TestApp, since: Option<&str>) -> Value {
    let r = app.updates(&app.token_1, KIOSK_1, since).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

both! {
    async fn highest_numbers_come_from_every_kiosk(app: TestApp) {
        let first = get(&app, None).await;
        assert_eq!(first["highest_numbers"], json!({}));
        assert_eq!(first["answers"], json!([]));
        assert_eq!(first["config"], Value::Null);
        app.deliver(&[
            complaint(&new_id(), "KV1-2026-000041"),
            complaint(&new_id(), "KV1-2026-000042"),
            complaint(&new_id(), "KV1-2025-000300"),
        ])
        .await;
        let r = app
            .post_records(
                &app.token_2,
                &envelope(KIOSK_2, &[complaint(&new_id(), "KV2-2026-000007"), complaint(&new_id(), "KV1-2026-000057")]),
            )
            .await;
        assert_eq!(r.status(), 200);
        let u = get(&app, None).await;
        assert_eq!(
            u["highest_numbers"],
            json!({ "KV1-2026": 57, "KV1-2025": 300, "KV2-2026": 7 })
        );
    }

    async fn answers_come_once_oldest_first_after_the_cursor(app: TestApp) {
        app.deliver(&[
            complaint(&new_id(), "KV1-2026-000001"),
            complaint(&new_id(), "KV1-2026-000002"),
        ])
        .await;
        let r = app
            .post_records(&app.token_2, &envelope(KIOSK_2, &[complaint(&new_id(), "KV2-2026-000001")]))
            .await;
        assert_eq!(r.status(), 200);
        let today = day("2026-12-06");
        let reg = Registration { registry_number: "94-00-12".into(), registered_on: day("2026-11-24") };
        actions::register(&app.pool, "KV1-2026-000001", &reg, "Мария", today).await.unwrap();
        actions::answer(&app.pool, "KV2-2026-000001", day("2026-12-01"), "Мария", today).await.unwrap();
        let x = Extension { new_due_date: day("2027-01-20"), reason: "Нужна е проверка на място.".into(), told_on: day("2026-12-02") };
        actions::extend(&app.pool, "KV1-2026-000002", &x, "Мария", today).await.unwrap();

        let u = get(&app, None).await;
        assert_eq!(
            u["answers"],
            json!([
                { "number": "KV1-2026-000001", "status": "registered", "registry_number": "94-00-12", "registered_on": "2026-11-24" },
                { "number": "KV1-2026-000002", "status": "extended", "new_due_date": "2027-01-20" }
            ]),
            "only this kiosk's complaints, oldest first"
        );
        let cursor = u["cursor"].as_str().unwrap().to_string();
        let again = get(&app, Some(&cursor)).await;
        assert_eq!(again["answers"], json!([]));
        assert_eq!(again["cursor"], json!(cursor));

        actions::answer(&app.pool, "KV1-2026-000001", day("2026-12-05"), "Петър", today).await.unwrap();
        let next = get(&app, Some(&cursor)).await;
        assert_eq!(
            next["answers"],
            json!([{ "number": "KV1-2026-000001", "status": "answered", "answered_on": "2026-12-05" }])
        );
        let newer: i64 = next["cursor"].as_str().unwrap().parse().unwrap();
        assert!(newer > cursor.parse::<i64>().unwrap());

        // The cursor never goes back; a cursor the server cannot read is
        // the start.
        assert_eq!(get(&app, Some("999999")).await["cursor"], json!("999999"));
        assert_eq!(get(&app, Some("c-17")).await["answers"].as_array().unwrap().len(), 3);
    }

    async fn config_is_the_newest_checked_version(app: TestApp) {
        let shipped = include_str!("../../../kiosk.toml");
        let section = shipped
            .split("\n[hours]")
            .nth(1)
            .and_then(|s| s.split("\n[calendar]").next())
            .map(|s| format!("[hours]{s}"))
            .unwrap();
        kiosk_config::save_version(&app.pool, KIOSK_1, "2026-12-01.1", &section, "admin").await.unwrap();
        let refused = kiosk_config::save_version(&app.pool, KIOSK_1, "2026-12-01.2", "[printer]\ncolumns = 32\n", "admin").await;
        assert!(refused.unwrap_err().to_string().contains("printer"));
        let bad = kiosk_config::save_version(&app.pool, KIOSK_1, "2026-12-01.3", "[hours]\nmonday = 1\n", "admin").await;
        assert!(bad.is_err());
        let u = get(&app, None).await;
        assert_eq!(u["config"]["version"], json!("2026-12-01.1"));
        assert_eq!(u["config"]["toml"], json!(section));
        let other: Value = app.updates(&app.token_2, KIOSK_2, None).await.json().await.unwrap();
        assert_eq!(other["config"], Value::Null);
    }

    async fn updates_need_the_kiosks_own_token(app: TestApp) {
        assert_eq!(app.updates(&app.token_2, KIOSK_1, None).await.status(), 403);
        assert_eq!(app.updates("nope", KIOSK_1, None).await.status(), 401);
    }
}
