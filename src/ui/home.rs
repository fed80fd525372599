//! Home screen: the live office status line, the date and the time.

use std::sync::Arc;

use slint::ComponentHandle;

use crate::domain::hours::{OfficeStatus, sofia_local, status_at};

use super::context::Ctx;
use super::words::long_date;
use super::{AppWindow, HomeAdapter};

pub fn connect(_w: &AppWindow, _ctx: &Arc<Ctx>) {}

/// Fills the whole screen in the current language.
pub fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    refresh_clock(w, ctx);
}

/// The status line, date and time as of now.
pub fn refresh_clock(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let now = ctx.clock.now();
    let local = sofia_local(now);
    let status = status_at(&ctx.calendar, &ctx.config.office_hours(), now);
    let a = w.global::<HomeAdapter>();
    a.set_status_line(status.describe(lang, local).into());
    a.set_open_now(matches!(status, OfficeStatus::Open { .. }));
    a.set_time_text(local.format("%H:%M").to_string().into());
    a.set_date_text(long_date(local.date(), lang).into());
}
