//! The figures of a staff summary and how they are added up.
//!
//! The store hands over plain counts (ratings per day, service and score;
//! per desk and score; low-rating reasons; one line per complaint) and
//! [`SummaryBuilder`] turns them into a [`Summary`]. Invariants of every
//! summary built here:
//! - the distribution has the five scores in order and sums to `count`;
//!   `mean` and `csat` are `None` when nothing was rated (never NaN);
//! - every rating counts once in the totals, once in `by_service` and once
//!   in `by_desk` (under `""` when the visitor did not say);
//! - the weekly trend has one entry per Monday-to-Sunday week of the range,
//!   empty weeks included, so a chart has no gaps;
//! - the four complaint types are always listed, even at zero.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::period::{DateRange, week_start};
use crate::domain::rating::LOW_SCORE_MAX;
use crate::domain::record::ComplaintType;

/// How many days ahead "due soon" looks.
pub const DUE_SOON_DAYS: u64 = 7;

/// Ratings: how many, and how they spread over the five scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RatingFigures {
    pub count: u64,
    /// Ratings with score 1, 2, 3, 4, 5.
    pub distribution: [u64; 5],
    /// Mean score, 1 to 5.
    pub mean: Option<f64>,
    /// Share of 4 and 5 (CSAT), 0 to 1.
    pub csat: Option<f64>,
}

impl RatingFigures {
    fn add(&mut self, score: u8, n: u64) {
        if let Some(slot) = usize::from(score)
            .checked_sub(1)
            .and_then(|i| self.distribution.get_mut(i))
        {
            *slot += n;
            self.count += n;
        }
    }

    fn finish(mut self) -> Self {
        if self.count > 0 {
            let total: u64 = (1u64..=5).zip(self.distribution).map(|(s, n)| s * n).sum();
            let count = self.count as f64;
            self.mean = Some(total as f64 / count);
            self.csat = Some((self.distribution[3] + self.distribution[4]) as f64 / count);
        } else {
            self.mean = None;
            self.csat = None;
        }
        self
    }
}

/// An id (reason, flag, service, desk, category) and how often it came up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub id: String,
    pub count: u64,
}

/// The ratings of one service or one desk; `id` is `""` for ratings that
/// named none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub ratings: RatingFigures,
}

/// One week of the trend, clipped to the summary's range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    pub week: DateRange,
    pub ratings: RatingFigures,
}

/// How many of one complaint type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeCount {
    #[serde(rename = "type")]
    pub ctype: ComplaintType,
    pub count: u64,
}

/// How many of one type in one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    #[serde(rename = "type")]
    pub ctype: ComplaintType,
    pub category: String,
    pub count: u64,
}

/// Complaints, signals, proposals and praise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ComplaintFigures {
    /// Filed in the period.
    pub total: u64,
    /// The four types, always in the same order.
    pub by_type: Vec<TypeCount>,
    /// Most filed first.
    pub by_category: Vec<CategoryCount>,
    /// Filed in the period with at least one flag.
    pub flagged: u64,
    /// Flags of those filed in the period, most frequent first.
    pub by_flag: Vec<Count>,
    /// Filed in the period and owed a written answer (they have a due date).
    pub owed_answer: u64,
    /// Of those owed an answer, how many staff marked answered.
    pub answered: u64,
    /// Of those, answered on or before the due date.
    pub answered_in_time: u64,
    /// Not answered, due from today to [`DUE_SOON_DAYS`] days on, whenever filed.
    pub due_soon: u64,
    /// Not answered and the due date has passed, whenever filed.
    pub overdue: u64,
}

/// What the summary screen, the summary slip and the reports show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub range: DateRange,
    /// The Sofia date "due soon" and "overdue" are reckoned from.
    pub today: NaiveDate,
    /// Whether demonstration records were counted.
    pub demo_included: bool,
    pub ratings: RatingFigures,
    /// Reasons named with scores 1-3, most named first.
    pub low_reasons: Vec<Count>,
    pub by_service: Vec<Group>,
    pub by_desk: Vec<Group>,
    pub weekly: Vec<WeekFigures>,
    pub complaints: ComplaintFigures,
    pub staff_calls: u64,
}

