//! Complaint, signal, proposal or praise: type, category, text, contact
//! (or anonymous with the health-and-safety confirmation), the review with
//! the charter's notices, then the receipt page with the number, what the
//! filer is told about the answer and what the printer did.
//!
//! The draft lives here until "Send". Sending stores one record, at most
//! once: a second tap while the first is on its way, or after the number is
//! shown, does nothing. The receipt is printed by the kiosk after the
//! commit whatever the visitor does next; the number is on screen first.

use std::rc::{Rc, Weak};

use uuid::Uuid;

use super::Choice;
use super::edit::{backspace, push_key};
use super::fresh::Fresh;
use super::kiosk::{Kiosk, PrintResult, SubmitError};
use super::outlet::{Event, Outlet, Part};
use super::router::{ComplaintStep, Page};
use super::visit::Prefs;
use crate::domain::answer::{self, Answer};
use crate::domain::charter;
use crate::domain::check_code::CheckCode;
use crate::domain::complaint::{ComplaintDraft, Field, Keys, Limits, Problem, finalize, review};
use crate::domain::hours::sofia_local;
use crate::domain::notices::{Notice, PrintOutcome};
use crate::domain::record::{Complaint, ComplaintType, RecordData};
use crate::domain::{Lang, ReceiptNumber, spoken};
use crate::store::{Submission, Submitted};

/// The four kinds, in the order the first page offers them.
pub const TYPES: [ComplaintType; 4] = [
    ComplaintType::Complaint,
    ComplaintType::Signal,
    ComplaintType::Proposal,
    ComplaintType::Praise,
];

/// What stops the next step, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shown {
    Rule(Problem),
    NotSaved,
}

/// How far the form got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    Editing,
    /// "Send" was touched; the store has not answered yet.
    Sending,
    /// Stored: its number and what the filer was told.
    Sent {
        record: Uuid,
        number: Option<ReceiptNumber>,
        check_code: Option<CheckCode>,
        answer: Answer,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Printing {
    Printing,
    Done(PrintOutcome),
}

#[derive(Debug, Clone)]
struct Draft {
    ctype: Option<ComplaintType>,
    category: String,
    text: String,
    name: String,
    address: String,
    phone: String,
    email: String,
    anonymous: bool,
    health_safety: bool,
    /// Which field the keyboard writes into.
    field: Field,
    problems: Vec<Shown>,
    phase: Phase,
    printing: Printing,
    /// "Try printing again" touched so far (at most [`MAX_REPRINTS`]).
    reprints: u8,
}

/// How often the visitor may try printing a receipt again: a printer that
/// failed twice needs staff, and the number is on screen.
pub const MAX_REPRINTS: u8 = 2;

impl Default for Draft {
    fn default() -> Self {
        Draft {
            ctype: None,
            category: String::new(),
            text: String::new(),
            name: String::new(),
            address: String::new(),
            phone: String::new(),
            email: String::new(),
            anonymous: false,
            health_safety: false,
            field: Field::Text,
            problems: Vec::new(),
            phase: Phase::Editing,
            printing: Printing::Printing,
            reprints: 0,
        }
    }
}

/// The review: what will be sent, cleaned as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewView {
    pub text: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

/// What the complaint pages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintView {
    pub types: Vec<Choice>,
    pub type_hints: Vec<String>,
    pub before_you_start: String,
    pub type_name: String,
    pub categories: Vec<Choice>,
    pub category_name: String,
    /// The field being typed: 0 text, 1 name, 2 address, 3 phone, 4 e-mail.
    pub field: i32,
    pub field_value: String,
    pub field_lines: i32,
    /// The keys the keyboard opens with for the field: 0 Cyrillic, 1 Latin,
    /// 2 digits (the keyboard's own numbering).
    pub field_keys: i32,
    pub field_counter: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub anonymous: bool,
    pub health_safety: bool,
    pub problems: Vec<String>,
    pub review: ReviewView,
    pub warnings: Vec<String>,
    pub notices: Vec<String>,
    pub sending: bool,
    pub number: String,
    pub number_spoken: String,
    /// The check code (contract 1.2), shown beside the number; empty on
    /// records from before it.
    pub check_code: String,
    /// The code spelt character by character, for read-aloud.
    pub check_code_spoken: String,
    pub due_text: String,
    pub due_spoken: String,
    pub printer_ok: bool,
    /// "Try printing again" is offered (a failed print, tries left).
    pub can_reprint: bool,
    pub printer_text: String,
}

