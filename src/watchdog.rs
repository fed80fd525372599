//! Tells systemd the kiosk is up and, while its window still answers, alive.
//!
//! The unit is `Type=notify` with `WatchdogSec=`: systemd waits for
//! `READY=1`, then restarts the kiosk when `WATCHDOG=1` stops coming. A ping
//! from any thread would prove only that the process exists, so the pings
//! are tied to the UI: the Slint event loop beats a [`Heartbeat`] from a
//! timer (one atomic store), and a watchdog thread pings systemd every half
//! `WatchdogSec` only while the last beat is recent ([`is_alive`]). A frozen
//! event loop stops beating, the pings stop, and systemd restarts the kiosk.
//!
//! Invariants: `READY=1` is sent at most once, after the first frame has
//! been drawn; nothing is sent when systemd did not ask for
//! it (no `NOTIFY_SOCKET`); the decision to ping is a pure function of the
//! last beat, the time now and the watchdog timeout, all on one monotonic
//! clock, so tests can hang the event loop without waiting.
//!
//! The datagrams are sent by the `sd-notify` crate (no libsystemd needed).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What the kiosk tells systemd.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// `READY=1`: start-up is over, the first frame is on screen.
    Ready,
    /// `WATCHDOG=1`: the event loop is still turning.
    Alive,
}

/// Where notices go: systemd in production, a recorder in tests.
pub trait Notifier: Send + Sync + 'static {
    /// Sends one notice.
    fn notify(&self, notice: Notice) -> std::io::Result<()>;
}

/// Sends notices to systemd's `NOTIFY_SOCKET`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Systemd;

impl Notifier for Systemd {
    fn notify(&self, notice: Notice) -> std::io::Result<()> {
        let state = match notice {
            Notice::Ready => sd_notify::NotifyState::Ready,
            Notice::Alive => sd_notify::NotifyState::Watchdog,
        };
        sd_notify::notify(&[state])
    }
}

/// Whether the event loop counts as alive: it has not beaten yet (start-up,
/// bounded by the unit's `TimeoutStartSec=` since `READY=1` waits for the
/// first beat), or its last beat is less than half the watchdog timeout old.
/// Times are offsets on one monotonic clock.
pub fn is_alive(last_beat: Option<Duration>, now: Duration, timeout: Duration) -> bool {
    match last_beat {
        None => true,
        Some(beat) => now.saturating_sub(beat) < timeout / 2,
    }
}

/// Marker for "never beaten" in the atomic; real offsets never reach it.
const NEVER: u64 = u64::MAX;

struct Shared {
    origin: Instant,
    last_beat_ms: AtomicU64,
    ready_sent: AtomicBool,
    notifier: Box<dyn Notifier>,
}

/// The event loop's pulse. Cheap to clone and to beat; beat it from a
/// `slint::Timer` so that it stops when the event loop stops.
#[derive(Clone)]
pub struct Heartbeat {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Heartbeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heartbeat")
            .field("last_beat", &self.last_beat())
            .finish_non_exhaustive()
    }
}

impl Heartbeat {
    /// A heartbeat that sends its notices to `notifier`; it has not beaten.
    pub fn new(notifier: impl Notifier) -> Self {
        Self {
            shared: Arc::new(Shared {
                origin: Instant::now(),
                last_beat_ms: AtomicU64::new(NEVER),
                ready_sent: AtomicBool::new(false),
                notifier: Box::new(notifier),
            }),
        }
    }

    /// Records that the event loop is turning, now.
    pub fn beat(&self) {
        self.beat_at(self.now());
    }

    /// Beats and, the first time only, tells systemd the kiosk is ready.
    /// Call it from the event loop once the first frame has been drawn.
    pub fn ready(&self) {
        self.beat();
        if !self.shared.ready_sent.swap(true, Ordering::AcqRel) {
            match self.shared.notifier.notify(Notice::Ready) {
                Ok(()) => tracing::info!("told systemd the kiosk is ready"),
                Err(err) => tracing::warn!(%err, "cannot tell systemd the kiosk is ready"),
            }
        }
    }

    /// Time since this heartbeat was made, on its monotonic clock.
    fn now(&self) -> Duration {
        self.shared.origin.elapsed()
    }

