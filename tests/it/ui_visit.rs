//! What a visitor notices, on the real interface with the kiosk's worker
//! threads: a face tap is a stored rating (kept by the idle reset, one for
//! a double tap, completed by the follow-ups, never two), home asks before
//! it throws a form away, the receipt carries its dates and the same due
//! date the screen shows, and the staff PIN pad says at once when no PIN
//! is set.
use std::time::{Duration, Instant};

use crate::support::escpos::decode;
use crate::support::ui::{UiKiosk, kiosk, kiosk_with, start_complaint, to_review};
use kiosk::config::PrinterEncoding;
use kiosk::domain::record::RecordData;
use kiosk::ui::{AppState, Screen};
use slint::ComponentHandle;
use slint::platform::PointerEventButton;

fn screen(k: &UiKiosk) -> Screen {
    k.app.window().global::<AppState>().get_screen()
}

/// The ratings waiting for the central system (final ones only).
fn sendable_ratings(k: &UiKiosk) -> Vec<kiosk::domain::record::Rating> {
    k.store
        .pending_batch(100)
        .unwrap()
        .items
        .into_iter()
        .filter_map(|i| match i.record.data {
            RecordData::Rating(r) => Some(r),
            _ => None,
        })
        .collect()
}

#[test]
fn one_face_tap_stores_one_rating_and_leaving_sends_it() {
    let k = kiosk();
    k.tap("Оценете обслужването");
    k.tap("Добре");
    assert_eq!(screen(&k), Screen::RateDetails);
    assert_eq!(
        k.store.record_counts().unwrap().ratings,
        1,
        "stored at the tap"
    );
    assert_eq!(k.store.open_ratings().unwrap(), 1);
    assert!(
        sendable_ratings(&k).is_empty(),
        "not sent while follow-ups may come"
    );
    // The visitor walks away home: the same rating, final, nothing more.
    k.tap("Начало");
    assert_eq!(screen(&k), Screen::Home);
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    let sent = sendable_ratings(&k);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].score, 4);
}

#[test]
fn a_double_tap_on_a_face_stores_one_rating() {
    let k = kiosk();
    k.tap("Оценете обслужването");
    let face = k.find("Лошо");
    face.mock_single_click(PointerEventButton::Left);
    face.mock_single_click(PointerEventButton::Left);
    k.settle();
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    k.tap("Изпрати");
    assert_eq!(screen(&k), Screen::RateThanks);
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    assert_eq!(sendable_ratings(&k).len(), 1);
}

#[test]
fn the_idle_reset_keeps_the_rating_with_what_was_given() {
    let k = kiosk();
    k.tap("Оценете обслужването");
    k.tap("Много лошо");
    let desk = &k.config.desks[0];
    k.press_scrolled(&desk.name.bg);
    let now = Instant::now();
    k.tick(now + Duration::from_secs(65));
    k.tick(now + Duration::from_secs(90));
    assert_eq!(screen(&k), Screen::Home);
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    let sent = sendable_ratings(&k);
    assert_eq!(sent.len(), 1, "one final rating");
    assert_eq!(
        (sent[0].score, sent[0].desk.as_deref()),
        (1, Some(desk.id.as_str()))
    );
}

#[test]
fn follow_ups_complete_the_rating_the_face_stored() {
    let k = kiosk();
    k.tap("Оценете обслужването");
    k.tap("Много лошо");
    // The comment is at hand, not at the end of the list.
    k.tap("Напишете коментар");
    assert_eq!(screen(&k), Screen::RateComment);
    k.type_text("Дълго");
    k.tap("Готово");
    assert_eq!(screen(&k), Screen::RateDetails);
    // Back on the follow-ups, the comment is in view without scrolling.
    let comment = k.find("Напишете коментар");
    let (at, size) = (comment.absolute_position(), comment.size());
    assert!(
        at.y >= 0.0 && at.y + size.height <= 800.0,
        "the comment is out of view at {at:?}"
    );
    k.tap("Изпрати");
    assert_eq!(screen(&k), Screen::RateThanks);
    assert!(
        !k.shows("Благодарим ви за оценката!"),
        "no cheer after a low face"
    );
    assert!(k.shows("Благодарим ви, че ни казахте."));
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
    let sent = sendable_ratings(&k);
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].score, sent[0].comment.as_str()), (1, "Дълго"));
}

#[test]
fn home_asks_once_before_throwing_away_what_was_typed() {
    let k = kiosk();
    start_complaint(&k, "Чаках");
    assert_eq!(screen(&k), Screen::ComplaintContact);
    k.tap("Начало");
    assert_eq!(screen(&k), Screen::ComplaintContact, "asked, not gone");
    assert!(k.shows("Да излезете ли от формуляра?"));
    k.tap("Не, оставам тук");
    assert!(!k.shows("Да излезете ли от формуляра?"));
    assert_eq!(screen(&k), Screen::ComplaintContact);
    k.tap("Начало");
    k.tap("Да, изтрий и към началото");
    assert_eq!(screen(&k), Screen::Home);
    assert!(!k.shows("Да излезете ли от формуляра?"));
    assert_eq!(k.store.record_counts().unwrap().total(), 0);
    // Nothing typed: home at once.
    k.tap("Жалба, сигнал, предложение, похвала");
    k.tap("Начало");
    assert_eq!(screen(&k), Screen::Home);
}

#[test]
fn an_unset_clock_still_prints_the_dates_and_the_screens_due_date() {
    let k = kiosk();
    k.clock.set_synchronised(false);
    start_complaint(&k, "Чаках");
    to_review(&k, "Иван Петров");
    k.tap("Изпрати");
    assert_eq!(screen(&k), Screen::ComplaintReceipt);
    let due = "Писмен отговор до 23 декември 2026 г. (датата ще бъде потвърдена)";
    assert!(k.labels().iter().any(|l| l == due), "{:?}", k.labels());
    let slip = decode(
        &std::fs::read(&k.receipts).unwrap(),
        &[(17, PrinterEncoding::Cp866)],
    );
    let text = slip.text();
    assert!(
        text.contains("Подадено на: 23.11.2026 г., 10:00 ч."),
        "{text}"
    );
    assert!(text.contains("не са потвърдени"), "{text}");
    let date = slip.line("23.12.2026 г.").expect("the due date on paper");
    assert!(date.width >= 2 && date.height >= 2, "large: {date:?}");
    assert!(
        !text.contains("Written") && !text.contains("Number"),
        "{text}"
    );
    let stored = k.store.pending_batch(10).unwrap().items;
    let RecordData::Complaint(c) = &stored[0].record.data else {
        panic!()
    };
    assert_eq!(c.due_date.unwrap().to_string(), "2026-12-23");
    assert!(!stored[0].record.clock_trusted);
}

#[test]
fn with_no_pin_set_the_pad_says_at_once_that_staff_use_the_key() {
    let k = kiosk_with(|c| c.staff.pin_hash.clear());
    k.app.window().global::<AppState>().invoke_staff_entry();
    k.settle();
    assert_eq!(screen(&k), Screen::StaffPin);
    assert!(
        k.labels()
            .iter()
            .any(|l| l.contains("Използвайте ключа за служители")),
        "{:?}",
        k.labels()
    );
}
