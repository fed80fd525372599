//! `kiosk init [--next-number N]`: makes the database of a new kiosk.
//!
//! The installed kiosk.toml says `[storage] create = false`, so this is the
//! one place an installed kiosk's database comes from; the .deb runs it on
//! install, and running it again keeps the existing database (it only
//! checks it). `--next-number` is for a kiosk whose earlier receipts are
//! known (a replaced SD card, a database lost): numbering continues at N,
//! never below what the database or the central system already hold.
//! When the link to the central system is set up, its `highest_numbers`
//! are read too, so that a kiosk re-installed without `--next-number` still
//! does not repeat a number the central system holds.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{Datelike, Utc};
use kiosk::clock::local_time;
use kiosk::domain::ReceiptNumber;
use kiosk::store::{Create, FloorSource, Store};
use kiosk::sync::{CentralClient, SyncSettings, apply_highest_numbers, read_token};

/// The longest `kiosk init` waits for the central system.
const CENTRAL_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The number the next receipt gets: a sequence (e.g. 58, for this
    /// year) or a whole receipt number (KV1-2026-000058)
    #[arg(long, value_name = "N|NUMBER")]
    next_number: Option<String>,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let prefix = config.kiosk.receipt_prefix.clone();
    let year = local_time(Utc::now()).year();
    let next = match args
        .next_number
        .as_deref()
        .map(|n| next_number(n, &prefix, year))
    {
        Some(Err(why)) => {
            eprintln!("kiosk: --next-number {why}");
            return Ok(ExitCode::from(super::EXIT_USAGE));
        }
        Some(Ok(n)) => Some(n),
        None => None,
    };
    let path = &config.storage.database;
    let (store, new) = Store::open_with(path, Create::IfMissing, Some(&config.kiosk.id))?;
    let counts = store.record_counts()?;
    if new {
        println!("made a new database at {}", path.display());
    } else {
        println!(
            "the database at {} exists and is kept ({} records); it was checked: it is sound and this kiosk's",
            path.display(),
            counts.total()
        );
    }
    if let Some(n) = &next {
        let before = store.next_sequence(n.prefix(), n.year())?;
        store.raise_number_floor(
            n.prefix(),
            n.year(),
            n.sequence() - 1,
            FloorSource::Init,
            Utc::now(),
        )?;
        if before > n.sequence() {
            println!(
                "numbering of {}-{} is already past {n}; it stays as it is",
                n.prefix(),
                n.year()
            );
        }
    }
    ask_central(&config, &store);
    let next_seq = store.next_sequence(&prefix, year)?;
    match ReceiptNumber::new(&prefix, year, next_seq) {
        Ok(n) => println!("the next receipt number is {n}"),
        Err(e) => println!("no receipt number can be given this year: {e}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `N` (this year, the configured prefix) or a whole receipt number.
fn next_number(text: &str, prefix: &str, year: i32) -> Result<ReceiptNumber, String> {
    if let Ok(n) = text.trim().parse::<u32>() {
        return ReceiptNumber::new(prefix, year, n).map_err(|e| e.to_string());
    }
    let n: ReceiptNumber = text
        .parse()
        .map_err(|e: kiosk::domain::numbering::NumberError| e.to_string())?;
    if n.prefix() != prefix {
        return Err(format!(
            "{n} has the prefix {}, but this kiosk's [kiosk] receipt_prefix is {prefix}",
            n.prefix()
        ));
    }
    Ok(n)
}

/// Reads the central system's highest numbers, if the link is set up;
/// says what happened, and never fails the command.
fn ask_central(config: &kiosk::config::Config, store: &Store) {
    if config.central.url.trim().is_empty() {
        println!(
            "no central system is configured; if this kiosk handed out receipts before, give --next-number"
        );
        return;
    }
    let mut settings = SyncSettings::from_config(config);
    settings.request_timeout = settings.request_timeout.min(CENTRAL_WAIT);
    settings.connect_timeout = settings.connect_timeout.min(CENTRAL_WAIT);
    let client = match kiosk::sync::checked_url(&settings.url)
        .and_then(|_| read_token(&settings.token_file))
        .and_then(|token| CentralClient::new(&settings, &token))
    {
        Ok(c) => c,
        Err(e) => {
            println!(
                "the central system was not asked for its highest receipt numbers: {e}\n(the kiosk asks it once the link works; until then, give --next-number if this kiosk handed out receipts before)"
            );
            return;
        }
    };
    let asked = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| {
            rt.block_on(client.updates(None))
                .map_err(|e| e.plain_words())
        });
    match asked {
        Ok(Some(updates)) => match apply_highest_numbers(store, &updates, Utc::now()) {
            Ok(_) => {
                for h in &updates.highest_numbers {
                    let refused = if kiosk::store::leaves_no_room(h.sequence) {
                        " (refused: it leaves no room in the year; ask the central system's team to check it)"
                    } else {
                        ""
                    };
                    println!(
                        "the central system holds receipt numbers up to {}-{}-{:06}{refused}",
                        h.prefix, h.year, h.sequence
                    );
                }
            }
            Err(e) => println!("cannot keep the central system's highest receipt numbers: {e}"),
        },
        Ok(None) => println!("the central system offers no updates, so no highest receipt numbers"),
        Err(e) => println!(
            "the central system could not be asked for its highest receipt numbers: {e}; the kiosk asks it again once it runs"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_numbers_are_read_as_sequences_or_whole_numbers() {
        assert_eq!(
            next_number("58", "KV1", 2026).unwrap().to_string(),
            "KV1-2026-000058"
        );
        assert_eq!(
            next_number("KV1-2025-000900", "KV1", 2026)
                .unwrap()
                .to_string(),
            "KV1-2025-000900"
        );
        assert!(next_number("KV2-2026-000001", "KV1", 2026).is_err());
        assert!(next_number("0", "KV1", 2026).is_err());
        assert!(next_number("abc", "KV1", 2026).is_err());
    }
}
