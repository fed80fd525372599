//! Every visitor flow walked on the real interface, headless, by accessible
//! label: what a visitor does and what ends up in the store and on paper.
use crate::support;

use std::time::{Duration, Instant};

use crate::support::ui::{UiKiosk, kiosk, start_complaint, to_review};
use kiosk::domain::ReceiptNumber;
use kiosk::domain::record::{ComplaintType, Flag, RecordData};
use kiosk::ui::{AppState, Screen};
use slint::ComponentHandle;

fn screen(k: &UiKiosk) -> Screen {
    k.app.window().global::<AppState>().get_screen()
}

fn only_record(k: &UiKiosk) -> RecordData {
    let batch = k.store.pending_batch(10).unwrap().items;
    assert_eq!(
        batch.len(),
        1,
        "exactly one record queued for the central system"
    );
    batch[0].record.data.clone()
}

#[test]
fn a_rating_takes_two_touches_and_stores_one_record() {
    let k = kiosk();
    k.tap("Оценете обслужването");
    assert_eq!(screen(&k), Screen::Rate);
    k.tap("Лошо");
    k.tap("Изпрати");
    assert_eq!(screen(&k), Screen::RateThanks);
    assert!(k.shows("Благодарим ви, че ни казахте."));
    match only_record(&k) {
        RecordData::Rating(r) => {
            assert_eq!(r.score, 2);
            assert!(r.reasons.is_empty() && r.comment.is_empty());
        }
        other => panic!("expected a rating, got {other:?}"),
    }
    // A second touch on "Send" cannot have stored a second one.
    assert_eq!(k.store.record_counts().unwrap().ratings, 1);
}

#[test]
fn a_rating_with_a_reason_a_desk_and_a_comment_and_a_printed_receipt() {
    let k = kiosk();
    k.tap("Оценете обслужването");
    k.tap("Много лошо");
    let first_low = &k.config.rating.low_reasons[0];
    let reason = k
        .config
        .rating
        .reasons
        .iter()
        .find(|r| &r.id == first_low)
        .unwrap();
    k.tap(&reason.name.bg);
    let desk = &k.config.desks[0];
    k.press_scrolled(&desk.name.bg);
    k.press_scrolled("Напишете коментар");
    assert_eq!(screen(&k), Screen::RateComment);
    k.type_text("Дълго чакане");
    k.tap("Готово");
    k.tap("Изпрати");
    match only_record(&k) {
        RecordData::Rating(r) => {
            assert_eq!(r.score, 1);
            assert_eq!(r.reasons, vec![first_low.clone()]);
            assert_eq!(r.desk.as_deref(), Some(desk.id.as_str()));
            assert_eq!(r.comment, "Дълго чакане");
        }
        other => panic!("expected a rating, got {other:?}"),
    }
    k.tap("Отпечатай разписка");
    let bytes = std::fs::read(&k.receipts).unwrap();
    assert!(!bytes.is_empty(), "a rating receipt was printed");
    assert!(k.shows("Готово"));
}

#[test]
fn a_complaint_gets_a_number_a_due_date_and_a_printed_receipt() {
    let k = kiosk();
    start_complaint(&k, "Чаках дълго на гишето");
    to_review(&k, "Мария Иванова");
    assert_eq!(screen(&k), Screen::ComplaintReview);
    assert!(
        k.says("Ще получите писмен отговор до 23 декември 2026 г."),
        "the review names the due date: {:?}",
        k.labels_scrolled()
    );
    assert!(k.says("не е обжалване на административен акт"));
    assert!(k.says("Моля, не пишете ЕГН"));
    assert!(k.says("защита на личните данни"));
    k.tap("Изпрати");
    assert_eq!(screen(&k), Screen::ComplaintReceipt);

    let shown = k
        .find("Номер на разписката")
        .accessible_value()
        .unwrap()
        .to_string();
    assert_eq!(shown, "KV1-2026-000001");
    let stored = k
        .store
        .get_by_number(&shown.parse::<ReceiptNumber>().unwrap())
        .unwrap()
        .expect("the number on screen is stored");
    let RecordData::Complaint(c) = &stored.record.data else {
        panic!("not a complaint")
    };
    assert_eq!(c.ctype, ComplaintType::Complaint);
    assert_eq!(c.text, "Чаках дълго на гишето");
    assert_eq!(c.name, "Мария Иванова");
    assert_eq!(c.phone, "0888123456");
    assert_eq!(c.due_date.unwrap().to_string(), "2026-12-23");
    assert!(
        k.labels()
            .iter()
            .any(|l| l.contains("Писмен отговор до 23 декември 2026 г."))
    );

    // The receipt went to the printer and the visitor is told to take it.
    assert!(k.store.pending_print_jobs().unwrap().is_empty());
    let bytes = std::fs::read(&k.receipts).unwrap();
    assert!(
        bytes.windows(6).any(|w| w == b"000001"),
        "the number is on the slip"
    );
    assert!(
        k.labels()
            .iter()
            .any(|l| l.contains("Моля, вземете разписката си."))
    );

    k.tap("Готово");
    assert_eq!(screen(&k), Screen::Home);
}

