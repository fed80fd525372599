//! "Read aloud" and speech mode on the touchscreen.
//!
//! The header's button reads the screen shown now (the text comes from
//! [`super::read_aloud`], that is from the elements on screen) and stops on
//! the next touch. A long press or a double tap on it turns on speech mode
//! for the rest of the visit: each touch target then says what it is on a
//! first touch and acts on a second one (`AppState.should-act` in
//! ui/state.slint). Speech mode and any reading end with the visit.
//!
//! The interface speaks through a [`Voice`], so tests can listen without a
//! sound card. No voice, or one that cannot speak, never stops the kiosk:
//! the visitor is told once on screen, staff see the reason in
//! [`status_summary`].

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use slint::ComponentHandle;

use crate::domain::Lang;
use crate::speech::{Speaker, SpeechProblem, SpeechStatus};

use super::context::Ctx;
use super::read_aloud::{screen_text, screen_title};
use super::words::tr;
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

/// The interface's hold on the voice.
#[derive(Default)]
pub struct SpeechHandle {
    voice: Option<Arc<dyn Voice>>,
    /// When the current reading was asked for.
    started: Mutex<Option<Instant>>,
}

impl SpeechHandle {
    /// Speaking through `voice`; `None` keeps the kiosk silent.
    pub fn new(voice: Option<Arc<dyn Voice>>) -> SpeechHandle {
        SpeechHandle {
            voice,
            started: Mutex::new(None),
        }
    }

    fn started(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        // A plain value: still fine after a panic elsewhere.
        self.started.lock().unwrap_or_else(|e| e.into_inner())
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
pub fn status_summary(ctx: &Ctx) -> String {
    speech_status_summary(ctx.speech.voice.as_deref())
}

/// Wires the header button, speech mode and the widgets' "say this".
pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let st = w.global::<AppState>();
    {
        let weak = w.as_weak();
        let ctx = ctx.clone();
        st.on_read_aloud(move || {
            if let Some(w) = weak.upgrade() {
                read_aloud(&w, &ctx);
            }
        });
    }
    {
        let weak = w.as_weak();
        let ctx = ctx.clone();
        st.on_toggle_speech_mode(move || {
            if let Some(w) = weak.upgrade() {
                toggle_speech_mode(&w, &ctx);
            }
        });
    }
    {
        let weak = w.as_weak();
        let ctx = ctx.clone();
        st.on_speak(move |text| {
            if let Some(w) = weak.upgrade() {
                say(&w, &ctx, &text);
            }
        });
    }
}

/// The header button: read the screen, or stop reading.
fn read_aloud(w: &AppWindow, ctx: &Ctx) {
    if w.global::<AppState>().get_reading() {
        stop(w, ctx);
        return;
    }
    let text = screen_text(w, ctx.lang());
    say(w, ctx, &text);
}

/// Speech mode on or off; either way the visitor hears which.
fn toggle_speech_mode(w: &AppWindow, ctx: &Ctx) {
    let st = w.global::<AppState>();
    let on = !st.get_speech_mode();
    st.set_speech_mode(on);
    st.set_armed("".into());
    let lang = ctx.lang();
    let text = if on {
        tr(
            lang,
            "Режим с говор. Докоснете бутон, за да чуете какво прави. Докоснете го отново, за да го изберете.",
            "Speech mode. Touch a button to hear what it does. Touch it again to choose it.",
        )
    } else {
        tr(lang, "Режимът с говор е изключен.", "Speech mode is off.")
    };
    say(w, ctx, text);
}

/// Starts saying `text`, or tells the visitor why the kiosk cannot.
fn say(w: &AppWindow, ctx: &Ctx, text: &str) {
    let st = w.global::<AppState>();
    let lang = ctx.lang();
    let Some(voice) = &ctx.speech.voice else {
        st.set_notice(
            tr(
                lang,
                "Четенето на глас е изключено на този киоск. Моля, обърнете се към служител.",
                "Reading aloud is switched off on this kiosk. Please ask a staff member.",
            )
            .into(),
        );
        return;
    };
    voice.speak(text, lang);
    *ctx.speech.started() = Some(Instant::now());
    st.set_reading(true);
    // A missing engine is known before anything plays: say so at once.
    show_problem(w, ctx, voice.as_ref());
}

fn stop(w: &AppWindow, ctx: &Ctx) {
    if let Some(voice) = &ctx.speech.voice {
        voice.stop();
    }
    *ctx.speech.started() = None;
    w.global::<AppState>().set_reading(false);
}

/// Shows a new problem once; true when there was one.
fn show_problem(w: &AppWindow, ctx: &Ctx, voice: &dyn Voice) -> bool {
    let Some(problem) = voice.take_notice() else {
        return false;
    };
    // The technician's wording goes to the log and staff; the visitor gets
    // what to do now.
    tracing::warn!(%problem, "read aloud: no sound");
    let st = w.global::<AppState>();
    st.set_reading(false);
    st.set_notice(
        tr(
            ctx.lang(),
            "Четенето на глас не работи в момента. Моля, обърнете се към служител.",
            "Reading aloud does not work at the moment. Please ask a staff member.",
        )
        .into(),
    );
    true
}

/// Called by the interface's timer: notices problems found while playing
/// and turns the button back to "read aloud" when the reading ends.
pub fn poll(w: &AppWindow, ctx: &Ctx, now: Instant) {
    let Some(voice) = &ctx.speech.voice else {
        return;
    };
    let st = w.global::<AppState>();
    if !st.get_reading() {
        return;
    }
    if show_problem(w, ctx, voice.as_ref()) {
        *ctx.speech.started() = None;
        return;
    }
    let young = ctx
        .speech
        .started()
        .is_some_and(|at| now.saturating_duration_since(at) < START_GRACE);
    if !young && voice.status() != SpeechStatus::Speaking {
        *ctx.speech.started() = None;
        st.set_reading(false);
    }
}

/// A new screen: what was armed or being read belongs to the old one.
pub fn leave_screen(w: &AppWindow, ctx: &Ctx) {
    let st = w.global::<AppState>();
    st.set_armed("".into());
    if st.get_reading() {
        stop(w, ctx);
    }
}

/// A new screen in speech mode: say which, so that a visitor who cannot
/// see it knows where the second touch led.
pub fn entered_screen(w: &AppWindow, ctx: &Ctx) {
    if !w.global::<AppState>().get_speech_mode() {
        return;
    }
    if let Some(title) = screen_title(w) {
        say(w, ctx, &title);
    }
}

/// The end of a visit: silence, and speech mode off.
pub fn end_visit(w: &AppWindow, ctx: &Ctx) {
    stop(w, ctx);
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
