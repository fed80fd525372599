//! The complaint register: what a line shows, which lines a filter keeps,
//! in which order, the counts, and the CSV export. Plain functions over the
//! rows `db::register` reads.
//!
//! Invariants: a complaint's status is its latest event's (none: new); its
//! due date is the latest extension's or else the one the kiosk sent; it is
//! overdue when still open (new, registered, extended) after its due date,
//! and "due soon" when open and due within 7 days from today. Lines are
//! sorted by due date (none last), then by number. A CSV for someone who
//! may not see personal data has no name column at all.

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::db::register::{Entry, Narrow};
use crate::i18n::Strings;

/// Lines per page of the register.
pub const PAGE: usize = 100;
/// The longest search text read.
const MAX_QUERY: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    Registered,
    Answered,
    Extended,
    NotExamined,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::Registered,
        Status::Answered,
        Status::Extended,
        Status::NotExamined,
    ];

    pub fn of(event_status: Option<&str>) -> Status {
        match event_status {
            Some("registered") => Status::Registered,
            Some("answered") => Status::Answered,
            Some("extended") => Status::Extended,
            Some("not_examined") => Status::NotExamined,
            _ => Status::New,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Registered => "registered",
            Status::Answered => "answered",
            Status::Extended => "extended",
            Status::NotExamined => "not_examined",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|st| st.id() == s)
    }

    pub fn is_open(self) -> bool {
        matches!(self, Status::New | Status::Registered | Status::Extended)
    }

    pub fn name(self, t: &Strings) -> &'static str {
        match self {
            Status::New => t.status_new,
            Status::Registered => t.status_registered,
            Status::Answered => t.status_answered,
            Status::Extended => t.status_extended,
            Status::NotExamined => t.status_not_examined,
        }
    }
}

/// The register's query string, as the filter form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Query {
    pub q: Option<String>,
    pub status: Option<String>,
    #[serde(rename = "type")]
    pub ctype: Option<String>,
    pub category: Option<String>,
    pub kiosk: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub overdue: Option<String>,
    pub due_soon: Option<String>,
    pub page: Option<usize>,
}

/// The checked filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub q: String,
    pub status: Option<Status>,
    pub ctype: Option<String>,
    pub category: Option<String>,
    pub kiosk: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub overdue: bool,
    pub due_soon: bool,
    pub page: usize,
}

fn some(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().chars().take(MAX_QUERY).collect::<String>())
        .filter(|v| !v.is_empty())
}

impl Filters {
    /// Unknown values are dropped (a filter that cannot match anything is
    /// no filter), never an error page.
    pub fn from_query(q: &Query) -> Filters {
        let date = |s: &Option<String>| some(s).and_then(|d| d.parse::<NaiveDate>().ok());
        Filters {
            q: some(&q.q).unwrap_or_default(),
            status: some(&q.status).and_then(|s| Status::parse(&s)),
            ctype: some(&q.ctype)
                .filter(|t| kiosk_rules::domain::record::ComplaintType::parse(t).is_some()),
            category: some(&q.category),
            kiosk: some(&q.kiosk),
            from: date(&q.from),
            to: date(&q.to),
            overdue: q.overdue.is_some(),
            due_soon: q.due_soon.is_some(),
            page: q.page.unwrap_or(0).min(100_000),
        }
    }

    /// The part of the filters the database applies.
    pub fn narrow(&self) -> Narrow {
        let ymd = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        Narrow {
            ctype: self.ctype.clone(),
            category: self.category.clone(),
            kiosk: self.kiosk.clone(),
            from: ymd(self.from),
            to: ymd(self.to),
        }
    }

