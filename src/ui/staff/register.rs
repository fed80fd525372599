//! The complaint register: the list (newest first) under one of four
//! filters, and "mark answered today" (or clear the mark) per entry.

use std::sync::Arc;

use slint::{ComponentHandle, ModelRc, VecModel};

use crate::domain::Lang;
use crate::staff::Staff;
use crate::store::{RegisterEntry, RegisterFilter, RegisterView};

use super::super::context::Ctx;
use super::super::words::tr;
use super::super::{AppWindow, RegisterRow, StaffRegisterAdapter};
use super::summary::Names;
use super::{act, text};

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<StaffRegisterAdapter>();
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_choose_filter(move |f| {
            if let Some(w) = weak.upgrade() {
                ctx.visit().staff.filter = f.clamp(0, 3);
                load(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_mark_answered(move |id| {
            if let Some(w) = weak.upgrade() {
                mark(&w, &ctx, &id, true);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_clear_answered(move |id| {
            if let Some(w) = weak.upgrade() {
                mark(&w, &ctx, &id, false);
            }
        });
    }
}

pub fn open(w: &AppWindow, ctx: &Arc<Ctx>) {
    load(w, ctx);
}

fn mark(w: &AppWindow, ctx: &Arc<Ctx>, id: &str, answered: bool) {
    let Ok(id) = uuid::Uuid::parse_str(id) else {
        tracing::error!(id, "the register screen gave an unreadable record id");
        return;
    };
    let lang = ctx.lang();
    let today = Staff::today(ctx.clock.now());
    act(
        w,
        ctx,
        move |s, _| s.mark_answered(id, answered.then_some(today)),
        move |w, ctx, result| match result {
            Ok(()) => load(w, ctx),
            Err(err) => w
                .global::<StaffRegisterAdapter>()
                .set_problem(text::problem(lang, &err).into()),
        },
    );
}

/// Reads the register under the chosen filter on the worker.
fn load(w: &AppWindow, ctx: &Arc<Ctx>) {
    let filter = ctx.visit().staff.filter;
    let today = Staff::today(ctx.clock.now());
    let a = w.global::<StaffRegisterAdapter>();
    a.set_filter(filter);
    a.set_loading(true);
    a.set_problem("".into());
    let only = match filter {
        1 => Some(RegisterView::Flagged),
        2 => Some(RegisterView::DueSoon { today }),
        3 => Some(RegisterView::Overdue { today }),
        _ => None,
    };
    let lang = ctx.lang();
    act(
        w,
        ctx,
        move |s, _| {
            s.register(&RegisterFilter {
                filed: None,
                only,
                include_demo: false,
            })
        },
        move |w, ctx, result| {
            let a = w.global::<StaffRegisterAdapter>();
            a.set_loading(false);
            match result {
                Ok(list) => {
                    let names = Names {
                        lang,
                        config: &ctx.config,
                    };
                    let rows: Vec<RegisterRow> = list
                        .iter()
                        .rev()
                        .map(|e| row(lang, &names, today, e))
                        .collect();
                    a.set_entries(ModelRc::new(VecModel::from(rows)));
                }
                Err(err) => {
                    a.set_entries(ModelRc::default());
                    a.set_problem(text::problem(lang, &err).into());
                }
            }
        },
    );
}

fn row(lang: Lang, names: &Names<'_>, today: chrono::NaiveDate, e: &RegisterEntry) -> RegisterRow {
    let overdue = e.answered_on.is_none() && e.due_date.is_some_and(|d| d < today);
    let filed = format!(
        "{} {}",
        tr(lang, "Подадена", "Filed"),
        text::date(e.filed_on)
    );
    let due = match e.due_date {
        Some(d) if overdue => format!(
            "{} {} — {}",
            tr(lang, "Срок за отговор", "Answer due"),
            text::date(d),
            tr(lang, "ПРОСРОЧЕНА", "OVERDUE")
        ),
        Some(d) => format!(
            "{} {}",
            tr(lang, "Срок за отговор", "Answer due"),
            text::date(d)
        ),
        None => tr(lang, "Не се дължи писмен отговор", "No written answer owed").to_owned(),
    };
    let answer = match e.answered_on {
        Some(d) => format!(
            "{} {}",
            tr(lang, "Отговорено на", "Answered on"),
            text::date(d)
        ),
        None => tr(lang, "Без отговор", "Not answered").to_owned(),
    };
    let flags = if e.flags.is_empty() {
        String::new()
    } else {
        let words: Vec<String> = e.flags.iter().map(|f| text::flag(lang, f)).collect();
        format!("{}: {}", tr(lang, "Отбелязано", "Flags"), words.join(", "))
    };
    RegisterRow {
        id: e.id.to_string().into(),
        number: e
            .number
            .as_ref()
            .map_or_else(|| e.id.to_string(), ToString::to_string)
            .into(),
        kind: e.ctype.name(lang).into(),
        category: names.category(&e.category).into(),
        filed: filed.into(),
        due: due.into(),
        answer: answer.into(),
        answered: e.answered_on.is_some(),
        flags: flags.into(),
        urgent: overdue,
    }
}
