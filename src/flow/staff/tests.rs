use std::time::{Duration, Instant};

use super::*;
use crate::domain::Lang;
use crate::flow::fake::{FakeKiosk, PIN};
use crate::store::fixtures;

fn flow() -> (Rc<FakeKiosk>, Rc<Outlet>, Rc<StaffFlow>) {
    let kiosk = FakeKiosk::new();
    let outlet = Outlet::new();
    let prefs = Prefs::new(kiosk.config());
    prefs.set_lang(Lang::En);
    let flow = StaffFlow::new(kiosk.clone(), outlet.clone(), prefs);
    (kiosk, outlet, flow)
}

fn type_pin(flow: &StaffFlow, pin: &str) {
    for d in pin.chars() {
        flow.digit(&d.to_string());
    }
    flow.enter();
}

/// Logged in with the key, on the staff home.
fn logged_in() -> (Rc<FakeKiosk>, Rc<Outlet>, Rc<StaffFlow>) {
    let (kiosk, outlet, flow) = flow();
    flow.login_with_key();
    kiosk.answer_all();
    assert!(flow.has_session());
    assert!(
        outlet
            .take()
            .contains(&Event::Replace(Page::Staff(StaffStep::Home)))
    );
    (kiosk, outlet, flow)
}

fn navigated(outlet: &Outlet) -> Vec<Event> {
    outlet
        .take()
        .into_iter()
        .filter(|e| !matches!(e, Event::Changed(_)))
        .collect()
}

#[test]
fn a_wrong_pin_says_the_tries_left_and_the_right_one_opens_staff_mode() {
    let (kiosk, outlet, flow) = flow();
    flow.start_pin();
    kiosk.answer_all();
    type_pin(&flow, "1111");
    assert!(flow.view().checking);
    kiosk.answer_all();
    let v = flow.view();
    assert!(!v.checking && v.pin_length == 0);
    assert!(v.pin_message.contains("4 more tries"), "{v:?}");
    assert!(!flow.has_session());
    type_pin(&flow, PIN);
    kiosk.answer_all();
    assert!(flow.has_session());
    assert!(navigated(&outlet).contains(&Event::Replace(Page::Staff(StaffStep::Home))));
}

#[test]
fn enter_while_a_pin_is_checked_checks_nothing_more() {
    let (kiosk, _, flow) = flow();
    type_pin(&flow, "1111");
    type_pin(&flow, "2222");
    assert_eq!(kiosk.pending(), 1, "one check at a time");
    kiosk.answer_all();
    assert!(flow.view().pin_message.contains("4 more tries"));
}

#[test]
fn five_wrong_pins_lock_and_a_fresh_pad_says_so() {
    let (kiosk, _, flow) = flow();
    for _ in 0..5 {
        type_pin(&flow, "1111");
        kiosk.answer_all();
    }
    assert!(flow.view().pin_message.contains("Try again in 1 min 0 s"));
    assert!(flow.view().pin_closed);
    // A fresh pad (another flow) learns the lock from the store.
    let prefs = Prefs::new(kiosk.config());
    prefs.set_lang(Lang::En);
    let fresh = StaffFlow::new(kiosk.clone(), Outlet::new(), prefs);
    fresh.start_pin();
    kiosk.answer_all();
    assert!(fresh.view().pin_message.contains("Too many wrong PINs"));
    // Digits are refused while locked, and Enter checks nothing.
    flow.digit("1");
    flow.digit("2");
    assert_eq!(flow.view().pin_length, 0);
    flow.enter();
    assert_eq!(kiosk.pending(), 0);
    // The countdown ticks on screen, and the pad opens when it ends.
    kiosk.advance(Duration::from_secs(15));
    flow.tick(Instant::now(), Page::Staff(StaffStep::Pin));
    assert!(flow.view().pin_message.contains("Try again in 0 min 45 s"));
    kiosk.advance(Duration::from_secs(45));
    flow.tick(Instant::now(), Page::Staff(StaffStep::Pin));
    let v = flow.view();
    assert!(!v.pin_closed && v.pin_message.is_empty(), "{v:?}");
    flow.digit("1");
    flow.digit("2");
    flow.erase();
    assert_eq!(flow.view().pin_length, 1);
    flow.clear_pin();
    assert_eq!(flow.view().pin_length, 0);
}

