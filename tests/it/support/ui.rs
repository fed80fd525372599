//! A kiosk with its real touchscreen interface on Slint's testing backend:
//! no display, a file printer, a manual clock and the real kiosk service
//! with its worker threads. The service's answers come back through a pump
//! that stands for Slint's event loop; every tap waits (up to a generous
//! bound) until the workers have answered and the answers are on screen,
//! as a visitor would wait. Elements are found by their accessible labels,
//! as a screen reader would.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use i_slint_backend_testing::{ElementHandle, ElementQuery};
use kiosk::clock::{Clock, ManualClock};
use kiosk::config::{Config, PrinterTransport};
use kiosk::device::{Device, DeviceSettings};
use kiosk::flow::board::Hardware;
use kiosk::printer::SharedStatus;
use kiosk::service::{KioskService, Parts, Pump, SyncLink};
use kiosk::store::Store;
use kiosk::ui::{App, Deps};
use slint::ComponentHandle;
use slint::platform::PointerEventButton;

/// How long a tap may wait for the kiosk's workers.
pub const SETTLE: Duration = Duration::from_secs(60);

/// The kiosk under test and what it writes to.
pub struct UiKiosk {
    pub app: App,
    pub store: Store,
    pub clock: Arc<ManualClock>,
    pub receipts: PathBuf,
    pub config: Arc<Config>,
    /// The simulated board's buttons and outputs, when there is a board.
    pub board: Option<board::SimulatedControls>,
    /// Brings the workers' answers to the screen.
    pub pump: Arc<Pump>,
    _dir: tempfile::TempDir,
}

thread_local! {
    static BACKEND: () = i_slint_backend_testing::init_no_event_loop();
}

/// The repository's kiosk.toml, printing into and storing in a temp dir.
pub fn config(dir: &std::path::Path) -> Config {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/kiosk.toml");
    let mut config =
        kiosk::config::load(std::path::Path::new(path)).expect("the repository's kiosk.toml loads");
    config.storage.database = dir.join("kiosk.db");
    config.printer.transport = PrinterTransport::File(dir.join("receipts.bin"));
    config.central.url.clear();
    config
}

/// A kiosk at 10:00 on Monday 23 November 2026 (office open), 1280x800.
pub fn kiosk() -> UiKiosk {
    kiosk_with(|_| {})
}

/// Like [`kiosk`], with the configuration changed first.
pub fn kiosk_with(change: impl FnOnce(&mut Config)) -> UiKiosk {
    build(change, false)
}

/// Like [`kiosk`], with the simulated board wired in as `kiosk run` does.
pub fn kiosk_with_board() -> UiKiosk {
    build(|_| {}, true)
}

/// Like [`kiosk_with_board`], with the configuration changed first.
pub fn kiosk_with_board_and(change: impl FnOnce(&mut Config)) -> UiKiosk {
    build(change, true)
}

fn build(change: impl FnOnce(&mut Config), with_board: bool) -> UiKiosk {
    build_linked(change, with_board, None)
}

/// Like [`kiosk_with`], linked as `kiosk run` links it to the sync worker
/// that `link` starts over the kiosk's store.
pub fn kiosk_linked(
    change: impl FnOnce(&mut Config),
    link: impl FnOnce(&Store) -> SyncLink,
) -> UiKiosk {
    build_linked(change, false, Some(Box::new(link)))
}

