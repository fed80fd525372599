//! The sync worker: a small state machine on a tokio runtime of its own.
//!
//! States: idle (a poll interval with `MissedTickBehavior::Skip` looks at
//! the outbox), sending (a drain pass), waiting (after a failure, until the
//! back-off or the server's `Retry-After` has passed). Commands arrive on a
//! channel: `SyncNow` ends any wait, `Kick` (sent after every commit)
//! drains now unless a back-off is running, `Stop` ends the worker,
//! cancelling a pass at its next await point. Beside the passes, the
//! worker sends the heartbeat, reads the central system's updates with it
//! (and at start, and after every good pass until they were read once) to
//! raise the receipt-number floors, and erases personal data whose time is
//! up. After a configuration problem (a wrong URL, refused credentials)
//! it waits the back-off cap: retrying sooner cannot help.
//!
//! Nothing in memory matters: the outbox is the state, and every answer is
//! written to it before the next request, so a stop, a crash or a power cut
//! loses nothing and the next start resumes where this one stopped.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior, interval, sleep_until};

use super::client::CentralClient;
use super::drain::{DrainReport, drain};
use super::error::SyncError;
use super::settings::{SyncSettings, read_token};
use super::status::{SyncPhase, SyncStatus};
use super::wire::{Heartbeat, Updates, rfc3339, sofia_rfc3339};
use crate::clock::Clock;
use crate::store::follow_up::keys;
use crate::store::{FloorSource, Store};

/// Reports the printer's state for the heartbeat, in the contract's words
/// (`ok`, `paper_low`, `paper_out`, `cover_open`, `offline`, `unknown`).
pub type PrinterState = Arc<dyn Fn() -> &'static str + Send + Sync>;

/// A printer state source for kiosks whose printer is not wired in yet.
pub fn printer_unknown() -> PrinterState {
    Arc::new(|| "unknown")
}

/// What the UI or the CLI can ask of the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Try now, whatever the back-off says (the staff's "sync now").
    SyncNow,
    /// A record was just committed: send it now if the link is healthy,
    /// but respect a running back-off, so a central system that is down or
    /// refuses the credentials is not hit at every visitor's tap.
    Kick,
    /// Stop as soon as possible.
    Stop,
}

/// The running worker, as seen from the rest of the kiosk.
#[derive(Debug)]
pub struct SyncHandle {
    commands: mpsc::UnboundedSender<Command>,
    status: watch::Receiver<SyncStatus>,
    done: std::sync::mpsc::Receiver<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SyncHandle {
    /// A receiver of status snapshots; `borrow()` never blocks.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// The latest status.
    pub fn snapshot(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// Asks for a pass now.
    pub fn sync_now(&self) {
        // Fails only when the worker has already ended; nothing to do then.
        let _ = self.commands.send(Command::SyncNow);
    }

    /// A record was committed: drain now unless the worker is backing off.
    pub fn kick(&self) {
        let _ = self.commands.send(Command::Kick);
    }

    /// A cheap, cloneable [`SyncHandle::kick`] for the threads that commit.
    pub fn kicker(&self) -> SyncKick {
        SyncKick(self.commands.clone())
    }

    /// Stops the worker and waits up to `within` for it. Returns whether it
    /// ended in time; if not, its thread is left to end on its own (the
    /// outbox is consistent either way).
    pub fn shutdown(mut self, within: Duration) -> bool {
        let _ = self.commands.send(Command::Stop);
        match self.done.recv_timeout(within) {
            Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                if let Some(thread) = self.thread.take() {
                    let _ = thread.join();
                }
                true
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                tracing::warn!(?within, "the sync worker did not stop in time");
                false
            }
        }
    }
}

/// Tells the sync worker that a record was committed (see [`Command::Kick`]).
#[derive(Debug, Clone)]
pub struct SyncKick(mpsc::UnboundedSender<Command>);

impl SyncKick {
    pub fn kick(&self) {
        // Fails only when the worker has already ended; nothing to do then.
        let _ = self.0.send(Command::Kick);
    }

