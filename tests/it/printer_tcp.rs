//! The print worker against a fake network printer on loopback: each way a
//! printer can fail ends in a clear status within the timeout, the record
//! and its number intact, the job failed with the reason, and a retry
//! possible.
use crate::support;

use std::path::Path;

use crate::support::fake_printer::{Behaviour, FakePrinter};
use kiosk::clock::ManualClock;
use kiosk::config::{PrinterEncoding, PrinterTransport};
use kiosk::domain::ReceiptNumber;
use kiosk::printer::jobs::{Outcome, PrintWorker};
use kiosk::printer::{PrinterError, PrinterStatus, open, page_setup, receipt_context};
use kiosk::store::{PrintJobState, Store};

/// Generous: the tests assert only that each call returns.
const TIMEOUT_MS: u32 = 500;

fn setup(port: u16) -> (Store, PrintWorker, ReceiptNumber, i64) {
    let cfg = kiosk::config::load_with_env(Path::new("kiosk.toml"), std::iter::empty())
        .expect("the shipped kiosk.toml is valid");
    let store = Store::open_in_memory().unwrap();
    let clock = ManualClock::at_sofia(2026, 11, 23, 14, 5).unwrap();
    let done = store
        .submit(
            support::submission(support::complaint(), true),
            &support::context(&clock),
        )
        .unwrap();
    let spec = PrinterTransport::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let worker = PrintWorker::new(
        store.clone(),
        receipt_context(&cfg),
        page_setup(&cfg),
        Box::new(move || open(&spec, TIMEOUT_MS)),
    );
    (store, worker, done.number.unwrap(), done.print_job.unwrap())
}

/// Runs the queue once and expects job `job` to have failed; returns the error.
fn fails(store: &Store, worker: &PrintWorker, number: &ReceiptNumber, job: i64) -> PrinterError {
    let mut outcomes = worker.run_pending(&chrono::Utc::now).unwrap();
    assert_eq!(outcomes.len(), 1);
    let Outcome::Failed { job: failed, error } = outcomes.remove(0) else {
        panic!("expected a failure");
    };
    assert_eq!(failed, job);
    assert!(!error.is_permanent(), "{error}");
    let stored = store.print_job(job).unwrap().unwrap();
    assert_eq!(stored.state, PrintJobState::Failed);
    assert_eq!(stored.reason.as_deref(), Some(error.to_string().as_str()));
    // The record and its number are untouched.
    assert!(store.get_by_number(number).unwrap().is_some());
    // Staff can retry.
    let again = worker.retry(job, chrono::Utc::now()).unwrap();
    assert_eq!(store.pending_print_jobs().unwrap()[0].id, again);
    error
}

#[test]
fn a_ready_printer_prints_the_receipt() {
    let fake = FakePrinter::start(Behaviour::Accepts);
    let (store, worker, number, job) = setup(fake.port);
    let outcomes = worker.run_pending(&chrono::Utc::now).unwrap();
    assert!(
        matches!(
            outcomes.as_slice(),
            [Outcome::Printed {
                status: PrinterStatus::Ok,
                ..
            }]
        ),
        "{outcomes:?}"
    );
    assert_eq!(
        store.print_job(job).unwrap().unwrap().state,
        PrintJobState::Printed
    );
    drop(worker);
    let bytes = fake.received();
    let slip = support::escpos::decode(&bytes, &[(17, PrinterEncoding::Cp866)]);
    assert!(slip.text().contains(&number.to_string()));
    assert_eq!(slip.status_requests, 6, "checked before and after");
}

#[test]
fn paper_out_fails_the_job_and_says_so() {
    let fake = FakePrinter::start(Behaviour::PaperOut);
    let (store, worker, number, job) = setup(fake.port);
    let error = fails(&store, &worker, &number, job);
    assert!(
        matches!(error, PrinterError::NotReady(PrinterStatus::PaperOut)),
        "{error}"
    );
    assert!(error.to_string().contains("paper out"), "{error}");
}

#[test]
fn a_printer_that_stops_reading_fails_within_the_timeout() {
    let fake = FakePrinter::start(Behaviour::StopsReading);
    let (store, worker, number, job) = setup(fake.port);
    let error = fails(&store, &worker, &number, job);
    assert!(
        matches!(
            error,
            PrinterError::StoppedAnswering | PrinterError::Timeout { .. }
        ),
        "{error}"
    );
    drop(fake);
}

#[test]
fn a_refused_connection_is_unreachable() {
    let fake = FakePrinter::start(Behaviour::Refuses);
    let (store, worker, number, job) = setup(fake.port);
    let error = fails(&store, &worker, &number, job);
    assert!(matches!(error, PrinterError::Unreachable { .. }), "{error}");
    assert!(error.to_string().contains("[printer] transport"), "{error}");
    assert!(worker.status().is_err());
}
