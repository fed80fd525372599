//! What happened to complaints after filing: the central system's answers
//! (contract 1.1 `updates`), the registry desk's registration, the updates
//! cursor and the configuration fragment's state; and the one lookup
//! "check my receipt" makes.
//!
//! Nothing here reads personal data: a lookup by receipt number gives
//! dates and a status, never a text, a name or a contact.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::summary::{opt_date, parse_date};
use crate::domain::ReceiptNumber;
use crate::domain::follow_up::{CentralAnswer, CentralStatus, FollowUp, NotExamined};

/// Keys of `updates_state`.
pub mod keys {
    /// The `cursor` of the last updates answer applied.
    pub const CURSOR: &str = "cursor";
    /// The version of the configuration fragment in use.
    pub const CONFIG_VERSION: &str = "config_version";
    /// The version of the last fragment refused, and why.
    pub const CONFIG_REFUSED_VERSION: &str = "config_refused_version";
    pub const CONFIG_ERROR: &str = "config_error";
}

impl Store {
    /// Keeps the central system's `answers`, all or none. Returns how many
    /// changed what this database knew.
    pub fn apply_answers(
        &self,
        answers: &[CentralAnswer],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        if answers.is_empty() {
            return Ok(0);
        }
        self.with_tx(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO central_answers (number, status, answered_on, new_due_date,
                                             registry_number, registered_on, received_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (number) DO UPDATE SET
                     status = excluded.status,
                     answered_on = coalesce(excluded.answered_on, answered_on),
                     new_due_date = coalesce(excluded.new_due_date, new_due_date),
                     registry_number = coalesce(excluded.registry_number, registry_number),
                     registered_on = coalesce(excluded.registered_on, registered_on),
                     received_ms = excluded.received_ms
                 WHERE status IS NOT excluded.status
                    OR answered_on IS NOT coalesce(excluded.answered_on, answered_on)
                    OR new_due_date IS NOT coalesce(excluded.new_due_date, new_due_date)
                    OR registry_number IS NOT coalesce(excluded.registry_number, registry_number)
                    OR registered_on IS NOT coalesce(excluded.registered_on, registered_on)",
            )?;
            let mut changed = 0;
            for a in answers {
                changed += stmt.execute(params![
                    a.number,
                    a.status.as_str(),
                    a.answered_on.map(|d| d.to_string()),
                    a.new_due_date.map(|d| d.to_string()),
                    a.registry_number,
                    a.registered_on.map(|d| d.to_string()),
                    now.timestamp_millis(),
                ])?;
            }
            Ok(changed)
        })
    }

    /// A value of the updates state.
    pub fn updates_value(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.with_conn(|conn| {
            Ok(conn
                .prepare_cached("SELECT value FROM updates_state WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?)
        })
    }

    /// Sets (or, with `None`, removes) values of the updates state, together.
    pub fn set_updates_values(&self, values: &[(&str, Option<&str>)]) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            for (key, value) in values {
                match value {
                    Some(v) => tx.execute(
                        "INSERT INTO updates_state (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        params![key, v],
                    )?,
                    None => tx.execute("DELETE FROM updates_state WHERE key = ?1", [key])?,
                };
            }
            Ok(())
        })
    }

    /// Where complaint `number` stands, for a visitor checking a receipt:
    /// `None` when neither this kiosk nor the central system knows it. Only
    /// complaints have a follow-up; a number of another kind is unknown.
    pub fn follow_up(&self, number: &ReceiptNumber) -> Result<Option<FollowUp>, StoreError> {
        let n = number.to_string();
        self.with_conn(|conn| {
            let record = conn
                .prepare_cached(
                    "SELECT local_date, due_date, answered_on, registered_on,
                            coalesce(anonymous, 0),
                            EXISTS (SELECT 1 FROM record_flags f WHERE f.record_id = r.id
                                    AND f.flag = 'offensive_language')
                     FROM records r WHERE number = ?1 AND kind = 'complaint'",
                )?
                .query_row([&n], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, bool>(4)?,
                        r.get::<_, bool>(5)?,
                    ))
                })
                .optional()?;
            let central = conn
                .prepare_cached(
                    "SELECT status, answered_on, new_due_date, registry_number, registered_on
                     FROM central_answers WHERE number = ?1",
                )?
                .query_row([&n], |r| {
                    Ok(CentralRow {
                        status: r.get(0)?,
                        answered_on: r.get(1)?,
                        new_due_date: r.get(2)?,
                        registry_number: r.get(3)?,
                        registered_on: r.get(4)?,
                    })
                })
                .optional()?;
            if record.is_none() && central.is_none() {
                return Ok(None);
            }
            let mut f = FollowUp::default();
            let mut why = NotExamined::Other;
            if let Some((filed, due, answered, registered, anonymous, offensive)) = record {
                f.filed_on = Some(parse_date(&filed)?);
                f.due_date = opt_date(due)?;
                f.answered_on = opt_date(answered)?;
                f.registered_on = opt_date(registered)?;
                why = if offensive {
                    NotExamined::Offensive
                } else if anonymous {
                    // The form offers "anonymous" only for a threat to
                    // health and safety; not examined means it was judged
                    // none.
                    NotExamined::Anonymous
                } else {
                    NotExamined::Other
                };
            }
            if let Some(central) = central {
                merge_central(&mut f, central, why)?;
            }
            Ok(Some(f))
        })
    }

    /// Marks complaint `id` registered at the desk on `on` (its copy was
    /// printed or exported); a first registration is kept.
    pub fn mark_registered(&self, id: Uuid, on: NaiveDate) -> Result<(), StoreError> {
        self.with_tx(|tx| {
            let n = tx.execute(
                "UPDATE records SET registered_on = coalesce(registered_on, ?2)
                 WHERE id = ?1 AND kind = 'complaint'",
                params![id.to_string(), on.to_string()],
            )?;
            if n == 0 {
                return Err(StoreError::NoSuchRecord(id));
            }
            Ok(())
        })
    }
}

