//! What the "records not delivered" page shows: the held, set-aside and
//! rejected records with their reasons, and the link's configuration
//! problem (the HTTP code and the URL), in the staff member's language.
//!
//! Reasons are the central system's or the kiosk's own words (HTTP code and
//! the start of the answer), kept as stored: they are for the technician.
//! Nothing personal is shown: the store's outbox listing never reads names,
//! contacts or texts.

use super::words::tr;
use crate::domain::Lang;
use crate::domain::record::RecordKind;
use crate::staff::OutboxProblems;
use crate::store::OutboxEntry;

/// One record staff can put back in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// What "put back" names: the receipt number, else the record id; empty
    /// when neither can be read (the row is shown, the button is not).
    pub target: String,
    /// "KV1-2026-000042 · Complaint", "Rating · 23.11.2026 10:41".
    pub title: String,
    /// "Held", "Set aside", "Rejected", with what it means.
    pub list: String,
    /// Why: the HTTP code and the start of the answer, what could not be
    /// read, or the central system's reason.
    pub reason: String,
}

/// The page's contents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutboxView {
    /// "2 held, 0 set aside, 1 rejected; 5 waiting to be sent".
    pub counts: String,
    /// The link's configuration problem, or empty.
    pub link_problem: String,
    pub rows: Vec<OutboxRow>,
}

impl OutboxView {
    /// The page for `p` in `lang`.
    pub fn of(lang: Lang, p: &OutboxProblems) -> OutboxView {
        let c = &p.counts;
        let counts = match lang {
            Lang::Bg => format!(
                "Задържани: {}, отделени: {}, отказани: {}; чакащи изпращане: {}",
                c.held,
                c.set_aside,
                c.rejected,
                c.sendable()
            ),
            Lang::En => format!(
                "Held: {}, set aside: {}, rejected: {}; waiting to be sent: {}",
                c.held,
                c.set_aside,
                c.rejected,
                c.sendable()
            ),
        };
        let link_problem = p
            .configuration_problem
            .as_ref()
            .map_or_else(String::new, |why| {
                format!(
                    "{} {why}",
                    tr(
                        lang,
                        "Връзката с централната система не работи (за техника):",
                        "The link to the central system does not work (for the technician):",
                    )
                )
            });
        let lists = [
            (
                &p.held,
                tr(
                    lang,
                    "Задържан: централната система го отказва сам",
                    "Held: the central system refuses it alone",
                ),
            ),
            (
                &p.set_aside,
                tr(
                    lang,
                    "Отделен: киоскът не може да го прочете",
                    "Set aside: the kiosk cannot read it",
                ),
            ),
            (
                &p.rejected,
                tr(
                    lang,
                    "Отказан от централната система",
                    "Rejected by the central system",
                ),
            ),
        ];
        let rows = lists
            .into_iter()
            .flat_map(|(entries, list)| entries.iter().map(move |e| row(lang, list, e)))
            .collect();
        OutboxView {
            counts,
            link_problem,
            rows,
        }
    }
}

fn kind_name(lang: Lang, e: &OutboxEntry) -> String {
    match e.record_kind() {
        Some(RecordKind::Rating) => tr(lang, "Оценка", "Rating").to_owned(),
        Some(RecordKind::Complaint) => {
            tr(lang, "Жалба, сигнал, предложение или похвала", "Complaint").to_owned()
        }
        Some(RecordKind::StaffCall) => tr(lang, "Повикване на служител", "Staff call").to_owned(),
        None => e.kind.clone(),
    }
}

fn row(lang: Lang, list: &str, e: &OutboxEntry) -> OutboxRow {
    let filed = e.created().map_or_else(
        || e.created_at.clone(),
        |t| t.format("%d.%m.%Y %H:%M").to_string(),
    );
    let number = e.receipt_number().map(|n| n.to_string());
    let title = match &number {
        Some(n) => format!("{n} · {}", kind_name(lang, e)),
        None => format!("{} · {filed}", kind_name(lang, e)),
    };
    let target = number
        .or_else(|| e.uuid().map(|id| id.to_string()))
        .unwrap_or_default();
    OutboxRow {
        target,
        title,
        list: list.to_owned(),
        reason: e.reason().unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Hold, OutboxCounts, OutboxState};

    fn entry(kind: &str, number: Option<&str>, reason: &str) -> OutboxEntry {
        OutboxEntry {
            id: "0193a3c4-7d2e-7c41-9b1a-2f5e8c3d4a10".into(),
            kind: kind.into(),
            number: number.map(Into::into),
            created_at: "2026-11-23T10:41:55+02:00".into(),
            demo: false,
            state: Some(OutboxState::Pending),
            hold: Some(Hold::Held),
            attempts: 3,
            last_error: None,
            rejected_reason: None,
            hold_reason: Some(reason.into()),
        }
    }

    #[test]
    fn rows_say_which_list_why_and_what_to_put_back() {
        let p = OutboxProblems {
            counts: OutboxCounts {
                pending: 7,
                delivered: 0,
                rejected: 0,
                held: 2,
                set_aside: 0,
            },
            held: vec![
                entry(
                    "complaint",
                    Some("KV1-2026-000042"),
                    "HTTP 422 when sent alone: {\"error\":",
                ),
                entry("rating", None, "HTTP 413 when sent alone"),
            ],
            set_aside: vec![],
            rejected: vec![],
            configuration_problem: Some(
                "the central system answers HTTP 404 at http://127.0.0.1:9/v1/records: check [central] url"
                    .into(),
            ),
        };
        let v = OutboxView::of(Lang::En, &p);
        assert_eq!(
            v.counts,
            "Held: 2, set aside: 0, rejected: 0; waiting to be sent: 5"
        );
        assert!(
            v.link_problem
                .contains("HTTP 404 at http://127.0.0.1:9/v1/records")
        );
        assert_eq!(v.rows.len(), 2);
        assert_eq!(v.rows[0].target, "KV1-2026-000042");
        assert_eq!(v.rows[0].title, "KV1-2026-000042 · Complaint");
        assert!(v.rows[0].reason.starts_with("HTTP 422"));
        assert_eq!(v.rows[1].target, "0193a3c4-7d2e-7c41-9b1a-2f5e8c3d4a10");
        assert_eq!(v.rows[1].title, "Rating · 23.11.2026 10:41");
        let bg = OutboxView::of(Lang::Bg, &p);
        assert!(bg.rows[0].list.starts_with("Задържан"));
        assert!(
            bg.link_problem
                .starts_with("Връзката с централната система")
        );
    }
}
