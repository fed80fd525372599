//! Reprinting a receipt by number: this kiosk's prefix, a year chosen with
//! two buttons (this year at first), the sequence typed on the pad. The
//! duplicate is queued and printed at once.

use std::sync::Arc;

use chrono::Datelike;
use slint::ComponentHandle;

use crate::domain::numbering::MAX_SEQUENCE;
use crate::domain::{Lang, ReceiptNumber};
use crate::staff::Staff;

use super::super::context::Ctx;
use super::super::edit::{backspace, push_key};
use super::super::words::tr;
use super::super::{AppWindow, StaffReprintAdapter};
use super::{Outcome, act, session};

/// Digits of the sequence part.
const DIGITS: usize = 6;
/// The first year a receipt can carry.
const FIRST_YEAR: i32 = 2000;

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<StaffReprintAdapter>();
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_digit(move |d| {
            if let Some(w) = weak.upgrade()
                && session(&w, &ctx).is_some()
            {
                {
                    let mut v = ctx.visit();
                    // No leading zeros: "000042" and "42" are the same number.
                    if !(v.staff.reprint_digits.is_empty() && d == "0") {
                        push_key(&mut v.staff.reprint_digits, &d, DIGITS);
                    }
                }
                refresh(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_erase(move || {
            if let Some(w) = weak.upgrade()
                && session(&w, &ctx).is_some()
            {
                backspace(&mut ctx.visit().staff.reprint_digits);
                refresh(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_change_year(move |delta| {
            if let Some(w) = weak.upgrade()
                && session(&w, &ctx).is_some()
            {
                let this_year = this_year(&ctx);
                {
                    let mut v = ctx.visit();
                    let year = year_of(v.staff.reprint_year, this_year);
                    v.staff.reprint_year = (year + delta).clamp(FIRST_YEAR, this_year);
                }
                refresh(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_reprint(move || {
            if let Some(w) = weak.upgrade() {
                reprint(&w, &ctx);
            }
        });
    }
}

fn this_year(ctx: &Ctx) -> i32 {
    Staff::today(ctx.clock.now()).year()
}

fn year_of(chosen: i32, this_year: i32) -> i32 {
    if chosen == 0 { this_year } else { chosen }
}

/// A fresh pad for this year.
pub fn open(w: &AppWindow, ctx: &Arc<Ctx>) {
    {
        let mut v = ctx.visit();
        v.staff.reprint_digits.clear();
        v.staff.reprint_year = 0;
    }
    let a = w.global::<StaffReprintAdapter>();
    a.set_result("".into());
    a.set_working(false);
    refresh(w, ctx);
}

/// "KV1-2026-000042": the typed digits with leading zeros; blanks when
/// nothing is typed yet.
fn shown(prefix: &str, year: i32, digits: &str) -> String {
    let seq = if digits.is_empty() {
        "_".repeat(DIGITS)
    } else {
        format!("{digits:0>DIGITS$}")
    };
    format!("{prefix}-{year}-{seq}")
}

fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    let this_year = this_year(ctx);
    let (year, digits) = {
        let v = ctx.visit();
        (
            year_of(v.staff.reprint_year, this_year),
            v.staff.reprint_digits.clone(),
        )
    };
    let a = w.global::<StaffReprintAdapter>();
    a.set_year(year);
    a.set_can_go_later(year < this_year);
    a.set_number(shown(&ctx.config.kiosk.receipt_prefix, year, &digits).into());
}

fn reprint(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let a = w.global::<StaffReprintAdapter>();
    if a.get_working() {
        return;
    }
    let (year, digits) = {
        let v = ctx.visit();
        (
            year_of(v.staff.reprint_year, this_year(ctx)),
            v.staff.reprint_digits.clone(),
        )
    };
    let sequence: u32 = digits.parse().unwrap_or(0);
    let number = match ReceiptNumber::new(&ctx.config.kiosk.receipt_prefix, year, sequence) {
        Ok(n) if sequence <= MAX_SEQUENCE => n,
        _ => {
            show(
                &a,
                Outcome {
                    kind: "problem",
                    text: tr(
                        lang,
                        "Въведете последните цифри от номера на разписката.",
                        "Type the last digits of the receipt's number.",
                    )
                    .to_owned(),
                },
            );
            return;
        }
    };
    a.set_working(true);
    let clock = ctx.clock.clone();
    act(
        w,
        ctx,
        move |s, state| {
            let job = s.reprint(&number)?;
            // Print it now, as a visitor's receipt would be.
            if let Err(err) = state.printer.run_pending(&move || clock.now()) {
                tracing::warn!(%err, job, "the reprint is queued but could not be printed yet");
            }
            Ok(number)
        },
        move |w, _, result| {
            let a = w.global::<StaffReprintAdapter>();
            a.set_working(false);
            let outcome = match result {
                Ok(n) => Outcome::ok(match lang {
                    Lang::Bg => format!("Дубликат на разписка {n} е изпратен за печат."),
                    Lang::En => format!("A duplicate of receipt {n} was sent to the printer."),
                }),
                Err(err) => Outcome::problem(lang, &err),
            };
            show(&a, outcome);
        },
    );
}

fn show(a: &StaffReprintAdapter, outcome: Outcome) {
    a.set_result_kind(outcome.kind.into());
    a.set_result(outcome.text.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_shows_leading_zeros_and_blanks() {
        assert_eq!(shown("KV1", 2026, "42"), "KV1-2026-000042");
        assert_eq!(shown("KV1", 2026, ""), "KV1-2026-______");
        assert_eq!(year_of(0, 2026), 2026);
        assert_eq!(year_of(2025, 2026), 2025);
    }
}
