//! What staff see of the records that did not reach the central system, and
//! putting them back in the queue.
//!
//! Contract 1.1 never gives up on a record by itself except for a
//! per-record `rejected`; everything else that stops a record (held after
//! 400/422/413, set aside as unreadable) and the rejections too can be
//! undone by staff: [`requeue`] puts the record back, the sync worker sends
//! it at its next pass, and the central system's deduplication makes sure
//! it arrives once. Every requeue writes one `staff_audit` row, from the
//! screen (through `StaffSession::requeue`) and from `kiosk outbox
//! --requeue` alike, naming receipt numbers or ids only.

use chrono::{DateTime, Utc};

use super::error::StaffError;
use crate::store::{
    AuditOutcome, OutboxCounts, OutboxEntry, OutboxList, RequeueTarget, Requeued, Store, WasOut,
};
use crate::sync::SyncStatus;

/// How many records of each list the staff screen gets at most.
pub const SHOWN_PER_LIST: usize = 50;

/// The records staff have to look at, and the link's configuration problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxProblems {
    pub counts: OutboxCounts,
    /// Refused alone by the central system, with the HTTP code and the
    /// start of its answer.
    pub held: Vec<OutboxEntry>,
    /// Unreadable or unencodable, with what could not be read.
    pub set_aside: Vec<OutboxEntry>,
    /// Rejected by the central system, with its reason.
    pub rejected: Vec<OutboxEntry>,
    /// "the central system answers HTTP 404 at URL: check [central] url",
    /// or refused credentials, from the sync worker's latest status.
    pub configuration_problem: Option<String>,
}

impl OutboxProblems {
    /// Whether there is anything for staff to do.
    pub fn is_empty(&self) -> bool {
        self.counts.held == 0
            && self.counts.set_aside == 0
            && self.counts.rejected == 0
            && self.configuration_problem.is_none()
    }
}

/// Reads what staff have to look at; `sync` is the worker's latest status.
pub fn problems(store: &Store, sync: Option<&SyncStatus>) -> Result<OutboxProblems, StaffError> {
    Ok(OutboxProblems {
        counts: store.outbox_counts()?,
        held: store.outbox_entries(OutboxList::Held, SHOWN_PER_LIST)?,
        set_aside: store.outbox_entries(OutboxList::SetAside, SHOWN_PER_LIST)?,
        rejected: store.outbox_entries(OutboxList::Rejected, SHOWN_PER_LIST)?,
        configuration_problem: sync.and_then(|s| s.configuration_problem.clone()),
    })
}

/// Puts `target` back in the queue and audits it as done `by` ("screen",
/// "command line"). Returns what was put back; asking for a record that is
/// waiting or delivered already puts nothing back and says so in the audit.
pub fn requeue(
    store: &Store,
    target: &RequeueTarget,
    at: DateTime<Utc>,
    by: &str,
) -> Result<Vec<Requeued>, StaffError> {
    match store.requeue(target, at) {
        Ok(done) => {
            store.audit(
                at,
                "requeue",
                AuditOutcome::Ok,
                &audit_detail(target, &done, by),
            )?;
            Ok(done)
        }
        Err(e) => {
            let detail = format!("{target} from the {by}: {e}");
            if let Err(audit) = store.audit(at, "requeue", AuditOutcome::Failed, &detail) {
                tracing::error!("could not write the staff audit trail: {audit}");
            }
            Err(e.into())
        }
    }
}

