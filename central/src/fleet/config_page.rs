//! A kiosk's configuration fragment, edited as TOML: `GET` shows the
//! newest version in a textarea with the history; `POST` checks the text
//! with the kiosk's rules and either shows each problem beside the text
//! (key, line, what is wrong) or stores it as a new version; restoring an
//! old version stores its text again as the newest. The kiosk takes the
//! newest with its next `updates`; the fleet page shows when it applied it.
//!
//! These routes change what kiosks run: they must be reached only by an
//! admin, through the desk's login and CSRF check.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use crate::app::AppState;
use crate::db::config_versions::{self, Version};
use crate::kiosk_config::{ConfigVersionError, check_fragment, save_version};

#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    lang: String,
}

#[derive(Debug, Deserialize)]
pub struct Edited {
    toml: String,
    #[serde(default)]
    lang: String,
}

#[derive(Debug, Deserialize)]
pub struct Restore {
    version: String,
    #[serde(default)]
    lang: String,
}

/// One problem, placed at its line.
pub struct Problem {
    pub line: String,
    pub key: String,
    pub message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "figures/config.html")]
pub struct ConfigPage {
    pub lang: &'static str,
    pub en: bool,
    pub kiosk: String,
    pub toml: String,
    pub problems: Vec<Problem>,
    pub saved: Option<String>,
    pub history: Vec<Version>,
}

/// Who saved: the desk's login names the user once it is in front.
const ACTOR: &str = "desk";

fn version_name() -> String {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Sofia)
        .format("%Y-%m-%d-%H%M%S")
        .to_string()
}

async fn render(
    st: &AppState,
    kiosk: &str,
    en: bool,
    toml: String,
    problems: Vec<Problem>,
    saved: Option<String>,
) -> Response {
    let history = match config_versions::history(&st.pool, kiosk).await {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = %e, "the configuration history cannot be read");
            return (StatusCode::SERVICE_UNAVAILABLE, "503").into_response();
        }
    };
    let page = ConfigPage {
        lang: if en { "en" } else { "bg" },
        en,
        kiosk: kiosk.to_owned(),
        toml,
        problems,
        saved,
        history,
    };
    page.into_response()
}

pub async fn show(
    State(st): State<AppState>,
    Path(kiosk): Path<String>,
    Query(q): Query<Asked>,
) -> Response {
    let toml = match config_versions::latest(&st.pool, &kiosk).await {
        Ok(v) => v.map(|(_, t)| t).unwrap_or_default(),
        Err(e) => {
            tracing::error!(error = %e, "the configuration cannot be read");
            return (StatusCode::SERVICE_UNAVAILABLE, "503").into_response();
        }
    };
    render(&st, &kiosk, q.lang == "en", toml, Vec::new(), None).await
}

fn problems_of(issues: Vec<kiosk_rules::config::ConfigIssue>) -> Vec<Problem> {
    issues
        .into_iter()
        .map(|i| Problem {
            line: i.line.map(|l| l.to_string()).unwrap_or_default(),
            key: i.key,
            message: i.message,
        })
        .collect()
}

pub async fn save(
    State(st): State<AppState>,
    Path(kiosk): Path<String>,
    Form(f): Form<Edited>,
) -> Response {
    let en = f.lang == "en";
    if let Err(issues) = check_fragment(&f.toml) {
        let mut r = render(&st, &kiosk, en, f.toml, problems_of(issues), None).await;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return r;
    }
    let version = version_name();
    match save_version(&st.pool, &kiosk, &version, &f.toml, ACTOR).await {
        Ok(()) => render(&st, &kiosk, en, f.toml, Vec::new(), Some(version)).await,
        Err(ConfigVersionError::Invalid(issues)) => {
            render(&st, &kiosk, en, f.toml, problems_of(issues), None).await
        }
        Err(e) => {
            let p = vec![Problem {
                line: String::new(),
                key: String::new(),
                message: e.to_string(),
            }];
            let mut r = render(&st, &kiosk, en, f.toml, p, None).await;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
    }
}

pub async fn restore(
    State(st): State<AppState>,
    Path(kiosk): Path<String>,
    Form(f): Form<Restore>,
) -> Response {
    let old = match config_versions::toml_of(&st.pool, &kiosk, &f.version).await {
        Ok(Some(t)) => t,
        Ok(None) => return (StatusCode::NOT_FOUND, "404").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the configuration cannot be read");
            return (StatusCode::SERVICE_UNAVAILABLE, "503").into_response();
        }
    };
    match save_version(&st.pool, &kiosk, &version_name(), &old, ACTOR).await {
        Ok(()) => Redirect::to(&format!(
            "/desk/kiosks/{kiosk}/config?lang={}",
            if f.lang == "en" { "en" } else { "bg" }
        ))
        .into_response(),
        Err(e) => {
            let p = vec![Problem {
                line: String::new(),
                key: String::new(),
                message: e.to_string(),
            }];
            render(&st, &kiosk, f.lang == "en", old, p, None).await
        }
    }
}
