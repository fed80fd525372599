//! Choosing and opening the board the settings ask for.
//!
//! `simulated` always opens; `pi` opens the GPIO or fails with the reason;
//! `auto` opens the GPIO on a Raspberry Pi and otherwise falls back to the
//! simulated board with a warning in the log. Any other failure on a Pi
//! (permissions, a busy pin) is not a reason to fall back: a lobby kiosk
//! that silently ignores its buttons is worse than one that says why it
//! will not start.

use crate::SimulatedControls;
use crate::pi::PiBoard;
use crate::{Board, BoardError, BoardKind, BoardSettings, EventSink, SimulatedBoard};

/// What [`open`] hands the kiosk.
pub struct OpenedBoard {
    /// The board to drive; events arrive on the channel given to [`open`].
    pub board: Box<dyn Board>,
    /// The simulated board's buttons and outputs, for keyboard shortcuts and
    /// tests; `None` on real hardware.
    pub controls: Option<SimulatedControls>,
    /// Why `auto` fell back to the simulated board, for the staff screen.
    pub fell_back: Option<BoardError>,
}

impl std::fmt::Debug for OpenedBoard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedBoard")
            .field("board", &self.board.name())
            .field("simulated", &self.controls.is_some())
            .field("fell_back", &self.fell_back)
            .finish()
    }
}

/// Opens the board `settings.kind` names; its events go to `events`.
pub fn open(settings: &BoardSettings, events: EventSink) -> Result<OpenedBoard, BoardError> {
    if let Some(issue) = settings.issues().into_iter().next() {
        return Err(BoardError::Settings {
            key: issue.key,
            message: issue.message,
        });
    }
    match settings.kind {
        BoardKind::Simulated => Ok(simulated(events, None)),
        BoardKind::Pi => Ok(real(PiBoard::open(settings, events)?)),
        BoardKind::Auto => match PiBoard::open(settings, events.clone()) {
            Ok(pi) => Ok(real(pi)),
            Err(BoardError::NotARaspberryPi) => {
                tracing::warn!(
                    "[board] kind = \"auto\": this machine is not a Raspberry Pi; using the simulated board"
                );
                Ok(simulated(events, Some(BoardError::NotARaspberryPi)))
            }
            Err(e) => Err(e),
        },
    }
}

fn real(pi: PiBoard) -> OpenedBoard {
    tracing::info!(board = pi.name(), "board opened");
    OpenedBoard {
        board: Box::new(pi),
        controls: None,
        fell_back: None,
    }
}

fn simulated(events: EventSink, fell_back: Option<BoardError>) -> OpenedBoard {
    let (board, controls) = SimulatedBoard::new(events);
    OpenedBoard {
        board: Box::new(board),
        controls: Some(controls),
        fell_back,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BoardEvent, LedPattern, is_raspberry_pi};
    use std::sync::mpsc;

    fn settings(kind: BoardKind) -> BoardSettings {
        BoardSettings {
            kind,
            ..BoardSettings::default()
        }
    }

    #[test]
    fn the_simulated_board_comes_with_its_controls() {
        let (tx, rx) = mpsc::channel();
        let mut opened = open(&settings(BoardKind::Simulated), tx).unwrap();
        let controls = opened.controls.take().unwrap();
        assert_eq!(opened.board.name(), "simulated");
        assert!(controls.press_staff_call());
        assert_eq!(rx.try_recv().unwrap(), BoardEvent::StaffCallPressed);
        opened.board.set_led(LedPattern::Fault).unwrap();
        assert_eq!(controls.outputs().led, LedPattern::Fault);
        assert!(opened.fell_back.is_none());
    }

    #[test]
    fn pi_off_a_pi_fails_with_the_reason() {
        if is_raspberry_pi() {
            return;
        }
        let (tx, _rx) = mpsc::channel();
        let err = open(&settings(BoardKind::Pi), tx).unwrap_err();
        assert!(matches!(err, BoardError::NotARaspberryPi));
        assert_eq!(
            err.to_string(),
            "this machine is not a Raspberry Pi; set [board] kind = \"simulated\" in kiosk.toml"
        );
    }

    #[test]
    fn auto_off_a_pi_falls_back_to_the_simulated_board() {
        if is_raspberry_pi() {
            return;
        }
        let (tx, rx) = mpsc::channel();
        let opened = open(&settings(BoardKind::Auto), tx).unwrap();
        assert_eq!(opened.board.name(), "simulated");
        assert!(matches!(
            opened.fell_back,
            Some(BoardError::NotARaspberryPi)
        ));
        let controls = opened.controls.unwrap();
        assert!(controls.motion());
        assert_eq!(rx.try_recv().unwrap(), BoardEvent::Motion);
    }

    #[test]
    fn bad_settings_stop_every_kind() {
        for kind in [BoardKind::Simulated, BoardKind::Pi, BoardKind::Auto] {
            let mut s = settings(kind);
            s.pins.motion = s.pins.staff_call;
            let (tx, _rx) = mpsc::channel();
            let err = open(&s, tx).unwrap_err();
            assert!(err.to_string().contains("motion_pin"), "{err}");
        }
    }
}
