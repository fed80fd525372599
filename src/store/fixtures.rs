//! Sample records and contexts for the store's unit tests.

use chrono::{Months, NaiveDate};

use super::submit::{Submission, SubmitContext};
use crate::clock::ManualClock;
use crate::domain::Lang;
use crate::domain::record::{
    Complaint, ComplaintType, Flag, Rating, RecordData, StaffCall, StaffCallSource,
};

/// A named complaint with a phone number, flagged, in category `service_quality`.
pub fn complaint() -> RecordData {
    RecordData::Complaint(Complaint {
        ctype: ComplaintType::Complaint,
        category: "service_quality".into(),
        text: "Чаках два часа на гишето.".into(),
        name: "Иван Петров".into(),
        address: "с. Ковачевци, ул. Първа 1".into(),
        phone: "0888 123 456".into(),
        email: "ivan@example.bg".into(),
        anonymous: false,
        health_safety: false,
        flags: vec![Flag::OffensiveLanguage, Flag::SuspectedCorruption],
        due_date: None,
        lang: Lang::Bg,
        check_code: None,
    })
}

/// A rating of service `2016` at desk `1` with a reason and a comment.
pub fn rating(score: u8) -> RecordData {
    RecordData::Rating(Rating {
        score,
        service: Some("2016".into()),
        desk: Some("1".into()),
        reasons: vec!["waiting".into()],
        comment: "Казвам се Петър, много чаках.".into(),
        lang: Lang::Bg,
    })
}

pub fn staff_call() -> RecordData {
    RecordData::StaffCall(StaffCall {
        source: StaffCallSource::Button,
        lang: Lang::Bg,
    })
}

/// A real (not demo) submission without a receipt.
pub fn submission(data: RecordData) -> Submission {
    Submission {
        data,
        print_receipt: false,
        demo: false,
    }
}

/// A stand-in for the charter's rule: one calendar month, complaints and
/// signals only (the real rule also skips days off).
pub fn one_month(c: &Complaint, filed: NaiveDate) -> Option<NaiveDate> {
    c.ctype
        .expects_written_answer()
        .then(|| filed.checked_add_months(Months::new(1)))
        .flatten()
}

/// Prefix `KV1`, the given clock, the one-month rule.
pub fn context(clock: &ManualClock) -> SubmitContext<'_> {
    SubmitContext {
        prefix: "KV1",
        clock,
        due_rule: &one_month,
    }
}
