//! What the municipality tells a kiosk: `GET /v1/kiosks/{id}/updates`.
//!
//! The cursor is the id of the last complaint event given (events only
//! ever get higher ids, committed in order). Answers come oldest first
//! after `since`; a `since` the server cannot read (another server's
//! cursor) counts as the start, and the cursor never goes below `since`.
//! Each event is given once; the same number comes again only with a newer
//! event.

use serde_json::{Map, Value, json};
use sqlx::AnyPool;

use crate::db::{complaint_events, complaints, config_versions};

/// At most this many answers per reply, well within the 1 MiB bound; the
/// rest come with the next cursor.
pub const MAX_ANSWERS: i64 = 2000;

pub async fn for_kiosk(
    pool: &AnyPool,
    kiosk_id: &str,
    since: Option<&str>,
) -> Result<Value, sqlx::Error> {
    let since = since
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .unwrap_or(0);
    let events = complaint_events::for_kiosk_since(pool, kiosk_id, since, MAX_ANSWERS).await?;
    let cursor = events.last().map_or(since, |e| e.id.max(since));
    let answers: Vec<Value> = events.iter().map(answer).collect();
    let mut highest = Map::new();
    for (prefix, year, sequence) in complaints::highest_numbers(pool).await? {
        highest.insert(format!("{prefix}-{year}"), json!(sequence));
    }
    let config = config_versions::latest(pool, kiosk_id).await?.map_or(
        Value::Null,
        |(version, toml)| json!({ "version": version, "toml": toml }),
    );
    Ok(json!({
        "cursor": cursor.to_string(),
        "answers": answers,
        "highest_numbers": highest,
        "config": config,
    }))
}

/// An event as the contract's answer entry.
pub fn answer(e: &complaint_events::Event) -> Value {
    let mut a = Map::new();
    a.insert("number".into(), json!(e.number));
    a.insert("status".into(), json!(e.status));
    let mut put = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            a.insert(k.into(), json!(v));
        }
    };
    match e.status.as_str() {
        "registered" => {
            put("registry_number", &e.registry_number);
            put("registered_on", &e.registered_on);
        }
        "answered" => put("answered_on", &e.answered_on),
        "extended" => put("new_due_date", &e.new_due_date),
        "not_examined" => put("reason", &e.not_examined_reason),
        _ => {}
    }
    Value::Object(a)
}
