//! The complaint register for staff: complaints, signals, proposals and
//! praise without their personal data, and marking one answered.
//!
//! Privacy invariant: a [`RegisterEntry`] holds no name, address, phone,
//! e-mail or text, only whether the filer was anonymous, left a contact,
//! and whether the personal data has already been erased; so the register
//! reads the same before and after erasure, and an export of it can leave
//! the building.

use chrono::{Days, NaiveDate};
use rusqlite::{Row, params};
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::follow_up::{CentralRow, merge_central};
use super::outbox::OutboxState;
use super::summary::{opt_date, parse_date};
use crate::domain::check_code::CheckCode;
use crate::domain::follow_up::{FollowUp, NotExamined};
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::ComplaintType;
use crate::domain::summary::DateRange;
use crate::domain::summary::figures::DUE_SOON_DAYS;

/// Which complaints to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    /// Filed in this range; `None`: whenever.
    pub filed: Option<DateRange>,
    pub only: Option<RegisterView>,
    /// List demonstration records too.
    pub include_demo: bool,
}

/// The staff screen's short lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterView {
    /// With at least one flag.
    Flagged,
    /// Not answered, due from `today` to seven days on.
    DueSoon { today: NaiveDate },
    /// Not answered, due date passed.
    Overdue { today: NaiveDate },
    /// The registry desk has not registered its copy yet.
    Unregistered,
}

/// One complaint as staff see it in the register and the export.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterEntry {
    pub id: Uuid,
    pub number: Option<ReceiptNumber>,
    #[serde(rename = "type")]
    pub ctype: ComplaintType,
    pub category: String,
    /// RFC 3339 in Europe/Sofia.
    pub filed_at: String,
    pub filed_on: NaiveDate,
    pub due_date: Option<NaiveDate>,
    /// Staff's answer mark, else the central system's answer date.
    pub answered_on: Option<NaiveDate>,
    /// The central system extended the due date to this day (the filer was
    /// told why).
    pub extended_to: Option<NaiveDate>,
    /// The central system says it is not examined, as the charter allows.
    pub not_examined: bool,
    /// The registry desk registered it on this day (the central system's
    /// date, else the day its copy was printed here).
    pub registered_on: Option<NaiveDate>,
    /// The registry's incoming number, from the central system (1.2).
    pub registry_number: Option<String>,
    /// The complaint's check code (1.2); none on older records.
    pub check_code: Option<CheckCode>,
    pub flags: Vec<String>,
    pub anonymous: bool,
    /// The filer left an address, phone or e-mail for the answer.
    pub has_contact: bool,
    pub personal_data_erased: bool,
    pub clock_trusted: bool,
    pub demo: bool,
    /// `pending`, `delivered` or `rejected` at the central system.
    pub delivery: Option<String>,
}

impl RegisterEntry {
    /// Where it stands, as "check my receipt" tells it.
    pub fn follow_up(&self) -> FollowUp {
        FollowUp {
            filed_on: Some(self.filed_on),
            due_date: self.due_date,
            registered_on: self.registered_on,
            registry_number: self.registry_number.clone(),
            answered_on: self.answered_on,
            extended_to: self.extended_to,
            not_examined: self.not_examined.then_some(NotExamined::Other),
        }
    }
}

