//! The staff home: the device's status and the tools (test page, today's
//! summary slip, export to a USB stick; the other screens by button).

use std::sync::Arc;

use slint::{ComponentHandle, ModelRc, VecModel};

use crate::domain::Lang;
use crate::domain::summary::Period;
use crate::printer::PrinterStatus;
use crate::staff::DeviceStatus;

use super::super::app::navigate;
use super::super::context::Ctx;
use super::super::words::tr;
use super::super::{AppWindow, Screen, StaffHomeAdapter, StatusRow};
use super::{Outcome, act, leave, session, text};

/// Records older than this waiting for the central system need a look.
const STALE_PENDING_HOURS: i64 = 24;

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<StaffHomeAdapter>();
    let with = |f: fn(&AppWindow, &Arc<Ctx>)| {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        move || {
            if let Some(w) = weak.upgrade() {
                f(&w, &ctx)
            }
        }
    };
    a.on_open_summary(with(|w, ctx| go(w, ctx, Screen::StaffSummary)));
    a.on_open_register(with(|w, ctx| go(w, ctx, Screen::StaffRegister)));
    a.on_open_reprint(with(|w, ctx| go(w, ctx, Screen::StaffReprint)));
    a.on_refresh(with(load_status));
    a.on_leave(with(leave));
    a.on_print_test(with(|w, ctx| {
        tool(w, ctx, |s| {
            s.print_test_page().map(|status| {
                (
                    tr(
                        s.lang,
                        "Пробната страница е отпечатана.",
                        "The test page was printed.",
                    )
                    .to_owned(),
                    status,
                )
            })
        })
    }));
    a.on_print_summary(with(|w, ctx| {
        tool(w, ctx, |s| {
            s.print_summary(Period::Today).map(|status| {
                (
                    tr(
                        s.lang,
                        "Справката за днес е отпечатана.",
                        "Today's summary slip was printed.",
                    )
                    .to_owned(),
                    status,
                )
            })
        })
    }));
    a.on_export(with(|w, ctx| {
        let lang = ctx.lang();
        let a = w.global::<StaffHomeAdapter>();
        a.set_working(true);
        act(
            w,
            ctx,
            |s, _| s.export(Period::ThisMonth),
            move |w, _, result| {
                let a = w.global::<StaffHomeAdapter>();
                a.set_working(false);
                show(&a, exported(lang, result));
            },
        );
    }));
}

/// What an export did, in words.
pub(super) fn exported(
    lang: Lang,
    result: Result<crate::staff::ExportDone, crate::staff::StaffError>,
) -> Outcome {
    match result {
        Ok(done) => Outcome::ok(match lang {
            Lang::Bg => format!(
                "Записани са {} файла в {} (жалби: {}).",
                done.files.len(),
                done.dir.display(),
                done.complaints
            ),
            Lang::En => format!(
                "{} files written to {} ({} complaints).",
                done.files.len(),
                done.dir.display(),
                done.complaints
            ),
        }),
        Err(err) => Outcome::problem(lang, &err),
    }
}

fn show(a: &StaffHomeAdapter, outcome: Outcome) {
    a.set_result_kind(outcome.kind.into());
    a.set_result(outcome.text.into());
}

/// A printing tool's session and language, for its sentence.
struct Tool<'a> {
    session: &'a crate::staff::StaffSession,
    lang: Lang,
}

impl std::ops::Deref for Tool<'_> {
    type Target = crate::staff::StaffSession;
    fn deref(&self) -> &Self::Target {
        self.session
    }
}

