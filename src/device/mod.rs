//! The kiosk's behaviour around its hardware: the staff-call button, the
//! motion sensor, the staff key, the status LED, the buzzer and the
//! backlight.
//!
//! The rules are plain functions and small structs, without Slint or GPIO:
//! `led` (health → LED pattern), `backlight` (time, office hours, idleness
//! → brightness), `staff_call` (once a minute), `message` (what the screen
//! says). [`Device`] (`supervisor`) owns the `Box<dyn board::Board>`, applies
//! the rules and remembers what it last wrote (`output`). `settings` maps
//! kiosk.toml onto the board crate's and the device's settings.
//!
//! Threading: the app calls [`Device`] from its UI timer; nothing here
//! blocks on the disk or the network. A staff call comes back as
//! [`DeviceAction::CallStaff`] with the record to store elsewhere.

pub mod backlight;
pub mod led;
pub mod message;
mod output;
pub mod settings;
pub mod staff_call;
pub mod supervisor;

pub use backlight::{ScreenRules, ScreenSituation, backlight_level};
pub use led::{DeviceInputs, FailureWatch, led_pattern, printer_needs_attention, sync_is_failing};
pub use message::ScreenMessage;
pub use settings::{DeviceSettings, board_settings};
pub use staff_call::{CallDecision, StaffCallLimiter, staff_call_submission};
pub use supervisor::{Device, DeviceAction};
