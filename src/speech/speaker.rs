//! The speaker the UI holds: speaking never blocks the caller.
//!
//! [`Speaker::speak`] and [`Speaker::stop`] only put an order on a channel;
//! a thread of the speaker's own starts and kills the processes. A new
//! utterance cancels the one playing; of several orders waiting, only the
//! last counts, so a visitor tapping "read aloud" five times hears one
//! reading. Each new problem is logged once, kept in the status for staff
//! and handed once to the UI ([`Speaker::take_notice`]); the next utterance
//! is tried all the same, so plugging the speaker back in is enough.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use super::settings::{SpeechSettings, is_installed};
use super::status::{SpeechProblem, SpeechStatus};
use super::utterance::{Sink, Utterance};
use crate::domain::Lang;

/// How often the thread looks at a playing utterance.
const POLL: Duration = Duration::from_millis(50);

enum Order {
    Speak { text: String, lang: Lang },
    Stop,
    Shutdown,
}

#[derive(Debug)]
struct Shared {
    status: Mutex<SpeechStatus>,
    notice: Mutex<Option<SpeechProblem>>,
}

impl Shared {
    fn status(&self) -> MutexGuard<'_, SpeechStatus> {
        // A panic elsewhere while holding the lock leaves a plain value
        // behind, still fine to read.
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn notice(&self) -> MutexGuard<'_, Option<SpeechProblem>> {
        self.notice.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, status: SpeechStatus) {
        *self.status() = status;
    }

    /// Records a problem; a new one is logged and noticed once.
    fn fail(&self, problem: SpeechProblem) {
        let mut status = self.status();
        if *status != SpeechStatus::Unavailable(problem.clone()) {
            tracing::warn!(%problem, "speech output unavailable");
            *self.notice() = Some(problem.clone());
        }
        *status = SpeechStatus::Unavailable(problem);
    }

    /// An utterance played or was stopped.
    fn done(&self, played: bool) {
        let mut status = self.status();
        match &*status {
            SpeechStatus::Unavailable(_) if played => {
                tracing::info!("speech output works again");
                *status = SpeechStatus::Ready;
            }
            SpeechStatus::Unavailable(_) => {}
            _ => *status = SpeechStatus::Ready,
        }
    }
}

/// Speech output for the UI. Cheap to call from the UI thread.
#[derive(Debug)]
pub struct Speaker {
    orders: Option<Sender<Order>>,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Order {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the text: it may be what a visitor typed.
        f.write_str(match self {
            Order::Speak { .. } => "Speak",
            Order::Stop => "Stop",
            Order::Shutdown => "Shutdown",
        })
    }
}

impl Speaker {
    /// A speaker for `settings`. Looks for the engine and the player at
    /// once (no process is started), so a missing one shows in
    /// [`Speaker::status`] before the first visitor asks.
    pub fn new(settings: &SpeechSettings) -> Speaker {
        let shared = Arc::new(Shared {
            status: Mutex::new(SpeechStatus::Ready),
            notice: Mutex::new(None),
        });
        let silent = |shared| Speaker {
            orders: None,
            shared,
            thread: None,
        };
        if !settings.enabled {
            shared.set(SpeechStatus::Disabled);
            return silent(shared);
        }
        if !is_installed(&settings.engine) {
            shared.fail(SpeechProblem::EngineMissing {
                engine: settings.engine.display().to_string(),
            });
        } else if !is_installed(&settings.player) {
            shared.fail(SpeechProblem::PlayerMissing {
                player: settings.player.display().to_string(),
            });
        } else if let Some(problem) = no_sound_card(
            &settings.player,
            settings.device.as_deref(),
            Path::new(ASOUND_CARDS),
        ) {
            shared.fail(problem);
        }
        let (orders, rx) = mpsc::channel();
        let worker = {
            let settings = settings.clone();
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("speech".into())
                .spawn(move || run(&settings, &shared, &rx))
        };
        match worker {
            Ok(thread) => Speaker {
                orders: Some(orders),
                shared,
                thread: Some(thread),
            },
            Err(e) => {
                shared.fail(SpeechProblem::EngineFailed {
                    engine: settings.engine.display().to_string(),
                    detail: format!("the speech thread could not start: {e}"),
                });
                silent(shared)
            }
        }
    }

    /// Starts saying `text` in `lang`, cancelling whatever is being said.
    /// Returns at once. Empty text only stops.
    pub fn speak(&self, text: &str, lang: Lang) {
        let order = if text.trim().is_empty() {
            Order::Stop
        } else {
            Order::Speak {
                text: text.to_string(),
                lang,
            }
        };
        self.send(order);
    }

