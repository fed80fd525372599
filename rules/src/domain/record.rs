//! The records a visitor or the board leaves at the kiosk.
//!
//! A record is what the kiosk stores, prints a receipt for and forwards to
//! the central system. Its JSON form (`kind` + `data`) is the one in the
//! central-system contract, so the same types serve the store, the outbox
//! and the HTTP body.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::check_code::CheckCode;
use super::lang::Lang;
use super::numbering::ReceiptNumber;

/// What kind of record this is; the contract's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Rating,
    Complaint,
    StaffCall,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Rating => "rating",
            RecordKind::Complaint => "complaint",
            RecordKind::StaffCall => "staff_call",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rating" => Some(RecordKind::Rating),
            "complaint" => Some(RecordKind::Complaint),
            "staff_call" => Some(RecordKind::StaffCall),
            _ => None,
        }
    }
}

/// The four things the charter lets a visitor hand in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintType {
    /// Жалба: a complaint about the service or an employee.
    Complaint,
    /// Сигнал: a report of wrongdoing (maladministration, corruption, danger).
    Signal,
    /// Предложение: a proposal.
    Proposal,
    /// Похвала: praise.
    Praise,
}

impl ComplaintType {
    pub const ALL: [ComplaintType; 4] = [
        ComplaintType::Complaint,
        ComplaintType::Signal,
        ComplaintType::Proposal,
        ComplaintType::Praise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintType::Complaint => "complaint",
            ComplaintType::Signal => "signal",
            ComplaintType::Proposal => "proposal",
            ComplaintType::Praise => "praise",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The charter promises a written answer within a month to complaints
    /// and signals; proposals and praise are read but not answered by law.
    pub fn expects_written_answer(self) -> bool {
        matches!(self, ComplaintType::Complaint | ComplaintType::Signal)
    }

    /// The type in words, as printed on the receipt and shown on screen.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ComplaintType::Complaint, Lang::Bg) => "Жалба",
            (ComplaintType::Signal, Lang::Bg) => "Сигнал",
            (ComplaintType::Proposal, Lang::Bg) => "Предложение",
            (ComplaintType::Praise, Lang::Bg) => "Похвала",
            (ComplaintType::Complaint, Lang::En) => "Complaint",
            (ComplaintType::Signal, Lang::En) => "Signal",
            (ComplaintType::Proposal, Lang::En) => "Proposal",
            (ComplaintType::Praise, Lang::En) => "Praise",
        }
    }

    /// What the type is for, in a few words, beside its button.
    pub fn hint(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ComplaintType::Complaint, Lang::Bg) => "нещо не е наред и искате писмен отговор",
            (ComplaintType::Signal, Lang::Bg) => "нарушение, злоупотреба, корупция или опасност",
            (ComplaintType::Proposal, Lang::Bg) => "идея как да работим по-добре",
            (ComplaintType::Praise, Lang::Bg) => "благодарност към служител",
            (ComplaintType::Complaint, Lang::En) => {
                "something went wrong and you want a written answer"
            }
            (ComplaintType::Signal, Lang::En) => "wrongdoing, abuse, corruption or a danger",
            (ComplaintType::Proposal, Lang::En) => "an idea to do better",
            (ComplaintType::Praise, Lang::En) => "thanks to a member of staff",
        }
    }
}

/// Something the kiosk noticed about a record. Flags never stop a record
/// from being stored; they tell the staff what to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Obscene or unmotivated offensive wording (the charter allows no answer).
    OffensiveLanguage,
    /// Filed anonymously on the visitor's word that health or safety is at risk.
    AnonymousHealthSafety,
    /// The text is about personal-data protection (answered by the КЗЛД, not us).
    PersonalDataTopic,
    /// The text is about classified information.
    ClassifiedInformationTopic,
    /// The text seems to contain a personal number (ЕГН).
    PersonalNumber,
    /// Category "suspected corruption": goes to the anti-corruption officer.
    SuspectedCorruption,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::OffensiveLanguage => "offensive_language",
            Flag::AnonymousHealthSafety => "anonymous_health_safety",
            Flag::PersonalDataTopic => "personal_data_topic",
            Flag::ClassifiedInformationTopic => "classified_information_topic",
            Flag::PersonalNumber => "personal_number",
            Flag::SuspectedCorruption => "suspected_corruption",
        }
    }
}

/// A 1-5 rating of the service, with optional follow-ups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 1 (very bad) to 5 (very good).
    pub score: u8,
    /// The service rated (its id in the catalogue), if the visitor said.
    pub service: Option<String>,
    /// The desk rated (its id in the configuration), if the visitor said.
    #[serde(default)]
    pub desk: Option<String>,
    /// Reason ids from `[rating]` in kiosk.toml.
    pub reasons: Vec<String>,
    /// Free text; personal data, erased after delivery.
    pub comment: String,
    pub lang: Lang,
}

/// A complaint, signal, proposal or praise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    #[serde(rename = "type")]
    pub ctype: ComplaintType,
    /// Category id from `[complaints]` in kiosk.toml.
    pub category: String,
    /// Personal data from here to `email`: erased after delivery.
    pub text: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub anonymous: bool,
    /// The visitor confirmed that the matter threatens health or safety.
    pub health_safety: bool,
    pub flags: Vec<Flag>,
    /// When the written answer is due; `None` where none is owed.
    pub due_date: Option<NaiveDate>,
    pub lang: Lang,
    /// Made by the kiosk when the record is written (contract 1.2), printed
    /// beside the number. Records from before 1.2 have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_code: Option<CheckCode>,
}

