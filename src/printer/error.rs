//! What can go wrong between a receipt and the paper, in words a technician
//! can act on.

use crate::printer::status::PrinterStatus;

/// A printing failure. The record and its number are never affected.
#[derive(Debug, thiserror::Error)]
pub enum PrinterError {
    #[error(
        "cannot reach the printer at {target}: {source}; check that it is on and connected, and `[printer] transport` in kiosk.toml"
    )]
    Unreachable {
        target: String,
        source: std::io::Error,
    },
    #[error(
        "the printer at {target} did not answer within {timeout_ms} ms while {doing}; check the cable or network, then retry"
    )]
    Timeout {
        target: String,
        doing: &'static str,
        timeout_ms: u32,
    },
    #[error("writing to the printer at {target} failed: {source}; check the cable, then retry")]
    Io {
        target: String,
        source: std::io::Error,
    },
    #[error(
        "the printer stopped answering while the receipt was sent; check paper, cover and cable, then retry"
    )]
    StoppedAnswering,
    #[error("the printer is not ready: {0}")]
    NotReady(PrinterStatus),
    #[error(
        "sent, not confirmed: the slip went to the network printer but the printer never confirmed \
         printing it (no status answer after the cut); check whether the slip came out, and reprint if it did not"
    )]
    NotConfirmed,
    #[error("there is no receipt to print: {0}")]
    NoReceipt(String),
    #[error("the receipt could not be turned into printer commands: {0}")]
    Render(String),
    #[error("the kiosk's database failed: {0}")]
    Store(#[from] crate::store::StoreError),
}

impl PrinterError {
    /// Whether retrying cannot help until someone changes the configuration
    /// or the data. Paper, cover and connection problems are not permanent:
    /// staff fix them and retry.
    pub fn is_permanent(&self) -> bool {
        matches!(self, PrinterError::NoReceipt(_) | PrinterError::Render(_))
    }

    /// The printer's status this failure shows, for the LED and staff.
    pub fn implied_status(&self) -> PrinterStatus {
        match self {
            PrinterError::NotReady(s) => *s,
            PrinterError::Unreachable { .. }
            | PrinterError::Timeout { .. }
            | PrinterError::StoppedAnswering => PrinterStatus::Offline,
            _ => PrinterStatus::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_and_connection_problems_are_worth_a_retry() {
        assert!(!PrinterError::NotReady(PrinterStatus::PaperOut).is_permanent());
        let t = PrinterError::Timeout {
            target: "tcp:127.0.0.1:9100".into(),
            doing: "sending the receipt",
            timeout_ms: 3000,
        };
        assert!(!t.is_permanent());
        assert!(t.to_string().contains("3000 ms"));
        assert!(PrinterError::NoReceipt("x".into()).is_permanent());
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = PrinterError::NotReady(PrinterStatus::PaperOut);
        assert!(e.to_string().contains("load"), "{e}");
    }
}
