//! Complaint, signal, proposal or praise: type, category, text, contact
//! (or anonymous with the health-and-safety confirmation), review with the
//! charter's notices, then the receipt screen with the number and what the
//! printer did.

use std::sync::Arc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use uuid::Uuid;

use crate::domain::Lang;
use crate::domain::ReceiptNumber;
use crate::domain::complaint::{ComplaintDraft, Field, Limits, Problem, finalize, review};
use crate::domain::hours::sofia_local;
use crate::domain::record::{ComplaintType, RecordData};
use crate::domain::spoken;
use crate::printer::{Outcome, PrinterError, PrinterStatus};
use crate::store::Submission;

use super::app::{enter, go_home, navigate};
use super::background::WorkerState;
use super::context::{ComplaintField, Ctx};
use super::edit::{backspace, push_key};
use super::words::{long_date, tr};
use super::{AppState, AppWindow, Choice, ComplaintAdapter, ReviewLine, Screen};

const TYPES: [ComplaintType; 4] = [
    ComplaintType::Complaint,
    ComplaintType::Signal,
    ComplaintType::Proposal,
    ComplaintType::Praise,
];

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<ComplaintAdapter>();
    let on = |f| super::wire::on(w, ctx, f);
    let on_str = |f| super::wire::on_str(w, ctx, f);
    a.on_choose_type(on_str(|w, ctx, id| {
        let ctype = ComplaintType::parse(&id);
        {
            let mut v = ctx.visit();
            v.complaint.ctype = ctype;
            v.complaint.problems.clear();
        }
        refresh(w, ctx);
        navigate(w, ctx, Screen::ComplaintCategory);
    }));
    a.on_choose_category(on_str(|w, ctx, id| {
        {
            let mut v = ctx.visit();
            v.complaint.category = id;
            v.complaint.field = ComplaintField::Text;
            v.complaint.problems.clear();
        }
        refresh(w, ctx);
        navigate(w, ctx, Screen::ComplaintText);
    }));
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_edit_field(move |i| {
            if let Some(w) = weak.upgrade() {
                let field = match i {
                    1 => ComplaintField::Name,
                    2 => ComplaintField::Address,
                    3 => ComplaintField::Phone,
                    4 => ComplaintField::Email,
                    _ => ComplaintField::Text,
                };
                {
                    let mut v = ctx.visit();
                    v.complaint.field = field;
                    v.complaint.problems.clear();
                }
                refresh(&w, &ctx);
                navigate(&w, &ctx, Screen::ComplaintText);
            }
        });
    }
    a.on_type_key(on_str(|w, ctx, key| {
        let limits = limits(ctx);
        {
            let mut v = ctx.visit();
            let field = v.complaint.field;
            let (text, max) = field_mut(&mut v.complaint, field, &limits);
            push_key(text, &key, max);
        }
        refresh(w, ctx);
    }));
    a.on_backspace(on(|w, ctx| {
        let limits = limits(ctx);
        {
            let mut v = ctx.visit();
            let field = v.complaint.field;
            backspace(field_mut(&mut v.complaint, field, &limits).0);
        }
        refresh(w, ctx);
    }));
    a.on_field_done(on(field_done));
    a.on_toggle_anonymous(on(|w, ctx| {
        {
            let mut v = ctx.visit();
            v.complaint.anonymous = !v.complaint.anonymous;
            v.complaint.health_safety = false;
            v.complaint.problems.clear();
        }
        refresh(w, ctx);
    }));
    a.on_toggle_health_safety(on(|w, ctx| {
        {
            let mut v = ctx.visit();
            v.complaint.health_safety = !v.complaint.health_safety;
            v.complaint.problems.clear();
        }
        refresh(w, ctx);
    }));
    a.on_to_review(on(to_review));
    a.on_edit(on(|w, ctx| {
        {
            let mut v = ctx.visit();
            v.complaint.field = ComplaintField::Text;
            v.complaint.problems.clear();
        }
        refresh(w, ctx);
        navigate(w, ctx, Screen::ComplaintText);
    }));
    a.on_submit(on(submit));
    a.on_reprint(on(reprint));
    a.on_finish(on(go_home));
}

