//! A rating stored at the face tap and completed by its follow-ups
//! (contract 1.1).
//!
//! One tap on a face stores the rating at once ([`Store::submit_open_rating`]),
//! so a visitor who walks away after it is counted. Its outbox row is
//! *open*: the sync worker does not send it while the visitor may still
//! say more. The reasons, desk, service and comment the visitor then gives
//! complete that same record ([`Store::close_rating`]), which closes the row
//! and lets it go, as one record with everything the visitor gave. A rating
//! is never sent in parts or twice.
//!
//! Invariants: only an open row is amended; a closed one never changes
//! again (it may be on its way already). Closing is what makes a row
//! sendable, so a change and a send cannot cross. The kiosk closes every
//! open row when it starts (no visit survives a restart), and the sync
//! worker closes one open longer than [`MAX_OPEN`] (a visit never lasts
//! that long), so no rating stays unsent whatever happens to the visit.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::personal::{self, PersonalData};
use super::submit::{Submission, SubmitContext, Submitted, validate};
use crate::domain::record::{Rating, RecordData};

/// The longest a rating stays open: far longer than a visit (the idle
/// reset ends one after about 80 s without a touch).
pub const MAX_OPEN: TimeDelta = TimeDelta::minutes(30);

/// How closing a rating went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// It was open and is now final, with the follow-ups given.
    Completed,
    /// It was final already (closed before, e.g. by a restart or because
    /// it stayed open too long); nothing was changed.
    AlreadyFinal,
    /// No such rating.
    Missing,
}

impl Store {
    /// Stores `rating` now, in one transaction, as [`Store::submit`] does,
    /// but open: it waits for its follow-ups before it is sent.
    pub fn submit_open_rating(
        &self,
        rating: Rating,
        ctx: &SubmitContext<'_>,
    ) -> Result<Submitted, StoreError> {
        let sub = Submission {
            data: RecordData::Rating(rating),
            print_receipt: false,
            demo: false,
        };
        self.submit_now(sub, ctx, true)
    }

    /// Completes the open rating `id` with `rating` (its follow-ups; `None`
    /// keeps it as stored) and makes it final, so it is sent. The record's
    /// id, time and language stay those of the face tap.
    pub fn close_rating(&self, id: Uuid, rating: Option<&Rating>) -> Result<Closed, StoreError> {
        if let Some(r) = rating {
            validate(&RecordData::Rating(r.clone()))?;
        }
        let id = id.to_string();
        self.with_tx(|tx| {
            let open: Option<Option<i64>> = tx
                .prepare_cached(
                    "SELECT o.open_ms FROM outbox o JOIN records r ON r.id = o.record_id
                     WHERE o.record_id = ?1 AND r.kind = 'rating'",
                )?
                .query_row([&id], |r| r.get(0))
                .optional()?;
            match open {
                None => Ok(Closed::Missing),
                Some(None) => Ok(Closed::AlreadyFinal),
                Some(Some(_)) => {
                    if let Some(r) = rating {
                        amend(tx, &id, r)?;
                    }
                    tx.prepare_cached("UPDATE outbox SET open_ms = NULL WHERE record_id = ?1")?
                        .execute([&id])?;
                    Ok(Closed::Completed)
                }
            }
        })
    }

    /// Closes every open rating as it stands: the kiosk is starting, so no
    /// visitor is still adding to one. Returns how many were closed.
    pub fn close_open_ratings(&self) -> Result<usize, StoreError> {
        self.with_tx(|tx| {
            Ok(tx.execute(
                "UPDATE outbox SET open_ms = NULL WHERE open_ms IS NOT NULL",
                [],
            )?)
        })
    }

    /// Closes the ratings open since before `now` minus [`MAX_OPEN`] (or
    /// "opened" over a day after `now`: the clock went back), as they stand.
    pub(crate) fn close_stale_ratings(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let now_ms = now.timestamp_millis();
        let before = now_ms.saturating_sub(MAX_OPEN.num_milliseconds());
        let after = now_ms.saturating_add(TimeDelta::days(1).num_milliseconds());
        let stale = self.with_conn(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT count(*) FROM outbox WHERE open_ms IS NOT NULL
                     AND (open_ms < ?1 OR open_ms > ?2)",
                )?
                .query_row(params![before, after], |r| r.get::<_, i64>(0))?)
        })?;
        if stale == 0 {
            return Ok(0);
        }
        let closed = self.with_tx(|tx| {
            Ok(tx.execute(
                "UPDATE outbox SET open_ms = NULL WHERE open_ms IS NOT NULL
                 AND (open_ms < ?1 OR open_ms > ?2)",
                params![before, after],
            )?)
        })?;
        tracing::info!(
            closed,
            "ratings left open past the length of a visit were closed"
        );
        Ok(closed)
    }

    /// How many ratings are open (stored, waiting for their follow-ups).
    pub fn open_ratings(&self) -> Result<u64, StoreError> {
        self.with_conn(|conn| {
            Ok(conn
                .prepare_cached("SELECT count(*) FROM outbox WHERE open_ms IS NOT NULL")?
                .query_row([], |r| r.get::<_, i64>(0))
                .map(|n| u64::try_from(n).unwrap_or(0))?)
        })
    }
}

