//! The fleet: each kiosk's last heartbeat, and the banners every desk page
//! shows (a kiosk silent in office hours, a printer that cannot print, an
//! overdue complaint).
//!
//! Office hours are the kiosk's own: the shipped kiosk.toml's `[hours]`
//! and `[calendar]`, with the newest fragment pushed to that kiosk laid
//! over them, judged by `kiosk_rules` (`hours::status_at`); the lunch
//! break counts as office hours, as it does for the kiosk's screen.

pub mod config_page;
pub mod page;

use chrono::{DateTime, NaiveDate, Utc};
use kiosk_rules::config::Config;
use kiosk_rules::domain::hours::{OfficeStatus, status_at};
use sqlx::AnyPool;

use crate::db::config_versions;
use crate::db::heartbeats::NewHeartbeat;

/// A kiosk silent longer than this in office hours shows a banner.
pub const SILENT_MINUTES: i64 = 15;

/// A kiosk as the fleet page shows it: its newest heartbeat, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KioskState {
    pub id: String,
    /// When the newest heartbeat arrived (`None`: never).
    pub received_at: Option<String>,
    /// Its fields (all `None` when none arrived).
    pub last: NewHeartbeat,
    /// The newest configuration version saved for it.
    pub config_latest: Option<String>,
}

type Row = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// Every kiosk not revoked, with its newest heartbeat.
pub async fn kiosks(pool: &AnyPool) -> Result<Vec<KioskState>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT k.id, h.received_at, h.at, h.version, h.outbox_pending, h.oldest_pending_at, h.printer,
                h.clock_trusted, h.config_version, h.config_error, h.held, h.rejected
         FROM kiosks k
         LEFT JOIN heartbeats h ON h.id = (SELECT MAX(id) FROM heartbeats WHERE kiosk_id = k.id)
         WHERE k.revoked_at IS NULL ORDER BY k.id",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let latest = config_versions::latest(pool, &r.0).await?.map(|(v, _)| v);
        out.push(KioskState {
            id: r.0,
            received_at: r.1,
            last: NewHeartbeat {
                at: r.2,
                version: r.3,
                outbox_pending: r.4,
                oldest_pending_at: r.5,
                printer: r.6,
                clock_trusted: r.7.map(|f| f != 0),
                config_version: r.8,
                config_error: r.9,
                held: r.10,
                rejected: r.11,
            },
            config_latest: latest,
        });
    }
    Ok(out)
}

/// The configuration a kiosk runs with, as far as the server knows: the
/// shipped kiosk.toml with its newest pushed fragment.
pub async fn config_of(pool: &AnyPool, kiosk: &str) -> Result<Option<Config>, sqlx::Error> {
    Ok(match config_versions::latest(pool, kiosk).await? {
        Some((_, toml)) => crate::kiosk_config::check_fragment(&toml)
            .ok()
            .or_else(crate::kiosk_config::shipped_config),
        None => crate::kiosk_config::shipped_config(),
    })
}

/// Whether the office is in its hours at `at` (the lunch break included).
pub fn office_hours(config: &Config, at: DateTime<Utc>) -> bool {
    matches!(
        status_at(&config.calendar(), &config.office_hours(), at),
        OfficeStatus::Open { .. } | OfficeStatus::LunchBreak { .. }
    )
}

/// A banner's subject; the page words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    /// The kiosk's last heartbeat is this many minutes old (None: never).
    Silent { kiosk: String, minutes: Option<i64> },
    /// The printer reports `state` (paper_out or offline).
    Printer { kiosk: String, state: String },
    /// This many complaints are past their due date unanswered.
    Overdue(i64),
}

/// Minutes since an RFC 3339 time, if it is one.
pub fn minutes_since(at: &str, now: DateTime<Utc>) -> Option<i64> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| (now - t.with_timezone(&Utc)).num_minutes())
}