    /// Stops speaking. Returns at once.
    pub fn stop(&self) {
        self.send(Order::Stop);
    }

    /// The current state, for the UI and staff.
    pub fn status(&self) -> SpeechStatus {
        self.shared.status().clone()
    }

    /// A problem not yet shown to a visitor, handed out once: show it on
    /// screen when it comes back `Some`. The status keeps it for staff.
    pub fn take_notice(&self) -> Option<SpeechProblem> {
        self.shared.notice().take()
    }

    fn send(&self, order: Order) {
        if let Some(orders) = &self.orders {
            // The thread only ends when the speaker is dropped, so a send
            // cannot fail while `self` exists; nothing to do if it did.
            let _ = orders.send(order);
        }
    }
}

impl Drop for Speaker {
    fn drop(&mut self) {
        self.send(Order::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Where the kernel lists ALSA's sound cards.
const ASOUND_CARDS: &str = "/proc/asound/cards";

/// With ALSA's own player and no sound card at all, nothing would be heard:
/// said before any visitor asks (a card plugged in later is found by the
/// next utterance that plays). Other players are not ALSA's business.
fn no_sound_card(player: &Path, device: Option<&str>, cards: &Path) -> Option<SpeechProblem> {
    if player.file_name() != Some(std::ffi::OsStr::new("aplay")) {
        return None;
    }
    let listed = std::fs::read_to_string(cards).unwrap_or_default();
    let any = listed
        .lines()
        .any(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    (!any).then(|| SpeechProblem::AudioDevice {
        device: device.map_or_else(
            || "ALSA's default device".to_owned(),
            |d| format!("ALSA device {d:?}"),
        ),
        detail: format!("{} lists no sound card", cards.display()),
    })
}

/// The speaker's thread: one utterance at a time, the latest order wins.
fn run(settings: &SpeechSettings, shared: &Shared, orders: &Receiver<Order>) {
    let mut current: Option<Utterance> = None;
    loop {
        let next = if current.is_some() {
            match orders.recv_timeout(POLL) {
                Ok(order) => Some(order),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Order::Shutdown),
            }
        } else {
            Some(orders.recv().unwrap_or(Order::Shutdown))
        };
        // Only the newest of the waiting orders matters, unless one of them
        // is to shut down.
        let next = next.map(|first| {
            let mut latest = first;
            while let Ok(order) = orders.try_recv() {
                if !matches!(latest, Order::Shutdown) {
                    latest = order;
                }
            }
            latest
        });
        match next {
            Some(Order::Shutdown) => return,
            Some(Order::Stop) if current.is_some() => {
                current = None;
                shared.done(false);
            }
            Some(Order::Stop) => {}
            Some(Order::Speak { text, lang }) => {
                // Dropping the old utterance kills it.
                drop(current.take());
                match Utterance::start(settings, &text, lang, Sink::Device) {
                    Ok(utterance) => {
                        if shared.status().can_speak() {
                            shared.set(SpeechStatus::Speaking);
                        }
                        current = Some(utterance);
                    }
                    Err(problem) => shared.fail(problem),
                }
            }
            None => {}
        }
        if let Some(outcome) = current.as_mut().and_then(Utterance::poll) {
            current = None;
            match outcome {
                Ok(()) => shared.done(true),
                Err(problem) => shared.fail(problem),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aplay_without_a_sound_card_is_known_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let cards = dir.path().join("cards");
        let aplay = Path::new("/usr/bin/aplay");
        std::fs::write(&cards, "--- no soundcards ---\n").unwrap();
        let problem = no_sound_card(aplay, None, &cards).unwrap();
        assert!(
            problem.to_string().contains("lists no sound card"),
            "{problem}"
        );
        assert!(no_sound_card(aplay, Some("hw:1"), &dir.path().join("missing")).is_some());
        std::fs::write(
            &cards,
            " 0 [Headphones     ]: bcm2835_headpho - bcm2835 Headphones\n",
        )
        .unwrap();
        assert_eq!(no_sound_card(aplay, None, &cards), None);
        let other = Path::new("/opt/other-player");
        assert_eq!(
            no_sound_card(other, None, &dir.path().join("missing")),
            None
        );
    }

    #[test]
    fn the_ui_can_share_the_speaker_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Speaker>();
    }

    #[test]
    fn the_text_never_shows_in_logs() {
        let order = Order::Speak {
            text: "Иван Петров, ЕГН".into(),
            lang: Lang::Bg,
        };
        assert_eq!(format!("{order:?}"), "Speak");
    }
}
