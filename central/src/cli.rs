//! The commands of `kiosk-central`. Names are fixed (installers and other
//! tools call them); each takes `--config PATH`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use sqlx::AnyPool;

use crate::app::AppState;
use crate::complaints::actions::{self, Extension, NotExaminedReason, Registration};
use crate::config::{self, CentralConfig};
use crate::db::{self, audit, kiosks};
use crate::token;

#[derive(Debug, Parser)]
#[command(
    name = "kiosk-central",
    version,
    about = "The municipality's end of the kiosk contract: receives the kiosks' records and answers them"
)]
pub struct Cli {
    /// central.toml to use (default: ./central.toml, then /etc/kiosk-central/central.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (makes the SQLite database and brings the schema up to date first).
    Serve,
    /// Check central.toml and say what is wrong, key by key.
    CheckConfig,
    /// Bring the database schema up to date.
    Migrate,
    /// Kiosks allowed to deliver.
    #[command(subcommand)]
    Kiosk(KioskCommand),
    /// A consistent copy of the database, also while the server runs.
    Backup {
        /// Where to write the copy (must not exist).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The registry desk's actions on a complaint.
    #[command(subcommand)]
    Complaint(ComplaintCommand),
    /// Measure the server on this machine (a scratch database, loopback only).
    #[command(subcommand)]
    Bench(crate::bench::BenchCommand),
    /// Write this command's manual page (roff) to stdout, for packaging.
    #[command(hide = true)]
    Manual,
    /// Write the printable guides (clerk, kiosk staff) as HTML pages into DIR.
    Guides {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// People who open the registry desk's pages.
    #[command(subcommand)]
    User(UserCommand),
}

impl Command {
    /// The server and the benchmark, which want worker threads.
    pub fn runs_long(&self) -> bool {
        matches!(self, Command::Serve | Command::Bench(_))
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a person, or give a known one a new role and password. The
    /// password is asked without echo, or read as one line from standard
    /// input when that is not a terminal.
    Add {
        #[arg(value_name = "NAME")]
        user: String,
        /// clerk (everything, personal data included), viewer (figures and
        /// the register without personal data) or admin (users, kiosks, configuration).
        #[arg(long, value_parser = ["clerk", "viewer", "admin"])]
        role: String,
        #[command(flatten)]
        actor: Actor,
    },
}

#[derive(Debug, Subcommand)]
pub enum KioskCommand {
    /// Allow a kiosk and print its new token once (a known kiosk gets a new token).
    Add {
        id: String,
        #[command(flatten)]
        actor: Actor,
    },
    /// List the kiosks.
    List,
    /// Refuse a kiosk's token from now on.
    Revoke {
        id: String,
        #[command(flatten)]
        actor: Actor,
    },
}

#[derive(Debug, Args)]
pub struct Actor {
    /// Who acts, for the audit log (default: the login name).
    #[arg(long = "as", value_name = "NAME")]
    pub name: Option<String>,
}

impl Actor {
    fn name(&self) -> String {
        self.name
            .clone()
            .or_else(|| std::env::var("SUDO_USER").ok())
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "cli".into())
    }
}

#[derive(Debug, Subcommand)]
pub enum ComplaintCommand {
    /// Register a complaint under the municipality's incoming number.
    Register {
        number: String,
        /// The registry's incoming number, e.g. 94-00-12 (at most 32 characters).
        #[arg(long, value_name = "NUMBER")]
        registry_number: String,
        /// The registration date, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<NaiveDate>,
        /// Who acts, for the audit log.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Record that the written answer was sent.
    Answer {
        number: String,
        /// The date of the answer, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<NaiveDate>,
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Move the due date later; the filer must have been told why.
    Extend {
        number: String,
        /// The new due date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        new_due_date: NaiveDate,
        /// Why the answer takes longer, as the filer was told.
        #[arg(long)]
        reason: String,
        /// When the filer was told, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        told_on: Option<NaiveDate>,
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
    /// Close as not examined, for one of the charter's reasons.
    NotExamined {
        number: String,
        /// anonymous (not about health or safety) or offensive (obscene or offensive wording).
        #[arg(long, value_parser = ["anonymous", "offensive"])]
        reason: String,
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    // These read no central.toml.
    let command = match cli.command {
        Command::Bench(b) => return crate::bench::run(b).await,
        Command::Manual => return crate::manual::write(),
        Command::Guides { out } => {
            for path in crate::guides::write_all(&out)? {
                println!("{}", path.display());
            }
            return Ok(());
        }
        other => other,
    };
    let path = config::find(cli.config.as_deref())?;
    let config = config::load(&path)?;
    match command {
        Command::Bench(_) | Command::Manual | Command::Guides { .. } => Ok(()),
        Command::CheckConfig => {
            println!("{}: OK", path.display());
            println!("  listens on {}", config.server.listen);
            println!("  database {}", shown_url(&config.database_url()));
            Ok(())
        }
        Command::Migrate => {
            let pool = open(&config).await?;
            println!("the database schema is up to date");
            pool.close().await;
            Ok(())
        }
        Command::Serve => serve(config).await,
        Command::Kiosk(k) => kiosk(&config, k).await,
        Command::Backup { out } => backup(&config, &out).await,
        Command::Complaint(c) => complaint(&config, c).await,
        Command::User(u) => user(&config, u).await,
    }
}

/// The URL without a password, for messages.
fn shown_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = url.get(scheme + 3..at).unwrap_or("");
            let user = userinfo.split(':').next().unwrap_or("");
            format!(
                "{}{user}:***{}",
                url.get(..scheme + 3).unwrap_or(""),
                url.get(at..).unwrap_or("")
            )
        }
        _ => url.to_string(),
    }
}

/// Opens the database and brings the schema up to date.
async fn open(config: &CentralConfig) -> anyhow::Result<AnyPool> {
    let max = u32::try_from(config.database.max_connections).unwrap_or(8);
    let pool = db::connect(&config.database_url(), max).await?;
    db::migrate(&pool).await?;
    Ok(pool)
}

async fn serve(config: CentralConfig) -> anyhow::Result<()> {
    let addr = config
        .server
        .listen_addr()
        .map_err(|e| anyhow::anyhow!("[server] listen: {e}"))?;
    let pool = open(&config).await?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr}; is another server there? ([server] listen)")
    })?;
    let bound = listener.local_addr()?;
    tracing::info!(
        "kiosk-central {} listening on http://{bound}, database {}",
        env!("CARGO_PKG_VERSION"),
        shown_url(&config.database_url())
    );
    crate::serve::serve(listener, AppState::new(pool.clone(), config)).await?;
    pool.close().await;
    Ok(())
}

