//! `kiosk sync --once`: drain the outbox now and say what happened.
//!
//! For the IT contractor connecting a kiosk to the central system: the same
//! client and drain pass as the worker, run in the foreground, after
//! reading the central system's updates (the highest receipt numbers it
//! holds). A passing hiccup (timeout, 5xx, busy) is retried twice with the
//! contract's back-off, each wait shortened to at most 10 s so the command
//! returns; a configuration problem (a wrong URL, refused credentials) is
//! not retried. Exit code 0 only when nothing is left pending.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use kiosk::clock::SystemClock;
use kiosk::store::OutboxCounts;
use kiosk::sync::{
    CentralClient, DrainReport, SyncError, SyncSettings, apply_highest_numbers, drain, read_token,
};
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
    match rt.block_on(client.updates(None)) {
        Ok(Some(updates)) => {
            let raised = apply_highest_numbers(&store, &updates, chrono::Utc::now())?;
            // Answers are kept here too; the cursor and configuration
            // fragments are left to the running kiosk.
            let answered = store.apply_answers(&updates.answers, chrono::Utc::now())?;
            if answered > 0 {
                println!("{answered} answers to complaints from the central system kept");
            }
            for h in &updates.highest_numbers {
                let mark = if raised.contains(h) {
                    " (new numbers continue above it)"
                } else if kiosk::store::leaves_no_room(h.sequence) {
                    " (refused: it leaves no room in the year; numbering goes on above the kiosk's own numbers; ask the central system's team to check it)"
                } else {
                    ""
                };
                println!(
                    "the central system holds receipt numbers up to {}-{}-{:06}{mark}",
                    h.prefix, h.year, h.sequence
                );
            }
            for why in &updates.skipped {
                println!(
                    "the central system's highest_numbers has an entry the kiosk cannot use: {why}"
                );
            }
        }
        Ok(None) => println!("the central system offers no updates (HTTP 404 for updates)"),
        Err(e) => println!(
            "reading the central system's updates failed: {}",
            e.plain_words()
        ),
    }
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
            // A timeout has already waited its full time: say so at once.
            Err(e)
                if e.is_configuration_problem()
                    || matches!(e, SyncError::Timeout)
                    || attempt == ATTEMPTS =>
            {
                break;
            }
            Err(SyncError::Busy { wait, .. }) => *wait,
            Err(_) => settings.backoff.delay(attempt, &mut rng()),
        };
        let wait = wait.min(MAX_CLI_WAIT);
        println!("waiting {:.1} s before trying again", wait.as_secs_f64());
        std::thread::sleep(wait);
    }
    print_report(&report);
    let counts = store.outbox_counts()?;
    println!("outbox now: {}", counts_line(&counts));
    match last {
        Err(e) => {
            println!("stopped: {}", e.plain_words());
            Ok(ExitCode::from(if e.is_configuration_problem() {
                super::EXIT_CONFIG
            } else {
                1
            }))
        }
        Ok(()) if counts.pending > 0 => {
            println!(
                "not delivered: {} held, {} set aside; `kiosk outbox` shows why, `kiosk outbox --requeue NUMBER|ID|all` puts them back",
                counts.held, counts.set_aside
            );
            Ok(ExitCode::FAILURE)
        }
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// "3 pending (1 held, 1 set aside), 170 delivered, 2 rejected".
pub fn counts_line(c: &OutboxCounts) -> String {
    let apart = if c.held + c.set_aside > 0 {
        format!(" ({} held, {} set aside)", c.held, c.set_aside)
    } else {
        String::new()
    };
    format!(
        "{} pending{apart}, {} delivered, {} rejected",
        c.pending, c.delivered, c.rejected
    )
}

fn print_report(r: &DrainReport) {
    println!(
        "sent {} records in {} requests: {} delivered, {} duplicates (already at the central system), {} rejected, {} held, {} not acknowledged",
        r.sent,
        r.requests,
        r.delivered,
        r.duplicates,
        r.rejected.len(),
        r.held.len(),
        r.not_acknowledged
    );
    if let Some(size) = r.batch_size_shrunk_to {
        println!("the central system refused large batches (413); batches shrank to {size}");
    }
    for (what, list) in [("rejected", &r.rejected), ("held", &r.held)] {
        for rec in list {
            let number = rec.number.as_ref().map(ToString::to_string);
            println!(
                "{what} {} {} {}: {}",
                rec.kind.as_str(),
                number.as_deref().unwrap_or("-"),
                rec.id,
                rec.reason
            );
        }
    }
    for aside in &r.set_aside {
        println!(
            "set aside {} {}: {}",
            aside.number.as_deref().unwrap_or("-"),
            aside.id,
            aside.reason
        );
    }
    for e in &r.errors {
        println!("error: {e}");
    }
}
