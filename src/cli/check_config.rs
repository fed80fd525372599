//! `kiosk check-config`: validates kiosk.toml for the IT contractor, then
//! looks at what it points to (the token file, the CA file, the printer
//! path, the board, the database).
//!
//! Exit code 0: the file is valid and nothing around it is wrong (warnings
//! may be printed); 1: valid, but something it points to will not work;
//! 2: the file (or the fragment) is invalid or cannot be read.
//!
//! With `--fragment FILE` it checks a configuration fragment as the
//! municipality would send it, against this kiosk.toml, with the same code
//! the kiosk runs when one arrives (`kiosk::config::check_fragment`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kiosk::config::{Config, MAX_FRAGMENT_BYTES, Severity, check_environment, check_fragment};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Check this configuration fragment (only [contacts], [hours],
    /// [calendar], [[desks]], [[service_groups]], [[services]],
    /// [complaints], [rating]) against the kiosk.toml in use
    #[arg(long, value_name = "FILE")]
    pub fragment: Option<PathBuf>,
}

/// Prints a short summary of a valid file, or every problem of an invalid one.
pub fn run(path: Option<&Path>, args: &Args) -> ExitCode {
    if let Some(fragment) = &args.fragment {
        return run_fragment(path, fragment);
    }
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

/// `--fragment FILE`: the fragment merged into the kiosk's own file and
/// checked; every problem with its key and its line.
fn run_fragment(path: Option<&Path>, fragment: &Path) -> ExitCode {
    let invalid = ExitCode::from(super::EXIT_CONFIG);
    let read = |p: &Path, max: usize| -> Result<String, String> {
        let bytes = kiosk::config::read_bounded(p, max as u64)
            .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", p.display()))
    };
    let base_path = match kiosk::config::find(path) {
        Ok(p) => p,
        Err(err) => {
            eprintln!("kiosk: {err}");
            return invalid;
        }
    };
    let (base, text) = match (
        read(&base_path, MAX_FRAGMENT_BYTES),
        read(fragment, MAX_FRAGMENT_BYTES),
    ) {
        (Ok(b), Ok(f)) => (b, f),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("kiosk: {e}");
            return invalid;
        }
    };
    let dir = base_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match check_fragment(&base, dir, &text, std::env::vars()) {
        Ok(config) => {
            println!(
                "{} is valid against {}.",
                fragment.display(),
                base_path.display()
            );
            println!("{}", summary(&config));
            ExitCode::SUCCESS
        }
        Err(issues) => {
            let n = issues.len();
            println!(
                "{} has {n} error{} against {}:",
                fragment.display(),
                if n == 1 { "" } else { "s" },
                base_path.display()
            );
            for issue in &issues {
                println!("  {issue}");
            }
            invalid
        }
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
