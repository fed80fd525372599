//! The application: one window, the visit behind it, and the wiring that
//! hands each event of the flows to the adapter it concerns.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use slint::ComponentHandle;

use super::speech::{self, Speech, Voice};
use super::{AppState, AppWindow, Screen, Theme};
use super::{
    check_receipt, complaint, home, hours, idle, navigation, rate, read_aloud, services, staff,
};
use crate::config::Config;
use crate::domain::Lang;
use crate::flow::board::Hardware;
use crate::flow::{Event, Kiosk, Outlet, Part, Visit};
use crate::service::HandBack;

/// What the interface needs from the rest of the kiosk.
pub struct Deps {
    /// The kiosk service (store, printer, staff, link), answering on this
    /// thread through [`EventLoop`] or a test's pump.
    pub kiosk: Rc<dyn Kiosk>,
    pub hardware: Hardware,
    pub speech: Option<Arc<dyn Voice>>,
}

/// Answers from the kiosk's workers come back through Slint's event loop.
pub struct EventLoop;

impl HandBack for EventLoop {
    fn post(&self, f: Box<dyn FnOnce() + Send>) {
        if let Err(err) = slint::invoke_from_event_loop(f) {
            tracing::error!(%err, "cannot hand a background result to the screen");
        }
    }
}

/// The running interface.
pub struct App {
    window: AppWindow,
    visit: Rc<Visit>,
    speech: Rc<Speech>,
}

impl App {
    /// Builds the window and wires every screen. Bulgarian (or the
    /// configured default language) is selected before anything is shown.
    pub fn new(deps: Deps) -> Result<App, slint::PlatformError> {
        let window = AppWindow::new()?;
        let outlet = Outlet::new();
        let visit = Visit::new(deps.kiosk, outlet.clone(), deps.hardware);
        let speech = Rc::new(Speech::new(deps.speech));
        {
            let (weak, v, s) = (window.as_weak(), Rc::downgrade(&visit), speech.clone());
            outlet.connect(Rc::new(move |event| {
                if let (Some(w), Some(v)) = (weak.upgrade(), v.upgrade()) {
                    handle(&w, &v, &s, event);
                }
            }));
        }
        let app = App {
            window,
            visit,
            speech,
        };
        let d = &app.config().display;
        let (w, h) = if d.rotation % 180 == 90 {
            (d.height_px, d.width_px)
        } else {
            (d.width_px, d.height_px)
        };
        app.set_geometry(w, h);
        app.connect();
        apply_language(&app.window, &app.visit);
        Ok(app)
    }

    /// The Slint window, for running it or for tests.
    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// The flows behind the screens.
    pub fn visit(&self) -> &Rc<Visit> {
        &self.visit
    }

    /// Sizes the screen for `width` x `height` pixels. On the display in
    /// kiosk.toml sizes are true millimetres; other sizes are drawn as a
    /// panel of the same physical size at that resolution.
    pub fn set_geometry(&self, width: u32, height: u32) {
        let d = &self.config().display;
        let per_mm = d.width_px as f32 / d.width_mm.max(1) as f32;
        let (long, short) = (d.width_px.max(d.height_px), d.width_px.min(d.height_px));
        let portrait = height > width;
        let (w_ref, h_ref) = if portrait {
            (short, long)
        } else {
            (long, short)
        };
        let scale = (width as f32 / w_ref.max(1) as f32)
            .min(height as f32 / h_ref.max(1) as f32)
            .min(1.0);
        // Theme lengths are logical pixels; the panel's density is physical.
        let scale_factor = self.window.window().scale_factor().max(0.1);
        let theme = self.window.global::<Theme>();
        theme.set_px_per_mm(per_mm * scale / scale_factor);
        theme.set_portrait(portrait);
        self.window
            .window()
            .set_size(slint::PhysicalSize::new(width, height));
    }

    /// Moves the clock line on, handles the board and applies the idle
    /// timeouts. Called about twice a second by a timer; tests call it with
    /// a chosen instant.
    pub fn tick(&self, now: Instant) {
        self.visit.tick(now);
        speech::poll(&self.window, &self.speech, self.lang(), now);
    }

