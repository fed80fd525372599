//! kiosk-central: the municipality's end of the kiosk contract (1.2).
//!
//! It receives the kiosks' records and heartbeats, keeps the complaint
//! register, and tells each kiosk what became of its complaints, the
//! highest receipt numbers held and its configuration. Rules shared with
//! the kiosk (receipt numbers, record shapes, configuration checks) come
//! from `kiosk-rules`; this crate links no Slint and not the kiosk.
//!
//! Layout: `config` (central.toml), `db` (pool, migrations, one module of
//! queries per table), `intake` (contract 1.2 as plain functions), `api`
//! (thin handlers), `app` (state and router), `serve` (the bounded accept
//! loop), `complaints::actions` (the desk's actions), `kiosk_config`
//! (configuration pushed to kiosks), `token`, `error`, `cli`; `bench` (the
//! intake benchmark) and `manual` (the man page); the registry desk's pages
//! in `desk` (with their words in `i18n` and the A4 registry copy in `pdf`).

pub mod api;
pub mod app;
pub mod bench;
pub mod cli;
pub mod complaints;
pub mod config;
pub mod db;
pub mod desk;
pub mod error;
pub mod figures;
pub mod fleet;
pub mod guides;
pub mod i18n;
pub mod intake;
pub mod kiosk_config;
pub mod manual;
pub mod pdf;
pub mod public;
pub mod serve;
pub mod token;
