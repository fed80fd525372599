//! Navigation between screens: the one table that says which Slint screen
//! shows which page of a flow, and the header's and the home screen's
//! navigation callbacks. Where a page leads is decided by the visit
//! (`crate::flow::visit`); this only shows it.
//!
//! A new screen is one `.slint` file (with its line in `ui/app.slint` and
//! its name in `Screen` of `ui/state.slint`), one adapter, its step in a
//! controller, and one line in [`PAGES`].

use std::rc::Rc;
use std::time::Instant;

use slint::ComponentHandle;

use super::speech::{self, Speech};
use super::{AppState, AppWindow, Screen};
use crate::domain::Lang;
use crate::flow::{ComplaintStep, Page, RateStep, ServicesStep, StaffStep, Visit};

/// Every page and the screen that shows it.
pub const PAGES: [(Page, Screen); 23] = [
    (Page::Home, Screen::Home),
    (Page::Hours, Screen::Hours),
    (Page::Services(ServicesStep::Groups), Screen::Services),
    (Page::Services(ServicesStep::List), Screen::ServiceList),
    (Page::Services(ServicesStep::Detail), Screen::ServiceDetail),
    (Page::Services(ServicesStep::Search), Screen::ServiceSearch),
    (Page::Rate(RateStep::Faces), Screen::Rate),
    (Page::Rate(RateStep::Details), Screen::RateDetails),
    (Page::Rate(RateStep::Comment), Screen::RateComment),
    (Page::Rate(RateStep::Thanks), Screen::RateThanks),
    (Page::Complaint(ComplaintStep::Type), Screen::ComplaintType),
    (
        Page::Complaint(ComplaintStep::Category),
        Screen::ComplaintCategory,
    ),
    (Page::Complaint(ComplaintStep::Text), Screen::ComplaintText),
    (
        Page::Complaint(ComplaintStep::Contact),
        Screen::ComplaintContact,
    ),
    (
        Page::Complaint(ComplaintStep::Review),
        Screen::ComplaintReview,
    ),
    (
        Page::Complaint(ComplaintStep::Receipt),
        Screen::ComplaintReceipt,
    ),
    (Page::CheckReceipt, Screen::CheckReceipt),
    (Page::Staff(StaffStep::Pin), Screen::StaffPin),
    (Page::Staff(StaffStep::Home), Screen::StaffHome),
    (Page::Staff(StaffStep::Summary), Screen::StaffSummary),
    (Page::Staff(StaffStep::Register), Screen::StaffRegister),
    (Page::Staff(StaffStep::Reprint), Screen::StaffReprint),
    (Page::Staff(StaffStep::Outbox), Screen::StaffOutbox),
];

/// The screen that shows `page`.
pub fn screen_of(page: Page) -> Screen {
    PAGES
        .iter()
        .find(|(p, _)| *p == page)
        .map_or(Screen::Home, |(_, s)| *s)
}

/// The page `screen` shows.
pub fn page_of(screen: Screen) -> Page {
    PAGES
        .iter()
        .find(|(_, s)| *s == screen)
        .map_or(Page::Home, |(p, _)| *p)
}

/// The header's and the tiles' navigation, language and text size.
pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let st = w.global::<AppState>();
    let weak = Rc::downgrade(visit);
    st.on_navigate(move |screen| {
        if let Some(v) = weak.upgrade() {
            v.navigate(page_of(screen));
        }
    });
    st.on_back(super::wire::on(visit, Visit::back));
    st.on_home(super::wire::on(visit, Visit::ask_home));
    st.on_answer_home(super::wire::on_bool(visit, Visit::answer_home));
    st.on_start_again(super::wire::on(visit, Visit::end));
    st.on_staff_entry(super::wire::on(visit, |v| {
        v.navigate(Page::Staff(StaffStep::Pin))
    }));
    st.on_set_language(super::wire::on_str(visit, |v, code| {
        v.set_lang(if code == "en" { Lang::En } else { Lang::Bg })
    }));
    st.on_toggle_large_text(super::wire::on(visit, Visit::toggle_large_text));
    st.on_touched(super::wire::on(visit, |v| v.touched(Instant::now())));
    st.on_more_time(super::wire::on(visit, |v| v.more_time(Instant::now())));
    st.on_call_staff(super::wire::on(visit, |v| v.board.call_staff()));
    st.on_simulated_key(super::wire::on_str(visit, |v, key| {
        v.board.simulated_key(key)
    }));
    let weak = w.as_weak();
    st.on_dismiss_notice(move || {
        if let Some(w) = weak.upgrade() {
            w.global::<AppState>().set_notice("".into());
        }
    });
}

/// Shows `page`: what was armed or being read belongs to the old screen,
/// and in speech mode the new one says its name.
pub fn show(w: &AppWindow, speech: &Speech, page: Page, lang: Lang) {
    speech::leave_screen(w, speech);
    w.global::<AppState>().set_screen(screen_of(page));
    speech::entered_screen(w, speech, lang);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_one_screen_and_back() {
        for (page, screen) in PAGES {
            assert_eq!(screen_of(page), screen);
            assert_eq!(page_of(screen), page);
        }
        let mut screens: Vec<_> = PAGES.iter().map(|(_, s)| format!("{s:?}")).collect();
        screens.sort();
        screens.dedup();
        assert_eq!(screens.len(), PAGES.len());
    }
}