/// One complaint as the summary needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintFacts {
    pub ctype: ComplaintType,
    pub category: String,
    pub due_date: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub flags: Vec<String>,
}

/// Adds up the store's counts into a [`Summary`].
#[derive(Debug)]
pub struct SummaryBuilder {
    range: DateRange,
    today: NaiveDate,
    demo_included: bool,
    ratings: RatingFigures,
    services: BTreeMap<String, RatingFigures>,
    desks: BTreeMap<String, RatingFigures>,
    weeks: BTreeMap<NaiveDate, RatingFigures>,
    reasons: BTreeMap<String, u64>,
    complaints: ComplaintFigures,
    categories: BTreeMap<(ComplaintType, String), u64>,
    flags: BTreeMap<String, u64>,
    staff_calls: u64,
}

impl SummaryBuilder {
    pub fn new(range: DateRange, today: NaiveDate, demo_included: bool) -> Self {
        let weeks = range
            .weeks()
            .into_iter()
            .map(|w| (w.from, RatingFigures::default()))
            .collect();
        SummaryBuilder {
            range,
            today,
            demo_included,
            ratings: RatingFigures::default(),
            services: BTreeMap::new(),
            desks: BTreeMap::new(),
            weeks,
            reasons: BTreeMap::new(),
            complaints: ComplaintFigures::default(),
            categories: BTreeMap::new(),
            flags: BTreeMap::new(),
            staff_calls: 0,
        }
    }

    /// `n` ratings of `score` for `service` (`""`: none named) on `day`.
    /// Every rating must come through here exactly once; days outside the
    /// range are ignored.
    pub fn service_ratings(&mut self, day: NaiveDate, service: &str, score: u8, n: u64) {
        if !self.range.contains(day) {
            return;
        }
        self.ratings.add(score, n);
        self.services
            .entry(service.to_owned())
            .or_default()
            .add(score, n);
        let week = week_start(day).max(self.range.from);
        self.weeks.entry(week).or_default().add(score, n);
    }

    /// `n` ratings of `score` at `desk` (`""`: none named) in the range.
    pub fn desk_ratings(&mut self, desk: &str, score: u8, n: u64) {
        self.desks.entry(desk.to_owned()).or_default().add(score, n);
    }

    /// `n` ratings of `score` in the range that named `reason`; only low
    /// scores count.
    pub fn reason(&mut self, reason: &str, score: u8, n: u64) {
        if score <= LOW_SCORE_MAX {
            *self.reasons.entry(reason.to_owned()).or_default() += n;
        }
    }

    /// One complaint filed in the range.
    pub fn complaint(&mut self, c: &ComplaintFacts) {
        let f = &mut self.complaints;
        f.total += 1;
        *self
            .categories
            .entry((c.ctype, c.category.clone()))
            .or_default() += 1;
        if !c.flags.is_empty() {
            f.flagged += 1;
        }
        for flag in &c.flags {
            *self.flags.entry(flag.clone()).or_default() += 1;
        }
        if let Some(due) = c.due_date {
            f.owed_answer += 1;
            if let Some(answered) = c.answered_on {
                f.answered += 1;
                if answered <= due {
                    f.answered_in_time += 1;
                }
            }
        }
    }

    /// One complaint not yet answered with a due date, filed at any time.
    pub fn open_complaint(&mut self, due: NaiveDate) {
        let soon = self
            .today
            .checked_add_days(Days::new(DUE_SOON_DAYS))
            .unwrap_or(self.today);
        if due < self.today {
            self.complaints.overdue += 1;
        } else if due <= soon {
            self.complaints.due_soon += 1;
        }
    }

