//! central.toml: reading and checking the server's configuration.
//!
//! Checked like kiosk.toml, with the same wording (from `kiosk_rules::config`):
//! unknown sections and keys are errors, every problem is reported at once,
//! each naming its key, its line and what is allowed. A bad value is never
//! replaced by a default. Relative paths (the SQLite file) are relative to
//! the directory of the file in use.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kiosk_rules::config::{ConfigIssue, first_line, issue_from_serde, line_in, read_bounded};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::{Table, Value};
use toml_edit::Document;

/// Where the server looks for its configuration when no `--config` is given.
pub const SEARCH_PATH: [&str; 2] = ["central.toml", "/etc/kiosk-central/central.toml"];

/// The largest central.toml read.
const MAX_CONFIG_BYTES: u64 = 256 * 1024;

/// The checked configuration.
#[derive(Debug, Clone)]
pub struct CentralConfig {
    /// The file it was read from.
    pub path: PathBuf,
    pub server: Server,
    pub database: Database,
    pub public: Public,
    pub desk: Desk,
}

/// `[server]`: where to listen and how much any one client may cost.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Server {
    pub listen: String,
    /// The largest request body read; a larger one gets 413 unread.
    pub body_limit_bytes: u64,
    /// A client must finish sending its request headers within this.
    pub header_timeout_secs: u64,
    /// A client must finish sending its body within this.
    pub body_timeout_secs: u64,
    /// Connections beyond this wait in the kernel's queue.
    pub max_connections: u64,
    /// Record requests read and judged at once; the rest wait their turn.
    pub intake_concurrency: u64,
    /// Heartbeats kept per kiosk; older ones are deleted.
    pub heartbeat_history: u64,
}

impl Default for Server {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8470".into(),
            body_limit_bytes: 1024 * 1024,
            header_timeout_secs: 10,
            body_timeout_secs: 30,
            max_connections: 512,
            intake_concurrency: 4,
            heartbeat_history: 2000,
        }
    }
}

impl Server {
    pub fn listen_addr(&self) -> Result<SocketAddr, String> {
        self.listen.parse::<SocketAddr>().map_err(|e| e.to_string())
    }

    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs)
    }

    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.body_timeout_secs)
    }
}

/// `[database]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Database {
    /// `sqlite:PATH` (relative to the file's directory) or `postgres://...`.
    pub url: String,
    /// Connections the server keeps to the database.
    pub max_connections: u64,
}

impl Default for Database {
    fn default() -> Self {
        Self {
            url: "sqlite:data/central.db".into(),
            max_connections: 8,
        }
    }
}

/// `[public]`: what the public may see.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Public {
    /// The public status page's address, as the kiosks' `[receipt]
    /// status_url` names it; empty when there is none.
    pub status_url_base: String,
}

/// `[desk]`: the registry desk's pages and who may open them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Desk {
    /// The municipality's name at the top of every page and registry copy.
    pub municipality: String,
    /// The same in English, for staff who read the pages in English.
    pub municipality_en: String,
    /// Send the session cookie only over HTTPS: true when the server is
    /// reached through a reverse proxy with a certificate.
    pub secure_cookies: bool,
    /// A session ends after this many minutes without a request.
    pub idle_minutes: u64,
    /// A session ends this many hours after the login, however busy.
    pub session_hours: u64,
    /// Wrong passwords in a row that lock an account.
    pub lockout_failures: u64,
    /// How long a locked account stays locked.
    pub lockout_minutes: u64,
}

impl Default for Desk {
    fn default() -> Self {
        Self {
            municipality: "Община Ковачевци".into(),
            municipality_en: "Municipality of Kovachevtsi".into(),
            secure_cookies: false,
            idle_minutes: 30,
            session_hours: 12,
            lockout_failures: 5,
            lockout_minutes: 15,
        }
    }
}

/// The sections central.toml may have.
const SECTIONS: [&str; 4] = ["server", "database", "public", "desk"];

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CentralConfigError {
    #[error(
        "no configuration file: looked for {}; give one with --config PATH",
        SEARCH_PATH.join(", ")
    )]
    NotFound,
    #[error("cannot read {path}: {source}; give another file with --config PATH")]
    Read {
        path: PathBuf,
        source: kiosk_rules::config::FileError,
    },
    #[error("{}", describe(path, issues))]
    Invalid {
        path: PathBuf,
        issues: Vec<ConfigIssue>,
    },
}

fn describe(path: &Path, issues: &[ConfigIssue]) -> String {
    let n = issues.len();
    let mut out = format!(
        "{} has {n} error{}:",
        path.display(),
        if n == 1 { "" } else { "s" }
    );
    for issue in issues {
        out.push_str("\n  ");
        if let Some(line) = issue.line {
            out.push_str(&format!("line {line}: "));
        }
        out.push_str(&format!("{}: {}", issue.key, issue.message));
    }
    out
}