/// A `central_answers` row as read.
#[derive(Debug, Default)]
pub(crate) struct CentralRow {
    pub status: String,
    pub answered_on: Option<String>,
    pub new_due_date: Option<String>,
    pub registry_number: Option<String>,
    pub registered_on: Option<String>,
}

/// Adds the central system's answer to what the kiosk knows: staff's own
/// answer mark wins over the central date; the registry's own registration
/// (with its number) wins over the day the kiosk printed the desk's copy.
pub(crate) fn merge_central(
    f: &mut FollowUp,
    row: CentralRow,
    why: NotExamined,
) -> Result<(), StoreError> {
    f.extended_to = opt_date(row.new_due_date)?;
    if let Some(on) = opt_date(row.registered_on)? {
        f.registered_on = Some(on);
        f.registry_number = row.registry_number;
    }
    match CentralStatus::parse(&row.status) {
        Some(CentralStatus::Answered) => {
            f.answered_on = f.answered_on.or(opt_date(row.answered_on)?);
        }
        Some(CentralStatus::NotExamined) => f.not_examined = Some(why),
        Some(CentralStatus::Extended | CentralStatus::Registered) | None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::store::fixtures::{complaint, context, rating, submission};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn answers_from_the_central_system_feed_the_follow_up() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 11, 23, 10, 0).unwrap();
        let a = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let b = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let r = store
            .submit(submission(rating(2)), &context(&clock))
            .unwrap();
        assert!(r.number.is_none());
        let (na, nb) = (a.number.unwrap(), b.number.unwrap());
        let first = store.follow_up(&na).unwrap().unwrap();
        assert_eq!(first.filed_on, Some(day(2026, 11, 23)));
        assert!(first.due_date.is_some());
        assert_eq!(first.answered_on, None);

        let answers = [
            CentralAnswer {
                number: na.to_string(),
                status: CentralStatus::Answered,
                answered_on: Some(day(2026, 12, 15)),
                new_due_date: None,
                registry_number: None,
                registered_on: None,
            },
            CentralAnswer {
                number: nb.to_string(),
                status: CentralStatus::Extended,
                answered_on: None,
                new_due_date: Some(day(2027, 1, 20)),
                registry_number: None,
                registered_on: None,
            },
            CentralAnswer {
                number: "KV1-2026-000099".into(),
                status: CentralStatus::NotExamined,
                answered_on: None,
                new_due_date: None,
                registry_number: None,
                registered_on: None,
            },
        ];
        assert_eq!(store.apply_answers(&answers, clock.now()).unwrap(), 3);
        assert_eq!(
            store.apply_answers(&answers, clock.now()).unwrap(),
            0,
            "the same answers again change nothing"
        );
        let fa = store.follow_up(&na).unwrap().unwrap();
        assert_eq!(fa.answered_on, Some(day(2026, 12, 15)));
        let fb = store.follow_up(&nb).unwrap().unwrap();
        assert_eq!(fb.extended_to, Some(day(2027, 1, 20)));
        assert_eq!(fb.due_now(), Some(day(2027, 1, 20)));
        // Known only to the central system (this database lost it).
        let lost = store
            .follow_up(&"KV1-2026-000099".parse().unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(lost.filed_on, None);
        assert_eq!(lost.not_examined, Some(NotExamined::Other));
        assert_eq!(
            store
                .follow_up(&"KV1-2026-000098".parse().unwrap())
                .unwrap(),
            None
        );
        // Later: answered after the extension; the new date stays known.
        store
            .apply_answers(
                &[CentralAnswer {
                    number: nb.to_string(),
                    status: CentralStatus::Answered,
                    answered_on: Some(day(2027, 1, 10)),
                    new_due_date: None,
                    registry_number: None,
                    registered_on: None,
                }],
                clock.now(),
            )
            .unwrap();
        let fb = store.follow_up(&nb).unwrap().unwrap();
        assert_eq!(
            (fb.answered_on, fb.extended_to),
            (Some(day(2027, 1, 10)), Some(day(2027, 1, 20)))
        );
    }

    #[test]
    fn the_registry_number_stays_after_the_answer() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 11, 23, 10, 0).unwrap();
        let a = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let n = a.number.unwrap();
        let registered = CentralAnswer {
            number: n.to_string(),
            status: CentralStatus::Registered,
            answered_on: None,
            new_due_date: None,
            registry_number: Some("94-00-12".into()),
            registered_on: Some(day(2026, 11, 24)),
        };
        store.apply_answers(&[registered], clock.now()).unwrap();
        let f = store.follow_up(&n).unwrap().unwrap();
        assert_eq!(f.registry_number.as_deref(), Some("94-00-12"));
        assert_eq!(f.registered_on, Some(day(2026, 11, 24)));
        let answered = CentralAnswer {
            number: n.to_string(),
            status: CentralStatus::Answered,
            answered_on: Some(day(2026, 12, 10)),
            new_due_date: None,
            registry_number: None,
            registered_on: None,
        };
        store.apply_answers(&[answered], clock.now()).unwrap();
        let f = store.follow_up(&n).unwrap().unwrap();
        assert_eq!(
            (f.registry_number.as_deref(), f.answered_on),
            (Some("94-00-12"), Some(day(2026, 12, 10)))
        );
    }

    #[test]
    fn registration_and_the_updates_state_are_kept() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 11, 23, 10, 0).unwrap();
        let a = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        store.mark_registered(a.id, day(2026, 11, 24)).unwrap();
        store.mark_registered(a.id, day(2026, 11, 30)).unwrap();
        let f = store.follow_up(&a.number.unwrap()).unwrap().unwrap();
        assert_eq!(f.registered_on, Some(day(2026, 11, 24)), "the first stays");
        assert!(
            store
                .mark_registered(Uuid::now_v7(), day(2026, 11, 24))
                .is_err()
        );

        assert_eq!(store.updates_value(keys::CURSOR).unwrap(), None);
        store
            .set_updates_values(&[(keys::CURSOR, Some("c-2")), (keys::CONFIG_ERROR, None)])
            .unwrap();
        assert_eq!(
            store.updates_value(keys::CURSOR).unwrap().as_deref(),
            Some("c-2")
        );
    }
}