#[test]
fn when_the_printer_fails_the_number_stays_on_screen_and_a_retry_is_offered() {
    let k = support::ui::kiosk_with(|c| {
        c.printer.transport = kiosk::config::PrinterTransport::Tcp {
            host: "127.0.0.1".into(),
            port: 9,
        };
        c.printer.timeout_ms = 300;
    });
    start_complaint(&k, "Няма хартия");
    to_review(&k, "Иван");
    k.tap("Изпрати");
    assert_eq!(screen(&k), Screen::ComplaintReceipt);
    assert_eq!(
        k.find("Номер на разписката").accessible_value().unwrap(),
        "KV1-2026-000001"
    );
    assert!(k.shows("Разписката не можа да бъде отпечатана"));
    assert!(
        k.labels()
            .iter()
            .any(|l| l.contains("деловодството могат да отпечатат разписката отново"))
    );
    assert_eq!(
        k.store.record_counts().unwrap().complaints,
        1,
        "the record is kept"
    );
    k.tap("Опитай отново да отпечаташ");
    assert!(
        k.shows("Разписката не можа да бъде отпечатана"),
        "still no printer"
    );
}

#[test]
fn anonymous_is_refused_without_the_health_and_safety_confirmation() {
    let k = kiosk();
    start_complaint(&k, "Опасна дупка на пътя");
    assert!(k.shows("Къде да изпратим писмения отговор?"));
    k.press("Не искам да посоча името си (анонимно)");
    assert!(
        !k.shows("Къде да изпратим писмения отговор?"),
        "no written answer goes to an anonymous filer, so none is asked where"
    );
    assert!(k.shows("Анонимно: без писмен отговор"));
    k.tap("Напред");
    assert_eq!(screen(&k), Screen::ComplaintContact, "not let through");
    assert!(
        k.says("Анонимни жалби и сигнали се разглеждат само"),
        "the reason is given: {:?}",
        k.labels_scrolled()
    );
    assert_eq!(k.store.record_counts().unwrap().total(), 0);

    k.press_scrolled("Да, засяга заплаха за здравето или сигурността");
    k.tap("Напред");
    assert_eq!(screen(&k), Screen::ComplaintReview);
    k.tap("Изпрати");
    match only_record(&k) {
        RecordData::Complaint(c) => {
            assert!(c.anonymous && c.health_safety);
            assert!(c.flags.contains(&Flag::AnonymousHealthSafety));
            assert_eq!(c.due_date, None, "no written answer to an anonymous filing");
        }
        other => panic!("expected a complaint, got {other:?}"),
    }
}

#[test]
fn offensive_words_are_warned_about_and_the_record_is_flagged_not_dropped() {
    let k = kiosk();
    start_complaint(&k, "Служителят е идиот");
    to_review(&k, "Петър");
    assert!(
        k.shows("Моля, обърнете внимание"),
        "a warning box on the review screen"
    );
    assert!(k.says("„идиот“"));
    k.tap("Изпрати");
    match only_record(&k) {
        RecordData::Complaint(c) => {
            assert!(c.flags.contains(&Flag::OffensiveLanguage));
            assert_eq!(c.text, "Служителят е идиот", "the text is kept as written");
        }
        other => panic!("expected a complaint, got {other:?}"),
    }
}

#[test]
fn the_idle_timeout_asks_first_then_clears_a_half_written_complaint() {
    let k = kiosk();
    k.tap("English");
    k.tap("Complaint, signal, proposal, praise");
    k.press("Complaint");
    k.tap(&k.config.complaints.categories[0].name.en);
    k.tap("Space");
    let st = k.app.window().global::<AppState>();

    let now = Instant::now();
    k.tick(now + Duration::from_secs(30));
    assert!(!st.get_idle_warning());
    k.tick(now + Duration::from_secs(65));
    assert!(st.get_idle_warning(), "the question is on screen");
    assert!(k.shows("Yes, I need more time"));
    k.tick(now + Duration::from_secs(70));
    assert_eq!(st.get_idle_seconds_left(), 10);
    assert_eq!(
        screen(&k),
        Screen::ComplaintText,
        "nothing cleared while asking"
    );

    k.tick(now + Duration::from_secs(90));
    assert_eq!(screen(&k), Screen::Home);
    assert!(!st.get_idle_warning());
    assert_eq!(k.app.lang(), kiosk::domain::Lang::Bg, "back to Bulgarian");
    assert!(k.shows("Оценете обслужването"));
    // The draft is gone: a new complaint starts empty.
    k.tap("Жалба, сигнал, предложение, похвала");
    k.press("Жалба");
    k.tap(&k.config.complaints.categories[0].name.bg);
    assert_eq!(k.find("Вашият текст").accessible_value().unwrap(), "");
    assert_eq!(k.store.record_counts().unwrap().total(), 0);
}

#[test]
fn more_time_keeps_everything() {
    let k = kiosk();
    start_complaint(&k, "Текст");
    k.tick(Instant::now() + Duration::from_secs(65));
    k.tap("Да, нужно ми е още време");
    k.tick(Instant::now() + Duration::from_secs(30));
    assert_eq!(screen(&k), Screen::ComplaintContact);
    k.tap("Назад");
    assert_eq!(k.find("Вашият текст").accessible_value().unwrap(), "Текст");
}

