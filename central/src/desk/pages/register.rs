//! The register page, its CSV export and the day's registry copies.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use kiosk_rules::domain::record::ComplaintType;
use serde::Deserialize;
use serde_json::json;

use crate::complaints::actions::today;
use crate::db::{audit, complaint_events, register as table};
use crate::desk::DeskState;
use crate::desk::chrome::Chrome;
use crate::desk::complaint as view;
use crate::desk::error::DeskError;
use crate::desk::register::{self, Counts, Filters, PAGE, Status, dmy};
use crate::desk::request::Staff;
use crate::pdf;

pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub struct Row {
    number: String,
    registry_number: String,
    kind: String,
    category: String,
    kiosk: String,
    filed: String,
    due: String,
    status: String,
    overdue: bool,
    due_soon: bool,
    filer: String,
}

pub struct Count {
    label: &'static str,
    value: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
pub struct RegisterPage {
    chrome: Chrome,
    f: Filters,
    from: String,
    to: String,
    statuses: Vec<Choice>,
    types: Vec<Choice>,
    categories: Vec<Choice>,
    kiosks: Vec<Choice>,
    counts: Counts,
    status_counts: Vec<Count>,
    rows: Vec<Row>,
    personal: bool,
    query: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    today: String,
}

fn choices(
    values: impl IntoIterator<Item = (String, String)>,
    selected: Option<&str>,
) -> Vec<Choice> {
    values
        .into_iter()
        .map(|(value, label)| Choice {
            selected: Some(value.as_str()) == selected,
            value,
            label,
        })
        .collect()
}

pub async fn page(
    State(state): State<DeskState>,
    staff: Staff,
    Query(q): Query<register::Query>,
) -> Result<RegisterPage, DeskError> {
    let t = staff.t();
    let f = Filters::from_query(&q);
    let pool = &state.app.pool;
    let today = today();
    let (lines, counts) = register::select(table::entries(pool, &f.narrow()).await?, &f, today);
    let (kiosks, categories) = table::choices(pool).await?;
    let personal = staff.role().sees_personal_data();
    let query = f.query_string();
    let start = f.page.saturating_mul(PAGE);
    let rows = lines
        .iter()
        .skip(start)
        .take(PAGE)
        .map(|l| {
            let e = &l.entry;
            Row {
                number: e.number.clone(),
                registry_number: e.registry_number.clone().unwrap_or_default(),
                kind: ComplaintType::parse(&e.ctype)
                    .map_or(e.ctype.clone(), |c| c.name(t.lang).to_owned()),
                category: e.category.clone(),
                kiosk: e.kiosk_id.clone(),
                filed: dmy(&e.filed_on),
                due: l
                    .due
                    .map(|d| d.format("%d.%m.%Y").to_string())
                    .unwrap_or_default(),
                status: l.status.name(t).to_owned(),
                overdue: l.overdue,
                due_soon: l.due_soon,
                filer: if !personal {
                    String::new()
                } else if e.anonymous {
                    t.anonymous.to_owned()
                } else {
                    e.name.clone()
                },
            }
        })
        .collect();
    let page_href = |p: usize| format!("/desk/complaints?{query}&page={p}");
    let ymd = |d: Option<NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    Ok(RegisterPage {
        chrome: Chrome::new(
            &staff,
            state.municipality(t),
            "/desk/complaints",
            t.register_title,
        ),
        from: ymd(f.from),
        to: ymd(f.to),
        statuses: choices(
            Status::ALL
                .iter()
                .map(|s| (s.id().to_owned(), s.name(t).to_owned())),
            f.status.map(Status::id),
        ),
        types: choices(
            ComplaintType::ALL
                .iter()
                .map(|c| (c.as_str().to_owned(), c.name(t.lang).to_owned())),
            f.ctype.as_deref(),
        ),
        categories: choices(
            categories.into_iter().map(|c| (c.clone(), c)),
            f.category.as_deref(),
        ),
        kiosks: choices(
            kiosks.into_iter().map(|k| (k.clone(), k)),
            f.kiosk.as_deref(),
        ),
        status_counts: counts
            .by_status
            .iter()
            .map(|(s, n)| Count {
                label: s.name(t),
                value: *n,
            })
            .collect(),
        prev_href: (f.page > 0).then(|| page_href(f.page - 1)),
        next_href: (start + PAGE < lines.len()).then(|| page_href(f.page + 1)),
        rows,
        counts,
        personal,
        query,
        today: today.format("%Y-%m-%d").to_string(),
        f,
    })
}

pub async fn csv(
    State(state): State<DeskState>,
    staff: Staff,
    Query(q): Query<register::Query>,
) -> Result<Response, DeskError> {
    let t = staff.t();
    let f = Filters::from_query(&q);
    let pool = &state.app.pool;
    let (lines, _) = register::select(table::entries(pool, &f.narrow()).await?, &f, today());
    let personal = staff.role().sees_personal_data();
    if personal {
        audit::append(
            pool,
            &staff.who.name,
            "register.csv",
            "register",
            &json!({ "filters": f.query_string(), "rows": lines.len() }),
        )
        .await?;
    }
    let body =
        register::csv(&lines, t, personal).map_err(|e| DeskError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"complaints.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Day {
    day: Option<String>,
}

/// One PDF of every complaint registered on a day (clerks only: it holds
/// personal data). Every complaint in it counts as opened.
pub async fn day_pdf(
    State(state): State<DeskState>,
    staff: Staff,
    Query(q): Query<Day>,
) -> Result<Response, DeskError> {
    staff.require(|r| r.sees_personal_data())?;
    let t = staff.t();
    let day: NaiveDate = q
        .day
        .as_deref()
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| DeskError::BadRequest("day".into()))?;
    let ymd = day.format("%Y-%m-%d").to_string();
    let pool = &state.app.pool;
    let numbers = table::registered_on(pool, &ymd).await?;
    let municipality = state.municipality(t);
    let mut copies = Vec::with_capacity(numbers.len());
    for n in &numbers {
        let Some(full) = table::full(pool, n).await? else {
            continue;
        };
        let events = complaint_events::of_number(pool, n).await?;
        let v = view::build(&full, &events, t, true, today());
        copies.push(view::copy(&v, municipality));
    }
    audit::append(
        pool,
        &staff.who.name,
        "complaint.day_copy",
        &format!("registered:{ymd}"),
        &json!({ "numbers": numbers }),
    )
    .await?;
    let bytes = pdf::day_register(municipality, &dmy(&ymd), &copies, t)?;
    Ok(pdf_response(bytes, &format!("registered-{ymd}.pdf")))
}

/// A PDF as a download named `file`.
pub fn pdf_response(bytes: Vec<u8>, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
