//! The admin's pages: the audit trail (read only) and the users.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::db::{audit, sessions, users};
use crate::desk::DeskState;
use crate::desk::auth::{self, Role};
use crate::desk::chrome::Chrome;
use crate::desk::complaint::sofia_time;
use crate::desk::error::DeskError;
use crate::desk::request::{Posted, Staff};

/// Audit entries per page.
const AUDIT_PAGE: i64 = 200;

pub struct AuditLine {
    at: String,
    actor: String,
    action: String,
    target: String,
    details: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    chrome: Chrome,
    rows: Vec<AuditLine>,
    older_href: Option<String>,
}

#[derive(Deserialize)]
pub struct Before {
    before: Option<i64>,
}

pub async fn audit_page(
    State(state): State<DeskState>,
    staff: Staff,
    Query(q): Query<Before>,
) -> Result<AuditPage, DeskError> {
    staff.require(Role::is_admin)?;
    let t = staff.t();
    let rows = audit::recent(&state.app.pool, q.before, AUDIT_PAGE).await?;
    let older_href = rows
        .last()
        .filter(|_| rows.len() as i64 == AUDIT_PAGE)
        .map(|(id, _)| format!("/desk/audit?before={id}"));
    Ok(AuditPage {
        chrome: Chrome::new(&staff, state.municipality(t), "/desk/audit", t.audit_title),
        rows: rows
            .into_iter()
            .map(|(_, r)| AuditLine {
                at: sofia_time(&r.at),
                actor: r.actor,
                action: r.action,
                target: r.target,
                details: r.details,
            })
            .collect(),
        older_href,
    })
}

pub struct UserLine {
    id: i64,
    name: String,
    role: &'static str,
    state: String,
    locked: bool,
    disabled: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "users.html")]
pub struct UsersPage {
    chrome: Chrome,
    users: Vec<UserLine>,
    error: String,
}

async fn users_page(
    state: &DeskState,
    staff: &Staff,
    error: String,
) -> Result<UsersPage, DeskError> {
    let t = staff.t();
    let now = crate::db::now_text();
    let users = users::all(&state.app.pool)
        .await?
        .into_iter()
        .map(|u| {
            let locked = u.locked_until.as_ref().is_some_and(|l| *l > now);
            let state = if u.disabled {
                t.disabled.to_owned()
            } else if let Some(l) = u.locked_until.as_ref().filter(|_| locked) {
                format!("{} {}", t.locked_until, sofia_time(l))
            } else {
                t.active.to_owned()
            };
            UserLine {
                id: u.id,
                role: t.role_name(&u.role),
                name: u.name,
                state,
                locked,
                disabled: u.disabled,
            }
        })
        .collect();
    Ok(UsersPage {
        chrome: Chrome::new(staff, state.municipality(t), "/desk/users", t.users_title),
        users,
        error,
    })
}

pub async fn users(State(state): State<DeskState>, staff: Staff) -> Result<UsersPage, DeskError> {
    staff.require(Role::is_admin)?;
    users_page(&state, &staff, String::new()).await
}

#[derive(Deserialize)]
pub struct NewUser {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn add_user(
    State(state): State<DeskState>,
    posted: Posted<NewUser>,
) -> Result<Response, DeskError> {
    let Posted { staff, form } = posted;
    staff.require(Role::is_admin)?;
    let role = Role::parse(&form.role).ok_or_else(|| DeskError::BadRequest("role".into()))?;
    match auth::set_user(
        &state.app.pool,
        &form.name,
        role,
        &form.password,
        &staff.who.name,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/desk/users").into_response()),
        Err(DeskError::BadRequest(why)) => {
            let page = users_page(&state, &staff, why).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn change_user(
    State(state): State<DeskState>,
    Path((id, change)): Path<(i64, String)>,
    posted: Posted<Nothing>,
) -> Result<Response, DeskError> {
    let staff = posted.staff;
    staff.require(Role::is_admin)?;
    let pool = &state.app.pool;
    let user = users::by_id(pool, id).await?.ok_or(DeskError::NotFound)?;
    match change.as_str() {
        "unlock" => users::unlock(pool, id).await?,
        "disable" => {
            users::set_disabled(pool, id, true).await?;
            sessions::delete_of_user(pool, id).await?;
        }
        "enable" => users::set_disabled(pool, id, false).await?,
        _ => return Err(DeskError::NotFound),
    }
    audit::append(
        pool,
        &staff.who.name,
        &format!("user.{change}"),
        &format!("user:{}", user.name),
        &json!({}),
    )
    .await?;
    Ok(Redirect::to("/desk/users").into_response())
}
