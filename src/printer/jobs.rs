//! The print-job worker: takes pending jobs from the store, prints them and
//! marks each printed or failed with the reason.
//!
//! Synchronous on purpose: one call does one round of work and returns, so
//! it can run on any worker thread without an async runtime. Every printer
//! call is bounded by the transport's timeout, so a round ends even when
//! the printer is off, jammed or gone from the network.
//!
//! Invariant: nothing here changes a record or its number. A failed job
//! stays failed (the store keeps it as history); retrying adds a new job
//! for the same record.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::PrinterError;
use super::render::{PageSetup, render};
use super::status::PrinterStatus;
use super::transport::Transport;
use crate::domain::numbering::ReceiptNumber;
use crate::domain::receipt::{ReceiptContext, layout};
use crate::domain::record::Record;
use crate::store::{PrintJob, PrintJobState, Store};

/// Opens a fresh connection to the printer for each job.
pub type Opener = dyn Fn() -> Result<Box<dyn Transport>, PrinterError> + Send + Sync;

/// How one job ended.
#[derive(Debug)]
pub enum Outcome {
    /// On paper; `status` is what the printer said before printing (e.g.
    /// paper near end, for the staff).
    Printed { job: i64, status: PrinterStatus },
    /// Not printed, or not confirmed ([`PrinterError::NotConfirmed`]: the
    /// job is marked unconfirmed); otherwise the job is marked failed with
    /// `error`'s message.
    Failed { job: i64, error: PrinterError },
}

/// Prints receipts from the store's queue.
pub struct PrintWorker {
    store: Store,
    ctx: ReceiptContext,
    page: PageSetup,
    open: Box<Opener>,
}

impl PrintWorker {
    /// A worker printing with `page` through connections from `open`.
    pub fn new(store: Store, ctx: ReceiptContext, page: PageSetup, open: Box<Opener>) -> Self {
        PrintWorker {
            store,
            ctx,
            page,
            open,
        }
    }

    /// The bytes of `record`'s receipt.
    pub fn receipt_bytes(&self, record: &Record, duplicate: bool) -> Result<Vec<u8>, PrinterError> {
        let doc = layout(record, &self.ctx, duplicate).ok_or_else(|| {
            PrinterError::NoReceipt(format!("a {} gets no receipt", record.kind.as_str()))
        })?;
        render(&doc, self.page)
    }

    /// The printer's status now, for the staff screen and the status LED.
    pub fn status(&self) -> Result<PrinterStatus, PrinterError> {
        (self.open)()?.status()
    }

    /// Prints every pending job once, oldest first. Fails only when the
    /// store itself fails; printer problems are outcomes.
    pub fn run_pending(
        &self,
        now: &dyn Fn() -> DateTime<Utc>,
    ) -> Result<Vec<Outcome>, PrinterError> {
        let mut outcomes = Vec::new();
        for job in self.store.pending_print_jobs()? {
            outcomes.push(self.run(&job, now)?);
        }
        Ok(outcomes)
    }

    /// Prints the receipt of `record`: its pending job, or a new one when it
    /// has none, and nothing else. A slip an earlier visitor never got (the
    /// kiosk stopped mid-print, the printer was busy) must not come out
    /// with this visitor's: staff reprint those by number.
    pub fn print_record(
        &self,
        record: Uuid,
        now: &dyn Fn() -> DateTime<Utc>,
    ) -> Result<Outcome, PrinterError> {
        let pending = self.store.pending_print_jobs()?;
        let job = match pending.into_iter().find(|j| j.record_id == record) {
            Some(job) => job,
            None => {
                let id = self.store.add_print_job(record, false, now())?;
                self.pending_job(id)?
            }
        };
        self.run(&job, now)
    }

    /// Prints job `id` now, if it is still pending.
    pub fn print_job(
        &self,
        id: i64,
        now: &dyn Fn() -> DateTime<Utc>,
    ) -> Result<Outcome, PrinterError> {
        let job = self.pending_job(id)?;
        self.run(&job, now)
    }

    fn pending_job(&self, id: i64) -> Result<PrintJob, PrinterError> {
        self.store
            .print_job(id)?
            .filter(|j| j.state == PrintJobState::Pending)
            .ok_or_else(|| {
                PrinterError::NoReceipt(format!("print job {id} is not waiting to print"))
            })
    }

