//! "Check my receipt": a visitor who comes back with a slip types its six
//! digits (the prefix is this kiosk's, the year this one, changeable with
//! two buttons) and is told where the complaint stands, from the registry
//! desk's marks and the central system's answers (`Store::follow_up`).
//!
//! Invariants: nothing personal is ever shown, only dates, a status and the
//! registry's number; at most [`MAX_CHECKS`] lookups in [`WINDOW`] per
//! visit, the next one refused politely without asking the store; the end
//! of a visit (the idle reset, home) forgets the digits, the answer and the
//! count. One lookup at a time: "Check" does nothing while one is on its way.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use chrono::{DateTime, Datelike, TimeDelta, Utc};

use super::edit::{backspace, push_key};
use super::kiosk::{Kiosk, SubmitError};
use super::outlet::{Event, Outlet, Part};
use super::visit::Prefs;
use crate::domain::follow_up::{
    FollowUp, lookup_failed_text, too_many_checks_text, unknown_number_text,
};
use crate::domain::hours::sofia_local;
use crate::domain::numbering::{MAX_SEQUENCE, ReceiptNumber};

/// Lookups a visit may make in [`WINDOW`].
pub const MAX_CHECKS: usize = 10;
/// The window the lookups are counted in.
pub const WINDOW: TimeDelta = TimeDelta::minutes(1);
/// The digits of a receipt's sequence.
const DIGITS: usize = 6;
/// The earliest year offered: the kiosk's first.
const FIRST_YEAR: i32 = 2026;

/// What the last "Check" gave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Found(ReceiptNumber, FollowUp),
    Unknown(ReceiptNumber),
    TooMany,
    Failed,
}

#[derive(Debug, Default)]
struct State {
    digits: String,
    /// 0: this year.
    year: i32,
    answer: Option<Answer>,
    checking: bool,
    /// When the visit's recent lookups were made, oldest first.
    checks: VecDeque<DateTime<Utc>>,
}

/// What the screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckReceiptView {
    /// "KV1-2026-0042__": the digits typed so far, the rest as "_".
    pub number: String,
    pub year: i32,
    pub can_go_later: bool,
    pub can_go_earlier: bool,
    pub checking: bool,
    /// "ok" (found), "warning" (unknown, too many, failed), or "" (none).
    pub result_kind: String,
    /// The number the answer is about.
    pub result_number: String,
    /// The answer, one sentence a line.
    pub result_lines: Vec<String>,
}

/// The "check my receipt" flow.
pub struct CheckReceiptFlow {
    me: Weak<CheckReceiptFlow>,
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    state: RefCell<State>,
}

impl CheckReceiptFlow {
    pub fn new(kiosk: Rc<dyn Kiosk>, outlet: Rc<Outlet>, prefs: Rc<Prefs>) -> Rc<CheckReceiptFlow> {
        Rc::new_cyclic(|me| CheckReceiptFlow {
            me: me.clone(),
            kiosk,
            outlet,
            prefs,
            state: RefCell::default(),
        })
    }

    /// A new page: no digits, no answer; the count of lookups stays (only
    /// the end of the visit clears it).
    pub fn start(&self) {
        {
            let mut s = self.state.borrow_mut();
            s.digits.clear();
            s.year = 0;
            s.answer = None;
        }
        self.changed();
    }

    /// The end of a visit: everything, the count included.
    pub fn reset(&self) {
        *self.state.borrow_mut() = State::default();
        self.changed();
    }

    /// A digit of the pad; a new number clears the last answer.
    pub fn digit(&self, d: &str) {
        if !d.chars().all(|c| c.is_ascii_digit()) {
            return;
        }
        {
            let mut s = self.state.borrow_mut();
            push_key(&mut s.digits, d, DIGITS);
            s.answer = None;
        }
        self.changed();
    }

    pub fn erase(&self) {
        {
            let mut s = self.state.borrow_mut();
            backspace(&mut s.digits);
            s.answer = None;
        }
        self.changed();
    }