    /// A pass now, whatever the back-off says: staff put records back.
    pub fn sync_now(&self) {
        let _ = self.0.send(Command::SyncNow);
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
    }
}

/// Starts the worker on a thread of its own. Refuses to start, with the
/// reason, when no central system is configured, the token file is missing,
/// empty or readable by others, the CA file is unusable or the URL is not
/// HTTPS (except to loopback).
pub fn start(
    settings: SyncSettings,
    store: Store,
    clock: Arc<dyn Clock>,
    printer: PrinterState,
) -> Result<SyncHandle, SyncError> {
    start_with(settings, store, clock, printer, None)
}

/// [`start`], handing the updates' configuration fragments to `fragments`.
pub fn start_with(
    settings: SyncSettings,
    store: Store,
    clock: Arc<dyn Clock>,
    printer: PrinterState,
    fragments: Option<Arc<dyn Fragments>>,
) -> Result<SyncHandle, SyncError> {
    super::client::checked_url(&settings.url)?;
    let token = read_token(&settings.token_file)?;
    let client = CentralClient::new(&settings, &token)?;
    let (commands, command_rx) = mpsc::unbounded_channel();
    // The first snapshot already holds the counts, so nobody reads an
    // empty outbox from a worker that has not looked yet.
    let counts = store.outbox_counts()?;
    let (status_tx, status) = watch::channel(SyncStatus {
        pending: counts.pending,
        rejected: counts.rejected,
        held: counts.held,
        set_aside: counts.set_aside,
        oldest_pending_at: store.oldest_pending_at()?,
        ..SyncStatus::default()
    });
    let (done_tx, done) = std::sync::mpsc::channel();
    let worker = Worker {
        settings,
        store,
        clock,
        printer,
        client,
        status: status_tx,
        rng: StdRng::from_os_rng(),
        fragments,
    };
    let thread = std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => {
                    rt.block_on(worker.run(command_rx));
                    // Connection tasks are aborted, not awaited.
                    rt.shutdown_timeout(Duration::from_millis(200));
                }
                Err(e) => tracing::error!("cannot start the sync worker's runtime: {e}"),
            }
            let _ = done_tx.send(());
        })
        .map_err(|e| SyncError::Client {
            detail: format!("cannot start the sync thread: {e}"),
        })?;
    Ok(SyncHandle {
        commands,
        status,
        done,
        thread: Some(thread),
    })
}

struct Worker {
    settings: SyncSettings,
    store: Store,
    clock: Arc<dyn Clock>,
    printer: PrinterState,
    client: CentralClient,
    status: watch::Sender<SyncStatus>,
    rng: StdRng,
    fragments: Option<Arc<dyn Fragments>>,
}

/// Why the worker woke up.
enum Wake {
    Drain,
    Heartbeat,
    Erase,
    Stop,
}

