//! Heartbeats: kept as sent, a bounded history per kiosk.
//!
//! A heartbeat only informs; a field of the wrong type is kept as NULL
//! (and in `raw`), never a reason to refuse the kiosk's other news.

use serde_json::Value;
use sqlx::AnyPool;

use crate::db::{self, heartbeats};

/// Reads a heartbeat body: a JSON object with a `kiosk_id`.
pub fn read(body: &[u8]) -> Result<(String, heartbeats::NewHeartbeat, Value), String> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| format!("the body is not the heartbeat of the contract: {e}"))?;
    let kiosk_id = value
        .get("kiosk_id")
        .and_then(Value::as_str)
        .ok_or("the heartbeat has no kiosk_id")?
        .to_string();
    let text = |k: &str| {
        value
            .get(k)
            .and_then(Value::as_str)
            .map(|s| s.chars().take(1000).collect::<String>())
    };
    let int = |k: &str| value.get(k).and_then(Value::as_i64);
    let h = heartbeats::NewHeartbeat {
        at: text("at"),
        version: text("version"),
        outbox_pending: int("outbox_pending"),
        oldest_pending_at: text("oldest_pending_at"),
        printer: text("printer"),
        clock_trusted: value.get("clock_trusted").and_then(Value::as_bool),
        config_version: text("config_version"),
        config_error: text("config_error"),
        held: int("held"),
        rejected: int("rejected"),
    };
    Ok((kiosk_id, h, value))
}

/// Keeps the heartbeat and drops the oldest beyond `keep`.
pub async fn keep(
    pool: &AnyPool,
    kiosk_id: &str,
    h: &heartbeats::NewHeartbeat,
    raw: &Value,
    keep: u64,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    heartbeats::insert(&mut *tx, kiosk_id, &db::now_text(), h, &raw.to_string()).await?;
    heartbeats::prune(&mut *tx, kiosk_id, i64::try_from(keep).unwrap_or(i64::MAX)).await?;
    tx.commit().await
}
