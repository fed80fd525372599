//! The Kovachevtsi town-hall kiosk.
//!
//! `domain` holds the rules (calendar, due dates, complaint checks, receipt
//! numbers); `config` reads and checks `kiosk.toml`; `store` keeps every
//! record in SQLite until the central system has it. `main` wires them.

pub mod domain;
