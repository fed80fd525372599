//! What a receipt says, line by line, in the visitor's language only: a
//! slip printed once in each language would halve the size an elderly
//! reader could have.
//!
//! Privacy invariant: the slip names the filer but carries none of the
//! contact data (address, phone, e-mail) and none of the complaint's text.
//! A slip left on the counter tells a stranger only that someone filed
//! something.
//!
//! Every slip carries the filing date and time; when the kiosk's clock was
//! not set they are printed all the same, marked as not confirmed. The due
//! date is the record's, decided once by [`answer`] (so the slip says what
//! the screen said), and it is printed large like the number.

use chrono::{Datelike, NaiveDate};

use super::{Align, Document, DocumentBuilder, Size};
use crate::domain::answer;
use crate::domain::catalogue::Desk;
use crate::domain::complaint::Category;
use crate::domain::hours::{OfficeHours, clock};
use crate::domain::record::{Complaint, Rating, Record, RecordData};
use crate::domain::{Lang, Localized};

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
    /// The municipality's public status page (`[receipt] status_url`,
    /// contract 1.2), without a trailing slash; empty when there is none,
    /// and then the slip has no QR code and promises no web page.
    pub status_url: String,
    /// The complaint categories, to print a complaint's topic by name.
    pub categories: Vec<Category>,
    /// Characters per line at normal size.
    pub columns: u16,
    /// Print the whole slip in double size.
    pub large_print: bool,
}

/// Lines the filer's name may take on the slip, at any print size.
pub const NAME_LINES: usize = 3;

/// `bg` or `en` as the slip's language asks.
fn tr(lang: Lang, bg: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Bg => bg,
        Lang::En => en,
    }
}

/// The receipt for `record`, or `None` for records that get no slip (calls
/// for a staff member). `duplicate` marks a reprint.
pub fn layout(record: &Record, ctx: &ReceiptContext, duplicate: bool) -> Option<Document> {
    let lang = record.data.lang();
    let mut b = DocumentBuilder::new(ctx.columns, ctx.large_print);
    if duplicate {
        b.text(
            tr(lang, "ДУБЛИКАТ", "DUPLICATE"),
            Size::DOUBLE,
            Align::Center,
            true,
        )
        .blank();
    }
    let name = ctx.municipality.get(lang);
    let name = if name.is_empty() {
        &ctx.municipality.bg
    } else {
        name
    };
    b.text(name, Size::NORMAL, Align::Center, true);
    b.rule();
    match &record.data {
        RecordData::Complaint(c) => complaint(&mut b, record, c, ctx, lang),
        RecordData::Rating(r) => rating(&mut b, record, r, ctx, lang),
        RecordData::StaffCall(_) => return None,
    }
    Some(b.finish())
}

fn complaint(
    b: &mut DocumentBuilder,
    record: &Record,
    c: &Complaint,
    ctx: &ReceiptContext,
    lang: Lang,
) {
    b.text(
        &c.ctype.name(lang).to_uppercase(),
        Size::TALL,
        Align::Center,
        true,
    );
    if let Some(topic) = ctx.categories.iter().find(|k| k.id == c.category) {
        b.text(topic.name.get(lang), Size::NORMAL, Align::Center, true);
    }
    if let Some(number) = &record.number {
        b.blank();
        b.text(
            tr(lang, "Входящ номер:", "Receipt number:"),
            Size::NORMAL,
            Align::Center,
            true,
        );
        b.text_at(&number.to_string(), number_size(ctx), Align::Center, true);
        if let Some(code) = &c.check_code {
            // Right under the number, so the two are read (and copied onto
            // the status page) together.
            b.text(
                &format!("{} {code}", tr(lang, "Код за проверка:", "Check code:")),
                Size::TALL,
                Align::Center,
                true,
            );
        }
    }
    b.blank();
    filed_at(b, record, lang);
    let name = c.name.trim();
    if c.anonymous || name.is_empty() {
        b.para(tr(lang, "Подател: анонимно", "Filed by: anonymous"));
    } else {
        // The form allows 100 characters; a record from elsewhere (an old
        // database, a recovery) may hold more. The slip stays short.
        let label = tr(lang, "Подател", "Filed by");
        b.para_at_most(&format!("{label}: {name}"), NAME_LINES);
    }
    b.rule();
    what_happens_next(b, record, c, ctx, lang);
    b.rule();
    follow_up(b, ctx, lang);
    if let Some(payload) = record
        .number
        .as_ref()
        .zip(c.check_code.as_ref())
        .and_then(|(n, code)| status_link(&ctx.status_url, &n.to_string(), code.as_str()))
    {
        b.blank();
        b.qr(payload);
        b.text(
            tr(
                lang,
                "Сканирайте за справка по номера",
                "Scan to see where it stands",
            ),
            Size::NORMAL,
            Align::Center,
            true,
        );
    }
    b.blank();
    b.text(
        tr(lang, "Пазете тази бележка.", "Keep this receipt."),
        Size::NORMAL,
        Align::Center,
        true,
    );
}

