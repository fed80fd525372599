//! Receipts as the printer receives them: decoded back to text, in both
//! code pages, with the sizes, the QR code and the cut; and no visitor text
//! can slip a printer command in.
use crate::support;

use std::path::Path;

use crate::support::escpos::{Printout, decode};
use kiosk::clock::ManualClock;
use kiosk::config::{Config, PrinterEncoding, PrinterTransport};
use kiosk::domain::receipt::layout;
use kiosk::domain::record::{Record, RecordData, RecordKind};
use kiosk::domain::{Lang, ReceiptNumber};
use kiosk::printer::jobs::{Outcome, PrintWorker};
use kiosk::printer::{PageSetup, open, receipt_context, render};
use kiosk::store::{PrintJobState, Store};
use proptest::prelude::*;

/// Where the tests' status page would be.
const STATUS_URL: &str = "https://desk.example.bg/r";

fn config(encoding: PrinterEncoding, n: u8, large: bool) -> Config {
    let mut c = kiosk::config::load_with_env(Path::new("kiosk.toml"), std::iter::empty())
        .expect("the shipped kiosk.toml is valid");
    c.printer.encoding = encoding;
    c.printer.esc_t_n = n;
    c.printer.large_print = large;
    c.receipt.status_url = STATUS_URL.into();
    c
}

/// Files a complaint and prints its receipt to a file; returns the decoded
/// slip and the store.
fn print_one(encoding: PrinterEncoding, n: u8, large: bool) -> (Printout, Store, ReceiptNumber) {
    print_with(config(encoding, n, large))
}

/// [`print_one`] with a configuration of the caller's.
fn print_with(cfg: Config) -> (Printout, Store, ReceiptNumber) {
    let (encoding, n) = (cfg.printer.encoding, cfg.printer.esc_t_n);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("receipts.bin");
    let store = Store::open_in_memory().unwrap();
    let clock = ManualClock::at_sofia(2026, 11, 23, 14, 5).unwrap();
    let done = store
        .submit(
            support::submission(support::complaint(), true),
            &support::context(&clock),
        )
        .unwrap();
    let spec = PrinterTransport::File(out.clone());
    let worker = PrintWorker::new(
        store.clone(),
        receipt_context(&cfg),
        kiosk::printer::page_setup(&cfg),
        Box::new(move || open(&spec, 2000)),
    );
    let outcomes = worker.run_pending(&|| chrono::Utc::now()).unwrap();
    assert!(
        matches!(outcomes.as_slice(), [Outcome::Printed { .. }]),
        "{outcomes:?}"
    );
    let bytes = std::fs::read(&out).unwrap();
    (
        decode(&bytes, &[(n, encoding)]),
        store,
        done.number.unwrap(),
    )
}

#[test]
fn a_complaint_receipt_reads_back_in_both_code_pages() {
    for (encoding, n) in [
        (PrinterEncoding::Cp866, 17),
        (PrinterEncoding::Windows1251, 46),
    ] {
        let (slip, store, number) = print_one(encoding, n, false);
        let text = slip.text();
        assert!(slip.kanji_cancelled);
        assert_eq!(slip.pages, vec![n]);
        assert!(text.contains("Община Ковачевци"), "{text}");
        assert!(text.contains("ЖАЛБА\n"), "{text}");
        assert!(
            !text.contains("Complaint"),
            "in the visitor's language only: {text}"
        );
        let line = slip
            .line(&number.to_string())
            .expect("the number on a line of its own");
        assert_eq!((line.width, line.height, line.bold), (2, 2, true));
        assert!(
            text.contains("Подадено на: 23.11.2026 г., 14:05 ч."),
            "{text}"
        );
        assert!(text.contains("Писмен отговор до:\n23.12.2026 г."), "{text}");
        let due = slip
            .line("23.12.2026 г.")
            .expect("the due date on a line of its own");
        assert_eq!((due.width, due.height, due.bold), (2, 2, true));
        assert!(text.contains("Подател: Иван Петров"), "{text}");
        assert!(text.contains("Деловодство"), "{text}");
        assert!(!text.contains('\u{FFFD}'), "{text}");
        // No contact data and no complaint text.
        assert!(!text.contains("0888"), "{text}");
        assert!(!text.contains("Чаках"), "{text}");
        assert_eq!(slip.qr.len(), 1);
        assert_eq!(slip.qr[0].model, 50, "Model 2");
        assert_eq!(slip.qr[0].payload, status_link(&store, &number));
        assert_eq!(
            slip.cuts,
            vec![(66, Some(4))],
            "one partial cut after feeding"
        );
        for l in &slip.lines {
            assert!(l.text.chars().count() * usize::from(l.width) <= 48, "{l:?}");
        }
    }
}

/// The status page of `number` with its stored check code.
fn status_link(store: &Store, number: &ReceiptNumber) -> String {
    format!("{STATUS_URL}/{number}?c={}", check_code(store, number))
}

