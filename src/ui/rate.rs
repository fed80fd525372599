//! Rate: a face, optional follow-ups, an optional comment, thanks, and a
//! receipt on request. The rating is stored when "Send" is touched.

use std::sync::Arc;

use slint::{ComponentHandle, ModelRc, VecModel};

use crate::domain::rating::{LOW_SCORE_MAX, RatingDraft, RatingRules, validate_rating};
use crate::domain::record::RecordData;
use crate::store::Submission;

use super::app::{go_home, navigate};
use super::context::Ctx;
use super::edit::{backspace, push_key};
use super::words::tr;
use super::{AppWindow, Choice, RateAdapter, Screen};

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<RateAdapter>();
    let on = |f| super::wire::on(w, ctx, f);
    let on_str = |f| super::wire::on_str(w, ctx, f);
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_choose_score(move |score| {
            if let Some(w) = weak.upgrade() {
                {
                    let mut v = ctx.visit();
                    v.rate = Default::default();
                    v.rate.score = u8::try_from(score).unwrap_or(3);
                }
                refresh(&w, &ctx);
                navigate(&w, &ctx, Screen::RateDetails);
            }
        });
    }
    a.on_toggle_reason(on_str(|w, ctx, id| {
        {
            let mut v = ctx.visit();
            let reasons = &mut v.rate.reasons;
            if let Some(i) = reasons.iter().position(|r| *r == id) {
                reasons.remove(i);
            } else {
                reasons.push(id);
            }
        }
        refresh(w, ctx);
    }));
    a.on_choose_desk(on_str(|w, ctx, id| {
        {
            let mut v = ctx.visit();
            v.rate.desk = if v.rate.desk.as_deref() == Some(&id) {
                None
            } else {
                Some(id)
            };
        }
        refresh(w, ctx);
    }));
    a.on_choose_service(on_str(|w, ctx, id| {
        {
            let mut v = ctx.visit();
            v.rate.service = if v.rate.service.as_deref() == Some(&id) {
                None
            } else {
                Some(id)
            };
        }
        refresh(w, ctx);
    }));
    a.on_type_key(on_str(|w, ctx, key| {
        push_key(&mut ctx.visit().rate.comment, &key, comment_max(ctx));
        refresh(w, ctx);
    }));
    a.on_backspace(on(|w, ctx| {
        backspace(&mut ctx.visit().rate.comment);
        refresh(w, ctx);
    }));
    a.on_send(on(send));
    a.on_print_receipt(on(print_receipt));
    a.on_finish(on(go_home));
}

fn comment_max(_ctx: &Ctx) -> usize {
    RatingRules::DEFAULT_COMMENT_MAX
}

fn rules(ctx: &Ctx) -> RatingRules {
    let c = &ctx.config;
    RatingRules {
        low_reasons: c.rating.low_reasons.clone(),
        high_reasons: c.rating.high_reasons.clone(),
        services: c.services.iter().map(|s| s.id.clone()).collect(),
        desks: c.desks.iter().map(|d| d.id.clone()).collect(),
        comment_max: comment_max(ctx),
    }
}

/// A fresh rating: the faces screen.
pub fn start(w: &AppWindow, ctx: &Arc<Ctx>) {
    ctx.visit().rate = Default::default();
    refresh(w, ctx);
}

