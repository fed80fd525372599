//! The kiosk's rules, as plain Rust: no Slint, no SQLite, no HTTP, no GPIO.
//!
//! Everything here is a pure function over plain types and is unit-tested in
//! place. The rest of the crate imports the domain; the domain imports
//! nothing of the rest.

pub mod answer;
pub mod calendar;
pub mod catalogue;
pub mod charter;
pub mod check_code;
pub mod complaint;
pub mod due_date;
pub mod egn;
pub mod follow_up;
pub mod hours;
pub mod hours_text;
pub mod lang;
pub mod money;
pub mod notices;
pub mod numbering;
pub mod offensive;
pub mod out_of_service;
pub mod rating;
pub mod receipt;
pub mod record;
pub mod sanitize;
pub mod service_text;
pub mod spoken;
pub mod summary;
pub mod topics;

pub use lang::{Lang, Localized};
pub use numbering::ReceiptNumber;