fn check_code(store: &Store, number: &ReceiptNumber) -> String {
    let stored = store.get_by_number(number).unwrap().unwrap();
    let RecordData::Complaint(c) = stored.record.data else {
        panic!("a complaint")
    };
    c.check_code
        .expect("a new complaint has a check code")
        .to_string()
}

#[test]
fn the_slip_shows_the_check_code_beside_the_number_and_a_qr_code_only_with_a_status_page() {
    let (slip, store, number) = print_one(PrinterEncoding::Cp866, 17, false);
    let code = check_code(&store, &number);
    assert_eq!(code.len(), 6);
    assert!(
        code.chars()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"ILOU".contains(c)))
    );
    let lines: Vec<&str> = slip.lines.iter().map(|l| l.text.as_str()).collect();
    let at = lines.iter().position(|l| *l == number.to_string()).unwrap();
    assert_eq!(
        lines[at + 1],
        format!("Код за проверка: {code}"),
        "the code right under the number: {lines:?}"
    );
    assert!(slip.line(&format!("Код за проверка: {code}")).unwrap().bold);
    assert_eq!(slip.qr.len(), 1);
    assert_eq!(slip.qr[0].payload, status_link(&store, &number));
    assert!(slip.text().contains("Сканирайте за справка по номера"));

    let mut bare = config(PrinterEncoding::Cp866, 17, false);
    bare.receipt.status_url = String::new();
    let (slip, store, number) = print_with(bare);
    let text = slip.text();
    assert!(slip.qr.is_empty(), "no status page, no QR code");
    assert!(
        text.contains(&format!("Код за проверка: {}", check_code(&store, &number))),
        "{text}"
    );
    assert!(!text.contains("Сканирайте"), "no web page promised: {text}");
}

#[test]
fn large_print_doubles_every_line() {
    let (slip, _, number) = print_one(PrinterEncoding::Cp866, 17, true);
    // Text lines; rules and blank lines stay thin on purpose.
    let text = slip
        .lines
        .iter()
        .filter(|l| l.text.chars().any(char::is_alphanumeric));
    for l in text {
        assert!(l.width >= 2 && l.height >= 2, "{l:?}");
    }
    assert_eq!(slip.line(&number.to_string()).unwrap().width, 3);
}

#[test]
fn a_reprint_by_number_says_duplicate() {
    let (_, store, number) = print_one(PrinterEncoding::Cp866, 17, false);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("again.bin");
    let cfg = config(PrinterEncoding::Cp866, 17, false);
    let spec = PrinterTransport::File(out.clone());
    let worker = PrintWorker::new(
        store.clone(),
        receipt_context(&cfg),
        kiosk::printer::page_setup(&cfg),
        Box::new(move || open(&spec, 2000)),
    );
    let job = worker.reprint(&number, chrono::Utc::now()).unwrap();
    worker.run_pending(&|| chrono::Utc::now()).unwrap();
    assert_eq!(
        store.print_job(job).unwrap().unwrap().state,
        PrintJobState::Printed
    );
    let slip = decode(
        &std::fs::read(&out).unwrap(),
        &[(17, PrinterEncoding::Cp866)],
    );
    assert_eq!(slip.lines[0].text, "ДУБЛИКАТ");
    assert!(slip.text().contains(&number.to_string()));
}

fn record_named(name: &str) -> Record {
    let mut data = support::complaint();
    if let RecordData::Complaint(c) = &mut data {
        c.name = name.to_string();
        c.lang = Lang::Bg;
        c.check_code = "7K3M9Q".parse().ok();
    }
    Record {
        id: uuid::Uuid::now_v7(),
        kind: RecordKind::Complaint,
        number: Some(ReceiptNumber::new("KV1", 2026, 7).unwrap()),
        created_at: chrono::DateTime::parse_from_rfc3339("2026-11-23T14:05:00+02:00").unwrap(),
        clock_trusted: true,
        data,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn no_visitor_text_can_put_a_command_into_the_output(
        name in prop_oneof![
            any::<String>(),
            proptest::collection::vec(prop_oneof![Just('\x1b'), Just('\x1d'), Just('\x10'), Just('\x0a'), Just('V'), Just('@'), Just('Ж'), Just('€')], 0..60)
                .prop_map(|v| v.into_iter().collect::<String>()),
        ]
    ) {
        let cfg = config(PrinterEncoding::Cp866, 17, false);
        let doc = layout(&record_named(&name), &receipt_context(&cfg), false).unwrap();
        for (encoding, n) in [(PrinterEncoding::Cp866, 17), (PrinterEncoding::Windows1251, 46)] {
            let page = PageSetup { encoding, esc_t_n: n, cancel_kanji: true };
            let bytes = render(&doc, page).unwrap();
            // The decoder panics on any control byte it does not expect.
            let slip = decode(&bytes, &[(n, encoding)]);
            prop_assert_eq!(slip.pages.clone(), vec![n]);
            prop_assert_eq!(slip.cuts.len(), 1);
            prop_assert_eq!(slip.qr.len(), 1);
            prop_assert_eq!(slip.status_requests, 0);
        }
    }
}
