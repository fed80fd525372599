//! `POST /v1/heartbeat`: 204, kept, with a bounded history per kiosk.

use kiosk_central::db::Backend;
use serde_json::json;

use crate::both;
use crate::support::*;

fn beat(kiosk: &str, n: i64) -> serde_json::Value {
    json!({ "kiosk_id": kiosk, "at": "2026-11-23T10:42:07+02:00", "version": "0.3.0",
            "outbox_pending": n, "oldest_pending_at": null, "printer": "paper_low",
            "clock_trusted": true, "config_version": null, "config_error": null, "held": 0, "rejected": 1 })
}

both! {
    async fn heartbeats_are_kept_and_their_history_bounded(app: TestApp) {
        for n in 0..15 {
            let r = app
                .client
                .post(format!("{}/v1/heartbeat", app.url))
                .bearer_auth(&app.token_1)
                .json(&beat(KIOSK_1, n))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 204);
        }
        // heartbeat_history is 10 in this test's central.toml.
        assert_eq!(app.count("heartbeats").await, 10);
        let last: (i64, String) = sqlx::query_as(
            "SELECT outbox_pending, printer FROM heartbeats ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(last, (14, "paper_low".to_string()));
    }

    async fn a_heartbeat_for_another_kiosk_or_without_token_is_refused(app: TestApp) {
        let send = |token: String, body: serde_json::Value| {
            let req = app.client.post(format!("{}/v1/heartbeat", app.url)).json(&body);
            async move { req.bearer_auth(token).send().await.unwrap().status() }
        };
        assert_eq!(send(app.token_2.clone(), beat(KIOSK_1, 1)).await, 403);
        assert_eq!(send("x".into(), beat(KIOSK_1, 1)).await, 401);
        assert_eq!(send(app.token_1.clone(), json!({ "at": "x" })).await, 400);
        let mut huge = beat(KIOSK_1, 1);
        huge["config_error"] = json!("x".repeat(70 * 1024));
        assert_eq!(send(app.token_1.clone(), huge).await, 413);
        assert_eq!(app.count("heartbeats").await, 0);
    }
}