/// The receipt number's size: as large as still fits the 15 characters of
/// a number on one line (triple on 48 columns).
fn number_size(ctx: &ReceiptContext) -> Size {
    if ctx.large_print {
        Size::TRIPLE
    } else {
        Size::DOUBLE
    }
}

/// The charter's promise for this record, or what happens instead: the
/// same decision the screen showed ([`answer::stored`]). The due date is
/// printed as large as the number.
fn what_happens_next(
    b: &mut DocumentBuilder,
    record: &Record,
    c: &Complaint,
    ctx: &ReceiptContext,
    lang: Lang,
) {
    let printed = answer::stored(c, record.clock_trusted).printed(lang);
    if let Some(heading) = &printed.heading {
        b.text(heading, Size::TALL, Align::Left, true);
    }
    if let Some(date) = &printed.date {
        b.text_at(date, number_size(ctx), Align::Center, true);
    }
    if !printed.text.is_empty() {
        b.para(&printed.text);
    }
}

fn rating(b: &mut DocumentBuilder, record: &Record, r: &Rating, ctx: &ReceiptContext, lang: Lang) {
    b.text(
        tr(
            lang,
            "Благодарим за оценката!",
            "Thank you for your rating!",
        ),
        Size::DOUBLE,
        Align::Center,
        true,
    );
    b.blank();
    let score = r.score.min(5);
    b.text(
        &match lang {
            Lang::Bg => format!("Оценка: {score} от 5"),
            Lang::En => format!("Rating: {score} of 5"),
        },
        Size::NORMAL,
        Align::Center,
        true,
    );
    filed_at(b, record, lang);
    if !ctx.website.is_empty() {
        b.text(&ctx.website, Size::NORMAL, Align::Center, true);
    }
}

/// The date and time filed, always; marked as not confirmed when the
/// kiosk's clock was not synchronised (the registry desk confirms them).
fn filed_at(b: &mut DocumentBuilder, record: &Record, lang: Lang) {
    let at = record.created_at;
    let (day, time) = (date(at.date_naive()), clock(at.time()));
    b.para(&match lang {
        Lang::Bg => format!("Подадено на: {day} г., {time} ч."),
        Lang::En => format!("Filed on: {day}, {time}"),
    });
    if !record.clock_trusted {
        b.para(tr(
            lang,
            "(Датата и часът не са потвърдени: часовникът на киоска не беше сверен.)",
            "(Date and time not confirmed: the kiosk's clock was not set.)",
        ));
    }
}

/// Registry desk, hours, phone and web site.
fn follow_up(b: &mut DocumentBuilder, ctx: &ReceiptContext, lang: Lang) {
    b.text(
        tr(lang, "Справки", "Follow-up"),
        Size::NORMAL,
        Align::Left,
        true,
    );
    if let Some(desk) = &ctx.registry_desk {
        b.para(&format!(
            "{}: {}",
            desk.name.get(lang),
            desk.location.get(lang)
        ));
    }
    let h = &ctx.hours;
    let (opens, closes, lunch, back) = (
        clock(h.opens),
        clock(h.closes),
        clock(h.lunch_start),
        clock(h.lunch_end),
    );
    b.para(&match lang {
        Lang::Bg => {
            format!("Работно време: пон.-пет. {opens}-{closes}, обедна почивка {lunch}-{back}")
        }
        Lang::En => format!("Office hours: Mon-Fri {opens}-{closes}, lunch break {lunch}-{back}"),
    });
    if !ctx.phone.is_empty() {
        b.para(&format!("{}: {}", tr(lang, "Тел.", "Phone"), ctx.phone));
    }
    if !ctx.website.is_empty() {
        b.para(&ctx.website);
    }
}

