//! Figures for the registry desk: satisfaction (with its charts and the
//! low-rating alert) and the year's report.

pub mod page;
pub mod satisfaction;
pub mod svg;
pub mod words;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

/// The figures pages (satisfaction, fleet: figures only, any role) and a
/// kiosk's configuration (admins only). They are not in the server's
/// router by themselves: they must be nested behind the desk's login, its
/// role check and its CSRF check.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/satisfaction", get(page::page))
        .route("/desk/fleet", get(crate::fleet::page::page))
        .route(
            "/desk/kiosks/{kiosk}/config",
            get(crate::fleet::config_page::show).post(crate::fleet::config_page::save),
        )
        .route(
            "/desk/kiosks/{kiosk}/config/restore",
            post(crate::fleet::config_page::restore),
        )
}
