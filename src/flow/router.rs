//! Every page of the kiosk and the one place that knows which is shown and
//! where "back" leads.
//!
//! A [`Page`] is a flow and its step. The [`Router`] keeps the page shown
//! and the pages to go back to. Its rules: going to the page already shown
//! does not stack it twice; a page reached after sending (the thanks and
//! the receipt) is never left by "back" for the form behind it, "back"
//! goes home instead; and coming back to the page one came from takes that
//! step back rather than stacking it again.

/// The services pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServicesStep {
    Groups,
    List,
    Detail,
    Search,
}

/// The rating's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateStep {
    Faces,
    Details,
    Comment,
    Thanks,
}

/// The complaint form's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComplaintStep {
    Type,
    Category,
    Text,
    Contact,
    Review,
    Receipt,
}

/// Staff mode's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaffStep {
    Pin,
    Home,
    Summary,
    Register,
    Reprint,
    /// Records that did not reach the central system, and the link's problem.
    Outbox,
}

/// A page: a flow and its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    Hours,
    Services(ServicesStep),
    Rate(RateStep),
    Complaint(ComplaintStep),
    /// "Check my receipt".
    CheckReceipt,
    Staff(StaffStep),
}

impl Page {
    /// Which flow the page belongs to: pages of one flow share a draft.
    pub fn flow(self) -> std::mem::Discriminant<Page> {
        std::mem::discriminant(&self)
    }

    /// Shown after something was sent: "back" never reopens the form.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Page::Rate(RateStep::Thanks) | Page::Complaint(ComplaintStep::Receipt)
        )
    }

    /// Behind the PIN: shown only while a staff session is live.
    pub fn needs_session(self) -> bool {
        matches!(self, Page::Staff(step) if step != StaffStep::Pin)
    }

    /// A flow's first page: reaching it from another flow starts that flow
    /// afresh.
    pub fn starts_flow(self) -> bool {
        matches!(
            self,
            Page::Rate(RateStep::Faces)
                | Page::Complaint(ComplaintStep::Type)
                | Page::Staff(StaffStep::Pin)
        )
    }
}

/// The page shown and the way back.
#[derive(Debug, Clone)]
pub struct Router {
    current: Page,
    stack: Vec<Page>,
}

impl Default for Router {
    fn default() -> Self {
        Router {
            current: Page::Home,
            stack: Vec::new(),
        }
    }
}

impl Router {
    /// The page shown.
    pub fn current(&self) -> Page {
        self.current
    }

    /// Goes to `page`, remembering the page shown.
    pub fn go(&mut self, page: Page) {
        if page != self.current {
            self.stack.push(self.current);
        }
        self.current = page;
    }

    /// Shows `page` in place of the page shown; if `page` is the one we
    /// came from, that step is taken back instead of stacked again.
    pub fn replace(&mut self, page: Page) {
        if self.stack.last() == Some(&page) {
            self.stack.pop();
        }
        self.current = page;
    }

    /// "Back": the page we came from, or home; always home from a page
    /// shown after sending.
    pub fn back(&mut self) -> Page {
        if self.current.is_final() {
            self.home();
            return self.current;
        }
        self.current = self.stack.pop().unwrap_or(Page::Home);
        self.current
    }

    /// Home, with nothing to go back to.
    pub fn home(&mut self) {
        self.stack.clear();
        self.current = Page::Home;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_retraces_the_steps_and_never_reopens_a_sent_form() {
        let mut r = Router::default();
        r.go(Page::Rate(RateStep::Faces));
        r.go(Page::Rate(RateStep::Details));
        r.go(Page::Rate(RateStep::Details));
        assert_eq!(r.back(), Page::Rate(RateStep::Faces), "not stacked twice");
        r.go(Page::Rate(RateStep::Details));
        r.go(Page::Rate(RateStep::Thanks));
        assert_eq!(r.back(), Page::Home);
        assert_eq!(r.back(), Page::Home, "nothing left to go back to");
    }

    #[test]
    fn returning_to_the_page_one_came_from_takes_the_step_back() {
        let mut r = Router::default();
        r.go(Page::Complaint(ComplaintStep::Contact));
        r.go(Page::Complaint(ComplaintStep::Text));
        r.replace(Page::Complaint(ComplaintStep::Contact));
        assert_eq!(r.current(), Page::Complaint(ComplaintStep::Contact));
        assert_eq!(r.back(), Page::Home);
    }

    #[test]
    fn pages_know_their_flow_and_their_rules() {
        assert_eq!(
            Page::Rate(RateStep::Faces).flow(),
            Page::Rate(RateStep::Comment).flow()
        );
        assert_ne!(Page::Rate(RateStep::Faces).flow(), Page::Home.flow());
        assert!(Page::Staff(StaffStep::Home).needs_session());
        assert!(!Page::Staff(StaffStep::Pin).needs_session());
        assert!(Page::Complaint(ComplaintStep::Type).starts_flow());
        assert!(!Page::Complaint(ComplaintStep::Text).starts_flow());
    }
}