/// A fresh form: the type screen.
pub fn start(w: &AppWindow, ctx: &Arc<Ctx>) {
    ctx.visit().complaint = Default::default();
    refresh(w, ctx);
}

fn limits(ctx: &Ctx) -> Limits {
    Limits {
        text: ctx.config.complaints.max_text_chars,
        ..Limits::default()
    }
}

fn field_mut<'a>(
    c: &'a mut super::context::ComplaintDraftState,
    field: ComplaintField,
    limits: &Limits,
) -> (&'a mut String, usize) {
    match field {
        ComplaintField::Text => (&mut c.text, limits.text),
        ComplaintField::Name => (&mut c.name, limits.name),
        ComplaintField::Address => (&mut c.address, limits.address),
        ComplaintField::Phone => (&mut c.phone, limits.phone),
        ComplaintField::Email => (&mut c.email, limits.email),
    }
}

fn draft(ctx: &Ctx) -> ComplaintDraft {
    let lang = ctx.lang();
    let v = ctx.visit();
    let c = &v.complaint;
    ComplaintDraft {
        ctype: c.ctype.unwrap_or(ComplaintType::Complaint),
        category: c.category.clone(),
        text: c.text.clone(),
        name: c.name.clone(),
        address: c.address.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        anonymous: c.anonymous,
        health_safety_confirmed: c.health_safety,
        lang,
    }
}

/// The due date a complaint filed now would get, for the review screen.
fn due_preview(ctx: &Ctx, d: &ComplaintDraft) -> Option<chrono::NaiveDate> {
    let today = sofia_local(ctx.clock.now()).date();
    crate::domain::answer::answer(d.filing(), today, true, &ctx.calendar).due_date()
}

fn field_done(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let field = ctx.visit().complaint.field;
    if field == ComplaintField::Text {
        if ctx.visit().complaint.text.trim().is_empty() {
            ctx.visit().complaint.problems = vec![Problem::EmptyText.message(lang)];
            refresh(w, ctx);
            return;
        }
        ctx.visit().complaint.problems.clear();
        refresh(w, ctx);
        let ctype = ctx.visit().complaint.ctype;
        // Proposals and praise need no answer: straight to the review, but
        // the visitor may still leave a name from there.
        navigate(w, ctx, Screen::ComplaintContact);
        let _ = ctype;
    } else {
        // Back to the contact screen without stacking it twice.
        let mut v = ctx.visit();
        if v.stack.last() == Some(&Screen::ComplaintContact) {
            v.stack.pop();
        }
        drop(v);
        refresh(w, ctx);
        enter(w, ctx, Screen::ComplaintContact);
    }
}

fn is_contact_problem(p: &Problem) -> bool {
    matches!(
        p,
        Problem::NameMissing
            | Problem::ContactMissing
            | Problem::HealthSafetyNotConfirmed
            | Problem::BadPhone
            | Problem::BadEmail
            | Problem::TooLong {
                field: Field::Name | Field::Address | Field::Phone | Field::Email,
                ..
            }
    )
}

fn to_review(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let d = draft(ctx);
    let r = review(&d, &ctx.config.complaints.categories, &limits(ctx));
    let contact: Vec<String> = r
        .problems
        .iter()
        .filter(|p| is_contact_problem(p))
        .map(|p| p.message(lang))
        .collect();
    if !contact.is_empty() {
        ctx.visit().complaint.problems = contact;
        refresh(w, ctx);
        return;
    }
    ctx.visit().complaint.problems.clear();
    refresh(w, ctx);
    navigate(w, ctx, Screen::ComplaintReview);
}

