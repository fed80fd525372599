//! One board output and the value last written to it.
//!
//! The device ticks about once a second; writing the LED or the backlight
//! only when the wanted value changes keeps the GPIO and sysfs quiet and
//! the log readable. A failed write is not remembered, so it is tried
//! again on the next tick, but it is logged only once per failure streak.

use board::BoardError;

/// The value last written to one output, and whether writing fails.
#[derive(Debug)]
pub(super) struct Output<T> {
    shown: Option<T>,
    failing: bool,
    what: &'static str,
}

impl<T: Copy + PartialEq + std::fmt::Debug> Output<T> {
    /// An output not yet written; `what` names it in the log.
    pub(super) fn new(what: &'static str) -> Self {
        Self {
            shown: None,
            failing: false,
            what,
        }
    }

    /// The value last written successfully.
    pub(super) fn shown(&self) -> Option<T> {
        self.shown
    }

    /// Writes `want` with `write` unless it is already showing.
    pub(super) fn apply(&mut self, want: T, write: impl FnOnce(T) -> Result<(), BoardError>) {
        if self.shown == Some(want) {
            return;
        }
        match write(want) {
            Ok(()) => {
                self.shown = Some(want);
                self.failing = false;
            }
            Err(e) => {
                if !self.failing {
                    tracing::warn!(output = self.what, wanted = ?want, "board output failed: {e}");
                }
                self.failing = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use board::LedPattern;

    #[test]
    fn a_value_is_written_once_until_it_changes() {
        let mut out = Output::new("status LED");
        let mut writes = Vec::new();
        for want in [
            LedPattern::Ok,
            LedPattern::Ok,
            LedPattern::Attention,
            LedPattern::Attention,
        ] {
            out.apply(want, |p| {
                writes.push(p);
                Ok(())
            });
        }
        assert_eq!(writes, [LedPattern::Ok, LedPattern::Attention]);
        assert_eq!(out.shown(), Some(LedPattern::Attention));
    }

    #[test]
    fn a_failed_write_is_tried_again() {
        let mut out = Output::new("status LED");
        let mut tries = 0;
        for fail in [true, true, false, false] {
            out.apply(LedPattern::Ok, |_| {
                tries += 1;
                if fail {
                    Err(BoardError::PinBusy(23))
                } else {
                    Ok(())
                }
            });
        }
        assert_eq!(tries, 3, "two failures, then one success, then nothing");
        assert_eq!(out.shown(), Some(LedPattern::Ok));
    }
}
