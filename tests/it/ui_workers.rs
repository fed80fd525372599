//! The interface on the threaded path: real worker threads behind the
//! screens, answers handed back as Slint's event loop would. A double tap
//! stores one record, a printer that never answers does not hold up the
//! number on screen, and a record reaches the central system right after
//! the tap, not at the next poll.
use crate::support;

use std::time::{Duration, Instant};

use crate::support::central::{FakeCentral, Faults, TOKEN};
use crate::support::fake_printer::{Behaviour, FakePrinter};
use crate::support::ui::{UiKiosk, kiosk, kiosk_with, kiosk_with_worker, start_complaint};
use kiosk::store::AuditOutcome;
use kiosk::ui::{AppState, ComplaintAdapter, Screen};
use slint::ComponentHandle;
use slint::platform::PointerEventButton;

fn screen(k: &UiKiosk) -> Screen {
    k.app.window().global::<AppState>().get_screen()
}

/// Two touches on the same spot, the second before the kiosk answered the
/// first: the workers' answers only reach the screen when the pump runs,
/// which `settle` does after both touches. The button is found afresh for
/// the second touch: it is still on screen, on the same page.
fn double_tap(k: &UiKiosk, label: &str) {
    let before = screen(k);
    k.find(label).mock_single_click(PointerEventButton::Left);
    k.find(label).mock_single_click(PointerEventButton::Left);
    assert_eq!(
        screen(k),
        before,
        "no answer reached the screen between the two touches"
    );
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

/// The print jobs stored, counted by their ids (1, 2, ...).
fn print_jobs(k: &UiKiosk) -> usize {
    (1..10)
        .take_while(|&id| k.store.print_job(id).unwrap().is_some())
        .count()
}

#[test]
fn a_double_tap_on_a_staff_reprint_queues_one_duplicate() {
    let k = kiosk();
    k.store
        .submit(
            support::submission(support::complaint(), false),
            &support::context(k.clock.as_ref()),
        )
        .unwrap();
    k.staff_key();
    assert_eq!(screen(&k), Screen::StaffHome);
    k.tap("Повторен печат на разписка");
    assert_eq!(screen(&k), Screen::StaffReprint);
    k.tap("1");
    double_tap(&k, "Отпечатай");
    assert_eq!(print_jobs(&k), 1, "one duplicate for two touches");
    assert!(k.store.print_job(1).unwrap().unwrap().duplicate);
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

/// Far longer than the test may take: a record that arrives came with the
/// kick after its commit, not with a periodic pass.
const NO_POLL: Duration = Duration::from_secs(3600);

#[test]
fn a_record_reaches_the_central_system_right_after_the_tap_not_at_the_next_poll() {
    let server = FakeCentral::start(Faults::default());
    let dir = support::memory_dir();
    let token = token_file(dir.path());
    // The production interval is 30 s; here the next periodic pass is an
    // hour away, so only the kick after the commit can bring the record.
    let settings = kiosk::sync::SyncSettings::from_config(&support::ui::config(dir.path()));
    assert_eq!(settings.poll_every, Duration::from_secs(30));
    let (k, handle) = kiosk_with_worker(server.url(), dir.path(), token, NO_POLL);
    // The worker's first pass, at its start, has found nothing to send.
    let deadline = Instant::now() + support::ui::SETTLE;
    while handle.snapshot().last_success.is_none() {
        assert!(Instant::now() < deadline, "{:?}", handle.snapshot());
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(server.seen(|s| s.held.is_empty()));

    k.tap("Оценете обслужването");
    k.tap("Добре");
    let tapped = Instant::now();
    k.tap("Изпрати");
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    // Normally milliseconds (`kiosk bench submit` and the sync worker's
    // log show it); the bound only keeps a busy machine from failing the
    // test, and is far below the periodic interval.
    let deadline = tapped + support::ui::SETTLE;
    while !server.seen(|s| s.held.len() == 1) {
        assert!(
            Instant::now() < deadline,
            "the rating was not at the central system {:?} after the tap: {:?}",
            support::ui::SETTLE,
            handle.snapshot()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // The store was empty: what arrived is this rating.
    let held = server.seen(|s| s.held.values().next().cloned()).unwrap();
    assert_eq!(held["kind"], "rating", "{held}");
    assert!(handle.shutdown(Duration::from_secs(5)));
}