/// The complaint flow.
pub struct ComplaintFlow {
    me: Weak<ComplaintFlow>,
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    draft: Fresh<Draft>,
}

impl ComplaintFlow {
    pub fn new(kiosk: Rc<dyn Kiosk>, outlet: Rc<Outlet>, prefs: Rc<Prefs>) -> Rc<ComplaintFlow> {
        Rc::new_cyclic(|me| ComplaintFlow {
            me: me.clone(),
            kiosk,
            outlet,
            prefs,
            draft: Fresh::default(),
        })
    }

    /// A fresh form (the type page, or home).
    pub fn start(&self) {
        self.draft.restart();
        self.changed();
    }

    /// How far the form got.
    pub fn phase(&self) -> Phase {
        self.draft.borrow().phase.clone()
    }

    /// Whether leaving now would throw away something the visitor typed
    /// (a text or contact details not yet sent).
    pub fn has_typed(&self) -> bool {
        let d = self.draft.borrow();
        d.phase == Phase::Editing
            && [&d.text, &d.name, &d.address, &d.phone, &d.email]
                .iter()
                .any(|f| !f.trim().is_empty())
    }

    /// Step 1: the kind.
    pub fn choose_type(&self, id: &str) {
        let ctype = ComplaintType::parse(id);
        if !self.edit(|d| d.ctype = ctype) {
            return;
        }
        self.go(ComplaintStep::Category);
    }

    /// Step 2: the topic; then the text.
    pub fn choose_category(&self, id: &str) {
        if !self.edit(|d| {
            d.category = id.to_owned();
            d.field = Field::Text;
        }) {
            return;
        }
        self.go(ComplaintStep::Text);
    }

    /// A line of the contact page (or the text) to type into.
    pub fn edit_field(&self, field: Field) {
        if !self.edit(|d| d.field = field) {
            return;
        }
        self.go(ComplaintStep::Text);
    }

    /// A key of the keyboard, into the field being typed.
    pub fn type_key(&self, key: &str) {
        let limits = self.limits();
        self.edit(|d| {
            let (text, max) = field_mut(d, &limits);
            push_key(text, key, max);
        });
    }

    pub fn backspace(&self) {
        let limits = self.limits();
        self.edit(|d| backspace(field_mut(d, &limits).0));
    }

    /// "Next" under the keyboard: from the text to the contact page (not
    /// with an empty text), from a contact field back to it.
    pub fn field_done(&self) {
        let (field, empty) = {
            let d = self.draft.borrow();
            (d.field, d.text.trim().is_empty())
        };
        if field == Field::Text {
            if empty {
                self.draft.borrow_mut().problems = vec![Shown::Rule(Problem::EmptyText)];
                return self.changed();
            }
            self.edit(|_| {});
            self.go(ComplaintStep::Contact);
        } else {
            self.edit(|_| {});
            self.outlet
                .emit(Event::Replace(Page::Complaint(ComplaintStep::Contact)));
        }
    }

    pub fn toggle_anonymous(&self) {
        self.edit(|d| {
            d.anonymous = !d.anonymous;
            d.health_safety = false;
        });
    }

    pub fn toggle_health_safety(&self) {
        self.edit(|d| d.health_safety = !d.health_safety);
    }

    /// "Next" on the contact page: on to the review unless the contact
    /// (or the anonymity) is not in order.
    pub fn to_review(&self) {
        let r = review(&self.draft(), &self.categories(), &self.limits());
        let contact: Vec<Shown> = r
            .problems
            .into_iter()
            .filter(is_contact_problem)
            .map(Shown::Rule)
            .collect();
        if !contact.is_empty() {
            self.draft.borrow_mut().problems = contact;
            return self.changed();
        }
        self.edit(|_| {});
        self.go(ComplaintStep::Review);
    }

