//! A complaint's page, its four actions and its registry copy.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::complaints::actions::{
    self, ActionError, Extension, NotExaminedReason, Registration, today,
};
use crate::db::{audit, complaint_events, register as table};
use crate::desk::DeskState;
use crate::desk::chrome::Chrome;
use crate::desk::complaint::{self as view, View};
use crate::desk::error::DeskError;
use crate::desk::pages::register::pdf_response;
use crate::desk::request::{Posted, Staff};
use crate::i18n::Strings;
use crate::pdf;

/// What the action forms hold (kept when a form comes back with an error).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    registry_number: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    new_due_date: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    told_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "complaint.html")]
pub struct ComplaintPage {
    chrome: Chrome,
    v: View,
    can_act: bool,
    form: ActionForm,
    error_for: &'static str,
    error: String,
    notice: String,
}

/// Loads and builds the view; a clerk's opening is audited.
async fn load(state: &DeskState, staff: &Staff, number: &str) -> Result<View, DeskError> {
    let pool = &state.app.pool;
    let full = table::full(pool, number)
        .await?
        .ok_or(DeskError::NotFound)?;
    let events = complaint_events::of_number(pool, number).await?;
    let personal = staff.role().sees_personal_data();
    if personal {
        audit::append(
            pool,
            &staff.who.name,
            "complaint.open",
            &format!("complaint:{number}"),
            &json!({ "personal_data": true }),
        )
        .await?;
    }
    Ok(view::build(&full, &events, staff.t(), personal, today()))
}

fn render(
    state: &DeskState,
    staff: &Staff,
    v: View,
    mut form: ActionForm,
    error_for: &'static str,
    error: String,
    notice: String,
) -> ComplaintPage {
    let t = staff.t();
    let today = today().format("%Y-%m-%d").to_string();
    if form.on.is_empty() {
        form.on.clone_from(&today);
    }
    if form.told_on.is_empty() {
        form.told_on = today;
    }
    let path = format!("/desk/complaints/{}", v.copy.number);
    let title = format!("{} {}", v.copy.kind, v.copy.number);
    ComplaintPage {
        chrome: Chrome::new(staff, state.municipality(t), &path, &title),
        can_act: staff.role().acts_on_complaints(),
        v,
        form,
        error_for,
        error,
        notice,
    }
}

#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(
    State(state): State<DeskState>,
    staff: Staff,
    Path(number): Path<String>,
    Query(q): Query<Done>,
) -> Result<ComplaintPage, DeskError> {
    let v = load(&state, &staff, &number).await?;
    let notice = if q.done.is_some() {
        staff.t().done.to_owned()
    } else {
        String::new()
    };
    Ok(render(
        &state,
        &staff,
        v,
        ActionForm::default(),
        "",
        String::new(),
        notice,
    ))
}

pub async fn copy_pdf(
    State(state): State<DeskState>,
    staff: Staff,
    Path(number): Path<String>,
) -> Result<Response, DeskError> {
    staff.require(|r| r.sees_personal_data())?;
    let number = number.strip_suffix(".pdf").unwrap_or(&number).to_owned();
    let v = load(&state, &staff, &number).await?;
    let t = staff.t();
    let bytes = pdf::registry_copy(&view::copy(&v, state.municipality(t)), t)?;
    audit::append(
        &state.app.pool,
        &staff.who.name,
        "complaint.copy",
        &format!("complaint:{number}"),
        &json!({ "pdf": true }),
    )
    .await?;
    Ok(pdf_response(bytes, &format!("{number}.pdf")))
}

/// Which action a form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Register,
    Answer,
    Extend,
    NotExamined,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s {
            "register" => Some(Action::Register),
            "answer" => Some(Action::Answer),
            "extend" => Some(Action::Extend),
            "not-examined" => Some(Action::NotExamined),
            _ => None,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::Answer => "answer",
            Action::Extend => "extend",
            Action::NotExamined => "not-examined",
        }
    }
}

