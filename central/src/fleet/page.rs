//! The fleet page, `GET /desk/fleet?lang=`: one row per kiosk, and the
//! banners in words.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kiosk_rules::domain::lang::Lang;
use serde::Deserialize;

use super::{Banner, KioskState, minutes_since};
use crate::app::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    lang: String,
}

/// A banner in `lang`.
pub fn banner_text(b: &Banner, lang: Lang) -> String {
    match (b, lang) {
        (
            Banner::Silent {
                kiosk,
                minutes: Some(m),
            },
            Lang::Bg,
        ) => {
            format!(
                "Киоск {kiosk} не се е обаждал от {m} мин в работно време: проверете захранването и мрежата."
            )
        }
        (
            Banner::Silent {
                kiosk,
                minutes: Some(m),
            },
            Lang::En,
        ) => {
            format!(
                "Kiosk {kiosk} has been silent for {m} min in office hours: check its power and network."
            )
        }
        (
            Banner::Silent {
                kiosk,
                minutes: None,
            },
            Lang::Bg,
        ) => {
            format!("Киоск {kiosk} още не се е обаждал.")
        }
        (
            Banner::Silent {
                kiosk,
                minutes: None,
            },
            Lang::En,
        ) => {
            format!("Kiosk {kiosk} has not reported yet.")
        }
        (Banner::Printer { kiosk, state }, Lang::Bg) if state == "paper_out" => {
            format!("Принтерът на киоск {kiosk} няма хартия: поставете нова ролка 80 мм.")
        }
        (Banner::Printer { kiosk, .. }, Lang::Bg) => {
            format!("Принтерът на киоск {kiosk} не отговаря: проверете захранването и кабела.")
        }
        (Banner::Printer { kiosk, state }, Lang::En) if state == "paper_out" => {
            format!("The printer of kiosk {kiosk} is out of paper: load a new 80 mm roll.")
        }
        (Banner::Printer { kiosk, .. }, Lang::En) => {
            format!("The printer of kiosk {kiosk} is offline: check its power and cable.")
        }
        (Banner::Overdue(n), Lang::Bg) => format!("Просрочени жалби без отговор: {n}."),
        (Banner::Overdue(n), Lang::En) => {
            format!("Complaints past their due date unanswered: {n}.")
        }
    }
}

/// The banners at the top of a page, in words; none when they cannot be
/// read (the page itself still shows).
pub async fn banners_text(st: &AppState, lang: Lang) -> Vec<String> {
    match super::banners(&st.pool, Utc::now()).await {
        Ok(b) => b.iter().map(|b| banner_text(b, lang)).collect(),
        Err(e) => {
            tracing::error!(error = %e, "the banners cannot be read");
            Vec::new()
        }
    }
}

pub struct Line {
    pub id: String,
    pub last: String,
    pub ago: String,
    pub version: String,
    pub pending: String,
    pub oldest: String,
    pub held: String,
    pub rejected: String,
    pub printer: String,
    pub clock: String,
    pub config: String,
    pub config_ok: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "figures/fleet.html")]
pub struct FleetPage {
    pub lang: &'static str,
    pub en: bool,
    pub banners: Vec<String>,
    pub lines: Vec<Line>,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "—".to_owned(), ToString::to_string)
}

fn line(k: &KioskState, lang: Lang) -> Line {
    let now = Utc::now();
    let en = lang == Lang::En;
    let ago = k
        .received_at
        .as_deref()
        .and_then(|t| minutes_since(t, now))
        .map_or_else(
            || (if en { "never" } else { "никога" }).to_owned(),
            |m| {
                if en {
                    format!("{m} min ago")
                } else {
                    format!("преди {m} мин")
                }
            },
        );
    let (config, config_ok) = match (
        &k.last.config_error,
        &k.last.config_version,
        &k.config_latest,
    ) {
        (Some(e), _, _) => (
            format!("{}: {e}", if en { "error" } else { "грешка" }),
            false,
        ),
        (None, Some(v), Some(l)) if v == l => (format!("{v} ✓"), true),
        (None, Some(v), Some(l)) => (
            if en {
                format!("{v} (newest {l} not yet applied)")
            } else {
                format!("{v} (последната {l} още не е приложена)")
            },
            false,
        ),
        (None, v, _) => (opt(v), true),
    };
    Line {
        id: k.id.clone(),
        last: opt(&k.received_at),
        ago,
        version: opt(&k.last.version),
        pending: opt(&k.last.outbox_pending),
        oldest: opt(&k.last.oldest_pending_at),
        held: opt(&k.last.held),
        rejected: opt(&k.last.rejected),
        printer: opt(&k.last.printer),
        clock: match (k.last.clock_trusted, en) {
            (Some(true), false) => "сверен".into(),
            (Some(false), false) => "НЕсверен".into(),
            (Some(true), true) => "synchronised".into(),
            (Some(false), true) => "NOT synchronised".into(),
            (None, _) => "—".into(),
        },
        config,
        config_ok,
    }
}

pub async fn page(State(st): State<AppState>, Query(q): Query<Asked>) -> Response {
    let lang = if q.lang == "en" { Lang::En } else { Lang::Bg };
    let kiosks = match super::kiosks(&st.pool).await {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(error = %e, "the fleet page cannot read the heartbeats");
            return (StatusCode::SERVICE_UNAVAILABLE, "503").into_response();
        }
    };
    let page = FleetPage {
        lang: lang.code(),
        en: lang == Lang::En,
        banners: banners_text(&st, lang).await,
        lines: kiosks.iter().map(|k| line(k, lang)).collect(),
    };
    page.into_response()
}
