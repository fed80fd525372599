//! "Read aloud" and speech mode, headless: the spoken text of each screen
//! says what the screen shows, in the visitor's language, with numbers in
//! words; in speech mode a first touch speaks and a second one acts.
//!
//! Each test builds its own off-screen kiosk (the drawing platform is set
//! once per thread, and every test runs on a thread of its own).

use std::path::Path;
use std::sync::{Arc, Mutex};

use kiosk::config::Config;
use kiosk::domain::{Lang, ReceiptNumber, spoken};
use kiosk::speech::{SpeechProblem, SpeechStatus};
use kiosk::ui::screenshot::{Offscreen, SCREENS};
use kiosk::ui::{AppState, ComplaintAdapter, HomeAdapter, Screen, Voice};
use slint::ComponentHandle;
use slint::platform::{PointerEventButton, WindowEvent};

/// A voice that remembers what it was asked to say.
#[derive(Default)]
struct FakeVoice {
    said: Mutex<Vec<String>>,
    /// Why it cannot speak, if it cannot.
    problem: Option<SpeechProblem>,
    noticed: Mutex<bool>,
}

impl FakeVoice {
    fn said(&self) -> Vec<String> {
        self.said.lock().unwrap().clone()
    }
}

impl Voice for FakeVoice {
    fn speak(&self, text: &str, _lang: Lang) {
        self.said.lock().unwrap().push(text.to_string());
    }
    fn stop(&self) {}
    fn status(&self) -> SpeechStatus {
        match &self.problem {
            Some(p) => SpeechStatus::Unavailable(p.clone()),
            None => SpeechStatus::Speaking,
        }
    }
    fn take_notice(&self) -> Option<SpeechProblem> {
        let mut noticed = self.noticed.lock().unwrap();
        if *noticed {
            return None;
        }
        *noticed = true;
        self.problem.clone()
    }
}

fn config() -> Config {
    kiosk::config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml"))
        .expect("the repository's kiosk.toml loads")
}

fn kiosk_with(voice: Option<Arc<dyn Voice>>) -> Offscreen {
    let off = Offscreen::with_voice(&config(), voice).expect("off-screen kiosk");
    off.draw(1280, 800);
    off
}

fn text_of(off: &Offscreen, screen: &str, lang: Lang) -> String {
    off.prepare(screen, lang, false).expect("screen");
    off.draw(1280, 800);
    off.app().screen_text()
}

/// The middle of the element labelled `label`, in window coordinates.
fn centre(off: &Offscreen, label: &str) -> slint::LogicalPosition {
    use i_slint_backend_testing::ElementHandle;
    let w = off.app().window();
    let e = ElementHandle::find_by_accessible_label(w, label)
        .next()
        .unwrap_or_else(|| {
            let all: Vec<String> = i_slint_backend_testing::ElementQuery::from_root(w)
                .match_descendants()
                .find_all()
                .iter()
                .filter_map(|e| e.accessible_label().map(|l| l.to_string()))
                .collect();
            panic!("no element labelled {label:?}: {all:?}")
        });
    let (p, s) = (e.absolute_position(), e.size());
    slint::LogicalPosition::new(p.x + s.width / 2.0, p.y + s.height / 2.0)
}

/// A touch at the middle of the element labelled `label`.
fn tap(off: &Offscreen, label: &str) {
    let position = centre(off, label);
    let button = PointerEventButton::Left;
    let win = off.app().window().window();
    win.dispatch_event(WindowEvent::PointerMoved { position });
    win.dispatch_event(WindowEvent::PointerPressed { position, button });
    win.dispatch_event(WindowEvent::PointerReleased { position, button });
    win.dispatch_event(WindowEvent::PointerExited);
}

#[test]
fn every_screen_has_something_to_say_in_both_languages() {
    let off = kiosk_with(None);
    for (name, _) in SCREENS {
        let bg = text_of(&off, name, Lang::Bg);
        let en = text_of(&off, name, Lang::En);
        assert!(bg.len() > 20, "{name} in Bulgarian says too little: {bg:?}");
        assert!(en.len() > 20, "{name} in English says too little: {en:?}");
        assert_ne!(bg, en, "{name} says the same in both languages");
        assert!(en.contains("Buttons:"), "{name}: no buttons in {en:?}");
        assert!(bg.contains("Бутони:"), "{name}: no buttons in {bg:?}");
    }
}

#[test]
fn home_says_the_status_line_and_what_the_tiles_do() {
    let off = kiosk_with(None);
    for lang in [Lang::Bg, Lang::En] {
        let text = text_of(&off, "home", lang);
        let status = off.app().window().global::<HomeAdapter>().get_status_line();
        assert!(!status.is_empty());
        assert!(text.contains(status.as_str()), "{text:?} lacks {status:?}");
        assert!(text.contains(off.app().config().kiosk.municipality.get(lang)));
    }
    let en = text_of(&off, "home", Lang::En);
    assert!(en.contains("Services: Documents, fees, deadlines"), "{en}");
    // The header's switches are the same everywhere and are not read.
    assert!(!en.contains("English"), "{en}");
}

