//! Staff mode on the touchscreen, driven headless by accessible labels:
//! the PIN pad's refusals, the staff key, logging out when idle or by
//! hand, the summary's figures, the complaint register and reprints.

use std::time::{Duration, Instant};

use crate::support::ui::{UiKiosk, kiosk, kiosk_with};
use crate::support::{complaint, context, rating, submission};
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use kiosk::domain::Lang;
use kiosk::store::{AuditOutcome, RegisterFilter};
use kiosk::ui::{AppState, Screen};
use slint::ComponentHandle;

/// An Argon2id hash of `pin`, light enough for a test.
fn hash(pin: &str) -> String {
    let params = Params::new(1024, 1, 1, None).unwrap();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let salt = SaltString::encode_b64(b"kiosk-test-salt!").unwrap();
    argon
        .hash_password(pin.as_bytes(), &salt)
        .unwrap()
        .to_string()
}

fn kiosk_with_pin(pin: &str) -> UiKiosk {
    let pin_hash = hash(pin);
    let k = kiosk_with(|c| c.staff.pin_hash = pin_hash);
    k.app.set_language(Lang::En);
    tall(&k);
    k
}

/// A window tall enough that every figure is in view without scrolling
/// (elements scrolled out of view are not found).
fn tall(k: &UiKiosk) {
    k.app.set_geometry(1000, 4000);
}

fn screen(k: &UiKiosk) -> Screen {
    k.app.window().global::<AppState>().get_screen()
}

fn type_pin(k: &UiKiosk, pin: &str) {
    for d in pin.chars() {
        k.tap(&d.to_string());
    }
    k.tap("Enter");
}

/// Logged in with the staff key, in English.
fn staff_kiosk() -> UiKiosk {
    let k = kiosk();
    k.app.set_language(Lang::En);
    k.staff_key();
    assert_eq!(screen(&k), Screen::StaffHome);
    k
}

fn audited(k: &UiKiosk) -> Vec<(String, AuditOutcome)> {
    let mut v: Vec<_> = k
        .store
        .audit_entries(100)
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.outcome))
        .collect();
    v.reverse();
    v
}

#[test]
fn a_wrong_pin_is_refused_with_the_tries_left_and_the_right_one_opens_staff_mode() {
    let k = kiosk_with_pin("2468");
    k.app.window().global::<AppState>().invoke_staff_entry();
    k.settle();
    assert_eq!(screen(&k), Screen::StaffPin);
    type_pin(&k, "1111");
    assert!(k.says("4 more tries"), "{:?}", k.labels());
    assert_eq!(screen(&k), Screen::StaffPin);
    type_pin(&k, "2468");
    assert_eq!(screen(&k), Screen::StaffHome);
    assert!(k.shows("Leave staff mode"));
    assert!(k.says("Software version"), "{:?}", k.labels());
}

#[test]
fn five_wrong_pins_lock_entry_and_say_for_how_long() {
    let k = kiosk_with_pin("2468");
    k.app.window().global::<AppState>().invoke_staff_entry();
    k.settle();
    for _ in 0..5 {
        type_pin(&k, "1111");
    }
    assert!(k.says("Try again in 1 min 0 s"), "{:?}", k.labels());
    type_pin(&k, "2468");
    assert_eq!(
        screen(&k),
        Screen::StaffPin,
        "locked even for the right PIN"
    );
}

#[test]
fn without_a_pin_the_pad_points_to_the_staff_key() {
    let k = kiosk();
    k.app.set_language(Lang::En);
    k.app.window().global::<AppState>().invoke_staff_entry();
    k.settle();
    type_pin(&k, "1234");
    assert!(k.says("Use the staff key"), "{:?}", k.labels());
    assert_eq!(screen(&k), Screen::StaffPin);
}

#[test]
fn staff_mode_closes_after_being_idle_and_when_left() {
    let k = staff_kiosk();
    k.tick(Instant::now() + Duration::from_secs(60));
    assert_eq!(screen(&k), Screen::StaffHome, "not idle long enough yet");
    k.tick(Instant::now() + Duration::from_secs(121));
    assert_eq!(screen(&k), Screen::Home);
    // Back to the defaults, as after a visitor: Bulgarian.
    assert!(
        k.says("Режимът за служители беше затворен"),
        "{:?}",
        k.labels()
    );
    assert!(audited(&k).contains(&("logout_idle".to_owned(), AuditOutcome::Ok)));

    k.app.set_language(Lang::En);
    k.staff_key();
    assert_eq!(screen(&k), Screen::StaffHome);
    k.tap("Leave staff mode");
    assert_eq!(screen(&k), Screen::Home);
    assert_eq!(
        audited(&k).last(),
        Some(&("logout".to_owned(), AuditOutcome::Ok))
    );
    // Nothing is left open behind the visitor's home.
    k.tick(Instant::now());
    assert_eq!(screen(&k), Screen::Home);
}

#[test]
fn the_summary_shows_the_figures_of_the_seeded_records() {
    let k = kiosk();
    let ctx = context(k.clock.as_ref());
    for score in [5, 5, 4, 2] {
        k.store
            .submit(submission(rating(score), false), &ctx)
            .unwrap();
    }
    k.store
        .submit(submission(complaint(), false), &ctx)
        .unwrap();
    k.app.set_language(Lang::En);
    tall(&k);
    k.staff_key();
    k.tap("Summaries");
    assert_eq!(screen(&k), Screen::StaffSummary);
    for figure in [
        "Number of ratings: 4",
        "Mean score (1 to 5): 4.00",
        "Satisfied (4 or 5): 75.0%",
        "Score 5: 2 (50.0%)",
        "Score 2: 1 (25.0%)",
        "Filed in the period: 1",
    ] {
        assert!(k.shows(figure), "{figure} not in {:?}", k.labels());
    }
    k.tap("Today");
    assert!(k.shows("Number of ratings: 4"));
}

#[test]
fn marking_a_complaint_answered_changes_the_register() {
    let k = kiosk();
    let filed = k
        .store
        .submit(submission(complaint(), false), &context(k.clock.as_ref()))
        .unwrap();
    let number = filed.number.unwrap().to_string();
    k.app.set_language(Lang::En);
    k.staff_key();
    k.tap("Complaint register");
    assert!(k.shows("Not answered"), "{:?}", k.labels());
    k.tap(&format!("Mark {number} answered today"));
    assert!(k.shows("Answered on 23.11.2026"), "{:?}", k.labels());
    let list = k.store.register(&RegisterFilter::default()).unwrap();
    assert_eq!(
        list[0].answered_on,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
    );
    k.tap("Overdue");
    assert!(k.shows("No complaints in this list."));
}

#[test]
fn a_reprint_queues_a_duplicate_of_the_typed_number() {
    let k = staff_kiosk();
    let filed = k
        .store
        .submit(submission(complaint(), false), &context(k.clock.as_ref()))
        .unwrap();
    k.tap("Reprint a receipt");
    assert_eq!(screen(&k), Screen::StaffReprint);
    k.tap("7");
    k.tap("Reprint");
    assert!(k.says("No receipt has this number"), "{:?}", k.labels());
    k.tap("Erase");
    k.tap("1");
    assert!(k.shows("Receipt number KV1-2026-000001"));
    k.tap("Reprint");
    assert!(
        k.says("A duplicate of receipt KV1-2026-000001"),
        "{:?}",
        k.labels()
    );
    let job = k.store.print_job(1).unwrap().expect("a print job");
    assert_eq!((job.record_id, job.duplicate), (filed.id, true));
}
