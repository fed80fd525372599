//! The satisfaction figures of any period, kiosk, service or desk, added up
//! from the tallies by the same [`SummaryBuilder`] the kiosk's `kiosk
//! report` uses, so both count alike; plus the weekday x hour grid and the
//! low-rating alert of the last hour.

use chrono::{DateTime, NaiveDate, Utc};
use kiosk_rules::domain::rating::LOW_SCORE_MAX;
use kiosk_rules::domain::summary::{DateRange, Summary, SummaryBuilder};
use sqlx::AnyPool;

use super::svg::Grid;
use crate::db::rating_tally::{self, Filter};
use crate::db::settings;

/// What the page asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub range: DateRange,
    pub kiosk: Option<String>,
    pub service: Option<String>,
    pub desk: Option<String>,
}

impl Selection {
    fn filter(&self) -> Filter {
        Filter {
            from: self.range.from.to_string(),
            to: self.range.to.to_string(),
            kiosk: self.kiosk.clone(),
            service: self.service.clone(),
            desk: self.desk.clone(),
        }
    }
}

/// The page's figures.
#[derive(Debug, Clone)]
pub struct Satisfaction {
    pub summary: Summary,
    pub grid: Grid,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn score(s: i64) -> u8 {
    u8::try_from(s).unwrap_or(0)
}

/// The figures of `sel`; "today" is the day due-soon counts from (no
/// complaints here: the annual report adds them).
pub async fn load(
    pool: &AnyPool,
    sel: &Selection,
    today: NaiveDate,
) -> Result<Satisfaction, sqlx::Error> {
    let f = sel.filter();
    let mut b = SummaryBuilder::new(sel.range, today, false);
    add_ratings(pool, &f, &mut b).await?;
    let mut grid: Grid = [[(0, 0); 24]; 7];
    for (weekday, hour, s, n) in rating_tally::by_weekday_hour(pool, &f).await? {
        let cell = usize::try_from(weekday)
            .ok()
            .and_then(|d| grid.get_mut(d))
            .and_then(|row| usize::try_from(hour).ok().and_then(|h| row.get_mut(h)));
        if let Some(cell) = cell {
            cell.0 += count(n);
            if score(s) <= LOW_SCORE_MAX {
                cell.1 += count(n);
            }
        }
    }
    Ok(Satisfaction {
        summary: b.finish(),
        grid,
    })
}

/// Feeds the tallies of `f` to `b`: every rating once by day and service,
/// once by desk, and its reasons.
pub async fn add_ratings(
    pool: &AnyPool,
    f: &Filter,
    b: &mut SummaryBuilder,
) -> Result<(), sqlx::Error> {
    for (day, service, s, n) in rating_tally::by_day_service(pool, f).await? {
        if let Ok(day) = day.parse::<NaiveDate>() {
            b.service_ratings(day, &service, score(s), count(n));
        }
    }
    for (desk, s, n) in rating_tally::by_desk(pool, f).await? {
        b.desk_ratings(&desk, score(s), count(n));
    }
    for (reason, s, n) in rating_tally::by_reason(pool, f).await? {
        b.reason(&reason, score(s), count(n));
    }
    Ok(())
}

/// When the low-rating banner shows: at least `min_ratings` in the last
/// hour, and the share of low ones (the kiosk's own rule: a score up to
/// `LOW_SCORE_MAX`) at or above `share`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertRule {
    /// 0-1.
    pub share: f64,
    pub min_ratings: u64,
}

impl Default for AlertRule {
    /// HappyOrNot's rule of thumb: half of at least four.
    fn default() -> Self {
        AlertRule {
            share: 0.5,
            min_ratings: 4,
        }
    }
}

impl AlertRule {
    pub const SHARE_KEY: &'static str = "alert.low_share_percent";
    pub const MIN_KEY: &'static str = "alert.low_min_ratings";

    /// Whether `low` low ratings out of `all` raise the alert.
    pub fn raised(&self, all: u64, low: u64) -> bool {
        all > 0 && all >= self.min_ratings && (low as f64) >= self.share * all as f64
    }

    /// A rule from an admin's form: a percentage 1-100 and a count 1-1000.
    pub fn parse(percent: &str, min: &str) -> Option<AlertRule> {
        let p: u32 = percent
            .trim()
            .parse()
            .ok()
            .filter(|p| (1..=100).contains(p))?;
        let m: u64 = min.trim().parse().ok().filter(|m| (1..=1000).contains(m))?;
        Some(AlertRule {
            share: f64::from(p) / 100.0,
            min_ratings: m,
        })
    }

    /// The rule an admin set, or the default.
    pub async fn load(pool: &AnyPool) -> Result<AlertRule, sqlx::Error> {
        let p = settings::get(pool, Self::SHARE_KEY).await?;
        let m = settings::get(pool, Self::MIN_KEY).await?;
        Ok(match (p, m) {
            (Some(p), Some(m)) => AlertRule::parse(&p, &m).unwrap_or_default(),
            _ => AlertRule::default(),
        })
    }

    pub async fn save(&self, pool: &AnyPool) -> Result<(), sqlx::Error> {
        let percent = (self.share * 100.0).round().to_string();
        settings::set(pool, Self::SHARE_KEY, &percent).await?;
        settings::set(pool, Self::MIN_KEY, &self.min_ratings.to_string()).await
    }
}

/// The last hour's ratings when they raise the alert: (all, low).
pub async fn last_hour_alert(
    pool: &AnyPool,
    now: DateTime<Utc>,
) -> Result<Option<(u64, u64)>, sqlx::Error> {
    let rule = AlertRule::load(pool).await?;
    let since =
        (now - chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (all, low) = rating_tally::since(pool, &since, i64::from(LOW_SCORE_MAX)).await?;
    let (all, low) = (count(all), count(low));
    Ok(rule.raised(all, low).then_some((all, low)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_alert_is_half_of_at_least_four() {
        let r = AlertRule::default();
        assert!(!r.raised(3, 3), "three ratings are too few");
        assert!(r.raised(4, 2));
        assert!(!r.raised(4, 1));
        assert!(!r.raised(0, 0));
    }

    #[test]
    fn an_admin_sets_the_threshold_within_bounds() {
        let r = AlertRule::parse("30", "10").unwrap();
        assert!(r.raised(10, 3) && !r.raised(9, 9));
        assert!(AlertRule::parse("0", "4").is_none());
        assert!(AlertRule::parse("101", "4").is_none());
        assert!(AlertRule::parse("50", "0").is_none());
        assert!(AlertRule::parse("fifty", "4").is_none());
    }
}
