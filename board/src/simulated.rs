//! A board made of software, for the desktop build and the tests.
//!
//! [`SimulatedBoard`] keeps what the kiosk asked of the outputs so a test
//! can read it back, and [`SimulatedControls`] lets a test or a keyboard
//! shortcut press the buttons. Both halves share one state; either can be
//! sent to another thread.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::{Backlight, Board, BoardError, BoardEvent, EventSink, LedPattern};

/// What the outputs currently show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimulatedOutputs {
    pub led: LedPattern,
    pub backlight: Backlight,
    /// Lengths of every beep asked for, oldest first.
    pub beeps: Vec<u32>,
}

#[derive(Debug, Default)]
struct Shared {
    outputs: Mutex<SimulatedOutputs>,
}

impl Shared {
    // A poisoned lock only means another thread panicked mid-update; the
    // plain data inside is still the best answer we have.
    fn outputs(&self) -> MutexGuard<'_, SimulatedOutputs> {
        self.outputs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The simulated board handed to the kiosk.
pub struct SimulatedBoard {
    shared: Arc<Shared>,
}

/// The other side of a simulated board: buttons to press, outputs to read.
#[derive(Clone)]
pub struct SimulatedControls {
    shared: Arc<Shared>,
    events: EventSink,
}

impl SimulatedBoard {
    /// A board whose events go to `events`, and the controls that drive it.
    pub fn new(events: EventSink) -> (Self, SimulatedControls) {
        let shared = Arc::new(Shared::default());
        let controls = SimulatedControls {
            shared: Arc::clone(&shared),
            events,
        };
        (Self { shared }, controls)
    }
}

impl Board for SimulatedBoard {
    fn name(&self) -> &str {
        "simulated"
    }

    fn set_led(&mut self, pattern: LedPattern) -> Result<(), BoardError> {
        self.shared.outputs().led = pattern;
        Ok(())
    }

    fn beep(&mut self, millis: u32) -> Result<(), BoardError> {
        self.shared.outputs().beeps.push(millis);
        Ok(())
    }

    fn set_backlight(&mut self, level: Backlight) -> Result<(), BoardError> {
        self.shared.outputs().backlight = level;
        Ok(())
    }
}

impl SimulatedControls {
    /// Presses an input. Returns false when nobody listens any more.
    pub fn send(&self, event: BoardEvent) -> bool {
        self.events.send(event).is_ok()
    }

    pub fn press_staff_call(&self) -> bool {
        self.send(BoardEvent::StaffCallPressed)
    }

    pub fn motion(&self) -> bool {
        self.send(BoardEvent::Motion)
    }

    pub fn turn_staff_key(&self, on: bool) -> bool {
        self.send(BoardEvent::StaffKey(on))
    }

    /// What the outputs show now.
    pub fn outputs(&self) -> SimulatedOutputs {
        self.shared.outputs().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn pressed_buttons_arrive_in_order() {
        let (tx, rx) = mpsc::channel();
        let (_board, controls) = SimulatedBoard::new(tx);
        assert!(controls.press_staff_call());
        assert!(controls.motion());
        assert!(controls.turn_staff_key(true));
        let got: Vec<_> = rx.try_iter().collect();
        assert_eq!(
            got,
            [
                BoardEvent::StaffCallPressed,
                BoardEvent::Motion,
                BoardEvent::StaffKey(true)
            ]
        );
    }

    #[test]
    fn outputs_are_visible_to_the_controls() {
        let (tx, _rx) = mpsc::channel();
        let (mut board, controls) = SimulatedBoard::new(tx);
        let board: &mut dyn Board = &mut board;
        board.set_led(LedPattern::Attention).unwrap();
        board.set_backlight(Backlight::Dim).unwrap();
        board.beep(120).unwrap();
        let out = controls.outputs();
        assert_eq!(out.led, LedPattern::Attention);
        assert_eq!(out.backlight, Backlight::Dim);
        assert_eq!(out.beeps, [120]);
    }

    #[test]
    fn sending_after_the_kiosk_stopped_listening_is_harmless() {
        let (tx, rx) = mpsc::channel();
        let (_board, controls) = SimulatedBoard::new(tx);
        drop(rx);
        assert!(!controls.press_staff_call());
    }
}
