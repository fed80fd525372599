//! `kiosk-central bench intake`: the intake's throughput, request times and
//! memory, measured against the real server on loopback with a scratch
//! database (a SQLite file, or a throw-away PostgreSQL server). A command,
//! not a test: figures depend on the machine and are read by people.
//!
//! The server runs as a child process with the shipped defaults of
//! central.toml (only `listen` and the database differ), so its peak RSS
//! (VmHWM) is that of a real server under this load.

mod load;
pub mod postgres;
mod server;

use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::db::{self, kiosks};
use crate::token;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Deliver records from many kiosks at once over loopback: records per
    /// second, request times per batch, the server's peak memory.
    Intake(IntakeArgs),
}

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// Kiosks sending at once, each on its own connection.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=500))]
    kiosks: u16,
    /// Records in all, shared evenly among the kiosks.
    #[arg(long, default_value_t = 100_000)]
    records: usize,
    /// Records per request (the kiosk's [central] batch_size).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=1000))]
    batch: u16,
    /// The scratch database: a SQLite file, or a PostgreSQL server started
    /// from Debian's postgresql package for the run.
    #[arg(long, value_enum, default_value_t = Database::Sqlite)]
    database: Database,
    /// The server's [database] max_connections (default: central.toml's).
    /// With SQLite, 1 makes writers queue in the server instead of waiting
    /// on the file's lock.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    db_connections: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Database {
    Sqlite,
    Postgres,
}

/// Runs a benchmark.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Intake(args) => intake(&args).await,
    }
}

async fn intake(args: &IntakeArgs) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("kiosk-central-bench-")
        .tempdir()
        .context("cannot make a temporary directory")?;
    let postgres = match args.database {
        Database::Postgres => Some(postgres::ScratchPostgres::start().await?),
        Database::Sqlite => None,
    };
    let url = match &postgres {
        Some(pg) => pg.url(),
        None => format!("sqlite:{}", dir.path().join("central.db").display()),
    };
    let addr = format!("127.0.0.1:{}", server::free_port()?);
    let config = dir.path().join("central.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nlisten = \"{addr}\"\n\n[database]\nurl = \"{url}\"\n{}",
            args.db_connections
                .map(|n| format!("max_connections = {n}\n"))
                .unwrap_or_default()
        ),
    )?;

    // The kiosks and their tokens, written before the server starts.
    let kiosks = usize::from(args.kiosks);
    let batch = usize::from(args.batch);
    let per_kiosk = args.records.div_ceil(kiosks);
    let pool = db::connect(&url, 1).await?;
    db::migrate(&pool).await?;
    let mut loads = Vec::with_capacity(kiosks);
    for k in 0..kiosks {
        let id = format!("bench-{k}");
        let secret = token::generate();
        kiosks::upsert(&pool, &id, &token::hash(&secret), &db::now_text()).await?;
        let share = per_kiosk.min(args.records.saturating_sub(k * per_kiosk));
        loads.push(load::Kiosk {
            bodies: load::bodies(&id, k, share, batch)?,
            id,
            token: secret,
        });
    }
    pool.close().await;

    let server = server::ChildServer::start(&config, addr).await?;
    let idle_kib = server.peak_rss_kib()?;
    let start = Instant::now();
    let tasks: Vec<_> = loads
        .into_iter()
        .map(|k| tokio::spawn(load::run_kiosk(server.addr.clone(), k)))
        .collect();
    let mut times = Vec::new();
    let (mut accepted, mut other) = (0, 0);
    for task in tasks {
        let outcome = task.await??;
        times.extend(outcome.request_times);
        accepted += outcome.accepted;
        other += outcome.other;
    }
    let elapsed = start.elapsed();
    let peak_kib = server.peak_rss_kib()?;
    drop(server);
    drop(postgres);

    times.sort_unstable();
    let ms = |q| load::quantile(&times, q).as_secs_f64() * 1000.0;
    let database = match args.database {
        Database::Sqlite => "SQLite (WAL, synchronous=FULL)",
        Database::Postgres => "PostgreSQL (fsync on, synchronous_commit on)",
    };
    println!(
        "intake: {kiosks} kiosks, {} records in batches of {batch}, {database}",
        args.records
    );
    println!(
        "  {accepted} accepted in {:.2} s: {:.0} records/s",
        elapsed.as_secs_f64(),
        accepted as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    println!(
        "  per batch: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} requests)",
        ms(0.5),
        ms(0.99),
        ms(1.0),
        times.len()
    );
    println!(
        "  server peak RSS (VmHWM): {:.1} MiB (idle after start: {:.1} MiB)",
        peak_kib as f64 / 1024.0,
        idle_kib as f64 / 1024.0
    );
    if other > 0 || usize::try_from(accepted).ok() != Some(args.records) {
        bail!(
            "{accepted} of {} records accepted, {other} answered otherwise",
            args.records
        );
    }
    Ok(())
}
