//! The registry desk's pages: the complaint register, each complaint with
//! its actions and registry copy, the users and the audit trail.
//!
//! Server-rendered HTML from askama templates (`templates/`, checked at
//! compile time, escaped by default), one layout, no script; Bulgarian by
//! default, English by a switch ([`crate::i18n`]). Every page but the login
//! needs a session ([`request::Staff`]); every form needs its CSRF token
//! ([`request::Posted`]); what a role sees is decided in [`auth::Role`].
//! The complaint actions are the shared ones (`complaints::actions`).

pub mod auth;
pub mod chrome;
pub mod complaint;
pub mod error;
pub mod pages;
pub mod register;
pub mod request;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tokio::sync::Semaphore;

use crate::app::AppState;
use crate::i18n::Strings;

/// The largest form body read.
const FORM_LIMIT: usize = 64 * 1024;

/// What the desk's handlers share.
#[derive(Debug, Clone)]
pub struct DeskState {
    pub app: AppState,
    /// Password checks at once ([`auth::CHECKS_AT_ONCE`]).
    pub login_gate: Arc<Semaphore>,
}

impl DeskState {
    pub fn municipality(&self, t: &Strings) -> &str {
        match t.lang {
            kiosk_rules::domain::lang::Lang::Bg => &self.app.config.desk.municipality,
            kiosk_rules::domain::lang::Lang::En => &self.app.config.desk.municipality_en,
        }
    }

    pub fn secure(&self) -> bool {
        self.app.config.desk.secure_cookies
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../templates/desk.css"),
    )
}

/// The desk's routes, to be merged into the app's router.
pub fn router(app: AppState) -> Router {
    use pages::{admin, complaint, login, register};
    let state = DeskState {
        app,
        login_gate: Arc::new(Semaphore::new(auth::CHECKS_AT_ONCE)),
    };
    Router::new()
        .route("/", get(|| async { Redirect::to("/desk/complaints") }))
        .route("/desk", get(|| async { Redirect::to("/desk/complaints") }))
        .route("/desk/", get(|| async { Redirect::to("/desk/complaints") }))
        .route("/desk/static/desk.css", get(stylesheet))
        .route("/desk/login", get(login::show).post(login::submit))
        .route("/desk/logout", post(login::logout))
        .route("/desk/lang/{code}", get(login::switch))
        .route("/desk/complaints", get(register::page))
        .route("/desk/complaints.csv", get(register::csv))
        .route("/desk/registered", get(register::day_pdf))
        .route("/desk/complaints/{number}", get(complaint::page))
        .route(
            "/desk/complaints/{number}/copy.pdf",
            get(complaint::copy_pdf),
        )
        .route("/desk/complaints/{number}/{action}", post(complaint::act))
        .route("/desk/audit", get(admin::audit_page))
        .route("/desk/users", get(admin::users).post(admin::add_user))
        .route("/desk/users/{id}/{change}", post(admin::change_user))
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .with_state(state.clone())
        .merge(
            crate::figures::views()
                .with_state(state.app.clone())
                .route_layer(middleware::from_fn_with_state(state, signed_in)),
        )
}

/// Lets a request through only with a live session: the figures pages'
/// handlers take the app's state, so the desk's login is put in front of
/// them here. Without one, the way to the login, as on every desk page.
async fn signed_in(
    staff: Result<request::Staff, error::DeskError>,
    req: Request,
    next: Next,
) -> Response {
    match staff {
        Ok(_) => next.run(req).await,
        Err(refused) => refused.into_response(),
    }
}
