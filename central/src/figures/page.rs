//! The satisfaction page: `GET /desk/satisfaction?from=&to=&kiosk=&service=&desk=&lang=`.
//! Figures only (counts, shares, reason names): no comment a visitor
//! typed is shown, so a viewer may see all of it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use kiosk_rules::domain::lang::Lang;
use kiosk_rules::domain::summary::{DateRange, Names, mean, percent};
use serde::Deserialize;

use super::satisfaction::{self, Selection};
use super::svg::{self, TrendPoint};
use super::words::{Words, words};
use crate::app::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    kiosk: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    desk: String,
    #[serde(default)]
    lang: String,
}

/// A row of a figures table.
pub struct Row {
    pub name: String,
    pub count: u64,
    pub mean: String,
    pub csat: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "figures/satisfaction.html")]
pub struct SatisfactionPage<'a> {
    pub t: &'a Words,
    pub lang: &'static str,
    pub from: String,
    pub to: String,
    pub kiosk: String,
    pub service: String,
    pub desk: String,
    pub error: Option<String>,
    pub alert: Option<String>,
    pub banners: Vec<String>,
    pub total: Row,
    pub distribution: Vec<(u8, u64, String)>,
    pub distribution_svg: String,
    pub reasons: Vec<(String, u64)>,
    pub trend_svg: String,
    pub weeks: Vec<Row>,
    pub heatmap_svg: String,
    pub heat_rows: Vec<(String, Vec<u64>)>,
    pub heat_hours: Vec<usize>,
    pub by_service: Vec<Row>,
    pub by_desk: Vec<Row>,
}

fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Sofia)
        .date_naive()
}

fn chosen(s: &str) -> Option<String> {
    let s = s.trim();
    // "*" is "any"; "-" is "not said" (stored as "").
    match s {
        "" | "*" => None,
        "-" => Some(String::new()),
        s => Some(s.chars().take(64).collect()),
    }
}

/// The names of services, desks and reasons, from the shipped kiosk.toml.
pub fn names() -> Names {
    crate::kiosk_config::shipped_config()
        .map(|c| c.summary_names())
        .unwrap_or_default()
}

pub async fn page(State(st): State<AppState>, Query(q): Query<Asked>) -> Response {
    let lang = if q.lang == "en" { Lang::En } else { Lang::Bg };
    let t = words(lang);
    let today = today();
    let default_from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let from = q.from.parse::<NaiveDate>().unwrap_or(default_from);
    let to = q.to.parse::<NaiveDate>().unwrap_or(today);
    let (range, error) = match DateRange::new(from, to) {
        Ok(r) if r.days() <= 3 * 366 => (r, None),
        _ => (
            DateRange::new(default_from, today).unwrap_or(DateRange {
                from: today,
                to: today,
            }),
            Some(t.bad_period.to_owned()),
        ),
    };
    let sel = Selection {
        range,
        kiosk: chosen(&q.kiosk),
        service: chosen(&q.service),
        desk: chosen(&q.desk),
    };
    let loaded = satisfaction::load(&st.pool, &sel, today).await;
    let alert = satisfaction::last_hour_alert(&st.pool, Utc::now()).await;
    let (figures, alert) = match (loaded, alert) {
        (Ok(f), Ok(a)) => (f, a),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "the satisfaction page cannot read the tallies");
            return (StatusCode::SERVICE_UNAVAILABLE, t.db_down).into_response();
        }
    };
    let names = names();
    let s = &figures.summary;
    let row = |name: String, r: &kiosk_rules::domain::summary::RatingFigures| Row {
        name,
        count: r.count,
        mean: mean(r.mean),
        csat: percent(r.csat),
    };
    let dist_desc = (1u8..)
        .zip(s.ratings.distribution)
        .map(|(k, n)| format!("{k}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let distribution = (1u8..)
        .zip(s.ratings.distribution)
        .map(|(k, n)| {
            let share = (s.ratings.count > 0).then(|| n as f64 / s.ratings.count as f64);
            (k, n, percent(share))
        })
        .collect();
    let points: Vec<TrendPoint> = s
        .weekly
        .iter()
        .map(|w| TrendPoint {
            label: w.week.from.format("%d.%m").to_string(),
            count: w.ratings.count,
            csat: w.ratings.csat,
        })
        .collect();
    let weeks = s
        .weekly
        .iter()
        .map(|w| row(w.week.to_string(), &w.ratings))
        .collect();
    let heat_hours: Vec<usize> = (0..24)
        .filter(|h| {
            figures
                .grid
                .iter()
                .any(|r| r.get(*h).is_some_and(|c| c.0 > 0))
        })
        .collect();
    let heat_rows = t
        .weekdays
        .iter()
        .zip(figures.grid.iter())
        .map(|(d, r)| {
            (
                (*d).to_owned(),
                heat_hours
                    .iter()
                    .map(|h| r.get(*h).map_or(0, |c| c.0))
                    .collect(),
            )
        })
        .collect();
    let page = SatisfactionPage {
        t,
        lang: lang.code(),
        from: range.from.to_string(),
        to: range.to.to_string(),
        kiosk: q.kiosk.clone(),
        service: q.service.clone(),
        desk: q.desk.clone(),
        error,
        alert: alert.map(|(all, low)| t.alert(all, low)),
        banners: crate::fleet::page::banners_text(&st, lang).await,
        total: row(t.all.to_owned(), &s.ratings),
        distribution,
        distribution_svg: svg::distribution(&s.ratings.distribution, t.distribution, &dist_desc),
        reasons: s
            .low_reasons
            .iter()
            .map(|c| (names.reason(&c.id).to_owned(), c.count))
            .collect(),
        trend_svg: svg::trend(&points, t.trend, t.trend_desc),
        weeks,
        heatmap_svg: svg::heatmap(&figures.grid, &t.weekdays, t.heatmap, t.heatmap_desc),
        heat_rows,
        heat_hours,
        by_service: s
            .by_service
            .iter()
            .map(|g| row(names.service(&g.id).to_owned(), &g.ratings))
            .collect(),
        by_desk: s
            .by_desk
            .iter()
            .map(|g| row(names.desk(&g.id).to_owned(), &g.ratings))
            .collect(),
    };
    page.into_response()
}
