//! `kiosk report`: the satisfaction report of a year (the one the Ordinance
//! on Administrative Services asks to publish by 1 March) or of any range.
//!
//! It counts what the central system holds: records the kiosk sends, by
//! Sofia filing date, without demo records (unless `--include-demo`) and
//! without records the central system rejected; the notes say how many
//! counted records are still on their way.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use kiosk::clock::SystemClock;
use kiosk::domain::summary::Period;
use kiosk::domain::summary::report::{Format, render};
use kiosk::staff::{Staff, StaffSettings};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The calendar year to report on, e.g. 2026
    #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present = "from")]
    year: Option<i32>,
    /// First day of the range (YYYY-MM-DD), with --to
    #[arg(long, requires = "to")]
    from: Option<NaiveDate>,
    /// Last day of the range (YYYY-MM-DD), included
    #[arg(long, requires = "from")]
    to: Option<NaiveDate>,
    /// md, text, csv or json [default: md for --year, text for a range]
    #[arg(long, value_parser = ["md", "text", "csv", "json"])]
    format: Option<String>,
    /// Count demonstration records too
    #[arg(long)]
    include_demo: bool,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let (period, default_format) = match (args.year, args.from, args.to) {
        (Some(year), _, _) => (Period::Year(year), "md"),
        (None, Some(from), Some(to)) => (Period::Range { from, to }, "text"),
        _ => anyhow::bail!("give --year YYYY, or --from DATE and --to DATE"),
    };
    let format = Format::parse(args.format.as_deref().unwrap_or(default_format))
        .ok_or_else(|| anyhow::anyhow!("unknown format"))?;
    let store = super::open_store(&config)?;
    let settings = StaffSettings::from_config(&config);
    let names = settings.names.clone();
    let staff = Staff::new(store, Arc::new(SystemClock), settings, None);
    let report = staff.report(period, args.include_demo)?;
    let bytes = render(&report, &names, format);
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .context("writing the report")?,
    }
    Ok(ExitCode::SUCCESS)
}
