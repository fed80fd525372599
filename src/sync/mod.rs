//! Store and forward to the municipality's central system.
//!
//! The contract is `deploy/central-api.md` (version 1.1): the kiosk pushes
//! batches of records to `POST {url}/v1/records`, oldest first, a heartbeat
//! to `POST {url}/v1/heartbeat`, and asks `GET {url}/v1/kiosks/{id}/updates`
//! what the municipality tells it (so far: the highest receipt numbers it
//! holds, which the kiosk never issues again). The outbox in the store is
//! the only state; this module reads it, sends, and writes each verdict
//! back. Everything read from the network is bounded in size and time.
//!
//! Files: `worker` (the state machine on its own thread: polling, commands,
//! back-off, heartbeat, erasure), `drain` (one pass over the outbox and the
//! contract's table of answers), `client` (HTTP with rustls, URL and CA
//! checks, classifying answers), `wire` (JSON bodies), `backoff`
//! (exponential back-off with full jitter, `Retry-After`), `settings`
//! (configuration and the token file), `status` (what the staff screen
//! shows), `error`.

mod backoff;
mod client;
mod drain;
mod error;
mod settings;
mod status;
mod wire;
mod worker;

pub use backoff::{Backoff, parse_retry_after};
pub use client::{Answer, CentralClient, MAX_ANSWER_BYTES, checked_url};
pub use drain::{DrainReport, HeldRecord, PROBE, RejectedRecord, drain};
pub use error::SyncError;
pub use settings::{SyncSettings, read_token};
pub use status::{SyncPhase, SyncStatus, plain_age};
pub use wire::{
    Heartbeat, HighestNumber, RecordsRequest, Updates, Verdict, parse_results, parse_updates,
    sofia_rfc3339,
};
pub use worker::{Command, PrinterState, SyncHandle, SyncKick, printer_unknown, start};
pub use worker::{FragmentOutcome, Fragments, apply_highest_numbers, apply_updates, start_with};