    /// Prints one job and records how it ended.
    fn run(
        &self,
        job: &PrintJob,
        now: &dyn Fn() -> DateTime<Utc>,
    ) -> Result<Outcome, PrinterError> {
        match self.print(job) {
            Ok(status) => {
                self.store.mark_printed(job.id, now())?;
                tracing::info!(job = job.id, status = status.as_str(), "receipt printed");
                Ok(Outcome::Printed {
                    job: job.id,
                    status,
                })
            }
            Err(error @ PrinterError::NotConfirmed) => {
                self.store
                    .mark_print_unconfirmed(job.id, &error.to_string(), now())?;
                tracing::warn!(job = job.id, %error, "receipt sent, not confirmed");
                Ok(Outcome::Failed { job: job.id, error })
            }
            Err(error) => {
                self.store
                    .mark_print_failed(job.id, &error.to_string(), now())?;
                tracing::warn!(job = job.id, %error, "receipt not printed");
                Ok(Outcome::Failed { job: job.id, error })
            }
        }
    }

    /// Queues job `job_id` again after it failed; returns the new job's id.
    pub fn retry(&self, job_id: i64, at: DateTime<Utc>) -> Result<i64, PrinterError> {
        let job = self
            .store
            .print_job(job_id)?
            .ok_or_else(|| PrinterError::NoReceipt(format!("there is no print job {job_id}")))?;
        Ok(self.store.add_print_job(job.record_id, job.duplicate, at)?)
    }

    /// Queues a reprint of receipt `number`, marked as a duplicate.
    pub fn reprint(&self, number: &ReceiptNumber, at: DateTime<Utc>) -> Result<i64, PrinterError> {
        let stored = self
            .store
            .get_by_number(number)?
            .ok_or_else(|| PrinterError::NoReceipt(format!("no record has number {number}")))?;
        Ok(self.store.add_print_job(stored.record.id, true, at)?)
    }

    /// What the receipt layout needs from kiosk.toml.
    pub fn context(&self) -> &ReceiptContext {
        &self.ctx
    }

    /// The page setup from `[printer]`.
    pub fn page(&self) -> PageSetup {
        self.page
    }

    /// Prints `bytes` now, outside the queue (summary slips, the set-up
    /// slip): same status checks as a receipt, nothing stored.
    pub fn print_now(&self, bytes: &[u8]) -> Result<PrinterStatus, PrinterError> {
        self.send(bytes, 1)
    }

    fn print(&self, job: &PrintJob) -> Result<PrinterStatus, PrinterError> {
        let record = self.record(job.record_id)?;
        let bytes = self.receipt_bytes(&record, job.duplicate)?;
        self.send(&bytes, job.copies)
    }

    fn send(&self, bytes: &[u8], copies: u32) -> Result<PrinterStatus, PrinterError> {
        let mut printer = (self.open)()?;
        let before = printer.status()?;
        if !before.can_print() {
            return Err(PrinterError::NotReady(before));
        }
        for _ in 0..copies.max(1) {
            printer.write_all(bytes)?;
        }
        // Over the network a finished write only means the kernel took the
        // bytes: the slip is printed when the printer says so after the cut.
        if !printer.write_is_delivery() {
            return match printer.status()? {
                // It answered before the slip and went silent: it stopped.
                PrinterStatus::Unknown if before != PrinterStatus::Unknown => {
                    Err(PrinterError::StoppedAnswering)
                }
                PrinterStatus::Unknown => Err(PrinterError::NotConfirmed),
                after if !after.can_print() => Err(PrinterError::NotReady(after)),
                after => Ok(after),
            };
        }
        // A printer that answered before must answer after: one that went
        // silent mid-job (jammed, unplugged, stuck buffer) did not print.
        if before != PrinterStatus::Unknown {
            match printer.status()? {
                PrinterStatus::Unknown => return Err(PrinterError::StoppedAnswering),
                after if !after.can_print() => return Err(PrinterError::NotReady(after)),
                _ => {}
            }
        }
        Ok(before)
    }

    fn record(&self, id: Uuid) -> Result<Record, PrinterError> {
        Ok(self
            .store
            .get(id)?
            .ok_or_else(|| PrinterError::NoReceipt(format!("record {id} is not in the store")))?
            .record)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::domain::Localized;
    use crate::domain::hours::OfficeHours;
    use crate::store::Submission;
    use crate::store::fixtures::{complaint, context, submission};

    /// A printer in memory that answers `DLE EOT n` with `answer(n)`.
    struct MemoryPrinter {
        paper: Arc<Mutex<Vec<u8>>>,
        answer: fn(u8) -> Option<u8>,
    }

    impl Transport for MemoryPrinter {
        fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
            self.paper.lock().unwrap().extend_from_slice(bytes);
            Ok(())
        }
        fn query(&mut self, n: u8) -> Result<Option<u8>, PrinterError> {
            Ok((self.answer)(n))
        }
        fn can_read(&self) -> bool {
            true
        }
    }