    fn beat_at(&self, at: Duration) {
        let ms = u64::try_from(at.as_millis()).unwrap_or(NEVER - 1);
        self.shared.last_beat_ms.store(ms, Ordering::Release);
    }

    fn last_beat(&self) -> Option<Duration> {
        match self.shared.last_beat_ms.load(Ordering::Acquire) {
            NEVER => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }
}

/// The watchdog thread's side: decides and pings.
#[derive(Debug, Clone)]
pub struct Watchdog {
    heartbeat: Heartbeat,
    timeout: Duration,
}

impl Watchdog {
    /// A watchdog for systemd's `WatchdogSec=` of `timeout`.
    pub fn new(heartbeat: Heartbeat, timeout: Duration) -> Self {
        Self { heartbeat, timeout }
    }

    /// How long the thread sleeps between checks: half the timeout, as
    /// sd_watchdog_enabled(3) advises.
    pub fn interval(&self) -> Duration {
        self.timeout / 2
    }

    /// Pings systemd when the event loop is alive at `now` (an offset on the
    /// heartbeat's clock). Returns whether it pinged.
    pub fn check_at(&self, now: Duration) -> bool {
        if !is_alive(self.heartbeat.last_beat(), now, self.timeout) {
            return false;
        }
        if let Err(err) = self.heartbeat.shared.notifier.notify(Notice::Alive) {
            tracing::warn!(%err, "cannot ping the systemd watchdog");
        }
        true
    }

    /// [`Watchdog::check_at`] now. Logs once when the event loop goes silent.
    fn check(&self, was_alive: bool) -> bool {
        let alive = self.check_at(self.heartbeat.now());
        if was_alive && !alive {
            tracing::error!(
                last_beat = ?self.heartbeat.last_beat(),
                "the window has stopped answering; systemd will restart the kiosk"
            );
        }
        alive
    }

