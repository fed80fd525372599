//! The touchscreen interface.
//!
//! The Slint files in `ui/` draw the screens; the modules here are thin
//! adapters that map domain types to the screens' properties and the
//! screens' callbacks back to domain actions. Slint owns the main thread;
//! anything that touches the disk, the printer or the network runs on the
//! background worker and reports back through the event loop.

// The code Slint generates from ui/ is not ours to lint.
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod generated {
    slint::include_modules!();
}
pub use generated::*;

mod app;
mod background;
mod complaint;
mod context;
mod edit;
mod hardware;
mod home;
mod hours;
mod idle;
mod rate;
mod read_aloud;
mod run;
pub mod screenshot;
mod services;
mod speech;
mod staff;
mod wire;
mod words;

pub use app::{App, Deps};
pub use background::{Background, WorkerState};
pub use hardware::{Hardware, SimulatedKey};
pub use idle::{IdleState, IdleTimer};
pub use run::run;
pub use speech::{Voice, speech_status_summary};
