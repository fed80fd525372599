//! The kiosk's rules, as plain Rust: no Slint, no SQLite, no HTTP, no GPIO.
//!
//! Everything here is a pure function over plain types and is unit-tested in
//! place. The rest of the crate imports the domain; the domain imports
//! nothing of the rest.

pub mod lang;
pub mod numbering;
pub mod record;

pub use lang::{Lang, Localized};
pub use numbering::ReceiptNumber;