#[test]
fn the_language_switch_changes_every_text() {
    let k = kiosk();
    assert!(k.shows("Оценете обслужването"));
    assert!(!k.shows("Rate our service"));
    k.tap("English");
    assert!(k.shows("Rate our service"));
    assert!(!k.shows("Оценете обслужването"));
    k.tap("Office hours");
    assert!(k.shows("Office hours"));
    assert!(
        k.labels().iter().any(|l| l.starts_with("Monday")),
        "weekday names follow: {:?}",
        k.labels()
    );
    k.tap("Български");
    assert!(k.labels().iter().any(|l| l.starts_with("понеделник")));
}

#[test]
fn services_search_by_a_few_letters_then_the_detail() {
    let k = kiosk();
    k.tap("Услуги");
    k.tap("Търсене по име");
    k.type_text("наследници");
    let service = k
        .config
        .services
        .iter()
        .find(|s| s.name.bg.contains("наследници"))
        .unwrap();
    k.tap(&service.name.bg);
    assert_eq!(screen(&k), Screen::ServiceDetail);
    let fee = service.ordinary.fee_eur.display(kiosk::domain::Lang::Bg);
    assert!(
        k.labels().iter().any(|l| l.contains(&fee)),
        "the fee {fee} is shown: {:?}",
        k.labels()
    );
}

#[test]
fn a_staff_call_from_the_screen_is_stored_once_a_minute() {
    let k = kiosk();
    k.tap("Повикай служител");
    assert!(k.labels().iter().any(|l| l.contains("Повикахме служител")));
    k.tap("Разбрах");
    k.tap("Повикай служител");
    assert!(
        k.labels()
            .iter()
            .any(|l| l.contains("Служител вече е повикан"))
    );
    assert_eq!(k.store.record_counts().unwrap().staff_calls, 1);
}

#[test]
fn the_staff_call_button_beside_the_screen_stores_a_call_and_tells_the_visitor() {
    let k = support::ui::kiosk_with_board();
    let st = k.app.window().global::<AppState>();
    st.invoke_simulated_key("F1".into());
    k.tick(Instant::now());
    assert!(
        k.labels().iter().any(|l| l.contains("Повикахме служител")),
        "{:?}",
        k.labels()
    );
    assert_eq!(k.store.record_counts().unwrap().staff_calls, 1);
    // Pressed again within the minute: told so, no second record.
    st.invoke_simulated_key("F1".into());
    k.tick(Instant::now());
    assert_eq!(k.store.record_counts().unwrap().staff_calls, 1);
    // The screen's button shares the same minute.
    k.tap("Разбрах");
    k.tap("Повикай служител");
    assert_eq!(k.store.record_counts().unwrap().staff_calls, 1);
}

#[test]
fn the_staff_key_opens_staff_mode_and_turning_it_back_leaves() {
    let k = support::ui::kiosk_with_board();
    let st = k.app.window().global::<AppState>();
    st.invoke_simulated_key("F3".into());
    k.tick(Instant::now());
    assert_eq!(screen(&k), Screen::StaffHome);
    st.invoke_simulated_key("F3".into());
    k.tick(Instant::now());
    assert_eq!(screen(&k), Screen::Home);
}

#[test]
fn a_printer_that_does_not_answer_turns_the_status_led_to_attention() {
    let k = support::ui::kiosk_with_board_and(|c| {
        c.printer.transport = kiosk::config::PrinterTransport::Tcp {
            host: "127.0.0.1".into(),
            port: 9,
        };
        c.printer.timeout_ms = 300;
    });
    let led = || k.board.as_ref().unwrap().outputs().led;
    k.tick(Instant::now());
    assert_eq!(led(), board::LedPattern::Ok, "nothing wrong yet");
    start_complaint(&k, "Текст");
    to_review(&k, "Иван");
    k.tap("Изпрати");
    assert!(k.shows("Разписката не можа да бъде отпечатана"));
    k.tick(Instant::now());
    assert_eq!(
        led(),
        board::LedPattern::Attention,
        "staff are called to the printer"
    );
}

#[test]
fn the_field_being_typed_says_type_here() {
    let k = kiosk();
    k.tap("English");
    k.tap("Complaint, signal, proposal, praise");
    k.press("Complaint");
    k.tap(&k.config.complaints.categories[0].name.en);
    assert!(
        k.shows("Your text (type here)"),
        "an instruction, not a state: {:?}",
        k.labels()
    );
    k.tap("Български");
    assert!(k.shows("Вашият текст (пишете тук)"), "{:?}", k.labels());
}

#[test]
fn the_phone_field_opens_the_digits() {
    let k = kiosk();
    start_complaint(&k, "Текст");
    k.tap("Телефон");
    assert!(
        k.shows("Букви") && k.shows("5"),
        "the phone opens on the digits: {:?}",
        k.labels()
    );
    k.tap("Напред");
    k.tap("Име");
    assert!(k.shows("Цифри") && k.shows("я"), "a name on the letters");
}
