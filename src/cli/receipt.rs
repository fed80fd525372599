//! `kiosk receipt NUMBER`: writes one receipt's bytes to a file, or queues
//! and prints a reprint (marked as a duplicate) on the configured printer.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use kiosk::clock::{Clock, SystemClock};
use kiosk::domain::ReceiptNumber;
use kiosk::printer::jobs::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The receipt number, e.g. KV1-2026-000042
    number: String,
    /// Write the ESC/POS bytes to this file instead of printing
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Mark the slip "ДУБЛИКАТ" ("DUPLICATE" for an English visitor; always so when printing)
    #[arg(long)]
    duplicate: bool,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let number: ReceiptNumber = args.number.parse()?;
    let store = super::open_store(&config)?;
    let worker = kiosk::printer::worker(store.clone(), &config);
    if let Some(out) = &args.out {
        let stored = store
            .get_by_number(&number)?
            .with_context(|| format!("no record has number {number}"))?;
        let bytes = worker.receipt_bytes(&stored.record, args.duplicate)?;
        std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("kiosk: {} bytes written to {}", bytes.len(), out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let clock = SystemClock;
    let job = worker.reprint(&number, clock.now())?;
    let mut code = ExitCode::SUCCESS;
    for outcome in worker.run_pending(&|| clock.now())? {
        match outcome {
            Outcome::Printed { job: id, status } => {
                eprintln!("kiosk: job {id} printed (printer: {})", status.as_str());
            }
            Outcome::Failed {
                job: id,
                error: error @ kiosk::printer::PrinterError::NotConfirmed,
            } => {
                eprintln!("kiosk: job {id} {error}");
                if id == job {
                    code = ExitCode::FAILURE;
                }
            }
            Outcome::Failed { job: id, error } => {
                eprintln!("kiosk: job {id} not printed: {error}");
                if id == job {
                    code = ExitCode::FAILURE;
                }
            }
        }
    }
    Ok(code)
}
