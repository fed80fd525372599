//! The `kiosk` command line: running the kiosk and the IT contractor's tools.
//!
//! Each subcommand lives in its own file and returns an exit code; `main`
//! only parses and dispatches. Logs go to stderr, answers to stdout.

mod bench;
mod bench_pin;
mod bench_speech;
mod bench_submit;
mod bench_summary;
mod bench_ui;
mod check_config;
mod db;
mod demo_data;
mod export;
mod hash_pin;
mod init;
mod outbox;
mod print_test;
mod receipt;
mod report;
mod run;
mod say;
mod screenshot;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code for an invalid or missing configuration.
pub const EXIT_CONFIG: u8 = 2;
/// Exit code for a command line that cannot be understood (as clap's).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when the database is missing, damaged or otherwise unusable.
pub const EXIT_DATABASE: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "kiosk",
    version,
    about = "Lobby kiosk of the Kovachevtsi town hall"
)]
pub struct Cli {
    /// Configuration file [default: ./kiosk.toml, then /etc/kiosk/kiosk.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the kiosk (the default)
    Run,
    /// Check kiosk.toml and say what is wrong, key by key
    CheckConfig(check_config::Args),
    /// Make the database of a new kiosk (keeps an existing one); run by the package on install
    Init(init::Args),
    /// Check the database or copy what can be read of a damaged one into a new file
    Db(db::Args),
    /// Fill the configured database with realistic records marked as demo
    DemoData(demo_data::Args),
    /// Print the set-up slip: the alphabet under each candidate code page
    PrintTest(print_test::Args),
    /// Print (as a duplicate) or write the bytes of one receipt
    Receipt(receipt::Args),
    /// Measure layout and encoding of a complaint receipt, or speech start-up
    Bench(bench::Args),
    /// Draw screens to PNG files without a display
    Screenshot(screenshot::Args),
    /// Send pending records to the central system now and print what happened
    Sync(sync::Args),
    /// List records waiting for the central system and those it rejected (no personal data)
    Outbox(outbox::Args),
    /// Say a text through the configured speech engine and device, or write it as WAV
    Say(say::Args),
    /// Write the satisfaction report of a year or a range (md, text, csv, json)
    Report(report::Args),
    /// Export a year or a range (summary, complaint register; no personal data) to a USB stick
    Export(export::Args),
    /// Make the Argon2id hash of a staff PIN for [staff] pin_hash (PIN read without echo)
    HashPin,
    /// Write this command's manual page (roff) to stdout, for packaging
    #[command(hide = true)]
    Manual,
}

impl Cli {
    /// Runs the chosen subcommand.
    pub fn run(self) -> ExitCode {
        let config = self.config.as_deref();
        if !matches!(
            self.command,
            None | Some(Command::Run) | Some(Command::Say(_))
        ) {
            quiet_broken_pipe();
        }
        let result = match self.command.unwrap_or(Command::Run) {
            Command::Run => run::run(config),
            Command::CheckConfig(args) => return check_config::run(config, &args),
            Command::Init(args) => init::run(config, &args),
            Command::Db(args) => db::run(config, &args),
            Command::DemoData(args) => demo_data::run(config, &args),
            Command::PrintTest(args) => print_test::run(config, &args),
            Command::Receipt(args) => receipt::run(config, &args),
            Command::Bench(args) => bench::run(config, &args),
            Command::Sync(args) => sync::run(config, &args),
            Command::Screenshot(args) => screenshot::run(config, &args),
            Command::Outbox(args) => outbox::run(config, &args),
            Command::Say(args) => say::run(config, &args),
            Command::Report(args) => report::run(config, &args),
            Command::HashPin => hash_pin::run(),
            Command::Manual => manual(),
            Command::Export(args) => export::run(config, &args),
        };
        match result {
            Ok(code) => code,
            Err(err) => {
                eprintln!("kiosk: {err:#}");
                let database = err
                    .downcast_ref::<kiosk::store::StoreError>()
                    .is_some_and(|e| e.out_of_service(std::path::Path::new("")).is_some());
                if database {
                    ExitCode::from(EXIT_DATABASE)
                } else {
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Makes a command whose output is piped into `head` end quietly when the
/// pipe closes, as other command-line tools do, instead of failing on its
/// next line. Not for `kiosk run` and `kiosk say`, which write to sockets
/// and to the audio player and must see a closed pipe as an error.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE at start-up, before
    // any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// The man page: every subcommand and option, as `--help` shows them, in
/// one page (kiosk(1)).
fn manual() -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    let mut page = Vec::new();
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let heading = format!(".SH \"KIOSK {}\"\n", sub.get_name().to_uppercase());
        page.extend_from_slice(heading.as_bytes());
        let sub_man = clap_mangen::Man::new(sub.clone());
        let mut body = Vec::new();
        sub_man.render_description_section(&mut body)?;
        sub_man.render_options_section(&mut body)?;
        page.extend(strip_headings(&body));
    }
    man.render_version_section(&mut page)?;
    use std::io::Write;
    std::io::stdout().write_all(&page)?;
    Ok(ExitCode::SUCCESS)
}

/// A subcommand's sections, without their own `.SH` headings, so that they
/// sit under the subcommand's heading.
fn strip_headings(roff: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(roff)
        .lines()
        .filter(|l| !l.starts_with(".SH "))
        .flat_map(|l| [l, "\n"])
        .collect::<String>()
        .into_bytes()
}

/// Loads the configuration or prints why not.
fn load_config(
    path: Option<&std::path::Path>,
) -> Result<(PathBuf, kiosk::config::Config), ExitCode> {
    let found = kiosk::config::find(path).and_then(|p| kiosk::config::load(&p).map(|c| (p, c)));
    found.map_err(|err| {
        eprintln!("kiosk: {err}");
        ExitCode::from(EXIT_CONFIG)
    })
}

/// Opens the configured database: made when missing only where `[storage]
/// create = true` says so, refused with the path otherwise, and never
/// written when damaged.
fn open_store(config: &kiosk::config::Config) -> anyhow::Result<kiosk::store::Store> {
    let path = &config.storage.database;
    match kiosk::store::Store::open_configured(&config.storage, &config.kiosk.id) {
        Ok((store, new)) => {
            if new {
                tracing::info!(database = %path.display(), "made a new database ([storage] create = true)");
            }
            Ok(store)
        }
        // The errors name the path and say what to do.
        Err(e) => Err(anyhow::Error::new(e)),
    }
}