impl Complaint {
    /// Whether the filer left a way to send the written answer.
    pub fn has_contact(&self) -> bool {
        has_contact(self.anonymous, [&self.address, &self.phone, &self.email])
    }
}

/// Whether a filing with these contact fields can be answered in writing:
/// not anonymous, and at least one of postal address, phone, e-mail given.
pub fn has_contact(anonymous: bool, contacts: [&str; 3]) -> bool {
    !anonymous && contacts.iter().any(|f| !f.trim().is_empty())
}

/// Where a call for a staff member came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffCallSource {
    /// The physical staff-call button beside the screen.
    Button,
    /// The "call a staff member" button on the touchscreen.
    Screen,
}

/// A visitor asked for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCall {
    pub source: StaffCallSource,
    pub lang: Lang,
}

/// The body of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RecordData {
    Complaint(Complaint),
    Rating(Rating),
    StaffCall(StaffCall),
}

impl RecordData {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordData::Rating(_) => RecordKind::Rating,
            RecordData::Complaint(_) => RecordKind::Complaint,
            RecordData::StaffCall(_) => RecordKind::StaffCall,
        }
    }

    /// Complaints, signals, proposals and praise get a receipt number;
    /// ratings and staff calls do not.
    pub fn gets_number(&self) -> bool {
        self.kind() == RecordKind::Complaint
    }

    pub fn lang(&self) -> Lang {
        match self {
            RecordData::Rating(r) => r.lang,
            RecordData::Complaint(c) => c.lang,
            RecordData::StaffCall(s) => s.lang,
        }
    }
}

/// A stored record, as the central system receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// UUIDv7 made when the record was written; the idempotency key.
    pub id: Uuid,
    pub kind: RecordKind,
    pub number: Option<ReceiptNumber>,
    /// Local time in Europe/Sofia with its offset.
    pub created_at: DateTime<FixedOffset>,
    /// False when the system clock was not synchronised at that moment.
    pub clock_trusted: bool,
    pub data: RecordData,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complaint() -> Complaint {
        Complaint {
            ctype: ComplaintType::Complaint,
            category: "service_quality".into(),
            text: "Чаках два часа.".into(),
            name: "Иван Петров".into(),
            address: String::new(),
            phone: "0888 123 456".into(),
            email: String::new(),
            anonymous: false,
            health_safety: false,
            flags: vec![Flag::OffensiveLanguage],
            due_date: NaiveDate::from_ymd_opt(2026, 12, 23),
            lang: Lang::Bg,
            check_code: "7K3M9Q".parse().ok(),
        }
    }

    #[test]
    fn complaint_json_matches_the_central_contract() {
        let json = serde_json::to_value(RecordData::Complaint(complaint())).unwrap();
        assert_eq!(json["type"], "complaint");
        assert_eq!(json["flags"][0], "offensive_language");
        assert_eq!(json["due_date"], "2026-12-23");
        assert_eq!(json["lang"], "bg");
        assert_eq!(json["anonymous"], false);
        assert_eq!(json["check_code"], "7K3M9Q");
    }

    #[test]
    fn a_complaint_from_before_the_check_code_still_reads() {
        let mut old = serde_json::to_value(RecordData::Complaint(complaint())).unwrap();
        old.as_object_mut().unwrap().remove("check_code");
        let back: RecordData = serde_json::from_value(old).unwrap();
        let RecordData::Complaint(c) = back else {
            panic!("a complaint reads back as one")
        };
        assert_eq!(c.check_code, None);
        let json = serde_json::to_value(RecordData::Complaint(c)).unwrap();
        assert!(json.get("check_code").is_none(), "none is sent as none");
    }

    #[test]
    fn data_round_trips_through_json_to_the_same_variant() {
        let all = [
            RecordData::Complaint(complaint()),
            RecordData::Rating(Rating {
                score: 2,
                service: Some("2016".into()),
                desk: None,
                reasons: vec!["waiting".into()],
                comment: String::new(),
                lang: Lang::En,
            }),
            RecordData::StaffCall(StaffCall {
                source: StaffCallSource::Button,
                lang: Lang::Bg,
            }),
        ];
        for data in all {
            let back: RecordData =
                serde_json::from_str(&serde_json::to_string(&data).unwrap()).unwrap();
            assert_eq!(back, data);
        }
    }

    #[test]
    fn flag_names_match_serde() {
        for f in [
            Flag::OffensiveLanguage,
            Flag::PersonalNumber,
            Flag::SuspectedCorruption,
        ] {
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
    }

    #[test]
    fn anonymous_filer_has_no_contact_even_if_fields_were_typed() {
        let mut c = complaint();
        assert!(c.has_contact());
        c.anonymous = true;
        assert!(!c.has_contact());
    }

    #[test]
    fn only_complaints_and_signals_expect_an_answer() {
        assert!(ComplaintType::Signal.expects_written_answer());
        assert!(!ComplaintType::Praise.expects_written_answer());
        assert_eq!(
            ComplaintType::parse("proposal"),
            Some(ComplaintType::Proposal)
        );
        assert_eq!(ComplaintType::parse("appeal"), None);
    }
}