    /// "Change" on the review: back to the text.
    pub fn change(&self) {
        if !self.edit(|d| d.field = Field::Text) {
            return;
        }
        self.go(ComplaintStep::Text);
    }

    /// What the filer would be told if the form were sent now.
    pub fn answer_now(&self) -> Answer {
        let today = sofia_local(self.kiosk.now()).date();
        answer::answer(
            self.draft().filing(),
            today,
            self.kiosk.clock_trusted(),
            self.kiosk.calendar(),
        )
    }

    /// "Send": stores the record once and, after the commit, prints its
    /// receipt. Ignored while one is on its way or after it was stored.
    pub fn submit(&self) {
        if self.phase() != Phase::Editing {
            return;
        }
        let due = self.answer_now().due_date();
        let complaint = match finalize(&self.draft(), &self.categories(), &self.limits(), due) {
            Ok(c) => c,
            Err(problems) => {
                self.draft.borrow_mut().problems = problems.into_iter().map(Shown::Rule).collect();
                return self.changed();
            }
        };
        self.draft.borrow_mut().phase = Phase::Sending;
        self.changed();
        let generation = self.draft.generation();
        let (me, me2) = (self.me.clone(), self.me.clone());
        self.kiosk.submit(
            Submission {
                data: RecordData::Complaint(complaint.clone()),
                print_receipt: true,
                demo: false,
            },
            Box::new(move |result| {
                if let Some(me) = me.upgrade() {
                    me.stored(generation, complaint, result);
                }
            }),
            Box::new(move |result| {
                if let Some(me) = me2.upgrade() {
                    me.printed(generation, &result);
                }
            }),
        );
    }

    fn stored(
        &self,
        generation: u64,
        complaint: Complaint,
        result: Result<Submitted, SubmitError>,
    ) {
        if !self.draft.is_current(generation) {
            tracing::info!("a complaint was stored after its visitor had left the page");
            return;
        }
        match result {
            Ok(done) => {
                let stored = Complaint {
                    due_date: done.due_date,
                    ..complaint
                };
                {
                    let mut d = self.draft.borrow_mut();
                    d.phase = Phase::Sent {
                        record: done.id,
                        number: done.number,
                        check_code: done.check_code,
                        answer: answer::stored(&stored, done.clock_trusted),
                    };
                    d.problems.clear();
                }
                self.changed();
                self.go(ComplaintStep::Receipt);
            }
            Err(err) => {
                tracing::error!(%err, "cannot store a complaint");
                {
                    let mut d = self.draft.borrow_mut();
                    d.phase = Phase::Editing;
                    d.problems = vec![Shown::NotSaved];
                }
                self.changed();
            }
        }
    }

    fn printed(&self, generation: u64, result: &PrintResult) {
        if !self.draft.is_current(generation) {
            return;
        }
        self.draft.borrow_mut().printing = Printing::Done(result.outcome());
        self.changed();
    }

    /// "Try printing again" after a failed print: a new job, printed now;
    /// at most [`MAX_REPRINTS`] times.
    pub fn reprint(&self) {
        let record = {
            let d = self.draft.borrow();
            match (&d.phase, d.printing) {
                (Phase::Sent { record, .. }, Printing::Done(outcome))
                    if !outcome.printed() && d.reprints < MAX_REPRINTS =>
                {
                    *record
                }
                _ => return,
            }
        };
        {
            let mut d = self.draft.borrow_mut();
            d.printing = Printing::Printing;
            d.reprints += 1;
        }
        self.changed();
        let (me, generation) = (self.me.clone(), self.draft.generation());
        self.kiosk.reprint(
            record,
            Box::new(move |result| {
                if let Some(me) = me.upgrade() {
                    me.printed(generation, &result);
                }
            }),
        );
    }

    /// "Done".
    pub fn finish(&self) {
        self.outlet.emit(Event::Home);
    }

    fn go(&self, step: ComplaintStep) {
        self.outlet.emit(Event::Go(Page::Complaint(step)));
    }

    /// Changes the draft while it is being filled in, clearing the problems
    /// shown; false (and nothing changed) once it is sent.
    fn edit(&self, f: impl FnOnce(&mut Draft)) -> bool {
        {
            let mut d = self.draft.borrow_mut();
            if d.phase != Phase::Editing {
                return false;
            }
            f(&mut d);
            d.problems.clear();
        }
        self.changed();
        true
    }