/// "KV1-2026-000042 (was rejected) from the screen", "all: 3 records (2
/// rejected, 1 held) from the command line": numbers and ids only.
pub fn audit_detail(target: &RequeueTarget, done: &[Requeued], by: &str) -> String {
    let count = |w: WasOut| done.iter().filter(|r| r.was == w).count();
    let mut parts = Vec::new();
    for (w, n) in [
        (WasOut::Rejected, count(WasOut::Rejected)),
        (WasOut::Held, count(WasOut::Held)),
        (WasOut::SetAside, count(WasOut::SetAside)),
    ] {
        if n > 0 {
            parts.push(format!("{n} {}", w.words()));
        }
    }
    let what = match (target, done) {
        (_, []) => format!("{target}: nothing to put back"),
        (RequeueTarget::All, _) => format!("all: {} records ({})", done.len(), parts.join(", ")),
        (_, [one]) => format!("{target} (was {})", one.was.words()),
        (_, _) => format!("{target}: {}", parts.join(", ")),
    };
    format!("{what} from the {by}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::store::fixtures::{complaint, context, rating, submission};

    #[test]
    fn requeue_brings_rejected_and_held_records_back_once_and_audits_it() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap();
        let a = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        let b = store
            .submit(submission(rating(2)), &context(&clock))
            .unwrap();
        let c = store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        store
            .mark_rejected(a.id, "unknown category", clock.now())
            .unwrap();
        store
            .mark_held(b.id, "HTTP 422 when sent alone", clock.now())
            .unwrap();
        let before = problems(&store, None).unwrap();
        assert_eq!((before.counts.rejected, before.counts.held), (1, 1));
        assert_eq!(before.rejected[0].reason(), Some("unknown category"));
        assert_eq!(before.held[0].reason(), Some("HTTP 422 when sent alone"));

        let number = RequeueTarget::Number(a.number.clone().unwrap());
        let done = requeue(&store, &number, clock.now(), "screen").unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].was, WasOut::Rejected);
        // Asked again: nothing more to do.
        assert!(
            requeue(&store, &number, clock.now(), "screen")
                .unwrap()
                .is_empty()
        );
        // Ratings have no number: by id.
        let done = requeue(
            &store,
            &RequeueTarget::Id(b.id),
            clock.now(),
            "command line",
        )
        .unwrap();
        assert_eq!(done[0].was, WasOut::Held);
        let after = store.outbox_counts().unwrap();
        assert_eq!((after.pending, after.rejected, after.held), (3, 0, 0));
        let batch = store.pending_batch(10).unwrap().items;
        assert_eq!(batch.len(), 3, "all three are sent again");
        assert!(
            batch[0]
                .last_error
                .as_deref()
                .unwrap()
                .contains("put back in the queue by staff")
        );

        let trail: Vec<String> = store
            .audit_entries(10)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "requeue")
            .map(|e| e.detail)
            .collect();
        assert_eq!(
            trail,
            [
                format!("{} (was held) from the command line", b.id),
                "KV1-2026-000001: nothing to put back from the screen".to_owned(),
                "KV1-2026-000001 (was rejected) from the screen".to_owned(),
            ]
        );
        let missing = RequeueTarget::Number("KV1-2026-000099".parse().unwrap());
        assert!(requeue(&store, &missing, clock.now(), "screen").is_err());
        let _ = c;
    }

    #[test]
    fn a_requeued_rating_counts_in_the_summaries_again() {
        use crate::domain::summary::DateRange;
        use crate::store::Scope;
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 5, 4, 10, 0).unwrap();
        let r = store
            .submit(submission(rating(2)), &context(&clock))
            .unwrap();
        let today = r.created_at.date_naive();
        let range = DateRange {
            from: today,
            to: today,
        };
        let ratings = |s: &Store| {
            s.summary(range, today, Scope::default())
                .unwrap()
                .ratings
                .count
        };
        assert_eq!(ratings(&store), 1);
        store.mark_rejected(r.id, "no", clock.now()).unwrap();
        assert_eq!(ratings(&store), 0);
        requeue(&store, &RequeueTarget::All, clock.now(), "screen").unwrap();
        assert_eq!(ratings(&store), 1);
    }

    #[test]
    fn targets_are_read_as_numbers_ids_or_all() {
        assert_eq!("all".parse::<RequeueTarget>().unwrap(), RequeueTarget::All);
        assert!(matches!(
            "kv1-2026-000042".parse::<RequeueTarget>().unwrap(),
            RequeueTarget::Number(_)
        ));
        assert!(matches!(
            "0193a3c4-7d2e-7c41-9b1a-2f5e8c3d4a10"
                .parse::<RequeueTarget>()
                .unwrap(),
            RequeueTarget::Id(_)
        ));
        assert!("42".parse::<RequeueTarget>().is_err());
    }
}
