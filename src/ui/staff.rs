//! Staff entry: the PIN pad, and the staff screen behind it.

use std::sync::Arc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::app::{enter, go_home};
use super::context::Ctx;
use super::edit::{backspace, push_key};
use super::words::tr;
use super::{AppWindow, Screen, StaffAdapter};

/// Longest PIN the pad takes.
const PIN_MAX: usize = 12;

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
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_leave(move || {
            if let Some(w) = weak.upgrade() {
                go_home(&w, &ctx);
            }
        });
    }
}

/// A fresh PIN pad.
pub fn start(w: &AppWindow, ctx: &Arc<Ctx>) {
    ctx.visit().staff_pin.clear();
    w.global::<StaffAdapter>().set_message("".into());
    refresh(w, ctx);
}

pub fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    let n = ctx.visit().staff_pin.chars().count();
    w.global::<StaffAdapter>().set_pin_length(n as i32);
}

fn check_pin(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let pin = std::mem::take(&mut ctx.visit().staff_pin);
    refresh(w, ctx);
    let a = w.global::<StaffAdapter>();
    if ctx.config.staff.pin_hash.is_empty() {
        a.set_message(
            tr(
                lang,
                "Не е зададен ПИН за служители. Използвайте ключа за служители.",
                "No staff PIN is set. Use the staff key.",
            )
            .into(),
        );
        return;
    }
    let _ = pin;
    a.set_message(tr(lang, "Грешен ПИН.", "Wrong PIN.").into());
}

/// Opens the staff screen (after a PIN or the staff key).
pub fn open(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let printer = ctx.printer_status.get();
    ctx.background.run(
        w.as_weak(),
        move |state| state.store.outbox_counts(),
        move |w, counts| {
            let mut lines: Vec<SharedString> = Vec::new();
            lines.push(format!("{}: {}", tr(lang, "Принтер", "Printer"), printer.as_str()).into());
            match counts {
                Ok(c) => lines.push(
                    format!(
                        "{}: {} / {} / {}",
                        tr(
                            lang,
                            "Записи: чакат / изпратени / отказани",
                            "Records: waiting / delivered / rejected"
                        ),
                        c.pending,
                        c.delivered,
                        c.rejected
                    )
                    .into(),
                ),
                Err(err) => lines.push(err.to_string().into()),
            }
            w.global::<StaffAdapter>()
                .set_status_lines(ModelRc::new(VecModel::from(lines)));
        },
    );
    enter(w, ctx, Screen::StaffHome);
}
