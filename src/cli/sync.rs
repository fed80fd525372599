//! `kiosk sync --once`: drain the outbox now and say what happened.
//!
//! For the IT contractor connecting a kiosk to the central system: the same
//! client and drain pass as the worker, run in the foreground. A passing
//! hiccup (timeout, 5xx, busy) is retried twice with the contract's
//! back-off, each wait shortened to at most 10 s so the command returns.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use kiosk::clock::SystemClock;
use kiosk::sync::{CentralClient, DrainReport, SyncError, SyncSettings, drain, read_token};
use rand::rng;

/// Longest wait between attempts in this interactive command.
const MAX_CLI_WAIT: Duration = Duration::from_secs(10);
const ATTEMPTS: u32 = 3;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Send what is pending now, once, and print what happened
    #[arg(long)]
    once: bool,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    if !args.once {
        eprintln!(
            "kiosk: the sync worker runs inside `kiosk run`; use `kiosk sync --once` to send now"
        );
        return Ok(ExitCode::from(super::EXIT_CONFIG));
    }
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let settings = SyncSettings::from_config(&config);
    let client = match kiosk::sync::checked_url(&settings.url)
        .and_then(|_| read_token(&settings.token_file))
        .and_then(|token| CentralClient::new(&settings, &token))
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kiosk: {e}");
            return Ok(ExitCode::from(super::EXIT_CONFIG));
        }
    };
    let store = super::open_store(&config)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the network runtime")?;
    let mut report = DrainReport::default();
    let mut last: Result<(), SyncError> = Ok(());
    for attempt in 1..=ATTEMPTS {
        last = rt.block_on(drain(
            &client,
            &store,
            &SystemClock,
            settings.batch_size,
            &mut report,
        ));
        let wait = match &last {
            Ok(()) => break,
            Err(e) if e.is_permanent() || attempt == ATTEMPTS => break,
            Err(SyncError::Busy { wait, .. }) => *wait,
            Err(SyncError::Credentials { .. }) => break,
            Err(_) => settings.backoff.delay(attempt, &mut rng()),
        };
        let wait = wait.min(MAX_CLI_WAIT);
        println!("waiting {:.1} s before trying again", wait.as_secs_f64());
        std::thread::sleep(wait);
    }
    print_report(&report);
    let counts = store.outbox_counts()?;
    println!(
        "outbox now: {} pending, {} delivered, {} rejected",
        counts.pending, counts.delivered, counts.rejected
    );
    match last {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            println!("stopped: {}", e.plain_words());
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_report(r: &DrainReport) {
    println!(
        "sent {} records in {} requests: {} delivered, {} duplicates (already at the central system), {} rejected, {} not acknowledged",
        r.sent,
        r.requests,
        r.delivered,
        r.duplicates,
        r.rejected.len(),
        r.not_acknowledged
    );
    if let Some(size) = r.batch_size_shrunk_to {
        println!("the central system refused large batches (413); batches shrank to {size}");
    }
    for rej in &r.rejected {
        let number = rej.number.as_ref().map(ToString::to_string);
        println!(
            "rejected {} {} {}: {}",
            rej.kind.as_str(),
            number.as_deref().unwrap_or("-"),
            rej.id,
            rej.reason
        );
    }
    for e in &r.errors {
        println!("error: {e}");
    }
}
