//! `kiosk bench receipt`: how long layout plus encoding of a complaint
//! receipt takes on this machine, and how many bytes it sends.
//! `kiosk bench speech` and `kiosk bench read-aloud`: see `bench_speech.rs`.
//! `kiosk bench ui`: see `bench_ui.rs`. `kiosk bench submit`: see
//! `bench_submit.rs`. `kiosk bench pin`: see `bench_pin.rs`.
//! `kiosk bench summary`: how long a one-year staff summary takes over a
//! scratch database seeded with a million ratings.

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone};
use kiosk::domain::receipt::layout;
use kiosk::domain::record::{Complaint, ComplaintType, Record, RecordData, RecordKind};
use kiosk::domain::{Lang, ReceiptNumber};
use kiosk::printer::{page_setup, receipt_context, render};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to measure
    #[arg(value_parser = ["receipt", "speech", "read-aloud", "summary", "ui", "submit", "pin"])]
    what: String,
    /// How many receipts to build, utterances to start, summaries to run, complaints to submit or PINs to try [default: 2000, 20, 10, 1000, 100]
    #[arg(long)]
    iterations: Option<u32>,
    /// The printer for `submit`: one that never answers, a healthy one, or both in turn
    #[arg(long, default_value = "both", value_parser = ["hung", "healthy", "both"])]
    printer: String,
    /// Ratings to seed for `summary`
    #[arg(long, default_value_t = 1_000_000)]
    ratings: u64,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    if args.what == "summary" {
        return super::bench_summary::run(
            args.ratings,
            args.iterations.unwrap_or(10).clamp(1, 100),
        );
    }
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    if args.what == "ui" {
        return super::bench_ui::run(&config, started, args.iterations.unwrap_or(30));
    }
    if args.what == "submit" {
        return super::bench_submit::run(&config, args.iterations.unwrap_or(1000), &args.printer);
    }
    if args.what == "pin" {
        return super::bench_pin::run(&config, args.iterations.unwrap_or(100));
    }
    if args.what == "speech" {
        return super::bench_speech::run(&config, args.iterations.unwrap_or(20));
    }
    if args.what == "read-aloud" {
        return super::bench_speech::read_aloud(&config, args.iterations.unwrap_or(10));
    }
    let iterations = args.iterations.unwrap_or(2000).max(1);
    let ctx = receipt_context(&config);
    let page = page_setup(&config);
    let record = sample()?;
    let mut size = 0;
    let start = Instant::now();
    for _ in 0..iterations {
        let doc =
            layout(black_box(&record), &ctx, false).ok_or_else(|| anyhow::anyhow!("no receipt"))?;
        size = black_box(render(&doc, page)?).len();
    }
    let per = start.elapsed() / iterations;
    println!(
        "complaint {}: layout + encoding {:.1} µs per receipt (mean of {}), {} bytes",
        args.what,
        per.as_secs_f64() * 1e6,
        iterations,
        size
    );
    Ok(ExitCode::SUCCESS)
}

/// The fastest, the median and the slowest of a benchmark's timings.
pub(super) struct Spread {
    pub(super) min: Duration,
    pub(super) median: Duration,
    pub(super) max: Duration,
}

impl Spread {
    /// Sorts `times` and picks the three; an error if there are none.
    pub(super) fn of(times: &mut [Duration]) -> anyhow::Result<Spread> {
        times.sort();
        let (Some(&min), Some(&median), Some(&max)) =
            (times.first(), times.get(times.len() / 2), times.last())
        else {
            anyhow::bail!("no runs to time");
        };
        Ok(Spread { min, median, max })
    }
}

fn sample() -> anyhow::Result<Record> {
    let at = chrono::FixedOffset::east_opt(7200)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 23, 14, 5, 0).single())
        .ok_or_else(|| anyhow::anyhow!("bad sample time"))?;
    Ok(Record {
        id: uuid::Uuid::now_v7(),
        kind: RecordKind::Complaint,
        number: Some(ReceiptNumber::new("KV1", 2026, 42)?),
        created_at: at,
        clock_trusted: true,
        data: RecordData::Complaint(Complaint {
            ctype: ComplaintType::Complaint,
            category: "service_quality".into(),
            text: "Чаках два часа на гишето.".into(),
            name: "Иван Петров Иванов".into(),
            address: String::new(),
            phone: "0888 123 456".into(),
            email: String::new(),
            anonymous: false,
            health_safety: false,
            flags: vec![],
            due_date: NaiveDate::from_ymd_opt(2026, 12, 23),
            lang: Lang::Bg,
            check_code: "7K3M9Q".parse().ok(),
        }),
    })
}