/// A kiosk linked, as `kiosk run` links it, to a real sync worker with
/// the production intervals, sending to `url` with the token file `token`
/// (settings from the repository's kiosk.toml in `dir`).
pub fn kiosk_with_worker(
    url: String,
    dir: &std::path::Path,
    token: PathBuf,
    poll_every: std::time::Duration,
) -> (UiKiosk, kiosk::sync::SyncHandle) {
    let mut handle = None;
    let k = kiosk_linked(
        |_| {},
        |store| {
            let mut settings = kiosk::sync::SyncSettings::from_config(&config(dir));
            settings.url = url;
            settings.token_file = token;
            settings.poll_every = poll_every;
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
    (k, handle.unwrap())
}

type Link<'a> = Box<dyn FnOnce(&Store) -> SyncLink + 'a>;

fn build_linked(change: impl FnOnce(&mut Config), with_board: bool, link: Option<Link>) -> UiKiosk {
    BACKEND.with(|_| {});
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    change(&mut config);
    let config = Arc::new(config);
    let store = Store::create(&config.storage.database).unwrap();
    let sync = link.map(|l| l(&store));
    let clock = Arc::new(ManualClock::at_sofia(2026, 11, 23, 10, 0).unwrap());
    let shared: Arc<dyn Clock> = clock.clone();
    let pump = Pump::new();
    let service = KioskService::start(Parts {
        config: config.clone(),
        store: store.clone(),
        clock: shared.clone(),
        printer_status: SharedStatus::default(),
        sync,
        back: pump.clone(),
    })
    .unwrap();
    let mut board_controls = None;
    let hardware = if with_board {
        let (tx, rx) = std::sync::mpsc::channel();
        let opened = board::open(&kiosk::device::board_settings(&config.board), tx).unwrap();
        Hardware {
            device: Some(Device::new(
                opened.board,
                DeviceSettings::from_config(&config),
                shared.now(),
            )),
            events: Some(rx),
            controls: {
                board_controls = opened.controls.clone();
                opened.controls
            },
        }
    } else {
        Hardware::default()
    };
    let app = App::new(Deps {
        kiosk: Rc::new(service),
        hardware,
        speech: None,
    })
    .unwrap();
    app.set_geometry(1280, 800);
    app.window().show().unwrap();
    let receipts = dir.path().join("receipts.bin");
    let k = UiKiosk {
        app,
        store,
        clock,
        receipts,
        config,
        board: board_controls,
        pump,
        _dir: dir,
    };
    k.settle();
    k
}

impl UiKiosk {
    /// Waits until the kiosk's workers have answered everything asked of
    /// them and the answers are on screen.
    pub fn settle(&self) {
        assert!(
            self.pump.settle(SETTLE),
            "the kiosk's workers did not answer within {SETTLE:?}"
        );
    }

    /// The interface's tick at `now`, and what it set off.
    pub fn tick(&self, now: Instant) {
        self.app.tick(now);
        self.settle();
    }

    /// The staff key, and what it set off.
    pub fn staff_key(&self) {
        self.app.staff_key();
        self.settle();
    }

    /// Every element with this accessible label.
    pub fn all(&self, label: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(self.app.window(), label).collect()
    }

    /// Whether something labelled so is on screen.
    pub fn shows(&self, label: &str) -> bool {
        !self.all(label).is_empty()
    }

    /// Every element on screen (in visible branches of the tree).
    pub fn elements(&self) -> Vec<ElementHandle> {
        ElementQuery::from_root(self.app.window())
            .match_descendants()
            .find_all()
    }

    /// Labels of everything on screen, for failure messages.
    pub fn labels(&self) -> Vec<String> {
        self.elements()
            .into_iter()
            .filter_map(|e| e.accessible_label())
            .filter(|l| !l.is_empty())
            .map(|l| l.to_string())
            .collect()
    }

    /// Labels of everything on screen and further down its scrolling area:
    /// scrolls down with the big button until the end, then back up.
    pub fn labels_scrolled(&self) -> Vec<String> {
        let mut all = self.labels();
        let mut downs = 0;
        while self.shows("Превърти надолу") && downs < 15 {
            self.press("Превърти надолу");
            downs += 1;
            all.extend(self.labels());
        }
        for _ in 0..downs {
            self.press("Превърти нагоре");
        }
        all
    }

    /// Whether any label on the screen or below it contains `text`.
    pub fn says(&self, text: &str) -> bool {
        self.labels_scrolled().iter().any(|l| l.contains(text))
    }

    /// Scrolls down until something labelled so is visible, then activates it.
    pub fn press_scrolled(&self, label: &str) {
        for _ in 0..15 {
            if self.shows(label) {
                return self.press(label);
            }
            if !self.shows("Превърти надолу") {
                break;
            }
            self.press("Превърти надолу");
        }
        self.press(label);
    }

    /// The one element labelled so.
    pub fn find(&self, label: &str) -> ElementHandle {
        let mut found = self.all(label);
        assert!(
            !found.is_empty(),
            "nothing labelled {label:?} on screen; there is: {:?}",
            self.labels()
        );
        found.remove(0)
    }

    /// Touches the element labelled so, with a real pointer click at its
    /// centre, and waits for what it set off.
    pub fn tap(&self, label: &str) {
        self.find(label).mock_single_click(PointerEventButton::Left);
        self.settle();
    }

    /// Activates the element labelled so (for those scrolled out of view),
    /// and waits for what it set off.
    pub fn press(&self, label: &str) {
        self.find(label).invoke_accessible_default_action();
        self.settle();
    }

    /// Types `text` on the on-screen keyboard, key by key (Bulgarian labels).
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            match c {
                ' ' => self.tap("Интервал"),
                // Over to the digits and back, unless the keyboard is on
                // them already (it opens so for the phone).
                c if c.is_ascii_digit() || "@?!:;()+".contains(c) => {
                    let switch = self.shows("Цифри");
                    if switch {
                        self.tap("Цифри");
                    }
                    self.tap(&c.to_string());
                    if switch {
                        self.tap("Букви");
                    }
                }
                c if c.is_uppercase() => {
                    self.tap("Главна буква");
                    self.tap(&c.to_string());
                }
                c => self.tap(&c.to_string()),
            }
        }
    }
}

fn screen(k: &UiKiosk) -> kiosk::ui::Screen {
    k.app.window().global::<kiosk::ui::AppState>().get_screen()
}

/// Home -> complaint -> first category -> text typed on the keyboard.
pub fn start_complaint(k: &UiKiosk, text: &str) {
    use kiosk::ui::Screen;
    k.tap("Жалба, сигнал, предложение, похвала");
    k.press("Жалба");
    let category = &k.config.complaints.categories[0];
    k.tap(&category.name.bg);
    assert_eq!(screen(k), Screen::ComplaintText);
    k.type_text(text);
    k.tap("Напред");
    assert_eq!(screen(k), Screen::ComplaintContact);
}

/// On the contact screen: a name and the phone 0888123456, then on to the
/// review screen.
pub fn to_review(k: &UiKiosk, name: &str) {
    k.tap("Име");
    k.type_text(name);
    k.tap("Напред");
    k.tap("Телефон");
    k.type_text("0888123456");
    k.tap("Напред");
    k.tap("Напред");
    assert_eq!(screen(k), kiosk::ui::Screen::ComplaintReview);
}