fn submit(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    if ctx.visit().complaint.sending || ctx.visit().complaint.number.is_some() {
        return;
    }
    let d = draft(ctx);
    let due = due_preview(ctx, &d);
    let complaint = match finalize(&d, &ctx.config.complaints.categories, &limits(ctx), due) {
        Ok(c) => c,
        Err(problems) => {
            ctx.visit().complaint.problems = problems.iter().map(|p| p.message(lang)).collect();
            refresh(w, ctx);
            return;
        }
    };
    ctx.visit().complaint.sending = true;
    w.global::<AppState>().set_busy(true);
    let ctx2 = ctx.clone();
    ctx.background.run(
        w.as_weak(),
        move |state| {
            let sub = Submission {
                data: RecordData::Complaint(complaint),
                print_receipt: true,
                demo: false,
            };
            ctx2.submit(&state.store, sub)
        },
        {
            let ctx = ctx.clone();
            move |w, result: Result<crate::store::Submitted, crate::store::StoreError>| {
                w.global::<AppState>().set_busy(false);
                ctx.visit().complaint.sending = false;
                match result {
                    Ok(done) => {
                        {
                            let mut v = ctx.visit();
                            v.complaint.number = done.number.as_ref().map(|n| n.to_string());
                            v.complaint.record = Some(done.id);
                            v.complaint.problems.clear();
                        }
                        let a = w.global::<ComplaintAdapter>();
                        let due = done.due_date.map(|d| match lang {
                            Lang::Bg => format!("Писмен отговор до {}", long_date(d, lang)),
                            Lang::En => format!("Written answer by {}", long_date(d, lang)),
                        });
                        let due_spoken = done.due_date.map(|d| match lang {
                            Lang::Bg => format!("Писмен отговор до {}", spoken::date(d, lang)),
                            Lang::En => format!("Written answer by {}", spoken::date(d, lang)),
                        });
                        a.set_due_spoken(due_spoken.unwrap_or_default().into());
                        a.set_due_text(due.unwrap_or_else(|| no_answer_text(&d, lang)).into());
                        a.set_printer_ok(true);
                        a.set_printer_text(tr(lang, "Отпечатваме разписката…", "Printing your receipt…").into());
                        refresh(w, &ctx);
                        navigate(w, &ctx, Screen::ComplaintReceipt);
                        print_in_background(w, &ctx, done.id, done.print_job);
                    }
                    Err(err) => {
                        tracing::error!(%err, "cannot store a complaint");
                        ctx.set_fault();
                        ctx.visit().complaint.problems = vec![tr(
                            lang,
                            "Записът не успя. Нищо не е изпратено. Моля, опитайте отново или се обърнете към деловодството.",
                            "Saving failed. Nothing was sent. Please try again or go to the registry desk.",
                        )
                        .into()];
                        refresh(w, &ctx);
                    }
                }
            }
        },
    );
}

/// What the receipt screen says when no written answer is due.
fn no_answer_text(d: &ComplaintDraft, lang: Lang) -> String {
    match (d.ctype, d.anonymous) {
        (ComplaintType::Complaint | ComplaintType::Signal, true) => tr(
            lang,
            "Анонимен сигнал: ще бъде разгледан, защото засяга здравето или сигурността на хората. Писмен отговор не се изпраща.",
            "Anonymous: it will be examined because it concerns people's health or safety. No written answer is sent.",
        ),
        _ => tr(
            lang,
            "Благодарим ви! Ще го предадем на ръководството.",
            "Thank you! We will pass it on to the management.",
        ),
    }
    .into()
}

fn print_in_background(w: &AppWindow, ctx: &Arc<Ctx>, record: Uuid, job: Option<i64>) {
    let lang = ctx.lang();
    let ctx2 = ctx.clone();
    ctx.background.run(
        w.as_weak(),
        move |state| {
            let _ = job;
            print_record(&ctx2, state, record)
        },
        move |w, outcome| {
            let (ok, text) = printer_words(&outcome, lang);
            let a = w.global::<ComplaintAdapter>();
            a.set_printer_ok(ok);
            a.set_printer_text(text.into());
        },
    );
}

