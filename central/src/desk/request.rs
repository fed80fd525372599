//! What every desk request carries: the signed-in person ([`Staff`]), the
//! language, and for a form its CSRF token ([`Posted`]).
//!
//! Invariants: a handler that takes [`Staff`] never runs without a live
//! session (the request is sent to the login page instead); only the
//! session cookie counts (an `Authorization` header, such as a kiosk's
//! token, opens nothing); a handler that takes [`Posted`] never runs unless
//! the form's `csrf` field equals the session's token.

use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use kiosk_rules::domain::lang::Lang;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::DeskState;
use super::auth::{self, Role, Signed};
use super::error::DeskError;
use crate::i18n::{self, Strings};

pub const SESSION_COOKIE: &str = "desk_session";
pub const LANG_COOKIE: &str = "desk_lang";
/// The login form's own token, before there is a session.
pub const LOGIN_COOKIE: &str = "desk_login";

/// The language asked for by cookie; Bulgarian by default.
pub fn lang_of(jar: &CookieJar) -> Lang {
    jar.get(LANG_COOKIE)
        .and_then(|c| i18n::parse_lang(c.value()))
        .unwrap_or_default()
}

/// A cookie the desk sets: HttpOnly, SameSite=Strict, for the desk's
/// paths, Secure when `[desk] secure_cookies`.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

/// A signed-in person, with the request's language.
#[derive(Debug, Clone)]
pub struct Staff {
    pub who: Signed,
    pub lang: Lang,
}

impl Staff {
    pub fn role(&self) -> Role {
        self.who.role
    }

    pub fn t(&self) -> &'static Strings {
        i18n::strings(self.lang)
    }

    /// Refuses unless the person's role passes `allowed`.
    pub fn require(&self, allowed: impl Fn(Role) -> bool) -> Result<(), DeskError> {
        if allowed(self.who.role) {
            Ok(())
        } else {
            Err(DeskError::Forbidden)
        }
    }
}

impl FromRequestParts<DeskState> for Staff {
    type Rejection = DeskError;

    async fn from_request_parts(parts: &mut Parts, state: &DeskState) -> Result<Self, DeskError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_owned())
            .ok_or(DeskError::LoginNeeded)?;
        let who = auth::session(
            &state.app.pool,
            &state.app.config.desk,
            &token,
            chrono::Utc::now(),
        )
        .await?
        .ok_or(DeskError::LoginNeeded)?;
        Ok(Staff {
            who,
            lang: lang_of(&jar),
        })
    }
}

/// A form body with its CSRF token checked against the session's.
#[derive(Debug)]
pub struct Posted<T> {
    pub staff: Staff,
    pub form: T,
}

#[derive(Deserialize)]
struct WithCsrf<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    inner: T,
}

impl<T: DeserializeOwned + Send> FromRequest<DeskState> for Posted<T> {
    type Rejection = DeskError;

    async fn from_request(req: Request, state: &DeskState) -> Result<Self, DeskError> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let Form(form): Form<WithCsrf<T>> = Form::from_request(req, state)
            .await
            .map_err(|e| DeskError::BadRequest(e.body_text()))?;
        if !same(&form.csrf, &staff.who.csrf) {
            return Err(DeskError::BadCsrf);
        }
        Ok(Posted {
            staff,
            form: form.inner,
        })
    }
}

/// Equal tokens, compared in constant time.
pub fn same(a: &str, b: &str) -> bool {
    !a.is_empty() && a.as_bytes().ct_eq(b.as_bytes()).into()
}
