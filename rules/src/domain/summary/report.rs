//! The satisfaction report: the annual one the Ordinance on Administrative
//! Services asks every administration to publish (by 1 March, for the year
//! before), and the same figures for any range.
//!
//! What is counted is exactly what the central system holds: the records
//! the kiosk sends, dated by their Sofia filing date (the `created_at` the
//! central system receives), without demonstration records unless asked and
//! without records the central system rejected. Records still waiting to be
//! sent are counted (the central system will have them) and their number is
//! stated, so a comparison made before they arrive can be explained.

use serde::Serialize;

use super::csv::to_csv;
use super::figures::{RatingFigures, Summary};
use super::{Names, mean, percent};
use crate::domain::Lang;

/// A summary with what a published report states besides the figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The municipality, as on the receipts.
    pub municipality: String,
    pub kiosk_id: String,
    /// When the report was made, Sofia time, RFC 3339.
    pub generated_at: String,
    pub summary: Summary,
    /// Counted records the central system has not received yet.
    pub not_yet_delivered: u64,
    /// Records of the period the central system rejected, not counted.
    pub rejected_not_counted: u64,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
    Csv,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "md" | "markdown" => Some(Format::Markdown),
            "text" | "txt" => Some(Format::Text),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// `report` in `format`, as the bytes of a file.
pub fn render(report: &Report, names: &Names, format: Format) -> Vec<u8> {
    match format {
        Format::Markdown => markdown(report, names).into_bytes(),
        Format::Text => text(report, names).into_bytes(),
        Format::Csv => to_csv(rows(report, names)),
        Format::Json => {
            let mut out = serde_json::to_vec_pretty(report)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
            out.push(b'\n');
            out
        }
    }
}

fn figures_cells(r: &RatingFigures) -> [String; 3] {
    [r.count.to_string(), mean(r.mean), percent(r.csat)]
}

/// The report as Markdown, ready to publish on the municipality's site.
pub fn markdown(report: &Report, names: &Names) -> String {
    let s = &report.summary;
    let mut o = String::new();
    let line = |o: &mut String, t: String| {
        o.push_str(&t);
        o.push('\n');
    };
    line(
        &mut o,
        format!(
            "# Удовлетвореност на потребителите — {} ({})\n",
            report.municipality, s.range
        ),
    );
    line(
        &mut o,
        format!(
            "Данни от киоска в центъра за административно обслужване ({}), изготвено на {}.\n",
            report.kiosk_id, report.generated_at
        ),
    );
    line(&mut o, "## Оценки\n".into());
    line(&mut o, "| показател | стойност |\n|---|---|".into());
    line(&mut o, format!("| брой оценки | {} |", s.ratings.count));
    line(
        &mut o,
        format!("| средна оценка (1-5) | {} |", mean(s.ratings.mean)),
    );
    line(
        &mut o,
        format!("| доволни (оценка 4 или 5) | {} |", percent(s.ratings.csat)),
    );
    for (i, n) in s.ratings.distribution.iter().enumerate() {
        line(&mut o, format!("| оценка {} | {n} |", i + 1));
    }
    line(&mut o, "\n## Причини при ниски оценки (1-3)\n".into());
    if s.low_reasons.is_empty() {
        line(&mut o, "Няма посочени.".into());
    } else {
        line(&mut o, "| причина | брой |\n|---|---|".into());
        for c in &s.low_reasons {
            line(
                &mut o,
                format!("| {} | {} |", cell(names.reason(&c.id)), c.count),
            );
        }
    }
    for (title, groups, name) in [
        ("По услуги", &s.by_service, 0),
        ("По гишета", &s.by_desk, 1),
    ] {
        line(&mut o, format!("\n## {title}\n"));
        line(
            &mut o,
            "| | оценки | средна | доволни |\n|---|---|---|---|".into(),
        );
        for g in groups {
            let n = if name == 0 {
                names.service(&g.id)
            } else {
                names.desk(&g.id)
            };
            let [count, m, p] = figures_cells(&g.ratings);
            line(&mut o, format!("| {} | {count} | {m} | {p} |", cell(n)));
        }
    }
    let c = &s.complaints;
    line(
        &mut o,
        "\n## Жалби, сигнали, предложения и похвали\n".into(),
    );
    line(&mut o, "| вид | брой |\n|---|---|".into());
    for t in &c.by_type {
        line(
            &mut o,
            format!("| {} | {} |", t.ctype.name(Lang::Bg), t.count),
        );
    }
    line(&mut o, format!("| общо | {} |", c.total));
    line(&mut o, "\n| вид | категория | брой |\n|---|---|---|".into());
    for k in &c.by_category {
        line(
            &mut o,
            format!(
                "| {} | {} | {} |",
                k.ctype.name(Lang::Bg),
                cell(names.category(&k.category)),
                k.count
            ),
        );
    }
    line(&mut o, "\n## Отговори\n".into());
    line(&mut o, "| показател | брой |\n|---|---|".into());
    line(
        &mut o,
        format!("| дължи се писмен отговор | {} |", c.owed_answer),
    );
    line(&mut o, format!("| отговорени | {} |", c.answered));
    line(
        &mut o,
        format!("| отговорени в срок | {} |", c.answered_in_time),
    );
    line(&mut o, format!("| с отметка за внимание | {} |", c.flagged));
    line(&mut o, "\n## Бележки\n".into());
    line(&mut o, notes(report).join("\n"));
    o
}

