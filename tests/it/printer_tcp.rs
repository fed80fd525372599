//! The print worker against a fake network printer on loopback: each way a
//! printer can fail ends in a clear status within the timeout, the record
//! and its number intact, the job failed with the reason, and a retry
//! possible.
use crate::support;

use std::path::Path;
use std::time::Duration;

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

/// Runs the queue once and expects job `job` to be sent but not confirmed.
fn unconfirmed(store: &Store, worker: &PrintWorker, job: i64) {
    let mut outcomes = worker.run_pending(&chrono::Utc::now).unwrap();
    assert_eq!(outcomes.len(), 1);
    let Outcome::Failed { job: id, error } = outcomes.remove(0) else {
        panic!("a slip the printer never confirmed was called printed");
    };
    assert_eq!(id, job);
    assert!(matches!(error, PrinterError::NotConfirmed), "{error}");
    assert!(error.to_string().contains("sent, not confirmed"), "{error}");
    let stored = store.print_job(job).unwrap().unwrap();
    assert_eq!(stored.state, PrintJobState::Unconfirmed);
}

#[test]
fn a_printer_that_takes_the_connection_and_never_reads_is_not_confirmed() {
    let fake = FakePrinter::start(Behaviour::Silent);
    let (store, worker, _, job) = setup(fake.port);
    unconfirmed(&store, &worker, job);
}

#[test]
fn a_printer_that_reads_the_slip_but_never_answers_status_is_not_confirmed() {
    let fake = FakePrinter::start(Behaviour::NoStatus);
    let (store, worker, _, job) = setup(fake.port);
    unconfirmed(&store, &worker, job);
    assert!(fake.received().len() > 200, "the slip was sent");
}

#[test]
fn a_late_answer_to_the_status_before_the_slip_does_not_confirm_it() {
    let late = Duration::from_millis(u64::from(TIMEOUT_MS) * 3 / 2);
    let fake = FakePrinter::start(Behaviour::AnswersFirstLate(late));
    let (store, worker, _, job) = setup(fake.port);
    unconfirmed(&store, &worker, job);
    assert!(fake.received().len() > 200, "the slip was sent");
}

#[test]
fn a_printer_that_closes_or_resets_mid_slip_fails_the_job() {
    for behaviour in [Behaviour::ClosesAfter(200), Behaviour::ResetsAfter(200)] {
        let fake = FakePrinter::start(behaviour);
        let (store, worker, number, job) = setup(fake.port);
        let mut outcomes = worker.run_pending(&chrono::Utc::now).unwrap();
        let Outcome::Failed { job: id, error } = outcomes.remove(0) else {
            panic!("{behaviour:?}: a slip cut off after 200 bytes was called printed");
        };
        assert_eq!(id, job);
        let stored = store.print_job(job).unwrap().unwrap();
        assert_ne!(
            stored.state,
            PrintJobState::Printed,
            "{behaviour:?}: {error}"
        );
        assert!(store.get_by_number(&number).unwrap().is_some());
        assert_eq!(fake.received().len(), 200, "{behaviour:?}");
    }
}

#[test]
fn the_receipt_command_says_sent_not_confirmed_and_exits_non_zero() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let made = support::cli::run(dir.path(), "", &["init"]);
    assert!(made.status.success(), "{}", support::cli::text(&made));
    let demo = support::cli::run(
        dir.path(),
        "",
        &["demo-data", "--ratings", "0", "--complaints", "1"],
    );
    assert!(demo.status.success(), "{}", support::cli::text(&demo));
    let number = Store::open(dir.path().join("kiosk.db"))
        .unwrap()
        .pending_batch(10)
        .unwrap()
        .items
        .iter()
        .find_map(|i| i.record.number.clone())
        .unwrap();
    for behaviour in [Behaviour::NoStatus, Behaviour::Silent] {
        let fake = FakePrinter::start(behaviour);
        let o = support::cli::command(dir.path(), "")
            .args(["receipt", &number.to_string()])
            .env(
                "KIOSK__PRINTER__TRANSPORT",
                format!("tcp:127.0.0.1:{}", fake.port),
            )
            .env("KIOSK__PRINTER__TIMEOUT_MS", "500")
            .output()
            .unwrap();
        let said = support::cli::text(&o);
        assert!(!o.status.success(), "{behaviour:?}: {said}");
        assert!(
            said.contains("sent, not confirmed"),
            "{behaviour:?}: {said}"
        );
        assert!(!said.contains(" printed (printer"), "{behaviour:?}: {said}");
        drop(fake);
    }
    let store = Store::open(dir.path().join("kiosk.db")).unwrap();
    for id in [1, 2] {
        let job = store.print_job(id).unwrap().unwrap();
        assert_eq!(job.state, PrintJobState::Unconfirmed, "job {id}");
    }
}