    /// The year one earlier or later, from the kiosk's first to this one.
    pub fn change_year(&self, delta: i32) {
        let this_year = self.this_year();
        {
            let mut s = self.state.borrow_mut();
            let year = if s.year == 0 { this_year } else { s.year };
            s.year = year
                .saturating_add(delta)
                .clamp(FIRST_YEAR.min(this_year), this_year);
            s.answer = None;
        }
        self.changed();
    }

    /// "Check": looks the number up, unless too many were looked up in the
    /// last minute or one is on its way.
    pub fn check(&self) {
        let now = self.kiosk.now();
        let number = {
            let mut s = self.state.borrow_mut();
            if s.checking || s.digits.is_empty() {
                return;
            }
            while s.checks.front().is_some_and(|t| now - *t >= WINDOW) {
                s.checks.pop_front();
            }
            if s.checks.len() >= MAX_CHECKS {
                s.answer = Some(Answer::TooMany);
                drop(s);
                return self.changed();
            }
            let year = if s.year == 0 {
                self.this_year()
            } else {
                s.year
            };
            let sequence: u32 = s.digits.parse().unwrap_or(0);
            let prefix = self.kiosk.config().kiosk.receipt_prefix.clone();
            let number = match ReceiptNumber::new(&prefix, year, sequence) {
                Ok(n) if (1..=MAX_SEQUENCE).contains(&sequence) => n,
                // "000000" and the like: no receipt has it.
                _ => match ReceiptNumber::new(&prefix, year, 1) {
                    Ok(shown) => {
                        s.answer = Some(Answer::Unknown(shown));
                        drop(s);
                        return self.changed();
                    }
                    Err(_) => return,
                },
            };
            s.checks.push_back(now);
            s.checking = true;
            number
        };
        self.changed();
        let me = self.me.clone();
        let asked = number.clone();
        self.kiosk.follow_up(
            number,
            Box::new(move |result: Result<Option<FollowUp>, SubmitError>| {
                let Some(me) = me.upgrade() else { return };
                let answer = match result {
                    Ok(Some(f)) => Answer::Found(asked, f),
                    Ok(None) => Answer::Unknown(asked),
                    Err(err) => {
                        tracing::warn!(%err, "a receipt could not be looked up");
                        Answer::Failed
                    }
                };
                {
                    let mut s = me.state.borrow_mut();
                    s.checking = false;
                    s.answer = Some(answer);
                }
                me.changed();
            }),
        );
    }

    pub fn view(&self) -> CheckReceiptView {
        let lang = self.prefs.lang();
        let now = self.kiosk.now();
        let this_year = self.this_year();
        let s = self.state.borrow();
        let year = if s.year == 0 { this_year } else { s.year };
        let prefix = &self.kiosk.config().kiosk.receipt_prefix;
        let blanks = "_".repeat(DIGITS.saturating_sub(s.digits.chars().count()));
        let (kind, about, lines) = match &s.answer {
            None => ("", String::new(), Vec::new()),
            Some(Answer::Found(n, f)) => {
                ("ok", n.to_string(), f.lines(lang, sofia_local(now).date()))
            }
            Some(Answer::Unknown(n)) => (
                "warning",
                n.to_string(),
                vec![unknown_number_text(lang).to_owned()],
            ),
            Some(Answer::TooMany) => (
                "warning",
                String::new(),
                vec![too_many_checks_text(lang).to_owned()],
            ),
            Some(Answer::Failed) => (
                "warning",
                String::new(),
                vec![lookup_failed_text(lang).to_owned()],
            ),
        };
        CheckReceiptView {
            number: format!("{prefix}-{year}-{}{blanks}", s.digits),
            year,
            can_go_later: year < this_year,
            can_go_earlier: year > FIRST_YEAR.min(this_year),
            checking: s.checking,
            result_kind: kind.to_owned(),
            result_number: about,
            result_lines: lines,
        }
    }

    fn this_year(&self) -> i32 {
        sofia_local(self.kiosk.now()).year()
    }