/// The first configuration file that exists: `explicit` if given, else the
/// search path.
pub fn find(explicit: Option<&Path>) -> Result<PathBuf, CentralConfigError> {
    kiosk_rules::config::find_in(explicit, &SEARCH_PATH).ok_or(CentralConfigError::NotFound)
}

/// Reads and checks the file at `path`.
pub fn load(path: &Path) -> Result<CentralConfig, CentralConfigError> {
    let bytes =
        read_bounded(path, MAX_CONFIG_BYTES).map_err(|source| CentralConfigError::Read {
            path: path.into(),
            source,
        })?;
    let invalid = |issues| CentralConfigError::Invalid {
        path: path.into(),
        issues,
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| invalid(vec![ConfigIssue::new("(file)", "the file is not UTF-8")]))?;
    parse(&text, path).map_err(invalid)
}

/// Reads and checks configuration text that came from `path`.
pub fn parse(text: &str, path: &Path) -> Result<CentralConfig, Vec<ConfigIssue>> {
    let doc: Document<String> = Document::parse(text.to_string()).map_err(|e| {
        vec![ConfigIssue {
            line: e
                .span()
                .map(|s| kiosk_rules::config::line_of(text, s.start)),
            ..ConfigIssue::new("(syntax)", first_line(e.message()))
        }]
    })?;
    let table: Table = text.parse().map_err(|e: toml::de::Error| {
        vec![ConfigIssue::new("(syntax)", first_line(e.message()))]
    })?;
    let mut issues = Vec::new();
    for key in table.keys().filter(|k| !SECTIONS.contains(&k.as_str())) {
        issues.push(ConfigIssue::new(
            key.clone(),
            format!(
                "unknown section or key `{key}`; check the spelling (allowed: {})",
                SECTIONS.join(", ")
            ),
        ));
    }
    let server: Server = section(&table, "server", &mut issues);
    let database: Database = section(&table, "database", &mut issues);
    let public: Public = section(&table, "public", &mut issues);
    let desk: Desk = section(&table, "desk", &mut issues);
    check(&server, &database, &public, &mut issues);
    check_desk(&desk, &mut issues);
    for issue in &mut issues {
        if issue.line.is_none() {
            issue.line = line_in(text, &doc, &issue.key);
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(CentralConfig {
        path: path.to_path_buf(),
        server,
        database,
        public,
        desk,
    })
}

fn check_desk(desk: &Desk, issues: &mut Vec<ConfigIssue>) {
    for (key, value) in [
        ("desk.municipality", &desk.municipality),
        ("desk.municipality_en", &desk.municipality_en),
    ] {
        if value.trim().is_empty() || value.chars().count() > 120 {
            issues.push(ConfigIssue::new(
                key,
                "must be the municipality's name, 1 to 120 characters",
            ));
        }
    }
    bounded(
        issues,
        "desk.idle_minutes",
        desk.idle_minutes,
        1,
        24 * 60,
        "minutes",
    );
    bounded(
        issues,
        "desk.session_hours",
        desk.session_hours,
        1,
        24 * 7,
        "hours",
    );
    bounded(
        issues,
        "desk.lockout_failures",
        desk.lockout_failures,
        1,
        100,
        "wrong passwords",
    );
    bounded(
        issues,
        "desk.lockout_minutes",
        desk.lockout_minutes,
        1,
        24 * 60,
        "minutes",
    );
}

fn section<T: DeserializeOwned + Default>(
    table: &Table,
    name: &str,
    issues: &mut Vec<ConfigIssue>,
) -> T {
    let Some(value) = table.get(name) else {
        return T::default();
    };
    match serde_path_to_error::deserialize::<Value, T>(value.clone()) {
        Ok(v) => v,
        Err(err) => {
            let inner = err.path().to_string();
            let key = if inner == "." {
                name.to_string()
            } else {
                format!("{name}.{inner}")
            };
            issues.push(issue_from_serde(key, &err.inner().to_string()));
            T::default()
        }
    }
}

/// Bounds a number key: `lo..=hi`, with the unit in the message.
fn bounded(issues: &mut Vec<ConfigIssue>, key: &str, value: u64, lo: u64, hi: u64, unit: &str) {
    if !(lo..=hi).contains(&value) {
        issues.push(ConfigIssue::new(
            key,
            format!("{value} is out of range: allowed {lo} to {hi} {unit}"),
        ));
    }
}

fn check(server: &Server, database: &Database, public: &Public, issues: &mut Vec<ConfigIssue>) {
    if let Err(why) = server.listen_addr() {
        issues.push(ConfigIssue::new(
            "server.listen",
            format!(
                "{:?} is not an address and port ({why}); write for example \"127.0.0.1:8470\" or \"0.0.0.0:8470\"",
                server.listen
            ),
        ));
    }
    bounded(
        issues,
        "server.body_limit_bytes",
        server.body_limit_bytes,
        64 * 1024,
        16 * 1024 * 1024,
        "bytes (the contract's bound is 1048576)",
    );
    bounded(
        issues,
        "server.header_timeout_secs",
        server.header_timeout_secs,
        1,
        300,
        "seconds",
    );
    bounded(
        issues,
        "server.body_timeout_secs",
        server.body_timeout_secs,
        1,
        600,
        "seconds",
    );
    bounded(
        issues,
        "server.max_connections",
        server.max_connections,
        8,
        65_536,
        "connections",
    );
    bounded(
        issues,
        "server.intake_concurrency",
        server.intake_concurrency,
        1,
        64,
        "requests",
    );
    bounded(
        issues,
        "server.heartbeat_history",
        server.heartbeat_history,
        10,
        1_000_000,
        "heartbeats",
    );
    bounded(
        issues,
        "database.max_connections",
        database.max_connections,
        1,
        200,
        "connections",
    );
    match crate::db::Backend::of_url(&database.url) {
        Some(crate::db::Backend::Sqlite) => {
            let file = database
                .url
                .trim_start_matches("sqlite:")
                .trim_start_matches("//");
            if file.is_empty() || file.contains(['?', '#', '%']) {
                issues.push(ConfigIssue::new(
                    "database.url",
                    "the SQLite file name must be a plain path, without ?, # or %: for example \"sqlite:data/central.db\"",
                ));
            }
        }
        Some(crate::db::Backend::Postgres) => {}
        None => issues.push(ConfigIssue::new(
            "database.url",
            format!(
                "{:?} is neither \"sqlite:PATH\" nor \"postgres://USER@HOST/DATABASE\"",
                database.url
            ),
        )),
    }
    let base = &public.status_url_base;
    if !(base.is_empty() || base.starts_with("https://") || base.starts_with("http://")) {
        issues.push(ConfigIssue::new(
            "public.status_url_base",
            format!("{base:?} must be empty or a web address starting with https://"),
        ));
    }
}

impl CentralConfig {
    /// The database URL, a relative SQLite path made absolute against the
    /// directory of the configuration file.
    pub fn database_url(&self) -> String {
        let url = &self.database.url;
        match url.strip_prefix("sqlite:") {
            Some(rest) => {
                let file = rest.strip_prefix("//").unwrap_or(rest);
                let file = Path::new(file);
                let path = if file.is_absolute() {
                    file.to_path_buf()
                } else {
                    self.dir().join(file)
                };
                format!("sqlite://{}", path.display())
            }
            None => url.clone(),
        }
    }

    /// The SQLite file, when the database is one.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        self.database_url()
            .strip_prefix("sqlite://")
            .map(PathBuf::from)
    }

    fn dir(&self) -> PathBuf {
        let dir = match self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => dir.to_path_buf(),
            None => PathBuf::from("."),
        };
        std::path::absolute(&dir).unwrap_or(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(text: &str) -> Vec<ConfigIssue> {
        parse(text, Path::new("/etc/x/central.toml")).unwrap_err()
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let c = parse("", Path::new("/srv/c/central.toml")).unwrap();
        assert_eq!(c.server.body_limit_bytes, 1024 * 1024);
        assert_eq!(c.database_url(), "sqlite:///srv/c/data/central.db");
    }

    #[test]
    fn unknown_keys_are_errors_with_key_and_line() {
        let found = issues("[server]\nlisten = \"127.0.0.1:1\"\nlisen = \"x\"\n[extra]\n");
        let keys: Vec<_> = found.iter().map(|i| (i.key.as_str(), i.line)).collect();
        assert!(keys.contains(&("server.lisen", Some(3))), "{found:?}");
        assert!(keys.contains(&("extra", Some(4))), "{found:?}");
    }

    #[test]
    fn bad_values_name_the_key_the_line_and_what_is_allowed() {
        let found = issues(
            "[server]\nlisten = \"nowhere\"\nbody_limit_bytes = 10\n[database]\nurl = \"mysql://x\"\n",
        );
        let listen = found.iter().find(|i| i.key == "server.listen").unwrap();
        assert_eq!(listen.line, Some(2));
        assert!(listen.message.contains("127.0.0.1:8470"));
        let limit = found
            .iter()
            .find(|i| i.key == "server.body_limit_bytes")
            .unwrap();
        assert!(limit.message.contains("allowed"), "{limit:?}");
        let url = found.iter().find(|i| i.key == "database.url").unwrap();
        assert_eq!(url.line, Some(5));
    }

    #[test]
    fn a_wrong_type_is_named() {
        let found = issues("[server]\nmax_connections = \"many\"\n");
        assert_eq!(found[0].key, "server.max_connections");
        assert_eq!(found[0].line, Some(2));
    }

    #[test]
    fn postgres_urls_pass_unchanged() {
        let c = parse(
            "[database]\nurl = \"postgres://kiosk@localhost/central\"\n",
            Path::new("central.toml"),
        )
        .unwrap();
        assert_eq!(c.database_url(), "postgres://kiosk@localhost/central");
        assert_eq!(c.sqlite_file(), None);
    }
}
