//! What the registry desk does to a complaint, as plain functions over the
//! pool: the CLI (`kiosk-central complaint ...`) and the desk's web pages
//! call these very functions, so both are checked and audited alike.
//!
//! Each action runs in one transaction that checks the complaint's state,
//! appends a complaint event (which flows back to the kiosk as an `answer`
//! of `updates`) and an audit entry naming the acting person. Checks: the
//! number must be held; no date before the filing date or after today; no
//! answer before the registration; an extension must move the due date
//! later; nothing more once a complaint is answered or closed as not
//! examined; "anonymous" is a reason only for an anonymous filing.

use chrono::NaiveDate;
use kiosk_rules::domain::ReceiptNumber;
use serde_json::json;
use sqlx::AnyPool;

use crate::db::complaint_events::{self, Event};
use crate::db::{self, audit, complaints};

/// The longest registry (incoming) number, as the contract allows.
pub const MAX_REGISTRY_NUMBER: usize = 32;
/// The longest reason for an extension.
pub const MAX_REASON: usize = 2000;

/// The charter's two reasons to leave a complaint unexamined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotExaminedReason {
    /// Anonymous, and not about health or safety.
    Anonymous,
    /// Obscene or unmotivated offensive wording.
    Offensive,
}

impl NotExaminedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            NotExaminedReason::Anonymous => "anonymous",
            NotExaminedReason::Offensive => "offensive",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "anonymous" => Some(NotExaminedReason::Anonymous),
            "offensive" => Some(NotExaminedReason::Offensive),
            _ => None,
        }
    }
}

/// Why an action was refused; the message tells the clerk what to do.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("{0:?} is not a receipt number like KV1-2026-000042")]
    BadNumber(String),
    #[error("no complaint with the number {0} has reached this server")]
    UnknownNumber(String),
    #[error("the acting person's name is empty; give it with --as NAME")]
    NoActor,
    #[error("the registry number must be 1 to {MAX_REGISTRY_NUMBER} characters")]
    BadRegistryNumber,
    #[error("{number} is registered already, under {registry_number}")]
    AlreadyRegistered {
        number: String,
        registry_number: String,
    },
    #[error("{what} {date} is before the complaint was filed ({filed_on})")]
    BeforeFiling {
        what: &'static str,
        date: NaiveDate,
        filed_on: String,
    },
    #[error("{what} {date} is before the registration ({registered_on})")]
    BeforeRegistration {
        what: &'static str,
        date: NaiveDate,
        registered_on: String,
    },
    #[error("{what} {date} is in the future (today is {today})")]
    InFuture {
        what: &'static str,
        date: NaiveDate,
        today: NaiveDate,
    },
    #[error(
        "the new due date {new} is not later than the current one ({current}): an extension cannot shorten the time"
    )]
    Shortens { new: NaiveDate, current: String },
    #[error(
        "the reason for the extension is empty or longer than {MAX_REASON} characters; the filer must be told why"
    )]
    BadReason,
    #[error("{number} is closed already ({status}); nothing more can be recorded")]
    Closed { number: String, status: String },
    #[error(
        "{0} was not filed anonymously, so \"anonymous\" is not a reason to leave it unexamined"
    )]
    NotAnonymous(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

/// Registration under the municipality's incoming number.
#[derive(Debug, Clone)]
pub struct Registration {
    pub registry_number: String,
    pub registered_on: NaiveDate,
}

/// A later due date, with why, and when the filer was told.
#[derive(Debug, Clone)]
pub struct Extension {
    pub new_due_date: NaiveDate,
    pub reason: String,
    pub told_on: NaiveDate,
}

/// Records the registration of `number`. Returns the event's id.
pub async fn register(
    pool: &AnyPool,
    number: &str,
    r: &Registration,
    actor: &str,
    today: NaiveDate,
) -> Result<i64, ActionError> {
    let registry_number = r.registry_number.trim().to_string();
    if registry_number.is_empty() || registry_number.chars().count() > MAX_REGISTRY_NUMBER {
        return Err(ActionError::BadRegistryNumber);
    }
    act(pool, number, actor, |facts, history| {
        if let Some(reg) = history.iter().find(|e| e.status == "registered") {
            return Err(ActionError::AlreadyRegistered {
                number: facts.number.clone(),
                registry_number: reg.registry_number.clone().unwrap_or_default(),
            });
        }
        in_range("the registration date", r.registered_on, facts, today)?;
        Ok(Event {
            status: "registered".into(),
            registry_number: Some(registry_number.clone()),
            registered_on: Some(ymd(r.registered_on)),
            ..Event::default()
        })
    })
    .await
}

/// Records that the written answer was sent on `answered_on`.
pub async fn answer(
    pool: &AnyPool,
    number: &str,
    answered_on: NaiveDate,
    actor: &str,
    today: NaiveDate,
) -> Result<i64, ActionError> {
    act(pool, number, actor, |facts, history| {
        open(facts, history)?;
        in_range("the answer date", answered_on, facts, today)?;
        after_registration("the answer date", answered_on, history)?;
        Ok(Event {
            status: "answered".into(),
            answered_on: Some(ymd(answered_on)),
            ..Event::default()
        })
    })
    .await
}

/// Records a later due date, the reason and when the filer was told.
pub async fn extend(
    pool: &AnyPool,
    number: &str,
    x: &Extension,
    actor: &str,
    today: NaiveDate,
) -> Result<i64, ActionError> {
    let reason = x.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(ActionError::BadReason);
    }
    act(pool, number, actor, |facts, history| {
        open(facts, history)?;
        in_range("the date the filer was told", x.told_on, facts, today)?;
        let current = history
            .iter()
            .rev()
            .find_map(|e| e.new_due_date.clone())
            .or_else(|| facts.due_date.clone())
            .unwrap_or_else(|| facts.filed_on.clone());
        if ymd(x.new_due_date) <= current {
            return Err(ActionError::Shortens {
                new: x.new_due_date,
                current,
            });
        }
        Ok(Event {
            status: "extended".into(),
            new_due_date: Some(ymd(x.new_due_date)),
            reason: Some(reason.clone()),
            told_on: Some(ymd(x.told_on)),
            ..Event::default()
        })
    })
    .await
}