fn cell(s: &str) -> String {
    s.replace('|', "/")
}

fn notes(report: &Report) -> Vec<String> {
    let mut v = vec![
        "- Броят се записите, които киосъкът изпраща към централната система, по датата на подаване (часова зона Europe/Sofia).".to_owned(),
    ];
    if report.summary.demo_included {
        v.push("- Включени са демонстрационни записи.".into());
    } else {
        v.push("- Демонстрационните записи не са включени.".into());
    }
    if report.not_yet_delivered > 0 {
        v.push(format!(
            "- {} от преброените записи още не са получени от централната система.",
            report.not_yet_delivered
        ));
    }
    if report.rejected_not_counted > 0 {
        v.push(format!(
            "- {} записа, отхвърлени от централната система, не са преброени.",
            report.rejected_not_counted
        ));
    }
    v
}

/// The report as plain text for a terminal.
pub fn text(report: &Report, names: &Names) -> String {
    let s = &report.summary;
    let mut o = Vec::new();
    o.push(format!(
        "{} — {} ({})",
        report.municipality, s.range, report.kiosk_id
    ));
    o.push(format!(
        "ratings: {}  mean: {}  csat (4-5): {}",
        s.ratings.count,
        mean(s.ratings.mean),
        percent(s.ratings.csat)
    ));
    o.push(format!(
        "distribution 1..5: {}",
        s.ratings.distribution.map(|n| n.to_string()).join(" / ")
    ));
    if !s.low_reasons.is_empty() {
        o.push("low-rating reasons:".into());
        o.extend(
            s.low_reasons
                .iter()
                .map(|c| format!("  {:<40} {}", names.reason(&c.id), c.count)),
        );
    }
    o.push("by service:".into());
    o.extend(s.by_service.iter().map(|g| {
        let [n, m, p] = figures_cells(&g.ratings);
        format!("  {:<40} {n:>7} {m:>5} {p:>7}", names.service(&g.id))
    }));
    o.push("by desk:".into());
    o.extend(s.by_desk.iter().map(|g| {
        let [n, m, p] = figures_cells(&g.ratings);
        format!("  {:<40} {n:>7} {m:>5} {p:>7}", names.desk(&g.id))
    }));
    o.push("weekly:".into());
    o.extend(s.weekly.iter().map(|w| {
        let [n, m, p] = figures_cells(&w.ratings);
        format!("  {} .. {}  {n:>7} {m:>5} {p:>7}", w.week.from, w.week.to)
    }));
    let c = &s.complaints;
    o.push(format!(
        "complaints, signals, proposals, praise: {}",
        c.total
    ));
    o.extend(
        c.by_type
            .iter()
            .map(|t| format!("  {:<12} {}", t.ctype.as_str(), t.count)),
    );
    o.extend(c.by_category.iter().map(|k| {
        format!(
            "  {:<12} {:<40} {}",
            k.ctype.as_str(),
            names.category(&k.category),
            k.count
        )
    }));
    o.push(format!("flagged: {}", c.flagged));
    o.extend(
        c.by_flag
            .iter()
            .map(|f| format!("  {:<40} {}", f.id, f.count)),
    );
    o.push(format!(
        "owed an answer: {}  answered: {}  in time: {}",
        c.owed_answer, c.answered, c.answered_in_time
    ));
    o.push(format!(
        "today ({}): overdue {}  due within 7 days {}",
        s.today, c.overdue, c.due_soon
    ));
    o.push(format!("staff calls: {}", s.staff_calls));
    o.push(format!(
        "not yet delivered: {}  rejected (not counted): {}  demo records: {}",
        report.not_yet_delivered,
        report.rejected_not_counted,
        if s.demo_included {
            "included"
        } else {
            "excluded"
        }
    ));
    let mut out = o.join("\n");
    out.push('\n');
    out
}

