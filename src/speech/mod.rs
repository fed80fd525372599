//! Speech output: the kiosk reads its screens aloud.
//!
//! A public kiosk is closed functionality under EN 301 549 (5.1.3.1), so it
//! must speak. Text goes to an offline engine (espeak-ng) whose WAV stream
//! is piped into aplay on the configured ALSA device (`[speech]` in
//! kiosk.toml). [`Speaker`] is what the UI holds: it never blocks, a new
//! utterance cancels the old one, and a missing engine or speaker is
//! reported once while the rest of the kiosk works on. Numbers, dates and
//! amounts should be written out with `domain::spoken` before they are
//! spoken.

mod bench;
mod settings;
mod speaker;
mod status;
mod utterance;

pub use bench::first_audio;
pub use settings::{Output, SpeechSettings, is_installed};
pub use speaker::Speaker;
pub use status::{ModeSwitch, SpeechProblem, SpeechStatus, switch_mode};
pub use utterance::{MAX_TEXT_CHARS, say, write_wav};
