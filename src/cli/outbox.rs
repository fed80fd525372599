//! `kiosk outbox`: what waits for the central system, what it refused,
//! what is held or set aside; `--requeue` puts records back in the queue.
//!
//! Lists ids, kinds, receipt numbers, dates, attempts and reasons, never a
//! name, contact or text: the output may be pasted into a ticket. Rows are
//! shown as stored, so a damaged one is listed too (that is when staff
//! need the list most).

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use kiosk::store::{OutboxEntry, OutboxList, RequeueTarget, Store};
use kiosk::sync::plain_age;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show at most this many records of each list
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Put a rejected, held or set-aside record back in the queue: its
    /// receipt number, its id (ratings and staff calls have no number) or
    /// `all`; the kiosk sends it at its next pass. Audited
    #[arg(long, value_name = "NUMBER|ID|all")]
    requeue: Option<String>,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let target = match args.requeue.as_deref().map(str::parse::<RequeueTarget>) {
        Some(Err(why)) => {
            eprintln!("kiosk: --requeue {why}");
            return Ok(ExitCode::from(super::EXIT_USAGE));
        }
        Some(Ok(t)) => Some(t),
        None => None,
    };
    let store = super::open_store(&config)?;
    if let Some(target) = target {
        return requeue(&store, &target);
    }
    let counts = store.outbox_counts()?;
    let central = if config.central.url.trim().is_empty() {
        "no central system configured".to_string()
    } else {
        config.central.url.clone()
    };
    println!(
        "central system: {central}\n{}",
        super::sync::counts_line(&counts)
    );
    if let Some(oldest) = store.oldest_pending_at()? {
        println!(
            "oldest pending record written {} ({} ago)",
            oldest.format("%d.%m.%Y %H:%M"),
            plain_age(Utc::now() - oldest.with_timezone(&Utc))
        );
    }
    for (list, total) in [
        (OutboxList::Waiting, counts.sendable()),
        (OutboxList::Held, counts.held),
        (OutboxList::SetAside, counts.set_aside),
        (OutboxList::Rejected, counts.rejected),
    ] {
        section(&store, list, total, args.limit)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn requeue(store: &Store, target: &RequeueTarget) -> anyhow::Result<ExitCode> {
    let done = kiosk::staff::outbox::requeue(store, target, Utc::now(), "command line")?;
    if done.is_empty() {
        println!(
            "{target}: nothing to put back (it is waiting or delivered already; `kiosk outbox` lists what is held, set aside or rejected)"
        );
        return Ok(ExitCode::SUCCESS);
    }
    for r in &done {
        println!(
            "{}",
            clean(&format!(
                "put back in the queue: {} {} (was {}: {})",
                r.number.as_deref().unwrap_or("-"),
                r.id,
                r.was.words(),
                r.reason
            ))
        );
    }
    println!(
        "{} record{} will be sent at the kiosk's next pass (or now with `kiosk sync --once`)",
        done.len(),
        if done.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}

fn section(store: &Store, list: OutboxList, total: u64, limit: usize) -> anyhow::Result<()> {
    if total == 0 {
        return Ok(());
    }
    println!("\n{} ({total}):", list.title());
    for e in store.outbox_entries(list, limit)? {
        println!("  {}", line(&e));
    }
    if total > limit as u64 {
        println!("  ... and {} more (--limit)", total - limit as u64);
    }
    Ok(())
}

/// `text` without control characters: stored text may be damaged, and a
/// terminal must not take it for commands.
/// No control character, and no bidirectional or invisible formatting
/// (U+202E and the like), reaches the terminal.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || kiosk::domain::sanitize::is_invisible(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

fn line(e: &OutboxEntry) -> String {
    let when = e.created().map_or_else(
        || format!("{:<16}", e.created_at.chars().take(16).collect::<String>()),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    );
    let why = e.reason().unwrap_or("");
    clean(&format!(
        "{} {:<10} {:<16} {}{} attempts {}{}",
        when,
        e.kind,
        e.number.as_deref().unwrap_or("-"),
        e.id,
        if e.demo { " (demo)" } else { "" },
        e.attempts,
        if why.is_empty() {
            String::new()
        } else {
            format!(": {why}")
        }
    ))
}