pub fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let c = &ctx.config;
    let r = {
        let v = ctx.visit();
        (
            v.rate.score,
            v.rate.reasons.clone(),
            v.rate.desk.clone(),
            v.rate.service.clone(),
            v.rate.comment.clone(),
            v.rate.problem.clone(),
        )
    };
    let (score, reasons, desk, service, comment, problem) = r;
    let a = w.global::<RateAdapter>();
    a.set_score(i32::from(score));
    let rules = rules(ctx);
    let offered = rules.reasons_for(score.max(1));
    let reason_choices: Vec<Choice> = offered
        .iter()
        .filter_map(|id| c.rating.reasons.iter().find(|r| &r.id == id))
        .map(|r| Choice {
            id: r.id.as_str().into(),
            name: r.name.get(lang).into(),
            selected: reasons.contains(&r.id),
        })
        .collect();
    a.set_reasons(ModelRc::new(VecModel::from(reason_choices)));
    a.set_reasons_question(
        if score <= LOW_SCORE_MAX {
            tr(
                lang,
                "Какво не беше наред? (по желание)",
                "What went wrong? (optional)",
            )
        } else {
            tr(
                lang,
                "Какво ви хареса? (по желание)",
                "What was good? (optional)",
            )
        }
        .into(),
    );
    let desks: Vec<Choice> = c
        .desks
        .iter()
        .map(|d| Choice {
            id: d.id.as_str().into(),
            name: d.name.get(lang).into(),
            selected: desk.as_deref() == Some(d.id.as_str()),
        })
        .collect();
    a.set_desks(ModelRc::new(VecModel::from(desks)));
    let services: Vec<Choice> = c
        .services
        .iter()
        .map(|s| Choice {
            id: s.id.as_str().into(),
            name: s.name.get(lang).into(),
            selected: service.as_deref() == Some(s.id.as_str()),
        })
        .collect();
    a.set_services(ModelRc::new(VecModel::from(services)));
    a.set_comment(comment.into());
    a.set_problem(problem.into());
}

fn send(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let draft = {
        let v = ctx.visit();
        if v.rate.stored.is_some() {
            // Already sent (a second touch on "Send").
            return;
        }
        RatingDraft {
            score: v.rate.score,
            service: v.rate.service.clone(),
            desk: v.rate.desk.clone(),
            reasons: v.rate.reasons.clone(),
            comment: v.rate.comment.clone(),
            lang,
        }
    };
    let rating = match validate_rating(&draft, &rules(ctx)) {
        Ok(r) => r,
        Err(err) => {
            ctx.visit().rate.problem = err.message(lang);
            refresh(w, ctx);
            return;
        }
    };
    let ctx2 = ctx.clone();
    w.global::<super::AppState>().set_busy(true);
    ctx.background.run(
        w.as_weak(),
        move |state| {
            let sub = Submission {
                data: RecordData::Rating(rating),
                print_receipt: false,
                demo: false,
            };
            ctx2.submit(&state.store, sub)
        },
        {
            let ctx = ctx.clone();
            move |w, result: Result<crate::store::Submitted, crate::store::StoreError>| {
                w.global::<super::AppState>().set_busy(false);
                match result {
                    Ok(done) => {
                        {
                            let mut v = ctx.visit();
                            v.rate.stored = Some(done.id);
                            v.rate.problem.clear();
                        }
                        w.global::<RateAdapter>().set_print_state("".into());
                        navigate(w, &ctx, Screen::RateThanks);
                    }
                    Err(err) => {
                        tracing::error!(%err, "cannot store a rating");
                        ctx.set_fault();
                        ctx.visit().rate.problem = tr(
                            lang,
                            "Оценката не можа да бъде записана. Моля, опитайте отново или се обърнете към деловодството.",
                            "The rating could not be saved. Please try again or go to the registry desk.",
                        )
                        .into();
                        refresh(w, &ctx);
                    }
                }
            }
        },
    );
}

fn print_receipt(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let (id, printed) = {
        let v = ctx.visit();
        (v.rate.stored, v.rate.printed)
    };
    let Some(id) = id else { return };
    if printed {
        return;
    }
    ctx.visit().rate.printed = true;
    w.global::<RateAdapter>()
        .set_print_state(tr(lang, "Отпечатваме…", "Printing…").into());
    let ctx2 = ctx.clone();
    ctx.background.run(
        w.as_weak(),
        move |state| super::complaint::print_record(&ctx2, state, id),
        move |w, outcome| {
            w.global::<RateAdapter>()
                .set_print_state(super::complaint::printer_words(&outcome, lang).1.into());
        },
    );
}
