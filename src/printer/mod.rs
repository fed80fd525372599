//! The receipt printer: ESC/POS rendering, strict Cyrillic encoding,
//! transports with timeouts, real-time status and the print-job worker.
//!
//! The layout of a receipt is domain logic (`crate::domain::receipt`); this
//! module only turns it into bytes and gets them onto paper. A printer
//! problem never touches a record or its number: it fails the print job,
//! with the reason, and staff retry or reprint.

pub mod encode;
pub mod error;
pub mod jobs;
pub mod render;
pub mod shared;
pub mod status;
pub mod test_slip;
pub mod transport;
pub mod usb;

pub use error::PrinterError;
pub use jobs::{Outcome, PrintWorker};
pub use render::{PageSetup, render};
pub use shared::SharedStatus;
pub use status::PrinterStatus;
pub use transport::{Transport, open};

use crate::config::Config;
use crate::domain::hours::OfficeHours;
use crate::domain::receipt::ReceiptContext;

/// The page setup from `[printer]`.
pub fn page_setup(config: &Config) -> PageSetup {
    PageSetup {
        encoding: config.printer.encoding,
        esc_t_n: config.printer.esc_t_n,
        cancel_kanji: config.printer.cancel_kanji,
    }
}

/// What the receipt layout needs from kiosk.toml.
pub fn receipt_context(config: &Config) -> ReceiptContext {
    let h = &config.hours;
    ReceiptContext {
        municipality: config.kiosk.municipality.clone(),
        registry_desk: config
            .desks
            .iter()
            .find(|d| d.id == config.contacts.registry_desk)
            .cloned(),
        hours: OfficeHours {
            opens: h.opens.0,
            closes: h.closes.0,
            lunch_start: h.lunch_start.0,
            lunch_end: h.lunch_end.0,
        },
        phone: config.contacts.phone.clone(),
        website: config.contacts.website.clone(),
        status_url: config.receipt.status_url.clone(),
        categories: config.complaints.categories.clone(),
        columns: config.printer.columns,
        large_print: config.printer.large_print,
    }
}

/// A print worker for the printer in `[printer]`.
pub fn worker(store: crate::store::Store, config: &Config) -> jobs::PrintWorker {
    let spec = config.printer.transport.clone();
    let timeout_ms = config.printer.timeout_ms;
    jobs::PrintWorker::new(
        store,
        receipt_context(config),
        page_setup(config),
        Box::new(move || open(&spec, timeout_ms)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_names_the_registry_desk_on_the_receipt() {
        let config =
            crate::config::load_with_env(std::path::Path::new("kiosk.toml"), std::iter::empty())
                .unwrap();
        let ctx = receipt_context(&config);
        assert_eq!(ctx.registry_desk.unwrap().id, config.contacts.registry_desk);
        assert_eq!(ctx.columns, config.printer.columns);
        assert_eq!(page_setup(&config).esc_t_n, config.printer.esc_t_n);
    }
}
