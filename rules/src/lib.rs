//! The rules the kiosk and the municipality's server share, with no Slint,
//! SQLite, HTTP or GPIO in them.
//!
//! `domain` holds the rules (calendar, due dates, complaint checks, receipt
//! numbers, receipt layout, summaries); `config` reads and checks
//! `kiosk.toml` and the fragments the municipality sends; `pin_hash` says
//! which staff PIN hashes the configuration accepts. The kiosk re-exports
//! `domain` and `config` under its own name, so `kiosk::domain` is this.

pub mod config;
pub mod domain;
pub mod pin_hash;
