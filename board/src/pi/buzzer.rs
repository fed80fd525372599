//! The buzzer: beeps without making the caller wait.
//!
//! A thread owns the pin and plays beeps one after another as they are
//! asked for; [`Buzzer::beep`] only queues one. Dropping the buzzer closes
//! the queue, and the thread leaves the pin low and ends.

use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

use rppal::gpio::OutputPin;

use crate::BoardError;

/// No beep lasts longer than this, whatever is asked: a stuck buzzer in a
/// quiet lobby is worse than a short one.
const LONGEST_MS: u32 = 2000;

pub(super) struct Buzzer {
    queue: Sender<u32>,
}

impl Buzzer {
    /// Starts the thread that owns `pin`.
    pub(super) fn start(mut pin: OutputPin) -> Result<Self, BoardError> {
        let (queue, beeps) = mpsc::channel::<u32>();
        thread::Builder::new()
            .name("buzzer".into())
            .spawn(move || {
                for millis in beeps {
                    pin.set_high();
                    thread::sleep(Duration::from_millis(millis.min(LONGEST_MS).into()));
                    pin.set_low();
                }
            })
            .map_err(|source| BoardError::Io {
                what: "the buzzer thread".into(),
                source,
            })?;
        Ok(Self { queue })
    }

    pub(super) fn beep(&self, millis: u32) -> Result<(), BoardError> {
        self.queue.send(millis).map_err(|_| BoardError::Gpio {
            what: "the buzzer".into(),
            message: "its thread has stopped".into(),
        })
    }
}