/// The kiosks' banners at `now`; `in_hours` says whether a kiosk is in
/// its office hours.
pub fn kiosk_banners(
    kiosks: &[KioskState],
    now: DateTime<Utc>,
    in_hours: impl Fn(&str) -> bool,
) -> Vec<Banner> {
    let mut out = Vec::new();
    for k in kiosks {
        let minutes = k.received_at.as_deref().and_then(|t| minutes_since(t, now));
        if minutes.is_none_or(|m| m > SILENT_MINUTES) && in_hours(&k.id) {
            out.push(Banner::Silent {
                kiosk: k.id.clone(),
                minutes,
            });
        }
        if let Some(state) = k
            .last
            .printer
            .as_deref()
            .filter(|s| matches!(*s, "paper_out" | "offline"))
        {
            out.push(Banner::Printer {
                kiosk: k.id.clone(),
                state: state.to_owned(),
            });
        }
    }
    out
}

/// Complaints owing an answer whose due date (the newest extension's, if
/// any) is before `today` and that are neither answered nor closed.
pub async fn overdue(pool: &AnyPool, today: NaiveDate) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM complaints c
         WHERE c.due_date IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM complaint_events e WHERE e.number = c.number
                           AND e.status IN ('answered', 'not_examined'))
           AND COALESCE((SELECT e.new_due_date FROM complaint_events e WHERE e.number = c.number
                         AND e.status = 'extended' ORDER BY e.id DESC LIMIT 1), c.due_date) < $1",
    )
    .bind(today.to_string())
    .fetch_one(pool)
    .await?;
    Ok(n)
}

/// Every banner at `now`, for the top of every desk page.
pub async fn banners(pool: &AnyPool, now: DateTime<Utc>) -> Result<Vec<Banner>, sqlx::Error> {
    let list = kiosks(pool).await?;
    let mut open = std::collections::HashMap::new();
    for k in &list {
        let cfg = config_of(pool, &k.id).await?;
        open.insert(k.id.clone(), cfg.is_some_and(|c| office_hours(&c, now)));
    }
    let mut out = kiosk_banners(&list, now, |id| open.get(id).copied().unwrap_or(false));
    let today = now.with_timezone(&chrono_tz::Europe::Sofia).date_naive();
    let late = overdue(pool, today).await?;
    if late > 0 {
        out.push(Banner::Overdue(late));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_kiosk_silent_over_fifteen_minutes_in_office_hours_shows() {
        let now = at("2026-11-23T10:00:00+02:00");
        let k = |id: &str, last: Option<&str>, printer: &str| KioskState {
            id: id.into(),
            received_at: last.map(Into::into),
            last: NewHeartbeat {
                printer: Some(printer.into()),
                ..NewHeartbeat::default()
            },
            ..KioskState::default()
        };
        let list = [
            k("fresh", Some("2026-11-23T09:50:00+02:00"), "ok"),
            k("silent", Some("2026-11-23T09:40:00+02:00"), "paper_low"),
            k("never", None, "paper_out"),
        ];
        let b = kiosk_banners(&list, now, |_| true);
        assert_eq!(
            b,
            vec![
                Banner::Silent {
                    kiosk: "silent".into(),
                    minutes: Some(20)
                },
                Banner::Silent {
                    kiosk: "never".into(),
                    minutes: None
                },
                Banner::Printer {
                    kiosk: "never".into(),
                    state: "paper_out".into()
                },
            ]
        );
        let night = kiosk_banners(&list, now, |_| false);
        assert_eq!(night.len(), 1, "out of hours only the printer shows");
    }

    #[test]
    fn office_hours_come_from_the_kiosks_rules() {
        let c = crate::kiosk_config::shipped_config().unwrap();
        assert!(
            office_hours(&c, at("2026-11-23T10:00:00+02:00")),
            "a Monday morning"
        );
        assert!(
            office_hours(&c, at("2026-11-23T12:10:00+02:00")),
            "lunch counts"
        );
        assert!(!office_hours(&c, at("2026-11-23T19:00:00+02:00")));
        assert!(
            !office_hours(&c, at("2026-11-22T10:00:00+02:00")),
            "a Sunday"
        );
        assert!(
            !office_hours(&c, at("2026-12-25T10:00:00+02:00")),
            "Christmas"
        );
    }
}
