//! The visit: the flows, the language and text size the visitor chose, and
//! the router. It is the one place that acts on navigation: where a page
//! leads, what "back" and "home" clear, which flow starts afresh, and what
//! the end of a visit forgets.
//!
//! Rules, on top of the [`Router`]'s:
//! - reaching a flow's first page from another flow starts that flow with
//!   an empty draft (going back to it within the flow keeps the draft);
//! - "home" drops the half-finished forms and the search but keeps the
//!   language; the header's "home" first asks, once, when it would throw
//!   away what the visitor typed ([`Visit::ask_home`]); the end of a visit (idle timeout) also forgets the language
//!   and the text size and logs staff out;
//! - a page behind the PIN is not shown without a live staff session.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use super::board::{BoardFlow, BoardRequest, Hardware};
use super::check_receipt::CheckReceiptFlow;
use super::complaint::ComplaintFlow;
use super::idle::{IdleFlow, IdleTimer};
use super::info::InfoFlow;
use super::kiosk::Kiosk;
use super::outlet::{Event, Outlet, Part};
use super::rating::RatingFlow;
use super::router::{Page, Router, StaffStep};
use super::services::ServicesFlow;
use super::staff::StaffFlow;
use crate::config::Config;
use crate::domain::Lang;

/// The language and text size of the visit, shared by the flows.
#[derive(Debug)]
pub struct Prefs {
    lang: Cell<Option<Lang>>,
    large_text: Cell<Option<bool>>,
    default_lang: Lang,
    default_large_text: bool,
}

