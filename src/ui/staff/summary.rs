//! The summary screen: a period chosen with four buttons, its figures as
//! numbers and bars (each with its figure beside it), and the same period
//! printed as a slip or exported.

use std::sync::Arc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::config::Config;
use crate::domain::summary::{Period, RatingFigures, Summary, mean, percent};
use crate::domain::{Lang, Localized};

use super::super::context::Ctx;
use super::super::words::tr;
use super::super::{AppWindow, Bar, StaffSummaryAdapter};
use super::home::{exported, printed};
use super::{Outcome, act, text};

/// How many services, desks, reasons and categories are listed.
const TOP: usize = 5;
/// How many of the latest weeks the trend shows.
const WEEKS: usize = 12;

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<StaffSummaryAdapter>();
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_choose_period(move |p| {
            if let Some(w) = weak.upgrade() {
                ctx.visit().staff.period = p.clamp(0, 3);
                load(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_print_slip(move || {
            if let Some(w) = weak.upgrade() {
                let period = period_of(ctx.visit().staff.period);
                let lang = ctx.lang();
                act(
                    &w,
                    &ctx,
                    move |s, _| {
                        s.print_summary(period).map(|st| {
                            let said = tr(
                                lang,
                                "Справката е отпечатана.",
                                "The summary slip was printed.",
                            );
                            (said.to_owned(), st)
                        })
                    },
                    move |w, ctx, result| show(w, printed(lang, ctx, result)),
                );
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_export(move || {
            if let Some(w) = weak.upgrade() {
                let period = period_of(ctx.visit().staff.period);
                let lang = ctx.lang();
                act(
                    &w,
                    &ctx,
                    move |s, _| s.export(period),
                    move |w, _, result| show(w, exported(lang, result)),
                );
            }
        });
    }
}

fn show(w: &AppWindow, outcome: Outcome) {
    let a = w.global::<StaffSummaryAdapter>();
    a.set_result_kind(outcome.kind.into());
    a.set_result(outcome.text.into());
}

fn period_of(index: i32) -> Period {
    match index {
        0 => Period::Today,
        1 => Period::ThisWeek,
        3 => Period::ThisYear,
        _ => Period::ThisMonth,
    }
}

/// Opens the screen on the period chosen last (this month at first).
pub fn open(w: &AppWindow, ctx: &Arc<Ctx>) {
    load(w, ctx);
}

/// Reads the figures of the chosen period on the worker.
fn load(w: &AppWindow, ctx: &Arc<Ctx>) {
    let index = ctx.visit().staff.period;
    let a = w.global::<StaffSummaryAdapter>();
    a.set_period(index);
    a.set_loading(true);
    a.set_problem("".into());
    a.set_result("".into());
    let lang = ctx.lang();
    act(
        w,
        ctx,
        move |s, _| s.summary(period_of(index)),
        move |w, ctx, result| {
            let a = w.global::<StaffSummaryAdapter>();
            a.set_loading(false);
            match result {
                Ok(summary) => fill(&a, lang, &ctx.config, &summary),
                Err(err) => a.set_problem(text::problem(lang, &err).into()),
            }
        },
    );
}

fn model(bars: Vec<Bar>) -> ModelRc<Bar> {
    ModelRc::new(VecModel::from(bars))
}

fn bar(label: String, fraction: f64, value: String) -> Bar {
    Bar {
        label: label.into(),
        fraction: fraction.clamp(0.0, 1.0) as f32,
        value: value.into(),
    }
}

/// Counts as bars, the largest filling the track.
fn count_bars(items: Vec<(String, u64)>) -> Vec<Bar> {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    items
        .into_iter()
        .map(|(label, n)| bar(label, n as f64 / max as f64, n.to_string()))
        .collect()
}

/// A mean score as a bar out of 5, written "4,20 (12)".
fn mean_bar(lang: Lang, label: String, r: &RatingFigures) -> Bar {
    bar(
        label,
        r.mean.unwrap_or(0.0) / 5.0,
        format!("{} ({})", text::decimal(lang, mean(r.mean)), r.count),
    )
}

/// Puts `summary` on the screen.
pub fn fill(a: &StaffSummaryAdapter, lang: Lang, config: &Config, s: &Summary) {
    let names = Names { lang, config };
    let r = &s.ratings;
    let range: SharedString = if s.range.from == s.range.to {
        text::date(s.range.from).into()
    } else {
        format!("{} – {}", text::date(s.range.from), text::date(s.range.to)).into()
    };
    a.set_range(range);
    a.set_ratings(r.count.try_into().unwrap_or(i32::MAX));
    a.set_mean(text::decimal(lang, mean(r.mean)).into());
    a.set_csat(text::decimal(lang, percent(r.csat)).into());
    let distribution: Vec<Bar> = (1..=5usize)
        .rev()
        .zip(r.distribution.iter().rev())
        .map(|(score, &n)| {
            let share = (r.count > 0).then(|| n as f64 / r.count as f64);
            bar(
                format!("{} {score}", tr(lang, "Оценка", "Score")),
                share.unwrap_or(0.0),
                format!("{n} ({})", text::decimal(lang, percent(share))),
            )
        })
        .collect();
    a.set_distribution(model(distribution));
    a.set_low_reasons(model(count_bars(
        s.low_reasons
            .iter()
            .take(TOP)
            .map(|c| (names.reason(&c.id), c.count))
            .collect(),
    )));
    let top = |groups: &[crate::domain::summary::Group], name: &dyn Fn(&str) -> String| {
        let mut groups: Vec<_> = groups.iter().filter(|g| g.ratings.count > 0).collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.ratings.count));
        groups
            .into_iter()
            .take(TOP)
            .map(|g| mean_bar(lang, name(&g.id), &g.ratings))
            .collect::<Vec<_>>()
    };
    a.set_by_service(model(top(&s.by_service, &|id| names.service(id))));
    a.set_by_desk(model(top(&s.by_desk, &|id| names.desk(id))));
    let skip = s.weekly.len().saturating_sub(WEEKS);
    a.set_weekly(model(
        s.weekly
            .iter()
            .skip(skip)
            .map(|w| {
                let label = format!(
                    "{}–{}",
                    w.week.from.format("%d.%m"),
                    w.week.to.format("%d.%m")
                );
                mean_bar(lang, label, &w.ratings)
            })
            .collect(),
    ));
    let c = &s.complaints;
    a.set_complaints(c.total.try_into().unwrap_or(i32::MAX));
    a.set_by_type(model(count_bars(
        c.by_type
            .iter()
            .map(|t| (t.ctype.name(lang).to_owned(), t.count))
            .collect(),
    )));
    a.set_by_category(model(count_bars(
        c.by_category
            .iter()
            .take(TOP)
            .map(|k| {
                (
                    format!("{} ({})", names.category(&k.category), k.ctype.name(lang)),
                    k.count,
                )
            })
            .collect(),
    )));
    a.set_flagged(c.flagged.try_into().unwrap_or(i32::MAX));
    a.set_due_soon(c.due_soon.try_into().unwrap_or(i32::MAX));
    a.set_overdue(c.overdue.try_into().unwrap_or(i32::MAX));
}

/// Names of services, desks, reasons and categories in the screen's
/// language, from the configuration; an unknown id is shown as itself.
pub(super) struct Names<'a> {
    pub lang: Lang,
    pub config: &'a Config,
}

impl Names<'_> {
    /// The name of `id` among `items` (each an id and its name), "(not
    /// given)" for no id, or the id itself when the configuration lacks it.
    fn name<'c>(&self, id: &str, items: impl Iterator<Item = (&'c str, &'c Localized)>) -> String {
        if id.is_empty() {
            return tr(self.lang, "(не е посочено)", "(not given)").to_owned();
        }
        items
            .into_iter()
            .find(|(item, _)| *item == id)
            .map_or_else(|| id.to_owned(), |(_, name)| name.get(self.lang).clone())
    }
    pub fn service(&self, id: &str) -> String {
        let c = self.config;
        self.name(id, c.services.iter().map(|s| (s.id.as_str(), &s.name)))
    }
    pub fn desk(&self, id: &str) -> String {
        let c = self.config;
        self.name(id, c.desks.iter().map(|d| (d.id.as_str(), &d.name)))
    }
    pub fn reason(&self, id: &str) -> String {
        let c = self.config;
        self.name(
            id,
            c.rating.reasons.iter().map(|r| (r.id.as_str(), &r.name)),
        )
    }
    pub fn category(&self, id: &str) -> String {
        let c = self.config;
        self.name(
            id,
            c.complaints
                .categories
                .iter()
                .map(|k| (k.id.as_str(), &k.name)),
        )
    }
}