#[test]
fn with_no_pin_set_the_pad_says_at_once_that_staff_use_the_key() {
    let kiosk = FakeKiosk::with(|c| c.staff.pin_hash.clear());
    let prefs = Prefs::new(kiosk.config());
    let flow = StaffFlow::new(kiosk.clone(), Outlet::new(), prefs);
    flow.start_pin();
    let v = flow.view();
    assert_eq!(
        v.pin_message,
        "Не е зададен ПИН за служители. Използвайте ключа за служители."
    );
    assert!(v.pin_closed);
    flow.digit("1");
    flow.enter();
    assert_eq!((flow.view().pin_length, kiosk.pending()), (0, 0));
}

#[test]
fn the_home_shows_the_status_and_its_tools_say_what_they_did() {
    let (kiosk, outlet, flow) = logged_in();
    flow.entered(StaffStep::Home);
    kiosk.answer_all();
    let v = flow.view();
    assert!(
        v.status.iter().any(|r| r.label == "Software version"),
        "{v:?}"
    );
    assert!(
        v.status
            .iter()
            .any(|r| r.label == "Last sent" && r.value == "no central system is set up")
    );
    flow.print_test_page();
    flow.print_test_page();
    assert!(flow.view().home_working);
    kiosk.answer_all();
    let v = flow.view();
    assert!(!v.home_working);
    assert_eq!(
        v.home_result.map(|o| (o.kind, o.text)),
        Some(("ok", "The test page was printed.".to_owned()))
    );
    flow.print_todays_summary();
    kiosk.answer_all();
    assert_eq!(
        flow.view().home_result.unwrap().text,
        "Today's summary slip was printed."
    );
    flow.export_month();
    kiosk.answer_all();
    let r = flow.view().home_result.unwrap();
    assert_eq!(r.kind, "problem");
    assert!(r.text.contains("No USB stick found"), "{r:?}");
    flow.open(StaffStep::Register);
    assert!(navigated(&outlet).contains(&Event::Go(Page::Staff(StaffStep::Register))));
}

#[test]
fn the_summary_counts_the_records_of_the_chosen_period() {
    let (kiosk, _, flow) = logged_in();
    let clock = crate::clock::ManualClock::at_sofia(2026, 11, 23, 9, 0).unwrap();
    for score in [5, 4, 2] {
        kiosk
            .store()
            .submit(
                fixtures::submission(fixtures::rating(score)),
                &fixtures::context(&clock),
            )
            .unwrap();
    }
    flow.entered(StaffStep::Summary);
    assert!(flow.view().summary_loading);
    kiosk.answer_all();
    let v = flow.view();
    assert_eq!((v.period, v.summary.ratings), (2, 3));
    assert_eq!(v.summary.mean, "3.67");
    assert_eq!(v.summary.distribution.len(), 5);
    flow.choose_period(0);
    kiosk.answer_all();
    assert_eq!(flow.view().summary.range, "23.11.2026");
    flow.print_period();
    kiosk.answer_all();
    assert_eq!(
        flow.view().summary_result.unwrap().text,
        "The summary slip was printed."
    );
    flow.export_period();
    kiosk.answer_all();
    assert_eq!(flow.view().summary_result.unwrap().kind, "problem");
}

#[test]
fn the_register_lists_complaints_and_marks_them_answered() {
    let (kiosk, _, flow) = logged_in();
    let clock = crate::clock::ManualClock::at_sofia(2026, 11, 23, 9, 0).unwrap();
    let filed = kiosk
        .store()
        .submit(
            fixtures::submission(fixtures::complaint()),
            &fixtures::context(&clock),
        )
        .unwrap();
    flow.entered(StaffStep::Register);
    kiosk.answer_all();
    let rows = flow.view().register;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].answer, "Not answered");
    flow.mark_answered(&filed.id.to_string(), true);
    kiosk.answer_all();
    assert_eq!(flow.view().register[0].answer, "Answered on 23.11.2026");
    flow.choose_filter(3);
    kiosk.answer_all();
    assert_eq!((flow.view().filter, flow.view().register.len()), (3, 0));
    flow.mark_answered("not an id", false);
    assert_eq!(kiosk.pending(), 0);
}

