//! `kiosk bench summary`: seeds a scratch database in the temporary folder
//! with a year of ratings and times the one-year staff summary over it
//! (target: at most 100 ms for a million ratings). The scratch database is
//! removed afterwards; the kiosk's own database is never touched.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDate;
use kiosk::domain::summary::DateRange;
use kiosk::store::{Scope, Store};

use super::bench::Spread;

const YEAR: i32 = 2026;

pub fn run(ratings: u64, iterations: u32) -> anyhow::Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("kiosk-bench-summary-{}", std::process::id()));
    let result = measure(&dir, ratings, iterations);
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        tracing::warn!("could not remove {}: {e}", dir.display());
    }
    result
}

fn measure(dir: &std::path::Path, ratings: u64, iterations: u32) -> anyhow::Result<ExitCode> {
    let store = Store::create(dir.join("bench.db")).context("opening the scratch database")?;
    let seeding = Instant::now();
    let seeded = store.seed_benchmark_ratings(YEAR, ratings)?;
    eprintln!(
        "seeded {seeded} ratings in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let range = DateRange::year(YEAR)?;
    let today = NaiveDate::from_ymd_opt(YEAR, 12, 31).context("bad date")?;
    let mut times: Vec<Duration> = Vec::new();
    let mut counted = 0;
    for _ in 0..iterations {
        let start = Instant::now();
        let summary = store.summary(range, today, Scope::default())?;
        times.push(start.elapsed());
        counted = summary.ratings.count;
    }
    let spread = Spread::of(&mut times)?;
    println!(
        "summary of {YEAR} over {counted} ratings: median {:.1} ms, fastest {:.1} ms, slowest {:.1} ms ({} runs)",
        spread.median.as_secs_f64() * 1e3,
        spread.min.as_secs_f64() * 1e3,
        spread.max.as_secs_f64() * 1e3,
        times.len()
    );
    Ok(ExitCode::SUCCESS)
}
