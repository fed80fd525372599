//! The registry copy as an A4 PDF: one complaint, or every complaint
//! registered on a day.
//!
//! Made with krilla in DejaVu Sans (the kiosk's font, `ui/fonts/`), embedded
//! and subset, so Cyrillic prints the same everywhere and a PDF reader gives
//! the text back. A visitor's text is only ever drawn as text: no part of it
//! is read as layout or PDF syntax, and control characters are dropped.

mod copy;
mod layout;

use thiserror::Error;

pub use self::copy::RegistryCopy;
use self::layout::{Flow, Fonts, Weight, render};
use crate::i18n::Strings;

#[derive(Debug, Error)]
pub enum PdfError {
    #[error("the built-in font could not be read: {0}")]
    Font(String),
    #[error("the page size is invalid")]
    Layout,
    #[error("the PDF could not be written: {0}")]
    Krilla(String),
}

/// The registry copy of one complaint.
pub fn registry_copy(copy: &RegistryCopy, t: &Strings) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let mut flow = Flow::new(&fonts, &copy.number);
    copy::lay_out(&mut flow, copy, t);
    let title = format!("{} {} · {}", copy.kind, copy.number, t.copy_title);
    render(
        &fonts,
        &flow.finish(),
        &title,
        t.lang.code(),
        (t.page, t.page_of),
    )
}