fn reprint(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let Some(record) = ctx.visit().complaint.record else {
        return;
    };
    let a = w.global::<ComplaintAdapter>();
    a.set_printer_ok(true);
    a.set_printer_text(tr(lang, "Отпечатваме разписката…", "Printing your receipt…").into());
    let ctx2 = ctx.clone();
    ctx.background.run(
        w.as_weak(),
        move |state| {
            // The failed job stays failed, for the staff; a new one is queued.
            let at = ctx2.clock.now();
            match state.store.add_print_job(record, false, at) {
                Ok(_) => print_record(&ctx2, state, record),
                Err(err) => PrintResult::Failed(PrinterError::from(err)),
            }
        },
        move |w, outcome| {
            let (ok, text) = printer_words(&outcome, lang);
            let a = w.global::<ComplaintAdapter>();
            a.set_printer_ok(ok);
            a.set_printer_text(text.into());
        },
    );
}

/// How printing a record's receipt ended.
pub enum PrintResult {
    Printed(PrinterStatus),
    Failed(PrinterError),
}

/// Prints the pending receipt of `record` (adding a job when it has none)
/// and records what the printer said. Runs on the background worker.
pub fn print_record(ctx: &Ctx, state: &mut WorkerState, record: Uuid) -> PrintResult {
    let pending = match state.store.pending_print_jobs() {
        Ok(jobs) => jobs,
        Err(err) => return PrintResult::Failed(err.into()),
    };
    let job = match pending.iter().find(|j| j.record_id == record) {
        Some(j) => j.id,
        None => match state.store.add_print_job(record, false, ctx.clock.now()) {
            Ok(id) => id,
            Err(err) => return PrintResult::Failed(err.into()),
        },
    };
    let clock = ctx.clock.clone();
    let outcomes = match state.printer.run_pending(&move || clock.now()) {
        Ok(o) => o,
        Err(err) => return PrintResult::Failed(err),
    };
    let mut result = PrintResult::Failed(PrinterError::NoReceipt(format!(
        "print job {job} was not run"
    )));
    for outcome in outcomes {
        match outcome {
            Outcome::Printed { job: j, status } if j == job => {
                ctx.printer_status.set(status);
                result = PrintResult::Printed(status);
            }
            Outcome::Failed { job: j, error } if j == job => {
                ctx.printer_status.set(status_of(&error));
                result = PrintResult::Failed(error);
            }
            _ => {}
        }
    }
    result
}

/// The printer status an error implies, for the LED and staff.
fn status_of(error: &PrinterError) -> PrinterStatus {
    match error {
        PrinterError::NotReady(s) => *s,
        PrinterError::Unreachable { .. }
        | PrinterError::Timeout { .. }
        | PrinterError::StoppedAnswering => PrinterStatus::Offline,
        _ => PrinterStatus::Unknown,
    }
}

/// Whether the receipt came out, and what to tell the visitor.
pub fn printer_words(result: &PrintResult, lang: Lang) -> (bool, String) {
    let after = tr(
        lang,
        " Моля, запишете номера си: в деловодството могат да отпечатат разписката отново.",
        " Please note your number: the registry desk can print the receipt again.",
    );
    match result {
        PrintResult::Printed(PrinterStatus::PaperNearEnd) => (
            true,
            tr(
                lang,
                "Моля, вземете разписката си. (Хартията в принтера свършва: служителите са уведомени.)",
                "Please take your receipt. (The printer is running out of paper: the staff have been told.)",
            )
            .into(),
        ),
        PrintResult::Printed(_) => (true, tr(lang, "Моля, вземете разписката си.", "Please take your receipt.").into()),
        PrintResult::Failed(err) => {
            let first = match status_of(err) {
                PrinterStatus::PaperOut => tr(lang, "В принтера няма хартия.", "The printer is out of paper."),
                PrinterStatus::CoverOpen => tr(lang, "Капакът на принтера е отворен.", "The printer's cover is open."),
                _ => tr(lang, "Принтерът не отговаря.", "The printer is not answering."),
            };
            (false, format!("{first}{after}"))
        }
    }
}

