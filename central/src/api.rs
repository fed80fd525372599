//! The handlers of contract 1.2: each reads the request, calls one plain
//! function of `intake`, and answers. Failures are [`ApiError`]s.
//!
//! Order of checks for a record request: a token at all (401) and a known
//! one (401) before a byte of the body is read; then the body, never more
//! than `[server] body_limit_bytes` (413) and within `body_timeout_secs`
//! (408); then the envelope (400) and whose kiosk it is (403).

use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use serde::Deserialize;

use crate::app::AppState;
use crate::db::kiosks;
use crate::error::ApiError;
use crate::intake::{heartbeat, judge, store, updates};
use crate::token;

/// How long a record request may wait for its turn before a 503.
const INTAKE_WAIT: Duration = Duration::from_secs(20);

/// The kiosk whose token the request carries.
async fn kiosk_of(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let presented = token::bearer(header).ok_or(ApiError::Unauthorized)?;
    let active = kiosks::active(&state.pool).await?;
    token::owner(presented, &active)
        .map(str::to_owned)
        .ok_or(ApiError::Unauthorized)
}

/// A heartbeat is a few hundred bytes; its body is read to this at most,
/// outside the intake's turns.
const HEARTBEAT_LIMIT: u64 = 64 * 1024;

/// The body, at most `limit` bytes, within `[server] body_timeout_secs`.
async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    limit: u64,
) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::TooLarge(limit));
    }
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    let collect = Limited::new(body, cap).collect();
    match tokio::time::timeout(state.config.server.body_timeout(), collect).await {
        Err(_) => Err(ApiError::SlowBody),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(ApiError::TooLarge(limit)),
        Ok(Err(e)) => Err(ApiError::BadRequest(format!(
            "the body could not be read: {e}"
        ))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// `POST /v1/records`.
pub async fn post_records(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let owner = kiosk_of(&state, &headers).await?;
    let _turn = tokio::time::timeout(INTAKE_WAIT, state.intake.acquire())
        .await
        .map_err(|_| ApiError::Busy)?
        .map_err(|_| ApiError::Busy)?;
    let bytes = read_body(&state, &headers, body, state.config.server.body_limit_bytes).await?;
    let envelope = judge::envelope(&bytes).map_err(ApiError::BadRequest)?;
    if envelope.kiosk_id != owner {
        return Err(ApiError::Forbidden);
    }
    let verdicts = envelope.records.iter().map(|r| judge::record(r)).collect();
    let results = store::take(&state.pool, &owner, envelope.sent_at.as_deref(), verdicts).await?;
    Ok(Json(serde_json::json!({ "results": results })))
}

/// `POST /v1/heartbeat`: 204.
pub async fn post_heartbeat(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let owner = kiosk_of(&state, &headers).await?;
    let limit = HEARTBEAT_LIMIT.min(state.config.server.body_limit_bytes);
    let bytes = read_body(&state, &headers, body, limit).await?;
    let (kiosk_id, beat, raw) = heartbeat::read(&bytes).map_err(ApiError::BadRequest)?;
    if kiosk_id != owner {
        return Err(ApiError::Forbidden);
    }
    heartbeat::keep(
        &state.pool,
        &owner,
        &beat,
        &raw,
        state.config.server.heartbeat_history,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
pub struct Since {
    since: Option<String>,
}

/// `GET /v1/kiosks/{id}/updates?since=`.
pub async fn get_updates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kiosk_id): Path<String>,
    Query(q): Query<Since>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let owner = kiosk_of(&state, &headers).await?;
    if kiosk_id != owner {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(
        updates::for_kiosk(&state.pool, &owner, q.since.as_deref()).await?,
    ))
}
