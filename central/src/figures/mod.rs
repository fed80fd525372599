//! Figures for the registry desk: satisfaction (with its charts and the
//! low-rating alert) and the year's report.

pub mod page;
pub mod satisfaction;
pub mod svg;
pub mod words;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

/// The figures pages, to be nested under the desk's login (they show
/// figures only, so every role may see them).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/satisfaction", get(page::page))
        .route("/desk/fleet", get(crate::fleet::page::page))
}
