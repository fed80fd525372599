//! The hardware seam of the kiosk.
//!
//! Everything the kiosk touches beside the screen and the printer goes
//! through the [`Board`] trait: the staff-call button, the staff key switch
//! and the motion sensor come in as [`BoardEvent`]s on a channel; the status
//! LED, the buzzer and the display's backlight are driven through methods.
//! The kiosk is handed a `Box<dyn Board>` and never asks which one it is:
//! the simulated board serves development and tests, the Raspberry Pi board
//! serves the lobby.

pub mod simulated;

use std::sync::mpsc::Sender;

pub use simulated::{SimulatedBoard, SimulatedControls};

/// Something that happened on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardEvent {
    /// A visitor pressed the staff-call button.
    StaffCallPressed,
    /// The staff key switch was turned on (`true`) or off (`false`).
    StaffKey(bool),
    /// The motion sensor saw someone in front of the kiosk.
    Motion,
}

/// What the status LED shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LedPattern {
    #[default]
    Off,
    /// Steady: all is well.
    Ok,
    /// Slow blink: staff should look (paper low or out, sync failing, a record rejected).
    Attention,
    /// Fast blink: the kiosk has an internal fault.
    Fault,
}

/// The display's backlight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backlight {
    #[default]
    On,
    Dim,
    Off,
}

/// Why the board could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("this machine is not a Raspberry Pi; set [board] kind = \"simulated\" in kiosk.toml")]
    NotARaspberryPi,
    #[error("permission denied on {what}: add the kiosk user to the `{group}` group")]
    PermissionDenied { what: String, group: &'static str },
    #[error(
        "GPIO pin {0} is busy: another program holds it; stop that program or choose another pin in [board]"
    )]
    PinBusy(u8),
    #[error("board I/O failed on {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

/// The kiosk's hardware.
///
/// Inputs are not polled: an implementation sends [`BoardEvent`]s into the
/// channel it was built with, from whatever thread its hardware calls back
/// on. Output methods return quickly and never block on a person.
pub trait Board: Send {
    /// A short name for logs and the staff status screen.
    fn name(&self) -> &str;
    fn set_led(&mut self, pattern: LedPattern) -> Result<(), BoardError>;
    /// A short beep of `millis` milliseconds.
    fn beep(&mut self, millis: u32) -> Result<(), BoardError>;
    fn set_backlight(&mut self, level: Backlight) -> Result<(), BoardError>;
}

/// Where board events go: the application's channel.
pub type EventSink = Sender<BoardEvent>;