/// Rewrites rating `id`'s follow-ups and score. The order keeps the
/// tallies exact: the old reasons leave under the old score, the record's
/// columns change, the new reasons come in under the new score.
fn amend(tx: &Transaction<'_>, id: &str, rating: &Rating) -> Result<(), StoreError> {
    let mut public = RecordData::Rating(rating.clone());
    let personal = PersonalData::take_from(&mut public);
    let json = serde_json::to_string(&public)
        .map_err(|e| StoreError::InvalidRecord(format!("cannot be written as JSON: {e}")))?;
    tx.prepare_cached("DELETE FROM rating_reasons WHERE record_id = ?1")?
        .execute([id])?;
    tx.prepare_cached(
        "UPDATE records SET score = ?2, service = ?3, desk = ?4, data = ?5 WHERE id = ?1",
    )?
    .execute(params![id, rating.score, rating.service, rating.desk, json])?;
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO rating_reasons (record_id, reason) VALUES (?1, ?2)",
    )?;
    for reason in &rating.reasons {
        stmt.execute(params![id, reason])?;
    }
    tx.prepare_cached("DELETE FROM personal_data WHERE record_id = ?1")?
        .execute([id])?;
    personal::insert(tx, id, &personal)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::Lang;
    use crate::domain::summary::DateRange;
    use crate::store::Scope;
    use crate::store::fixtures::{context, rating, submission};

    fn face(score: u8) -> Rating {
        Rating {
            score,
            service: None,
            desk: None,
            reasons: vec![],
            comment: String::new(),
            lang: Lang::Bg,
        }
    }

    fn setup() -> (Store, ManualClock) {
        let clock = ManualClock::at_sofia(2026, 11, 23, 10, 0).unwrap();
        (Store::open_in_memory().unwrap(), clock)
    }

    fn day(store: &Store) -> crate::domain::summary::Summary {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        store
            .summary(DateRange::new(d, d).unwrap(), d, Scope::default())
            .unwrap()
    }

    #[test]
    fn an_open_rating_is_kept_and_counted_but_not_sent_until_closed() {
        let (store, clock) = setup();
        let done = store.submit_open_rating(face(2), &context(&clock)).unwrap();
        assert_eq!(store.open_ratings().unwrap(), 1);
        assert_eq!(day(&store).ratings.count, 1, "counted from the face tap");
        assert!(store.pending_batch(10).unwrap().items.is_empty());
        let RecordData::Rating(full) = rating(1) else {
            unreachable!()
        };
        assert_eq!(
            store.close_rating(done.id, Some(&full)).unwrap(),
            Closed::Completed
        );
        let batch = store.pending_batch(10).unwrap();
        assert_eq!(batch.items.len(), 1, "one record, sent once final");
        let sent = &batch.items[0].record;
        assert_eq!(sent.id, done.id);
        assert_eq!(sent.created_at, done.created_at, "the face tap's time");
        assert_eq!(sent.data, RecordData::Rating(full.clone()));
        // Final now: a later change is refused and nothing is altered.
        assert_eq!(
            store.close_rating(done.id, Some(&face(5))).unwrap(),
            Closed::AlreadyFinal
        );
        assert_eq!(
            store.get(done.id).unwrap().unwrap().record.data,
            RecordData::Rating(full)
        );
        assert_eq!(
            store.close_rating(Uuid::now_v7(), None).unwrap(),
            Closed::Missing
        );
    }

    #[test]
    fn the_tallies_follow_the_follow_ups_exactly() {
        let (store, clock) = setup();
        let ctx = context(&clock);
        // The same visits written once, final, for comparison.
        let (other, _) = setup();
        let RecordData::Rating(full) = rating(2) else {
            unreachable!()
        };
        for (first, last) in [
            (5, full.clone()),
            (
                2,
                Rating {
                    reasons: vec![],
                    ..full.clone()
                },
            ),
        ] {
            let done = store.submit_open_rating(face(first), &ctx).unwrap();
            store.close_rating(done.id, Some(&last)).unwrap();
            other
                .submit(submission(RecordData::Rating(last)), &ctx)
                .unwrap();
        }
        let open = store.submit_open_rating(face(4), &ctx).unwrap();
        store.close_rating(open.id, None).unwrap();
        other
            .submit(submission(RecordData::Rating(face(4))), &ctx)
            .unwrap();
        assert_eq!(day(&store), day(&other));
        assert_eq!(day(&store).ratings.count, 3);
    }

    #[test]
    fn a_restart_and_a_forgotten_rating_close_what_is_open() {
        let (store, clock) = setup();
        let ctx = context(&clock);
        store.submit_open_rating(face(3), &ctx).unwrap();
        assert_eq!(store.close_open_ratings().unwrap(), 1);
        assert_eq!(store.pending_batch(10).unwrap().items.len(), 1);
        let later = store.submit_open_rating(face(4), &ctx).unwrap();
        // Measured on the wall clock, whatever the record's time says.
        assert_eq!(store.close_stale_ratings(Utc::now()).unwrap(), 0);
        let now = Utc::now() + MAX_OPEN + TimeDelta::seconds(1);
        assert_eq!(store.close_stale_ratings(now).unwrap(), 1);
        assert_eq!(
            store.close_rating(later.id, None).unwrap(),
            Closed::AlreadyFinal
        );
        assert_eq!(store.open_ratings().unwrap(), 0);
    }

    #[test]
    fn a_comment_added_later_is_personal_data_like_any_other() {
        let (store, clock) = setup();
        let done = store.submit_open_rating(face(1), &context(&clock)).unwrap();
        let with = Rating {
            comment: "Чаках дълго.".into(),
            ..face(1)
        };
        store.close_rating(done.id, Some(&with)).unwrap();
        let json: String = store
            .with_conn(|c| Ok(c.query_row("SELECT data FROM records", [], |r| r.get(0))?))
            .unwrap();
        assert!(
            !json.contains("Чаках"),
            "the JSON holds no personal data: {json}"
        );
        assert_eq!(
            store.get(done.id).unwrap().unwrap().record.data,
            RecordData::Rating(with)
        );
    }
}
