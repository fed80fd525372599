//! The rating tallies (`rating_tally`, `rating_reason_tally`): running
//! counts per kiosk, Europe/Sofia day and hour, service, desk and score,
//! added to in the transaction that stores each rating, so the
//! satisfaction page adds up tally rows rather than a year of ratings.
//!
//! Invariant: every row of `ratings` is counted exactly once in
//! `rating_tally` (and once per reason it names in `rating_reason_tally`);
//! [`add`] is only called for a rating just inserted, never for a
//! duplicate. Sums are cast to BIGINT: PostgreSQL sums BIGINT as NUMERIC,
//! which the Any driver cannot read as a count.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use sqlx::{Any, Executor};

/// Where a rating falls in the tallies: its Europe/Sofia day and hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub local_date: String,
    pub local_hour: i64,
    /// 0 Monday .. 6 Sunday.
    pub weekday: i64,
    /// The instant in UTC, RFC 3339 with milliseconds.
    pub at_utc: String,
}

impl Slot {
    /// The slot of a rating written at `created_at` (RFC 3339, any
    /// offset); `None` when it is not a time.
    pub fn of(created_at: &str) -> Option<Slot> {
        let t: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(created_at).ok()?;
        let local = t.with_timezone(&chrono_tz::Europe::Sofia);
        Some(Slot {
            local_date: local.date_naive().to_string(),
            local_hour: i64::from(local.hour()),
            weekday: i64::from(local.weekday().num_days_from_monday()),
            at_utc: t
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        })
    }
}

/// What one rating adds to the tallies.
#[derive(Debug, Clone)]
pub struct Counted<'a> {
    pub kiosk_id: &'a str,
    pub slot: &'a Slot,
    pub service: &'a str,
    pub desk: &'a str,
    pub score: i64,
    pub reasons: &'a [String],
}

/// Adds one rating (or `n` alike) to the tallies.
pub async fn add(tx: &mut super::Tx, c: &Counted<'_>, n: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rating_tally (kiosk_id, local_date, local_hour, weekday, service, desk, score, n)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (local_date, kiosk_id, local_hour, service, desk, score)
         DO UPDATE SET n = rating_tally.n + excluded.n",
    )
    .bind(c.kiosk_id)
    .bind(&c.slot.local_date)
    .bind(c.slot.local_hour)
    .bind(c.slot.weekday)
    .bind(c.service)
    .bind(c.desk)
    .bind(c.score)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    for reason in c.reasons {
        sqlx::query(
            "INSERT INTO rating_reason_tally (kiosk_id, local_date, service, desk, reason, score, n)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (local_date, kiosk_id, service, desk, reason, score)
             DO UPDATE SET n = rating_reason_tally.n + excluded.n",
        )
        .bind(c.kiosk_id)
        .bind(&c.slot.local_date)
        .bind(c.service)
        .bind(c.desk)
        .bind(reason)
        .bind(c.score)
        .bind(n)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Which ratings a figure counts: a range of Europe/Sofia days, and
/// optionally one kiosk, one service and one desk (`""` for "not said").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: String,
    pub to: String,
    pub kiosk: Option<String>,
    pub service: Option<String>,
    pub desk: Option<String>,
}

impl Filter {
    /// The WHERE clause over a tally ($1 from, $2 to, then the filters
    /// given, numbered in order) and the values to bind after from and to.
    fn clause(&self) -> (String, Vec<&str>) {
        let mut sql = String::from("local_date BETWEEN $1 AND $2");
        let mut binds = Vec::new();
        for (column, value) in [
            ("kiosk_id", &self.kiosk),
            ("service", &self.service),
            ("desk", &self.desk),
        ] {
            if let Some(v) = value {
                binds.push(v.as_str());
                sql.push_str(&format!(" AND {column} = ${}", binds.len() + 2));
            }
        }
        (sql, binds)
    }
}

