//! `kiosk check-config`: validates kiosk.toml for the IT contractor, then
//! looks at what it points to (the token file, the CA file, the printer
//! path, the board, the database).
//!
//! Exit code 0: the file is valid and nothing around it is wrong (warnings
//! may be printed); 1: valid, but something it points to will not work;
//! 2: the file is invalid or cannot be read.

use std::path::Path;
use std::process::ExitCode;

use kiosk::config::{Config, Severity, check_environment};

/// Prints a short summary of a valid file, or every problem of an invalid one.
pub fn run(path: Option<&Path>) -> ExitCode {
    match super::load_config(path) {
        Ok((path, config)) => {
            println!("{} is valid.", path.display());
            println!("{}", summary(&config));
            let found = check_environment(&config);
            for f in &found {
                let label = match f.severity {
                    Severity::Problem => "problem",
                    Severity::Warning => "warning",
                };
                println!("{label}: {}: {}", f.key, f.message);
            }
            if found.iter().any(|f| f.severity == Severity::Problem) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
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
        "  kiosk {} (receipts {}-YYYY-NNNNNN)\n  {} services in {} groups, {} desks\n  {} complaint categories, {} rating reasons\n  database {}{}\n  central system {}",
        c.kiosk.id,
        c.kiosk.receipt_prefix,
        c.services.len(),
        c.service_groups.len(),
        c.desks.len(),
        c.complaints.categories.len(),
        c.rating.reasons.len(),
        c.storage.database.display(),
        if c.storage.create {
            " (made when missing)"
        } else {
            ""
        },
        central,
    )
}
