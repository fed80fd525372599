//! The kiosk's window on Slint's testing backend, for headless UI tests:
//! the shipped kiosk.toml, a database in a temporary folder, a clock set by
//! hand, receipts printed into a file, and background jobs run inline so a
//! tap's result is on screen as soon as the tap returns.
//!
//! Elements are found by their `accessible-label`, as a screen reader
//! would find them.

use std::path::Path;
use std::sync::Arc;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use kiosk::clock::{Clock, ManualClock};
use kiosk::config::{Config, PrinterTransport};
use kiosk::printer::SharedStatus;
use kiosk::store::Store;
use kiosk::ui::{App, Background, Deps, WorkerState};

/// A kiosk on screen in a test.
pub struct UiKiosk {
    pub app: App,
    /// The same database the screens write to.
    pub store: Store,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
}

/// Installs the testing backend on this thread (once; later calls do nothing).
pub fn init_backend() {
    thread_local! {
        static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    DONE.with(|done| {
        if !done.get() {
            i_slint_backend_testing::init_no_event_loop();
            done.set(true);
        }
    });
}

/// The shipped kiosk.toml, without environment overrides.
pub fn shipped_config() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    kiosk::config::load_with_env(&path, std::iter::empty()).expect("the shipped kiosk.toml loads")
}

/// The kiosk with `config`, at 10:00 on Monday 4 May 2026, Sofia time.
pub fn kiosk_with(mut config: Config) -> UiKiosk {
    init_backend();
    let dir = tempfile::tempdir().expect("cannot create a temporary folder");
    config.printer.transport = PrinterTransport::File(dir.path().join("receipts.bin"));
    config.central.url.clear();
    let store = Store::open(dir.path().join("kiosk.db")).expect("cannot open the database");
    let clock = Arc::new(ManualClock::at_sofia(2026, 5, 4, 10, 0).expect("a valid time"));
    let shared: Arc<dyn Clock> = clock.clone();
    let state = WorkerState::new(store.clone(), &config, shared.clone());
    let app = App::new(Deps {
        config: Arc::new(config),
        clock: shared,
        background: Background::inline(state),
        printer_status: SharedStatus::default(),
    })
    .expect("cannot build the window");
    slint::ComponentHandle::show(app.window()).expect("cannot show the window");
    UiKiosk {
        app,
        store,
        clock,
        dir,
    }
}

/// The kiosk with the shipped kiosk.toml.
pub fn kiosk() -> UiKiosk {
    kiosk_with(shipped_config())
}

impl UiKiosk {
    /// The elements labelled exactly `label`.
    pub fn find(&self, label: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(self.app.window(), label).collect()
    }

    /// Whether something labelled exactly `label` is on screen.
    pub fn shows(&self, label: &str) -> bool {
        !self.find(label).is_empty()
    }

    /// Taps the one button labelled `label`.
    pub fn tap(&self, label: &str) {
        let found: Vec<ElementHandle> = self
            .find(label)
            .into_iter()
            .filter(|e| e.accessible_role() == Some(AccessibleRole::Button))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one button labelled {label:?}, found {}; labels on screen: {:?}",
            found.len(),
            self.labels()
        );
        found[0].invoke_accessible_default_action();
    }

    /// Every accessible label on screen, in tree order.
    pub fn labels(&self) -> Vec<String> {
        self.app
            .window()
            .root_element()
            .query_descendants()
            .find_all()
            .into_iter()
            .filter_map(|e| e.accessible_label())
            .map(|l| l.to_string())
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// Whether some label on screen contains `text`.
    pub fn says(&self, text: &str) -> bool {
        self.labels().iter().any(|l| l.contains(text))
    }
}