/// Every complaint registered on `day` (already formatted, `05.12.2026`):
/// a first page listing them, then each one's registry copy from a new page.
pub fn day_register(
    municipality: &str,
    day: &str,
    copies: &[RegistryCopy],
    t: &Strings,
) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let title = format!("{} {}", t.day_title, day);
    let mut flow = Flow::new(&fonts, &title);
    flow.paragraph(municipality, 15.0, Weight::Bold);
    flow.paragraph(t.desk, layout::BODY, Weight::Regular);
    flow.rule();
    flow.paragraph(&title, 17.0, Weight::Bold);
    flow.gap(6.0);
    flow.set_running_head(&format!("{title} · {}", t.continued));
    flow.field(t.day_count, &copies.len().to_string());
    if copies.is_empty() {
        flow.paragraph(t.day_none, layout::BODY, Weight::Regular);
    }
    for c in copies {
        flow.field(
            &c.number,
            &format!("{} · {} · {}", c.registry_number, c.kind, c.category),
        );
    }
    for c in copies {
        flow.next_section(&c.number);
        copy::lay_out(&mut flow, c, t);
    }
    render(
        &fonts,
        &flow.finish(),
        &title,
        t.lang.code(),
        (t.page, t.page_of),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::strings;
    use kiosk_rules::domain::lang::Lang;
    use std::process::Command;

    fn sample() -> RegistryCopy {
        RegistryCopy {
            municipality: "Община Ковачевци".into(),
            number: "KV1-2026-000042".into(),
            check_code: "7KQ2XM".into(),
            kind: "Жалба".into(),
            category: "Качество на обслужването".into(),
            kiosk: "kovachevtsi-lobby-1".into(),
            filed: "23.11.2026 10:45".into(),
            clock_note: None,
            due: "23.12.2026".into(),
            due_how: vec![
                "подадена на 23.11.2026; един календарен месец по-късно е 23.12.2026".into(),
                "23.12.2026 е работен ден".into(),
            ],
            status: "нова".into(),
            text: "Чаках 2 часа на гише 3.\n<script>alert('x')</script> \
                   '; DROP TABLE complaints; -- (BT) Tj ET"
                .into(),
            anonymous: false,
            name: "Мария Иванова Петрова".into(),
            address: "с. Ковачевци, ул. „Христо Ботев“ 12".into(),
            phone: "+359 888 123 456".into(),
            email: "maria@example.bg".into(),
            flags: vec!["обидни думи".into()],
            registry_number: String::new(),
            registered_on: String::new(),
        }
    }

    /// Runs a poppler tool on `pdf`; fails the test clearly when the tool
    /// is not installed.
    fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copy.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new(tool)
            .args(args)
            .arg(&path)
            .args(if tool == "pdftotext" {
                &["-"][..]
            } else {
                &[][..]
            })
            .output()
            .unwrap_or_else(|e| {
                panic!("{tool} is needed for this test (apt-get install poppler-utils): {e}")
            });
        assert!(
            out.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn words(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn every_font_is_embedded_and_subset() {
        let pdf = registry_copy(&sample(), strings(Lang::Bg)).unwrap();
        let list = poppler("pdffonts", &[], &pdf);
        let fonts: Vec<&str> = list.lines().skip(2).collect();
        assert_eq!(fonts.len(), 2, "regular and bold:\n{list}");
        for f in fonts {
            assert!(f.contains("DejaVuSans"), "{f}");
            // name type encoding emb sub uni object ID
            let cols: Vec<&str> = f.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(
                cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "emb sub uni: {f}"
            );
            assert!(cols[0].chars().nth(6) == Some('+'), "subset prefix: {f}");
        }
    }

    #[test]
    fn the_text_reads_back_exactly() {
        let copy = sample();
        let pdf = registry_copy(&copy, strings(Lang::Bg)).unwrap();
        let text = poppler("pdftotext", &["-layout"], &pdf);
        for field in [
            "Община Ковачевци",
            "Жалба KV1-2026-000042",
            "7KQ2XM",
            "23.11.2026 10:45",
            "23.12.2026 е работен ден",
            "Мария Иванова Петрова",
            "с. Ковачевци, ул. „Христо Ботев“ 12",
            "+359 888 123 456",
            "maria@example.bg",
            "Входящ номер",
            "Подпис",
        ] {
            assert!(text.contains(field), "{field} missing from\n{text}");
        }
        let plain = poppler("pdftotext", &[], &pdf);
        assert!(words(&plain).contains(&words(&copy.text)), "{plain}");
    }

    #[test]
    fn a_long_text_continues_on_more_pages_without_losing_a_word() {
        let mut copy = sample();
        copy.text = (1..=700)
            .map(|i| format!("дума{i}"))
            .collect::<Vec<_>>()
            .join(" ")
            + "\n"
            + &"Ю".repeat(300);
        let pdf = registry_copy(&copy, strings(Lang::En)).unwrap();
        let info = poppler("pdfinfo", &[], &pdf);
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(pages >= 2, "{info}");
        assert!(info.contains("595.28 x 841.89"), "A4: {info}");
        let plain = poppler("pdftotext", &[], &pdf);
        // Page furniture (footer, running head) sits between the pages'
        // lines: the text's own words must all be there, in order.
        let got: Vec<&str> = plain
            .split_whitespace()
            .filter(|w| w.starts_with("дума"))
            .collect();
        let want: Vec<String> = (1..=700).map(|i| format!("дума{i}")).collect();
        assert_eq!(got, want);
        assert_eq!(plain.matches('Ю').count(), 300);
        assert!(
            plain.contains(&format!("page {pages} of {pages}")),
            "{plain}"
        );
        assert!(plain.contains("continued"), "running head: {plain}");
    }

    #[test]
    fn the_days_register_lists_and_contains_every_copy() {
        let mut a = sample();
        a.registry_number = "94-00-12".into();
        a.registered_on = "05.12.2026".into();
        let mut b = sample();
        b.number = "KV1-2026-000043".into();
        b.registry_number = "94-00-13".into();
        b.anonymous = true;
        let pdf =
            day_register("Община Ковачевци", "05.12.2026", &[a, b], strings(Lang::Bg)).unwrap();
        let plain = poppler("pdftotext", &[], &pdf);
        assert!(plain.contains("Регистрирани на 05.12.2026"), "{plain}");
        assert_eq!(
            plain.matches("94-00-13").count(),
            2,
            "listed and on its copy"
        );
        assert_eq!(
            plain.matches("Мария Иванова Петрова").count(),
            1,
            "b is anonymous"
        );
        let empty = day_register("Община Ковачевци", "06.12.2026", &[], strings(Lang::Bg)).unwrap();
        assert!(poppler("pdftotext", &[], &empty).contains("Няма жалби"));
    }
}