#[test]
fn the_register_shows_which_complaints_the_desk_registered_and_under_which_number() {
    use crate::domain::follow_up::{CentralAnswer, CentralStatus};
    let (kiosk, _, flow) = logged_in();
    let clock = crate::clock::ManualClock::at_sofia(2026, 11, 23, 9, 0).unwrap();
    let ctx = fixtures::context(&clock);
    let store = kiosk.store();
    let a = store
        .submit(fixtures::submission(fixtures::complaint()), &ctx)
        .unwrap();
    store
        .submit(fixtures::submission(fixtures::complaint()), &ctx)
        .unwrap();
    store
        .apply_answers(
            &[CentralAnswer {
                number: a.number.clone().unwrap().to_string(),
                status: CentralStatus::Registered,
                answered_on: None,
                new_due_date: None,
                registry_number: Some("94-00-12".into()),
                registered_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 24),
            }],
            crate::clock::Clock::now(&clock),
        )
        .unwrap();
    flow.entered(StaffStep::Register);
    kiosk.answer_all();
    let rows = flow.view().register;
    let number = a.number.unwrap().to_string();
    // Both were filed in the same second: their order is the ids'.
    for row in &rows {
        let expected = if row.number == number {
            "Registered at the desk under No. 94-00-12 on 24.11.2026"
        } else {
            "NOT registered at the desk yet"
        };
        assert_eq!(row.registered, expected);
    }
    assert_eq!(rows.len(), 2);
    let unregistered = store
        .register(&crate::store::RegisterFilter {
            only: Some(crate::store::RegisterView::Unregistered),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(unregistered.len(), 1, "the registered one is not listed");
}

#[test]
fn a_reprint_takes_the_typed_number_of_the_chosen_year() {
    let (kiosk, _, flow) = logged_in();
    let clock = crate::clock::ManualClock::at_sofia(2026, 11, 23, 9, 0).unwrap();
    kiosk
        .store()
        .submit(
            fixtures::submission(fixtures::complaint()),
            &fixtures::context(&clock),
        )
        .unwrap();
    flow.entered(StaffStep::Reprint);
    assert_eq!(flow.view().reprint_number, "KV1-2026-______");
    flow.reprint();
    assert_eq!(flow.view().reprint_result.unwrap().kind, "problem");
    flow.reprint_digit("0");
    flow.reprint_digit("7");
    assert_eq!(flow.view().reprint_number, "KV1-2026-000007");
    flow.reprint();
    kiosk.answer_all();
    assert!(
        flow.view()
            .reprint_result
            .unwrap()
            .text
            .contains("No receipt has this number")
    );
    flow.reprint_erase();
    flow.reprint_digit("1");
    flow.change_year(-1);
    assert_eq!(flow.view().reprint_number, "KV1-2025-000001");
    assert!(flow.view().reprint_can_go_later);
    flow.change_year(5);
    assert_eq!(flow.view().reprint_year, 2026, "never past this year");
    flow.reprint();
    flow.reprint();
    kiosk.answer_all();
    assert_eq!(
        flow.view().reprint_result.unwrap().text,
        "A duplicate of receipt KV1-2026-000001 was sent to the printer."
    );
    let job = kiosk.store().print_job(1).unwrap().unwrap();
    assert!(job.duplicate);
    assert!(
        kiosk.store().print_job(2).unwrap().is_none(),
        "one reprint for two taps"
    );
}

#[test]
fn an_idle_session_ends_and_the_visit_starts_again() {
    let (kiosk, outlet, flow) = logged_in();
    let now = Instant::now();
    assert!(flow.tick(now, Page::Staff(StaffStep::Home)));
    assert!(flow.tick(now + Duration::from_secs(60), Page::Staff(StaffStep::Home)));
    assert!(!flow.tick(now + Duration::from_secs(121), Page::Staff(StaffStep::Home)));
    assert!(!flow.has_session());
    let events = navigated(&outlet);
    assert_eq!(events[0], Event::StartAgain);
    assert!(matches!(&events[1], Event::Notice(n) if n.starts_with("Режимът за служители")));
    assert!(kiosk.audited().contains(&"logout_idle".to_owned()));
}

#[test]
fn leaving_or_showing_a_visitor_page_logs_out() {
    let (kiosk, outlet, flow) = logged_in();
    flow.leave();
    assert_eq!(navigated(&outlet), [Event::Home]);
    assert_eq!(kiosk.audited().last().map(String::as_str), Some("logout"));
    flow.login_with_key();
    kiosk.answer_all();
    assert!(!flow.tick(Instant::now(), Page::Home));
    assert!(!flow.has_session());
    assert!(!flow.tick(Instant::now(), Page::Staff(StaffStep::Home)));
    assert_eq!(navigated(&outlet).last(), Some(&Event::Home));
}

#[test]
fn an_action_after_the_idle_limit_is_refused_and_leaves_staff_mode() {
    let (kiosk, outlet, flow) = logged_in();
    kiosk.advance(Duration::from_secs(200));
    flow.open(StaffStep::Summary);
    assert!(!flow.has_session());
    assert!(navigated(&outlet).contains(&Event::StartAgain));
}
