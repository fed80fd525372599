//! The application: one window, its adapters, navigation between screens,
//! language and text size, and the idle timeout.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use slint::ComponentHandle;

use crate::clock::Clock;
use crate::config::Config;
use crate::device::{
    CallDecision, Device, DeviceAction, DeviceInputs, DeviceSettings, ScreenMessage,
    StaffCallLimiter, staff_call_submission,
};
use crate::domain::Lang;
use crate::domain::record::StaffCallSource;
use crate::printer::SharedStatus;
use crate::sync::SyncStatus;
use board::{BoardEvent, SimulatedControls};

use super::background::Background;
use super::context::Ctx;
use super::hardware::{Hardware, SimulatedKey};
use super::idle::{IdleState, IdleTimer};
use super::speech::{SpeechHandle, Voice};
use super::{AppState, AppWindow, Screen, Theme};
use super::{complaint, home, hours, rate, read_aloud, services, speech, staff};

/// What the interface needs from the rest of the kiosk.
pub struct Deps {
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub background: Background,
    pub printer_status: SharedStatus,
    pub hardware: Hardware,
    pub speech: Option<Arc<dyn Voice>>,
}

/// The running interface.
pub struct App {
    window: AppWindow,
    ctx: Arc<Ctx>,
    idle: Rc<RefCell<IdleTimer>>,
    board: Rc<RefCell<Board>>,
}

/// The board as the UI thread holds it.
struct Board {
    device: Option<Device>,
    events: Option<std::sync::mpsc::Receiver<BoardEvent>>,
    controls: Option<SimulatedControls>,
    sync: Option<tokio::sync::watch::Receiver<SyncStatus>>,
    /// Without a board the screen's staff calls keep the same minute here.
    screen_calls: StaffCallLimiter,
}

impl App {
    /// Builds the window and wires every screen. Bulgarian (or the
    /// configured default language) is selected before anything is shown.
    pub fn new(deps: Deps) -> Result<App, slint::PlatformError> {
        let window = AppWindow::new()?;
        let a = &deps.config.accessibility;
        let idle = Rc::new(RefCell::new(IdleTimer::new(
            Instant::now(),
            Duration::from_secs(a.idle_reset_secs.into()),
            Duration::from_secs(a.idle_warning_secs.into()),
            Duration::from_secs(a.attract_after_secs.into()),
        )));
        let ctx = Arc::new(
            Ctx::new(
                deps.config,
                deps.clock,
                deps.background,
                deps.printer_status,
            )
            .with_speech(SpeechHandle::new(deps.speech)),
        );
        let d = &ctx.config.display;
        let (w, h) = if d.rotation % 180 == 90 {
            (d.height_px, d.width_px)
        } else {
            (d.width_px, d.height_px)
        };
        let hw = deps.hardware;
        let board = Rc::new(RefCell::new(Board {
            device: hw.device,
            events: hw.events,
            controls: hw.controls,
            sync: hw.sync,
            screen_calls: StaffCallLimiter::new(
                DeviceSettings::from_config(&ctx.config).staff_call_interval,
            ),
        }));
        let app = App {
            window,
            ctx,
            idle,
            board,
        };
        app.set_geometry(w, h);
        app.connect();
        apply_language(&app.window, &app.ctx);
        Ok(app)
    }

