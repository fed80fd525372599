//! Login, logout and the language switch.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use serde::Deserialize;

use crate::desk::DeskState;
use crate::desk::auth::{self, Login};
use crate::desk::chrome::Chrome;
use crate::desk::error::DeskError;
use crate::desk::request::{
    LANG_COOKIE, LOGIN_COOKIE, Posted, SESSION_COOKIE, cookie, lang_of, same,
};
use crate::i18n::{self, Strings};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    chrome: Chrome,
    login_csrf: String,
    name: String,
    error: String,
}

fn login_page(
    state: &DeskState,
    t: &'static Strings,
    name: &str,
    error: String,
) -> (String, LoginPage) {
    let token = auth::random_token();
    let page = LoginPage {
        chrome: Chrome::anonymous(t, state.municipality(t), "/desk/login", t.login_title),
        login_csrf: token.clone(),
        name: name.to_owned(),
        error,
    };
    (token, page)
}

pub async fn show(State(state): State<DeskState>, jar: CookieJar) -> Response {
    let t = i18n::strings(lang_of(&jar));
    let (token, page) = login_page(&state, t, "", String::new());
    let jar = jar.add(cookie(LOGIN_COOKIE, token, state.secure()));
    (jar, page).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(state): State<DeskState>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, DeskError> {
    let t = i18n::strings(lang_of(&jar));
    // The login form's token must match its cookie: another site cannot
    // log a clerk in under its own account.
    let expected = jar
        .get(LOGIN_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if !same(&form.csrf, &expected) {
        return Err(DeskError::BadCsrf);
    }
    let outcome = auth::log_in(
        &state.app.pool,
        &state.app.config.desk,
        &state.login_gate,
        &form.name,
        &form.password,
        chrono::Utc::now(),
    )
    .await?;
    let error = match outcome {
        Login::Opened { token } => {
            let jar = jar
                .remove(Cookie::build(LOGIN_COOKIE).path("/"))
                .add(cookie(SESSION_COOKIE, token, state.secure()));
            return Ok((jar, Redirect::to("/desk/complaints")).into_response());
        }
        Login::Refused => t.login_refused.to_owned(),
        Login::Locked { until } => t
            .login_locked
            .replace("{until}", &crate::desk::complaint::sofia_time(&until)),
    };
    let (token, page) = login_page(&state, t, &form.name, error);
    let jar = jar.add(cookie(LOGIN_COOKIE, token, state.secure()));
    Ok((StatusCode::UNAUTHORIZED, jar, page).into_response())
}

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn logout(
    State(state): State<DeskState>,
    jar: CookieJar,
    posted: Posted<Nothing>,
) -> Result<Response, DeskError> {
    auth::log_out(&state.app.pool, &posted.staff.who).await?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/desk/login")).into_response())
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// Sets the language cookie and goes back to the page (only a desk page).
pub async fn switch(
    State(state): State<DeskState>,
    jar: CookieJar,
    Path(code): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let lang = i18n::parse_lang(&code).unwrap_or_default();
    let back = q
        .back
        .filter(|b| b.starts_with("/desk/") && !b.starts_with("//") && !b.contains(['\r', '\n']))
        .unwrap_or_else(|| "/desk/complaints".into());
    let mut c = cookie(LANG_COOKIE, lang.code().to_owned(), state.secure());
    c.set_http_only(false);
    (
        StatusCode::SEE_OTHER,
        jar.add(c),
        [(header::LOCATION, back)],
    )
        .into_response()
}
