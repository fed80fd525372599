//! `kiosk db check` and `kiosk db recover`: the IT contractor's way out of
//! a damaged database.
//!
//! `check` only reads: the header, SQLite's full `integrity_check`, the
//! receipt counters against the numbers stored. Exit 0 when sound, 3 when
//! damaged. `recover` copies what can be read into a new file and puts it
//! in place of the damaged one, which is kept beside it as
//! `kiosk.db.damaged-YYYYMMDD-HHMMSS` (with its `-wal` and `-shm`); with
//! `--out` it only writes the new file there. It refuses while another
//! process (the running kiosk) has the database open.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Datelike, Utc};
use kiosk::clock::local_time;
use kiosk::domain::ReceiptNumber;
use kiosk::store::recover::{RecoverReport, recover};
use kiosk::store::{FileState, Store, full_check, in_use};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Check the database thoroughly without writing to it
    Check,
    /// Copy what can be read of a damaged database into a new file, keep
    /// the damaged one, and say what was lost
    Recover {
        /// Write the new database here and leave the damaged one in place
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let path = config.storage.database.clone();
    match &args.action {
        Action::Check => check(&path, &config.kiosk.id),
        Action::Recover { out } => run_recover(&path, out.as_deref(), &config.kiosk),
    }
}

fn check(path: &Path, kiosk: &str) -> anyhow::Result<ExitCode> {
    let report = full_check(path, Some(kiosk))?;
    println!("database {}", path.display());
    println!(
        "  {} bytes{}",
        report.bytes,
        report
            .wal_bytes
            .map(|n| format!(", write-ahead log {n} bytes"))
            .unwrap_or_default()
    );
    if let Some(n) = report.records {
        println!(
            "  {n} records, {} waiting for the central system",
            report.pending.unwrap_or(0)
        );
    }
    for (prefix, year, counter, stored, floor) in &report.numbers {
        println!(
            "  receipts {prefix}-{year}: counter {counter}, highest stored {stored}, floor {floor}; next {}",
            counter.max(stored).max(floor) + 1
        );
    }
    for w in &report.warnings {
        println!("warning: {w}");
    }
    if report.is_sound() {
        println!("sound: no damage found");
        return Ok(ExitCode::SUCCESS);
    }
    for p in &report.problems {
        println!("damage: {p}");
    }
    if report
        .problems
        .iter()
        .all(|p| p.starts_with("it is not this kiosk's database"))
    {
        println!(
            "the kiosk will not write to this file: correct [storage] database (or [kiosk] id) in kiosk.toml, or put this kiosk's database back"
        );
    } else {
        println!(
            "the database is damaged: stop the kiosk (sudo systemctl stop kiosk) and run `kiosk db recover`; the damaged file is kept"
        );
    }
    Ok(ExitCode::from(super::EXIT_DATABASE))
}

