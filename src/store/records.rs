//! Records in the database: how one is written as rows and read back.
//!
//! A record is one `records` row (the contract JSON without personal fields,
//! plus plain columns for summaries), an optional `personal_data` row, and
//! one row per flag or rating reason. The JSON is the source of truth when
//! reading; the plain columns are copies for counting and are never read
//! back into a [`Record`].

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::Store;
use super::error::StoreError;
use super::outbox::OutboxState;
use super::personal::{self, PersonalData};
use crate::domain::check_code::CheckCode;
use crate::domain::numbering::ReceiptNumber;
use crate::domain::record::{Record, RecordData, RecordKind};

/// A record as stored, with what the kiosk knows about it beyond the
/// contract's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record with its personal data, if still kept.
    pub record: Record,
    /// The filing date in Europe/Sofia.
    pub local_date: NaiveDate,
    /// Made up for a demonstration by `kiosk demo-data`.
    pub demo: bool,
    /// The personal data was erased after delivery (the name on a reprint
    /// will be missing).
    pub personal_data_erased: bool,
    /// Where the record is on its way to the central system; `None` for
    /// demo records.
    pub delivery: Option<OutboxState>,
}

/// How many records the kiosk holds, by kind. Demo records are included in
/// the kinds and also counted on their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub ratings: u64,
    pub complaints: u64,
    pub staff_calls: u64,
    pub demo: u64,
}

impl RecordCounts {
    /// All records, demo ones included.
    pub fn total(&self) -> u64 {
        self.ratings + self.complaints + self.staff_calls
    }
}

impl Store {
    /// The record with this id, if any.
    pub fn get(&self, id: Uuid) -> Result<Option<StoredRecord>, StoreError> {
        self.with_conn(|conn| load(conn, &id.to_string()))
    }

    /// The record with this receipt number, if any.
    pub fn get_by_number(
        &self,
        number: &ReceiptNumber,
    ) -> Result<Option<StoredRecord>, StoreError> {
        self.with_conn(|conn| {
            let id: Option<String> = conn
                .prepare_cached("SELECT id FROM records WHERE number = ?1")?
                .query_row([number.to_string()], |r| r.get(0))
                .optional()?;
            match id {
                Some(id) => load(conn, &id),
                None => Ok(None),
            }
        })
    }

    /// The time of the newest record, if there is any record.
    pub fn newest_created_at(&self) -> Result<Option<DateTime<FixedOffset>>, StoreError> {
        self.with_conn(|conn| {
            let text: Option<(String, String)> = conn
                .prepare_cached(
                    "SELECT id, created_at FROM records ORDER BY created_ms DESC LIMIT 1",
                )?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            text.map(|(id, t)| parse_time(&id, &t)).transpose()
        })
    }

    /// How many records there are, by kind.
    pub fn record_counts(&self) -> Result<RecordCounts, StoreError> {
        self.with_conn(|conn| {
            let mut counts = RecordCounts::default();
            let mut stmt =
                conn.prepare_cached("SELECT kind, count(*), sum(demo) FROM records GROUP BY kind")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let (kind, n, demo): (String, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
                let n = u64::try_from(n).unwrap_or(0);
                match RecordKind::parse(&kind) {
                    Some(RecordKind::Rating) => counts.ratings = n,
                    Some(RecordKind::Complaint) => counts.complaints = n,
                    Some(RecordKind::StaffCall) => counts.staff_calls = n,
                    None => {}
                }
                counts.demo += u64::try_from(demo).unwrap_or(0);
            }
            Ok(counts)
        })
    }
}

/// The newest record's time in UTC milliseconds, if there is any record.
pub(crate) fn newest_created_ms(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT max(created_ms) FROM records")?
        .query_row([], |r| r.get(0))?)
}

/// Writes `record` (already complete: id, number, time, due date) as rows.
pub(crate) fn insert(tx: &Transaction<'_>, record: &Record, demo: bool) -> Result<(), StoreError> {
    let id = record.id.to_string();
    let mut public = record.data.clone();
    let personal = PersonalData::take_from(&mut public);
    let json = serde_json::to_string(&public)
        .map_err(|e| StoreError::InvalidRecord(format!("cannot be written as JSON: {e}")))?;
    let c = SummaryColumns::of(&record.data);
    tx.prepare_cached(
        "INSERT INTO records (id, kind, number, created_at, created_ms, local_date, clock_trusted, demo, lang,
                              score, service, desk, complaint_type, category, anonymous, has_contact, due_date, data,
                              check_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        id,
        record.kind.as_str(),
        record.number.as_ref().map(ToString::to_string),
        record.created_at.to_rfc3339(),
        record.created_at.timestamp_millis(),
        record.created_at.date_naive().to_string(),
        record.clock_trusted,
        demo,
        record.data.lang().code(),
        c.score,
        c.service,
        c.desk,
        c.complaint_type,
        c.category,
        c.anonymous,
        c.has_contact,
        c.due_date.map(|d| d.to_string()),
        json,
        c.check_code.map(|code| code.to_string()),
    ])?;
    personal::insert(tx, &id, &personal)?;
    insert_list(
        tx,
        "INSERT OR IGNORE INTO record_flags (record_id, flag) VALUES (?1, ?2)",
        &id,
        &c.flags,
    )?;
    insert_list(
        tx,
        "INSERT OR IGNORE INTO rating_reasons (record_id, reason) VALUES (?1, ?2)",
        &id,
        &c.reasons,
    )?;
    Ok(())
}

