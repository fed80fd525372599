//! `kiosk export`: the same files staff export from the staff screen (the
//! summary and the complaint register as CSV, both as JSON, the report as
//! Markdown, no personal data), for a year or a range, onto the USB stick
//! under /media, `[staff] export_dir`, or `--dir`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;
use kiosk::clock::SystemClock;
use kiosk::domain::summary::Period;
use kiosk::staff::{Staff, StaffSettings};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The calendar year to export, e.g. 2026
    #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present = "from")]
    year: Option<i32>,
    /// First day (YYYY-MM-DD), with --to
    #[arg(long, requires = "to")]
    from: Option<NaiveDate>,
    /// Last day (YYYY-MM-DD), included
    #[arg(long, requires = "from")]
    to: Option<NaiveDate>,
    /// Write here instead of the USB stick or [staff] export_dir
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Export demonstration records too
    #[arg(long)]
    include_demo: bool,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let period = match (args.year, args.from, args.to) {
        (Some(year), _, _) => Period::Year(year),
        (None, Some(from), Some(to)) => Period::Range { from, to },
        _ => anyhow::bail!("give --year YYYY, or --from DATE and --to DATE"),
    };
    let store = super::open_store(&config)?;
    let staff = Staff::new(
        store,
        Arc::new(SystemClock),
        StaffSettings::from_config(&config),
        None,
    );
    let done = staff.export(period, args.include_demo, args.dir.as_deref())?;
    for file in &done.files {
        println!("{}", file.display());
    }
    eprintln!(
        "Exported {} with {} complaints to {}.",
        done.range,
        done.complaints,
        done.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
