//! The Kovachevtsi town-hall kiosk.
//!
//! `domain` holds the rules (calendar, due dates, complaint checks, receipt
//! numbers); `config` reads and checks `kiosk.toml`; `store` keeps every
//! record in SQLite until the central system has it; `clock` says what time
//! it is and whether that time can be trusted. `main` wires them.

pub mod clock;
pub mod config;
pub mod device;
pub mod domain;
pub mod flow;
pub mod printer;
pub mod service;
pub mod speech;
pub mod staff;
pub mod store;
pub mod sync;
pub mod ui;
pub mod watchdog;