async fn grouped<'e, T>(
    e: impl Executor<'e, Database = Any>,
    select: &str,
    table: &str,
    group: &str,
    f: &Filter,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let (clause, binds) = f.clause();
    let sql = format!("SELECT {select} FROM {table} WHERE {clause} GROUP BY {group}");
    let mut q = sqlx::query_as::<_, T>(sqlx::AssertSqlSafe(sql))
        .bind(f.from.as_str())
        .bind(f.to.as_str());
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_all(e).await
}

/// (day, service, score, n): what [`kiosk_rules::domain::summary::SummaryBuilder::service_ratings`] takes.
pub async fn by_day_service<'e>(
    e: impl Executor<'e, Database = Any>,
    f: &Filter,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    grouped(
        e,
        "local_date, service, score, CAST(SUM(n) AS BIGINT)",
        "rating_tally",
        "local_date, service, score",
        f,
    )
    .await
}

/// (desk, score, n).
pub async fn by_desk<'e>(
    e: impl Executor<'e, Database = Any>,
    f: &Filter,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    grouped(
        e,
        "desk, score, CAST(SUM(n) AS BIGINT)",
        "rating_tally",
        "desk, score",
        f,
    )
    .await
}

/// (reason, score, n).
pub async fn by_reason<'e>(
    e: impl Executor<'e, Database = Any>,
    f: &Filter,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    grouped(
        e,
        "reason, score, CAST(SUM(n) AS BIGINT)",
        "rating_reason_tally",
        "reason, score",
        f,
    )
    .await
}

/// (weekday, hour, score, n) for the heatmap.
pub async fn by_weekday_hour<'e>(
    e: impl Executor<'e, Database = Any>,
    f: &Filter,
) -> Result<Vec<(i64, i64, i64, i64)>, sqlx::Error> {
    grouped(
        e,
        "weekday, local_hour, score, CAST(SUM(n) AS BIGINT)",
        "rating_tally",
        "weekday, local_hour, score",
        f,
    )
    .await
}

/// The kiosks, services and desks that have ever been rated, for the
/// page's filter lists.
pub async fn known<'e>(
    e: impl Executor<'e, Database = Any>,
    column: Dimension,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = match column {
        Dimension::Kiosk => "SELECT DISTINCT kiosk_id FROM rating_tally ORDER BY 1",
        Dimension::Service => "SELECT DISTINCT service FROM rating_tally ORDER BY 1",
        Dimension::Desk => "SELECT DISTINCT desk FROM rating_tally ORDER BY 1",
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(e).await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Kiosk,
    Service,
    Desk,
}

/// Ratings written at or after `since_utc` (RFC 3339 UTC): (all, low),
/// low being a score of at most `low_max`.
pub async fn since<'e>(
    e: impl Executor<'e, Database = Any>,
    since_utc: &str,
    low_max: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN score <= $2 THEN 1 ELSE 0 END), 0)
         FROM ratings WHERE at_utc >= $1",
    )
    .bind(since_utc)
    .bind(low_max)
    .fetch_one(e)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_the_sofia_day_and_hour_whatever_the_offset() {
        let s = Slot::of("2026-11-23T22:30:00Z").unwrap();
        assert_eq!(s.local_date, "2026-11-24");
        assert_eq!(s.local_hour, 0);
        assert_eq!(s.weekday, 1);
        assert_eq!(s.at_utc, "2026-11-23T22:30:00.000Z");
        let summer = Slot::of("2026-07-06T09:15:00+03:00").unwrap();
        assert_eq!((summer.local_hour, summer.weekday), (9, 0));
        assert!(Slot::of("yesterday").is_none());
    }

    #[test]
    fn the_filter_numbers_its_placeholders_in_order() {
        let f = Filter {
            from: "2026-01-01".into(),
            to: "2026-12-31".into(),
            kiosk: None,
            service: Some("2016".into()),
            desk: Some(String::new()),
        };
        let (sql, binds) = f.clause();
        assert_eq!(
            sql,
            "local_date BETWEEN $1 AND $2 AND service = $3 AND desk = $4"
        );
        assert_eq!(binds, vec!["2016", ""]);
    }
}
