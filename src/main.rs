//! The `kiosk` binary: parses the command line and hands over to `cli`.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // Before anything can open the database (see `kiosk::store::space`).
    kiosk::store::space::exit_on_sigbus();
    // Logs go to stderr so that command output on stdout stays clean.
    // They never carry visitors' personal data: only ids, numbers and counts.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_env("KIOSK_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    cli::Cli::parse().run()
}
