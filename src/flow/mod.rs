//! The visitor's and the staff's flows as plain Rust: no Slint, no SQLite,
//! no threads of their own.
//!
//! Each flow is a controller that owns its draft and its steps: `services`
//! (groups, list, search, detail), `rating` (faces, follow-ups, comment,
//! thanks), `complaint` (type, category, text, contact, review, receipt),
//! `staff` (PIN pad, session, status, summaries, register, reprints),
//! `idle` (the "more time?" question and the attract screen), `board` (the
//! staff-call button, the key, the LED), `info` (home and office hours)
//! and `check_receipt` (a visitor asks where a complaint stands).
//! They reach the rest of the kiosk through one trait, [`Kiosk`], and tell
//! the interface what changed through an [`Outlet`] of [`Event`]s.
//! `visit` ties them together: the language, the text size and the
//! [`router`], the one place that knows which page is shown and where
//! "back" leads.
//!
//! Threading: everything here runs on the UI thread. Controllers share
//! state through `Rc` and `RefCell`; a `RefCell` is never borrowed across a
//! call to the kiosk or to the outlet, and the outlet delivers its events
//! only after the controller's method has returned its borrows (events are
//! queued while one is being handled), so the interface never reads a
//! controller that is mid-change.
//!
//! Files: `kiosk` (the trait and its request and answer types), `outlet`,
//! `router`, `visit`, one file per flow, `edit` (typing), and `fake` (the
//! kiosk the unit tests use).

pub mod board;
pub mod check_receipt;
pub mod complaint;
pub mod edit;
#[cfg(test)]
pub(crate) mod fake;
pub mod fresh;
pub mod idle;
pub mod info;
pub mod kiosk;
pub mod outlet;
pub mod rating;
pub mod router;
pub mod services;
pub mod staff;
pub mod visit;

pub use kiosk::{
    FromRefusal, Kiosk, Login, PrintResult, Refusal, Reply, StaffAction, StaffDone, SubmitError,
};
pub use outlet::{Event, Outlet, Part};
pub use router::{ComplaintStep, Page, RateStep, Router, ServicesStep, StaffStep};
pub use visit::Visit;

/// One choice of a list the visitor picks from (a reason, a desk, a type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub name: String,
    pub selected: bool,
}
