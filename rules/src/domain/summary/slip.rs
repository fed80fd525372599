//! The summary slip staff print from the staff screen: the period's figures
//! on 80 mm paper, as a [`Document`] like a receipt.
//!
//! Privacy invariant: the slip carries counts only, never a name, a contact
//! or a complaint's text; a slip forgotten on the counter tells a stranger
//! nothing about anybody.

use super::figures::Summary;
use super::{Names, mean, percent};
use crate::domain::Lang;
use crate::domain::receipt::{Align, Document, DocumentBuilder, Size};

/// How many services, desks and reasons the slip lists; the rest are in
/// the export.
const TOP: usize = 5;

/// The slip for `summary`. `title` is the municipality's name; `printed_at`
/// the Sofia time shown at the bottom, e.g. "23.11.2026 10:42".
pub fn summary_slip(
    summary: &Summary,
    names: &Names,
    title: &str,
    printed_at: &str,
    columns: u16,
    large_print: bool,
) -> Document {
    let mut b = DocumentBuilder::new(columns, large_print);
    b.text(title, Size::NORMAL, Align::Center, true);
    b.text("СПРАВКА / SUMMARY", Size::TALL, Align::Center, true);
    b.text(
        &summary.range.to_string(),
        Size::NORMAL,
        Align::Center,
        true,
    );
    if summary.demo_included {
        b.text(
            "Включени са демонстрационни записи",
            Size::NORMAL,
            Align::Center,
            false,
        );
    }
    b.rule();
    let r = &summary.ratings;
    b.para(&format!("Оценки: {}", r.count));
    b.para(&format!("Средна оценка: {}", mean(r.mean)));
    b.para(&format!("Доволни (4 и 5): {}", percent(r.csat)));
    for (i, n) in r.distribution.iter().enumerate().rev() {
        b.plain(&format!("- {}: {n}", i + 1));
    }
    if !summary.low_reasons.is_empty() {
        b.blank().para("Причини при ниски оценки:");
        for c in summary.low_reasons.iter().take(TOP) {
            b.plain(&format!("- {}: {}", names.reason(&c.id), c.count));
        }
    }
    if !summary.by_service.is_empty() {
        b.blank().para("По услуги:");
        for g in summary.by_service.iter().take(TOP) {
            b.plain(&format!(
                "- {}: {}, ср. {}",
                names.service(&g.id),
                g.ratings.count,
                mean(g.ratings.mean)
            ));
        }
    }
    if !summary.by_desk.is_empty() {
        b.blank().para("По гишета:");
        for g in summary.by_desk.iter().take(TOP) {
            b.plain(&format!(
                "- {}: {}, ср. {}",
                names.desk(&g.id),
                g.ratings.count,
                mean(g.ratings.mean)
            ));
        }
    }
    b.rule();
    let c = &summary.complaints;
    b.para(&format!(
        "Жалби, сигнали, предложения, похвали: {}",
        c.total
    ));
    for t in &c.by_type {
        b.plain(&format!("- {}: {}", t.ctype.name(Lang::Bg), t.count));
    }
    b.plain(&format!("- С отметка за внимание: {}", c.flagged));
    b.plain(&format!(
        "- Отговорени в срок: {} от {}",
        c.answered_in_time, c.owed_answer
    ));
    b.blank();
    b.para(&format!("Просрочени към днес: {}", c.overdue));
    b.para(&format!("Със срок до 7 дни: {}", c.due_soon));
    b.plain(&format!("Повиквания на служител: {}", summary.staff_calls));
    b.rule();
    b.text(printed_at, Size::NORMAL, Align::Center, false);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::summary::{DateRange, SummaryBuilder};
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn the_slip_shows_the_figures_and_fits_the_paper() {
        let mut b = SummaryBuilder::new(DateRange::new(d(3, 1), d(3, 31)).unwrap(), d(4, 1), false);
        b.service_ratings(d(3, 5), "2016", 5, 3);
        b.service_ratings(d(3, 5), "2016", 2, 1);
        b.reason("waiting", 2, 1);
        let mut names = Names::default();
        names
            .reasons
            .insert("waiting".into(), "Дълго чакане".into());
        let doc = summary_slip(
            &b.finish(),
            &names,
            "Община Ковачевци",
            "01.04.2026 09:00",
            48,
            false,
        );
        let text: Vec<&str> = doc.lines().map(|l| l.text.as_str()).collect();
        assert!(text.contains(&"Оценки: 4"), "{text:?}");
        assert!(text.contains(&"Средна оценка: 4.25"));
        assert!(text.contains(&"Доволни (4 и 5): 75.0%"));
        assert!(text.contains(&"- Дълго чакане: 1"));
        assert!(
            doc.lines()
                .all(|l| l.text.chars().count() * usize::from(l.size.width) <= 48)
        );
        assert!(doc.cut);
    }
}