impl Worker {
    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        tracing::info!(url = %self.settings.url, "sync worker started");
        self.refresh_counts();
        let mut poll = interval(self.settings.poll_every);
        poll.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut heartbeat = interval(self.settings.heartbeat_every);
        heartbeat.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut erase = interval(self.settings.erase_every);
        erase.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut retry_at: Option<Instant> = None;
        // A `SyncNow` or `Kick` that arrived while a pass or heartbeat was
        // running: its record may have missed that pass, so another one
        // follows at once (for a `Kick`, only if that pass did not fail).
        let mut asked = Asked::default();
        loop {
            let again = asked.now || (asked.kicked && retry_at.is_none());
            asked = Asked::default();
            let wake = if again {
                Wake::Drain
            } else {
                tokio::select! {
                cmd = commands.recv() => match cmd {
                    Some(Command::SyncNow) => Wake::Drain,
                    // During a back-off the wait stands; the pass after it
                    // takes the new record too.
                    Some(Command::Kick) if retry_at.is_some() => continue,
                    Some(Command::Kick) => Wake::Drain,
                    Some(Command::Stop) | None => Wake::Stop,
                },
                _ = poll.tick(), if retry_at.is_none() => Wake::Drain,
                _ = sleep_until(retry_at.unwrap_or_else(Instant::now)), if retry_at.is_some() => Wake::Drain,
                _ = heartbeat.tick() => Wake::Heartbeat,
                _ = erase.tick() => Wake::Erase,
                }
            };
            match wake {
                Wake::Stop => break,
                Wake::Drain => match until_stopped(&mut commands, &mut asked, self.pass()).await {
                    Some(wait) => {
                        retry_at = wait.map(|w| Instant::now() + w);
                        // Until the central system's highest numbers have
                        // been read once, every good pass asks again
                        // rather than waiting for the next heartbeat: a
                        // restored database must learn them soon.
                        if wait.is_none()
                            && self.needs_first_updates()
                            && until_stopped(&mut commands, &mut asked, self.read_updates())
                                .await
                                .is_none()
                        {
                            break;
                        }
                    }
                    None => break,
                },
                Wake::Heartbeat => {
                    if until_stopped(&mut commands, &mut asked, self.heartbeat())
                        .await
                        .is_none()
                    {
                        break;
                    }
                }
                Wake::Erase => self.erase(),
            }
        }
        self.status.send_modify(|s| {
            s.phase = SyncPhase::Stopped;
            s.next_attempt_in = None;
        });
        tracing::info!("sync worker stopped");
    }

    /// One drain pass; returns how long to wait before the next attempt,
    /// or `None` to go back to polling.
    async fn pass(&mut self) -> Option<Duration> {
        self.status.send_modify(|s| s.phase = SyncPhase::Sending);
        let mut report = DrainReport::default();
        let result = drain(
            &self.client,
            &self.store,
            self.clock.as_ref(),
            self.settings.batch_size,
            &mut report,
        )
        .await;
        if report.requests > 0 {
            tracing::info!(
                requests = report.requests,
                delivered = report.delivered,
                duplicates = report.duplicates,
                rejected = report.rejected.len(),
                not_acknowledged = report.not_acknowledged,
                "sync pass"
            );
        }
        let wait = match &result {
            Ok(()) => None,
            Err(err) => {
                let failures = self.status.borrow().failures_in_a_row.saturating_add(1);
                let wait = self.wait_after(err, failures);
                tracing::warn!(
                    ?wait,
                    failures,
                    "sending to the central system failed: {err}"
                );
                let configuration = err.is_configuration_problem().then(|| err.plain_words());
                Some((err.plain_words(), failures, wait, configuration))
            }
        };
        let now = self.clock.now();
        self.status.send_modify(|s| {
            s.delivered_since_start += report.delivered + report.duplicates;
            match &wait {
                None => {
                    s.phase = SyncPhase::Idle;
                    s.last_success = Some(now);
                    s.last_error = None;
                    s.configuration_problem = None;
                    s.failures_in_a_row = 0;
                    s.next_attempt_in = None;
                }
                Some((words, failures, wait, configuration)) => {
                    s.phase = SyncPhase::Waiting;
                    s.last_error = Some(words.clone());
                    s.configuration_problem = configuration.clone();
                    s.failures_in_a_row = *failures;
                    s.next_attempt_in = Some(*wait);
                    s.longest_wait = s.longest_wait.max(*wait);
                }
            }
        });
        self.refresh_counts();
        wait.map(|(_, _, w, _)| w)
    }

    /// The contract's wait after `err`, the `failures`-th in a row.
    fn wait_after(&mut self, err: &SyncError, failures: u32) -> Duration {
        let backoff = self.settings.backoff;
        match err {
            SyncError::Busy { wait, .. } => backoff.capped(*wait),
            SyncError::Credentials { .. } | SyncError::WrongAddress { .. } => backoff.cap,
            _ => backoff.delay(failures, &mut self.rng),
        }
    }

    /// The heartbeat, then the updates (contract 1.1: polled with every
    /// heartbeat, and at start, since the first tick comes at once).
    async fn heartbeat(&mut self) {
        self.beat().await;
        self.read_updates().await;
    }

    async fn beat(&mut self) {
        let (counts, oldest) = match (self.store.outbox_counts(), self.store.oldest_pending_at()) {
            (Ok(c), Ok(o)) => (c, o),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!("heartbeat skipped: cannot read the outbox: {e}");
                return;
            }
        };
        let beat = Heartbeat {
            kiosk_id: &self.settings.kiosk_id,
            at: sofia_rfc3339(self.clock.now()),
            version: env!("CARGO_PKG_VERSION"),
            outbox_pending: counts.pending,
            oldest_pending_at: oldest.map(rfc3339),
            printer: (self.printer)(),
            clock_trusted: self.clock.is_synchronised(),
            config_version: self
                .store
                .updates_value(keys::CONFIG_VERSION)
                .ok()
                .flatten(),
            config_error: self.store.updates_value(keys::CONFIG_ERROR).ok().flatten(),
            held: counts.held + counts.set_aside,
            rejected: counts.rejected,
        };
        match self.client.heartbeat(&beat).await {
            Ok(()) => tracing::debug!(pending = counts.pending, "heartbeat sent"),
            Err(e) => tracing::warn!("heartbeat failed (only logged): {e}"),
        }
    }

    /// Whether the updates were never read since start (and are offered).
    fn needs_first_updates(&self) -> bool {
        let s = self.status.borrow();
        s.updates_read_at.is_none() && s.updates_offered != Some(false)
    }

    async fn read_updates(&mut self) {
        // `since` is the cursor of the last answer applied in full; it is
        // kept only after everything in the answer is stored, so a crash
        // in between asks for the same answer again (applying it twice
        // changes nothing).
        let since = match self.store.updates_value(keys::CURSOR) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("cannot read the updates cursor; asking for everything: {e}");
                None
            }
        };
        let read = self.client.updates(since.as_deref()).await;
        let now = self.clock.now();
        match read {
            Ok(Some(updates)) => {
                if let Err(e) = apply_updates(&self.store, &updates, now, self.fragments.as_ref()) {
                    tracing::error!("cannot keep the central system's updates: {e}");
                    return;
                }
                self.status.send_modify(|s| {
                    s.updates_read_at = Some(now);
                    s.updates_offered = Some(true);
                });
            }
            Ok(None) => {
                tracing::debug!("the central system offers no updates (404)");
                self.status.send_modify(|s| s.updates_offered = Some(false));
            }
            Err(e) => {
                tracing::warn!("reading the central system's updates failed (only logged): {e}")
            }
        }
    }

    /// Erases personal data delivered more than the retention period ago.
    fn erase(&self) {
        let cutoff = self.clock.now() - self.settings.keep_after_delivery;
        match self.store.erase_personal_data_delivered_before(cutoff) {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                records = n,
                "erased personal data after its retention period"
            ),
            Err(e) => tracing::error!("cannot erase personal data past its retention period: {e}"),
        }
    }

    fn refresh_counts(&self) {
        let counts = self.store.outbox_counts();
        let oldest = self.store.oldest_pending_at();
        self.status.send_modify(|s| {
            if let Ok(c) = &counts {
                s.pending = c.pending;
                s.rejected = c.rejected;
                s.held = c.held;
                s.set_aside = c.set_aside;
            }
            if let Ok(o) = &oldest {
                s.oldest_pending_at = *o;
            }
        });
        if let Err(e) = counts.and(oldest) {
            tracing::warn!("cannot read the outbox for the status: {e}");
        }
    }
}

