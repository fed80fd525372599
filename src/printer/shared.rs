//! The printer's last known status, shared by the print worker (which
//! learns it), the screens, the staff status, the status LED and the
//! heartbeat to the central system (which show it).

use std::sync::{Arc, Mutex};

use super::PrinterStatus;

/// A cheap, cloneable cell holding the last status read from the printer.
#[derive(Debug, Clone)]
pub struct SharedStatus(Arc<Mutex<PrinterStatus>>);

impl Default for SharedStatus {
    fn default() -> Self {
        SharedStatus(Arc::new(Mutex::new(PrinterStatus::Unknown)))
    }
}

impl SharedStatus {
    /// The last status seen.
    pub fn get(&self) -> PrinterStatus {
        match self.0.lock() {
            Ok(s) => *s,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// Records a newly read status.
    pub fn set(&self, status: PrinterStatus) {
        match self.0.lock() {
            Ok(mut s) => *s = status,
            Err(poisoned) => *poisoned.into_inner() = status,
        }
    }

    /// The status word for the central system's heartbeat.
    pub fn heartbeat(&self) -> crate::sync::PrinterState {
        let me = self.clone();
        Arc::new(move || me.get().heartbeat_word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_unknown_and_every_clone_sees_an_update() {
        let a = SharedStatus::default();
        let b = a.clone();
        assert_eq!(b.get(), PrinterStatus::Unknown);
        a.set(PrinterStatus::PaperOut);
        assert_eq!(b.get(), PrinterStatus::PaperOut);
        assert_eq!(b.heartbeat()(), PrinterStatus::PaperOut.heartbeat_word());
    }
}