pub fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let cfg = &ctx.config;
    let a = w.global::<ComplaintAdapter>();
    let d = draft(ctx);
    let (field, problems, number) = {
        let v = ctx.visit();
        (
            v.complaint.field,
            v.complaint.problems.clone(),
            v.complaint.number.clone(),
        )
    };
    let chosen_type = ctx.visit().complaint.ctype;

    let types: Vec<Choice> = TYPES
        .iter()
        .map(|t| Choice {
            id: t.as_str().into(),
            name: t.name(lang).into(),
            selected: chosen_type == Some(*t),
        })
        .collect();
    a.set_types(ModelRc::new(VecModel::from(types)));
    let hints: Vec<SharedString> = TYPES
        .iter()
        .map(|t| {
            match t {
                ComplaintType::Complaint => tr(
                    lang,
                    "нещо не е наред и искате писмен отговор",
                    "something went wrong and you want a written answer",
                ),
                ComplaintType::Signal => tr(
                    lang,
                    "нарушение, злоупотреба, корупция или опасност",
                    "wrongdoing, abuse, corruption or a danger",
                ),
                ComplaintType::Proposal => {
                    tr(lang, "идея как да работим по-добре", "an idea to do better")
                }
                ComplaintType::Praise => tr(
                    lang,
                    "благодарност към служител",
                    "thanks to a member of staff",
                ),
            }
            .into()
        })
        .collect();
    a.set_type_hints(ModelRc::new(VecModel::from(hints)));
    a.set_before_you_start(before_you_start(lang).into());
    a.set_type_name(d.ctype.name(lang).into());

    let cats: Vec<Choice> = cfg
        .complaints
        .categories
        .iter()
        .map(|c| Choice {
            id: c.id.as_str().into(),
            name: c.name.get(lang).into(),
            selected: d.category == c.id,
        })
        .collect();
    a.set_categories(ModelRc::new(VecModel::from(cats)));

    let limits = limits(ctx);
    let (label, hint, value, lines, max) = match field {
        ComplaintField::Text => (
            tr(lang, "Вашият текст", "Your text"),
            tr(
                lang,
                "Пишете с клавишите отдолу. Моля, не пишете ЕГН.",
                "Type with the keys below. Please do not write a personal number (ЕГН).",
            ),
            d.text.as_str(),
            3,
            limits.text,
        ),
        ComplaintField::Name => (
            Field::Name.label(lang),
            tr(lang, "Име и фамилия", "First and last name"),
            d.name.as_str(),
            1,
            limits.name,
        ),
        ComplaintField::Address => (
            tr(lang, "Пощенски адрес", "Postal address"),
            tr(
                lang,
                "Населено място, улица, номер",
                "Village or town, street, number",
            ),
            d.address.as_str(),
            2,
            limits.address,
        ),
        ComplaintField::Phone => (
            Field::Phone.label(lang),
            "0888 123 456",
            d.phone.as_str(),
            1,
            limits.phone,
        ),
        ComplaintField::Email => (
            Field::Email.label(lang),
            "ivan.petrov@abv.bg",
            d.email.as_str(),
            1,
            limits.email,
        ),
    };
    a.set_field_label(label.into());
    a.set_field_hint(hint.into());
    a.set_field_value(value.into());
    a.set_field_lines(lines);
    a.set_field_counter(format!("{}/{}", value.chars().count(), max).into());

    a.set_name(d.name.as_str().into());
    a.set_address(d.address.as_str().into());
    a.set_phone(d.phone.as_str().into());
    a.set_email(d.email.as_str().into());
    a.set_anonymous(d.anonymous);
    a.set_health_safety(d.health_safety_confirmed);
    let problems: Vec<SharedString> = problems.into_iter().map(Into::into).collect();
    a.set_problems(ModelRc::new(VecModel::from(problems)));

    // The review: what will be sent, the notices and the rules' warnings.
    let r = review(&d, &cfg.complaints.categories, &limits);
    let category = cfg
        .complaints
        .categories
        .iter()
        .find(|c| c.id == d.category)
        .map(|c| c.name.get(lang).to_owned())
        .unwrap_or_default();
    let mut lines = vec![
        ReviewLine {
            label: tr(lang, "Вид", "Kind").into(),
            value: d.ctype.name(lang).into(),
        },
        ReviewLine {
            label: tr(lang, "Тема", "Topic").into(),
            value: category.into(),
        },
        ReviewLine {
            label: tr(lang, "Текст", "Text").into(),
            value: r.cleaned.text.as_str().into(),
        },
    ];
    if d.anonymous {
        lines.push(ReviewLine {
            label: tr(lang, "Подател", "From").into(),
            value: tr(lang, "анонимно", "anonymous").into(),
        });
    } else {
        for (label, value) in [
            (Field::Name.label(lang), &r.cleaned.name),
            (tr(lang, "Адрес", "Address"), &r.cleaned.address),
            (Field::Phone.label(lang), &r.cleaned.phone),
            (Field::Email.label(lang), &r.cleaned.email),
        ] {
            if !value.is_empty() {
                lines.push(ReviewLine {
                    label: label.into(),
                    value: value.as_str().into(),
                });
            }
        }
    }
    a.set_review_lines(ModelRc::new(VecModel::from(lines)));
    let warnings: Vec<SharedString> = r.warnings.iter().map(|w| w.message(lang).into()).collect();
    a.set_warnings(ModelRc::new(VecModel::from(warnings)));
    let mut notices: Vec<SharedString> = Vec::new();
    match due_preview(ctx, &d) {
        Some(due) => notices.push(
            match lang {
                Lang::Bg => format!("Ще получите писмен отговор до {}", long_date(due, lang)),
                Lang::En => format!(
                    "You will receive a written answer by {}.",
                    long_date(due, lang)
                ),
            }
            .into(),
        ),
        None => notices.push(no_answer_text(&d, lang).into()),
    }
    notices.push(
        tr(
            lang,
            "Моля, не пишете ЕГН: не е нужно.",
            "Please do not write your personal number (ЕГН): it is not needed.",
        )
        .into(),
    );
    notices.push(cannot_answer(lang).into());
    notices.push(not_an_appeal(ctx, lang).into());
    a.set_notices(ModelRc::new(VecModel::from(notices)));

    let number = number.unwrap_or_default();
    a.set_number(number.as_str().into());
    // Digit by digit, so a listener can write it down; a number that does
    // not parse (never expected) is spelt as shown.
    let spoken_number = match number.parse::<ReceiptNumber>() {
        Ok(n) => spoken::receipt_number(&n, lang),
        Err(_) => number
            .chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" "),
    };
    a.set_number_spoken(spoken_number.into());
}

fn cannot_answer(lang: Lang) -> &'static str {
    tr(
        lang,
        "Администрацията не отговаря на въпроси за защита на личните данни (за тях: КЗЛД, www.cpdp.bg) и за класифицирана информация.",
        "The administration does not answer questions on personal-data protection (for those: the Commission for Personal Data Protection, www.cpdp.bg) or on classified information.",
    )
}

fn not_an_appeal(ctx: &Ctx, lang: Lang) -> String {
    let appeals = ctx.config.contacts.appeals.get(lang);
    match lang {
        Lang::Bg => format!("Жалбата тук не е обжалване на административен акт. {appeals}"),
        Lang::En => {
            format!("A complaint here is not an appeal against an administrative act. {appeals}")
        }
    }
}

/// The short form of the charter's notices, shown before anything is typed;
/// the review screen gives them in full.
fn before_you_start(lang: Lang) -> &'static str {
    tr(
        lang,
        "Това не е обжалване на административен акт. Не отговаряме на въпроси за лични данни и класифицирана информация. Можете да подадете и в деловодството, по пощата или на сайта.",
        "This is not an appeal against an administrative act. We do not answer questions on personal data or classified information. You can also file at the registry desk, by post or on the web site.",
    )
}
