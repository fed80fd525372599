//! The kiosk drawn by its own software renderer with the embedded DejaVu
//! fonts, for checks that need the real text metrics (the testing backend
//! measures text with a mock font).
//!
//! It is `kiosk screenshot` with one difference: the clock is fixed
//! (Monday 23 November 2026, 10:00 in Sofia, office open), so what the
//! screens say, and so how they lay out, does not depend on when the test
//! runs.
//!
//! Slint's platform is per thread: [`DrawnKiosk::new`] installs the
//! software platform on the calling thread, which must not have one yet.
//! Run it on a thread of its own ([`on_own_thread`]); other threads of the
//! same test binary keep the testing backend.

use std::rc::Rc;
use std::sync::Arc;

use kiosk::clock::{Clock, ManualClock};
use kiosk::config::Config;
use kiosk::domain::Lang;
use kiosk::printer::SharedStatus;
use kiosk::service::{KioskService, Parts, Pump};
use kiosk::store::Store;
use kiosk::ui::screenshot::Frame;
use kiosk::ui::{App, Deps};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PlatformError, Rgb8Pixel};

struct Headless {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for Headless {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }
}

/// The kiosk on the software renderer, at a fixed time.
pub struct DrawnKiosk {
    pub app: App,
    window: Rc<MinimalSoftwareWindow>,
    /// Brings the kiosk's workers' answers to the screen.
    pump: Arc<Pump>,
    _dir: tempfile::TempDir,
}

/// Installs the software renderer as this thread's Slint platform, drawing
/// the one window it hands out (the next component created) off screen.
pub fn software_window() -> Rc<MinimalSoftwareWindow> {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    slint::platform::set_platform(Box::new(Headless {
        window: window.clone(),
    }))
    .expect("this thread has no Slint platform yet");
    window
}

/// Draws `window`, showing `component`, as it is now.
pub fn draw(window: &MinimalSoftwareWindow, component: &slint::Window) -> Frame {
    let size = component.size();
    let (width, height) = (size.width, size.height);
    let mut pixels = vec![Rgb8Pixel::default(); width as usize * height as usize];
    window.request_redraw();
    window.draw_if_needed(|renderer| {
        renderer.render(&mut pixels, width as usize);
    });
    Frame {
        width,
        height,
        pixels,
    }
}

impl DrawnKiosk {
    /// The repository's kiosk.toml on an in-memory database, printing into
    /// a temporary file, on this thread's new software platform.
    pub fn new() -> DrawnKiosk {
        let window = software_window();
        let dir = tempfile::tempdir().unwrap();
        let config: Config = super::ui::config(dir.path());
        let config = Arc::new(config);
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::at_sofia(2026, 11, 23, 10, 0).unwrap());
        let pump = Pump::new();
        let kiosk = KioskService::start(Parts {
            config,
            store: Store::open_in_memory().unwrap(),
            clock,
            printer_status: SharedStatus::default(),
            sync: None,
            back: pump.clone(),
        })
        .unwrap();
        let app = App::new(Deps {
            kiosk: Rc::new(kiosk),
            hardware: Default::default(),
            speech: None,
        })
        .unwrap();
        app.window().show().unwrap();
        DrawnKiosk {
            app,
            window,
            pump,
            _dir: dir,
        }
    }

    /// Shows `name` (see `kiosk::ui::screenshot::names`) at `width` x
    /// `height`, as a visitor reaches it, and lets the layout settle.
    pub fn show(&self, name: &str, lang: Lang, large_text: bool, width: u32, height: u32) {
        self.app.set_geometry(width, height);
        // `prepare` starts a new visit, which does not end the attract
        // screen a previous case may have left on.
        self.app
            .window()
            .global::<kiosk::ui::AppState>()
            .set_attract(false);
        kiosk::ui::screenshot::prepare(&self.app, &self.pump, name, lang, large_text).unwrap();
        self.settle();
    }

    /// Waits until the workers have answered and the answers are on screen.
    pub fn settle(&self) {
        assert!(
            self.pump.settle(super::ui::SETTLE),
            "the kiosk's workers did not answer within {:?}",
            super::ui::SETTLE
        );
        slint::platform::update_timers_and_animations();
    }

    /// Draws what is shown now.
    pub fn draw(&self) -> Frame {
        draw(&self.window, self.app.window().window())
    }
}

/// Runs `f` on a new thread, so that it can install its own Slint platform,
/// and passes its panic on.
pub fn on_own_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(f)
        .unwrap()
        .join()
    {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
