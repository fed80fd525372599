//! What the staff pages show, as plain rows and bars in the staff member's
//! language: the device status page, the complaint register and the
//! summary's figures.

use chrono::NaiveDate;

use super::words::{self, tr};
use crate::config::Config;
use crate::domain::summary::{Group, RatingFigures, Summary, mean, percent};
use crate::domain::{Lang, Localized};
use crate::printer::PrinterStatus;
use crate::staff::DeviceStatus;
use crate::store::RegisterEntry;

/// Records older than this waiting for the central system need a look.
const STALE_PENDING_HOURS: i64 = 24;
/// How many services, desks, reasons and categories are listed.
const TOP: usize = 5;
/// How many of the latest weeks the trend shows.
const WEEKS: usize = 12;

/// A line of the status page; `problem` lines are marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    pub label: String,
    pub value: String,
    pub problem: bool,
}

/// The status page's lines.
pub fn status_rows(
    lang: Lang,
    printer: PrinterStatus,
    central: bool,
    s: &DeviceStatus,
) -> Vec<StatusRow> {
    let row = |label: &str, value: String, problem: bool| StatusRow {
        label: label.to_owned(),
        value,
        problem,
    };
    let (printer_words, attention) = words::printer(lang, printer);
    let stale = s.oldest_pending_at.is_some_and(|t| {
        (s.at.with_timezone(&chrono::Utc) - t.with_timezone(&chrono::Utc)).num_hours()
            >= STALE_PENDING_HOURS
    });
    let pending = match s.oldest_pending_at {
        Some(t) => match lang {
            Lang::Bg => format!(
                "{}, най-старият от {}",
                s.pending,
                t.format("%d.%m.%Y %H:%M")
            ),
            Lang::En => format!(
                "{}, the oldest from {}",
                s.pending,
                t.format("%d.%m.%Y %H:%M")
            ),
        },
        None => s.pending.to_string(),
    };
    let last_sync = match (s.last_sync, central) {
        (Some(t), _) => t.format("%d.%m.%Y %H:%M").to_string(),
        (None, false) => tr(
            lang,
            "няма настроена централна система",
            "no central system is set up",
        )
        .to_owned(),
        (None, true) => tr(lang, "още няма", "not yet").to_owned(),
    };
    let disk = match s.disk {
        Some(d) => {
            let low = d.total > 0 && d.free.saturating_mul(10) < d.total;
            let value = match lang {
                Lang::Bg => format!(
                    "{} свободни от {}",
                    words::gigabytes(lang, d.free),
                    words::gigabytes(lang, d.total)
                ),
                Lang::En => format!(
                    "{} free of {}",
                    words::gigabytes(lang, d.free),
                    words::gigabytes(lang, d.total)
                ),
            };
            (value, low)
        }
        None => (tr(lang, "не е известно", "unknown").to_owned(), false),
    };
    let mut rows = vec![
        row(
            tr(lang, "Принтер", "Printer"),
            printer_words.to_owned(),
            attention,
        ),
        row(
            tr(
                lang,
                "Записи, чакащи изпращане",
                "Records waiting to be sent",
            ),
            pending,
            stale,
        ),
        row(
            tr(
                lang,
                "Отказани от централната система",
                "Refused by the central system",
            ),
            s.rejected.to_string(),
            s.rejected > 0,
        ),
        row(
            tr(
                lang,
                "Задържани или отделени (вижте „Неизпратени записи“)",
                "Held or set aside (see \"Records not delivered\")",
            ),
            (s.held + s.set_aside).to_string(),
            s.held + s.set_aside > 0,
        ),
    ];
    if let Some(problem) = &s.link_problem {
        rows.push(row(
            tr(
                lang,
                "Връзка с централната система",
                "Link to the central system",
            ),
            problem.clone(),
            true,
        ));
    }
    rows.extend([
        row(
            tr(lang, "Последно изпращане", "Last sent"),
            last_sync,
            false,
        ),
        row(
            tr(lang, "Часовник", "Clock"),
            if s.clock_trusted {
                tr(lang, "сверен", "synchronised")
            } else {
                tr(
                    lang,
                    "НЕ е сверен: датите може да са грешни; проверете мрежата",
                    "NOT synchronised: dates may be wrong; check the network",
                )
            }
            .to_owned(),
            !s.clock_trusted,
        ),
        row(
            tr(lang, "Свободно място", "Free disk space"),
            disk.0,
            disk.1,
        ),
        row(
            tr(lang, "Версия", "Software version"),
            s.version.clone(),
            false,
        ),
        row(
            tr(lang, "Проверено в", "Checked at"),
            s.at.format("%H:%M:%S").to_string(),
            false,
        ),
    ]);
    rows
}

/// The status page when the status could not be read.
pub fn status_problem(lang: Lang, problem: String) -> Vec<StatusRow> {
    vec![StatusRow {
        label: tr(lang, "Състояние", "Status").to_owned(),
        value: problem,
        problem: true,
    }]
}

/// An entry of the complaint register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub id: String,
    pub number: String,
    pub kind: String,
    pub category: String,
    pub filed: String,
    pub due: String,
    pub answer: String,
    pub answered: bool,
    /// "Registered at the desk under No. 94-00-12 on 24.11.2026" /
    /// "NOT registered at the desk yet".
    pub registered: String,
    pub flags: String,
    pub urgent: bool,
}