/// What arrived while a pass or heartbeat was running.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Asked {
    /// A `SyncNow`: drain again, whatever the back-off.
    now: bool,
    /// A `Kick`: drain again unless the pass started a back-off.
    kicked: bool,
}

/// Raises the store's receipt-number floors to the central system's
/// `highest_numbers`; returns the entries that raised one. Entries the
/// central system sent that do not fit the contract are logged and left.
pub fn apply_highest_numbers(
    store: &Store,
    updates: &Updates,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<super::wire::HighestNumber>, crate::store::StoreError> {
    for why in &updates.skipped {
        tracing::warn!(
            "the central system's highest_numbers has an entry the kiosk cannot use: {why}"
        );
    }
    let mut raised = Vec::new();
    for h in &updates.highest_numbers {
        let rose = match store.raise_number_floor(
            &h.prefix,
            h.year,
            h.sequence,
            FloorSource::Central,
            now,
        ) {
            // A ceiling with no room left: said, left, and the rest applied.
            Err(e @ crate::store::StoreError::CeilingRefused { .. }) => {
                tracing::warn!("{e}");
                false
            }
            other => other?,
        };
        if rose {
            tracing::info!(prefix = %h.prefix, year = h.year, highest = h.sequence, "the central system holds receipt numbers up to this one; new numbers continue above it");
            raised.push(h.clone());
        }
    }
    Ok(raised)
}

/// Something that takes the configuration fragments of the updates (see
/// `crate::config::fragment`): checks one, keeps it and hands it to the
/// screens, or says why not. Runs on the sync worker's thread.
pub trait Fragments: Send + Sync {
    /// `config` as the central system sent it (`{"version", "toml"}`).
    /// Returns the version now in use, or the refusal's reason.
    fn offer(&self, config: &serde_json::Value) -> FragmentOutcome;
}

/// What became of an offered fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FragmentOutcome {
    /// Applied (or the same version as before): the version in use.
    Applied { version: String },
    /// Refused, with why; the last good one stays.
    Refused { version: String, error: String },
}