    /// The query string that gives these filters (for the CSV link and
    /// the pages), without the page number.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(s) = self.status {
            pairs.push(("status", s.id().to_owned()));
        }
        for (k, v) in [
            ("type", &self.ctype),
            ("category", &self.category),
            ("kiosk", &self.kiosk),
        ] {
            if let Some(v) = v {
                pairs.push((k, v.clone()));
            }
        }
        for (k, v) in [("from", self.from), ("to", self.to)] {
            if let Some(d) = v {
                pairs.push((k, d.format("%Y-%m-%d").to_string()));
            }
        }
        if self.overdue {
            pairs.push(("overdue", "1".into()));
        }
        if self.due_soon {
            pairs.push(("due_soon", "1".into()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value.
pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A register line with what the page derives from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub entry: Entry,
    pub status: Status,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    pub due_soon: bool,
}

impl Line {
    pub fn of(entry: Entry, today: NaiveDate) -> Line {
        let status = Status::of(entry.status.as_deref());
        let due = entry
            .extended_to
            .as_deref()
            .or(entry.due_date.as_deref())
            .and_then(|d| d.parse::<NaiveDate>().ok());
        let open_due = due.filter(|_| status.is_open());
        Line {
            overdue: open_due.is_some_and(|d| d < today),
            due_soon: open_due.is_some_and(|d| d >= today && d <= today + Duration::days(7)),
            entry,
            status,
            due,
        }
    }
}

/// How many lines the filters (all but status) keep, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub by_status: Vec<(Status, usize)>,
    pub overdue: usize,
    pub due_soon: usize,
    /// Lines that pass every filter.
    pub shown: usize,
}

/// Keeps the lines that pass `f`, sorted by due date, and counts.
pub fn select(entries: Vec<Entry>, f: &Filters, today: NaiveDate) -> (Vec<Line>, Counts) {
    let q = f.q.to_lowercase();
    let mut lines: Vec<Line> = entries
        .into_iter()
        .map(|e| Line::of(e, today))
        .filter(|l| {
            q.is_empty()
                || l.entry.number.to_lowercase().contains(&q)
                || l.entry
                    .registry_number
                    .as_deref()
                    .is_some_and(|r| r.to_lowercase().contains(&q))
        })
        .collect();
    let mut counts = Counts {
        total: lines.len(),
        by_status: Status::ALL.iter().map(|s| (*s, 0)).collect(),
        overdue: lines.iter().filter(|l| l.overdue).count(),
        due_soon: lines.iter().filter(|l| l.due_soon).count(),
        shown: 0,
    };
    for l in &lines {
        if let Some(c) = counts.by_status.iter_mut().find(|(s, _)| *s == l.status) {
            c.1 += 1;
        }
    }
    lines.retain(|l| {
        f.status.is_none_or(|s| l.status == s)
            && (!f.overdue || l.overdue)
            && (!f.due_soon || l.due_soon)
    });
    lines.sort_by(|a, b| {
        (a.due.is_none(), a.due, &a.entry.number).cmp(&(b.due.is_none(), b.due, &b.entry.number))
    });
    counts.shown = lines.len();
    (lines, counts)
}

/// `DD.MM.YYYY` of a `YYYY-MM-DD` text (the text itself if it is not one).
pub fn dmy(ymd: &str) -> String {
    ymd.parse::<NaiveDate>()
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| ymd.to_owned())
}

