//! The load: `kiosks` clients, each on one keep-alive HTTP/1.1 connection
//! as a kiosk has, sending its share of the records in batches one after
//! another, all clients at once. Bodies are made before the clock starts,
//! so that the figures are the server's and the loopback's, not JSON
//! writing in the client.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use kiosk_rules::domain::numbering::ReceiptNumber;
use serde_json::{Value, json};

/// One kiosk's requests, ready to send.
pub struct Kiosk {
    pub id: String,
    pub token: String,
    pub bodies: Vec<Bytes>,
}

/// What one kiosk saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Time of each request, from the first byte sent to the last read.
    pub request_times: Vec<Duration>,
    pub accepted: u64,
    /// Results other than `accepted` (there should be none).
    pub other: u64,
}

/// The `index`th record of kiosk number `kiosk`: mostly ratings, one in
/// twenty a complaint with its receipt number, one in twenty a staff call,
/// as a lobby sees them.
pub fn record(kiosk: usize, index: usize) -> anyhow::Result<Value> {
    let id = uuid::Uuid::now_v7().to_string();
    Ok(match index % 20 {
        0 => {
            let sequence = u32::try_from(index / 20 + 1)?;
            let number = ReceiptNumber::new(&format!("B{kiosk}"), 2026, sequence)?;
            json!({
                "id": id, "kind": "complaint", "number": number.to_string(),
                "created_at": "2026-11-23T10:45:12+02:00", "clock_trusted": true,
                "data": {
                    "type": "complaint", "category": "service_quality",
                    "text": "Чаках два часа на гишето, без никой да обясни защо.",
                    "name": "Иван Петров", "address": "", "phone": "0888 123 456", "email": "",
                    "anonymous": false, "health_safety": false, "flags": [],
                    "due_date": "2026-12-23", "lang": "bg", "check_code": "7K3QX9"
                }
            })
        }
        10 => json!({
            "id": id, "kind": "staff_call", "number": null,
            "created_at": "2026-11-23T10:50:00+02:00", "clock_trusted": true,
            "data": { "source": "button", "lang": "bg" }
        }),
        _ => json!({
            "id": id, "kind": "rating", "number": null,
            "created_at": "2026-11-23T10:41:55+02:00", "clock_trusted": true,
            "data": {
                "score": 1 + index % 4, "service": "2016", "desk": "registry",
                "reasons": ["waiting"], "comment": "", "lang": "bg"
            }
        }),
    })
}

/// Kiosk number `kiosk`'s `records` records in bodies of `batch`.
pub fn bodies(
    kiosk_id: &str,
    kiosk: usize,
    records: usize,
    batch: usize,
) -> anyhow::Result<Vec<Bytes>> {
    let all = (0..records)
        .map(|i| record(kiosk, i))
        .collect::<anyhow::Result<Vec<_>>>()?;
    all.chunks(batch.max(1))
        .map(|chunk| {
            let envelope = json!({
                "kiosk_id": kiosk_id,
                "sent_at": "2026-11-23T10:55:00+02:00",
                "records": chunk,
            });
            Ok(Bytes::from(serde_json::to_vec(&envelope)?))
        })
        .collect()
}

/// Sends one kiosk's bodies to the server at `addr`, one after another.
pub async fn run_kiosk(addr: String, kiosk: Kiosk) -> anyhow::Result<Outcome> {
    let stream = tokio::net::TcpStream::connect(&addr)
        .await
        .with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_nodelay(true)?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    let driver = tokio::spawn(connection);
    let mut outcome = Outcome::default();
    let bearer = format!("Bearer {}", kiosk.token);
    for body in kiosk.bodies {
        let request = Request::post("/v1/records")
            .header(header::HOST, &addr)
            .header(header::AUTHORIZATION, &bearer)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))?;
        let start = Instant::now();
        let response = sender.send_request(request).await?;
        let status = response.status();
        let answer = response.into_body().collect().await?.to_bytes();
        outcome.request_times.push(start.elapsed());
        if status != StatusCode::OK {
            bail!(
                "kiosk {} got HTTP {status}: {}",
                kiosk.id,
                String::from_utf8_lossy(answer.get(..answer.len().min(300)).unwrap_or_default())
            );
        }
        count_results(&answer, &mut outcome)?;
    }
    drop(sender);
    driver.abort();
    Ok(outcome)
}

/// Adds the answer's per-record results to `outcome`.
fn count_results(answer: &[u8], outcome: &mut Outcome) -> anyhow::Result<()> {
    let value: Value = serde_json::from_slice(answer).context("the answer is not JSON")?;
    let results = value
        .get("results")
        .and_then(Value::as_array)
        .context("the answer has no results")?;
    for r in results {
        if r.get("status").and_then(Value::as_str) == Some("accepted") {
            outcome.accepted += 1;
        } else {
            outcome.other += 1;
        }
    }
    Ok(())
}

/// The `q` quantile (0..=1) of sorted `times`, nearest rank.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted.len()) - 1;
    sorted.get(index).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&times, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&times, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&times, 1.0), Duration::from_millis(100));
        assert_eq!(quantile(&[], 0.99), Duration::ZERO);
    }

    #[test]
    fn every_record_the_bench_sends_is_one_the_server_takes() {
        use crate::intake::judge::{self, Verdict};
        for i in 0..40 {
            let json = serde_json::to_string(&record(3, i).unwrap()).unwrap();
            let raw = serde_json::value::RawValue::from_string(json.clone()).unwrap();
            let verdict = judge::record(&raw);
            assert!(
                matches!(verdict, Verdict::Take(_)),
                "record {i} would not be taken: {verdict:?}"
            );
        }
    }

    #[test]
    fn bodies_hold_the_batches_in_order() {
        let b = bodies("k", 1, 250, 100).unwrap();
        assert_eq!(b.len(), 3);
        let last: Value = serde_json::from_slice(b.last().unwrap()).unwrap();
        assert_eq!(last["records"].as_array().unwrap().len(), 50);
        assert_eq!(last["kiosk_id"], "k");
    }
}
