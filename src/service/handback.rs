//! How an answer gets from a worker thread back to the UI thread, and to
//! the reply that was waiting for it.
//!
//! A [`Ticket`] is made on the UI thread for each request: it files the
//! [`Reply`] in the UI thread's table and travels with the job. The worker
//! sends the answer with it through a [`HandBack`]: in the kiosk, Slint's
//! `invoke_from_event_loop`; in tests and benchmarks, a [`Pump`] the test
//! thread drains. A ticket always answers exactly once: with the job's
//! result, or, if the job never ran or never finished (queue full, worker
//! stopped, a panic), with the result's "refused" value.

use std::any::Any;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::flow::{FromRefusal, Refusal, Reply};

/// Runs closures on the UI thread.
pub trait HandBack: Send + Sync {
    /// Runs `f` on the UI thread, soon.
    fn post(&self, f: Box<dyn FnOnce() + Send>);
    /// A request was made whose answer will be posted (counted by [`Pump`]).
    fn expect(&self) {}
}

type Waiting = Box<dyn FnOnce(Box<dyn Any>)>;

thread_local! {
    /// The replies waiting on this (the UI) thread, by ticket.
    static WAITING: RefCell<HashMap<u64, Waiting>> = RefCell::new(HashMap::new());
}

static NEXT: AtomicU64 = AtomicU64::new(1);

/// Runs the reply filed under `id` with `value`, on the UI thread.
fn finish<T: 'static>(id: u64, value: Option<T>) {
    let Some(reply) = WAITING.with(|w| w.borrow_mut().remove(&id)) else {
        tracing::error!(id, "an answer came for a request nobody waits for");
        return;
    };
    if let Some(value) = value {
        reply(Box::new(value));
    }
}

/// A request on its way: answers its reply exactly once.
pub struct Ticket<T: FromRefusal + Send + 'static> {
    id: u64,
    back: Arc<dyn HandBack>,
    /// What to answer if the job is dropped without an answer.
    why: Arc<Mutex<Refusal>>,
    done: bool,
    _answer: PhantomData<fn() -> T>,
}

impl<T: FromRefusal + Send + 'static> Ticket<T> {
    /// Files `reply`; call on the UI thread. `worker` names who will answer.
    pub fn new(reply: Reply<T>, back: Arc<dyn HandBack>, worker: &'static str) -> Ticket<T> {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let waiting: Waiting = Box::new(move |value: Box<dyn Any>| match value.downcast::<T>() {
            Ok(value) => reply(*value),
            Err(_) => tracing::error!("an answer of the wrong kind was handed back"),
        });
        WAITING.with(|w| w.borrow_mut().insert(id, waiting));
        back.expect();
        Ticket {
            id,
            back,
            why: Arc::new(Mutex::new(Refusal::Lost(worker))),
            done: false,
            _answer: PhantomData,
        }
    }

    /// Where to write why the job will not run, before dropping it.
    pub fn refusal(&self) -> Arc<Mutex<Refusal>> {
        self.why.clone()
    }

    /// Hands `value` to the reply.
    pub fn send(mut self, value: T) {
        self.done = true;
        let id = self.id;
        self.back.post(Box::new(move || finish(id, Some(value))));
    }

    /// Drops the reply without calling it.
    pub fn cancel(mut self) {
        self.done = true;
        let id = self.id;
        self.back.post(Box::new(move || finish::<T>(id, None)));
    }
}

impl<T: FromRefusal + Send + 'static> Drop for Ticket<T> {
    fn drop(&mut self) {
        if !self.done {
            let why = *self.why.lock().unwrap_or_else(PoisonError::into_inner);
            let id = self.id;
            self.back
                .post(Box::new(move || finish(id, Some(T::refused(why)))));
        }
    }
}

/// A hand-back that a test or a benchmark drains on its own thread, which
/// stands for the UI thread: what Slint's event loop does in the kiosk.
#[derive(Default)]
pub struct Pump {
    queue: Mutex<VecDeque<Box<dyn FnOnce() + Send>>>,
    ready: Condvar,
    /// Requests whose answers are not yet in the queue.
    outstanding: AtomicUsize,
}

impl HandBack for Pump {
    fn post(&self, f: Box<dyn FnOnce() + Send>) {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(f);
        // After the push: `settle` must never see neither.
        self.outstanding.fetch_sub(1, Ordering::SeqCst);
        self.ready.notify_all();
    }

    fn expect(&self) {
        self.outstanding.fetch_add(1, Ordering::SeqCst);
    }
}

impl Pump {
    pub fn new() -> Arc<Pump> {
        Arc::new(Pump::default())
    }

    /// Runs what has come back so far; returns how many.
    pub fn run_ready(&self) -> usize {
        let mut ran = 0;
        loop {
            let next = self
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front();
            match next {
                Some(f) => {
                    f();
                    ran += 1;
                }
                None => return ran,
            }
        }
    }

    /// Waits until something comes back (or `within` passes) and runs it.
    pub fn run_next(&self, within: Duration) -> usize {
        let deadline = Instant::now() + within;
        {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            while queue.is_empty() {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return 0;
                }
                queue = self
                    .ready
                    .wait_timeout(queue, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }
        self.run_ready()
    }

    /// Runs answers as they come until every request made has been
    /// answered (answers may make new requests). False if that took longer
    /// than `within`.
    pub fn settle(&self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        loop {
            self.run_ready();
            if self.outstanding.load(Ordering::SeqCst) == 0 && self.is_empty() {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            self.run_next(left.min(Duration::from_millis(50)));
        }
    }

    fn is_empty(&self) -> bool {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::*;

    #[derive(Debug, PartialEq)]
    enum Answer {
        Value(u32),
        Refused(Refusal),
    }

    impl FromRefusal for Answer {
        fn refused(why: Refusal) -> Self {
            Answer::Refused(why)
        }
    }

    type Seen = (Rc<Cell<Option<u32>>>, Rc<Cell<bool>>);

    fn ticket(pump: &Arc<Pump>) -> (Ticket<Answer>, Seen) {
        let (value, refused) = (Rc::new(Cell::new(None)), Rc::new(Cell::new(false)));
        let (v, r) = (value.clone(), refused.clone());
        let t = Ticket::new(
            Box::new(move |a| match a {
                Answer::Value(n) => v.set(Some(n)),
                Answer::Refused(_) => r.set(true),
            }),
            pump.clone(),
            "test",
        );
        (t, (value, refused))
    }

    #[test]
    fn a_ticket_answers_once_from_another_thread_or_says_it_was_lost() {
        let pump = Pump::new();
        let (sent, (value, _)) = ticket(&pump);
        let (lost, (_, refused)) = ticket(&pump);
        let (cancelled, (cancelled_value, cancelled_refused)) = ticket(&pump);
        std::thread::spawn(move || {
            sent.send(Answer::Value(7));
            drop(lost);
            cancelled.cancel();
        })
        .join()
        .unwrap();
        assert!(pump.settle(Duration::from_secs(5)));
        assert_eq!(value.get(), Some(7));
        assert!(refused.get());
        assert_eq!(
            (cancelled_value.get(), cancelled_refused.get()),
            (None, false)
        );
    }

    #[test]
    fn settle_waits_for_answers_still_to_come() {
        let pump = Pump::new();
        let (t, (value, _)) = ticket(&pump);
        let worker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            t.send(Answer::Value(1));
        });
        assert!(pump.settle(Duration::from_secs(30)));
        assert_eq!(value.get(), Some(1));
        worker.join().unwrap();
    }
}
