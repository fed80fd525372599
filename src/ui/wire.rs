//! Small helpers for wiring a screen's callbacks: each hands the callback
//! the window and the shared context, and does nothing once the window is
//! gone.

use std::sync::Arc;

use slint::{ComponentHandle, SharedString};

use super::AppWindow;
use super::context::Ctx;

/// A callback without arguments that runs `f`.
pub fn on(w: &AppWindow, ctx: &Arc<Ctx>, f: fn(&AppWindow, &Arc<Ctx>)) -> impl Fn() + 'static {
    let (weak, ctx) = (w.as_weak(), ctx.clone());
    move || {
        if let Some(w) = weak.upgrade() {
            f(&w, &ctx)
        }
    }
}

/// A callback taking a string that runs `f` with it.
pub fn on_str(
    w: &AppWindow,
    ctx: &Arc<Ctx>,
    f: fn(&AppWindow, &Arc<Ctx>, String),
) -> impl Fn(SharedString) + 'static {
    let (weak, ctx) = (w.as_weak(), ctx.clone());
    move |s: SharedString| {
        if let Some(w) = weak.upgrade() {
            f(&w, &ctx, s.to_string())
        }
    }
}
