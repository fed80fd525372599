//! What the UI and staff see of speech output.
//!
//! A problem is a [`SpeechProblem`]; the speaker keeps the current one in
//! its [`SpeechStatus`] for staff and hands each new one out once as a
//! notice for the visitor's screen, so a missing speaker is announced once,
//! not on every touch.

/// Why the kiosk cannot speak. Each message tells the technician what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpeechProblem {
    #[error(
        "the speech engine {engine:?} is not installed or cannot be run; install the Debian package espeak-ng or correct [speech] engine"
    )]
    EngineMissing { engine: String },
    #[error(
        "the speech engine {engine:?} failed: {detail}; check [speech] voice against `espeak-ng --voices`"
    )]
    EngineFailed { engine: String, detail: String },
    #[error(
        "the audio player {player:?} is not installed or cannot be run; install the Debian package alsa-utils or correct [speech] player"
    )]
    PlayerMissing { player: String },
    #[error(
        "no sound from {device}: {detail}; check that the speaker is plugged in and that [speech] device names it (`aplay -L` lists devices)"
    )]
    AudioDevice { device: String, detail: String },
}

/// The speaker's state, for the UI and the staff screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeechStatus {
    /// `[speech] enabled = false`: no "read aloud".
    Disabled,
    /// Ready to speak: the programs are there and nothing has failed since
    /// the last utterance that played.
    Ready,
    /// Speaking now.
    Speaking,
    /// Cannot speak for this reason; the kiosk works on without sound and
    /// tries again at the next utterance.
    Unavailable(SpeechProblem),
}

impl SpeechStatus {
    /// Whether a "read aloud" touch can be expected to make sound.
    pub fn can_speak(&self) -> bool {
        matches!(self, SpeechStatus::Ready | SpeechStatus::Speaking)
    }

    /// One line for staff, e.g. "speech: ready".
    pub fn summary(&self) -> String {
        match self {
            SpeechStatus::Disabled => "speech: off ([speech] enabled = false)".to_string(),
            SpeechStatus::Ready => "speech: ready".to_string(),
            SpeechStatus::Speaking => "speech: speaking".to_string(),
            SpeechStatus::Unavailable(problem) => format!("speech: unavailable: {problem}"),
        }
    }
}

/// What a long press on "read aloud" (or a tap while speech mode is on)
/// does to speech mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeSwitch {
    /// Speech mode goes on, and says so.
    On,
    /// Speech mode goes off, and says so.
    Off,
    /// It stays off: nothing would be heard (no speaker, switched off in
    /// kiosk.toml, no engine, player or sound card).
    Refused,
}

/// Speech mode is turned off whenever asked; it is turned on only when the
/// kiosk can be heard (`status`: the speaker's, `None` without one).
pub fn switch_mode(on_now: bool, status: Option<&SpeechStatus>) -> ModeSwitch {
    if on_now {
        ModeSwitch::Off
    } else if status.is_some_and(SpeechStatus::can_speak) {
        ModeSwitch::On
    } else {
        ModeSwitch::Refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_mode_turns_on_only_when_it_can_be_heard() {
        let device = SpeechStatus::Unavailable(SpeechProblem::AudioDevice {
            device: "ALSA's default device".into(),
            detail: "/proc/asound/cards lists no sound card".into(),
        });
        assert_eq!(
            switch_mode(false, Some(&SpeechStatus::Ready)),
            ModeSwitch::On
        );
        assert_eq!(switch_mode(false, Some(&device)), ModeSwitch::Refused);
        assert_eq!(
            switch_mode(false, Some(&SpeechStatus::Disabled)),
            ModeSwitch::Refused
        );
        assert_eq!(switch_mode(false, None), ModeSwitch::Refused);
        assert_eq!(
            switch_mode(true, Some(&device)),
            ModeSwitch::Off,
            "off always works"
        );
        assert_eq!(switch_mode(true, None), ModeSwitch::Off);
    }

    #[test]
    fn staff_read_what_to_do() {
        let missing = SpeechStatus::Unavailable(SpeechProblem::EngineMissing {
            engine: "espeak-ng".into(),
        });
        assert!(!missing.can_speak());
        assert!(
            missing
                .summary()
                .contains("install the Debian package espeak-ng")
        );
        let device = SpeechProblem::AudioDevice {
            device: "ALSA device \"hw:1\"".into(),
            detail: "audio open error".into(),
        };
        assert!(device.to_string().contains("hw:1"));
        assert!(SpeechStatus::Ready.can_speak());
        assert_eq!(
            SpeechStatus::Disabled.summary(),
            "speech: off ([speech] enabled = false)"
        );
    }
}