impl Prefs {
    /// The defaults of `[accessibility]`.
    pub fn new(config: &Config) -> Rc<Prefs> {
        Rc::new(Prefs {
            lang: Cell::new(None),
            large_text: Cell::new(None),
            default_lang: config.accessibility.default_language,
            default_large_text: config.accessibility.large_text,
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang.get().unwrap_or(self.default_lang)
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(Some(lang));
    }

    pub fn large_text(&self) -> bool {
        self.large_text.get().unwrap_or(self.default_large_text)
    }

    pub fn set_large_text(&self, on: bool) {
        self.large_text.set(Some(on));
    }

    /// Whether the visitor has chosen nothing (language, text size).
    pub fn untouched(&self) -> bool {
        self.lang.get().is_none() && self.large_text.get().is_none()
    }

    /// Back to the defaults.
    pub fn clear(&self) {
        self.lang.set(None);
        self.large_text.set(None);
    }
}

/// How long the visitor may be idle, from `[accessibility]`.
fn idle_timer(config: &Config, now: Instant) -> IdleTimer {
    use std::time::Duration;
    let a = &config.accessibility;
    IdleTimer::new(
        now,
        Duration::from_secs(a.idle_reset_secs.into()),
        Duration::from_secs(a.idle_warning_secs.into()),
        Duration::from_secs(a.attract_after_secs.into()),
    )
}

/// The whole visit.
pub struct Visit {
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    router: RefCell<Router>,
    /// The header's "home" is waiting for "yes, leave" or "no, stay".
    asking_home: Cell<bool>,
    pub info: Rc<InfoFlow>,
    pub services: Rc<ServicesFlow>,
    pub rating: Rc<RatingFlow>,
    pub complaint: Rc<ComplaintFlow>,
    pub check_receipt: Rc<CheckReceiptFlow>,
    pub staff: Rc<StaffFlow>,
    pub idle: Rc<IdleFlow>,
    pub board: Rc<BoardFlow>,
}

impl Visit {
    /// A visit at rest on the home page. Events go to `outlet`; connect it
    /// to a sink that hands navigation to [`Visit::route`].
    pub fn new(kiosk: Rc<dyn Kiosk>, outlet: Rc<Outlet>, hardware: Hardware) -> Rc<Visit> {
        let prefs = Prefs::new(kiosk.config());
        let timer = idle_timer(kiosk.config(), Instant::now());
        let (k, o, p) = (&kiosk, &outlet, &prefs);
        Rc::new(Visit {
            info: InfoFlow::new(k.clone(), p.clone()),
            services: ServicesFlow::new(k.clone(), o.clone(), p.clone()),
            rating: RatingFlow::new(k.clone(), o.clone(), p.clone()),
            complaint: ComplaintFlow::new(k.clone(), o.clone(), p.clone()),
            check_receipt: CheckReceiptFlow::new(k.clone(), o.clone(), p.clone()),
            staff: StaffFlow::new(k.clone(), o.clone(), p.clone()),
            idle: IdleFlow::new(o.clone(), timer),
            board: BoardFlow::new(k.clone(), o.clone(), p.clone(), hardware),
            router: RefCell::default(),
            asking_home: Cell::new(false),
            kiosk,
            outlet,
            prefs,
        })
    }

    /// The language and text size.
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// The kiosk behind the flows.
    pub fn kiosk(&self) -> &Rc<dyn Kiosk> {
        &self.kiosk
    }

    /// The page shown.
    pub fn page(&self) -> Page {
        self.router.borrow().current()
    }

    /// Acts on the navigation events the flows emit; true when `event` was
    /// one (the sink need do nothing more with it). [`Event::StartAgain`]
    /// is acted on here and also left to the sink, which clears what is
    /// shown over the page.
    pub fn route(&self, event: &Event) -> bool {
        match event {
            Event::Go(page) => self.navigate(*page),
            Event::Replace(page) => {
                let from = self.page();
                self.router.borrow_mut().replace(*page);
                self.entered(from, *page);
            }
            Event::Home => self.home(),
            Event::StartAgain => {
                self.start_again();
                return false;
            }
            _ => return false,
        }
        true
    }

    /// Goes to `page`, remembering where we came from.
    pub fn navigate(&self, page: Page) {
        if page.needs_session() && !self.staff.has_session() {
            tracing::warn!(?page, "a staff page was asked for without a session");
            return;
        }
        let from = self.page();
        self.router.borrow_mut().go(page);
        self.entered(from, page);
    }

    /// "Back".
    pub fn back(&self) {
        let from = self.page();
        if from.is_final() {
            return self.home();
        }
        let page = self.router.borrow_mut().back();
        self.entered(from, page);
    }

    /// The header's "home": asks first when it would throw away what the
    /// visitor typed, else goes home at once.
    pub fn ask_home(&self) {
        if self.asking_home.get() {
            return;
        }
        if self.complaint.has_typed() {
            self.asking_home.set(true);
            self.outlet.emit(Event::Changed(Part::Leave));
        } else {
            self.home();
        }
    }

    /// Whether home is waiting for the visitor's answer.
    pub fn asking_home(&self) -> bool {
        self.asking_home.get()
    }

    /// The answer to [`Visit::ask_home`]: `true` throws the form away and
    /// goes home, `false` stays on the form as it was.
    pub fn answer_home(&self, leave: bool) {
        if !self.asking_home.get() {
            return;
        }
        if leave {
            self.home();
        } else {
            self.asking_home.set(false);
            self.outlet.emit(Event::Changed(Part::Leave));
        }
    }

    /// Home, dropping any half-finished form but keeping the language.
    pub fn home(&self) {
        if self.asking_home.replace(false) {
            self.outlet.emit(Event::Changed(Part::Leave));
        }
        self.services.reset();
        self.rating.start();
        self.complaint.start();
        self.check_receipt.start();
        self.staff.clear_pin();
        let from = self.page();
        self.router.borrow_mut().home();
        self.entered(from, Page::Home);
    }

    /// The end of a visit: everything cleared, staff logged out, default
    /// language and text size, home.
    pub fn start_again(&self) {
        self.prefs.clear();
        self.staff.reset();
        self.check_receipt.reset();
        self.idle.reset(Instant::now());
        self.outlet.emit(Event::Language);
        self.home();
    }

    /// Ends the visit (the idle screen's "start again", a screenshot's
    /// fresh start): as [`Event::StartAgain`] from a flow.
    pub fn end(&self) {
        self.outlet.emit(Event::StartAgain);
    }

    /// The БГ / EN buttons.
    pub fn set_lang(&self, lang: Lang) {
        self.prefs.set_lang(lang);
        self.language_changed();
    }

    /// Large text on or off.
    pub fn set_large_text(&self, on: bool) {
        self.prefs.set_large_text(on);
        self.language_changed();
    }

    /// The large-text button.
    pub fn toggle_large_text(&self) {
        self.set_large_text(!self.prefs.large_text());
    }

    fn language_changed(&self) {
        self.outlet.emit(Event::Language);
        // A staff page's figures are worded in the language chosen.
        if let Page::Staff(step) = self.page()
            && self.page().needs_session()
        {
            self.staff.entered(step);
        }
    }

    /// Whether there is nothing of a visitor's to clear.
    pub fn at_rest(&self) -> bool {
        self.page() == Page::Home && self.prefs.untouched()
    }

    /// A touch anywhere on the screen.
    pub fn touched(&self, now: Instant) {
        self.board.touched();
        self.idle.touched(now);
    }

    /// "Yes, I need more time".
    pub fn more_time(&self, now: Instant) {
        self.idle.touched(now);
    }

    /// The board's staff key, or a way in without the PIN.
    pub fn staff_key(&self) {
        self.staff.login_with_key();
    }

    /// About twice a second: the board, staff mode's idle limit, the
    /// visitor's idle question and the clock on the home page.
    pub fn tick(&self, now: Instant) {
        for request in self.board.tick() {
            match request {
                BoardRequest::StaffKeyOn => self.staff.login_with_key(),
                // Turning the key back ends staff mode; the next tick logs
                // the session out (audited) once a visitor page is shown.
                BoardRequest::StaffKeyOff => {
                    if matches!(self.page(), Page::Staff(_)) {
                        self.home();
                    }
                }
            }
        }
        self.outlet.emit(Event::Changed(Part::Home));
        if self.staff.tick(now, self.page()) {
            self.idle.hold(now);
            return;
        }
        self.idle.tick(now, self.at_rest());
    }

    /// What a page needs when it is shown.
    fn entered(&self, from: Page, page: Page) {
        // Leaving the rating's pages ends that rating: it is completed with
        // what the visitor gave and sent.
        if matches!(from, Page::Rate(_)) && from.flow() != page.flow() {
            self.rating.leave();
        }
        if page.starts_flow() && from.flow() != page.flow() {
            match page {
                Page::Rate(_) => self.rating.start(),
                Page::Complaint(_) => self.complaint.start(),
                Page::Staff(_) => self.staff.start_pin(),
                _ => {}
            }
        }
        match page {
            Page::Home => self.outlet.emit(Event::Changed(Part::Home)),
            Page::Hours => self.outlet.emit(Event::Changed(Part::Hours)),
            Page::Services(_) => self.outlet.emit(Event::Changed(Part::Services)),
            Page::CheckReceipt if from != page => self.check_receipt.start(),
            Page::Staff(step) if step != StaffStep::Pin => self.staff.entered(step),
            _ => {}
        }
        self.outlet.emit(Event::Shown(page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::fake::FakeKiosk;
    use crate::flow::router::{ComplaintStep, RateStep};

    /// A visit whose outlet routes navigation as the interface does and
    /// keeps the rest for the test.
    fn visit() -> (Rc<FakeKiosk>, Rc<Visit>, Rc<RefCell<Vec<Event>>>) {
        let kiosk = FakeKiosk::new();
        let outlet = Outlet::new();
        let visit = Visit::new(kiosk.clone(), outlet.clone(), Hardware::default());
        let seen = Rc::new(RefCell::new(Vec::new()));
        let (v, s) = (Rc::downgrade(&visit), seen.clone());
        outlet.connect(Rc::new(move |e: Event| {
            if let Some(v) = v.upgrade()
                && v.route(&e)
            {
                return;
            }
            s.borrow_mut().push(e);
        }));
        (kiosk, visit, seen)
    }

    #[test]
    fn more_time_keeps_the_form_and_large_text_and_the_end_of_a_visit_are_told() {
        let (_kiosk, visit, seen) = visit();
        let t0 = Instant::now();
        visit.touched(t0);
        visit.navigate(Page::Complaint(ComplaintStep::Type));
        visit.complaint.choose_type("complaint");
        let page = visit.page();
        visit.tick(t0 + std::time::Duration::from_secs(65));
        assert!(visit.idle.view().asking, "the question after a minute");
        visit.more_time(t0 + std::time::Duration::from_secs(66));
        assert!(!visit.idle.view().asking);
        visit.tick(t0 + std::time::Duration::from_secs(90));
        assert!(!visit.idle.view().asking, "a new minute from the answer");
        assert_eq!(visit.page(), page, "the form stays");
        assert!(!seen.borrow().contains(&Event::StartAgain));

        seen.borrow_mut().clear();
        let was = visit.prefs().large_text();
        visit.toggle_large_text();
        assert_eq!(visit.prefs().large_text(), !was);
        assert!(
            seen.borrow().contains(&Event::Language),
            "every screen redrawn"
        );
        visit.toggle_large_text();
        assert_eq!(visit.prefs().large_text(), was);

        visit.end();
        assert!(seen.borrow().contains(&Event::StartAgain));
    }

    #[test]
    fn a_rating_from_home_to_thanks_and_back_home() {
        let (kiosk, visit, seen) = visit();
        visit.navigate(Page::Rate(RateStep::Faces));
        visit.rating.choose_score(4);
        assert_eq!(visit.page(), Page::Rate(RateStep::Details));
        visit.rating.send();
        kiosk.answer_all();
        assert_eq!(visit.page(), Page::Rate(RateStep::Thanks));
        assert!(
            seen.borrow()
                .contains(&Event::Shown(Page::Rate(RateStep::Thanks)))
        );
        visit.back();
        assert_eq!(visit.page(), Page::Home, "a sent rating is not reopened");
        kiosk.answer_all();
        let stored = kiosk.ratings();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].open);
    }

    #[test]
    fn a_face_then_back_home_or_the_idle_reset_keeps_one_final_rating() {
        let (kiosk, visit, _) = visit();
        visit.navigate(Page::Rate(RateStep::Faces));
        visit.rating.choose_score(2);
        kiosk.answer_all();
        visit.back();
        visit.back();
        assert_eq!(visit.page(), Page::Home);
        kiosk.answer_all();
        assert_eq!(kiosk.ratings().len(), 1);
        assert!(
            !kiosk.ratings()[0].open,
            "leaving the rating's pages ends it"
        );

        visit.navigate(Page::Rate(RateStep::Faces));
        visit.rating.choose_score(5);
        kiosk.answer_all();
        let now = Instant::now();
        visit.tick(now + std::time::Duration::from_secs(65));
        visit.tick(now + std::time::Duration::from_secs(90));
        kiosk.answer_all();
        assert_eq!(visit.page(), Page::Home);
        let stored = kiosk.ratings();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[1].rating.score, 5);
        assert!(!stored[1].open, "the idle reset keeps it, final");
    }

    #[test]
    fn back_within_a_flow_keeps_the_draft_and_home_drops_it() {
        let (kiosk, visit, _) = visit();
        visit.navigate(Page::Complaint(ComplaintStep::Type));
        visit.complaint.choose_type("complaint");
        visit
            .complaint
            .choose_category(&kiosk.config().complaints.categories[0].id);
        visit.complaint.type_key("а");
        visit.back();
        visit.back();
        assert_eq!(visit.page(), Page::Complaint(ComplaintStep::Type));
        visit.complaint.choose_type("signal");
        visit
            .complaint
            .choose_category(&kiosk.config().complaints.categories[0].id);
        assert_eq!(visit.complaint.view().field_value, "а");
        visit.home();
        visit.navigate(Page::Complaint(ComplaintStep::Type));
        visit.complaint.choose_type("signal");
        visit
            .complaint
            .choose_category(&kiosk.config().complaints.categories[0].id);
        assert_eq!(visit.complaint.view().field_value, "");
    }

    #[test]
    fn home_asks_once_before_throwing_away_what_was_typed() {
        let (kiosk, visit, seen) = visit();
        // Nothing typed: home at once.
        visit.navigate(Page::Complaint(ComplaintStep::Type));
        visit.complaint.choose_type("complaint");
        visit.ask_home();
        assert_eq!(visit.page(), Page::Home);
        assert!(!visit.asking_home());

        visit.navigate(Page::Complaint(ComplaintStep::Type));
        visit.complaint.choose_type("complaint");
        visit
            .complaint
            .choose_category(&kiosk.config().complaints.categories[0].id);
        visit.complaint.type_key("Ч");
        let page = visit.page();
        visit.ask_home();
        visit.ask_home();
        assert!(visit.asking_home());
        assert_eq!(visit.page(), page, "still on the form");
        assert_eq!(
            seen.borrow()
                .iter()
                .filter(|e| **e == Event::Changed(Part::Leave))
                .count(),
            1,
            "asked once"
        );
        visit.answer_home(false);
        assert!(!visit.asking_home());
        assert_eq!(visit.page(), page);
        assert_eq!(visit.complaint.view().field_value, "Ч", "kept");

        visit.ask_home();
        visit.answer_home(true);
        assert_eq!(visit.page(), Page::Home);
        assert!(!visit.asking_home());
        assert!(!visit.complaint.has_typed(), "thrown away");
        assert!(kiosk.submitted().is_empty());
    }

    #[test]
    fn the_end_of_a_visit_forgets_the_language_and_goes_home() {
        let (_, visit, seen) = visit();
        visit.set_lang(Lang::En);
        visit.set_large_text(true);
        assert!(!visit.at_rest());
        visit.navigate(Page::Hours);
        let now = Instant::now();
        visit.tick(now + std::time::Duration::from_secs(65));
        assert!(visit.idle.view().asking);
        visit.tick(now + std::time::Duration::from_secs(90));
        assert_eq!(visit.page(), Page::Home);
        assert_eq!(visit.prefs().lang(), Lang::Bg);
        assert!(visit.at_rest());
        assert!(seen.borrow().contains(&Event::StartAgain));
        assert!(seen.borrow().contains(&Event::Language));
    }

    #[test]
    fn staff_pages_need_a_session_which_ends_when_a_visitor_page_is_shown() {
        let (kiosk, visit, _) = visit();
        visit.navigate(Page::Staff(StaffStep::Summary));
        assert_eq!(visit.page(), Page::Home, "no session, no staff page");
        visit.staff_key();
        kiosk.answer_all();
        assert_eq!(visit.page(), Page::Staff(StaffStep::Home));
        visit.navigate(Page::Staff(StaffStep::Summary));
        kiosk.answer_all();
        assert_eq!(visit.page(), Page::Staff(StaffStep::Summary));
        assert!(visit.staff.view().summary.ratings >= 0);
        visit.home();
        visit.tick(Instant::now());
        kiosk.answer_all();
        assert!(!visit.staff.has_session());
        assert!(kiosk.audited().contains(&"logout".to_owned()));
    }
}