    fn worker(
        answer: fn(u8) -> Option<u8>,
    ) -> (Store, PrintWorker, Arc<Mutex<Vec<u8>>>, ManualClock) {
        let clock = ManualClock::at_sofia(2026, 3, 3, 11, 0).unwrap();
        let store = Store::open_in_memory().unwrap();
        store
            .submit(
                Submission {
                    print_receipt: true,
                    ..submission(complaint())
                },
                &context(&clock),
            )
            .unwrap();
        let paper = Arc::new(Mutex::new(Vec::new()));
        let sheet = paper.clone();
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let ctx = ReceiptContext {
            municipality: Localized::new("Община Ковачевци".into(), String::new()),
            registry_desk: None,
            hours: OfficeHours {
                opens: t(8, 30),
                closes: t(17, 0),
                lunch_start: t(12, 0),
                lunch_end: t(12, 30),
            },
            phone: String::new(),
            website: String::new(),
            status_url: String::new(),
            categories: Vec::new(),
            columns: 48,
            large_print: false,
        };
        let page = PageSetup {
            encoding: crate::config::PrinterEncoding::Cp866,
            esc_t_n: 17,
            cancel_kanji: true,
        };
        let open: Box<Opener> = Box::new(move || {
            Ok(Box::new(MemoryPrinter {
                paper: sheet.clone(),
                answer,
            }) as Box<dyn Transport>)
        });
        (
            store.clone(),
            PrintWorker::new(store, ctx, page, open),
            paper,
            clock,
        )
    }

    #[test]
    fn paper_near_end_still_prints_and_says_so() {
        let (store, worker, paper, clock) = worker(|n| Some(if n == 4 { 0x1E } else { 0x12 }));
        let out = worker.run_pending(&|| clock.now()).unwrap();
        assert!(matches!(
            out.as_slice(),
            [Outcome::Printed {
                status: PrinterStatus::PaperNearEnd,
                ..
            }]
        ));
        assert!(!paper.lock().unwrap().is_empty());
        assert!(store.pending_print_jobs().unwrap().is_empty());
    }

    #[test]
    fn an_open_cover_fails_the_job_and_prints_nothing() {
        let (store, worker, paper, clock) =
            worker(|n| Some([0x12, 0x1A, 0x16, 0x12, 0x12][usize::from(n.min(4))]));
        let out = worker.run_pending(&|| clock.now()).unwrap();
        let [Outcome::Failed { job, error }] = out.as_slice() else {
            panic!("{out:?}");
        };
        assert!(matches!(
            error,
            PrinterError::NotReady(PrinterStatus::CoverOpen)
        ));
        assert!(paper.lock().unwrap().is_empty());
        let stored = store.print_job(*job).unwrap().unwrap();
        assert_eq!(stored.state, PrintJobState::Failed);
        assert!(stored.reason.unwrap().contains("cover open"));
    }

    #[test]
    fn a_silent_printer_is_tried_and_the_bytes_sent() {
        let (_, worker, paper, clock) = worker(|_| None);
        let out = worker.run_pending(&|| clock.now()).unwrap();
        assert!(matches!(
            out.as_slice(),
            [Outcome::Printed {
                status: PrinterStatus::Unknown,
                ..
            }]
        ));
        assert!(paper.lock().unwrap().starts_with(&[0x1B, 0x40]));
    }

    #[test]
    fn a_visitors_print_leaves_an_earlier_visitors_pending_slip_alone() {
        let (store, worker, paper, clock) = worker(|_| Some(0x12));
        let earlier = store.pending_print_jobs().unwrap()[0].clone();
        let mine = store
            .submit(
                Submission {
                    print_receipt: false,
                    ..submission(complaint())
                },
                &context(&clock),
            )
            .unwrap();
        let out = worker.print_record(mine.id, &|| clock.now()).unwrap();
        assert!(matches!(out, Outcome::Printed { .. }), "{out:?}");
        assert!(paper.lock().unwrap().windows(6).any(|w| w == b"000002"));
        assert!(!paper.lock().unwrap().windows(6).any(|w| w == b"000001"));
        let still = store.print_job(earlier.id).unwrap().unwrap();
        assert_eq!(still.state, PrintJobState::Pending);
    }

    #[test]
    fn reprinting_an_unknown_number_is_refused() {
        let (_, worker, _, clock) = worker(|_| None);
        let n = ReceiptNumber::new("KV1", 2026, 999).unwrap();
        let err = worker.reprint(&n, clock.now()).unwrap_err();
        assert!(err.is_permanent(), "{err}");
    }
}