    /// The Slint window, for running it or for tests.
    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// Sizes the screen for `width` x `height` pixels. On the display in
    /// kiosk.toml sizes are true millimetres; other sizes are drawn as a
    /// panel of the same physical size at that resolution.
    pub fn set_geometry(&self, width: u32, height: u32) {
        let d = &self.ctx.config.display;
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

    /// Moves the clock line on and applies the idle timeout. Called about
    /// once a second by a timer; tests call it with a chosen instant.
    pub fn tick(&self, now: Instant) {
        home::refresh_clock(&self.window, &self.ctx);
        self.tick_board();
        speech::poll(&self.window, &self.ctx, now);
        // Staff mode has its own idle limit; the visitor's question waits.
        if staff::tick(&self.window, &self.ctx, now) {
            self.idle.borrow_mut().touch(now);
            self.window.global::<AppState>().set_idle_warning(false);
            return;
        }
        let state = self
            .idle
            .borrow()
            .state(now, at_rest(&self.window, &self.ctx));
        let app_state = self.window.global::<AppState>();
        match state {
            IdleState::Active => {
                app_state.set_idle_warning(false);
                app_state.set_attract(false);
            }
            IdleState::Asking { seconds_left } => {
                app_state.set_idle_warning(true);
                app_state.set_idle_seconds_left(seconds_left as i32);
            }
            IdleState::Attract => app_state.set_attract(true),
            IdleState::Expired => {
                tracing::info!("nobody answered the idle question; starting again");
                start_again(&self.window, &self.ctx);
                self.idle.borrow_mut().touch(now);
            }
        }
    }

    /// Shows `screen` as a visitor would reach it (for screenshots).
    pub fn show(&self, screen: Screen) {
        enter(&self.window, &self.ctx, screen);
    }

    /// Switches the language as the БГ / EN buttons do.
    pub fn set_language(&self, lang: Lang) {
        set_language(&self.window, &self.ctx, lang);
    }

    /// Switches large text on or off.
    pub fn set_large_text(&self, on: bool) {
        self.ctx.visit().large_text = Some(on);
        apply_language(&self.window, &self.ctx);
    }

    /// The staff key was turned (from the board): staff mode without a PIN.
    pub fn staff_key(&self) {
        staff::login_with_key(&self.window, &self.ctx);
    }

    /// Shows a short message over any screen (e.g. from the board).
    pub fn notice(&self, text: &str) {
        self.window.global::<AppState>().set_notice(text.into());
    }

    /// Reads the printer's status on the background worker, for the
    /// screens, the staff and the status LED.
    pub fn poll_printer(&self) {
        let shared = self.ctx.printer_status.clone();
        self.ctx.background.run(
            self.window.as_weak(),
            move |state| state.printer.status(),
            move |_, result| match result {
                Ok(status) => shared.set(status),
                Err(err) => {
                    tracing::warn!(%err, "cannot read the printer's status");
                    shared.set(crate::printer::PrinterStatus::Offline);
                }
            },
        );
    }

    /// The configuration the kiosk runs with.
    pub fn config(&self) -> Arc<Config> {
        self.ctx.config.clone()
    }

    /// Opens the staff screen, as a good PIN or the staff key does.
    pub fn open_staff(&self) {
        staff::login_with_key(&self.window, &self.ctx);
    }

    /// What "read aloud" says on the screen shown now.
    pub fn screen_text(&self) -> String {
        read_aloud::screen_text(&self.window, self.ctx.lang())
    }

    /// One line on speech output for the staff screen, e.g. "speech: ready".
    pub fn speech_status_summary(&self) -> String {
        speech::status_summary(&self.ctx)
    }

    /// The visitor's language now.
    pub fn lang(&self) -> Lang {
        self.ctx.lang()
    }

    /// Handles what the board reported and updates the LED and backlight.
    fn tick_board(&self) {
        let now = self.ctx.clock.now();
        let lang = self.ctx.lang();
        let mut actions = Vec::new();
        {
            let mut b = self.board.borrow_mut();
            let events: Vec<BoardEvent> = match &b.events {
                Some(rx) => rx.try_iter().collect(),
                None => Vec::new(),
            };
            let latest = b.sync.as_ref().map(|rx| rx.borrow().clone());
            if let Some(status) = &latest {
                self.ctx.set_sync_status(status.clone());
            }
            let sync = latest.unwrap_or_default();
            if self.ctx.take_staff_call_failed() {
                match b.device.as_mut() {
                    Some(device) => device.staff_call_failed(),
                    None => b.screen_calls.forget(),
                }
            }
            if let Some(device) = b.device.as_mut() {
                for event in events {
                    actions.extend(device.on_event(event, now, lang));
                }
                let inputs = DeviceInputs {
                    printer: self.ctx.printer_status.get(),
                    sync: &sync,
                    internal_fault: self.ctx.fault(),
                };
                device.tick(now, &inputs);
            }
        }
        for action in actions {
            handle_device_action(&self.window, &self.ctx, &self.board, action);
        }
    }

    fn connect(&self) {
        let w = &self.window;
        let st = w.global::<AppState>();
        {
            let idle = self.idle.clone();
            let weak = w.as_weak();
            let board = self.board.clone();
            let clock = self.ctx.clock.clone();
            st.on_touched(move || {
                if let Some(device) = board.borrow_mut().device.as_mut() {
                    device.on_touch(clock.now());
                }
                idle.borrow_mut().touch(Instant::now());
                if let Some(w) = weak.upgrade() {
                    let s = w.global::<AppState>();
                    s.set_idle_warning(false);
                    s.set_attract(false);
                }
            });
        }
        let with = |f: fn(&AppWindow, &Arc<Ctx>)| {
            let weak = w.as_weak();
            let ctx = self.ctx.clone();
            move || {
                if let Some(w) = weak.upgrade() {
                    f(&w, &ctx)
                }
            }
        };
        st.on_back(with(back));
        st.on_home(with(go_home));
        st.on_toggle_large_text(with(|w, ctx| {
            let on = !ctx.large_text();
            ctx.visit().large_text = Some(on);
            apply_language(w, ctx);
        }));
        st.on_start_again(with(start_again));
        st.on_dismiss_notice(with(|w, _| w.global::<AppState>().set_notice("".into())));
        st.on_staff_entry(with(|w, ctx| navigate(w, ctx, Screen::StaffPin)));
        {
            let idle = self.idle.clone();
            let weak = w.as_weak();
            st.on_more_time(move || {
                idle.borrow_mut().touch(Instant::now());
                if let Some(w) = weak.upgrade() {
                    w.global::<AppState>().set_idle_warning(false);
                }
            });
        }
        {
            let weak = w.as_weak();
            let ctx = self.ctx.clone();
            st.on_navigate(move |screen| {
                if let Some(w) = weak.upgrade() {
                    navigate(&w, &ctx, screen)
                }
            });
        }
        {
            let weak = w.as_weak();
            let ctx = self.ctx.clone();
            st.on_set_language(move |code| {
                if let Some(w) = weak.upgrade() {
                    let lang = if code == "en" { Lang::En } else { Lang::Bg };
                    set_language(&w, &ctx, lang);
                }
            });
        }
        {
            let weak = w.as_weak();
            let ctx = self.ctx.clone();
            let board = self.board.clone();
            st.on_call_staff(move || {
                if let Some(w) = weak.upgrade() {
                    call_staff(&w, &ctx, &board);
                }
            });
        }
        {
            let board = self.board.clone();
            st.on_simulated_key(move |name| {
                let Some(key) = SimulatedKey::from_name(&name) else {
                    return;
                };
                let b = board.borrow();
                let Some(controls) = &b.controls else { return };
                let sent = match key {
                    SimulatedKey::StaffCall => controls.press_staff_call(),
                    SimulatedKey::Motion => controls.motion(),
                    SimulatedKey::StaffKey => {
                        controls.turn_staff_key(!b.device.as_ref().is_some_and(|d| d.staff_mode()))
                    }
                };
                if !sent {
                    tracing::warn!(?key, "the simulated board did not take the key");
                }
            });
        }
        home::connect(w, &self.ctx);
        services::connect(w, &self.ctx);
        rate::connect(w, &self.ctx);
        complaint::connect(w, &self.ctx);
        staff::connect(w, &self.ctx);
        speech::connect(w, &self.ctx);
    }
}

/// Whether there is nothing of a visitor's to clear.
fn at_rest(w: &AppWindow, ctx: &Ctx) -> bool {
    let v = ctx.visit();
    w.global::<AppState>().get_screen() == Screen::Home
        && v.lang.is_none()
        && v.large_text.is_none()
}

/// Goes to `screen`, remembering where we came from.
pub(super) fn navigate(w: &AppWindow, ctx: &Arc<Ctx>, screen: Screen) {
    let current = w.global::<AppState>().get_screen();
    if current != screen {
        ctx.visit().stack.push(current);
    }
    enter(w, ctx, screen);
}

/// Goes to `screen` without touching the back stack.
pub(super) fn enter(w: &AppWindow, ctx: &Arc<Ctx>, screen: Screen) {
    match screen {
        Screen::Home => home::refresh(w, ctx),
        Screen::Hours => hours::refresh(w, ctx),
        Screen::Services | Screen::ServiceList | Screen::ServiceDetail | Screen::ServiceSearch => {
            services::refresh(w, ctx)
        }
        Screen::Rate => rate::start(w, ctx),
        Screen::ComplaintType => complaint::start(w, ctx),
        Screen::StaffPin => staff::start(w, ctx),
        s if staff::is_staff_screen(s) => staff::entered(w, ctx, s),
        _ => {}
    }
    speech::leave_screen(w, ctx);
    w.global::<AppState>().set_screen(screen);
    speech::entered_screen(w, ctx);
}

fn back(w: &AppWindow, ctx: &Arc<Ctx>) {
    let current = w.global::<AppState>().get_screen();
    // A sent form is never reopened by "back".
    if matches!(current, Screen::RateThanks | Screen::ComplaintReceipt) {
        return go_home(w, ctx);
    }
    let previous = ctx.visit().stack.pop();
    match previous {
        Some(screen) => enter(w, ctx, screen),
        None => go_home(w, ctx),
    }
}

/// Home, dropping any half-finished form but keeping the language.
pub(super) fn go_home(w: &AppWindow, ctx: &Arc<Ctx>) {
    {
        let mut v = ctx.visit();
        v.stack.clear();
        v.rate = Default::default();
        v.complaint = Default::default();
        v.services = Default::default();
        v.staff_pin.clear();
    }
    enter(w, ctx, Screen::Home);
}

/// The end of a visit: everything cleared, default language and text size.
pub(super) fn start_again(w: &AppWindow, ctx: &Arc<Ctx>) {
    ctx.clear_visit();
    speech::end_visit(w, ctx);
    let st = w.global::<AppState>();
    st.set_idle_warning(false);
    st.set_notice("".into());
    apply_language(w, ctx);
    enter(w, ctx, Screen::Home);
}

fn set_language(w: &AppWindow, ctx: &Arc<Ctx>, lang: Lang) {
    ctx.visit().lang = Some(lang);
    apply_language(w, ctx);
}

/// Selects the bundled translation and refills every Rust-made text.
pub(super) fn apply_language(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let code = match lang {
        Lang::Bg => "bg",
        Lang::En => "en",
    };
    if let Err(err) = slint::select_bundled_translation(code) {
        tracing::error!(?err, code, "cannot select the bundled translation");
    }
    let st = w.global::<AppState>();
    st.set_lang(code.into());
    st.set_large_text(ctx.large_text());
    st.set_municipality(ctx.config.kiosk.municipality.get(lang).into());
    w.global::<Theme>().set_large_text(ctx.large_text());
    home::refresh(w, ctx);
    hours::refresh(w, ctx);
    services::refresh(w, ctx);
    rate::refresh(w, ctx);
    complaint::refresh(w, ctx);
    staff::refresh(w, ctx);
}

/// "Call a staff member" on the screen: through the board's rules when
/// there is a board (one minute shared with the button), else on its own.
fn call_staff(w: &AppWindow, ctx: &Arc<Ctx>, board: &Rc<RefCell<Board>>) {
    let lang = ctx.lang();
    let now = ctx.clock.now();
    let action = {
        let mut b = board.borrow_mut();
        match b.device.as_mut() {
            Some(device) => device.call_staff_from_screen(now, lang),
            // No board (tests, screenshots): the same rule and messages.
            None => match b.screen_calls.press(now) {
                CallDecision::Call => DeviceAction::CallStaff {
                    submission: staff_call_submission(StaffCallSource::Screen, lang),
                    message: ScreenMessage::StaffCalled,
                },
                CallDecision::AlreadyCalled => {
                    DeviceAction::Show(ScreenMessage::StaffAlreadyCalled)
                }
            },
        }
    };
    handle_device_action(w, ctx, board, action);
}

/// Carries out what the board's rules decided.
fn handle_device_action(
    w: &AppWindow,
    ctx: &Arc<Ctx>,
    board: &Rc<RefCell<Board>>,
    action: DeviceAction,
) {
    let lang = ctx.lang();
    match action {
        DeviceAction::Show(message) => {
            w.global::<AppState>().set_notice(message.text(lang).into());
        }
        DeviceAction::StaffKey(true) => staff::login_with_key(w, ctx),
        DeviceAction::StaffKey(false) => {
            // Turning the key back ends staff mode; the next tick logs the
            // session out (audited) once a visitor screen is shown.
            if staff::is_staff_screen(w.global::<AppState>().get_screen()) {
                go_home(w, ctx);
            }
        }
        DeviceAction::CallStaff {
            submission,
            message,
        } => {
            w.global::<AppState>().set_notice(message.text(lang).into());
            let ctx2 = ctx.clone();
            let ctx3 = ctx.clone();
            let _ = board;
            ctx.background.run(
                w.as_weak(),
                move |state| ctx2.submit(&state.store, submission).map(|_| ()),
                move |w, result| {
                    if let Err(err) = result {
                        tracing::error!(%err, "cannot store a staff call");
                        w.global::<AppState>()
                            .set_notice(ScreenMessage::StaffCallFailed.text(lang).into());
                        // The board lives on this thread; the next tick lets
                        // the next press call again at once.
                        ctx3.set_staff_call_failed();
                    }
                },
            );
        }
    }
}
