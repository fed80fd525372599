//! Rate: a face, optional follow-ups (what went wrong or well, which desk,
//! which service), an optional comment, thanks, and a receipt on request.
//!
//! The draft lives here until "Send"; sending turns it into one record
//! through the kiosk, at most once per visit to the faces: a second tap
//! while the first is on its way, or after it was stored, does nothing.
//! (Contract 1.1 stores a rating at the face tap and sends it once final;
//! that will keep this shape: [`RatingFlow::rating`] is the record the
//! draft stands for at any step, and [`Phase`] says how far it got.)

use std::rc::{Rc, Weak};

use uuid::Uuid;

use super::Choice;
use super::edit::{backspace, push_key};
use super::fresh::Fresh;
use super::kiosk::{Kiosk, PrintResult, SubmitError};
use super::outlet::{Event, Outlet, Part};
use super::router::{Page, RateStep};
use super::visit::Prefs;
use crate::domain::notices::{Notice, PrintOutcome};
use crate::domain::rating::{
    RatingDraft, RatingError, RatingRules, reasons_question, validate_rating,
};
use crate::domain::record::{Rating, RecordData};
use crate::store::{Submission, Submitted};

/// How far the rating got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// Being filled in.
    #[default]
    Editing,
    /// "Send" was touched; the store has not answered yet.
    Sending,
    /// Stored as this record.
    Stored(Uuid),
}

/// What the visitor is asked to fix, or told went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    Invalid(RatingError),
    NotSaved,
}

/// The receipt asked for on the thanks page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Receipt {
    #[default]
    NotAsked,
    Printing,
    Done(PrintOutcome),
}

#[derive(Debug, Default, Clone)]
struct Draft {
    score: u8,
    reasons: Vec<String>,
    desk: Option<String>,
    service: Option<String>,
    comment: String,
    problem: Option<Problem>,
    phase: Phase,
    printing: Receipt,
}

/// What the rating pages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingView {
    pub score: u8,
    pub reasons_question: String,
    pub reasons: Vec<Choice>,
    pub desks: Vec<Choice>,
    pub services: Vec<Choice>,
    pub comment: String,
    pub problem: String,
    /// "Send" was touched and no answer came yet.
    pub sending: bool,
    /// What became of the receipt asked for (empty: none asked).
    pub print_state: String,
}

/// The rating flow.
pub struct RatingFlow {
    me: Weak<RatingFlow>,
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    draft: Fresh<Draft>,
}

impl RatingFlow {
    pub fn new(kiosk: Rc<dyn Kiosk>, outlet: Rc<Outlet>, prefs: Rc<Prefs>) -> Rc<RatingFlow> {
        Rc::new_cyclic(|me| RatingFlow {
            me: me.clone(),
            kiosk,
            outlet,
            prefs,
            draft: Fresh::default(),
        })
    }

    /// A fresh rating (the faces page, or home).
    pub fn start(&self) {
        self.draft.restart();
        self.changed();
    }

    /// How far the rating got.
    pub fn phase(&self) -> Phase {
        self.draft.borrow().phase
    }

    /// A face: the score, and on to the follow-ups.
    pub fn choose_score(&self, score: u8) {
        if self.phase() != Phase::Editing {
            return;
        }
        *self.draft.borrow_mut() = Draft {
            score: score.clamp(1, 5),
            ..Draft::default()
        };
        self.changed();
        self.outlet.emit(Event::Go(Page::Rate(RateStep::Details)));
    }

    /// A reason on or off.
    pub fn toggle_reason(&self, id: &str) {
        self.edit(|d| match d.reasons.iter().position(|r| r == id) {
            Some(i) => {
                d.reasons.remove(i);
            }
            None => d.reasons.push(id.to_owned()),
        });
    }

    /// A desk chosen, or unchosen by a second touch.
    pub fn choose_desk(&self, id: &str) {
        self.edit(|d| toggle(&mut d.desk, id));
    }

    /// A service chosen, or unchosen by a second touch.
    pub fn choose_service(&self, id: &str) {
        self.edit(|d| toggle(&mut d.service, id));
    }

    /// A key of the comment's keyboard.
    pub fn type_key(&self, key: &str) {
        let max = self.rules().comment_max;
        self.edit(|d| {
            push_key(&mut d.comment, key, max);
        });
    }

    pub fn backspace(&self) {
        self.edit(|d| backspace(&mut d.comment));
    }

    /// "Send": stores the rating once. Ignored while one is on its way or
    /// after it was stored.
    pub fn send(&self) {
        if self.phase() != Phase::Editing {
            return;
        }
        let rating = match self.rating() {
            Ok(r) => r,
            Err(err) => {
                self.draft.borrow_mut().problem = Some(Problem::Invalid(err));
                return self.changed();
            }
        };
        self.draft.borrow_mut().phase = Phase::Sending;
        self.changed();
        let (me, generation) = (self.me.clone(), self.draft.generation());
        self.kiosk.submit(
            Submission {
                data: RecordData::Rating(rating),
                print_receipt: false,
                demo: false,
            },
            Box::new(move |result| {
                if let Some(me) = me.upgrade() {
                    me.stored(generation, result);
                }
            }),
            Box::new(|_| {}),
        );
    }