#[test]
fn a_service_is_read_with_its_fees_in_words() {
    let off = kiosk_with(None);
    let cfg = off.app().config();
    let service = cfg.services.first().expect("a service in kiosk.toml");
    for lang in [Lang::Bg, Lang::En] {
        let text = text_of(&off, "service-detail", lang);
        assert!(text.contains(service.name.get(lang)), "{text}");
        for (_, tier) in service.tiers() {
            let words = spoken::fee(tier.fee_eur, lang);
            assert!(text.contains(&words), "{text:?} lacks {words:?}");
            let deadline = spoken::deadline(tier.deadline, lang);
            assert!(text.contains(&deadline), "{text:?} lacks {deadline:?}");
        }
        // What is below the fold is read too.
        let desk = cfg
            .desks
            .iter()
            .find(|d| d.id == service.desk)
            .expect("the service's desk");
        assert!(text.contains(desk.name.get(lang)), "{text}");
    }
}

#[test]
fn the_receipt_number_is_spelt_and_the_due_date_said_in_words() {
    let off = kiosk_with(None);
    for lang in [Lang::Bg, Lang::En] {
        let text = text_of(&off, "complaint-receipt", lang);
        let shown = off.app().window().global::<ComplaintAdapter>().get_number();
        let number: ReceiptNumber = shown.parse().expect("a receipt number on screen");
        let words = spoken::receipt_number(&number, lang);
        assert!(text.contains(&words), "{text:?} lacks {words:?}");
        assert!(
            !text.contains(shown.as_str()),
            "the digits are said as words"
        );
        let due_words = match lang {
            Lang::Bg => "Писмен отговор до",
            Lang::En => "Written answer by",
        };
        let after = text.split(due_words).nth(1).expect("the due date is said");
        assert!(
            !after
                .split('.')
                .next()
                .unwrap_or("")
                .contains(char::is_numeric),
            "the due date is said in words: {after:?}"
        );
    }
}

#[test]
fn the_review_reads_every_notice() {
    let off = kiosk_with(None);
    for lang in [Lang::Bg, Lang::En] {
        let text = text_of(&off, "complaint-review", lang);
        let notices = off
            .app()
            .window()
            .global::<ComplaintAdapter>()
            .get_notices();
        use slint::Model;
        assert!(notices.row_count() >= 3);
        for n in notices.iter() {
            let n = n.trim_end_matches('.');
            assert!(text.contains(n), "{text:?} lacks {n:?}");
        }
    }
}

#[test]
fn read_aloud_speaks_the_screen_and_a_second_press_stops() {
    let voice = Arc::new(FakeVoice::default());
    let off = kiosk_with(Some(voice.clone()));
    off.prepare("hours", Lang::En, false).unwrap();
    let st = off.app().window().global::<AppState>();
    st.invoke_read_aloud();
    assert_eq!(voice.said(), vec![off.app().screen_text()]);
    assert!(st.get_reading());
    st.invoke_read_aloud();
    assert!(!st.get_reading());
    assert_eq!(voice.said().len(), 1);
}

#[test]
fn speech_mode_speaks_on_the_first_touch_and_acts_on_the_second() {
    let voice = Arc::new(FakeVoice::default());
    let off = kiosk_with(Some(voice.clone()));
    off.prepare("home", Lang::Bg, false).unwrap();
    off.draw(1280, 800);
    let st = off.app().window().global::<AppState>();
    st.invoke_toggle_speech_mode();
    assert!(st.get_speech_mode());
    let before = voice.said().len();

    tap(&off, "Услуги");
    assert_eq!(st.get_screen(), Screen::Home, "the first touch only speaks");
    assert_eq!(
        voice.said()[before..],
        ["Услуги. Документи, такси, срокове".to_string()]
    );
    assert_eq!(st.get_armed(), "Услуги");

    tap(&off, "Услуги");
    assert_eq!(st.get_screen(), Screen::Services, "the second touch acts");
    assert_eq!(st.get_armed(), "");
    let title = off.app().screen_text();
    let announced = voice.said().last().cloned().unwrap_or_default();
    assert!(
        !announced.is_empty() && title.starts_with(&announced),
        "the new screen is announced: {announced:?}"
    );

    // A touch on another element arms that one instead.
    off.draw(1280, 800);
    tap(&off, "Назад");
    assert_eq!(st.get_screen(), Screen::Services);
    assert_eq!(st.get_armed(), "Назад");

    // Starting again ends speech mode: touches act at once.
    st.invoke_start_again();
    assert!(!st.get_speech_mode());
    off.draw(1280, 800);
    tap(&off, "Услуги");
    assert_eq!(st.get_screen(), Screen::Services);
}