    /// Runs the checks on a thread of their own for the life of the process.
    pub fn spawn(self) -> std::io::Result<()> {
        std::thread::Builder::new()
            .name("watchdog".into())
            .spawn(move || {
                let mut alive = true;
                loop {
                    std::thread::sleep(self.interval());
                    alive = self.check(alive);
                }
            })
            .map(|_| ())
    }
}

/// Starts talking to systemd when it runs the kiosk: returns the heartbeat
/// the event loop must beat (and call [`Heartbeat::ready`] on), or `None`
/// outside systemd (no `NOTIFY_SOCKET`). Starts the watchdog thread when
/// the unit sets `WatchdogSec=` (`WATCHDOG_USEC` for this process).
pub fn start(notifier: impl Notifier) -> Option<Heartbeat> {
    std::env::var_os("NOTIFY_SOCKET")?;
    let heartbeat = Heartbeat::new(notifier);
    match sd_notify::watchdog_enabled() {
        Some(timeout) if !timeout.is_zero() => {
            match Watchdog::new(heartbeat.clone(), timeout).spawn() {
                Ok(()) => tracing::info!(?timeout, "systemd watchdog on"),
                // Without pings systemd restarts the kiosk: loud, not silent.
                Err(err) => tracing::error!(%err, "cannot start the watchdog thread"),
            }
        }
        _ => tracing::info!("systemd runs the kiosk without a watchdog"),
    }
    Some(heartbeat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records every notice sent.
    #[derive(Clone, Default)]
    struct Recorder {
        sent: Arc<Mutex<Vec<Notice>>>,
    }

    impl Notifier for Recorder {
        fn notify(&self, notice: Notice) -> std::io::Result<()> {
            self.sent.lock().unwrap().push(notice);
            Ok(())
        }
    }

    impl Recorder {
        fn count(&self, notice: Notice) -> usize {
            self.sent
                .lock()
                .unwrap()
                .iter()
                .filter(|n| **n == notice)
                .count()
        }
    }

    const TIMEOUT: Duration = Duration::from_secs(30);
    const TICK: Duration = Duration::from_millis(500);

    /// Simulates `total` of a kiosk whose event loop beats every 500 ms until
    /// `hang_at` (if any) and a watchdog thread checking every half timeout.
    /// Returns when systemd would restart the kiosk: the first moment
    /// `TIMEOUT` passes without a ping, or `None` if it never does.
    fn simulate(hang_at: Option<Duration>, total: Duration) -> Option<Duration> {
        let recorder = Recorder::default();
        let heartbeat = Heartbeat::new(recorder.clone());
        let watchdog = Watchdog::new(heartbeat.clone(), TIMEOUT);
        let mut now = Duration::ZERO;
        let mut next_check = watchdog.interval();
        let mut last_ping = Duration::ZERO;
        heartbeat.beat_at(now);
        while now < total {
            now += TICK;
            if hang_at.is_none_or(|hang| now < hang) {
                heartbeat.beat_at(now);
            }
            if now >= next_check {
                next_check += watchdog.interval();
                if watchdog.check_at(now) {
                    last_ping = now;
                }
            }
            if now - last_ping > TIMEOUT {
                return Some(now);
            }
        }
        None
    }

    #[test]
    fn a_turning_event_loop_is_never_restarted() {
        assert_eq!(simulate(None, Duration::from_secs(3600)), None);
    }

    #[test]
    fn a_hung_event_loop_is_restarted_within_two_timeouts() {
        let hang = Duration::from_secs(600);
        let restarted = simulate(Some(hang), Duration::from_secs(3600))
            .expect("systemd should restart a kiosk whose window froze");
        assert!(restarted > hang);
        assert!(restarted - hang <= 2 * TIMEOUT, "restarted {restarted:?}");
    }

    #[test]
    fn pings_stop_once_the_last_beat_is_half_a_timeout_old() {
        let recorder = Recorder::default();
        let heartbeat = Heartbeat::new(recorder.clone());
        let watchdog = Watchdog::new(heartbeat.clone(), TIMEOUT);
        heartbeat.beat_at(Duration::from_secs(100));
        assert!(watchdog.check_at(Duration::from_secs(110)));
        assert!(!watchdog.check_at(Duration::from_secs(115)));
        assert!(!watchdog.check_at(Duration::from_secs(500)));
        assert_eq!(recorder.count(Notice::Alive), 1);
        // The loop comes back: pings resume.
        heartbeat.beat_at(Duration::from_secs(501));
        assert!(watchdog.check_at(Duration::from_secs(502)));
        assert_eq!(recorder.count(Notice::Alive), 2);
    }

    #[test]
    fn start_up_before_the_first_beat_counts_as_alive() {
        assert!(is_alive(None, Duration::from_secs(1000), TIMEOUT));
    }

    #[test]
    fn a_clock_reading_before_the_beat_counts_as_alive() {
        assert!(is_alive(
            Some(Duration::from_secs(10)),
            Duration::from_secs(9),
            TIMEOUT
        ));
    }

    #[test]
    fn ready_is_sent_once_and_counts_as_a_beat() {
        let recorder = Recorder::default();
        let heartbeat = Heartbeat::new(recorder.clone());
        heartbeat.ready();
        heartbeat.ready();
        assert_eq!(recorder.count(Notice::Ready), 1);
        assert!(heartbeat.last_beat().is_some());
    }

    #[test]
    fn the_watchdog_thread_pings_while_the_loop_beats() {
        let recorder = Recorder::default();
        let heartbeat = Heartbeat::new(recorder.clone());
        Watchdog::new(heartbeat.clone(), Duration::from_millis(20))
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while recorder.count(Notice::Alive) < 3 && Instant::now() < deadline {
            heartbeat.beat();
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(recorder.count(Notice::Alive) >= 3);
    }

    proptest::proptest! {
        #[test]
        fn alive_exactly_while_the_beat_is_younger_than_half_the_timeout(
            beat in 0u64..1_000_000, age in 0u64..1_000_000, timeout in 1u64..600_000,
        ) {
            let beat_at = Duration::from_millis(beat);
            let now = beat_at + Duration::from_millis(age);
            let timeout = Duration::from_millis(timeout);
            proptest::prop_assert_eq!(
                is_alive(Some(beat_at), now, timeout),
                Duration::from_millis(age) < timeout / 2
            );
        }
    }
}