/// `DD.MM.YYYY`, as dates are written in Bulgaria.
pub fn date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// The QR code's text (contract 1.2): `{status_url}/{number}?c={code}`, the
/// municipality's status page for this complaint; `None` without a status
/// page, and then the slip has no QR code.
pub fn status_link(status_url: &str, number: &str, code: &str) -> Option<String> {
    let base = status_url.trim().trim_end_matches('/');
    (!base.is_empty()).then(|| format!("{base}/{number}?c={code}"))
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
            status_url: String::new(),
            categories: vec![Category {
                id: "service_quality".into(),
                name: Localized::new(
                    "Качество на обслужването".into(),
                    "Quality of service".into(),
                ),
                suspected_corruption: false,
            }],
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
            check_code: "7K3M9Q".parse().ok(),
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
    fn a_complaint_slip_has_the_number_and_the_due_date_in_large_print() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(false),
            false,
        )
        .unwrap();
        let number = doc.lines().find(|l| l.text == "KV1-2026-000042").unwrap();
        assert_eq!(number.size, Size::DOUBLE);
        let due = doc.lines().find(|l| l.text == "23.12.2026 г.").unwrap();
        assert_eq!((due.size, due.bold), (Size::DOUBLE, true));
        let all = text(&doc);
        assert!(all.contains("ЖАЛБА\nКачество на обслужването"), "{all}");
        assert!(all.contains("Писмен отговор до:\n23.12.2026 г."), "{all}");
        assert!(
            all.contains("Подадено на: 23.11.2026 г., 14:05 ч."),
            "{all}"
        );
        assert!(!all.contains("не са потвърдени"), "{all}");
        assert!(all.contains("Подател: Иван Петров"), "{all}");
        assert!(all.contains("Деловодство: Партер, гише 1"), "{all}");
        assert!(
            all.contains("KV1-2026-000042\nКод за проверка: 7K3M9Q"),
            "the check code right under the number: {all}"
        );
        assert_eq!(doc.qr(), None, "no status page, no QR code");
        assert!(!all.contains("Сканирайте"), "{all}");
        assert!(doc.cut);
    }

    #[test]
    fn the_qr_code_opens_the_status_page_of_this_complaint_with_its_code() {
        let ctx = ReceiptContext {
            status_url: "https://desk.example.bg/r/".into(),
            ..ctx(false)
        };
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx,
            false,
        )
        .unwrap();
        assert_eq!(
            doc.qr(),
            Some("https://desk.example.bg/r/KV1-2026-000042?c=7K3M9Q")
        );
        assert!(text(&doc).contains("Сканирайте за справка по номера"));
        // A record from before the check code: no code, so no link.
        let old = Complaint {
            check_code: None,
            ..complaint(ComplaintType::Complaint)
        };
        let doc = layout(&record(old, true), &ctx, false).unwrap();
        assert_eq!(doc.qr(), None);
        assert!(!text(&doc).contains("Код за проверка"));
    }

    #[test]
    fn the_slip_is_in_the_visitors_language_only() {
        let bg = text(
            &layout(
                &record(complaint(ComplaintType::Complaint), true),
                &ctx(false),
                false,
            )
            .unwrap(),
        );
        for english in [
            "Number",
            "Complaint",
            "Written",
            "Keep",
            "Registry",
            "Kovachevtsi",
        ] {
            assert!(!bg.contains(english), "{english} in {bg}");
        }
        let c = Complaint {
            lang: Lang::En,
            ..complaint(ComplaintType::Complaint)
        };
        let en = text(&layout(&record(c, true), &ctx(false), true).unwrap());
        assert!(
            en.starts_with("DUPLICATE\nKovachevtsi Municipality"),
            "{en}"
        );
        for line in [
            "COMPLAINT",
            "Quality of service",
            "Receipt number:",
            "Filed on: 23.11.2026, 14:05",
            "Written answer by:\n23.12.2026",
            "Registry desk: Ground floor",
            "Keep this receipt.",
        ] {
            assert!(en.contains(line), "{line} not in {en}");
        }
        let cyrillic = |l: &&str| l.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
        let lines: Vec<&str> = en.lines().filter(cyrillic).collect();
        assert_eq!(
            lines,
            ["Filed by: Иван Петров"],
            "only the filer's own name"
        );
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
    fn an_untrusted_clock_prints_the_dates_marked_not_confirmed() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), false),
            &ctx(false),
            false,
        )
        .unwrap();
        let all = text(&doc);
        assert!(
            all.contains("Подадено на: 23.11.2026 г., 14:05 ч."),
            "{all}"
        );
        assert!(all.contains("не са потвърдени"), "{all}");
        let due = doc.lines().find(|l| l.text == "23.12.2026 г.").unwrap();
        assert_eq!(
            due.size,
            Size::DOUBLE,
            "the same date the record and screen carry"
        );
        assert!(all.contains("Датата не е потвърдена"), "{all}");
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
    fn the_status_link_is_the_page_the_number_and_the_code() {
        assert_eq!(
            status_link("https://desk.example.bg/r", "KV1-2026-000001", "ABC123").as_deref(),
            Some("https://desk.example.bg/r/KV1-2026-000001?c=ABC123")
        );
        assert_eq!(status_link("  ", "KV1-2026-000001", "ABC123"), None);
    }

    #[test]
    fn key_lines_are_large_and_every_line_bold() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(false),
            false,
        )
        .unwrap();
        let heading = doc
            .lines()
            .find(|l| l.text.starts_with("Писмен отговор до"))
            .unwrap();
        assert_eq!((heading.size, heading.bold), (Size::TALL, true));
        assert!(doc.lines().all(|l| l.bold), "thermal print is pale");
    }

    #[test]
    fn a_reprint_says_duplicate_first() {
        let doc = layout(
            &record(complaint(ComplaintType::Complaint), true),
            &ctx(false),
            true,
        )
        .unwrap();
        assert_eq!(doc.lines().next().unwrap().text, "ДУБЛИКАТ");
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
        let due = doc.lines().find(|l| l.text == "23.12.2026 г.").unwrap();
        assert_eq!(due.size, Size::TRIPLE);
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
