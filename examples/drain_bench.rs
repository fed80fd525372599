//! Benchmark: drain 10,000 queued records to a central system on loopback.
//!
//! `cargo run --release --example drain_bench [-- RECORDS]`
//!
//! The records are written first (not timed), to a database on the
//! ordinary disk, like the kiosk's; then one drain pass with the default
//! batch size is timed, fsyncs included. The loopback server is the test
//! suite's, without faults.

// The test suite's test fixtures: a failed unwrap there is a failed run.
#[path = "../tests/it/support/mod.rs"]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod support;

use std::time::{Duration, Instant};

use kiosk::clock::SystemClock;
use kiosk::store::Store;
use kiosk::sync::{Backoff, CentralClient, DrainReport, SyncSettings, drain};

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let dir = tempfile::tempdir_in(std::env::current_dir()?)?;
    let store = Store::create(dir.path().join("kiosk.db"))?;
    let ctx = support::context(&SystemClock);
    let queued = Instant::now();
    for i in 0..n {
        // A complaint in four, the rest ratings, as in a lobby.
        let data = if i.is_multiple_of(4) {
            support::complaint()
        } else {
            support::rating((i % 5) as u8 + 1)
        };
        store.submit(support::submission(data, false), &ctx)?;
    }
    eprintln!("queued {n} records in {:.2?} (not timed)", queued.elapsed());

    let server = support::central::FakeCentral::start(support::central::Faults::default());
    let settings = SyncSettings {
        kiosk_id: "kovachevtsi-lobby-1".into(),
        url: server.url(),
        token_file: Default::default(),
        ca_file: None,
        batch_size: 100,
        connect_timeout: Duration::from_secs(10),
        request_timeout: Duration::from_secs(30),
        backoff: Backoff::default(),
        poll_every: Duration::from_secs(30),
        heartbeat_every: Duration::from_secs(300),
        keep_after_delivery: chrono::Duration::days(30),
        erase_every: Duration::from_secs(3600),
    };
    let client = CentralClient::new(&settings, support::central::TOKEN)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut report = DrainReport::default();
    let start = Instant::now();
    rt.block_on(drain(&client, &store, &SystemClock, 100, &mut report))?;
    let took = start.elapsed();
    let held = server.seen(|s| s.held.len());
    anyhow::ensure!(held == n, "the server holds {held} of {n} records");
    anyhow::ensure!(store.outbox_counts()?.pending == 0, "records left pending");
    println!(
        "drained {n} records in {} requests to loopback in {:.2} s ({:.0} records/s)",
        report.requests,
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    Ok(())
}
