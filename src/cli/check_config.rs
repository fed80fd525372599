//! `kiosk check-config`: validates kiosk.toml for the IT contractor.

use std::path::Path;
use std::process::ExitCode;

use kiosk::config::Config;

/// Prints a short summary of a valid file, or every problem of an invalid one.
pub fn run(path: Option<&Path>) -> ExitCode {
    match super::load_config(path) {
        Ok((path, config)) => {
            println!("{} is valid.", path.display());
            println!("{}", summary(&config));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn summary(c: &Config) -> String {
    let central = if c.central.url.is_empty() {
        "not configured (records stay queued on the kiosk)".to_string()
    } else {
        c.central.url.clone()
    };
    format!(
        "  kiosk {} (receipts {}-YYYY-NNNNNN)\n  {} services in {} groups, {} desks\n  {} complaint categories, {} rating reasons\n  database {}\n  central system {}",
        c.kiosk.id,
        c.kiosk.receipt_prefix,
        c.services.len(),
        c.service_groups.len(),
        c.desks.len(),
        c.complaints.categories.len(),
        c.rating.reasons.len(),
        c.storage.database.display(),
        central,
    )
}
