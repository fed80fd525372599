//! `kiosk outbox`: what waits for the central system and what it refused.
//!
//! Lists ids, kinds, receipt numbers, dates, attempts and reasons, never a
//! name, contact or text: the output may be pasted into a ticket.

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use kiosk::store::{OutboxEntry, OutboxState, Store};
use kiosk::sync::plain_age;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show at most this many records of each list
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let store = super::open_store(&config)?;
    let counts = store.outbox_counts()?;
    let central = if config.central.url.trim().is_empty() {
        "no central system configured".to_string()
    } else {
        config.central.url.clone()
    };
    println!(
        "central system: {central}\n{} pending, {} delivered, {} rejected",
        counts.pending, counts.delivered, counts.rejected
    );
    if let Some(oldest) = store.oldest_pending_at()? {
        println!(
            "oldest pending record written {} ({} ago)",
            oldest.format("%d.%m.%Y %H:%M"),
            plain_age(Utc::now() - oldest.with_timezone(&Utc))
        );
    }
    section(&store, OutboxState::Pending, counts.pending, args.limit)?;
    section(&store, OutboxState::Rejected, counts.rejected, args.limit)?;
    Ok(ExitCode::SUCCESS)
}

fn section(store: &Store, state: OutboxState, total: u64, limit: usize) -> anyhow::Result<()> {
    if total == 0 {
        return Ok(());
    }
    println!("\n{} ({total}):", state.as_str());
    for e in store.outbox_entries(state, limit)? {
        println!("  {}", line(&e));
    }
    if total > limit as u64 {
        println!("  ... and {} more (--limit)", total - limit as u64);
    }
    Ok(())
}

fn line(e: &OutboxEntry) -> String {
    let number = e.number.as_ref().map(ToString::to_string);
    let why = e
        .rejected_reason
        .as_deref()
        .or(e.last_error.as_deref())
        .unwrap_or("");
    format!(
        "{} {:<10} {:<16} {}{} attempts {}{}",
        e.created_at.format("%Y-%m-%d %H:%M"),
        e.kind.as_str(),
        number.as_deref().unwrap_or("-"),
        e.id,
        if e.demo { " (demo)" } else { "" },
        e.attempts,
        if why.is_empty() {
            String::new()
        } else {
            format!(": {why}")
        }
    )
}
