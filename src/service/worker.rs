//! A worker thread with a bounded queue.
//!
//! Jobs run one at a time, in the order given. The queue holds at most its
//! capacity: a job offered to a full queue is refused at once and handed
//! back with the reason ([`Refusal::Busy`]), so no caller, the UI thread
//! least of all, ever waits for room. A job that panics is logged and the
//! worker goes on with the next one.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use crate::flow::Refusal;

/// A unit of work.
pub type Job = Box<dyn FnOnce() + Send>;

/// A named worker thread. Clones share the thread and its queue; the
/// thread ends once every clone is dropped and the queue is empty.
#[derive(Clone)]
pub struct Worker {
    name: &'static str,
    tx: SyncSender<Job>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("name", &self.name).finish()
    }
}

impl Worker {
    /// Starts the thread `kiosk-<name>` with a queue of `capacity` jobs.
    pub fn spawn(name: &'static str, capacity: usize) -> std::io::Result<Worker> {
        let (tx, rx) = sync_channel::<Job>(capacity.max(1));
        std::thread::Builder::new()
            .name(format!("kiosk-{name}"))
            .spawn(move || run(name, rx))?;
        Ok(Worker { name, tx })
    }

    /// The worker's name, for logs and refusals.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Queues `job`, or hands it back with why it cannot be queued.
    pub fn try_run(&self, job: Job) -> Result<(), (Refusal, Job)> {
        match self.tx.try_send(job) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(job)) => {
                tracing::warn!(worker = self.name, "the queue is full; a job was refused");
                Err((Refusal::Busy(self.name), job))
            }
            Err(TrySendError::Disconnected(job)) => {
                tracing::error!(
                    worker = self.name,
                    "the worker has stopped; a job was refused"
                );
                Err((Refusal::Stopped(self.name), job))
            }
        }
    }
}

fn run(name: &'static str, rx: Receiver<Job>) {
    for job in rx {
        if std::panic::catch_unwind(AssertUnwindSafe(job)).is_err() {
            tracing::error!(worker = name, "a job panicked; the worker carries on");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Barrier};

    use super::*;

    #[test]
    fn a_full_queue_refuses_at_once_and_the_worker_survives_a_panic() {
        let worker = Worker::spawn("test", 1).unwrap();
        let hold = Arc::new(Barrier::new(2));
        let h = hold.clone();
        // The first job holds the thread; the second fills the queue.
        worker
            .try_run(Box::new(move || {
                h.wait();
            }))
            .map_err(|(r, _)| r)
            .unwrap();
        let mut refused = None;
        for _ in 0..3 {
            if let Err((why, _)) = worker.try_run(Box::new(|| panic!("on purpose"))) {
                refused = Some(why);
            }
        }
        assert_eq!(refused, Some(Refusal::Busy("test")));
        hold.wait();
        let (tx, rx) = std::sync::mpsc::channel();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let tx = tx.clone();
            if worker
                .try_run(Box::new(move || tx.send(()).unwrap()))
                .is_ok()
            {
                break;
            }
            assert!(std::time::Instant::now() < deadline);
            std::thread::yield_now();
        }
        rx.recv().unwrap();
    }
}
