//! The printer's real-time status (ESC/POS `DLE EOT n`) and what it means
//! for the visitor waiting at the kiosk.
//!
//! Each answer is one byte whose bits 1 and 4 are set and bits 0 and 7 clear;
//! a byte that does not look like that is ignored rather than trusted.

use std::fmt;

/// `DLE EOT n`: ask for status `n` (1 printer, 2 offline cause, 3 error
/// cause, 4 paper roll sensor). Answered at once, even mid-job.
pub fn request(n: u8) -> [u8; 3] {
    [0x10, 0x04, n]
}

/// What the kiosk needs to know about the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrinterStatus {
    Ok,
    /// Prints, but the roll is nearly done: staff should change it soon.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// Offline for another reason (error, paper feed button held).
    Offline,
    /// The transport cannot read or the printer did not answer.
    Unknown,
}

impl PrinterStatus {
    /// Whether a receipt can be printed now. `Unknown` counts as ready: many
    /// printers answer no status on some transports, and a receipt that
    /// might print is better than none.
    pub fn can_print(self) -> bool {
        matches!(
            self,
            PrinterStatus::Ok | PrinterStatus::PaperNearEnd | PrinterStatus::Unknown
        )
    }

    /// The word the central-system heartbeat uses for this status.
    pub fn heartbeat_word(self) -> &'static str {
        match self {
            PrinterStatus::Ok => "ok",
            PrinterStatus::PaperNearEnd => "paper_low",
            PrinterStatus::PaperOut => "paper_out",
            PrinterStatus::CoverOpen => "cover_open",
            PrinterStatus::Offline => "offline",
            PrinterStatus::Unknown => "unknown",
        }
    }

    /// A short name for logs and the staff screen.
    pub fn as_str(self) -> &'static str {
        match self {
            PrinterStatus::Ok => "ok",
            PrinterStatus::PaperNearEnd => "paper near end",
            PrinterStatus::PaperOut => "paper out",
            PrinterStatus::CoverOpen => "cover open",
            PrinterStatus::Offline => "offline",
            PrinterStatus::Unknown => "unknown",
        }
    }
}

impl fmt::Display for PrinterStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let advice = match self {
            PrinterStatus::Ok => "ok",
            PrinterStatus::PaperNearEnd => "paper near end: change the roll soon",
            PrinterStatus::PaperOut => "paper out: load a new 80 mm roll and close the cover",
            PrinterStatus::CoverOpen => "cover open: close the printer's cover",
            PrinterStatus::Offline => {
                "offline: check the printer's error light, power it off and on"
            }
            PrinterStatus::Unknown => "status unknown",
        };
        f.write_str(advice)
    }
}

/// A status byte, if it has the fixed bits of a `DLE EOT` answer.
fn valid(b: Option<u8>) -> Option<u8> {
    b.filter(|b| b & 0x93 == 0x12)
}

/// The status from the answers to `DLE EOT 1`, `2` and `4` (`None` where
/// the printer did not answer).
pub fn interpret(
    printer: Option<u8>,
    offline_cause: Option<u8>,
    paper: Option<u8>,
) -> PrinterStatus {
    let (printer, cause, paper) = (valid(printer), valid(offline_cause), valid(paper));
    if printer.is_none() && cause.is_none() && paper.is_none() {
        return PrinterStatus::Unknown;
    }
    let bit = |b: Option<u8>, mask: u8| b.is_some_and(|b| b & mask != 0);
    if bit(paper, 0x60) || bit(cause, 0x20) {
        PrinterStatus::PaperOut
    } else if bit(cause, 0x04) {
        PrinterStatus::CoverOpen
    } else if bit(printer, 0x08) || bit(cause, 0x40) {
        PrinterStatus::Offline
    } else if bit(paper, 0x0C) {
        PrinterStatus::PaperNearEnd
    } else {
        PrinterStatus::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heartbeat_words_are_the_contracts() {
        let words: Vec<_> = [
            PrinterStatus::Ok,
            PrinterStatus::PaperNearEnd,
            PrinterStatus::PaperOut,
            PrinterStatus::CoverOpen,
            PrinterStatus::Offline,
            PrinterStatus::Unknown,
        ]
        .iter()
        .map(|s| s.heartbeat_word())
        .collect();
        assert_eq!(
            words,
            [
                "ok",
                "paper_low",
                "paper_out",
                "cover_open",
                "offline",
                "unknown"
            ]
        );
    }

    #[test]
    fn reads_the_epson_bits() {
        assert_eq!(
            interpret(Some(0x12), Some(0x12), Some(0x12)),
            PrinterStatus::Ok
        );
        assert_eq!(
            interpret(Some(0x1A), Some(0x32), Some(0x72)),
            PrinterStatus::PaperOut
        );
        assert_eq!(
            interpret(Some(0x1A), Some(0x16), Some(0x12)),
            PrinterStatus::CoverOpen
        );
        assert_eq!(
            interpret(Some(0x12), Some(0x12), Some(0x1E)),
            PrinterStatus::PaperNearEnd
        );
        assert_eq!(
            interpret(Some(0x1A), Some(0x52), Some(0x12)),
            PrinterStatus::Offline
        );
    }

    #[test]
    fn silence_or_garbage_is_unknown_and_does_not_block() {
        assert_eq!(interpret(None, None, None), PrinterStatus::Unknown);
        assert_eq!(
            interpret(Some(0xFF), Some(0x00), None),
            PrinterStatus::Unknown
        );
        assert!(PrinterStatus::Unknown.can_print());
        assert!(!PrinterStatus::PaperOut.can_print());
    }

    #[test]
    fn the_request_is_dle_eot_n() {
        assert_eq!(request(4), [0x10, 0x04, 0x04]);
    }
}
