//! Drawing screens without a display: the software renderer into a pixel
//! buffer, for `kiosk screenshot`, `kiosk bench ui` and the layout tests.
//!
//! Screens are reached the way a visitor reaches them: the preparation
//! below presses the same callbacks the touchscreen does, through the real
//! kiosk service and its worker threads on an in-memory database (their
//! answers drained by a [`Pump`] between steps), so a screenshot of the
//! receipt screen shows a real number.

use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use slint::Rgb8Pixel;
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PhysicalSize, PlatformError};

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, PrinterTransport};
use crate::domain::Lang;
use crate::printer::SharedStatus;
use crate::store::Store;

use super::app::{App, Deps};
use super::speech::Voice;
use super::{
    AppState, CheckReceiptAdapter, ComplaintAdapter, RateAdapter, Screen, ServicesAdapter,
    StaffReprintAdapter,
};
use crate::service::{KioskService, Parts, Pump};

/// Every screen by the name used on the command line.
pub const SCREENS: [(&str, Screen); 23] = [
    ("home", Screen::Home),
    ("services", Screen::Services),
    ("service-list", Screen::ServiceList),
    ("service-detail", Screen::ServiceDetail),
    ("service-search", Screen::ServiceSearch),
    ("hours", Screen::Hours),
    ("rate", Screen::Rate),
    ("rate-details", Screen::RateDetails),
    ("rate-comment", Screen::RateComment),
    ("rate-thanks", Screen::RateThanks),
    ("complaint-type", Screen::ComplaintType),
    ("complaint-category", Screen::ComplaintCategory),
    ("complaint-text", Screen::ComplaintText),
    ("complaint-contact", Screen::ComplaintContact),
    ("complaint-review", Screen::ComplaintReview),
    ("complaint-receipt", Screen::ComplaintReceipt),
    ("check-receipt", Screen::CheckReceipt),
    ("staff-pin", Screen::StaffPin),
    ("staff-home", Screen::StaffHome),
    ("staff-summary", Screen::StaffSummary),
    ("staff-register", Screen::StaffRegister),
    ("staff-reprint", Screen::StaffReprint),
    ("staff-outbox", Screen::StaffOutbox),
];

/// Overlays that can be drawn over the home screen by name.
pub const OVERLAYS: [&str; 2] = ["idle-question", "attract"];

/// A screen in a later state, by name: "check my receipt" with the answer
/// for a complaint filed just before.
pub const STATES: [&str; 1] = ["check-receipt-answer"];

/// Every name `--screen` accepts.
pub fn names() -> Vec<&'static str> {
    SCREENS
        .iter()
        .map(|(n, _)| *n)
        .chain(OVERLAYS)
        .chain(STATES)
        .collect()
}

struct Headless {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for Headless {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }
}

/// The kiosk drawn off screen.
pub struct Offscreen {
    window: Rc<MinimalSoftwareWindow>,
    app: App,
    pump: Arc<Pump>,
    _printer_dir: tempfile::TempDir,
}

/// A drawn frame.
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<Rgb8Pixel>,
}

impl Offscreen {
    /// Installs the headless platform (once per thread) and builds the
    /// kiosk on an in-memory database, printing into a temporary file.
    /// It is silent: "read aloud" says that speech is off.
    pub fn new(config: &Config) -> anyhow::Result<Offscreen> {
        Self::with_voice(config, None)
    }

    /// [`Offscreen::new`] speaking through `voice` (a fake in tests).
    pub fn with_voice(config: &Config, voice: Option<Arc<dyn Voice>>) -> anyhow::Result<Offscreen> {
        let dir = tempfile::tempdir()?;
        let mut config = config.clone();
        config.printer.transport = PrinterTransport::File(dir.path().join("receipts.bin"));
        config.central.url.clear();
        Self::build(config, Store::open_in_memory()?, voice, dir)
    }

    /// The kiosk on `store`, printing as `config` says (for benchmarks that
    /// need a real disk and a real printer connection).
    pub fn with_store(config: Config, store: Store) -> anyhow::Result<Offscreen> {
        Self::build(config, store, None, tempfile::tempdir()?)
    }

