//! Staff mode on the touchscreen: the PIN pad, the staff key, the session
//! and the screens behind them (`home`, `summary`, `register`, `reprint`).
//!
//! Invariants:
//! - logging in, and every staff action, runs on the background worker
//!   (Argon2 is slow on purpose; the rest touches SQLite, the printer or a
//!   USB stick), never on the UI thread;
//! - the [`StaffSession`] lives in the visit ([`StaffState`]); every tap on
//!   a staff screen notes activity with `touch`, and [`tick`] ends the
//!   session after `[staff] idle_logout_secs` without one, or as soon as
//!   the kiosk shows a visitor's screen, and goes back to the home screen;
//! - while a session is live, the visitor's idle question stays away: the
//!   staff idle limit is the one that counts.

mod home;
mod register;
mod reprint;
mod summary;
mod text;

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use slint::ComponentHandle;

use crate::domain::Lang;
use crate::staff::{StaffError, StaffSession};

use super::app::{enter, go_home, start_again};
use super::background::WorkerState;
use super::context::Ctx;
use super::edit::{backspace, push_key};
use super::words::tr;
use super::{AppState, AppWindow, Screen, StaffAdapter};

/// Longest PIN the pad takes.
const PIN_MAX: usize = 12;

/// Staff mode's part of the visit.
#[derive(Debug, Default)]
pub struct StaffState {
    /// The logged-in staff member; `None` outside staff mode.
    pub session: Option<Arc<StaffSession>>,
    /// The summary's period: 0 today, 1 this week, 2 this month, 3 this year.
    pub period: i32,
    /// The register's filter: 0 all, 1 flagged, 2 due soon, 3 overdue.
    pub filter: i32,
    /// The sequence typed on the reprint pad.
    pub reprint_digits: String,
    /// The reprint year; 0: this year.
    pub reprint_year: i32,
}