impl Store {
    /// The complaints `filter` asks for, oldest first.
    pub fn register(&self, filter: &RegisterFilter) -> Result<Vec<RegisterEntry>, StoreError> {
        let (from, to) = filter.filed.map_or_else(
            || ("0000-01-01".to_owned(), "9999-12-31".to_owned()),
            |r| (r.from.to_string(), r.to.to_string()),
        );
        let (view, a, b) = match filter.only {
            None => (0, String::new(), String::new()),
            Some(RegisterView::Flagged) => (1, String::new(), String::new()),
            Some(RegisterView::DueSoon { today }) => (
                2,
                today.to_string(),
                today
                    .checked_add_days(Days::new(DUE_SOON_DAYS))
                    .unwrap_or(today)
                    .to_string(),
            ),
            Some(RegisterView::Overdue { today }) => (3, today.to_string(), String::new()),
            Some(RegisterView::Unregistered) => (4, String::new(), String::new()),
        };
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT r.id, r.number, r.complaint_type, r.category, r.created_at, r.local_date,
                        r.due_date, r.answered_on,
                        (SELECT group_concat(flag, ',') FROM record_flags f WHERE f.record_id = r.id),
                        coalesce(r.anonymous, 0), coalesce(r.has_contact, 0), r.personal_erased,
                        r.clock_trusted, r.demo, o.state,
                        c.status, c.answered_on, c.new_due_date, r.registered_on,
                        c.registry_number, c.registered_on, r.check_code
                 FROM records r LEFT JOIN outbox o ON o.record_id = r.id
                      LEFT JOIN central_answers c ON c.number = r.number
                 WHERE r.kind = 'complaint' AND r.local_date BETWEEN ?1 AND ?2 AND (r.demo = 0 OR ?3)
                   AND CASE ?4
                       WHEN 1 THEN EXISTS (SELECT 1 FROM record_flags f WHERE f.record_id = r.id)
                       WHEN 2 THEN r.answered_on IS NULL AND coalesce(c.status, '') NOT IN ('answered', 'not_examined')
                                   AND coalesce(c.new_due_date, r.due_date) BETWEEN ?5 AND ?6
                       WHEN 3 THEN r.answered_on IS NULL AND coalesce(c.status, '') NOT IN ('answered', 'not_examined')
                                   AND coalesce(c.new_due_date, r.due_date) < ?5
                       WHEN 4 THEN r.registered_on IS NULL AND c.registered_on IS NULL
                       ELSE 1 END
                 ORDER BY r.created_ms, r.id",
            )?;
            let rows = stmt.query_map(
                params![from, to, filter.include_demo, view, a, b],
                |row| Ok(read(row)),
            )?;
            // A complaint damaged on disk is left out (and logged) rather
            // than taking the whole register with it.
            let mut out = Vec::new();
            for entry in rows {
                match entry? {
                    Ok(e) => out.push(e),
                    Err(e) => tracing::warn!("a complaint cannot be read and is left out of the register: {e}; run `kiosk db check`"),
                }
            }
            Ok(out)
        })
    }

    /// Marks complaint `id` answered on `on` (or clears the mark with
    /// `None`). The date cannot be before the filing date.
    pub fn mark_answered(&self, id: Uuid, on: Option<NaiveDate>) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            let filed: Option<String> = tx
                .query_row(
                    "SELECT local_date FROM records WHERE id = ?1 AND kind = 'complaint'",
                    [id.to_string()],
                    |r| r.get(0),
                )
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
            let filed = parse_date(&filed.ok_or(StoreError::NoSuchRecord(id))?)?;
            if let Some(day) = on.filter(|d| *d < filed) {
                return Err(StoreError::InvalidRecord(format!(
                    "the answer date {day} is before the filing date {filed}; check the date"
                )));
            }
            tx.execute(
                "UPDATE records SET answered_on = ?2 WHERE id = ?1",
                params![id.to_string(), on.map(|d| d.to_string())],
            )?;
            Ok(())
        })
    }
}

fn read(row: &Row<'_>) -> Result<RegisterEntry, StoreError> {
    let lossy = |i: usize| -> Result<Option<String>, StoreError> {
        Ok(super::outbox::lossy_text(row.get_ref(i)?))
    };
    let id: String = lossy(0)?.unwrap_or_default();
    let bad = |detail: String| StoreError::BadRow {
        id: id.clone(),
        detail,
    };
    let number: Option<String> = row.get(1)?;
    let ctype: String = row.get(2)?;
    let filed_on: String = row.get(5)?;
    let flags: Option<String> = lossy(8)?;
    let delivery: Option<String> = row.get(14)?;
    let mut follow = FollowUp {
        answered_on: opt_date(row.get(7)?)?,
        registered_on: opt_date(row.get(18)?)?,
        ..FollowUp::default()
    };
    if let Some(status) = row.get::<_, Option<String>>(15)? {
        let central = CentralRow {
            status,
            answered_on: row.get(16)?,
            new_due_date: row.get(17)?,
            registry_number: lossy(19)?,
            registered_on: row.get(20)?,
        };
        merge_central(&mut follow, central, NotExamined::Other)?;
    }
    let check_code: Option<String> = lossy(21)?;
    Ok(RegisterEntry {
        id: id.parse().map_err(|e| bad(format!("id: {e}")))?,
        number: number
            .map(|n| n.parse().map_err(|_| bad(format!("number {n:?}"))))
            .transpose()?,
        ctype: ComplaintType::parse(&ctype).ok_or_else(|| bad(format!("type {ctype:?}")))?,
        category: lossy(3)?.unwrap_or_default(),
        filed_at: lossy(4)?.unwrap_or_default(),
        filed_on: parse_date(&filed_on)?,
        due_date: opt_date(row.get(6)?)?,
        answered_on: follow.answered_on,
        extended_to: follow.extended_to,
        not_examined: follow.not_examined.is_some(),
        registered_on: follow.registered_on,
        registry_number: follow.registry_number,
        check_code: check_code.and_then(|c| c.parse().ok()),
        flags: flags
            .map(|f| f.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
        anonymous: row.get(9)?,
        has_contact: row.get(10)?,
        personal_data_erased: row.get(11)?,
        clock_trusted: row.get(12)?,
        demo: row.get(13)?,
        delivery: delivery.filter(|s| OutboxState::parse(s).is_some()),
    })
}