    fn stored(&self, generation: u64, result: Result<Submitted, SubmitError>) {
        if !self.draft.is_current(generation) {
            tracing::info!("a rating was stored after its visitor had left the page");
            return;
        }
        match result {
            Ok(done) => {
                {
                    let mut d = self.draft.borrow_mut();
                    d.phase = Phase::Stored(done.id);
                    d.problem = None;
                }
                self.changed();
                self.outlet.emit(Event::Go(Page::Rate(RateStep::Thanks)));
            }
            Err(err) => {
                tracing::error!(%err, "cannot store a rating");
                {
                    let mut d = self.draft.borrow_mut();
                    d.phase = Phase::Editing;
                    d.problem = Some(Problem::NotSaved);
                }
                self.changed();
            }
        }
    }

    /// "Print a receipt" on the thanks page: once.
    pub fn print_receipt(&self) {
        let Phase::Stored(id) = self.phase() else {
            return;
        };
        if self.draft.borrow().printing != Receipt::NotAsked {
            return;
        }
        self.draft.borrow_mut().printing = Receipt::Printing;
        self.changed();
        let (me, generation) = (self.me.clone(), self.draft.generation());
        self.kiosk.print(
            id,
            Box::new(move |result: PrintResult| {
                if let Some(me) = me.upgrade()
                    && me.draft.is_current(generation)
                {
                    me.draft.borrow_mut().printing = Receipt::Done(result.outcome());
                    me.changed();
                }
            }),
        );
    }

    /// "Done".
    pub fn finish(&self) {
        self.outlet.emit(Event::Home);
    }

    /// The record the draft stands for now.
    pub fn rating(&self) -> Result<Rating, RatingError> {
        let d = self.draft.borrow().clone();
        validate_rating(
            &RatingDraft {
                score: d.score,
                service: d.service,
                desk: d.desk,
                reasons: d.reasons,
                comment: d.comment,
                lang: self.prefs.lang(),
            },
            &self.rules(),
        )
    }

    fn rules(&self) -> RatingRules {
        let c = self.kiosk.config();
        RatingRules {
            low_reasons: c.rating.low_reasons.clone(),
            high_reasons: c.rating.high_reasons.clone(),
            services: c.services.iter().map(|s| s.id.clone()).collect(),
            desks: c.desks.iter().map(|d| d.id.clone()).collect(),
            comment_max: RatingRules::DEFAULT_COMMENT_MAX,
        }
    }

    /// Changes the draft while it is being filled in.
    fn edit(&self, f: impl FnOnce(&mut Draft)) {
        {
            let mut d = self.draft.borrow_mut();
            if d.phase != Phase::Editing {
                return;
            }
            f(&mut d);
            d.problem = None;
        }
        self.changed();
    }

    fn changed(&self) {
        self.outlet.emit(Event::Changed(Part::Rating));
    }

    /// The pages' contents in the visitor's language.
    pub fn view(&self) -> RatingView {
        let lang = self.prefs.lang();
        let c = self.kiosk.config();
        let d = self.draft.borrow().clone();
        let rules = self.rules();
        let reasons = rules
            .reasons_for(d.score.max(1))
            .iter()
            .filter_map(|id| c.rating.reasons.iter().find(|r| &r.id == id))
            .map(|r| Choice {
                id: r.id.clone(),
                name: r.name.get(lang).clone(),
                selected: d.reasons.contains(&r.id),
            })
            .collect();
        let choices = |items: &mut dyn Iterator<Item = (&String, &String)>,
                       chosen: &Option<String>| {
            items
                .map(|(id, name)| Choice {
                    id: id.clone(),
                    name: name.clone(),
                    selected: chosen.as_deref() == Some(id.as_str()),
                })
                .collect()
        };
        RatingView {
            score: d.score,
            reasons_question: reasons_question(d.score.max(1), lang).to_owned(),
            reasons,
            desks: choices(
                &mut c.desks.iter().map(|x| (&x.id, x.name.get(lang))),
                &d.desk,
            ),
            services: choices(
                &mut c.services.iter().map(|x| (&x.id, x.name.get(lang))),
                &d.service,
            ),
            comment: d.comment,
            problem: match &d.problem {
                Some(Problem::Invalid(err)) => err.message(lang),
                Some(Problem::NotSaved) => Notice::RatingNotSaved.message(lang).to_owned(),
                None => String::new(),
            },
            sending: d.phase == Phase::Sending,
            print_state: match d.printing {
                Receipt::NotAsked => String::new(),
                Receipt::Printing => Notice::Printing.message(lang).to_owned(),
                Receipt::Done(outcome) => outcome.message(lang),
            },
        }
    }
}

