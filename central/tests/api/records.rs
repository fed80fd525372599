//! `POST /v1/records`: judged one by one, acknowledged after commit,
//! deduplicated on (kiosk, id), 400/401/403/413 as the contract says.

use kiosk_central::db::Backend;
use serde_json::json;

use crate::both;
use crate::support::*;

both! {
    async fn the_kiosks_records_are_stored_as_typed_rows(app: TestApp) {
        let (r, c, s) = (new_id(), new_id(), new_id());
        let got = app
            .deliver(&[rating(&r), complaint(&c, "KV1-2026-000042"), staff_call(&s)])
            .await;
        assert_eq!(
            got,
            vec![
                (r.clone(), "accepted".into(), None),
                (c.clone(), "accepted".into(), None),
                (s.clone(), "accepted".into(), None)
            ]
        );
        assert_eq!(app.count("records").await, 3);
        let rating_row: (i64, Option<String>, Option<String>, String, String) = sqlx::query_as(
            "SELECT score, service, desk, reasons, comment FROM ratings WHERE record_id = $1",
        )
        .bind(&r)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(rating_row.0, 2);
        assert_eq!(rating_row.2.as_deref(), Some("registry"));
        assert_eq!(rating_row.3, r#"["waiting","courtesy"]"#);
        assert_eq!(rating_row.4, "Бавно.");
        let c_row: (String, Option<String>, String, String, String, i64, Option<String>, String) = sqlx::query_as(
            "SELECT number, check_code, type, name, flags, anonymous, due_date, filed_on FROM complaints WHERE record_id = $1",
        )
        .bind(&c)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(c_row.0, "KV1-2026-000042");
        assert_eq!(c_row.1.as_deref(), Some("7K3QX9"));
        assert_eq!(c_row.2, "complaint");
        assert_eq!(c_row.3, "Иван Петров");
        assert_eq!(c_row.4, r#"["offensive_language"]"#);
        assert_eq!(c_row.5, 0);
        assert_eq!(c_row.6.as_deref(), Some("2026-12-23"));
        assert_eq!(c_row.7, "2026-11-23");
        let s_row: (String, String, i64) =
            sqlx::query_as("SELECT source, lang, clock_trusted FROM staff_calls WHERE record_id = $1")
                .bind(&s)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        assert_eq!(s_row, ("button".into(), "en".into(), 0));
    }

    async fn every_complaint_type_is_taken_with_or_without_a_check_code(app: TestApp) {
        let mut records = Vec::new();
        for (i, t) in ["complaint", "signal", "proposal", "praise"].iter().enumerate() {
            let mut c = complaint(&new_id(), &format!("KV1-2026-{:06}", i + 1));
            c["data"]["type"] = json!(t);
            if i % 2 == 1 {
                c["data"].as_object_mut().unwrap().remove("check_code");
                c["data"]["due_date"] = json!(null);
                c["data"]["anonymous"] = json!(true);
            }
            records.push(c);
        }
        let got = app.deliver(&records).await;
        assert!(got.iter().all(|(_, s, _)| s == "accepted"), "{got:?}");
        assert_eq!(app.count("complaints").await, 4);
    }

    async fn a_second_copy_is_a_duplicate_and_the_first_is_kept(app: TestApp) {
        let id = new_id();
        let first = complaint(&id, "KV1-2026-000001");
        let mut changed = first.clone();
        changed["data"]["text"] = json!("Друг текст.");
        assert_eq!(app.deliver(std::slice::from_ref(&first)).await[0].1, "accepted");
        assert_eq!(app.deliver(&[changed]).await[0].1, "duplicate");
        assert_eq!(app.deliver(&[first.clone(), first]).await[0].1, "duplicate");
        let r = new_id();
        let twice = app.deliver(&[rating(&r), rating(&r)]).await;
        assert_eq!(twice[0].1, "accepted");
        assert_eq!(twice[1].1, "duplicate");
        assert_eq!(app.count("records").await, 2);
        assert_eq!(app.count("ratings").await, 1);
        let text: (String,) = sqlx::query_as("SELECT text FROM complaints WHERE record_id = $1")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(text.0, "Чаках два часа.");
    }

    async fn the_same_id_from_another_kiosk_is_another_record(app: TestApp) {
        let id = new_id();
        app.deliver(&[rating(&id)]).await;
        let r = app.post_records(&app.token_2, &envelope(KIOSK_2, &[rating(&id)])).await;
        assert_eq!(results(r.json().await.unwrap())[0].1, "accepted");
        assert_eq!(app.count("ratings").await, 2);
    }

    async fn each_bad_record_is_rejected_alone_and_the_others_taken(app: TestApp) {
        let good = [new_id(), new_id()];
        let bad: Vec<(String, serde_json::Value, &str)> = {
            let mut unknown_kind = rating(&new_id());
            unknown_kind["kind"] = json!("petition");
            let bad_number = complaint(&new_id(), "KV1-26-42");
            let mut missing = rating(&new_id());
            missing["data"].as_object_mut().unwrap().remove("score");
            let mut bad_time = rating(&new_id());
            bad_time["created_at"] = json!("23.11.2026 10:41");
            let mut bad_type = complaint(&new_id(), "KV1-2026-000009");
            bad_type["data"]["type"] = json!("appeal");
            [
                (unknown_kind, "unknown kind"),
                (bad_number, "does not match"),
                (missing, "score"),
                (bad_time, "RFC 3339"),
                (bad_type, "type"),
            ]
            .into_iter()
            .map(|(v, why)| (v["id"].as_str().unwrap().to_string(), v, why))
            .collect()
        };
        let mut records = vec![rating(&good[0])];
        records.extend(bad.iter().map(|(_, v, _)| v.clone()));
        records.push(json!({ "id": "not-a-uuid", "kind": "rating" }));
        records.push(complaint(&good[1], "KV1-2026-000010"));
        let got = app.deliver(&records).await;
        assert_eq!(got.len(), 7, "the record without a UUID is left out: {got:?}");
        assert_eq!(got[0], (good[0].clone(), "accepted".into(), None));
        assert_eq!(got[6], (good[1].clone(), "accepted".into(), None));
        for ((id, _, why), (got_id, status, reason)) in bad.iter().zip(&got[1..6]) {
            assert_eq!((id, status.as_str()), (got_id, "rejected"));
            assert!(reason.as_deref().unwrap().contains(why), "{why}: {reason:?}");
        }
        assert_eq!(app.count("records").await, 2);
    }

    async fn a_number_held_for_another_record_is_rejected(app: TestApp) {
        app.deliver(&[complaint(&new_id(), "KV1-2026-000005")]).await;
        let r = app
            .post_records(&app.token_2, &envelope(KIOSK_2, &[complaint(&new_id(), "KV1-2026-000005")]))
            .await;
        let got = results(r.json().await.unwrap());
        assert_eq!(got[0].1, "rejected");
        assert!(got[0].2.as_deref().unwrap().contains("receipt_prefix"), "{got:?}");
        assert_eq!(app.count("complaints").await, 1);
    }

    async fn a_body_that_is_not_the_contracts_json_is_400(app: TestApp) {
        for body in ["{\"kiosk_id\":", "[]", "{\"kiosk_id\":\"kovachevtsi-lobby-1\"}", "<html>"] {
            let r = app
                .client
                .post(format!("{}/v1/records", app.url))
                .bearer_auth(&app.token_1)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 400, "{body}");
        }
        assert_eq!(app.count("records").await, 0);
    }

    async fn tokens_are_checked_401_and_403(app: TestApp) {
        let body = envelope(KIOSK_1, &[rating(&new_id())]);
        let none = app
            .client
            .post(format!("{}/v1/records", app.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), 401);
        assert_eq!(app.post_records("0123456789abcdef", &body).await.status(), 401);
        let wrong_kiosk = app.post_records(&app.token_2, &body).await;
        assert_eq!(wrong_kiosk.status(), 403);
        kiosk_central::db::kiosks::revoke(&app.pool, KIOSK_1, "2026-12-01T00:00:00Z")
            .await
            .unwrap();
        assert_eq!(app.post_records(&app.token_1, &body).await.status(), 401);
        assert_eq!(app.count("records").await, 0);
    }

    async fn a_body_over_the_limit_is_413(app: TestApp) {
        let filler = "x".repeat(1024 * 1024);
        let body = envelope(KIOSK_1, &[json!({ "id": new_id(), "kind": "rating", "pad": filler })]);
        let r = app.post_records(&app.token_1, &body).await;
        assert_eq!(r.status(), 413);
        // Just under the limit is read and judged.
        let filler = "x".repeat(1000 * 1024);
        let body = envelope(KIOSK_1, &[json!({ "id": new_id(), "kind": "rating", "pad": filler })]);
        assert_eq!(app.post_records(&app.token_1, &body).await.status(), 200);
    }
}
