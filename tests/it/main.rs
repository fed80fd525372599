//! The integration tests, built as one test binary: the kiosk crate, Slint
//! and the testing backend are linked once instead of once per file.
//!
//! Each module is one area, as a newcomer would look for it; `support`
//! holds the fixtures they share (sample records, a loopback central
//! system, a fake network printer, the headless interface).

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

mod bench_cli;
mod cli_package;
mod cli_sync;
mod config_check;
mod contract_1_1;
mod crash_safety;
mod database_guard;
mod database_identity;
mod database_recover;
mod device_board;
mod full_disk;
mod hostile_central;
mod printer_cli;
mod printer_receipt;
mod printer_tcp;
mod speech;
mod staff_cli;
mod store_numbers;
mod sync_central;
mod ui_flows;
mod ui_imports;
mod ui_layout;
mod ui_out_of_service;
mod ui_outbox;
mod ui_render;
mod ui_speech;
mod ui_staff;
mod ui_texts;
mod ui_visit;
mod ui_workers;
mod updates;
