//! The public status page of contract 1.2, served only when `[public]
//! status_url_base` is set: `GET {base path}/{number}?c={check_code}`.
//!
//! Invariants: it shows nothing personal (no name, contact or text); an
//! unknown number, a wrong code and a malformed request get byte-identical
//! answers (same status, same body: the page holds nothing that varies,
//! such as a time); each client address may ask at most
//! [`PER_MINUTE`] times a minute, remembered in a map of bounded size.
//! Behind a reverse proxy on loopback, the client is the last address of
//! `X-Forwarded-For`; from any other peer the header is ignored.

pub mod limit;
pub mod status;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kiosk_rules::domain::hours::long_date;
use kiosk_rules::domain::lang::Lang;
use serde::Deserialize;
use sqlx::AnyPool;

use self::limit::RateLimit;
use self::status::{PublicStatus, latest_words, normalise_code, plausible_number};

/// Requests one address may make in a minute.
pub const PER_MINUTE: u32 = 10;
/// Addresses remembered at once (about 100 bytes each).
const REMEMBERED: usize = 10_000;

#[derive(Debug, Clone)]
struct PublicState {
    pool: AnyPool,
    limit: Arc<RateLimit>,
}

/// The path the status page answers under, from `status_url_base`
/// (`https://desk.example.bg/r` gives `/r`); `None` when none is set.
pub fn base_path(status_url_base: &str) -> Option<String> {
    let base = status_url_base.trim();
    if base.is_empty() {
        return None;
    }
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("", |i| after_scheme.get(i..).unwrap_or(""));
    Some(path.trim_end_matches('/').to_owned())
}

/// The page's routes, or none when `[public] status_url_base` is empty.
pub fn routes(pool: AnyPool, status_url_base: &str) -> Option<Router> {
    let base = base_path(status_url_base)?;
    let state = PublicState {
        pool,
        limit: Arc::new(RateLimit::new(
            PER_MINUTE,
            Duration::from_secs(60),
            REMEMBERED,
        )),
    };
    Some(
        Router::new()
            .route(&format!("{base}/{{number}}"), get(page))
            .with_state(state),
    )
}

#[derive(Debug, Deserialize)]
struct Asked {
    #[serde(default)]
    c: String,
    #[serde(default)]
    lang: String,
}

struct Labels {
    number: &'static str,
    kind: &'static str,
    filed: &'static str,
    due: &'static str,
    status: &'static str,
    privacy: &'static str,
    not_found: &'static str,
}

const BG: Labels = Labels {
    number: "Номер",
    kind: "Вид",
    filed: "Подадена на",
    due: "Срок за отговор",
    status: "Състояние",
    privacy: "Тази страница не показва лични данни и текста на сигнала. За подробности: деловодството на общината.",
    not_found: "Няма сведения за този номер с този код за проверка. Проверете номера и кода от разписката (6 знака).",
};

const EN: Labels = Labels {
    number: "Number",
    kind: "Type",
    filed: "Filed on",
    due: "Answer due by",
    status: "Status",
    privacy: "This page shows no personal data and not the text filed. For details: the municipality's registry desk.",
    not_found: "There is nothing to show for this number with this check code. Check the number and the 6-character code on the receipt.",
};

struct Shown {
    number: String,
    kind: String,
    filed: String,
    due: String,
    status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/status.html")]
struct StatusPage<'a> {
    lang: &'static str,
    heading: &'static str,
    labels: &'a Labels,
    /// The code as asked, canonical (only ever Crockford characters).
    code: String,
    found: Option<Shown>,
}

fn shown(s: &PublicStatus, lang: Lang) -> Shown {
    let date =
        |d: Option<chrono::NaiveDate>| d.map(|d| long_date(d, lang)).unwrap_or_else(|| "—".into());
    Shown {
        number: s.number.clone(),
        kind: s.ctype.map(|t| t.name(lang).to_owned()).unwrap_or_default(),
        filed: date(s.filed_on),
        due: date(s.due_date),
        status: latest_words(&s.latest, lang),
    }
}

/// The client's address: the peer, or behind a proxy on loopback the last
/// address the proxy added.
fn client(peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = peer?.ip();
    if !peer.is_loopback() {
        return Some(peer);
    }
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    Some(forwarded.unwrap_or(peer))
}

async fn page(
    State(st): State<PublicState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(asked): Query<Asked>,
) -> Response {
    let Some(addr) = client(Some(peer), &headers) else {
        return limited();
    };
    if !st.limit.allow(addr, Instant::now()) {
        return limited();
    }
    let lang = if asked.lang == "en" {
        Lang::En
    } else {
        Lang::Bg
    };
    let code = normalise_code(&asked.c);
    let found = match &code {
        Some(code) if plausible_number(&number) => {
            match status::find(&st.pool, &number, code).await {
                Ok(found) => found,
                Err(e) => {
                    tracing::error!(error = %e, "the status page cannot read the register");
                    return (StatusCode::SERVICE_UNAVAILABLE, "503").into_response();
                }
            }
        }
        _ => None,
    };
    let labels = match lang {
        Lang::Bg => &BG,
        Lang::En => &EN,
    };
    let page = StatusPage {
        lang: lang.code(),
        heading: match lang {
            Lang::Bg => "Проверка на жалба или сигнал",
            Lang::En => "Complaint status",
        },
        labels,
        // Only a found complaint's own code is echoed in the links; an
        // unknown number and a wrong code render exactly alike.
        code: found.as_ref().and(code).unwrap_or_default(),
        found: found.as_ref().map(|s| shown(s, lang)),
    };
    (
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                HeaderName::from_static("referrer-policy"),
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        page,
    )
        .into_response()
}

fn limited() -> Response {
    let mut r = (
        StatusCode::TOO_MANY_REQUESTS,
        "Твърде много заявки; опитайте отново след минута. / Too many requests; try again in a minute.\n",
    )
        .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_answers_under_the_path_of_the_base() {
        assert_eq!(
            base_path("https://desk.example.bg/r").as_deref(),
            Some("/r")
        );
        assert_eq!(
            base_path("https://desk.example.bg/r/").as_deref(),
            Some("/r")
        );
        assert_eq!(base_path("https://desk.example.bg").as_deref(), Some(""));
        assert_eq!(base_path("  ").as_deref(), None);
    }

    #[test]
    fn the_client_behind_a_loopback_proxy_is_the_forwarded_address() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 10.0.0.9"),
        );
        let lo: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let out: SocketAddr = "192.0.2.7:5000".parse().unwrap();
        assert_eq!(client(Some(lo), &h), Some("10.0.0.9".parse().unwrap()));
        assert_eq!(client(Some(out), &h), Some("192.0.2.7".parse().unwrap()));
        assert_eq!(
            client(Some(lo), &HeaderMap::new()),
            Some("127.0.0.1".parse().unwrap())
        );
    }
}