fn toggle(slot: &mut Option<String>, id: &str) {
    *slot = if slot.as_deref() == Some(id) {
        None
    } else {
        Some(id.to_owned())
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::flow::fake::FakeKiosk;

    fn flow() -> (Rc<FakeKiosk>, Rc<Outlet>, Rc<RatingFlow>) {
        let kiosk = FakeKiosk::new();
        let outlet = Outlet::new();
        let prefs = Prefs::new(kiosk.config());
        let flow = RatingFlow::new(kiosk.clone(), outlet.clone(), prefs);
        flow.start();
        outlet.take();
        (kiosk, outlet, flow)
    }

    #[test]
    fn a_face_then_send_stores_one_rating_and_thanks() {
        let (kiosk, outlet, flow) = flow();
        flow.choose_score(2);
        assert_eq!(
            outlet.take().last(),
            Some(&Event::Go(Page::Rate(RateStep::Details)))
        );
        assert_eq!(
            flow.view().reasons_question,
            "Какво не беше наред? (по желание)"
        );
        flow.send();
        assert!(flow.view().sending);
        kiosk.answer_all();
        assert!(matches!(flow.phase(), Phase::Stored(_)));
        assert_eq!(
            outlet.take().last(),
            Some(&Event::Go(Page::Rate(RateStep::Thanks)))
        );
        let sent = kiosk.submitted();
        assert_eq!(sent.len(), 1);
        let RecordData::Rating(r) = &sent[0].data else {
            panic!("not a rating: {sent:?}")
        };
        assert_eq!((r.score, r.lang), (2, Lang::Bg));
    }

    #[test]
    fn a_second_send_before_or_after_the_answer_stores_nothing_more() {
        let (kiosk, _, flow) = flow();
        flow.choose_score(5);
        flow.send();
        flow.send();
        kiosk.answer_all();
        flow.send();
        kiosk.answer_all();
        assert_eq!(kiosk.submitted().len(), 1);
    }

    #[test]
    fn follow_ups_and_a_comment_go_into_the_record() {
        let (kiosk, _, flow) = flow();
        let c = kiosk.config();
        flow.choose_score(1);
        let reason = c.rating.low_reasons[0].clone();
        flow.toggle_reason(&reason);
        flow.toggle_reason(&c.rating.low_reasons[1]);
        flow.toggle_reason(&c.rating.low_reasons[1]);
        flow.choose_desk(&c.desks[0].id);
        flow.choose_service(&c.services[0].id);
        flow.choose_service(&c.services[0].id);
        for k in ["Д", "ъ", "л", "г", "о", "x"] {
            flow.type_key(k);
        }
        flow.backspace();
        let v = flow.view();
        assert!(v.reasons.iter().any(|r| r.id == reason && r.selected));
        assert!(v.desks[0].selected && !v.services[0].selected);
        let r = flow.rating().unwrap();
        assert_eq!(r.reasons, vec![reason]);
        assert_eq!(r.desk.as_deref(), Some(c.desks[0].id.as_str()));
        assert_eq!((r.service, r.comment.as_str()), (None, "Дълго"));
        flow.send();
        kiosk.answer_all();
        let RecordData::Rating(stored) = &kiosk.submitted()[0].data else {
            panic!()
        };
        assert_eq!(stored.comment, "Дълго");
    }

    #[test]
    fn a_failed_store_says_so_and_lets_the_visitor_try_again() {
        let (kiosk, _, flow) = flow();
        kiosk.fail_submissions(true);
        flow.choose_score(4);
        flow.send();
        kiosk.answer_all();
        assert_eq!(flow.phase(), Phase::Editing);
        assert!(
            flow.view()
                .problem
                .starts_with("Оценката не можа да бъде записана")
        );
        kiosk.fail_submissions(false);
        flow.send();
        kiosk.answer_all();
        assert!(matches!(flow.phase(), Phase::Stored(_)));
        assert_eq!(flow.view().problem, "");
    }

    #[test]
    fn a_receipt_is_printed_once_on_request() {
        let (kiosk, _, flow) = flow();
        flow.print_receipt();
        assert!(kiosk.printed().is_empty(), "nothing stored yet");
        flow.choose_score(3);
        flow.send();
        kiosk.answer_all();
        flow.print_receipt();
        assert_eq!(flow.view().print_state, "Отпечатваме…");
        flow.print_receipt();
        kiosk.answer_all();
        assert_eq!(kiosk.printed().len(), 1);
        assert_eq!(flow.view().print_state, "Моля, вземете разписката си.");
    }

    #[test]
    fn an_answer_for_an_abandoned_rating_changes_nothing() {
        let (kiosk, outlet, flow) = flow();
        flow.choose_score(2);
        flow.send();
        flow.start();
        outlet.take();
        kiosk.answer_all();
        assert_eq!(flow.phase(), Phase::Editing);
        assert!(outlet.take().is_empty());
        assert_eq!(kiosk.submitted().len(), 1, "the record itself is kept");
    }

    #[test]
    fn finish_goes_home() {
        let (_, outlet, flow) = flow();
        flow.finish();
        assert_eq!(outlet.take(), [Event::Home]);
    }
}