async fn kiosk(config: &CentralConfig, command: KioskCommand) -> anyhow::Result<()> {
    let pool = open(config).await?;
    match command {
        KioskCommand::Add { id, actor } => {
            check_kiosk_id(&id)?;
            let token = token::generate();
            let mut tx = db::begin_write(&pool).await?;
            kiosks::upsert(&mut *tx, &id, &token::hash(&token), &db::now_text()).await?;
            audit::append(
                &mut *tx,
                &actor.name(),
                "kiosk.add",
                &format!("kiosk:{id}"),
                &serde_json::json!({}),
            )
            .await?;
            tx.commit().await?;
            eprintln!(
                "kiosk {id} may deliver with this token. It is shown only now: put it in the kiosk's token file ([central] token_file, mode 0600)."
            );
            println!("{token}");
        }
        KioskCommand::List => {
            for k in kiosks::list(&pool).await? {
                let (beats, last) = db::heartbeats::summary(&pool, &k.id).await?;
                let records = db::records::count(&pool, Some(&k.id)).await?;
                println!(
                    "{}\tadded {}\t{}\trecords {records}\theartbeats {beats}\tlast {}",
                    k.id,
                    k.added_at,
                    k.revoked_at
                        .map_or("active".to_string(), |r| format!("revoked {r}")),
                    last.unwrap_or_else(|| "never".into()),
                );
            }
        }
        KioskCommand::Revoke { id, actor } => {
            let mut tx = db::begin_write(&pool).await?;
            if !kiosks::revoke(&mut *tx, &id, &db::now_text()).await? {
                bail!("no active kiosk {id}; see `kiosk-central kiosk list`");
            }
            audit::append(
                &mut *tx,
                &actor.name(),
                "kiosk.revoke",
                &format!("kiosk:{id}"),
                &serde_json::json!({}),
            )
            .await?;
            tx.commit().await?;
            println!("kiosk {id} revoked: its token is refused from now on");
        }
    }
    pool.close().await;
    Ok(())
}

/// Kiosk ids as kiosk.toml allows them: short, no spaces or slashes (they
/// are part of a URL path).
fn check_kiosk_id(id: &str) -> anyhow::Result<()> {
    let ok = (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        bail!(
            "{id:?} is not a kiosk id: 1-64 of A-Z, a-z, 0-9, '-', '_', '.' (as [kiosk] id in its kiosk.toml)"
        );
    }
    Ok(())
}