/// The report as rows `section, id, name, count, mean, csat`.
pub fn rows(report: &Report, names: &Names) -> Vec<Vec<String>> {
    let s = &report.summary;
    let mut v: Vec<Vec<String>> = vec![
        ["section", "id", "name", "count", "mean", "csat"]
            .map(String::from)
            .to_vec(),
    ];
    let mut row = |section: &str, id: &str, name: &str, cells: [String; 3]| {
        let [a, b, c] = cells;
        v.push(vec![section.into(), id.into(), name.into(), a, b, c]);
    };
    let count = |n: u64| [n.to_string(), String::new(), String::new()];
    let share = |r: &RatingFigures| {
        [
            r.count.to_string(),
            r.mean.map(|m| format!("{m:.4}")).unwrap_or_default(),
            r.csat.map(|c| format!("{c:.4}")).unwrap_or_default(),
        ]
    };
    row(
        "period",
        &s.range.from.to_string(),
        &s.range.to.to_string(),
        count(s.range.days() as u64),
    );
    row("ratings", "", "", share(&s.ratings));
    for (i, n) in s.ratings.distribution.iter().enumerate() {
        row("score", &(i + 1).to_string(), "", count(*n));
    }
    for c in &s.low_reasons {
        row("low_reason", &c.id, names.reason(&c.id), count(c.count));
    }
    for g in &s.by_service {
        row("service", &g.id, names.service(&g.id), share(&g.ratings));
    }
    for g in &s.by_desk {
        row("desk", &g.id, names.desk(&g.id), share(&g.ratings));
    }
    for w in &s.weekly {
        row(
            "week",
            &w.week.from.to_string(),
            &w.week.to.to_string(),
            share(&w.ratings),
        );
    }
    let c = &s.complaints;
    for t in &c.by_type {
        row(
            "type",
            t.ctype.as_str(),
            t.ctype.name(Lang::Bg),
            count(t.count),
        );
    }
    for k in &c.by_category {
        row(
            "category",
            &format!("{}/{}", k.ctype.as_str(), k.category),
            names.category(&k.category),
            count(k.count),
        );
    }
    for f in &c.by_flag {
        row("flag", &f.id, "", count(f.count));
    }
    for (id, n) in [
        ("total", c.total),
        ("flagged", c.flagged),
        ("owed_answer", c.owed_answer),
        ("answered", c.answered),
        ("answered_in_time", c.answered_in_time),
        ("overdue_today", c.overdue),
        ("due_within_7_days", c.due_soon),
    ] {
        row("complaints", id, "", count(n));
    }
    row("staff_calls", "", "", count(s.staff_calls));
    row(
        "delivery",
        "not_yet_delivered",
        "",
        count(report.not_yet_delivered),
    );
    row(
        "delivery",
        "rejected_not_counted",
        "",
        count(report.rejected_not_counted),
    );
    row(
        "delivery",
        "demo_included",
        if s.demo_included { "yes" } else { "no" },
        count(0),
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::ComplaintType;
    use crate::domain::summary::{ComplaintFacts, DateRange, SummaryBuilder};
    use chrono::NaiveDate;

    fn sample() -> Report {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut b = SummaryBuilder::new(DateRange::year(2026).unwrap(), d(12, 31), false);
        b.service_ratings(d(3, 5), "2016", 5, 3);
        b.service_ratings(d(3, 5), "", 1, 1);
        b.desk_ratings("1", 5, 3);
        b.desk_ratings("", 1, 1);
        b.reason("waiting", 1, 1);
        b.complaint(&ComplaintFacts {
            ctype: ComplaintType::Signal,
            category: "roads".into(),
            due_date: Some(d(4, 6)),
            answered_on: Some(d(4, 1)),
            flags: vec![],
        });
        Report {
            municipality: "Община Ковачевци".into(),
            kiosk_id: "kovachevtsi-lobby-1".into(),
            generated_at: "2027-01-05T09:00:00+02:00".into(),
            summary: b.finish(),
            not_yet_delivered: 2,
            rejected_not_counted: 1,
        }
    }

    #[test]
    fn markdown_states_the_figures_and_the_notes() {
        let mut names = Names::default();
        names
            .categories
            .insert("roads".into(), "Пътища | улици".into());
        let md = markdown(&sample(), &names);
        assert!(md.contains("| брой оценки | 4 |"), "{md}");
        assert!(md.contains("| доволни (оценка 4 или 5) | 75.0% |"));
        assert!(md.contains("| Сигнал | Пътища / улици | 1 |"));
        assert!(md.contains("| отговорени в срок | 1 |"));
        assert!(md.contains("2 от преброените записи още не са получени"));
    }

    #[test]
    fn csv_and_json_carry_the_same_counts() {
        let report = sample();
        let csv = render(&report, &Names::default(), Format::Csv);
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert!(text.contains("ratings,,,4,4.0000,0.7500\r\n"), "{text}");
        assert!(text.contains("type,signal,Сигнал,1,,\r\n"));
        let json: serde_json::Value =
            serde_json::from_slice(&render(&report, &Names::default(), Format::Json)).unwrap();
        assert_eq!(json["summary"]["ratings"]["count"], 4);
        assert_eq!(json["summary"]["ratings"]["distribution"][4], 3);
        assert_eq!(
            json["summary"]["complaints"]["by_type"][1]["type"],
            "signal"
        );
        assert_eq!(json["rejected_not_counted"], 1);
    }
}