    /// `n` calls for a staff member in the range.
    pub fn staff_calls(&mut self, n: u64) {
        self.staff_calls += n;
    }

    pub fn finish(self) -> Summary {
        let mut complaints = self.complaints;
        complaints.by_type = ComplaintType::ALL
            .into_iter()
            .map(|ctype| TypeCount {
                ctype,
                count: self
                    .categories
                    .iter()
                    .filter(|((t, _), _)| *t == ctype)
                    .map(|(_, n)| n)
                    .sum(),
            })
            .collect();
        let mut by_category: Vec<CategoryCount> = self
            .categories
            .into_iter()
            .map(|((ctype, category), count)| CategoryCount {
                ctype,
                category,
                count,
            })
            .collect();
        by_category.sort_by_key(|c| std::cmp::Reverse(c.count));
        complaints.by_category = by_category;
        complaints.by_flag = most_first(self.flags);
        let groups = |map: BTreeMap<String, RatingFigures>| -> Vec<Group> {
            let mut v: Vec<Group> = map
                .into_iter()
                .map(|(id, r)| Group {
                    id,
                    ratings: r.finish(),
                })
                .collect();
            v.sort_by_key(|g| std::cmp::Reverse(g.ratings.count));
            v
        };
        Summary {
            range: self.range,
            today: self.today,
            demo_included: self.demo_included,
            ratings: self.ratings.finish(),
            low_reasons: most_first(self.reasons),
            by_service: groups(self.services),
            by_desk: groups(self.desks),
            weekly: self
                .range
                .weeks()
                .into_iter()
                .map(|week| WeekFigures {
                    ratings: self
                        .weeks
                        .get(&week.from)
                        .copied()
                        .unwrap_or_default()
                        .finish(),
                    week,
                })
                .collect(),
            complaints,
            staff_calls: self.staff_calls,
        }
    }
}