/// The register's row for `e` as of `today`.
pub fn register_row(
    lang: Lang,
    names: &Names<'_>,
    today: NaiveDate,
    e: &RegisterEntry,
) -> RegisterRow {
    let follow = e.follow_up();
    let overdue = follow.overdue(today);
    let filed = format!(
        "{} {}",
        tr(lang, "Подадена", "Filed"),
        words::date(e.filed_on)
    );
    let due = match (follow.due_now(), e.extended_to) {
        (Some(d), ext) => {
            let mut text = format!(
                "{} {}",
                tr(lang, "Срок за отговор", "Answer due"),
                words::date(d)
            );
            if ext.is_some() {
                text.push_str(tr(
                    lang,
                    " (удължен от централната система)",
                    " (extended by the central system)",
                ));
            }
            if overdue {
                text.push_str(" — ");
                text.push_str(tr(lang, "ПРОСРОЧЕНА", "OVERDUE"));
            }
            text
        }
        (None, _) => tr(lang, "Не се дължи писмен отговор", "No written answer owed").to_owned(),
    };
    let answer = match (e.answered_on, e.not_examined) {
        (Some(d), _) => format!(
            "{} {}",
            tr(lang, "Отговорено на", "Answered on"),
            words::date(d)
        ),
        (None, true) => tr(
            lang,
            "Не се разглежда (според Хартата)",
            "Not examined (as the charter allows)",
        )
        .to_owned(),
        (None, false) => tr(lang, "Без отговор", "Not answered").to_owned(),
    };
    let registered = match (e.registered_on, &e.registry_number) {
        (Some(d), Some(n)) => format!(
            "{} {n} {} {}",
            tr(
                lang,
                "Регистрирана в деловодството под №",
                "Registered at the desk under No."
            ),
            tr(lang, "на", "on"),
            words::date(d)
        ),
        (Some(d), None) => format!(
            "{} {}",
            tr(
                lang,
                "Регистрирана в деловодството на",
                "Registered at the desk on"
            ),
            words::date(d)
        ),
        (None, _) => tr(
            lang,
            "НЕ е регистрирана в деловодството",
            "NOT registered at the desk yet",
        )
        .to_owned(),
    };
    let flags = if e.flags.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = e.flags.iter().map(|f| words::flag(lang, f)).collect();
        format!("{}: {}", tr(lang, "Отбелязано", "Flags"), list.join(", "))
    };
    RegisterRow {
        id: e.id.to_string(),
        number: e
            .number
            .as_ref()
            .map_or_else(|| e.id.to_string(), ToString::to_string),
        kind: e.ctype.name(lang).to_owned(),
        category: names.category(&e.category),
        filed,
        due,
        answer,
        answered: e.answered_on.is_some(),
        registered,
        flags,
        urgent: overdue,
    }
}

/// A bar: its label, how full (0 to 1) and its figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub fraction: f32,
    pub value: String,
}

/// The summary page's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SummaryView {
    pub range: String,
    pub ratings: i32,
    pub mean: String,
    pub csat: String,
    pub distribution: Vec<Bar>,
    pub low_reasons: Vec<Bar>,
    pub by_service: Vec<Bar>,
    pub by_desk: Vec<Bar>,
    pub weekly: Vec<Bar>,
    pub complaints: i32,
    pub by_type: Vec<Bar>,
    pub by_category: Vec<Bar>,
    pub flagged: i32,
    pub due_soon: i32,
    pub overdue: i32,
}

fn bar(label: String, fraction: f64, value: String) -> Bar {
    Bar {
        label,
        fraction: fraction.clamp(0.0, 1.0) as f32,
        value,
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
        format!("{} ({})", words::decimal(lang, mean(r.mean)), r.count),
    )
}

fn count(n: u64) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// `s` as the summary page shows it.
pub fn summary_view(lang: Lang, config: &Config, s: &Summary) -> SummaryView {
    let names = Names { lang, config };
    let r = &s.ratings;
    let range = if s.range.from == s.range.to {
        words::date(s.range.from)
    } else {
        format!(
            "{} – {}",
            words::date(s.range.from),
            words::date(s.range.to)
        )
    };
    let distribution = (1..=5usize)
        .rev()
        .zip(r.distribution.iter().rev())
        .map(|(score, &n)| {
            let share = (r.count > 0).then(|| n as f64 / r.count as f64);
            bar(
                format!("{} {score}", tr(lang, "Оценка", "Score")),
                share.unwrap_or(0.0),
                format!("{n} ({})", words::decimal(lang, percent(share))),
            )
        })
        .collect();
    let top = |groups: &[Group], name: &dyn Fn(&str) -> String| {
        let mut groups: Vec<_> = groups.iter().filter(|g| g.ratings.count > 0).collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.ratings.count));
        groups
            .into_iter()
            .take(TOP)
            .map(|g| mean_bar(lang, name(&g.id), &g.ratings))
            .collect::<Vec<_>>()
    };
    let skip = s.weekly.len().saturating_sub(WEEKS);
    let c = &s.complaints;
    SummaryView {
        range,
        ratings: count(r.count),
        mean: words::decimal(lang, mean(r.mean)),
        csat: words::decimal(lang, percent(r.csat)),
        distribution,
        low_reasons: count_bars(
            s.low_reasons
                .iter()
                .take(TOP)
                .map(|c| (names.reason(&c.id), c.count))
                .collect(),
        ),
        by_service: top(&s.by_service, &|id| names.service(id)),
        by_desk: top(&s.by_desk, &|id| names.desk(id)),
        weekly: s
            .weekly
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
        complaints: count(c.total),
        by_type: count_bars(
            c.by_type
                .iter()
                .map(|t| (t.ctype.name(lang).to_owned(), t.count))
                .collect(),
        ),
        by_category: count_bars(
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
        ),
        flagged: count(c.flagged),
        due_soon: count(c.due_soon),
        overdue: count(c.overdue),
    }
}

/// Names of services, desks, reasons and categories in the staff member's
/// language, from the configuration; an unknown id is shown as itself.
pub struct Names<'a> {
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
