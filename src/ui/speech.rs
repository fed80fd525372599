//! "Read aloud" and speech mode on the touchscreen.
//!
//! The header's button reads the screen shown now (the text comes from
//! [`super::read_aloud`], that is from the elements on screen) and stops on
//! the next touch. A long press on it turns on speech mode for the rest of
//! the visit, announced aloud and on screen, and only when the kiosk can be
//! heard: each touch target then says what it is on a first touch and acts
//! on a second one (`AppState.should-act` in ui/state.slint). One touch on
//! the same button turns it off. Speech mode and any reading end with the
//! visit; a sound failure ends speech mode at once.
//!
//! The interface speaks through a [`Voice`], so tests can listen without a
//! sound card. No voice, or one that cannot speak, never stops the kiosk:
//! the visitor is told once on screen, staff see the reason in
//! [`status_summary`]. The visitor's sentences come from
//! `domain::notices`.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use slint::ComponentHandle;

use crate::domain::Lang;
use crate::domain::notices::Notice;
use crate::flow::Visit;
use crate::speech::{ModeSwitch, Speaker, SpeechProblem, SpeechStatus, switch_mode};

use super::read_aloud::{screen_text, screen_title};
use super::{AppState, AppWindow};

/// Where the interface sends speech: the [`Speaker`], or a fake in tests.
/// Every call returns at once.
pub trait Voice: Send + Sync {
    /// Starts saying `text`, cancelling whatever is being said.
    fn speak(&self, text: &str, lang: Lang);
    /// Stops speaking.
    fn stop(&self);
    /// The current state, for the button and staff.
    fn status(&self) -> SpeechStatus;
    /// A problem not yet shown to a visitor, handed out once.
    fn take_notice(&self) -> Option<SpeechProblem>;
}

impl Voice for Speaker {
    fn speak(&self, text: &str, lang: Lang) {
        Speaker::speak(self, text, lang);
    }
    fn stop(&self) {
        Speaker::stop(self);
    }
    fn status(&self) -> SpeechStatus {
        Speaker::status(self)
    }
    fn take_notice(&self) -> Option<SpeechProblem> {
        Speaker::take_notice(self)
    }
}

/// The engine may take this long to report that it started; until then a
/// reading counts as going on.
const START_GRACE: Duration = Duration::from_millis(1500);

/// The interface's hold on the voice (UI thread only).
#[derive(Default)]
pub struct Speech {
    voice: Option<Arc<dyn Voice>>,
    /// When the current reading was asked for.
    started: Cell<Option<Instant>>,
}

impl Speech {
    /// Speaking through `voice`; `None` keeps the kiosk silent.
    pub fn new(voice: Option<Arc<dyn Voice>>) -> Speech {
        Speech {
            voice,
            started: Cell::new(None),
        }
    }
}

/// One line for staff: "speech: ready", or what to do when it cannot speak.
pub fn speech_status_summary(voice: Option<&dyn Voice>) -> String {
    match voice {
        Some(v) => v.status().summary(),
        None => "speech: off (no speaker configured)".to_string(),
    }
}

/// [`speech_status_summary`] of the kiosk's voice.
pub fn status_summary(speech: &Speech) -> String {
    speech_status_summary(speech.voice.as_deref())
}

/// Wires the header button, speech mode and the widgets' "say this".
pub fn connect(w: &AppWindow, speech: &Rc<Speech>, visit: &Rc<Visit>) {
    let st = w.global::<AppState>();
    let with = |f: fn(&AppWindow, &Speech, Lang)| {
        let (weak, speech, visit) = (w.as_weak(), speech.clone(), Rc::downgrade(visit));
        move || {
            if let (Some(w), Some(v)) = (weak.upgrade(), visit.upgrade()) {
                f(&w, &speech, v.prefs().lang())
            }
        }
    };
    st.on_read_aloud(with(read_aloud));
    st.on_toggle_speech_mode(with(toggle_speech_mode));
    let (weak, speech, visit) = (w.as_weak(), speech.clone(), Rc::downgrade(visit));
    st.on_speak(move |text| {
        if let (Some(w), Some(v)) = (weak.upgrade(), visit.upgrade()) {
            say(&w, &speech, &text, v.prefs().lang());
        }
    });
}

