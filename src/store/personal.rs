//! Personal data, kept apart from the record so it can be erased alone.
//!
//! The privacy rules of the central-system contract: name, address, phone,
//! e-mail and free text (a complaint's text, a rating's comment) stay on the
//! kiosk only until the record is delivered plus `[privacy]
//! keep_days_after_delivery`. They live in `personal_data`, one row per
//! record that has any; erasing deletes that row and marks the record
//! `personal_erased`. The record's JSON in `records.data` never holds them,
//! and everything a summary counts (kind, number, dates, category, score,
//! flags) stays after erasure.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Store;
use super::error::StoreError;
use crate::domain::record::RecordData;

/// The fields of a record that identify or may identify a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalData {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// A complaint's text or a rating's comment.
    pub free_text: String,
}

impl PersonalData {
    /// Whether there is nothing to keep.
    pub fn is_empty(&self) -> bool {
        [
            &self.name,
            &self.address,
            &self.phone,
            &self.email,
            &self.free_text,
        ]
        .iter()
        .all(|f| f.is_empty())
    }

    /// Moves the personal fields out of `data`, leaving them empty there.
    pub(crate) fn take_from(data: &mut RecordData) -> Self {
        let take = std::mem::take::<String>;
        match data {
            RecordData::Complaint(c) => PersonalData {
                name: take(&mut c.name),
                address: take(&mut c.address),
                phone: take(&mut c.phone),
                email: take(&mut c.email),
                free_text: take(&mut c.text),
            },
            RecordData::Rating(r) => PersonalData {
                free_text: take(&mut r.comment),
                ..Self::default()
            },
            RecordData::StaffCall(_) => Self::default(),
        }
    }

    /// Puts the personal fields back into `data` (the inverse of `take_from`).
    pub(crate) fn put_into(self, data: &mut RecordData) {
        match data {
            RecordData::Complaint(c) => {
                c.name = self.name;
                c.address = self.address;
                c.phone = self.phone;
                c.email = self.email;
                c.text = self.free_text;
            }
            RecordData::Rating(r) => r.comment = self.free_text,
            RecordData::StaffCall(_) => {}
        }
    }
}

/// Stores `personal` for record `id`, unless there is nothing to store.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    id: &str,
    personal: &PersonalData,
) -> Result<(), StoreError> {
    if personal.is_empty() {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO personal_data (record_id, name, address, phone, email, free_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        personal.name,
        personal.address,
        personal.phone,
        personal.email,
        personal.free_text
    ])?;
    Ok(())
}

/// The personal data kept for record `id`; empty when there is none (never
/// given, or erased).
pub(crate) fn load(conn: &Connection, id: &str) -> Result<PersonalData, StoreError> {
    let found = conn
        .prepare_cached(
            "SELECT name, address, phone, email, free_text FROM personal_data WHERE record_id = ?1",
        )?
        .query_row([id], |r| {
            Ok(PersonalData {
                name: r.get(0)?,
                address: r.get(1)?,
                phone: r.get(2)?,
                email: r.get(3)?,
                free_text: r.get(4)?,
            })
        })
        .optional()?;
    Ok(found.unwrap_or_default())
}

impl Store {
    /// Erases the personal data of every record the central system received
    /// before `cutoff` (the caller passes now minus the retention period).
    /// Rejected and undelivered records keep theirs: staff still need it.
    /// Returns how many records lost personal data.
    pub fn erase_personal_data_delivered_before(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let erased = self.with_tx(|tx| {
            let delivered_before = "SELECT record_id FROM outbox WHERE state = 'delivered' AND delivered_ms < ?1";
            tx.execute(
                &format!("UPDATE records SET personal_erased = 1 WHERE personal_erased = 0 AND id IN ({delivered_before})"),
                [cutoff.timestamp_millis()],
            )?;
            let n = tx.execute(
                &format!("DELETE FROM personal_data WHERE record_id IN ({delivered_before})"),
                [cutoff.timestamp_millis()],
            )?;
            Ok(n)
        })?;
        if erased > 0 {
            self.checkpoint_wal();
        }
        Ok(erased)
    }

    /// Copies what it can of the write-ahead log into the database file
    /// without waiting for readers. Best effort.
    pub(crate) fn checkpoint_passive(&self) {
        if self.path().is_none() {
            return;
        }
        let result = self.with_conn(|conn| {
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
            Ok(())
        });
        if let Err(e) = result {
            tracing::warn!("could not copy the database log into the database file: {e}");
        }
    }

