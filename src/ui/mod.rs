//! The touchscreen interface: adapters between the Slint screens in `ui/`
//! and the flows in `crate::flow`.
//!
//! Each screen has a `.slint` file with a global adapter; each adapter here
//! has `connect` (the screen's callbacks to its controller's methods) and
//! `show` (the controller's view to the screen's properties), and nothing
//! else: no rules, no texts, no I/O. `navigation` holds the one table of
//! pages and screens; `app` builds the window, the visit and the adapters
//! and hands each event of the flows to the adapter it concerns. Adapters
//! import only the generated code, `wire` and `models`, never `app` or one
//! another (a test checks that `src/ui` has no import circle).
//!
//! Slint owns the main thread; the kiosk service answers on it through the
//! event loop ([`EventLoop`]).

// The code Slint generates from ui/ is not ours to lint.
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod generated {
    slint::include_modules!();
}
pub use generated::*;

mod app;
mod check_receipt;
mod complaint;
mod home;
mod hours;
mod idle;
mod models;
mod navigation;
pub mod out_of_service;
mod rate;
mod read_aloud;
mod run;
pub mod screenshot;
mod services;
mod speech;
mod staff;
mod wire;

pub use app::{App, Deps, EventLoop};
pub use navigation::{PAGES, page_of, screen_of};
pub use run::run;
pub use speech::{Voice, speech_status_summary};