    fn changed(&self) {
        self.outlet.emit(Event::Changed(Part::Complaint));
    }

    fn limits(&self) -> Limits {
        Limits {
            text: self.kiosk.config().complaints.max_text_chars,
            ..Limits::default()
        }
    }

    fn categories(&self) -> Vec<crate::domain::complaint::Category> {
        self.kiosk.config().complaints.categories.clone()
    }

    fn draft(&self) -> ComplaintDraft {
        let d = self.draft.borrow();
        ComplaintDraft {
            ctype: d.ctype.unwrap_or(ComplaintType::Complaint),
            category: d.category.clone(),
            text: d.text.clone(),
            name: d.name.clone(),
            address: d.address.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
            anonymous: d.anonymous,
            health_safety_confirmed: d.health_safety,
            lang: self.prefs.lang(),
        }
    }

    /// The pages' contents in the visitor's language.
    pub fn view(&self) -> ComplaintView {
        let lang = self.prefs.lang();
        let config = self.kiosk.config();
        let draft = self.draft();
        let d = self.draft.borrow().clone();
        let limits = self.limits();
        let r = review(&draft, &config.complaints.categories, &limits);
        let (field_value, field_lines, max) = match d.field {
            Field::Text => (&d.text, 3, limits.text),
            Field::Name => (&d.name, 1, limits.name),
            Field::Address => (&d.address, 2, limits.address),
            Field::Phone => (&d.phone, 1, limits.phone),
            Field::Email => (&d.email, 1, limits.email),
        };
        let (number, check_code, answer) = match &d.phase {
            Phase::Sent {
                number,
                check_code,
                answer,
                ..
            } => (number.clone(), *check_code, Some(*answer)),
            _ => (None, None, None),
        };
        let (printer_ok, printer_text) = match d.printing {
            Printing::Printing => (true, Notice::PrintingReceipt.message(lang).to_owned()),
            Printing::Done(outcome) => (outcome.printed(), outcome.message(lang)),
        };
        let can_reprint = !printer_ok && d.reprints < MAX_REPRINTS;
        ComplaintView {
            types: TYPES
                .iter()
                .map(|t| Choice {
                    id: t.as_str().to_owned(),
                    name: t.name(lang).to_owned(),
                    selected: d.ctype == Some(*t),
                })
                .collect(),
            type_hints: TYPES.iter().map(|t| t.hint(lang).to_owned()).collect(),
            before_you_start: charter::before_you_start(lang).to_owned(),
            type_name: draft.ctype.name(lang).to_owned(),
            categories: config
                .complaints
                .categories
                .iter()
                .map(|c| Choice {
                    id: c.id.clone(),
                    name: c.name.get(lang).clone(),
                    selected: d.category == c.id,
                })
                .collect(),
            category_name: config
                .complaints
                .categories
                .iter()
                .find(|c| c.id == d.category)
                .map(|c| c.name.get(lang).clone())
                .unwrap_or_default(),
            field: field_index(d.field),
            field_counter: format!("{}/{}", field_value.chars().count(), max),
            field_value: field_value.clone(),
            field_lines,
            field_keys: match d.field.keys() {
                Keys::Cyrillic => 0,
                Keys::Latin => 1,
                Keys::Digits => 2,
            },
            name: d.name.clone(),
            address: d.address.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
            anonymous: d.anonymous,
            health_safety: d.health_safety,
            problems: d.problems.iter().map(|p| shown(p, lang)).collect(),
            review: ReviewView {
                text: r.cleaned.text.clone(),
                name: r.cleaned.name.clone(),
                address: r.cleaned.address.clone(),
                phone: r.cleaned.phone.clone(),
                email: r.cleaned.email.clone(),
            },
            warnings: r.warnings.iter().map(|w| w.message(lang)).collect(),
            notices: charter::review_notices(
                &self.answer_now(),
                draft.ctype,
                &config.contacts.appeals,
                lang,
            ),
            sending: d.phase == Phase::Sending,
            number_spoken: number
                .as_ref()
                .map(|n| spoken::receipt_number(n, lang))
                .unwrap_or_default(),
            number: number.map(|n| n.to_string()).unwrap_or_default(),
            check_code: check_code.map(|c| c.to_string()).unwrap_or_default(),
            check_code_spoken: check_code
                .map(|c| spoken::spelt(c.as_str(), lang))
                .unwrap_or_default(),
            due_text: answer.map(|a| a.message(lang)).unwrap_or_default(),
            due_spoken: answer.map(|a| a.spoken(lang)).unwrap_or_default(),
            printer_ok,
            printer_text,
            can_reprint,
        }
    }
}

