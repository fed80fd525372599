//! Figures for the registry desk: satisfaction (with its charts and the
//! low-rating alert) and the year's report.

pub mod page;
pub mod satisfaction;
pub mod svg;
pub mod words;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

/// The figures pages that only read figures (satisfaction, the fleet): any
/// role may see them, and the desk serves them behind its login
/// (`desk::router`). They show no personal data.
pub fn views() -> Router<AppState> {
    Router::new()
        .route("/desk/satisfaction", get(page::page))
        .route("/desk/fleet", get(crate::fleet::page::page))
}

/// A kiosk's configuration (admins only). Not in the server's router: it
/// must first be nested behind the desk's admin check and its CSRF check,
/// which its forms do not carry yet.
pub fn config_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/desk/kiosks/{kiosk}/config",
            get(crate::fleet::config_page::show).post(crate::fleet::config_page::save),
        )
        .route(
            "/desk/kiosks/{kiosk}/config/restore",
            post(crate::fleet::config_page::restore),
        )
}