/// The register as CSV for Excel: UTF-8 with a byte-order mark, one header
/// row in the reader's language; names only when `personal`.
pub fn csv(lines: &[Line], t: &Strings, personal: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let mut header = vec![
            t.number,
            t.registry_number,
            t.registered_on,
            t.ctype,
            t.category,
            t.kiosk,
            t.col_filed,
            t.col_due,
            t.status,
            t.overdue,
            t.flags,
        ];
        if personal {
            header.push(t.col_filer);
        }
        w.write_record(&header)?;
        for l in lines {
            let e = &l.entry;
            let kind = kiosk_rules::domain::record::ComplaintType::parse(&e.ctype)
                .map_or(e.ctype.clone(), |c| c.name(t.lang).to_owned());
            let mut row = vec![
                e.number.clone(),
                e.registry_number.clone().unwrap_or_default(),
                e.registered_on.as_deref().map(dmy).unwrap_or_default(),
                kind,
                e.category.clone(),
                e.kiosk_id.clone(),
                dmy(&e.filed_on),
                l.due
                    .map(|d| d.format("%d.%m.%Y").to_string())
                    .unwrap_or_default(),
                l.status.name(t).to_owned(),
                if l.overdue {
                    t.overdue_mark.to_owned()
                } else {
                    String::new()
                },
                flag_words(&e.flags, t).join("; "),
            ];
            if personal {
                row.push(if e.anonymous {
                    t.anonymous.to_owned()
                } else {
                    e.name.clone()
                });
            }
            // A cell starting with = + - @ would be a formula in Excel.
            let row: Vec<String> = row.into_iter().map(defuse).collect();
            w.write_record(&row)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Keeps a spreadsheet from reading a cell as a formula.
fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The flags of a row (a JSON list of ids) in words; unknown ids as they are.
pub fn flag_words(flags_json: &str, t: &Strings) -> Vec<String> {
    use kiosk_rules::domain::record::Flag;
    let ids: Vec<String> = serde_json::from_str(flags_json).unwrap_or_default();
    ids.into_iter()
        .map(|id| {
            serde_json::from_value::<Flag>(serde_json::Value::String(id.clone()))
                .map_or(id, |f| t.flag(f).to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::strings;
    use kiosk_rules::domain::lang::Lang;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn entry(number: &str, due: &str, status: Option<&str>) -> Entry {
        Entry {
            number: number.into(),
            due_date: Some(due.into()),
            status: status.map(Into::into),
            flags: "[]".into(),
            name: "Мария".into(),
            ..Entry::default()
        }
    }

    #[test]
    fn open_complaints_past_their_due_date_are_overdue_and_closed_ones_never() {
        let today = d("2026-12-10");
        let late = Line::of(entry("A", "2026-12-09", Some("registered")), today);
        assert!(late.overdue && !late.due_soon);
        let answered = Line::of(entry("B", "2026-12-01", Some("answered")), today);
        assert!(!answered.overdue);
        let soon = Line::of(entry("C", "2026-12-17", None), today);
        assert!(soon.due_soon && !soon.overdue);
        let later = Line::of(entry("D", "2026-12-18", None), today);
        assert!(!later.due_soon);
    }

    #[test]
    fn an_extension_moves_the_due_date() {
        let mut e = entry("A", "2026-12-09", Some("extended"));
        e.extended_to = Some("2027-01-20".into());
        let l = Line::of(e, d("2026-12-10"));
        assert_eq!(l.due, Some(d("2027-01-20")));
        assert!(!l.overdue);
    }

    #[test]
    fn lines_are_sorted_by_due_date_and_counted_by_status() {
        let today = d("2026-12-10");
        let mut no_due = entry("Z", "", None);
        no_due.due_date = None;
        let entries = vec![
            no_due,
            entry("B", "2026-12-20", Some("registered")),
            entry("A", "2026-12-01", None),
            entry("C", "2026-12-15", Some("answered")),
        ];
        let (lines, counts) = select(entries.clone(), &Filters::default(), today);
        let order: Vec<&str> = lines.iter().map(|l| l.entry.number.as_str()).collect();
        assert_eq!(order, ["A", "C", "B", "Z"]);
        assert_eq!(counts.total, 4);
        assert_eq!(counts.overdue, 1);
        assert!(counts.by_status.contains(&(Status::New, 2)));
        let f = Filters {
            status: Some(Status::New),
            ..Filters::default()
        };
        let (lines, counts) = select(entries, &f, today);
        assert_eq!(lines.len(), 2);
        assert_eq!((counts.total, counts.shown), (4, 2));
    }

    #[test]
    fn search_finds_receipt_and_registry_numbers() {
        let mut a = entry("KV1-2026-000042", "2026-12-20", Some("registered"));
        a.registry_number = Some("94-00-12".into());
        let b = entry("KV1-2026-000043", "2026-12-20", None);
        let f = |q: &str| Filters {
            q: q.into(),
            ..Filters::default()
        };
        let today = d("2026-12-10");
        assert_eq!(
            select(vec![a.clone(), b.clone()], &f("94-00"), today)
                .0
                .len(),
            1
        );
        assert_eq!(
            select(vec![a.clone(), b.clone()], &f("kv1-2026"), today)
                .0
                .len(),
            2
        );
        assert_eq!(select(vec![a, b], &f("000043"), today).0.len(), 1);
    }

    #[test]
    fn bad_filter_values_are_dropped() {
        let f = Filters::from_query(&Query {
            status: Some("deleted".into()),
            ctype: Some("x'; DROP".into()),
            from: Some("yesterday".into()),
            to: Some("2026-12-31".into()),
            ..Query::default()
        });
        assert_eq!(f.status, None);
        assert_eq!(f.ctype, None);
        assert_eq!(f.from, None);
        assert_eq!(f.to, Some(d("2026-12-31")));
        assert_eq!(f.query_string(), "to=2026-12-31");
    }

    #[test]
    fn the_csv_opens_in_excel_and_hides_names_from_viewers() {
        let today = d("2026-12-10");
        let mut e = entry("KV1-2026-000042", "2026-12-20", None);
        e.name = "=HYPERLINK(\"x\")".into();
        let (lines, _) = select(vec![e], &Filters::default(), today);
        let t = strings(Lang::Bg);
        let clerk = String::from_utf8(csv(&lines, t, true).unwrap()).unwrap();
        assert!(clerk.starts_with('\u{feff}'));
        assert!(clerk.contains("Подател"));
        assert!(clerk.contains("'=HYPERLINK"), "{clerk}");
        let viewer = String::from_utf8(csv(&lines, t, false).unwrap()).unwrap();
        assert!(!viewer.contains("HYPERLINK") && !viewer.contains("Подател"));
    }
}