/// Closes `number` as not examined, for one of the charter's reasons.
pub async fn not_examined(
    pool: &AnyPool,
    number: &str,
    why: NotExaminedReason,
    actor: &str,
) -> Result<i64, ActionError> {
    act(pool, number, actor, |facts, history| {
        open(facts, history)?;
        if why == NotExaminedReason::Anonymous && !facts.anonymous {
            return Err(ActionError::NotAnonymous(facts.number.clone()));
        }
        Ok(Event {
            status: "not_examined".into(),
            not_examined_reason: Some(why.as_str().into()),
            ..Event::default()
        })
    })
    .await
}

/// The common frame: find the complaint, check, append the event and the
/// audit entry, commit.
async fn act(
    pool: &AnyPool,
    number: &str,
    actor: &str,
    decide: impl FnOnce(&complaints::ComplaintFacts, &[Event]) -> Result<Event, ActionError>,
) -> Result<i64, ActionError> {
    let actor = actor.trim();
    if actor.is_empty() {
        return Err(ActionError::NoActor);
    }
    let number: ReceiptNumber = number
        .parse()
        .map_err(|_| ActionError::BadNumber(number.chars().take(40).collect()))?;
    let number = number.to_string();
    let mut tx = db::begin_write(pool).await?;
    complaint_events::lock_for_insert(&mut tx, db::backend(pool)).await?;
    let facts = complaints::facts(&mut *tx, &number)
        .await?
        .ok_or_else(|| ActionError::UnknownNumber(number.clone()))?;
    let history = complaint_events::of_number(&mut *tx, &number).await?;
    let mut event = decide(&facts, &history)?;
    event.number = number.clone();
    event.actor = actor.to_string();
    event.at = db::now_text();
    let id = complaint_events::insert(&mut *tx, &event).await?;
    let details = json!({
        "event": id,
        "status": event.status,
        "registry_number": event.registry_number,
        "registered_on": event.registered_on,
        "answered_on": event.answered_on,
        "new_due_date": event.new_due_date,
        "reason": event.reason,
        "told_on": event.told_on,
        "not_examined_reason": event.not_examined_reason,
    });
    audit::append(
        &mut *tx,
        actor,
        &format!("complaint.{}", event.status),
        &format!("complaint:{number}"),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn open(facts: &complaints::ComplaintFacts, history: &[Event]) -> Result<(), ActionError> {
    match history
        .iter()
        .find(|e| e.status == "answered" || e.status == "not_examined")
    {
        Some(e) => Err(ActionError::Closed {
            number: facts.number.clone(),
            status: e.status.replace('_', " "),
        }),
        None => Ok(()),
    }
}

fn in_range(
    what: &'static str,
    date: NaiveDate,
    facts: &complaints::ComplaintFacts,
    today: NaiveDate,
) -> Result<(), ActionError> {
    if ymd(date) < facts.filed_on {
        return Err(ActionError::BeforeFiling {
            what,
            date,
            filed_on: facts.filed_on.clone(),
        });
    }
    if date > today {
        return Err(ActionError::InFuture { what, date, today });
    }
    Ok(())
}

fn after_registration(
    what: &'static str,
    date: NaiveDate,
    history: &[Event],
) -> Result<(), ActionError> {
    match history
        .iter()
        .find_map(|e| e.registered_on.clone())
        .filter(|on| ymd(date) < *on)
    {
        Some(registered_on) => Err(ActionError::BeforeRegistration {
            what,
            date,
            registered_on,
        }),
        None => Ok(()),
    }
}

/// Today in Europe/Sofia, the date the desk works in.
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Sofia)
        .date_naive()
}