    fn build(
        config: Config,
        store: Store,
        voice: Option<Arc<dyn Voice>>,
        dir: tempfile::TempDir,
    ) -> anyhow::Result<Offscreen> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        slint::platform::set_platform(Box::new(Headless {
            window: window.clone(),
        }))
        .map_err(|e| anyhow::anyhow!("cannot set up drawing without a display: {e}"))?;
        let clock: Arc<dyn Clock> = Arc::new(SetClock);
        let pump = Pump::new();
        let kiosk = KioskService::start(Parts {
            config: Arc::new(config),
            store,
            clock,
            printer_status: SharedStatus::default(),
            sync: None,
            back: pump.clone(),
        })?;
        let app = App::new(Deps {
            kiosk: Rc::new(kiosk),
            hardware: Default::default(),
            speech: voice,
        })?;
        app.window().show()?;
        Ok(Offscreen {
            window,
            app,
            pump,
            _printer_dir: dir,
        })
    }

    /// The kiosk's answers come back through this.
    pub fn pump(&self) -> &Arc<Pump> {
        &self.pump
    }

    /// Runs the kiosk's answers until none is outstanding.
    pub fn settle(&self) {
        settle(&self.pump);
    }

    /// The kiosk behind the drawing.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Shows `name` as a visitor would reach it, in `lang` and text size.
    pub fn prepare(&self, name: &str, lang: Lang, large_text: bool) -> anyhow::Result<()> {
        prepare(&self.app, &self.pump, name, lang, large_text)
    }
}

/// The system's time, taken as synchronised: a drawing shows the screens of
/// a kiosk whose clock is set (due dates as dates), whatever the machine
/// drawing them says about its own.
struct SetClock;

impl Clock for SetClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        SystemClock.now()
    }
    fn is_synchronised(&self) -> bool {
        true
    }
}

/// How long a step may wait for the kiosk's workers before the drawing
/// goes on without their answer.
const SETTLE: Duration = Duration::from_secs(30);

fn settle(pump: &Pump) {
    if !pump.settle(SETTLE) {
        tracing::warn!("the kiosk's workers did not answer within {SETTLE:?}");
    }
}

/// Shows `name` on `app` as a visitor would reach it, in `lang` and text
/// size, by pressing the same callbacks the touchscreen does; `pump` brings
/// the kiosk's answers back between the steps.
pub fn prepare(
    app: &App,
    pump: &Pump,
    name: &str,
    lang: Lang,
    large_text: bool,
) -> anyhow::Result<()> {
    let w = app.window();
    w.global::<AppState>().invoke_start_again();
    settle(pump);
    app.set_language(lang);
    app.set_large_text(large_text);
    let st = w.global::<AppState>();
    match name {
        "idle-question" => {
            st.invoke_navigate(Screen::ComplaintType);
            st.set_idle_warning(true);
            st.set_idle_seconds_left(20);
            return Ok(());
        }
        "attract" => {
            st.set_attract(true);
            return Ok(());
        }
        "check-receipt-answer" => {
            walk_to(app, pump, Screen::ComplaintReceipt);
            st.invoke_home();
            st.invoke_navigate(Screen::CheckReceipt);
            let a = w.global::<CheckReceiptAdapter>();
            for d in "000001".chars() {
                a.invoke_digit(d.to_string().into());
            }
            a.invoke_check();
            settle(pump);
            return Ok(());
        }
        _ => {}
    }
    let screen = SCREENS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no screen is called {name:?}; the screens are: {}",
                names().join(", ")
            )
        })?;
    walk_to(app, pump, screen);
    settle(pump);
    Ok(())
}

