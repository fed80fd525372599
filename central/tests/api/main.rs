//! Contract 1.2 from the server's side, every row, against SQLite and
//! PostgreSQL alike (each test runs once per database), plus hostile
//! clients against the real binary.

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../support/mod.rs"]
mod support;

mod complaints;
mod heartbeat;
mod hostile;
mod records;
mod updates;
