//! `kiosk print-test`: prints the set-up slip on which the installer reads
//! off the printer's code page number.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use kiosk::printer::{open, test_slip};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the bytes to this file instead of the configured printer
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Sends the slip to the printer (or the file) and says what to do next.
pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let bytes = test_slip::bytes(config.printer.cancel_kanji);
    if let Some(out) = &args.out {
        std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("kiosk: set-up slip written to {}", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut printer = open(&config.printer.transport, config.printer.timeout_ms)?;
    let status = printer.status()?;
    eprintln!("kiosk: printer status: {}", status.as_str());
    if !status.can_print() {
        anyhow::bail!("the printer is not ready: {status}");
    }
    printer.write_all(&bytes)?;
    eprintln!(
        "kiosk: set-up slip sent. Find the block whose Bulgarian letters print right and set its esc_t_n and encoding in [printer]."
    );
    Ok(ExitCode::SUCCESS)
}