/// A refused action in the clerk's language.
fn refusal(e: &ActionError, t: &Strings) -> String {
    let d = |d: &NaiveDate| d.format("%d.%m.%Y").to_string();
    let dmy = |s: &str| crate::desk::register::dmy(s);
    match e {
        ActionError::BadRegistryNumber => t.err_registry_number.to_owned(),
        ActionError::AlreadyRegistered {
            registry_number, ..
        } => Strings::fill(t.err_already_registered, &[registry_number]),
        ActionError::BeforeFiling { date, filed_on, .. } => {
            Strings::fill(t.err_before_filing, &[&d(date), &dmy(filed_on)])
        }
        ActionError::BeforeRegistration {
            date,
            registered_on,
            ..
        } => Strings::fill(t.err_before_registration, &[&d(date), &dmy(registered_on)]),
        ActionError::InFuture { date, .. } => Strings::fill(t.err_future, &[&d(date)]),
        ActionError::Shortens { new, current } => {
            Strings::fill(t.err_shortens, &[&d(new), &dmy(current)])
        }
        ActionError::BadReason => t.err_reason.to_owned(),
        ActionError::Closed { status, .. } => Strings::fill(t.err_closed, &[status]),
        ActionError::NotAnonymous(_) => t.err_not_anonymous.to_owned(),
        other => Strings::fill(t.err_other, &[&other.to_string()]),
    }
}

fn date(s: &str) -> Option<NaiveDate> {
    s.trim().parse().ok()
}

/// Carries out `action` with the shared actions module.
async fn perform(
    state: &DeskState,
    staff: &Staff,
    number: &str,
    action: Action,
    form: &ActionForm,
) -> Result<Result<(), String>, DeskError> {
    let t = staff.t();
    let pool = &state.app.pool;
    let actor = &staff.who.name;
    let today = today();
    let result = match action {
        Action::Register => {
            let Some(on) = date(&form.on) else {
                return Ok(Err(t.bad_date.to_owned()));
            };
            let r = Registration {
                registry_number: form.registry_number.clone(),
                registered_on: on,
            };
            actions::register(pool, number, &r, actor, today).await
        }
        Action::Answer => {
            let Some(on) = date(&form.on) else {
                return Ok(Err(t.bad_date.to_owned()));
            };
            actions::answer(pool, number, on, actor, today).await
        }
        Action::Extend => {
            let (Some(new_due_date), Some(told_on)) =
                (date(&form.new_due_date), date(&form.told_on))
            else {
                return Ok(Err(t.bad_date.to_owned()));
            };
            let x = Extension {
                new_due_date,
                reason: form.reason.clone(),
                told_on,
            };
            actions::extend(pool, number, &x, actor, today).await
        }
        Action::NotExamined => {
            let Some(why) = NotExaminedReason::parse(&form.reason) else {
                return Ok(Err(t.err_other.replace("{0}", t.act_not_examined_help)));
            };
            actions::not_examined(pool, number, why, actor).await
        }
    };
    match result {
        Ok(_) => Ok(Ok(())),
        Err(ActionError::Db(e)) => Err(DeskError::Db(e)),
        Err(ActionError::UnknownNumber(_) | ActionError::BadNumber(_)) => Err(DeskError::NotFound),
        Err(e) => Ok(Err(refusal(&e, t))),
    }
}

pub async fn act(
    State(state): State<DeskState>,
    Path((number, action)): Path<(String, String)>,
    posted: Posted<ActionForm>,
) -> Result<Response, DeskError> {
    let Posted { staff, form } = posted;
    staff.require(|r| r.acts_on_complaints())?;
    let action = Action::parse(&action).ok_or(DeskError::NotFound)?;
    match perform(&state, &staff, &number, action, &form).await? {
        Ok(()) => Ok(Redirect::to(&format!("/desk/complaints/{number}?done=1")).into_response()),
        Err(message) => {
            let v = load(&state, &staff, &number).await?;
            let page = render(&state, &staff, v, form, action.id(), message, String::new());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
