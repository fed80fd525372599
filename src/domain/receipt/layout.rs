//! What a receipt says, line by line: the charter's promises in Bulgarian,
//! with an English line where a foreign visitor would otherwise be lost.
//!
//! Privacy invariant: the slip names the filer but carries none of the
//! contact data (address, phone, e-mail) and none of the complaint's text.
//! A slip left on the counter tells a stranger only that someone filed
//! something.
//!
//! Elderly visitors read Bulgarian; the key facts (type, number, due date)
//! are printed first in Bulgarian, bold, and then once in English.

use chrono::{Datelike, NaiveDate};

use super::{Align, Document, DocumentBuilder, Size};
use crate::domain::Localized;
use crate::domain::answer;
use crate::domain::catalogue::Desk;
use crate::domain::hours::{OfficeHours, clock};
use crate::domain::record::{Complaint, Rating, Record, RecordData};

/// What the slip needs besides the record: who we are, how to reach us and
/// how wide the paper is. Filled from kiosk.toml by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptContext {
    /// The municipality's name as printed at the top.
    pub municipality: Localized,
    /// The registry desk (Деловодство), where a receipt can be followed up.
    pub registry_desk: Option<Desk>,
    pub hours: OfficeHours,
    pub phone: String,
    pub website: String,
    /// Characters per line at normal size.
    pub columns: u16,
    /// Print the whole slip in double size.
    pub large_print: bool,
}

/// Lines the filer's name may take on the slip, at any print size.
pub const NAME_LINES: usize = 3;

/// The receipt for `record`, or `None` for records that get no slip (calls
/// for a staff member). `duplicate` marks a reprint.
pub fn layout(record: &Record, ctx: &ReceiptContext, duplicate: bool) -> Option<Document> {
    let mut b = DocumentBuilder::new(ctx.columns, ctx.large_print);
    if duplicate {
        b.text("ДУБЛИКАТ / DUPLICATE", Size::DOUBLE, Align::Center, true)
            .blank();
    }
    b.text(&ctx.municipality.bg, Size::NORMAL, Align::Center, true);
    if !ctx.municipality.en.is_empty() {
        b.text(&ctx.municipality.en, Size::NORMAL, Align::Center, false);
    }
    b.rule();
    match &record.data {
        RecordData::Complaint(c) => complaint(&mut b, record, c, ctx),
        RecordData::Rating(r) => rating(&mut b, record, r, ctx),
        RecordData::StaffCall(_) => return None,
    }
    Some(b.finish())
}

fn complaint(b: &mut DocumentBuilder, record: &Record, c: &Complaint, ctx: &ReceiptContext) {
    let kind = format!(
        "{} / {}",
        c.ctype.name(crate::domain::Lang::Bg).to_uppercase(),
        c.ctype.name(crate::domain::Lang::En)
    );
    b.text(&kind, Size::TALL, Align::Center, true);
    if let Some(number) = &record.number {
        b.text("Входящ номер / Number", Size::NORMAL, Align::Center, false);
        // Triple size still fits the 15 characters of a number on 48
        // columns; quadruple (double of double) would break it in two.
        let size = if ctx.large_print {
            Size::TRIPLE
        } else {
            Size::DOUBLE
        };
        b.text_at(&number.to_string(), size, Align::Center, true);
    }
    b.blank();
    filed_at(b, record);
    let name = c.name.trim();
    if c.anonymous || name.is_empty() {
        b.para("Подател: анонимно / Anonymous");
    } else {
        // The form allows 100 characters; a record from elsewhere (an old
        // database, a recovery) may hold more. The slip stays short.
        b.para_at_most(&format!("Подател: {name}"), NAME_LINES);
    }
    b.rule();
    what_happens_next(b, record, c);
    b.rule();
    follow_up(b, ctx);
    if let Some(number) = &record.number {
        b.blank();
        b.qr(qr_payload(&ctx.website, &number.to_string()));
        b.text(
            "Сканирайте за справка / Scan to follow up",
            Size::NORMAL,
            Align::Center,
            false,
        );
    }
    b.blank();
    b.text(
        "Пазете тази бележка. / Keep this receipt.",
        Size::NORMAL,
        Align::Center,
        true,
    );
}