/// The plain columns summaries count by, taken from a record's data.
#[derive(Default)]
struct SummaryColumns<'a> {
    score: Option<u8>,
    service: Option<&'a str>,
    desk: Option<&'a str>,
    reasons: Vec<&'a str>,
    complaint_type: Option<&'static str>,
    category: Option<&'a str>,
    anonymous: Option<bool>,
    has_contact: Option<bool>,
    due_date: Option<NaiveDate>,
    check_code: Option<CheckCode>,
    flags: Vec<&'static str>,
}

impl<'a> SummaryColumns<'a> {
    fn of(data: &'a RecordData) -> Self {
        match data {
            RecordData::Rating(r) => SummaryColumns {
                score: Some(r.score),
                service: r.service.as_deref(),
                desk: r.desk.as_deref(),
                reasons: r.reasons.iter().map(String::as_str).collect(),
                ..Self::default()
            },
            RecordData::Complaint(c) => SummaryColumns {
                complaint_type: Some(c.ctype.as_str()),
                category: Some(&c.category),
                anonymous: Some(c.anonymous),
                has_contact: Some(c.has_contact()),
                due_date: c.due_date,
                check_code: c.check_code,
                flags: c.flags.iter().map(|f| f.as_str()).collect(),
                ..Self::default()
            },
            RecordData::StaffCall(_) => Self::default(),
        }
    }
}

/// Inserts one row per distinct value; repeated values are stored once.
fn insert_list(
    tx: &Transaction<'_>,
    sql: &str,
    id: &str,
    values: &[&str],
) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(sql)?;
    for value in values {
        stmt.execute(params![id, value])?;
    }
    Ok(())
}

/// The raw columns of one stored record, before decoding.
struct RawRecord {
    id: String,
    kind: String,
    number: Option<String>,
    created_at: String,
    clock_trusted: bool,
    data: String,
    local_date: String,
    demo: bool,
    personal_erased: bool,
    delivery: Option<String>,
}

impl RawRecord {
    const SELECT: &'static str =
        "SELECT r.id, r.kind, r.number, r.created_at, r.clock_trusted, r.data,
                                         r.local_date, r.demo, r.personal_erased, o.state
                                  FROM records r LEFT JOIN outbox o ON o.record_id = r.id
                                  WHERE r.id = ?1";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawRecord {
            id: r.get(0)?,
            kind: r.get(1)?,
            number: r.get(2)?,
            created_at: r.get(3)?,
            clock_trusted: r.get(4)?,
            data: r.get(5)?,
            local_date: r.get(6)?,
            demo: r.get(7)?,
            personal_erased: r.get(8)?,
            delivery: r.get(9)?,
        })
    }

    /// Decodes the columns and puts the personal data back in.
    fn decode(self, personal: PersonalData) -> Result<StoredRecord, StoreError> {
        let bad = |detail: String| StoreError::BadRow {
            id: self.id.clone(),
            detail,
        };
        let id = Uuid::parse_str(&self.id).map_err(|e| bad(format!("id: {e}")))?;
        let kind = RecordKind::parse(&self.kind)
            .ok_or_else(|| bad(format!("unknown kind {:?}", self.kind)))?;
        let number = match &self.number {
            Some(n) => Some(n.parse::<ReceiptNumber>().map_err(|e| bad(e.to_string()))?),
            None => None,
        };
        let mut data = decode_data(kind, &self.data).map_err(|e| bad(format!("data: {e}")))?;
        personal.put_into(&mut data);
        let delivery = match &self.delivery {
            Some(s) => {
                Some(OutboxState::parse(s).ok_or_else(|| bad(format!("outbox state {s:?}")))?)
            }
            None => None,
        };
        Ok(StoredRecord {
            record: Record {
                id,
                kind,
                number,
                created_at: parse_time(&self.id, &self.created_at)?,
                clock_trusted: self.clock_trusted,
                data,
            },
            local_date: self
                .local_date
                .parse()
                .map_err(|e| bad(format!("local date: {e}")))?,
            demo: self.demo,
            personal_data_erased: self.personal_erased,
            delivery,
        })
    }
}