async fn backup(config: &CentralConfig, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!("{} exists already; give a new file name", out.display());
    }
    match config.sqlite_file() {
        Some(_) => {
            let pool = open(config).await?;
            let out_abs = std::path::absolute(out)?;
            db::vacuum_into(&pool, &out_abs)
                .await
                .with_context(|| format!("cannot write the copy to {}", out.display()))?;
            pool.close().await;
            println!("a consistent copy of the database is in {}", out.display());
            Ok(())
        }
        None => {
            let url = config.database_url();
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--file")
                .arg(out)
                .arg(&url)
                .status()
                .await;
            match status {
                Ok(s) if s.success() => {
                    println!(
                        "a consistent copy (pg_dump, custom format) is in {}; restore it with pg_restore",
                        out.display()
                    );
                    Ok(())
                }
                Ok(s) => bail!(
                    "pg_dump failed ({s}); run it yourself: pg_dump --format=custom --file {} 'URL of [database] url'",
                    out.display()
                ),
                Err(e) => bail!(
                    "cannot run pg_dump ({e}): a PostgreSQL database is copied with pg_dump --format=custom --file {} 'URL of [database] url' (package postgresql-client), consistent while the server runs",
                    out.display()
                ),
            }
        }
    }
}

async fn complaint(config: &CentralConfig, command: ComplaintCommand) -> anyhow::Result<()> {
    let pool = open(config).await?;
    let today = actions::today();
    let (number, done) = match command {
        ComplaintCommand::Register {
            number,
            registry_number,
            on,
            actor,
        } => {
            let r = Registration {
                registry_number,
                registered_on: on.unwrap_or(today),
            };
            let done = actions::register(&pool, &number, &r, &actor, today).await;
            (
                number,
                done.map(|_| format!("registered under {}", r.registry_number.trim())),
            )
        }
        ComplaintCommand::Answer { number, on, actor } => {
            let on = on.unwrap_or(today);
            let done = actions::answer(&pool, &number, on, &actor, today).await;
            (number, done.map(|_| format!("answered on {on}")))
        }
        ComplaintCommand::Extend {
            number,
            new_due_date,
            reason,
            told_on,
            actor,
        } => {
            let x = Extension {
                new_due_date,
                reason,
                told_on: told_on.unwrap_or(today),
            };
            let done = actions::extend(&pool, &number, &x, &actor, today).await;
            (
                number,
                done.map(|_| format!("due date moved to {new_due_date}")),
            )
        }
        ComplaintCommand::NotExamined {
            number,
            reason,
            actor,
        } => {
            let why = NotExaminedReason::parse(&reason).unwrap_or(NotExaminedReason::Offensive);
            let done = actions::not_examined(&pool, &number, why, &actor).await;
            (
                number,
                done.map(|_| format!("closed as not examined ({reason})")),
            )
        }
    };
    pool.close().await;
    let what = done?;
    println!(
        "{}: {what}; the kiosk learns it with its next update",
        number.trim().to_ascii_uppercase()
    );
    Ok(())
}

async fn user(config: &CentralConfig, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add {
        user: name,
        role,
        actor,
    } = command;
    let role = crate::desk::auth::Role::parse(&role)
        .ok_or_else(|| anyhow::anyhow!("--role is clerk, viewer or admin"))?;
    let password = read_password()?;
    let pool = open(config).await?;
    let new = crate::desk::auth::set_user(&pool, &name, role, &password, &actor.name())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "{} {name} as {}",
        if new { "added" } else { "changed" },
        role.as_str()
    );
    pool.close().await;
    Ok(())
}

/// The new password: asked twice without echo on a terminal, else one line
/// of standard input (at most 1 KiB read).
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Read};
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 8 characters): ")?;
        let again = rpassword::prompt_password("Once more: ")?;
        if first != again {
            bail!("the two passwords differ; nothing was changed");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().take(1024).read_line(&mut line)?;
    let _ = std::io::stdin().lock().fill_buf();
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            shown_url("postgres://kiosk:secret@db/central"),
            "postgres://kiosk:***@db/central"
        );
        assert_eq!(shown_url("sqlite:///srv/c.db"), "sqlite:///srv/c.db");
    }

    #[test]
    fn the_command_line_parses() {
        Cli::try_parse_from([
            "kiosk-central",
            "complaint",
            "extend",
            "KV1-2026-000001",
            "--new-due-date",
            "2027-01-20",
            "--reason",
            "x",
            "--as",
            "Мария",
        ])
        .unwrap();
        Cli::try_parse_from(["kiosk-central", "serve", "--config", "c.toml"]).unwrap();
        assert!(
            Cli::try_parse_from([
                "kiosk-central",
                "complaint",
                "not-examined",
                "KV1-2026-000001",
                "--reason",
                "boring",
                "--as",
                "x"
            ])
            .is_err()
        );
    }
}
