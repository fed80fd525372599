//! Rate: a face, optional follow-ups (what went wrong or well, which desk,
//! which service), an optional comment, thanks, and a receipt on request.
//!
//! One tap on a face stores the rating at once (contract 1.1), open: a
//! visitor who walks away after it is counted. The follow-ups the visitor
//! then gives stay in the draft and complete that same record when the
//! visitor leaves the follow-up pages: by "Send", by going home or
//! elsewhere, or at the idle reset. Only then is it final and sent. One
//! visit to the faces is one record, never two: another face, a second
//! tap, a "Send" while the face is still being stored all change that one
//! record; a failed face tap is stored by "Send" instead.

use std::cell::RefCell;
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
    RatingDraft, RatingError, RatingRules, reasons_question, thanks_words, validate_rating,
};
use crate::domain::record::{Rating, RecordData};
use crate::store::{Closed, Submission, Submitted};

/// How far the rating got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// No face yet, or the face could not be stored ("Send" stores it).
    #[default]
    Editing,
    /// A face was touched; the store has not answered yet.
    Storing,
    /// Stored as this record, open for follow-ups (not sent yet).
    Open(Uuid),
    /// "Send" was touched: the follow-ups are being added and the record
    /// made final.
    Closing(Uuid),
    /// Final: stored as this record with everything the visitor gave.
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
    /// "Send" was touched while the face was being stored.
    send_when_stored: bool,
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
    /// The thanks page's title and line, fitting the score.
    pub thanks_title: String,
    pub thanks_line: String,
}

/// The rating flow.
pub struct RatingFlow {
    me: Weak<RatingFlow>,
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    draft: Fresh<Draft>,
    /// Ratings whose visitor left while the face was being stored: the
    /// generation asked in and what the visitor had given by then.
    left: RefCell<Vec<(u64, Option<Rating>)>>,
}

impl RatingFlow {
    pub fn new(kiosk: Rc<dyn Kiosk>, outlet: Rc<Outlet>, prefs: Rc<Prefs>) -> Rc<RatingFlow> {
        Rc::new_cyclic(|me| RatingFlow {
            me: me.clone(),
            kiosk,
            outlet,
            prefs,
            draft: Fresh::default(),
            left: RefCell::default(),
        })
    }

    /// A fresh rating (the faces page, or home): the one before is
    /// completed with what its visitor gave.
    pub fn start(&self) {
        self.leave();
        self.changed();
    }

    /// The visitor left the rating's pages: a stored rating is completed
    /// with the follow-ups given and made final, and the draft is forgotten.
    pub fn leave(&self) {
        let phase = self.phase();
        let given = self.rating().ok();
        match phase {
            Phase::Open(id) => self.close(id, given, None),
            Phase::Storing => self
                .left
                .borrow_mut()
                .push((self.draft.generation(), given)),
            Phase::Editing | Phase::Closing(_) | Phase::Stored(_) => {}
        }
        self.draft.restart();
    }

    /// How far the rating got.
    pub fn phase(&self) -> Phase {
        self.draft.borrow().phase
    }

    /// A face: the rating is stored at once, then on to the follow-ups.
    /// Another face before "Send" changes the same rating.
    pub fn choose_score(&self, score: u8) {
        let score = score.clamp(1, 5);
        match self.phase() {
            Phase::Editing => {
                *self.draft.borrow_mut() = Draft {
                    score,
                    phase: Phase::Storing,
                    ..Draft::default()
                };
                self.changed();
                self.outlet.emit(Event::Go(Page::Rate(RateStep::Details)));
                let face = self.rating();
                let Ok(face) = face else {
                    // Cannot happen for a score of 1-5; stored by "Send" then.
                    self.draft.borrow_mut().phase = Phase::Editing;
                    return;
                };
                let (me, generation) = (self.me.clone(), self.draft.generation());
                self.kiosk.open_rating(
                    face,
                    Box::new(move |result| {
                        if let Some(me) = me.upgrade() {
                            me.stored(generation, result);
                        }
                    }),
                );
            }
            Phase::Storing | Phase::Open(_) => {
                {
                    let mut d = self.draft.borrow_mut();
                    if d.score != score {
                        // The reasons offered depend on the score.
                        d.score = score;
                        d.reasons.clear();
                    }
                    d.problem = None;
                }
                self.changed();
                self.outlet.emit(Event::Go(Page::Rate(RateStep::Details)));
            }
            Phase::Closing(_) | Phase::Stored(_) => {}
        }
    }