/// The screens behind the PIN.
pub fn is_staff_screen(screen: Screen) -> bool {
    matches!(
        screen,
        Screen::StaffHome | Screen::StaffSummary | Screen::StaffRegister | Screen::StaffReprint
    )
}

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<StaffAdapter>();
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_digit(move |d| {
            if let Some(w) = weak.upgrade() {
                push_key(&mut ctx.visit().staff_pin, &d, PIN_MAX);
                refresh(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_erase(move || {
            if let Some(w) = weak.upgrade() {
                backspace(&mut ctx.visit().staff_pin);
                refresh(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_enter(move || {
            if let Some(w) = weak.upgrade() {
                check_pin(&w, &ctx);
            }
        });
    }
    home::connect(w, ctx);
    summary::connect(w, ctx);
    register::connect(w, ctx);
    reprint::connect(w, ctx);
}

/// A fresh PIN pad; says at once when entry is locked.
pub fn start(w: &AppWindow, ctx: &Arc<Ctx>) {
    ctx.visit().staff_pin.clear();
    let a = w.global::<StaffAdapter>();
    a.set_message("".into());
    a.set_checking(false);
    refresh(w, ctx);
    let now = ctx.clock.now();
    let lang = ctx.lang();
    ctx.background.run(
        w.as_weak(),
        move |state| state.staff.locked_for(now),
        move |w, locked| match locked {
            Ok(Some(left)) => w
                .global::<StaffAdapter>()
                .set_message(text::refusal(lang, &StaffError::LockedOut { left }).into()),
            Ok(None) => {}
            Err(err) => tracing::error!(%err, "cannot read the staff PIN lockout"),
        },
    );
}

/// Refills what the PIN pad shows, and a staff screen after the language
/// changed.
pub fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    let n = ctx.visit().staff_pin.chars().count();
    w.global::<StaffAdapter>().set_pin_length(n as i32);
    let screen = w.global::<AppState>().get_screen();
    if is_staff_screen(screen) && ctx.visit().staff.session.is_some() {
        entered(w, ctx, screen);
    }
}

/// A staff screen was entered (by a button or "back"): fill it.
pub fn entered(w: &AppWindow, ctx: &Arc<Ctx>, screen: Screen) {
    match screen {
        Screen::StaffHome => home::open(w, ctx),
        Screen::StaffSummary => summary::open(w, ctx),
        Screen::StaffRegister => register::open(w, ctx),
        Screen::StaffReprint => reprint::open(w, ctx),
        _ => {}
    }
}

fn check_pin(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<StaffAdapter>();
    if a.get_checking() {
        return;
    }
    let pin = std::mem::take(&mut ctx.visit().staff_pin);
    refresh(w, ctx);
    if pin.is_empty() {
        return;
    }
    a.set_checking(true);
    a.set_message("".into());
    let now = ctx.clock.now();
    let lang = ctx.lang();
    let ctx2 = ctx.clone();
    ctx.background.run(
        w.as_weak(),
        move |state| state.staff.login_pin(&pin, now),
        move |w, result| {
            let a = w.global::<StaffAdapter>();
            a.set_checking(false);
            match result {
                Ok(session) => begin(w, &ctx2, session),
                Err(err) => a.set_message(text::refusal(lang, &err).into()),
            }
        },
    );
}

/// The board's staff key: in without a PIN, straight to the staff home.
pub fn login_with_key(w: &AppWindow, ctx: &Arc<Ctx>) {
    if session(w, ctx).is_some() {
        enter(w, ctx, Screen::StaffHome);
        return;
    }
    let now = ctx.clock.now();
    let ctx2 = ctx.clone();
    ctx.background.run(
        w.as_weak(),
        move |state| state.staff.login_key(now),
        move |w, result| match result {
            Ok(session) => begin(w, &ctx2, session),
            Err(err) => {
                tracing::error!(%err, "the staff key could not open staff mode");
                w.global::<AppState>()
                    .set_notice(text::problem(ctx2.lang(), &err).into());
            }
        },
    );
}

fn begin(w: &AppWindow, ctx: &Arc<Ctx>, session: StaffSession) {
    {
        let mut v = ctx.visit();
        v.staff_pin.clear();
        v.staff = StaffState {
            session: Some(Arc::new(session)),
            period: 2,
            ..StaffState::default()
        };
    }
    enter(w, ctx, Screen::StaffHome);
}

/// The live session, with a tap noted now. When it has ended, staff mode
/// is left (audited) and `None` returned.
fn session(w: &AppWindow, ctx: &Arc<Ctx>) -> Option<Arc<StaffSession>> {
    let now = ctx.clock.now();
    let session = ctx.visit().staff.session.clone()?;
    if session.is_expired(now) {
        end(w, ctx, now, Ending::Idle);
        return None;
    }
    session.touch(now);
    Some(session)
}

/// Runs a staff action on the worker, then `done` on the UI thread. An
/// expired session leaves staff mode instead.
fn act<T: Send + 'static>(
    w: &AppWindow,
    ctx: &Arc<Ctx>,
    job: impl FnOnce(&StaffSession, &mut WorkerState) -> Result<T, StaffError> + Send + 'static,
    done: impl FnOnce(&AppWindow, &Arc<Ctx>, Result<T, StaffError>) + Send + 'static,
) {
    let Some(s) = session(w, ctx) else {
        return;
    };
    let ctx2 = ctx.clone();
    ctx.background.run(
        w.as_weak(),
        move |state| job(&s, state),
        move |w, result| match result {
            Err(StaffError::SessionExpired) => end(w, &ctx2, ctx2.clock.now(), Ending::Idle),
            other => done(w, &ctx2, other),
        },
    );
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// "Leave staff mode".
    Leave,
    /// Idle too long.
    Idle,
    /// The kiosk went to a visitor's screen.
    Left,
}

/// Ends staff mode: the session is logged out (audited, on the worker),
/// forgotten, and the visitor's home shown.
fn end(w: &AppWindow, ctx: &Arc<Ctx>, now: DateTime<Utc>, how: Ending) {
    let taken = std::mem::take(&mut ctx.visit().staff);
    if let Some(session) = taken.session {
        ctx.background.run(
            w.as_weak(),
            move |_| {
                // `touch` writes "logout_idle" for an idle session; a live
                // one is logged out by hand.
                if how == Ending::Idle && !session.touch(now) {
                    return;
                }
                session.logout(now);
            },
            |_, ()| {},
        );
    }
    if how == Ending::Idle {
        // As after a visitor's idle time: everything back to the defaults.
        start_again(w, ctx);
        w.global::<AppState>().set_notice(
            tr(
                ctx.lang(),
                "Режимът за служители беше затворен, защото никой не го ползваше.",
                "Staff mode was closed because nobody was using it.",
            )
            .into(),
        );
    }
    if how == Ending::Leave {
        go_home(w, ctx);
    }
}

/// "Leave staff mode".
fn leave(w: &AppWindow, ctx: &Arc<Ctx>) {
    end(w, ctx, ctx.clock.now(), Ending::Leave);
}

/// Called twice a second with the tick's `now`. Ends an idle session, or one
/// whose screen was left for a visitor's, and sends a staff screen with no
/// session home. Returns whether staff mode owns the screen, in which case
/// the visitor's idle question is not asked.
pub fn tick(w: &AppWindow, ctx: &Arc<Ctx>, now: Instant) -> bool {
    let screen = w.global::<AppState>().get_screen();
    let session = ctx.visit().staff.session.clone();
    let Some(session) = session else {
        if is_staff_screen(screen) {
            go_home(w, ctx);
        }
        return false;
    };
    // The tick's instant, moved onto the staff clock: tests pass a later
    // instant to stand for time gone by.
    let ahead = now.saturating_duration_since(Instant::now());
    let wall = ctx.clock.now() + chrono::Duration::from_std(ahead).unwrap_or_default();
    if !is_staff_screen(screen) {
        end(w, ctx, wall, Ending::Left);
        return false;
    }
    if session.is_expired(wall) {
        tracing::info!("staff mode closed after being idle");
        end(w, ctx, wall, Ending::Idle);
        return false;
    }
    true
}

/// A short "Done"/"Not done" outcome for the result boxes.
struct Outcome {
    kind: &'static str,
    text: String,
}

impl Outcome {
    fn ok(text: String) -> Self {
        Outcome { kind: "ok", text }
    }
    fn problem(lang: Lang, err: &StaffError) -> Self {
        Outcome {
            kind: "problem",
            text: text::problem(lang, err),
        }
    }
}