/// The field's number on the pages (0 text, 1 name, 2 address, 3 phone,
/// 4 e-mail).
pub fn field_index(field: Field) -> i32 {
    match field {
        Field::Text => 0,
        Field::Name => 1,
        Field::Address => 2,
        Field::Phone => 3,
        Field::Email => 4,
    }
}

/// The field numbered so on the pages; anything else is the text.
pub fn field_of(index: i32) -> Field {
    match index {
        1 => Field::Name,
        2 => Field::Address,
        3 => Field::Phone,
        4 => Field::Email,
        _ => Field::Text,
    }
}

fn field_mut<'a>(d: &'a mut Draft, limits: &Limits) -> (&'a mut String, usize) {
    match d.field {
        Field::Text => (&mut d.text, limits.text),
        Field::Name => (&mut d.name, limits.name),
        Field::Address => (&mut d.address, limits.address),
        Field::Phone => (&mut d.phone, limits.phone),
        Field::Email => (&mut d.email, limits.email),
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

fn shown(p: &Shown, lang: Lang) -> String {
    match p {
        Shown::Rule(problem) => problem.message(lang),
        Shown::NotSaved => Notice::ComplaintNotSaved.message(lang).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::fake::FakeKiosk;
    use crate::printer::{PrinterError, PrinterStatus};

    fn ymd(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    fn flow() -> (Rc<FakeKiosk>, Rc<Outlet>, Rc<ComplaintFlow>) {
        let kiosk = FakeKiosk::new();
        let outlet = Outlet::new();
        let prefs = Prefs::new(kiosk.config());
        let flow = ComplaintFlow::new(kiosk.clone(), outlet.clone(), prefs);
        flow.start();
        outlet.take();
        (kiosk, outlet, flow)
    }

    fn typed(flow: &ComplaintFlow, text: &str) {
        for c in text.chars() {
            flow.type_key(&c.to_string());
        }
    }

    fn go(outlet: &Outlet) -> Option<Page> {
        outlet.take().into_iter().rev().find_map(|e| match e {
            Event::Go(p) | Event::Replace(p) => Some(p),
            _ => None,
        })
    }

    /// Type, category, text, name and phone: ready for the review.
    fn filled(kiosk: &FakeKiosk, outlet: &Outlet, flow: &ComplaintFlow) {
        flow.choose_type("complaint");
        assert_eq!(go(outlet), Some(Page::Complaint(ComplaintStep::Category)));
        flow.choose_category(&kiosk.config().complaints.categories[0].id);
        assert_eq!(go(outlet), Some(Page::Complaint(ComplaintStep::Text)));
        typed(flow, "Чаках дълго");
        flow.field_done();
        assert_eq!(go(outlet), Some(Page::Complaint(ComplaintStep::Contact)));
        flow.edit_field(Field::Name);
        assert_eq!(
            flow.view().field_keys,
            0,
            "a name opens the Cyrillic letters"
        );
        typed(flow, "Мария Иванова");
        flow.field_done();
        assert_eq!(go(outlet), Some(Page::Complaint(ComplaintStep::Contact)));
        flow.edit_field(Field::Phone);
        assert_eq!(flow.view().field_keys, 2, "the phone opens the digits");
        typed(flow, "0888123456");
        flow.field_done();
        flow.to_review();
        assert_eq!(go(outlet), Some(Page::Complaint(ComplaintStep::Review)));
    }

    #[test]
    fn every_step_to_the_receipt_with_its_number_due_date_and_slip() {
        let (kiosk, outlet, flow) = flow();
        let v = flow.view();
        assert_eq!(v.types.len(), 4);
        assert_eq!(v.type_hints[0], "нещо не е наред и искате писмен отговор");
        assert!(v.before_you_start.contains("деловодството"));
        filled(&kiosk, &outlet, &flow);
        let v = flow.view();
        assert_eq!(v.review.text, "Чаках дълго");
        assert_eq!(v.review.phone, "0888123456");
        assert_eq!(
            v.notices[0],
            "Ще получите писмен отговор до 23 декември 2026 г."
        );
        assert!(v.notices.iter().any(|n| n.contains("ЕГН")));
        assert!(v.notices.iter().any(|n| n.contains("не е обжалване")));
        flow.submit();
        assert!(flow.view().sending);
        kiosk.answer_all();
        assert_eq!(go(&outlet), Some(Page::Complaint(ComplaintStep::Receipt)));
        let v = flow.view();
        assert_eq!(v.number, "KV1-2026-000001");
        assert!(v.number_spoken.starts_with("ка, ве, едно"));
        assert_eq!(v.due_text, "Писмен отговор до 23 декември 2026 г.");
        assert!(v.due_spoken.contains("декември"));
        assert_eq!(
            (v.printer_ok, v.printer_text.as_str()),
            (true, "Моля, вземете разписката си.")
        );
        let sent = kiosk.submitted();
        assert_eq!(sent.len(), 1);
        assert!(sent[0].print_receipt);
        let RecordData::Complaint(c) = &sent[0].data else {
            panic!()
        };
        assert_eq!(
            (c.name.as_str(), c.phone.as_str()),
            ("Мария Иванова", "0888123456")
        );
        assert_eq!(c.due_date, Some(ymd("2026-12-23")));
    }

    #[test]
    fn two_taps_on_send_store_one_record() {
        let (kiosk, outlet, flow) = flow();
        filled(&kiosk, &outlet, &flow);
        flow.submit();
        flow.submit();
        kiosk.answer_all();
        flow.submit();
        kiosk.answer_all();
        assert_eq!(kiosk.submitted().len(), 1);
        flow.type_key("x");
        assert_eq!(
            flow.view().review.text,
            "Чаках дълго",
            "a sent form is not edited"
        );
    }

    #[test]
    fn an_empty_text_and_a_missing_contact_stop_the_next_step() {
        let (kiosk, outlet, flow) = flow();
        flow.choose_type("signal");
        flow.choose_category(&kiosk.config().complaints.categories[0].id);
        outlet.take();
        flow.field_done();
        assert_eq!(go(&outlet), None);
        assert_eq!(
            flow.view().problems,
            ["Моля, напишете с няколко думи какво искате да ни съобщите."]
        );
        typed(&flow, "Дупка");
        assert!(flow.view().problems.is_empty(), "typing clears the problem");
        flow.field_done();
        flow.to_review();
        let v = flow.view();
        assert!(
            v.problems.iter().any(|p| p.contains("напишете името си")),
            "{v:?}"
        );
        assert_eq!(go(&outlet), Some(Page::Complaint(ComplaintStep::Contact)));
    }

    #[test]
    fn anonymous_needs_the_health_and_safety_confirmation_and_gets_no_date() {
        let (kiosk, outlet, flow) = flow();
        flow.choose_type("signal");
        flow.choose_category(&kiosk.config().complaints.categories[0].id);
        typed(&flow, "Опасна дупка");
        flow.field_done();
        flow.toggle_anonymous();
        flow.to_review();
        assert!(flow.view().problems[0].starts_with("Анонимни жалби и сигнали"));
        flow.toggle_health_safety();
        flow.to_review();
        assert_eq!(go(&outlet), Some(Page::Complaint(ComplaintStep::Review)));
        assert!(flow.view().notices[0].starts_with("Анонимен сигнал"));
        assert!(
            !flow.view().notices.iter().any(|n| n.contains("обжалване")),
            "a signal is not told it is no appeal"
        );
        flow.submit();
        kiosk.answer_all();
        let v = flow.view();
        assert!(v.due_text.starts_with("Анонимен сигнал"), "{v:?}");
        let RecordData::Complaint(c) = &kiosk.submitted()[0].data else {
            panic!()
        };
        assert!(c.anonymous && c.health_safety && c.due_date.is_none());
    }

    #[test]
    fn an_untrusted_clock_gives_the_records_date_marked_unconfirmed() {
        let (kiosk, outlet, flow) = flow();
        kiosk.set_clock_trusted(false);
        filled(&kiosk, &outlet, &flow);
        assert_eq!(
            flow.view().notices[0],
            "Ще получите писмен отговор до 23 декември 2026 г. (датата ще бъде потвърдена)"
        );
        flow.submit();
        kiosk.answer_all();
        let v = flow.view();
        assert_eq!(
            v.due_text,
            "Писмен отговор до 23 декември 2026 г. (датата ще бъде потвърдена)"
        );
        assert!(v.due_spoken.contains("декември"), "{v:?}");
        let RecordData::Complaint(c) = &kiosk.submitted()[0].data else {
            panic!()
        };
        assert_eq!(c.due_date, chrono::NaiveDate::from_ymd_opt(2026, 12, 23));
    }

    #[test]
    fn a_failed_print_keeps_the_number_and_offers_a_second_try() {
        let (kiosk, outlet, flow) = flow();
        kiosk.print_with(|| PrintResult::Failed(PrinterError::NotReady(PrinterStatus::PaperOut)));
        filled(&kiosk, &outlet, &flow);
        flow.submit();
        kiosk.answer_all();
        let v = flow.view();
        assert_eq!(v.number, "KV1-2026-000001");
        assert!(!v.printer_ok);
        assert!(v.printer_text.starts_with("В принтера няма хартия."));
        kiosk.print_with(|| PrintResult::Printed(PrinterStatus::Ok));
        flow.reprint();
        flow.reprint();
        assert_eq!(flow.view().printer_text, "Отпечатваме разписката…");
        kiosk.answer_all();
        assert!(flow.view().printer_ok);
        assert_eq!(kiosk.reprinted().len(), 1, "one retry for two taps");
        flow.reprint();
        assert_eq!(kiosk.reprinted().len(), 1, "nothing to retry once printed");
    }

    #[test]
    fn print_again_is_offered_twice_then_the_desk() {
        let (kiosk, outlet, flow) = flow();
        kiosk.print_with(|| PrintResult::Failed(PrinterError::NotReady(PrinterStatus::PaperOut)));
        filled(&kiosk, &outlet, &flow);
        flow.submit();
        kiosk.answer_all();
        for _ in 0..MAX_REPRINTS {
            assert!(flow.view().can_reprint);
            flow.reprint();
            kiosk.answer_all();
        }
        let v = flow.view();
        assert!(!v.can_reprint && !v.printer_ok);
        assert!(v.printer_text.contains("деловодството"), "{v:?}");
        flow.reprint();
        kiosk.answer_all();
        assert_eq!(kiosk.reprinted().len(), usize::from(MAX_REPRINTS));
        assert_eq!(v.number, "KV1-2026-000001");
    }

    #[test]
    fn a_failed_store_shows_that_nothing_was_sent() {
        let (kiosk, outlet, flow) = flow();
        filled(&kiosk, &outlet, &flow);
        kiosk.fail_submissions(true);
        flow.submit();
        kiosk.answer_all();
        assert_eq!(flow.phase(), Phase::Editing);
        assert!(flow.view().problems[0].starts_with("Записът не успя. Нищо не е изпратено."));
    }

    #[test]
    fn change_goes_back_to_the_text_and_the_keys_follow_the_field() {
        let (kiosk, outlet, flow) = flow();
        filled(&kiosk, &outlet, &flow);
        flow.change();
        assert_eq!(go(&outlet), Some(Page::Complaint(ComplaintStep::Text)));
        let v = flow.view();
        assert_eq!((v.field, v.field_lines), (0, 3));
        assert!(v.field_counter.starts_with("11/"));
        flow.backspace();
        assert_eq!(flow.view().field_value, "Чаках дълг");
        flow.edit_field(field_of(2));
        assert_eq!(flow.view().field, 2);
        flow.finish();
        assert_eq!(outlet.take().last(), Some(&Event::Home));
    }
}