    /// The face's record was stored (or not).
    fn stored(&self, generation: u64, result: Result<Submitted, SubmitError>) {
        if !self.draft.is_current(generation) {
            let given = {
                let mut left = self.left.borrow_mut();
                left.iter()
                    .position(|(g, _)| *g == generation)
                    .map(|i| left.remove(i).1)
            };
            match result {
                Ok(done) => self.close(done.id, given.flatten(), None),
                Err(err) => tracing::error!(%err, "cannot store a rating; its visitor has left"),
            }
            return;
        }
        match result {
            Ok(done) => {
                let send = {
                    let mut d = self.draft.borrow_mut();
                    d.phase = Phase::Open(done.id);
                    std::mem::take(&mut d.send_when_stored)
                };
                self.changed();
                if send {
                    self.send();
                }
            }
            Err(err) => {
                tracing::error!(%err, "cannot store a rating");
                {
                    let mut d = self.draft.borrow_mut();
                    d.phase = Phase::Editing;
                    d.send_when_stored = false;
                    d.problem = Some(Problem::NotSaved);
                }
                self.changed();
            }
        }
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

    /// "Send": completes the stored rating with the follow-ups and makes
    /// it final; stores it whole when the face could not be stored.
    /// Ignored once on its way or final.
    pub fn send(&self) {
        let rating = match self.rating() {
            Ok(r) => r,
            Err(err) => {
                self.draft.borrow_mut().problem = Some(Problem::Invalid(err));
                return self.changed();
            }
        };
        match self.phase() {
            Phase::Editing => self.submit_whole(rating),
            Phase::Storing => {
                self.draft.borrow_mut().send_when_stored = true;
                self.changed();
            }
            Phase::Open(id) => {
                self.draft.borrow_mut().phase = Phase::Closing(id);
                self.changed();
                self.close(id, Some(rating), Some(self.draft.generation()));
            }
            Phase::Closing(_) | Phase::Stored(_) => {}
        }
    }

    /// Completes record `id` with `rating` and makes it final; `generation`
    /// is the draft waiting for the answer (`None`: its visitor has left).
    fn close(&self, id: Uuid, rating: Option<Rating>, generation: Option<u64>) {
        let me = self.me.clone();
        self.kiosk.close_rating(
            id,
            rating,
            Box::new(move |result| {
                match &result {
                    Ok(Closed::Completed) => {}
                    Ok(Closed::AlreadyFinal) => tracing::warn!(
                        %id,
                        "a rating was final already; its last follow-ups were not added"
                    ),
                    Ok(Closed::Missing) => tracing::error!(%id, "a stored rating is missing"),
                    Err(err) => tracing::error!(%err, %id, "cannot complete a rating"),
                }
                if let (Some(me), Some(generation)) = (me.upgrade(), generation) {
                    me.closed(generation, id, result.is_ok());
                }
            }),
        );
    }

    fn closed(&self, generation: u64, id: Uuid, ok: bool) {
        if !self.draft.is_current(generation) {
            return;
        }
        {
            let mut d = self.draft.borrow_mut();
            if ok {
                d.phase = Phase::Stored(id);
                d.problem = None;
            } else {
                d.phase = Phase::Open(id);
                d.problem = Some(Problem::NotSaved);
            }
        }
        self.changed();
        if ok {
            self.outlet.emit(Event::Go(Page::Rate(RateStep::Thanks)));
        }
    }

    /// Stores the whole rating as final at once (the face tap was not stored).
    fn submit_whole(&self, rating: Rating) {
        self.draft.borrow_mut().phase = Phase::Storing;
        self.changed();
        let (me, generation) = (self.me.clone(), self.draft.generation());
        self.kiosk.submit(
            Submission {
                data: RecordData::Rating(rating),
                print_receipt: false,
                demo: false,
            },
            Box::new(move |result: Result<Submitted, SubmitError>| {
                let Some(me) = me.upgrade() else { return };
                if !me.draft.is_current(generation) {
                    tracing::info!("a rating was stored after its visitor had left the page");
                    return;
                }
                match result {
                    Ok(done) => me.closed(generation, done.id, true),
                    Err(err) => {
                        tracing::error!(%err, "cannot store a rating");
                        {
                            let mut d = me.draft.borrow_mut();
                            d.phase = Phase::Editing;
                            d.problem = Some(Problem::NotSaved);
                        }
                        me.changed();
                    }
                }
            }),
            Box::new(|_| {}),
        );
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

    /// Changes the draft while follow-ups may still be given.
    fn edit(&self, f: impl FnOnce(&mut Draft)) {
        {
            let mut d = self.draft.borrow_mut();
            if !matches!(d.phase, Phase::Editing | Phase::Storing | Phase::Open(_)) {
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
        let (thanks_title, thanks_line) = thanks_words(d.score.max(1), lang);
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
            sending: matches!(d.phase, Phase::Closing(_))
                || (d.phase == Phase::Storing && d.send_when_stored),
            print_state: match d.printing {
                Receipt::NotAsked => String::new(),
                Receipt::Printing => Notice::Printing.message(lang).to_owned(),
                Receipt::Done(outcome) => outcome.message(lang),
            },
            thanks_title: thanks_title.to_owned(),
            thanks_line: thanks_line.to_owned(),
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
    fn a_face_tap_alone_stores_the_rating_and_leaving_makes_it_final() {
        let (kiosk, outlet, flow) = flow();
        flow.choose_score(4);
        assert_eq!(
            outlet.take().last(),
            Some(&Event::Go(Page::Rate(RateStep::Details)))
        );
        kiosk.answer_all();
        let stored = kiosk.ratings();
        assert_eq!(stored.len(), 1, "stored at the face tap");
        assert!(stored[0].open, "not sent while follow-ups may come");
        assert_eq!(
            (stored[0].rating.score, stored[0].rating.lang),
            (4, Lang::Bg)
        );
        // The visitor walks away: home or the idle reset starts afresh.
        flow.start();
        kiosk.answer_all();
        let stored = kiosk.ratings();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].open, "final once the visitor left");
        assert!(kiosk.submitted().is_empty(), "no second record");
    }

    #[test]
    fn follow_ups_and_send_complete_the_same_rating() {
        let (kiosk, outlet, flow) = flow();
        let c = kiosk.config();
        flow.choose_score(1);
        kiosk.answer_all();
        assert_eq!(
            flow.view().reasons_question,
            "Какво не беше наред? (по желание)"
        );
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
        outlet.take();
        flow.send();
        assert!(flow.view().sending);
        kiosk.answer_all();
        assert!(matches!(flow.phase(), Phase::Stored(_)));
        assert_eq!(
            outlet.take().last(),
            Some(&Event::Go(Page::Rate(RateStep::Thanks)))
        );
        let stored = kiosk.ratings();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].open);
        let r = &stored[0].rating;
        assert_eq!(r.reasons, vec![reason]);
        assert_eq!(r.desk.as_deref(), Some(c.desks[0].id.as_str()));
        assert_eq!((r.service.as_deref(), r.comment.as_str()), (None, "Дълго"));
        // Leaving the thanks page changes nothing more.
        flow.start();
        kiosk.answer_all();
        assert_eq!(kiosk.ratings().len(), 1);
    }

    #[test]
    fn a_double_tap_another_face_and_an_early_send_make_one_rating() {
        let (kiosk, _, flow) = flow();
        flow.choose_score(5);
        flow.choose_score(5);
        flow.choose_score(2);
        flow.send();
        flow.send();
        assert!(flow.view().sending);
        kiosk.answer_all();
        flow.send();
        flow.choose_score(1);
        kiosk.answer_all();
        let stored = kiosk.ratings();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].rating.score, 2);
        assert!(!stored[0].open);
        assert!(kiosk.submitted().is_empty());
    }

    #[test]
    fn leaving_before_the_face_is_stored_still_completes_it_with_what_was_given() {
        let (kiosk, _, flow) = flow();
        let desk = kiosk.config().desks[0].id.clone();
        flow.choose_score(3);
        flow.choose_desk(&desk);
        flow.start();
        kiosk.answer_all();
        let stored = kiosk.ratings();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].open);
        assert_eq!(stored[0].rating.desk, Some(desk));
        assert_eq!(flow.phase(), Phase::Editing);
    }

    #[test]
    fn a_failed_face_tap_says_so_and_send_stores_the_whole_rating() {
        let (kiosk, _, flow) = flow();
        kiosk.fail_submissions(true);
        flow.choose_score(4);
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
        assert!(kiosk.ratings().is_empty());
        let sent = kiosk.submitted();
        assert_eq!(sent.len(), 1, "one record");
        let RecordData::Rating(r) = &sent[0].data else {
            panic!("not a rating: {sent:?}")
        };
        assert_eq!(r.score, 4);
    }

    #[test]
    fn a_failed_completion_keeps_the_rating_open_and_send_tries_again() {
        let (kiosk, _, flow) = flow();
        flow.choose_score(2);
        kiosk.answer_all();
        kiosk.fail_submissions(true);
        flow.send();
        kiosk.answer_all();
        assert!(matches!(flow.phase(), Phase::Open(_)));
        assert_ne!(flow.view().problem, "");
        kiosk.fail_submissions(false);
        flow.send();
        kiosk.answer_all();
        assert!(matches!(flow.phase(), Phase::Stored(_)));
        assert_eq!(kiosk.ratings().len(), 1);
    }

    #[test]
    fn the_thanks_page_does_not_cheer_a_low_rating() {
        let (kiosk, _, flow) = flow();
        flow.choose_score(1);
        kiosk.answer_all();
        let low = flow.view();
        assert_eq!(low.thanks_title, "Благодарим ви, че ни казахте.");
        assert!(low.thanks_line.starts_with("Съжаляваме"));
        flow.choose_score(5);
        assert_eq!(flow.view().thanks_title, "Благодарим ви за оценката!");
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
    fn finish_goes_home() {
        let (_, outlet, flow) = flow();
        flow.finish();
        assert_eq!(outlet.take(), [Event::Home]);
    }
}
