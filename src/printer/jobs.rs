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
use crate::store::{PrintJob, Store};

/// Opens a fresh connection to the printer for each job.
pub type Opener = dyn Fn() -> Result<Box<dyn Transport>, PrinterError> + Send + Sync;

/// How one job ended.
#[derive(Debug)]
pub enum Outcome {
    /// On paper; `status` is what the printer said before printing (e.g.
    /// paper near end, for the staff).
    Printed { job: i64, status: PrinterStatus },
    /// Not printed; the job is marked failed with `error`'s message.
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
            match self.print(&job) {
                Ok(status) => {
                    self.store.mark_printed(job.id, now())?;
                    tracing::info!(job = job.id, status = status.as_str(), "receipt printed");
                    outcomes.push(Outcome::Printed {
                        job: job.id,
                        status,
                    });
                }
                Err(error) => {
                    self.store
                        .mark_print_failed(job.id, &error.to_string(), now())?;
                    tracing::warn!(job = job.id, %error, "receipt not printed");
                    outcomes.push(Outcome::Failed { job: job.id, error });
                }
            }
        }
        Ok(outcomes)
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

    fn print(&self, job: &PrintJob) -> Result<PrinterStatus, PrinterError> {
        let record = self.record(job.record_id)?;
        let bytes = self.receipt_bytes(&record, job.duplicate)?;
        let mut printer = (self.open)()?;
        let before = printer.status()?;
        if !before.can_print() {
            return Err(PrinterError::NotReady(before));
        }
        for _ in 0..job.copies.max(1) {
            printer.write_all(&bytes)?;
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
