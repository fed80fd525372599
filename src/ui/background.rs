//! The background worker: storing records and printing receipts off the UI
//! thread. Jobs run one at a time in the order given, so a receipt is never
//! printed before its record is committed. Results come back to the UI
//! through the Slint event loop.
//!
//! Tests use the inline mode: the same jobs, run at once on the caller's
//! thread, so a test sees the result without an event loop.

use std::sync::{Arc, Mutex, mpsc};

use crate::clock::Clock;
use crate::config::Config;
use crate::printer::PrintWorker;
use crate::staff::{Staff, StaffSettings};
use crate::store::Store;

use super::AppWindow;

/// What jobs may use: the store, the receipt printer and staff mode.
pub struct WorkerState {
    pub store: Store,
    pub printer: Arc<PrintWorker>,
    pub staff: Staff,
}

impl WorkerState {
    /// Everything the jobs need, for the printer in `[printer]`.
    pub fn new(store: Store, config: &Config, clock: Arc<dyn Clock>) -> WorkerState {
        let printer = Arc::new(crate::printer::worker(store.clone(), config));
        let staff = Staff::new(
            store.clone(),
            clock,
            StaffSettings::from_config(config),
            Some(printer.clone()),
        );
        WorkerState {
            store,
            printer,
            staff,
        }
    }
}

type Job = Box<dyn FnOnce(&mut WorkerState) + Send>;

/// Runs jobs off the UI thread (or inline in tests).
pub struct Background {
    mode: Mode,
}

enum Mode {
    Thread(Mutex<mpsc::Sender<Job>>),
    Inline(Box<Mutex<WorkerState>>),
}

impl Background {
    /// A worker thread that owns `state`.
    pub fn threaded(mut state: WorkerState) -> std::io::Result<Background> {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("kiosk-worker".into())
            .spawn(move || {
                for job in rx {
                    job(&mut state);
                }
            })?;
        Ok(Background {
            mode: Mode::Thread(Mutex::new(tx)),
        })
    }

    /// Jobs run at once on the calling thread.
    pub fn inline(state: WorkerState) -> Background {
        Background {
            mode: Mode::Inline(Box::new(Mutex::new(state))),
        }
    }

    /// Runs `job` in the background, then `done` with its result on the UI
    /// thread (if the window still exists).
    pub fn run<T: Send + 'static>(
        &self,
        window: slint::Weak<AppWindow>,
        job: impl FnOnce(&mut WorkerState) -> T + Send + 'static,
        done: impl FnOnce(&AppWindow, T) + Send + 'static,
    ) {
        match &self.mode {
            Mode::Thread(tx) => {
                let wrapped: Job = Box::new(move |state| {
                    let result = job(state);
                    if let Err(err) = window.upgrade_in_event_loop(move |w| done(&w, result)) {
                        tracing::error!(%err, "cannot hand a background result to the screen");
                    }
                });
                let sent = match tx.lock() {
                    Ok(tx) => tx.send(wrapped).is_ok(),
                    Err(_) => false,
                };
                if !sent {
                    tracing::error!("the background worker has stopped; a job was not run");
                }
            }
            Mode::Inline(state) => {
                let result = match state.lock() {
                    Ok(mut state) => job(&mut state),
                    Err(poisoned) => job(&mut poisoned.into_inner()),
                };
                if let Some(w) = window.upgrade() {
                    done(&w, result);
                }
            }
        }
    }
}