/// The charter's promise for this record, or what happens instead: the
/// same decision the screen showed ([`answer::stored`]).
fn what_happens_next(b: &mut DocumentBuilder, record: &Record, c: &Complaint) {
    let printed = answer::stored(c, record.clock_trusted).printed();
    if let Some(heading) = &printed.heading {
        b.text(heading, Size::TALL, Align::Left, true);
    }
    if printed.tall {
        b.text(&printed.bulgarian, Size::TALL, Align::Left, true);
    } else {
        b.para(&printed.bulgarian);
    }
    b.plain(&printed.english);
}

fn rating(b: &mut DocumentBuilder, record: &Record, r: &Rating, ctx: &ReceiptContext) {
    b.text("Благодарим за оценката!", Size::DOUBLE, Align::Center, true);
    b.text(
        "Thank you for your rating",
        Size::NORMAL,
        Align::Center,
        false,
    );
    b.blank();
    b.text(
        &format!("Оценка: {} от 5", r.score.min(5)),
        Size::NORMAL,
        Align::Center,
        true,
    );
    filed_at(b, record);
    if !ctx.website.is_empty() {
        b.text(&ctx.website, Size::NORMAL, Align::Center, false);
    }
}

/// "Дата на подаване" with date and time, or the notice that the date is to be
/// confirmed when the kiosk's clock was not synchronised.
fn filed_at(b: &mut DocumentBuilder, record: &Record) {
    if record.clock_trusted {
        let at = record.created_at;
        b.para(&format!(
            "Дата на подаване: {} г., {} ч.",
            date(at.date_naive()),
            clock(at.time())
        ));
    } else {
        b.para("Дата: ще бъде потвърдена от деловодството");
        b.plain("Date to be confirmed");
    }
}

/// Registry desk, hours, phone and web site.
fn follow_up(b: &mut DocumentBuilder, ctx: &ReceiptContext) {
    b.text("Справки / Follow-up", Size::NORMAL, Align::Left, true);
    if let Some(desk) = &ctx.registry_desk {
        b.para(&format!("{}: {}", desk.name.bg, desk.location.bg));
    }
    let h = &ctx.hours;
    b.para(&format!(
        "Работно време: пон.-пет. {}-{}, обедна почивка {}-{}",
        clock(h.opens),
        clock(h.closes),
        clock(h.lunch_start),
        clock(h.lunch_end)
    ));
    if !ctx.phone.is_empty() {
        b.para(&format!("Тел.: {}", ctx.phone));
    }
    if !ctx.website.is_empty() {
        b.para(&ctx.website);
    }
}