/// Runs a printing tool and says what came of it.
fn tool(
    w: &AppWindow,
    ctx: &Arc<Ctx>,
    f: fn(&Tool<'_>) -> Result<(String, PrinterStatus), crate::staff::StaffError>,
) {
    let lang = ctx.lang();
    w.global::<StaffHomeAdapter>().set_working(true);
    act(
        w,
        ctx,
        move |s, _| f(&Tool { session: s, lang }),
        move |w, ctx, result| {
            let a = w.global::<StaffHomeAdapter>();
            a.set_working(false);
            show(&a, printed(lang, ctx, result));
            load_status(w, ctx);
        },
    );
}

/// A printout's outcome; a printer that needs attention is said too.
pub(super) fn printed(
    lang: Lang,
    ctx: &Ctx,
    result: Result<(String, PrinterStatus), crate::staff::StaffError>,
) -> Outcome {
    match result {
        Ok((said, status)) => {
            ctx.printer_status.set(status);
            let (words, attention) = text::printer(lang, status);
            if attention {
                Outcome::ok(format!(
                    "{said} {}: {words}.",
                    tr(lang, "Принтер", "Printer")
                ))
            } else {
                Outcome::ok(said)
            }
        }
        Err(err) => Outcome::problem(lang, &err),
    }
}

fn go(w: &AppWindow, ctx: &Arc<Ctx>, screen: Screen) {
    if session(w, ctx).is_some() {
        navigate(w, ctx, screen);
    }
}

/// Fills the staff home afresh.
pub fn open(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<StaffHomeAdapter>();
    a.set_result("".into());
    a.set_working(false);
    load_status(w, ctx);
}

/// Reads the device status on the worker.
fn load_status(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let printer = ctx.printer_status.get();
    let central = !ctx.config.central.url.trim().is_empty();
    let sync = ctx.sync_status();
    act(
        w,
        ctx,
        move |s, _| s.device_status(Some(Ok(printer)), sync.as_ref()),
        move |w, _, result| {
            let rows = match result {
                Ok(status) => rows(lang, printer, central, &status),
                Err(err) => vec![StatusRow {
                    label: tr(lang, "Състояние", "Status").into(),
                    value: text::problem(lang, &err).into(),
                    problem: true,
                }],
            };
            w.global::<StaffHomeAdapter>()
                .set_status(ModelRc::new(VecModel::from(rows)));
        },
    );
}

/// The status page's lines.
fn rows(lang: Lang, printer: PrinterStatus, central: bool, s: &DeviceStatus) -> Vec<StatusRow> {
    let row = |label: &str, value: String, problem: bool| StatusRow {
        label: label.into(),
        value: value.into(),
        problem,
    };
    let (words, attention) = text::printer(lang, printer);
    let stale = s.oldest_pending_at.is_some_and(|t| {
        (s.at.with_timezone(&chrono::Utc) - t.with_timezone(&chrono::Utc)).num_hours()
            >= STALE_PENDING_HOURS
    });
    let pending = match s.oldest_pending_at {
        Some(t) => match lang {
            Lang::Bg => format!(
                "{}, най-старият от {}",
                s.pending,
                t.format("%d.%m.%Y %H:%M")
            ),
            Lang::En => format!(
                "{}, the oldest from {}",
                s.pending,
                t.format("%d.%m.%Y %H:%M")
            ),
        },
        None => s.pending.to_string(),
    };
    let last_sync = match (s.last_sync, central) {
        (Some(t), _) => t.format("%d.%m.%Y %H:%M").to_string(),
        (None, false) => tr(
            lang,
            "няма настроена централна система",
            "no central system is set up",
        )
        .to_owned(),
        (None, true) => tr(lang, "още няма", "not yet").to_owned(),
    };
    let disk = match s.disk {
        Some(d) => {
            let low = d.total > 0 && d.free.saturating_mul(10) < d.total;
            let value = match lang {
                Lang::Bg => format!(
                    "{} свободни от {}",
                    text::gigabytes(lang, d.free),
                    text::gigabytes(lang, d.total)
                ),
                Lang::En => format!(
                    "{} free of {}",
                    text::gigabytes(lang, d.free),
                    text::gigabytes(lang, d.total)
                ),
            };
            (value, low)
        }
        None => (tr(lang, "не е известно", "unknown").to_owned(), false),
    };
    vec![
        row(tr(lang, "Принтер", "Printer"), words.to_owned(), attention),
        row(
            tr(
                lang,
                "Записи, чакащи изпращане",
                "Records waiting to be sent",
            ),
            pending,
            stale,
        ),
        row(
            tr(
                lang,
                "Отказани от централната система",
                "Refused by the central system",
            ),
            s.rejected.to_string(),
            s.rejected > 0,
        ),
        row(
            tr(lang, "Последно изпращане", "Last sent"),
            last_sync,
            false,
        ),
        row(
            tr(lang, "Часовник", "Clock"),
            if s.clock_trusted {
                tr(lang, "сверен", "synchronised")
            } else {
                tr(
                    lang,
                    "НЕ е сверен: датите може да са грешни; проверете мрежата",
                    "NOT synchronised: dates may be wrong; check the network",
                )
            }
            .to_owned(),
            !s.clock_trusted,
        ),
        row(
            tr(lang, "Свободно място", "Free disk space"),
            disk.0,
            disk.1,
        ),
        row(
            tr(lang, "Версия", "Software version"),
            s.version.clone(),
            false,
        ),
        row(
            tr(lang, "Проверено в", "Checked at"),
            s.at.format("%H:%M:%S").to_string(),
            false,
        ),
    ]
}
