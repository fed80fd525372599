//! The out-of-service window of `kiosk run`: the texts of
//! [`crate::domain::out_of_service`] in both languages in turn (12 s
//! Bulgarian, 6 s English), on a window of its own (the kiosk's window
//! needs a database).
//!
//! [`show`] runs the window's event loop until `recheck` finds the
//! database usable, then closes it and returns the store. Slint's Pi
//! backend (linuxkms) cannot run a second event loop in one process, so
//! the caller exits then and systemd (`Restart=always`) starts the kiosk
//! afresh within seconds: one restart, never a loop, since a kiosk that is
//! still out of service stays up.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use slint::ComponentHandle;

use super::{OutOfServiceWindow, Theme};
use crate::config::Config;
use crate::domain::Lang;
use crate::domain::out_of_service::{OutOfService, RegistryDesk};

/// Builds the window (not shown) with the texts for `why`.
pub fn window(
    config: &Config,
    why: &OutOfService,
    desk: &RegistryDesk,
) -> Result<OutOfServiceWindow, slint::PlatformError> {
    let w = OutOfServiceWindow::new()?;
    let d = &config.display;
    w.global::<Theme>()
        .set_px_per_mm(d.width_px as f32 / d.width_mm.max(1) as f32);
    fill(&w, why, desk);
    Ok(w)
}

/// Puts the texts for `why` on the window.
pub fn fill(w: &OutOfServiceWindow, why: &OutOfService, desk: &RegistryDesk) {
    let bg = why.text(Lang::Bg, desk);
    let en = why.text(Lang::En, desk);
    w.set_title_bg(bg.title.into());
    w.set_visitors_bg(bg.visitors.into());
    w.set_staff_bg(bg.staff.into());
    w.set_title_en(en.title.into());
    w.set_visitors_en(en.visitors.into());
    w.set_staff_en(en.staff.into());
}

/// Ticks of 500 ms per round: 12 s Bulgarian, then 6 s English.
const ROUND: u32 = 36;
const BULGARIAN: u32 = 24;

/// Whether the `ticks`-th tick shows English.
fn shows_english(ticks: u32) -> bool {
    ticks % ROUND >= BULGARIAN
}

/// What a look at the database found.
pub enum Look<T> {
    /// Usable: the kiosk can start.
    Ready(T),
    /// Still out of service, maybe for another reason.
    Down(OutOfService),
}

/// Shows the window full screen until `recheck` (called every `every`)
/// says the database is ready; `beat` runs twice a second (the systemd
/// watchdog). Returns what `recheck` gave, or `None` when the window was
/// closed.
pub fn show<T: 'static>(
    config: &Config,
    why: &OutOfService,
    desk: &RegistryDesk,
    every: Duration,
    mut recheck: impl FnMut() -> Look<T> + 'static,
    beat: impl Fn() + 'static,
) -> Result<Option<T>, slint::PlatformError> {
    let w = window(config, why, desk)?;
    let d = &config.display;
    w.window()
        .set_size(slint::PhysicalSize::new(d.width_px, d.height_px));
    w.window().set_fullscreen(true);
    let ready: Rc<RefCell<Option<T>>> = Rc::default();
    let timer = slint::Timer::default();
    {
        let (weak, ready, desk) = (w.as_weak(), ready.clone(), desk.clone());
        let mut current = why.clone();
        let mut next_look = Instant::now() + every;
        let mut ticks: u32 = 0;
        timer.start(
            slint::TimerMode::Repeated,
            Duration::from_millis(500),
            move || {
                beat();
                ticks = ticks.wrapping_add(1);
                if let Some(w) = weak.upgrade() {
                    w.set_english(shows_english(ticks));
                }
                if Instant::now() < next_look || ready.borrow().is_some() {
                    return;
                }
                next_look = Instant::now() + every;
                match recheck() {
                    Look::Ready(t) => {
                        *ready.borrow_mut() = Some(t);
                        if let Err(err) = slint::quit_event_loop() {
                            tracing::error!(%err, "cannot close the out-of-service window");
                        }
                    }
                    Look::Down(why) if why != current => {
                        if let Some(w) = weak.upgrade() {
                            fill(&w, &why, &desk);
                        }
                        current = why;
                    }
                    Look::Down(_) => {}
                }
            },
        );
    }
    w.run()?;
    drop(timer);
    Ok(ready.borrow_mut().take())
}
