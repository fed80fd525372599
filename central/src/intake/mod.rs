//! Intake: contract 1.2 from the server's side, as plain functions that
//! the HTTP handlers call.

pub mod heartbeat;
pub mod judge;
pub mod store;
pub mod updates;
