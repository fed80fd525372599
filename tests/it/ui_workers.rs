//! The interface on the threaded path: real worker threads behind the
//! screens, answers handed back as Slint's event loop would. A double tap
//! stores one record, a printer that never answers does not hold up the
//! number on screen, and a record reaches the central system right after
//! the tap, not at the next poll.
use crate::support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::central::{FakeCentral, Faults, TOKEN};
use crate::support::fake_printer::{Behaviour, FakePrinter};
use crate::support::ui::{UiKiosk, kiosk, kiosk_linked, kiosk_with, start_complaint};
use kiosk::clock::Clock;
use kiosk::service::SyncLink;
use kiosk::store::AuditOutcome;
use kiosk::ui::{AppState, ComplaintAdapter, Screen};
use slint::ComponentHandle;
use slint::platform::PointerEventButton;

fn screen(k: &UiKiosk) -> Screen {
    k.app.window().global::<AppState>().get_screen()
}

/// Two touches on the same spot, the second before the kiosk answered the
/// first: the answers only come back when the test lets them.
fn double_tap(k: &UiKiosk, label: &str) {
    let target = k.find(label);
    target.mock_single_click(PointerEventButton::Left);
    target.mock_single_click(PointerEventButton::Left);
    k.settle();
}

/// Home -> complaint -> text, contact, review.
fn to_review(k: &UiKiosk) {
    start_complaint(k, "Чаках");
    support::ui::to_review(k, "Иван Петров");
}

#[test]
fn a_double_tap_on_send_stores_one_rating() {
    let k = kiosk();
    k.tap("Оценете обслужването");
    k.tap("Лошо");
    double_tap(&k, "Изпрати");
    assert_eq!(screen(&k), Screen::RateThanks);
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    double_tap(&k, "Отпечатай разписка");
    assert_eq!(k.store.pending_print_jobs().unwrap().len(), 0);
    let printed = std::fs::read(&k.receipts).unwrap();
    let slips = printed.windows(2).filter(|w| w == &[0x1B, 0x40]).count();
    assert_eq!(slips, 1, "one receipt for two touches");
}

#[test]
fn a_double_tap_on_send_files_one_complaint_with_one_number() {
    let k = kiosk();
    to_review(&k);
    double_tap(&k, "Изпрати");
    assert_eq!(screen(&k), Screen::ComplaintReceipt);
    assert_eq!(k.store.record_counts().unwrap().complaints, 1);
    assert_eq!(
        k.find("Номер на разписката").accessible_value().unwrap(),
        "KV1-2026-000001"
    );
    assert_eq!(k.store.pending_batch(10).unwrap().items.len(), 1);
}

#[test]
fn a_double_tap_on_enter_checks_the_pin_once() {
    let hash = kiosk::staff::pin::hash_pin("2468").unwrap();
    let k = kiosk_with(|c| c.staff.pin_hash = hash);
    k.app.window().global::<AppState>().invoke_staff_entry();
    k.settle();
    for d in ["1", "1", "1", "1"] {
        k.tap(d);
    }
    double_tap(&k, "Вход");
    let checks = k
        .store
        .audit_entries(100)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "login_pin")
        .count();
    assert_eq!(checks, 1, "one PIN, one check");
    assert!(
        k.store
            .audit_entries(100)
            .unwrap()
            .iter()
            .all(|e| e.outcome == AuditOutcome::Refused)
    );
}

#[test]
fn a_printer_that_never_answers_does_not_hold_up_the_number() {
    let printer = FakePrinter::start(Behaviour::Silent);
    let k = kiosk_with(|c| {
        c.printer.transport = kiosk::config::PrinterTransport::Tcp {
            host: "127.0.0.1".into(),
            port: printer.port,
        };
        // Far longer than a commit, however busy the machine.
        c.printer.timeout_ms = 8000;
    });
    to_review(&k);
    let a = k.app.window().global::<ComplaintAdapter>();
    k.find("Изпрати")
        .mock_single_click(PointerEventButton::Left);
    let deadline = Instant::now() + Duration::from_secs(8);
    while a.get_number().is_empty() && Instant::now() < deadline {
        k.pump.run_next(Duration::from_millis(100));
    }
    assert_eq!(a.get_number(), "KV1-2026-000001");
    assert_eq!(screen(&k), Screen::ComplaintReceipt);
    assert_eq!(
        a.get_printer_text(),
        "Отпечатваме разписката…",
        "the number is on screen while the printer still has not answered"
    );
    assert_eq!(k.store.record_counts().unwrap().complaints, 1);
}

fn token_file(dir: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("central.token");
    std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[test]
fn a_record_reaches_the_central_system_within_two_seconds_of_the_tap() {
    let server = FakeCentral::start(Faults::default());
    let dir = support::memory_dir();
    let token = token_file(dir.path());
    let mut handle = None;
    let k = kiosk_linked(
        |_| {},
        |store| {
            let mut settings =
                kiosk::sync::SyncSettings::from_config(&support::ui::config(dir.path()));
            // The production intervals: only the kick can be this quick.
            settings.url = server.url();
            settings.token_file = token.clone();
            assert_eq!(settings.poll_every, Duration::from_secs(30));
            let clock: Arc<dyn Clock> = Arc::new(kiosk::clock::SystemClock);
            let h = kiosk::sync::start(
                settings,
                store.clone(),
                clock,
                kiosk::sync::printer_unknown(),
            )
            .unwrap();
            let link = SyncLink {
                status: h.status(),
                kick: h.kicker(),
            };
            handle = Some(h);
            link
        },
    );
    let handle = handle.unwrap();
    // The worker's first pass, at its start, has found nothing to send.
    let deadline = Instant::now() + Duration::from_secs(60);
    while handle.snapshot().last_success.is_none() {
        assert!(Instant::now() < deadline, "{:?}", handle.snapshot());
        std::thread::sleep(Duration::from_millis(5));
    }

    k.tap("Оценете обслужването");
    k.tap("Добре");
    let tapped = Instant::now();
    k.tap("Изпрати");
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    let arrived = loop {
        // The store was empty: whatever arrives is this rating.
        if server.seen(|s| s.held.len() == 1) {
            break true;
        }
        if tapped.elapsed() > Duration::from_secs(2) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(
        arrived,
        "the rating was not at the central system 2 s after the tap"
    );
    assert!(handle.shutdown(Duration::from_secs(5)));
}
