//! The application: its state and its routes.
//!
//! `router(state)` is the whole HTTP surface of the server; other parts
//! (the registry desk's pages, the public status page) `.merge` their own
//! routes into it and share [`AppState`].

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use sqlx::AnyPool;
use tokio::sync::Semaphore;

use crate::api;
use crate::config::CentralConfig;

/// What every handler may use.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: AnyPool,
    pub config: Arc<CentralConfig>,
    /// Record requests read and judged at once (`[server]
    /// intake_concurrency`): bounds the memory many large bodies can take.
    pub intake: Arc<Semaphore>,
}

impl AppState {
    pub fn new(pool: AnyPool, config: CentralConfig) -> AppState {
        let permits = usize::try_from(config.server.intake_concurrency).unwrap_or(1);
        AppState {
            pool,
            config: Arc::new(config),
            intake: Arc::new(Semaphore::new(permits)),
        }
    }
}

/// The routes of contract 1.2.
pub fn router(state: AppState) -> Router {
    let public = crate::public::routes(state.pool.clone(), &state.config.public.status_url_base);
    let app = intake_router(state.clone()).merge(crate::desk::router(state));
    match public {
        Some(public) => app.merge(public),
        None => app,
    }
}

/// Contract 1.2 alone: what the kiosks call.
pub fn intake_router(state: AppState) -> Router {
    Router::new()
        .route("/v1/records", post(api::post_records))
        .route("/v1/heartbeat", post(api::post_heartbeat))
        .route("/v1/kiosks/{kiosk_id}/updates", get(api::get_updates))
        .with_state(state)
}
