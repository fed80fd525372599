//! The figures pages and the public status page, against the real app on
//! a loopback port with a fresh SQLite database each.

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod app;
mod fleet;
mod public_status;
mod satisfaction;
