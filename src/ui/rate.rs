//! Rate: a face, optional follow-ups, an optional comment, thanks, and a
//! receipt on request.

use std::rc::Rc;

use slint::ComponentHandle;

use super::models::choices;
use super::wire::{on, on_int, on_str};
use super::{AppWindow, RateAdapter};
use crate::flow::Visit;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<RateAdapter>();
    a.on_choose_score(on_int(visit, |v, score| {
        v.rating.choose_score(u8::try_from(score).unwrap_or(3))
    }));
    a.on_toggle_reason(on_str(visit, |v, id| v.rating.toggle_reason(id)));
    a.on_choose_desk(on_str(visit, |v, id| v.rating.choose_desk(id)));
    a.on_choose_service(on_str(visit, |v, id| v.rating.choose_service(id)));
    a.on_type_key(on_str(visit, |v, k| v.rating.type_key(k)));
    a.on_backspace(on(visit, |v| v.rating.backspace()));
    a.on_send(on(visit, |v| v.rating.send()));
    a.on_print_receipt(on(visit, |v| v.rating.print_receipt()));
    a.on_finish(on(visit, |v| v.rating.finish()));
}

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.rating.view();
    let a = w.global::<RateAdapter>();
    a.set_score(i32::from(v.score));
    a.set_reasons_question(v.reasons_question.into());
    a.set_reasons(choices(&v.reasons));
    a.set_desks(choices(&v.desks));
    a.set_services(choices(&v.services));
    a.set_comment(v.comment.into());
    a.set_problem(v.problem.into());
    a.set_sending(v.sending);
    a.set_print_state(v.print_state.into());
    a.set_thanks_title(v.thanks_title.into());
    a.set_thanks_line(v.thanks_line.into());
}