/// Applies one updates answer: the receipt-number floors, the answers to
/// complaints, the configuration fragment (when `fragments` takes them),
/// then keeps the cursor.
pub fn apply_updates(
    store: &Store,
    updates: &Updates,
    now: chrono::DateTime<chrono::Utc>,
    fragments: Option<&Arc<dyn Fragments>>,
) -> Result<(), crate::store::StoreError> {
    apply_highest_numbers(store, updates, now)?;
    let changed = store.apply_answers(&updates.answers, now)?;
    if changed > 0 {
        tracing::info!(
            answers = changed,
            "the central system says what happened to complaints"
        );
    }
    if let (Some(config), Some(fragments)) = (&updates.config, fragments) {
        match fragments.offer(config) {
            FragmentOutcome::Applied { version } => store.set_updates_values(&[
                (keys::CONFIG_VERSION, Some(&version)),
                (keys::CONFIG_ERROR, None),
                (keys::CONFIG_REFUSED_VERSION, None),
            ])?,
            FragmentOutcome::Refused { version, error } => {
                tracing::warn!(%version, "the central system's configuration is refused: {error}");
                store.set_updates_values(&[
                    (keys::CONFIG_REFUSED_VERSION, Some(&version)),
                    (keys::CONFIG_ERROR, Some(&error)),
                ])?
            }
        }
    }
    if let Some(cursor) = &updates.cursor {
        store.set_updates_values(&[(keys::CURSOR, Some(cursor))])?;
    }
    Ok(())
}

/// Runs `fut` to the end unless `Stop` arrives first (`None` then).
/// A `SyncNow` or `Kick` meanwhile is noted in `asked`, so that the caller
/// drains again once `fut` is done.
async fn until_stopped<F: Future>(
    commands: &mut mpsc::UnboundedReceiver<Command>,
    asked: &mut Asked,
    fut: F,
) -> Option<F::Output> {
    tokio::pin!(fut);
    loop {
        tokio::select! {
            biased;
            cmd = commands.recv() => match cmd {
                Some(Command::SyncNow) => asked.now = true,
                Some(Command::Kick) => asked.kicked = true,
                Some(Command::Stop) | None => return None,
            },
            out = &mut fut => return Some(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_without_a_central_system_refuses_to_start() {
        let store = Store::open_in_memory().unwrap();
        let settings = SyncSettings {
            token_file: "/nonexistent".into(),
            ..super::super::settings::for_tests("")
        };
        let clock: Arc<dyn Clock> = Arc::new(crate::clock::SystemClock);
        let err = start(
            settings.clone(),
            store.clone(),
            clock.clone(),
            printer_unknown(),
        )
        .unwrap_err();
        assert!(matches!(err, SyncError::NotConfigured));
        let insecure = SyncSettings {
            url: "http://central.example.bg".into(),
            ..settings
        };
        let err = start(insecure, store, clock, printer_unknown()).unwrap_err();
        assert!(matches!(err, SyncError::InsecureUrl { .. }));
    }

    #[test]
    fn stop_interrupts_a_running_future() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (tx, mut rx) = mpsc::unbounded_channel();
            tx.send(Command::SyncNow).unwrap();
            tx.send(Command::Stop).unwrap();
            tx.send(Command::Kick).unwrap();
            tx.send(Command::Stop).unwrap();
            let never = std::future::pending::<()>();
            let mut asked = Asked::default();
            assert_eq!(until_stopped(&mut rx, &mut asked, never).await, None);
            assert!(asked.now, "a sync-now during the pass is remembered");
            let mut asked = Asked::default();
            let never = std::future::pending::<()>();
            assert_eq!(until_stopped(&mut rx, &mut asked, never).await, None);
            assert_eq!(
                asked,
                Asked {
                    now: false,
                    kicked: true
                },
                "so is a kick, apart"
            );
            let mut asked = Asked::default();
            assert_eq!(
                until_stopped(&mut rx, &mut asked, async { 5 }).await,
                Some(5)
            );
            assert_eq!(asked, Asked::default());
        });
    }
}
