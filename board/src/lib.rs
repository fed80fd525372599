//! The hardware seam of the kiosk.
//!
//! Everything the kiosk touches beside the screen and the printer goes
//! through the [`Board`] trait: the staff-call button, the staff key switch
//! and the motion sensor come in as [`BoardEvent`]s on a channel; the status
//! LED, the buzzer and the display's backlight are driven through methods.
//! The kiosk is handed a `Box<dyn Board>` and never asks which one it is:
//! the simulated board serves development and tests, the Raspberry Pi board
//! serves the lobby. [`open`] picks one from [`BoardSettings`].
//!
//! Files: `settings` (wiring and its checks), `open` (choosing the board),
//! `simulated`, `pi` (rppal, Raspberry Pi 4 and 5), `backlight` (sysfs).
//! Nothing outside `pi` touches rppal.

pub mod backlight;
mod open;
pub mod pi;
pub mod settings;
pub mod simulated;

use std::sync::mpsc::Sender;

pub use open::{OpenedBoard, open};
pub use pi::{PiBoard, is_raspberry_pi};
pub use settings::{BoardKind, BoardSettings, Pins, SettingsIssue};
pub use simulated::{SimulatedBoard, SimulatedControls, SimulatedOutputs};

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
    /// Dark: nothing has been decided yet.
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
    /// Full brightness.
    #[default]
    On,
    /// Low brightness (`[board] backlight_dim_percent`), still readable.
    Dim,
    /// Dark.
    Off,
}

/// Why the board could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// `[board] kind = "pi"` on a machine that is not a Raspberry Pi.
    #[error("this machine is not a Raspberry Pi; set [board] kind = \"simulated\" in kiosk.toml")]
    NotARaspberryPi,
    #[error("permission denied on {what}: add the kiosk user to the `{group}` group")]
    PermissionDenied { what: String, group: &'static str },
    #[error(
        "GPIO pin {0} is busy: another program holds it; stop that program or choose another pin in [board]"
    )]
    PinBusy(u8),
    #[error("[board] {key}: {message}")]
    Settings { key: &'static str, message: String },
    #[error(
        "GPIO failed on {what}: {message}; check the wiring and that no other program uses the GPIO"
    )]
    Gpio { what: String, message: String },
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
    /// Shows `pattern` on the status LED until told otherwise; blinking is
    /// the board's business.
    fn set_led(&mut self, pattern: LedPattern) -> Result<(), BoardError>;
    /// A short beep of `millis` milliseconds.
    /// Returns at once; the beep ends on its own.
    fn beep(&mut self, millis: u32) -> Result<(), BoardError>;
    /// Sets the display's backlight.
    fn set_backlight(&mut self, level: Backlight) -> Result<(), BoardError>;
}

/// Where board events go: the application's channel.
pub type EventSink = Sender<BoardEvent>;
