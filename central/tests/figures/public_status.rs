use crate::app::{App, complaint};

const BASE: &str = "status_url_base = \"https://desk.example.bg/r\"";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_right_code_shows_the_status_and_nothing_personal() {
    let app = App::spawn(BASE).await;
    app.deliver(&[complaint("KV1-2026-000042", "7K3QX9", "Мария Тодорова")])
        .await;
    let (status, html) = app.get("/r/KV1-2026-000042?c=7k3qx9").await;
    assert_eq!(status, 200);
    assert!(html.contains("KV1-2026-000042"));
    assert!(html.contains("23 ноември 2026 г.") && html.contains("23 декември 2026 г."));
    assert!(html.contains("Приета"));
    for personal in ["Мария", "Тодорова", "0888", "Първа", "Чаках"] {
        assert!(!html.contains(personal), "{personal} shown");
    }
    let (_, en) = app.get("/r/KV1-2026-000042?c=7K3QX9&lang=en").await;
    assert!(en.contains("Received") && en.contains("23 December 2026"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_number_and_a_wrong_code_get_the_same_bytes() {
    let app = App::spawn(BASE).await;
    app.deliver(&[complaint("KV1-2026-000042", "7K3QX9", "Мария Тодорова")])
        .await;
    let wrong = app
        .client
        .get(format!("{}/r/KV1-2026-000042?c=7K3QX8", app.url))
        .send()
        .await
        .unwrap();
    let unknown = app
        .client
        .get(format!("{}/r/KV1-2026-000043?c=7K3QX9", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), unknown.status());
    let (hw, hu) = (wrong.headers().clone(), unknown.headers().clone());
    assert_eq!(hw.get("content-type"), hu.get("content-type"));
    assert_eq!(hw.get("content-length"), hu.get("content-length"));
    // Not kept by a browser or a proxy, and no address leaks onwards.
    for h in [&hw, &hu] {
        assert_eq!(h["content-type"], "text/html; charset=utf-8");
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
    let (bw, bu) = (wrong.bytes().await.unwrap(), unknown.bytes().await.unwrap());
    assert_eq!(bw, bu);
    let (_, malformed) = app.get("/r/nonsense?c=zz").await;
    assert_eq!(malformed.as_bytes(), &bw[..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_eleventh_request_from_one_address_is_limited() {
    let app = App::spawn(BASE).await;
    for _ in 0..10 {
        assert_eq!(app.get("/r/KV1-2026-000001?c=AAAAAA").await.0, 200);
    }
    let (status, body) = app.get("/r/KV1-2026-000001?c=AAAAAA").await;
    assert_eq!(status, 429);
    assert!(body.contains("минута"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_base_there_is_no_status_page() {
    let app = App::spawn("").await;
    assert_eq!(app.get("/r/KV1-2026-000001?c=AAAAAA").await.0, 404);
}