/// The header button: read the screen, or stop reading.
fn read_aloud(w: &AppWindow, speech: &Speech, lang: Lang) {
    if w.global::<AppState>().get_reading() {
        stop(w, speech);
        return;
    }
    let text = screen_text(w, lang);
    say(w, speech, &text, lang);
}

/// Speech mode on or off (see [`switch_mode`]): the visitor hears and reads
/// which; it does not go on when nothing would be heard.
fn toggle_speech_mode(w: &AppWindow, speech: &Speech, lang: Lang) {
    let st = w.global::<AppState>();
    let status = speech.voice.as_ref().map(|v| v.status());
    let text = match switch_mode(st.get_speech_mode(), status.as_ref()) {
        ModeSwitch::Refused => {
            let why = match status {
                None | Some(SpeechStatus::Disabled) => Notice::SpeechSwitchedOff,
                Some(_) => Notice::SpeechNotWorking,
            };
            st.set_notice(why.message(lang).into());
            return;
        }
        ModeSwitch::On => Notice::SpeechModeOn,
        ModeSwitch::Off => Notice::SpeechModeOff,
    };
    st.set_speech_mode(text == Notice::SpeechModeOn);
    st.set_armed("".into());
    st.set_notice(text.message(lang).into());
    say(w, speech, text.message(lang), lang);
}

/// Starts saying `text`, or tells the visitor why the kiosk cannot.
fn say(w: &AppWindow, speech: &Speech, text: &str, lang: Lang) {
    let st = w.global::<AppState>();
    let Some(voice) = &speech.voice else {
        st.set_notice(Notice::SpeechSwitchedOff.message(lang).into());
        return;
    };
    voice.speak(text, lang);
    speech.started.set(Some(Instant::now()));
    st.set_reading(true);
    // A missing engine is known before anything plays: say so at once.
    show_problem(w, voice.as_ref(), lang);
}

fn stop(w: &AppWindow, speech: &Speech) {
    if let Some(voice) = &speech.voice {
        voice.stop();
    }
    speech.started.set(None);
    w.global::<AppState>().set_reading(false);
}

/// Shows a new problem once; true when there was one.
fn show_problem(w: &AppWindow, voice: &dyn Voice, lang: Lang) -> bool {
    let Some(problem) = voice.take_notice() else {
        return false;
    };
    // The technician's wording goes to the log and staff; the visitor gets
    // what to do now.
    tracing::warn!(%problem, "read aloud: no sound");
    let st = w.global::<AppState>();
    st.set_reading(false);
    // Speech mode without sound would leave the visitor touching twice
    // for nothing.
    st.set_speech_mode(false);
    st.set_armed("".into());
    st.set_notice(Notice::SpeechNotWorking.message(lang).into());
    true
}

/// Called by the interface's timer: notices problems found while playing
/// and turns the button back to "read aloud" when the reading ends.
pub fn poll(w: &AppWindow, speech: &Speech, lang: Lang, now: Instant) {
    let Some(voice) = &speech.voice else {
        return;
    };
    let st = w.global::<AppState>();
    if !st.get_reading() {
        return;
    }
    if show_problem(w, voice.as_ref(), lang) {
        speech.started.set(None);
        return;
    }
    let young = speech
        .started
        .get()
        .is_some_and(|at| now.saturating_duration_since(at) < START_GRACE);
    if !young && voice.status() != SpeechStatus::Speaking {
        speech.started.set(None);
        st.set_reading(false);
    }
}

/// A new screen: what was armed or being read belongs to the old one.
pub fn leave_screen(w: &AppWindow, speech: &Speech) {
    let st = w.global::<AppState>();
    st.set_armed("".into());
    if st.get_reading() {
        stop(w, speech);
    }
}

/// A new screen in speech mode: say which, so that a visitor who cannot
/// see it knows where the second touch led.
pub fn entered_screen(w: &AppWindow, speech: &Speech, lang: Lang) {
    if !w.global::<AppState>().get_speech_mode() {
        return;
    }
    if let Some(title) = screen_title(w) {
        say(w, speech, &title, lang);
    }
}

/// The end of a visit: silence, and speech mode off.
pub fn end_visit(w: &AppWindow, speech: &Speech) {
    stop(w, speech);
    let st = w.global::<AppState>();
    st.set_speech_mode(false);
    st.set_armed("".into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_see_a_missing_speaker() {
        assert_eq!(
            speech_status_summary(None),
            "speech: off (no speaker configured)"
        );
    }
}
