use serde_json::json;

use crate::app::{App, KIOSK};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_shows_each_kiosks_last_heartbeat_and_a_printer_out_of_paper() {
    let app = App::spawn("").await;
    let beat = json!({ "kiosk_id": KIOSK, "at": "2026-11-23T10:42:07+02:00", "version": "0.3.0",
        "outbox_pending": 7, "oldest_pending_at": "2026-11-23T09:00:00+02:00", "printer": "paper_out",
        "clock_trusted": false, "config_version": "2026-11-hours", "config_error": null, "held": 2, "rejected": 1 });
    let r = app
        .client
        .post(format!("{}/v1/heartbeat", app.url))
        .bearer_auth(&app.token)
        .json(&beat)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (status, html) = app.get("/desk/fleet").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("Принтерът на киоск {KIOSK} няма хартия")),
        "{html}"
    );
    let row = html.split("<tr><td>").nth(1).unwrap();
    assert!(row.starts_with(KIOSK));
    for cell in [
        "0.3.0",
        "7",
        "2 / 1",
        "paper_out",
        "НЕсверен",
        "2026-11-hours",
        "преди 0 мин",
    ] {
        assert!(row.contains(cell), "{cell} missing in {row}");
    }
    let (_, en) = app.get("/desk/fleet?lang=en").await;
    assert!(en.contains("is out of paper") && en.contains("NOT synchronised"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hour_that_does_not_exist_is_refused_naming_the_key_and_line() {
    let app = App::spawn("").await;
    let url = format!("{}/desk/kiosks/{KIOSK}/config", app.url);
    let bad = "[hours]\nopens = \"25:00\"\ncloses = \"17:00\"\nlunch_start = \"12:00\"\nlunch_end = \"12:30\"\n";
    let r = app
        .client
        .post(&url)
        .form(&[("toml", bad)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let problems = html.split("id=\"problems\"").nth(1).unwrap();
    assert!(
        problems.contains("ред 2: <code>hours.opens</code>"),
        "{problems}"
    );
    assert!(html.contains("25:00"), "the text stays in the textarea");

    let good = bad.replace("25:00", "08:00");
    let r = app
        .client
        .post(&url)
        .form(&[("toml", good.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Запазено като версия"));
    let history = html.split("id=\"history\"").nth(1).unwrap();
    assert_eq!(history.matches("Възстанови").count(), 1);
}