    /// Copies the write-ahead log into the database file and empties it, so
    /// that erased data does not linger in old log pages. Best effort: a busy
    /// reader only delays this to the next erasure.
    fn checkpoint_wal(&self) {
        let result = self.with_conn(|conn| {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        });
        if let Err(e) = result {
            tracing::warn!("could not truncate the database log after erasing personal data: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::domain::record::{Complaint, ComplaintType, Rating};

    fn complaint() -> RecordData {
        RecordData::Complaint(Complaint {
            ctype: ComplaintType::Signal,
            category: "roads".into(),
            text: "Дупка на пътя.".into(),
            name: "Мария Иванова".into(),
            address: "ул. Първа 1".into(),
            phone: "0888 000 111".into(),
            email: "maria@example.bg".into(),
            anonymous: false,
            health_safety: false,
            flags: vec![],
            due_date: None,
            lang: Lang::Bg,
            check_code: None,
        })
    }

    /// The columns a summary reads, for one record.
    fn summary_row(store: &Store, id: uuid::Uuid) -> String {
        store
            .with_conn(|c| {
                Ok(c.query_row(
                    "SELECT kind, number, created_at, local_date, score, service, desk, complaint_type, category,
                            anonymous, has_contact, due_date,
                            (SELECT group_concat(flag) FROM record_flags WHERE record_id = id),
                            (SELECT group_concat(reason) FROM rating_reasons WHERE record_id = id)
                     FROM records WHERE id = ?1",
                    [id.to_string()],
                    |r| {
                        (0..14)
                            .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                            .collect::<Result<Vec<_>, _>>()
                            .map(|v| v.join("|"))
                    },
                )?)
            })
            .unwrap()
    }

    #[test]
    fn erasure_takes_personal_data_of_records_delivered_long_enough_ago_and_nothing_else() {
        use crate::clock::{Clock, ManualClock};
        use crate::store::fixtures::{complaint as sample, context, rating, submission};

        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 4, 1, 9, 0).unwrap();
        let ctx = context(&clock);
        let old = store.submit(submission(sample()), &ctx).unwrap();
        let rated = store.submit(submission(rating(2)), &ctx).unwrap();
        let undelivered = store.submit(submission(sample()), &ctx).unwrap();
        let recent = store.submit(submission(sample()), &ctx).unwrap();
        store
            .mark_delivered(&[old.id, rated.id], clock.now())
            .unwrap();
        clock.advance(chrono::Duration::days(20));
        store.mark_delivered(&[recent.id], clock.now()).unwrap();
        let before = [old.id, rated.id].map(|id| summary_row(&store, id));

        clock.advance(chrono::Duration::days(15));
        let cutoff = clock.now() - chrono::Duration::days(30);
        assert_eq!(
            store.erase_personal_data_delivered_before(cutoff).unwrap(),
            2
        );

        for (id, before) in [old.id, rated.id].into_iter().zip(before) {
            let stored = store.get(id).unwrap().unwrap();
            assert!(stored.personal_data_erased);
            let mut data = stored.record.data.clone();
            assert!(
                PersonalData::take_from(&mut data).is_empty(),
                "personal data left in {id}"
            );
            assert_eq!(summary_row(&store, id), before, "a summary column changed");
        }
        let erased = store.get(old.id).unwrap().unwrap();
        assert_eq!(erased.record.number, old.number);
        let RecordData::Complaint(c) = erased.record.data else {
            panic!()
        };
        assert_eq!(
            (c.category.as_str(), c.due_date),
            ("service_quality", old.due_date)
        );

        for kept in [undelivered.id, recent.id] {
            let stored = store.get(kept).unwrap().unwrap();
            assert!(!stored.personal_data_erased);
            let RecordData::Complaint(c) = stored.record.data else {
                panic!()
            };
            assert_eq!(c.name, "Иван Петров");
        }
        // Running again finds nothing more to erase.
        assert_eq!(
            store.erase_personal_data_delivered_before(cutoff).unwrap(),
            0
        );
    }

    #[test]
    fn taking_leaves_no_personal_field_in_the_record() {
        let mut data = complaint();
        let personal = PersonalData::take_from(&mut data);
        assert_eq!(personal.name, "Мария Иванова");
        assert_eq!(personal.free_text, "Дупка на пътя.");
        let json = serde_json::to_string(&data).unwrap();
        for secret in ["Мария", "ул. Първа", "0888", "maria@", "Дупка"] {
            assert!(!json.contains(secret), "{secret} left in {json}");
        }
    }

    #[test]
    fn putting_back_restores_the_record() {
        for original in [
            complaint(),
            RecordData::Rating(Rating {
                score: 4,
                service: None,
                desk: None,
                reasons: vec![],
                comment: "Благодаря".into(),
                lang: Lang::Bg,
            }),
        ] {
            let mut data = original.clone();
            let personal = PersonalData::take_from(&mut data);
            assert!(!personal.is_empty());
            personal.put_into(&mut data);
            assert_eq!(data, original);
        }
    }
}