    /// Shows `screen` as a visitor would reach it (for screenshots).
    pub fn show(&self, screen: Screen) {
        self.visit.navigate(navigation::page_of(screen));
    }

    /// Switches the language as the БГ / EN buttons do.
    pub fn set_language(&self, lang: Lang) {
        self.visit.set_lang(lang);
    }

    /// Switches large text on or off.
    pub fn set_large_text(&self, on: bool) {
        self.visit.set_large_text(on);
    }

    /// The staff key was turned (from the board): staff mode without a PIN.
    pub fn staff_key(&self) {
        self.visit.staff_key();
    }

    /// Shows a short message over any screen (e.g. from the board).
    pub fn notice(&self, text: &str) {
        self.window.global::<AppState>().set_notice(text.into());
    }

    /// Asks the printer for its status, for the screens, the staff and the
    /// status LED.
    pub fn poll_printer(&self) {
        self.visit.kiosk().poll_printer();
    }

    /// The configuration the kiosk runs with.
    pub fn config(&self) -> &Config {
        self.visit.kiosk().config()
    }

    /// What "read aloud" says on the screen shown now.
    pub fn screen_text(&self) -> String {
        read_aloud::screen_text(&self.window, self.lang())
    }

    /// One line on speech output for the staff screen, e.g. "speech: ready".
    pub fn speech_status_summary(&self) -> String {
        speech::status_summary(&self.speech)
    }

    /// The visitor's language now.
    pub fn lang(&self) -> Lang {
        self.visit.prefs().lang()
    }

    fn connect(&self) {
        let (w, v) = (&self.window, &self.visit);
        navigation::connect(w, v);
        services::connect(w, v);
        rate::connect(w, v);
        complaint::connect(w, v);
        check_receipt::connect(w, v);
        staff::connect(w, v);
        speech::connect(w, &self.speech, v);
    }
}

/// Hands one event of the flows to the screens.
fn handle(w: &AppWindow, visit: &Visit, speech: &Speech, event: Event) {
    if visit.route(&event) {
        return;
    }
    match event {
        Event::Changed(part) => show(w, visit, part),
        Event::Shown(page) => navigation::show(w, speech, page, visit.prefs().lang()),
        Event::Notice(text) => w.global::<AppState>().set_notice(text.into()),
        Event::Language => apply_language(w, visit),
        Event::StartAgain => {
            speech::end_visit(w, speech);
            w.global::<AppState>().set_notice("".into());
        }
        Event::Go(_) | Event::Replace(_) | Event::Home => {}
    }
}

/// Refills the screens of one part.
fn show(w: &AppWindow, visit: &Visit, part: Part) {
    match part {
        Part::Home => home::show(w, visit),
        Part::Hours => hours::show(w, visit),
        Part::Services => services::show(w, visit),
        Part::Rating => rate::show(w, visit),
        Part::Complaint => complaint::show(w, visit),
        Part::CheckReceipt => check_receipt::show(w, visit),
        Part::Staff => staff::show(w, visit),
        Part::Idle => idle::show(w, visit),
        Part::Leave => idle::show_leave(w, visit),
    }
}

/// Selects the bundled translation and refills every screen.
fn apply_language(w: &AppWindow, visit: &Visit) {
    let prefs = visit.prefs();
    let lang = prefs.lang();
    let code = lang.code();
    if let Err(err) = slint::select_bundled_translation(code) {
        tracing::error!(?err, code, "cannot select the bundled translation");
    }
    let st = w.global::<AppState>();
    st.set_lang(code.into());
    st.set_large_text(prefs.large_text());
    st.set_municipality(
        visit
            .kiosk()
            .config()
            .kiosk
            .municipality
            .get(lang)
            .as_str()
            .into(),
    );
    w.global::<Theme>().set_large_text(prefs.large_text());
    for part in [
        Part::Home,
        Part::Hours,
        Part::Services,
        Part::Rating,
        Part::Complaint,
        Part::CheckReceipt,
        Part::Staff,
        Part::Idle,
        Part::Leave,
    ] {
        show(w, visit, part);
    }
}