/// Presses through the flow that leads to `screen`.
fn walk_to(app: &App, pump: &Pump, screen: Screen) {
    let w = app.window();
    let st = w.global::<AppState>();
    let services = w.global::<ServicesAdapter>();
    let rate = w.global::<RateAdapter>();
    let complaint = w.global::<ComplaintAdapter>();
    let config = &app.config().clone();
    match screen {
        Screen::ServiceList => {
            st.invoke_navigate(Screen::Services);
            services.invoke_open_group(0);
        }
        Screen::ServiceDetail => {
            st.invoke_navigate(Screen::Services);
            services.invoke_open_group(0);
            if let Some(s) = config.services.first() {
                services.invoke_open_service(s.id.as_str().into());
            }
        }
        Screen::ServiceSearch => {
            st.invoke_navigate(Screen::Services);
            st.invoke_navigate(Screen::ServiceSearch);
            for k in ["у", "д", "о", "с", "т"] {
                services.invoke_type_key(k.into());
            }
        }
        Screen::RateDetails | Screen::RateComment | Screen::RateThanks => {
            st.invoke_navigate(Screen::Rate);
            rate.invoke_choose_score(2);
            if let Some(r) = config.rating.low_reasons.first() {
                rate.invoke_toggle_reason(r.as_str().into());
            }
            if screen == Screen::RateComment {
                st.invoke_navigate(Screen::RateComment);
                for k in "Дълго чакане на гишето".chars() {
                    rate.invoke_type_key(k.to_string().into());
                }
            }
            if screen == Screen::RateThanks {
                rate.invoke_send();
                settle(pump);
            }
        }
        Screen::ComplaintCategory
        | Screen::ComplaintText
        | Screen::ComplaintContact
        | Screen::ComplaintReview
        | Screen::ComplaintReceipt => {
            st.invoke_navigate(Screen::ComplaintType);
            complaint.invoke_choose_type("complaint".into());
            if screen == Screen::ComplaintCategory {
                return;
            }
            if let Some(c) = config.complaints.categories.first() {
                complaint.invoke_choose_category(c.id.as_str().into());
            }
            for k in "Чаках 40 минути на гише 3, а нямаше никого.".chars()
            {
                complaint.invoke_type_key(k.to_string().into());
            }
            if screen == Screen::ComplaintText {
                return;
            }
            complaint.invoke_field_done();
            complaint.invoke_edit_field(1);
            for k in "Мария Иванова".chars() {
                complaint.invoke_type_key(k.to_string().into());
            }
            complaint.invoke_field_done();
            complaint.invoke_edit_field(3);
            for k in "0888 123 456".chars() {
                complaint.invoke_type_key(k.to_string().into());
            }
            complaint.invoke_field_done();
            if screen == Screen::ComplaintContact {
                return;
            }
            complaint.invoke_to_review();
            if screen == Screen::ComplaintReceipt {
                complaint.invoke_submit();
                settle(pump);
            }
        }
        Screen::StaffHome
        | Screen::StaffSummary
        | Screen::StaffRegister
        | Screen::StaffReprint
        | Screen::StaffOutbox => {
            if matches!(screen, Screen::StaffSummary | Screen::StaffRegister) {
                // Something to count: a rating and a complaint, sent as a
                // visitor sends them.
                walk_to(app, pump, Screen::RateThanks);
                walk_to(app, pump, Screen::ComplaintReceipt);
                st.invoke_home();
            }
            // The staff key: no PIN needed for a picture.
            app.staff_key();
            settle(pump);
            if screen != Screen::StaffHome {
                st.invoke_navigate(screen);
                settle(pump);
            }
            if screen == Screen::StaffReprint {
                for d in ["4", "2"] {
                    w.global::<StaffReprintAdapter>().invoke_digit(d.into());
                }
            }
        }
        Screen::CheckReceipt => {
            st.invoke_navigate(Screen::CheckReceipt);
            for d in ["0", "0", "0", "4", "2"] {
                w.global::<CheckReceiptAdapter>().invoke_digit(d.into());
            }
        }
        Screen::StaffPin => st.invoke_staff_entry(),
        other => st.invoke_navigate(other),
    }
}

impl Offscreen {
    /// Draws the current screen at `width` x `height`.
    pub fn draw(&self, width: u32, height: u32) -> Frame {
        self.app.set_geometry(width, height);
        self.window.set_size(PhysicalSize::new(width, height));
        slint::platform::update_timers_and_animations();
        let mut pixels = vec![Rgb8Pixel::default(); width as usize * height as usize];
        self.window.request_redraw();
        self.window.draw_if_needed(|renderer| {
            renderer.render(&mut pixels, width as usize);
        });
        Frame {
            width,
            height,
            pixels,
        }
    }
}

/// Where an element with an accessible label lies on the drawn screen, in
/// physical pixels: what a test that taps from outside needs to find it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Labelled {
    pub label: String,
    pub role: String,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl Offscreen {
    /// Every visible element with an accessible label on the screen last
    /// drawn, in the order they are walked (the reading order).
    pub fn labelled_elements(&self) -> Vec<Labelled> {
        use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
        let scale = self.app.window().window().scale_factor();
        let mut found = Vec::new();
        let visit = |e: &ElementHandle, found: &mut Vec<Labelled>| {
            let (Some(role), Some(label)) = (e.accessible_role(), e.accessible_label()) else {
                return;
            };
            let (p, size) = (e.absolute_position(), e.size());
            if role == AccessibleRole::None || label.is_empty() || size.width <= 0.0 {
                return;
            }
            let px = |v: f32| (v * scale).round() as i32;
            found.push(Labelled {
                label: label.to_string(),
                role: format!("{role:?}").to_lowercase(),
                x: px(p.x),
                y: px(p.y),
                width: px(size.width),
                height: px(size.height),
            });
        };
        let root = self.app.window().root_element();
        visit(&root, &mut found);
        root.visit_descendants(|e| {
            visit(&e, &mut found);
            std::ops::ControlFlow::<()>::Continue(())
        });
        found
    }
}

impl Frame {
    /// Writes the frame as a PNG file.
    pub fn save_png(&self, path: &Path) -> anyhow::Result<()> {
        use anyhow::Context;
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        let bytes: Vec<u8> = self.pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
        writer.write_image_data(&bytes)?;
        writer.finish()?;
        Ok(())
    }
}