#[test]
fn without_speech_touches_act_at_once() {
    let off = kiosk_with(None);
    off.prepare("home", Lang::En, false).unwrap();
    let st = off.app().window().global::<AppState>();
    tap(&off, "Services");
    assert_eq!(st.get_screen(), Screen::Services);
}

#[test]
fn a_missing_engine_is_said_once_on_screen_and_the_kiosk_goes_on() {
    let voice = Arc::new(FakeVoice {
        problem: Some(SpeechProblem::EngineMissing {
            engine: "espeak-ng".into(),
        }),
        ..FakeVoice::default()
    });
    let off = kiosk_with(Some(voice.clone()));
    off.prepare("home", Lang::En, false).unwrap();
    let st = off.app().window().global::<AppState>();
    st.invoke_read_aloud();
    assert!(st.get_notice().contains("Reading aloud does not work"));
    assert!(!st.get_reading());
    st.invoke_dismiss_notice();
    st.invoke_read_aloud();
    st.invoke_read_aloud();
    assert_eq!(st.get_notice(), "", "the problem is shown once");
    assert!(
        off.app()
            .speech_status_summary()
            .contains("install the Debian package espeak-ng")
    );
    tap(&off, "Services");
    assert_eq!(st.get_screen(), Screen::Services);
}

#[test]
fn no_speaker_says_so_on_screen() {
    let off = kiosk_with(None);
    off.prepare("home", Lang::Bg, false).unwrap();
    let st = off.app().window().global::<AppState>();
    st.invoke_read_aloud();
    assert!(st.get_notice().contains("изключено"), "{}", st.get_notice());
    assert_eq!(
        off.app().speech_status_summary(),
        "speech: off (no speaker configured)"
    );
}

/// Holds the element labelled `label` down for `ms` milliseconds of real
/// time (the header button's long press is a Slint timer).
fn hold(off: &Offscreen, label: &str, ms: u64) {
    let position = centre(off, label);
    let button = PointerEventButton::Left;
    let win = off.app().window().window();
    win.dispatch_event(WindowEvent::PointerMoved { position });
    win.dispatch_event(WindowEvent::PointerPressed { position, button });
    off.draw(1280, 800);
    // At least the hold's length; more only makes it surer.
    let until = std::time::Instant::now() + std::time::Duration::from_millis(ms);
    while std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(50));
        slint::platform::update_timers_and_animations();
    }
    off.draw(1280, 800);
    win.dispatch_event(WindowEvent::PointerReleased { position, button });
    win.dispatch_event(WindowEvent::PointerExited);
}

#[test]
fn a_tap_reads_a_hold_turns_on_speech_mode_and_one_tap_turns_it_off() {
    let voice = Arc::new(FakeVoice::default());
    let off = kiosk_with(Some(voice.clone()));
    off.prepare("home", Lang::En, false).unwrap();
    let st = off.app().window().global::<AppState>();
    tap(&off, "Read aloud");
    assert_eq!(voice.said(), vec![off.app().screen_text()], "read at once");
    tap(&off, "Read aloud");
    assert!(!st.get_speech_mode(), "two quick taps are not a switch");
    assert!(!st.get_reading(), "the second tap stopped the reading");

    hold(&off, "Read aloud", 1500);
    assert!(st.get_speech_mode(), "held on purpose");
    assert!(voice.said().last().unwrap().starts_with("Speech mode."));
    assert!(st.get_notice().starts_with("Speech mode."), "shown too");

    tap(&off, "Read aloud");
    assert!(!st.get_speech_mode(), "one tap turns it off");
    assert_eq!(voice.said().last().unwrap(), "Speech mode is off.");
}

#[test]
fn speech_mode_does_not_turn_on_when_nothing_would_be_heard() {
    let voice = Arc::new(FakeVoice {
        problem: Some(SpeechProblem::AudioDevice {
            device: "ALSA's default device".into(),
            detail: "/proc/asound/cards lists no sound card".into(),
        }),
        ..FakeVoice::default()
    });
    let off = kiosk_with(Some(voice.clone()));
    off.prepare("home", Lang::En, false).unwrap();
    let st = off.app().window().global::<AppState>();
    st.invoke_toggle_speech_mode();
    assert!(!st.get_speech_mode());
    assert!(st.get_notice().contains("Reading aloud does not work"));
    assert!(voice.said().is_empty(), "nothing said to nobody");
}

#[test]
fn speech_mode_does_not_turn_on_without_a_speaker() {
    let silent = kiosk_with(None);
    silent.prepare("home", Lang::Bg, false).unwrap();
    let st = silent.app().window().global::<AppState>();
    st.invoke_toggle_speech_mode();
    assert!(!st.get_speech_mode());
    assert!(st.get_notice().contains("изключено"), "{}", st.get_notice());
}