fn run_recover(
    path: &Path,
    out: Option<&Path>,
    kiosk: &kiosk::config::KioskSection,
) -> anyhow::Result<ExitCode> {
    let prefix = kiosk.receipt_prefix.as_str();
    match kiosk::store::FileState::from(path)? {
        FileState::Missing | FileState::Empty => {
            eprintln!(
                "kiosk: there is no database at {} to recover; `kiosk init` makes a new one",
                path.display()
            );
            return Ok(ExitCode::from(super::EXIT_DATABASE));
        }
        FileState::Present => {}
    }
    if in_use(path) {
        eprintln!(
            "kiosk: the database {} is open in another process (is the kiosk running?); stop it first: sudo systemctl stop kiosk",
            path.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let stamp = local_time(Utc::now()).format("%Y%m%d-%H%M%S").to_string();
    let target = match out {
        Some(p) => p.to_path_buf(),
        None => with_suffix(path, &format!(".recovered-{stamp}")),
    };
    let report = recover(path, &target, Some(&kiosk.id))?;
    print_report(&report);
    if !report.complete() {
        println!(
            "the recovered copy holds fewer records, or fewer complaint texts and contacts, than the damaged database: it is NOT put in place, and the damaged database stays where it is (the kiosk stays out of service)"
        );
        println!(
            "what could be saved is in {}; keep both files. Restore a backup of the database if there is one, or give both files and this report to the contractor; to use the copy anyway, stop the kiosk and move it over the database by hand",
            target.display()
        );
        return Ok(ExitCode::from(super::EXIT_DATABASE));
    }
    let placed = if out.is_none() {
        let kept = with_suffix(path, &format!(".damaged-{stamp}"));
        for suffix in ["", "-wal", "-shm"] {
            let from = with_suffix(path, suffix);
            if from.exists() {
                std::fs::rename(&from, with_suffix(&kept, suffix))?;
            }
        }
        std::fs::rename(&target, path)?;
        println!("the damaged database is kept as {}", kept.display());
        println!("the recovered database is now {}", path.display());
        path.to_path_buf()
    } else {
        println!(
            "the recovered database is {}; the damaged one is left at {}",
            target.display(),
            path.display()
        );
        target
    };
    let (store, _) = Store::open_with(&placed, kiosk::store::Create::Never, Some(&kiosk.id))?;
    let year = local_time(Utc::now()).year();
    if let Ok(n) = ReceiptNumber::new(prefix, year, store.next_sequence(prefix, year)?) {
        println!("the next receipt number is {n}");
    }
    println!("start the kiosk again: sudo systemctl start kiosk");
    Ok(ExitCode::SUCCESS)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn print_report(r: &RecoverReport) {
    let lost = r.found.minus(&r.saved);
    let unknown = if r.records_unreadable > 0 || !r.readable {
        " (at least: unreadable places may have held more)"
    } else {
        ""
    };
    println!(
        "records saved: {} of {} found{unknown}: ratings {} of {}, complaints {} of {}, staff calls {} of {}{}",
        r.saved.total(),
        r.found.total(),
        r.saved.ratings,
        r.found.ratings,
        r.saved.complaints,
        r.found.complaints,
        r.saved.staff_calls,
        r.found.staff_calls,
        if r.found.other > 0 {
            format!(
                ", of unreadable kind {} of {}",
                r.saved.other, r.found.other
            )
        } else {
            String::new()
        }
    );
    println!(
        "records lost: {}{unknown}: ratings {}, complaints {}, staff calls {}{}",
        lost.total(),
        lost.ratings,
        lost.complaints,
        lost.staff_calls,
        if lost.other > 0 {
            format!(", of unreadable kind {}", lost.other)
        } else {
            String::new()
        }
    );
    if r.records_unreadable > 0 {
        println!(
            "  {} places of the records table could not be read; the records there are lost",
            r.records_unreadable
        );
    }
    match r.pending_found {
        Some(n) => println!(
            "waiting for the central system: {} saved of {n}",
            r.pending_saved
        ),
        None => println!(
            "waiting for the central system: {} saved (the damaged queue could not be counted)",
            r.pending_saved
        ),
    }
    if !r.readable {
        println!(
            "SQLite cannot read the damaged file at all: only receipt numbers could be taken from its raw bytes"
        );
    } else if r.header_mended {
        println!("the file's header was damaged and was mended in a scratch copy to read it");
    }
    for t in &r.tables {
        let lost = t.refused + t.unreadable;
        println!(
            "  {:<16} {} rows copied{}",
            t.table,
            t.copied,
            if lost > 0 {
                format!(
                    ", {} refused, {} unreadable places",
                    t.refused, t.unreadable
                )
            } else {
                String::new()
            }
        );
        for n in &t.notes {
            println!("      {n}");
        }
    }
    if r.text_repaired > 0 {
        println!(
            "  {} stored texts were not valid UTF-8 and were copied with replacement characters (�)",
            r.text_repaired
        );
    }
    if r.requeued > 0 {
        println!(
            "  {} records had lost their place in the queue and will be sent to the central system again (it keeps one copy)",
            r.requeued
        );
    }
    for h in &r.highest {
        println!(
            "  receipts {}-{}: numbering continues above {:06} (the highest found, in the {})",
            h.prefix, h.year, h.sequence, h.source
        );
    }
    if !r.lost_numbers.is_empty() {
        println!(
            "  {} receipt numbers were given but their records could not be copied; they are never given again:",
            r.lost_numbers.len()
        );
        for n in r.lost_numbers.iter().take(50) {
            println!("      {n}");
        }
    }
    println!(
        "{}",
        if r.complete() && r.rows_lost() == 0 && r.lost_numbers.is_empty() {
            "nothing was lost".to_owned()
        } else {
            format!("{} rows were lost (see above)", r.rows_lost())
        }
    );
}