    fn changed(&self) {
        self.outlet.emit(Event::Changed(Part::CheckReceipt));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::domain::follow_up::{CentralAnswer, CentralStatus};
    use crate::flow::fake::FakeKiosk;
    use crate::store::fixtures;

    fn flow() -> (Rc<FakeKiosk>, Rc<Prefs>, Rc<CheckReceiptFlow>) {
        let kiosk = FakeKiosk::new();
        let prefs = Prefs::new(kiosk.config());
        let flow = CheckReceiptFlow::new(kiosk.clone(), Outlet::new(), prefs.clone());
        (kiosk, prefs, flow)
    }

    fn type_number(flow: &CheckReceiptFlow, digits: &str) {
        for d in digits.chars() {
            flow.digit(&d.to_string());
        }
    }

    #[test]
    fn an_answered_complaint_says_the_date_and_an_unknown_number_sends_to_the_desk() {
        let (kiosk, prefs, flow) = flow();
        let clock = crate::clock::ManualClock::at_sofia(2026, 11, 23, 9, 0).unwrap();
        let done = kiosk
            .store()
            .submit(
                fixtures::submission(fixtures::complaint()),
                &fixtures::context(&clock),
            )
            .unwrap();
        let number = done.number.unwrap();
        kiosk
            .store()
            .apply_answers(
                &[CentralAnswer {
                    number: number.to_string(),
                    status: CentralStatus::Answered,
                    answered_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 30),
                    new_due_date: None,
                    registry_number: None,
                    registered_on: None,
                }],
                kiosk.now(),
            )
            .unwrap();
        assert_eq!(flow.view().number, "KV1-2026-______");
        type_number(&flow, "0000");
        assert_eq!(flow.view().number, "KV1-2026-0000__");
        type_number(&flow, "01");
        flow.check();
        assert!(flow.view().checking);
        flow.check();
        kiosk.answer_all();
        let v = flow.view();
        assert_eq!((v.result_kind.as_str(), v.checking), ("ok", false));
        assert_eq!(v.result_number, number.to_string());
        assert!(
            v.result_lines
                .contains(&"Отговорено писмено на 30.11.2026.".to_owned()),
            "{v:?}"
        );

        flow.erase();
        type_number(&flow, "9");
        prefs.set_lang(Lang::En);
        flow.check();
        kiosk.answer_all();
        let v = flow.view();
        assert_eq!(v.result_kind, "warning");
        assert!(
            v.result_lines[0].contains("ask at the registry desk"),
            "{v:?}"
        );
    }

    #[test]
    fn the_eleventh_check_in_a_minute_is_refused_and_the_end_of_the_visit_forgets_the_count() {
        let (kiosk, _, flow) = flow();
        for i in 0..MAX_CHECKS {
            flow.start();
            type_number(&flow, &format!("{}", i + 1));
            flow.check();
            kiosk.answer_all();
            assert_eq!(flow.view().result_kind, "warning", "unknown, not refused");
            assert!(!flow.view().result_lines[0].contains("wait"));
        }
        flow.start();
        type_number(&flow, "11");
        flow.check();
        assert!(!flow.view().checking, "the store is not asked");
        assert!(
            flow.view().result_lines[0].contains("изчакайте минута"),
            "{:?}",
            flow.view()
        );
        kiosk.advance(std::time::Duration::from_secs(61));
        flow.check();
        kiosk.answer_all();
        assert!(!flow.view().result_lines[0].contains("изчакайте"));
        for _ in 0..MAX_CHECKS {
            flow.check();
            kiosk.answer_all();
        }
        assert!(flow.view().result_lines[0].contains("изчакайте"));
        flow.reset();
        type_number(&flow, "12");
        flow.check();
        assert!(flow.view().checking, "a new visit may check again");
    }

    #[test]
    fn the_year_changes_within_the_kiosks_years() {
        let (_, _, flow) = flow();
        flow.change_year(1);
        assert_eq!(flow.view().year, 2026, "never past this year");
        assert!(!flow.view().can_go_later);
        flow.change_year(-1);
        assert_eq!(flow.view().year, 2026, "nor before the kiosk's first");
        type_number(&flow, "1234567");
        assert_eq!(flow.view().number, "KV1-2026-123456");
    }
}
