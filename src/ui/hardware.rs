//! The board beside the screen, seen from the interface: its events come in
//! on a channel and are handled on the UI thread at each tick; the status
//! LED and the backlight follow the printer, the link to the central system
//! and the visitor's touches. With the simulated board, keys in the desktop
//! window stand for the buttons (F1 staff call, F2 motion, F3 staff key).

use std::sync::mpsc::Receiver;

use board::{BoardEvent, SimulatedControls};
use tokio::sync::watch;

use crate::device::Device;
use crate::sync::SyncStatus;

/// The board and what it reports, for [`super::App`]. All optional: tests
/// and screenshots run without hardware.
#[derive(Default)]
pub struct Hardware {
    pub device: Option<Device>,
    pub events: Option<Receiver<BoardEvent>>,
    /// Present with the simulated board: keys in the window press its buttons.
    pub controls: Option<SimulatedControls>,
    /// The sync worker's status, for the LED (none: no central system).
    pub sync: Option<watch::Receiver<SyncStatus>>,
}

/// A key in the desktop window that stands for a board input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulatedKey {
    StaffCall,
    Motion,
    StaffKey,
}

impl SimulatedKey {
    /// The key's name as the window reports it ("F1", ...).
    pub fn from_name(name: &str) -> Option<SimulatedKey> {
        match name {
            "F1" => Some(SimulatedKey::StaffCall),
            "F2" => Some(SimulatedKey::Motion),
            "F3" => Some(SimulatedKey::StaffKey),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_keys_stand_for_the_board_inputs() {
        assert_eq!(SimulatedKey::from_name("F1"), Some(SimulatedKey::StaffCall));
        assert_eq!(SimulatedKey::from_name("F2"), Some(SimulatedKey::Motion));
        assert_eq!(SimulatedKey::from_name("F3"), Some(SimulatedKey::StaffKey));
        assert_eq!(SimulatedKey::from_name("a"), None);
    }
}