/// Reads record `id` with its personal data, if it exists.
/// A stored field that cannot be read is a `BadRow` naming the record.
pub(crate) fn load(conn: &Connection, id: &str) -> Result<Option<StoredRecord>, StoreError> {
    let read = || -> Result<Option<StoredRecord>, StoreError> {
        let raw = conn
            .prepare_cached(RawRecord::SELECT)?
            .query_row([id], RawRecord::from_row)
            .optional()?;
        match raw {
            Some(raw) => Ok(Some(raw.decode(personal::load(conn, id)?)?)),
            None => Ok(None),
        }
    };
    read().map_err(|e| match e {
        StoreError::Sqlite(_) if e.is_unreadable_row() => StoreError::BadRow {
            id: id.to_owned(),
            detail: e.row_detail(),
        },
        other => other,
    })
}

/// Decodes the stored JSON by the record's kind, not by trying each shape.
fn decode_data(kind: RecordKind, json: &str) -> serde_json::Result<RecordData> {
    Ok(match kind {
        RecordKind::Rating => RecordData::Rating(serde_json::from_str(json)?),
        RecordKind::Complaint => RecordData::Complaint(serde_json::from_str(json)?),
        RecordKind::StaffCall => RecordData::StaffCall(serde_json::from_str(json)?),
    })
}

fn parse_time(id: &str, text: &str) -> Result<DateTime<FixedOffset>, StoreError> {
    DateTime::parse_from_rfc3339(text).map_err(|e| StoreError::BadRow {
        id: id.to_string(),
        detail: format!("created_at {text:?}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::store::fixtures::{complaint, context, rating, staff_call, submission};

    fn column(store: &Store, sql: &str) -> Vec<String> {
        store
            .with_conn(|c| {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?;
                Ok(rows
                    .map(|r| r.map(|v| v.unwrap_or_else(|| "NULL".into())))
                    .collect::<Result<_, _>>()?)
            })
            .unwrap()
    }

    #[test]
    fn summary_columns_are_filled_without_json() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 7, 10, 8, 45).unwrap();
        let ctx = context(&clock);
        store.submit(submission(rating(2)), &ctx).unwrap();
        store.submit(submission(complaint()), &ctx).unwrap();
        let row = |sql| column(&store, sql);
        assert_eq!(
            row("SELECT kind || ' ' || ifnull(score, '-') || ' ' || ifnull(service, '-') || ' ' || ifnull(desk, '-')
                 FROM records ORDER BY kind DESC"),
            ["rating 2 2016 1", "complaint - - -"]
        );
        assert_eq!(
            row("SELECT complaint_type || ' ' || category || ' ' || has_contact || ' ' || due_date || ' ' || local_date
                 FROM records WHERE kind = 'complaint'"),
            ["complaint service_quality 1 2026-08-10 2026-07-10"]
        );
        assert_eq!(
            row("SELECT flag FROM record_flags ORDER BY flag"),
            ["offensive_language", "suspected_corruption"]
        );
        assert_eq!(row("SELECT reason FROM rating_reasons"), ["waiting"]);
        assert_eq!(
            row("SELECT answered_on FROM records WHERE kind = 'complaint'"),
            ["NULL"]
        );
    }

    #[test]
    fn the_stored_json_holds_no_personal_data() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 7, 10, 8, 45).unwrap();
        store
            .submit(submission(complaint()), &context(&clock))
            .unwrap();
        store
            .submit(submission(rating(1)), &context(&clock))
            .unwrap();
        for json in column(&store, "SELECT data FROM records") {
            for secret in ["Иван", "0888", "ivan@", "Първа", "Чаках", "Петър"] {
                assert!(!json.contains(secret), "{secret} in {json}");
            }
        }
    }

    #[test]
    fn counts_by_kind() {
        let store = Store::open_in_memory().unwrap();
        let clock = ManualClock::at_sofia(2026, 7, 10, 8, 45).unwrap();
        let ctx = context(&clock);
        for data in [rating(5), rating(4), complaint(), staff_call()] {
            store.submit(submission(data), &ctx).unwrap();
        }
        let counts = store.record_counts().unwrap();
        assert_eq!(
            counts,
            RecordCounts {
                ratings: 2,
                complaints: 1,
                staff_calls: 1,
                demo: 0
            }
        );
        assert_eq!(counts.total(), 4);
    }

    #[test]
    fn newest_time_is_none_until_something_is_stored() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.newest_created_at().unwrap(), None);
        let clock = ManualClock::at_sofia(2026, 7, 10, 8, 45).unwrap();
        let done = store
            .submit(submission(staff_call()), &context(&clock))
            .unwrap();
        assert_eq!(store.newest_created_at().unwrap(), Some(done.created_at));
        assert_eq!(store.get(Uuid::now_v7()).unwrap(), None);
    }
}