/// `DD.MM.YYYY`, as dates are written in Bulgaria.
pub fn date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// The QR code's text: the web site with the receipt number as a query, so
/// a phone opens the site and the number travels with it.
pub fn qr_payload(website: &str, number: &str) -> String {
    let site = website.trim();
    if site.is_empty() {
        return number.to_string();
    }
    // Without a scheme many phone cameras show the text instead of opening it.
    let site = if site.contains("://") {
        site.to_string()
    } else {
        format!("https://{site}")
    };
    let sep = if site.contains('?') { '&' } else { '?' };
    format!("{site}{sep}receipt={number}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::domain::numbering::ReceiptNumber;
    use crate::domain::receipt::{Block, Line};
    use crate::domain::record::ComplaintType;
    use chrono::{NaiveTime, TimeZone};

    fn ctx(large: bool) -> ReceiptContext {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        ReceiptContext {
            municipality: Localized::new(
                "Община Ковачевци".into(),
                "Kovachevtsi Municipality".into(),
            ),
            registry_desk: Some(Desk {
                id: "registry".into(),
                name: Localized::new("Деловодство".into(), "Registry desk".into()),
                location: Localized::new("Партер, гише 1".into(), "Ground floor".into()),
            }),
            hours: OfficeHours {
                opens: t(8, 30),
                closes: t(17, 0),
                lunch_start: t(12, 0),
                lunch_end: t(12, 30),
            },
            phone: "07725 2021".into(),
            website: "https://kovachevtsi.bg".into(),
            columns: 48,
            large_print: large,
        }
    }

    fn record(c: Complaint, trusted: bool) -> Record {
        Record {
            id: uuid::Uuid::now_v7(),
            kind: crate::domain::record::RecordKind::Complaint,
            number: Some(ReceiptNumber::new("KV1", 2026, 42).unwrap()),
            created_at: chrono::FixedOffset::east_opt(7200)
                .unwrap()
                .with_ymd_and_hms(2026, 11, 23, 14, 5, 0)
                .unwrap(),
            clock_trusted: trusted,
            data: RecordData::Complaint(c),
        }
    }

    fn complaint(ctype: ComplaintType) -> Complaint {
        Complaint {
            ctype,
            category: "service_quality".into(),
            text: "Чаках два часа на гишето.".into(),
            name: "Иван Петров".into(),
            address: "ул. Тайна 5".into(),
            phone: "0888 123 456".into(),
            email: "ivan@example.bg".into(),
            anonymous: false,
            health_safety: false,
            flags: vec![],
            due_date: NaiveDate::from_ymd_opt(2026, 12, 23),
            lang: Lang::Bg,
        }
    }

    fn text(doc: &Document) -> String {
        doc.lines()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_long_name_takes_at_most_a_few_lines_at_any_size() {
        for (large, name) in [
            (false, "Иванов-Петров ".repeat(300)),
            (true, "Иванов-Петров ".repeat(300)),
            (false, "Щ".repeat(5000)),
        ] {
            let c = Complaint {
                name,
                ..complaint(ComplaintType::Complaint)
            };
            let doc = layout(&record(c, true), &ctx(large), false).unwrap();
            let all: Vec<&str> = doc.lines().map(|l| l.text.as_str()).collect();
            let from = all.iter().position(|t| t.starts_with("Подател:")).unwrap();
            let lines = &all[from..from + NAME_LINES];
            assert!(lines[NAME_LINES - 1].ends_with("..."), "{lines:?}");
            assert!(
                !all[from + NAME_LINES].contains("Иванов") && !all[from + NAME_LINES].contains('Щ'),
                "{all:?}"
            );
            let width = if large { 24 } else { 48 };
            assert!(
                lines.iter().all(|l| l.chars().count() <= width),
                "{lines:?}"
            );
        }
        // A name that fits is printed whole, without dots.
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(true),
            false,
        )
        .unwrap();
        assert!(
            text(&doc).contains("Подател: Иван Петров\n"),
            "{}",
            text(&doc)
        );
    }

    #[test]
    fn a_complaint_slip_has_the_number_in_double_size_and_the_due_date() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(false),
            false,
        )
        .unwrap();
        let number = doc.lines().find(|l| l.text == "KV1-2026-000042").unwrap();
        assert_eq!(number.size, Size::DOUBLE);
        let all = text(&doc);
        assert!(all.contains("ЖАЛБА / Complaint"), "{all}");
        assert!(all.contains("Писмен отговор до 23.12.2026 г."), "{all}");
        assert!(
            all.contains("Дата на подаване: 23.11.2026 г., 14:05 ч."),
            "{all}"
        );
        assert!(all.contains("Подател: Иван Петров"), "{all}");
        assert!(all.contains("Деловодство"), "{all}");
        assert_eq!(
            doc.qr(),
            Some("https://kovachevtsi.bg?receipt=KV1-2026-000042")
        );
        assert!(doc.cut);
    }

    #[test]
    fn no_contact_data_and_no_complaint_text_reach_the_slip() {
        let doc = layout(
            &record(complaint(ComplaintType::Signal), true),
            &ctx(false),
            false,
        )
        .unwrap();
        let all = text(&doc);
        for secret in ["Тайна", "0888", "ivan@", "Чаках"] {
            assert!(!all.contains(secret), "{secret} in {all}");
        }
    }

    #[test]
    fn an_anonymous_signal_says_what_happens_instead() {
        let mut c = complaint(ComplaintType::Signal);
        c.anonymous = true;
        c.health_safety = true;
        c.due_date = None;
        let all = text(&layout(&record(c, true), &ctx(false), false).unwrap());
        assert!(all.contains("Подател: анонимно"), "{all}");
        assert!(all.contains("живота и здравето"), "{all}");
        assert!(!all.contains("Писмен отговор до"), "{all}");
        assert!(!all.contains("Иван"), "{all}");
    }

    #[test]
    fn an_untrusted_clock_prints_no_date() {
        let all = text(
            &layout(
                &record(complaint(ComplaintType::Complaint), false),
                &ctx(false),
                false,
            )
            .unwrap(),
        );
        assert!(all.contains("ще бъде потвърдена"), "{all}");
        assert!(!all.contains("23.11.2026"), "{all}");
        assert!(!all.contains("23.12.2026"), "{all}");
    }

    #[test]
    fn praise_gets_thanks_not_a_due_date() {
        let all = text(
            &layout(
                &record(complaint(ComplaintType::Praise), true),
                &ctx(false),
                false,
            )
            .unwrap(),
        );
        assert!(all.contains("ПОХВАЛА"), "{all}");
        assert!(!all.contains("Писмен отговор до"), "{all}");
    }

    #[test]
    fn the_qr_code_opens_the_site_even_without_a_scheme() {
        assert_eq!(
            qr_payload("www.kovachevtsi.bg", "KV1-2026-000001"),
            "https://www.kovachevtsi.bg?receipt=KV1-2026-000001"
        );
        assert_eq!(
            qr_payload("https://x.bg/s?a=1", "N"),
            "https://x.bg/s?a=1&receipt=N"
        );
    }

    #[test]
    fn key_lines_are_tall_and_bulgarian_lines_bold() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(false),
            false,
        )
        .unwrap();
        let due = doc
            .lines()
            .find(|l| l.text.starts_with("Писмен отговор до"))
            .unwrap();
        assert_eq!((due.size, due.bold), (Size::TALL, true));
        let en = doc
            .lines()
            .find(|l| l.text.starts_with("Written answer"))
            .unwrap();
        assert!(!en.bold);
    }

    #[test]
    fn a_reprint_says_duplicate_first() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(false),
            true,
        )
        .unwrap();
        assert_eq!(doc.lines().next().unwrap().text, "ДУБЛИКАТ / DUPLICATE");
    }

    #[test]
    fn large_print_enlarges_everything_and_lines_still_fit() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(true),
            false,
        )
        .unwrap();
        for Line { text, size, .. } in doc.lines() {
            assert!(size.width >= 2 && size.height >= 2, "{text}");
            assert!(
                text.chars().count() * usize::from(size.width) <= 48,
                "{text}"
            );
        }
        assert!(doc.lines().any(|l| l.text == "KV1-2026-000042"));
    }

    #[test]
    fn rating_slips_are_short_and_staff_calls_get_none() {
        let mut r = record(complaint(ComplaintType::Complaint), true);
        r.number = None;
        r.data = RecordData::Rating(Rating {
            score: 4,
            service: None,
            desk: None,
            reasons: vec![],
            comment: "тайно".into(),
            lang: Lang::Bg,
        });
        let doc = layout(&r, &ctx(false), false).unwrap();
        assert!(doc.blocks.len() < 12);
        assert!(text(&doc).contains("Оценка: 4 от 5"));
        assert!(!text(&doc).contains("тайно"));
        assert!(!doc.blocks.iter().any(|b| matches!(b, Block::Qr(_))));
        r.data = RecordData::StaffCall(crate::domain::record::StaffCall {
            source: crate::domain::record::StaffCallSource::Button,
            lang: Lang::Bg,
        });
        assert!(layout(&r, &ctx(false), false).is_none());
    }
}
