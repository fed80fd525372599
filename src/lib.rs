//! The Kovachevtsi town-hall kiosk.
//!
//! `domain` (the rules: calendar, due dates, complaint checks, receipt
//! numbers) and `config` (`kiosk.toml` and its checks) come from the
//! `kiosk-rules` crate, which the municipality's server shares; `store` keeps every
//! record in SQLite until the central system has it; `clock` says what time
//! it is and whether that time can be trusted. `main` wires them.

pub mod clock;
pub mod device;
pub mod flow;
pub mod printer;
pub mod service;
pub mod speech;
pub mod staff;
pub mod store;
pub mod sync;
pub mod ui;
pub mod watchdog;

pub use kiosk_rules::{config, domain};
