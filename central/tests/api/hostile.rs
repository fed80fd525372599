//! Clients that misbehave on purpose, against the real binary on SQLite:
//! a body over 1 MiB (declared or streamed), slow headers, a slow body,
//! hundreds of idle connections, wrong and foreign tokens, broken JSON,
//! and 10,000 records with bad fields among good ones. The good records are
//! taken, every other client is answered, and the server's peak memory
//! (VmHWM) stays bounded; the figure is printed.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::*;

/// Sends `head` (and `body`), then reads what comes back within `wait`:
/// the status code, or `None` when the server closed without an answer.
async fn raw(addr: &str, head: &str, body: &[u8], wait: Duration) -> Option<u16> {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    if !body.is_empty() {
        let _ = s.write_all(body).await;
    }
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    let read = tokio::time::timeout(wait, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    got.extend_from_slice(&buf[..n]);
                    if got.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the server neither answered nor closed within {wait:?}: {head}"
    );
    let text = String::from_utf8_lossy(&got);
    text.strip_prefix("HTTP/1.1 ")
        .and_then(|t| t.get(..3))
        .and_then(|c| c.parse().ok())
}

/// 1000 records, every third one bad in a different way; (body, good ids).
fn mixed_batch(kiosk: &str, batch: usize) -> (Value, Vec<String>) {
    let mut records = Vec::new();
    let mut good = Vec::new();
    for i in 0..1000 {
        let id = new_id();
        let mut r = match i % 3 {
            0 => rating(&id),
            1 => staff_call(&id),
            _ => complaint(&id, &format!("KV1-2026-{:06}", batch * 1000 + i + 1)),
        };
        if i % 3 == 2 {
            match (i / 3) % 4 {
                0 => r["kind"] = json!("survey"),
                1 => r["number"] = json!("KV1-2026-12"),
                2 => {
                    r["data"].as_object_mut().unwrap().remove("text");
                }
                _ => r["created_at"] = json!("yesterday"),
            }
        } else {
            good.push(id);
        }
        records.push(r);
    }
    (envelope(kiosk, &records), good)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_clients_get_bounded_time_and_memory_and_harm_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!("sqlite:{}", dir.path().join("central.db").display()),
        "header_timeout_secs = 2\nbody_timeout_secs = 3\n",
    );
    let (ok, token_1, err) = central_cli(&config, &["kiosk", "add", KIOSK_1, "--as", "test"]);
    assert!(ok, "{err}");
    let (ok, token_2, err) = central_cli(&config, &["kiosk", "add", KIOSK_2, "--as", "test"]);
    assert!(ok, "{err}");
    let (token_1, token_2) = (token_1.trim().to_string(), token_2.trim().to_string());
    let server = ServerProcess::start(&config);
    let addr = server.addr();
    let client = reqwest::Client::new();
    let post = |token: &str, body: &Value| {
        client
            .post(format!("{}/v1/records", server.url))
            .bearer_auth(token)
            .json(body)
            .timeout(Duration::from_secs(30))
            .send()
    };
    let idle_rss = server.peak_rss_kib();

    // Wrong token, another kiosk's token, broken JSON.
    let one = envelope(KIOSK_1, &[rating(&new_id())]);
    assert_eq!(post("wrong", &one).await.unwrap().status(), 401);
    assert_eq!(post(&token_2, &one).await.unwrap().status(), 403);
    let broken = client
        .post(format!("{}/v1/records", server.url))
        .bearer_auth(&token_1)
        .body("{\"kiosk_id\": \"kovachevtsi-lobby-1\", \"records\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);

    // A body declared over 1 MiB: 413 before a byte of it is sent.
    let head = format!(
        "POST /v1/records HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token_1}\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
    );
    assert_eq!(
        raw(&addr, &head, b"", Duration::from_secs(5)).await,
        Some(413)
    );
    // Streamed (chunked) past 1 MiB: 413, the rest never read.
    let head = format!(
        "POST /v1/records HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token_1}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
    let body = chunk.repeat(40);
    assert_eq!(
        raw(&addr, &head, body.as_bytes(), Duration::from_secs(10)).await,
        Some(413)
    );

    // Slow headers: the connection is closed after header_timeout_secs.
    let started = Instant::now();
    assert_eq!(
        raw(
            &addr,
            "POST /v1/records HTTP/1.1\r\nHost: x\r\n",
            b"",
            Duration::from_secs(10)
        )
        .await,
        None
    );
    assert!(started.elapsed() < Duration::from_secs(8));
    // A slow body: 408 after body_timeout_secs.
    let head = format!(
        "POST /v1/records HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token_1}\r\nContent-Length: 1000\r\n\r\n"
    );
    assert_eq!(
        raw(&addr, &head, b"{\"kiosk_id\"", Duration::from_secs(10)).await,
        Some(408)
    );

    // Hundreds of idle connections: a kiosk still delivers.
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    let r = post(&token_1, &envelope(KIOSK_1, &[rating(&new_id())]))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // ... and the idle ones are let go after the header timeout.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut closed = 0;
    for s in &mut idle {
        let mut b = [0u8; 1];
        if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(200), s.read(&mut b)).await {
            closed += 1;
        }
    }
    assert_eq!(closed, 300, "idle connections are closed");
    drop(idle);

    // 10,000 records, bad fields among good ones, ten requests at once.
    let mut sends = Vec::new();
    let mut all_good = Vec::new();
    for batch in 0..10 {
        let (body, good) = mixed_batch(KIOSK_1, batch);
        all_good.extend(good);
        sends.push(post(&token_1, &body));
    }
    let mut accepted = 0;
    let mut rejected = 0;
    for answer in futures_join(sends).await {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), 200);
        for (_, status, _) in results(answer.json().await.unwrap()) {
            match status.as_str() {
                "accepted" => accepted += 1,
                "rejected" => rejected += 1,
                other => panic!("{other}"),
            }
        }
    }
    assert_eq!(accepted, all_good.len());
    assert_eq!(rejected, 10_000 - all_good.len());

    // Nothing else harmed: the server still takes and answers.
    let r = post(&token_1, &envelope(KIOSK_1, &[staff_call(&new_id())]))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let u = client
        .get(format!("{}/v1/kiosks/{KIOSK_1}/updates", server.url))
        .bearer_auth(&token_1)
        .send()
        .await
        .unwrap();
    assert_eq!(u.status(), 200);
    let pool = kiosk_central::db::connect(
        &format!("sqlite:{}", dir.path().join("central.db").display()),
        1,
    )
    .await
    .unwrap();
    let held: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records")
        .fetch_one(&pool)
        .await
        .unwrap();
    // The good ones, the rating sent among the idle connections, the staff call.
    assert_eq!(held.0, i64::try_from(all_good.len()).unwrap() + 2);
    let peak = server.peak_rss_kib();
    eprintln!(
        "kiosk-central peak RSS (VmHWM): {} KiB after start, {} KiB after the hostile clients",
        idle_rss, peak
    );
    assert!(peak < 200 * 1024, "peak RSS {peak} KiB");
}

/// Runs the futures at once and gives their outputs in order.
async fn futures_join<F>(fs: Vec<F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