/// Counts, most frequent first, ties by id (the map's order, kept by the
/// stable sort).
fn most_first(map: BTreeMap<String, u64>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(id, count)| Count { id, count })
        .collect();
    v.sort_by_key(|c| std::cmp::Reverse(c.count));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn range() -> DateRange {
        DateRange::new(d(2026, 3, 2), d(2026, 3, 15)).unwrap()
    }

    #[test]
    fn nothing_rated_has_no_mean_and_no_csat_but_every_week() {
        let s = SummaryBuilder::new(range(), d(2026, 3, 16), false).finish();
        assert_eq!(s.ratings.count, 0);
        assert_eq!((s.ratings.mean, s.ratings.csat), (None, None));
        assert_eq!(s.weekly.len(), 2);
        assert_eq!(s.complaints.by_type.len(), 4);
        assert!(s.complaints.by_type.iter().all(|t| t.count == 0));
    }

    #[test]
    fn mean_csat_distribution_and_weeks() {
        let mut b = SummaryBuilder::new(range(), d(2026, 3, 16), false);
        b.service_ratings(d(2026, 3, 2), "2016", 5, 2);
        b.service_ratings(d(2026, 3, 10), "", 1, 1);
        b.service_ratings(d(2026, 3, 10), "2016", 4, 1);
        b.service_ratings(d(2026, 4, 1), "2016", 4, 100); // outside: ignored
        b.desk_ratings("1", 5, 2);
        b.desk_ratings("", 1, 1);
        b.desk_ratings("1", 4, 1);
        b.reason("waiting", 1, 1);
        b.reason("kind_staff", 5, 2);
        let s = b.finish();
        assert_eq!(s.ratings.count, 4);
        assert_eq!(s.ratings.distribution, [1, 0, 0, 1, 2]);
        assert_eq!(s.ratings.mean, Some(15.0 / 4.0));
        assert_eq!(s.ratings.csat, Some(0.75));
        assert_eq!(s.by_service[0].id, "2016");
        assert_eq!(s.by_service[0].ratings.count, 3);
        assert_eq!(s.by_desk[1].id, "");
        assert_eq!(s.weekly[0].ratings.count, 2);
        assert_eq!(s.weekly[1].ratings.distribution, [1, 0, 0, 1, 0]);
        assert_eq!(
            s.low_reasons,
            vec![Count {
                id: "waiting".into(),
                count: 1
            }]
        );
    }

    proptest::proptest! {
        #[test]
        fn totals_weeks_and_groups_always_agree(
            rows in proptest::collection::vec((0i64..14, 0usize..3, 1u8..=5, 1u64..50), 0..40)
        ) {
            let mut b = SummaryBuilder::new(range(), d(2026, 3, 16), false);
            let (mut sum, mut n) = (0u64, 0u64);
            for (day, service, score, count) in &rows {
                let day = d(2026, 3, 2) + chrono::Duration::days(*day);
                b.service_ratings(day, ["", "A", "B"][*service], *score, *count);
                sum += u64::from(*score) * count;
                n += count;
            }
            let s = b.finish();
            proptest::prop_assert_eq!(s.ratings.count, n);
            proptest::prop_assert_eq!(s.ratings.distribution.iter().sum::<u64>(), n);
            proptest::prop_assert_eq!(s.weekly.iter().map(|w| w.ratings.count).sum::<u64>(), n);
            proptest::prop_assert_eq!(s.by_service.iter().map(|g| g.ratings.count).sum::<u64>(), n);
            match s.ratings.mean {
                None => proptest::prop_assert_eq!(n, 0),
                Some(m) => {
                    proptest::prop_assert!((m - sum as f64 / n as f64).abs() < 1e-9);
                    proptest::prop_assert!((1.0..=5.0).contains(&m));
                    let c = s.ratings.csat.unwrap_or(-1.0);
                    proptest::prop_assert!((0.0..=1.0).contains(&c));
                }
            }
        }
    }

    #[test]
    fn complaints_by_type_category_flag_and_deadline() {
        let mut b = SummaryBuilder::new(range(), d(2026, 3, 16), false);
        let facts = |ctype, due: Option<NaiveDate>, answered: Option<NaiveDate>, flags: &[&str]| {
            ComplaintFacts {
                ctype,
                category: "roads".into(),
                due_date: due,
                answered_on: answered,
                flags: flags.iter().map(|f| f.to_string()).collect(),
            }
        };
        b.complaint(&facts(
            ComplaintType::Complaint,
            Some(d(2026, 4, 2)),
            Some(d(2026, 4, 2)),
            &["offensive_language"],
        ));
        b.complaint(&facts(
            ComplaintType::Signal,
            Some(d(2026, 4, 2)),
            Some(d(2026, 4, 3)),
            &[],
        ));
        b.complaint(&facts(
            ComplaintType::Signal,
            Some(d(2026, 4, 9)),
            None,
            &[],
        ));
        b.complaint(&facts(ComplaintType::Praise, None, None, &[]));
        b.open_complaint(d(2026, 3, 15)); // overdue
        b.open_complaint(d(2026, 3, 16)); // due today: soon
        b.open_complaint(d(2026, 3, 23)); // seven days on: soon
        b.open_complaint(d(2026, 3, 24)); // later
        let c = b.finish().complaints;
        assert_eq!(c.total, 4);
        let types: Vec<u64> = c.by_type.iter().map(|t| t.count).collect();
        assert_eq!(types, vec![1, 2, 0, 1]);
        assert_eq!(c.by_category[0].ctype, ComplaintType::Signal);
        assert_eq!(c.by_category[0].count, 2);
        assert_eq!((c.flagged, c.by_flag[0].count), (1, 1));
        assert_eq!((c.owed_answer, c.answered, c.answered_in_time), (3, 2, 1));
        assert_eq!((c.overdue, c.due_soon), (1, 2));
    }
}
