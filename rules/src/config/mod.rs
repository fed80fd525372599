//! kiosk.toml: reading, overriding from the environment, and checking.
//!
//! Layers, lowest first: the defaults of each section, the file, then
//! `KIOSK__SECTION__KEY` variables. The result is checked as a whole;
//! every problem found is reported at once, each naming its key and line
//! and saying what is allowed. A configuration with any problem is refused:
//! the kiosk never starts on a guessed value.

mod env;
mod environment;
mod error;
mod file;
mod fragment;
mod locate;
mod names;
mod read;
mod sections;
mod validate;
mod values;

use std::path::{Path, PathBuf};

use toml_edit::{Document, DocumentMut};

pub use env::PREFIX as ENV_PREFIX;
pub use environment::{Finding, Severity, check_environment};
pub use error::{ConfigError, ConfigIssue};
pub use file::{FileError, kind_of, read_bounded};
// The municipality's server checks central.toml with the same wording and
// the same way of finding a key's line.
pub use fragment::{FRAGMENT_SECTIONS, FragmentIssue, MAX_FRAGMENT_BYTES, check_fragment};
pub use locate::{line_in, line_of};
pub use read::{first_line, issue as issue_from_serde};
pub use sections::*;
pub use values::{ClockTime, ConfigDate, PrinterEncoding, PrinterTransport};

/// Where the kiosk looks for its configuration when no `--config` is given.
pub const SEARCH_PATH: [&str; 2] = ["kiosk.toml", "/etc/kiosk/kiosk.toml"];

/// The first configuration file that exists: `explicit` if given, else the
/// search path.
pub fn find(explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
    find_in(explicit, &SEARCH_PATH).ok_or_else(|| ConfigError::NotFound {
        tried: SEARCH_PATH.join(", "),
    })
}

/// `explicit` if given, else the first file of `search` that exists (the
/// municipality's server looks for central.toml the same way).
pub fn find_in(explicit: Option<&Path>, search: &[&str]) -> Option<PathBuf> {
    match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => search.iter().map(PathBuf::from).find(|p| p.is_file()),
    }
}

/// Reads and checks the file at `path` with the process environment.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_with_env(path, std::env::vars())
}

/// The largest kiosk.toml read: the shipped one, with 22 services, is
/// about 50 KiB.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Tables and lists nest at most this deep in kiosk.toml
/// (`services[3].documents.bg[1]` is 5); deeper is refused with its line
/// before anything else reads it.
pub const MAX_DEPTH: usize = 6;

/// Reads and checks the file at `path`, taking overrides from `vars`. Only
/// a regular file of at most [`MAX_CONFIG_BYTES`] is read (a FIFO, a device
/// or `/dev/zero` is refused with the reason, never opened for a blocking
/// read), and it must be UTF-8.
pub fn load_with_env(
    path: &Path,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigError> {
    let bytes = read_bounded(path, MAX_CONFIG_BYTES).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ConfigError::Invalid {
        path: path.into(),
        issues: vec![locate::not_utf8(e.as_bytes(), e.utf8_error().valid_up_to())],
    })?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parse(&text, vars, base).map_err(|issues| ConfigError::Invalid {
        path: path.into(),
        issues,
    })
}

/// Reads and checks configuration text. Relative paths in it are taken
/// relative to `base`, the directory of the file.
pub fn parse(
    text: &str,
    vars: impl IntoIterator<Item = (String, String)>,
    base: &Path,
) -> Result<Config, Vec<ConfigIssue>> {
    let original: Document<String> = Document::parse(text.to_string()).map_err(|e| {
        // The parser's own depth limit on dotted keys comes without a place.
        let line = e
            .span()
            .map(|s| locate::line_of(text, s.start))
            .or_else(|| locate::line_of_deep_key(text, MAX_DEPTH));
        vec![ConfigIssue {
            line,
            ..ConfigIssue::new("(syntax)", read::first_line(e.message()))
        }]
    })?;
    if let Some(issue) = locate::too_deep(text, &original, MAX_DEPTH) {
        return Err(vec![issue]);
    }
    let mut doc: DocumentMut = original.clone().into_mut();
    let (from_env, env_failures) = env::apply(&mut doc, vars);
    let mut issues: Vec<ConfigIssue> = env_failures
        .into_iter()
        .map(|(var, why)| ConfigIssue {
            env_var: Some(var.clone()),
            ..ConfigIssue::new(var, why)
        })
        .collect();

    let merged = doc.to_string();
    let config = match read::read(&merged) {
        Ok(config) => Some(config),
        Err(found) => {
            issues.extend(found);
            None
        }
    };
    if let Some(config) = &config {
        issues.extend(validate::check(config));
    }
    if let (true, Some(mut config)) = (issues.is_empty(), config) {
        resolve_paths(&mut config, base);
        return Ok(config);
    }
    for issue in &mut issues {
        if issue.env_var.is_none() {
            issue.env_var = from_env.get(&issue.key).cloned();
        }
        if issue.line.is_none() && issue.env_var.is_none() {
            issue.line = locate::line_in(text, &original, &issue.key);
        }
    }
    Err(issues)
}

/// Makes relative paths relative to the configuration file's directory.
fn resolve_paths(config: &mut Config, base: &Path) {
    let fix = |p: &mut PathBuf| {
        if !p.as_os_str().is_empty() && p.is_relative() {
            *p = base.join(&*p);
        }
    };
    fix(&mut config.storage.database);
    fix(&mut config.central.token_file);
    fix(&mut config.central.ca_file);
    fix(&mut config.staff.export_dir);
    if let PrinterTransport::File(p) = &mut config.printer.transport {
        fix(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SHIPPED: &str = include_str!("../../../kiosk.toml");

    fn no_env() -> Vec<(String, String)> {
        Vec::new()
    }

    #[test]
    fn the_shipped_file_reads_with_paths_relative_to_its_directory() {
        let config = parse(SHIPPED, no_env(), Path::new("/etc/kiosk")).unwrap();
        assert_eq!(
            config.storage.database,
            Path::new("/etc/kiosk/data/kiosk.db")
        );
        assert_eq!(
            config.printer.transport,
            PrinterTransport::File("/etc/kiosk/data/receipts.bin".into())
        );
        // Absolute paths stay as they are; empty ones stay empty.
        assert_eq!(
            config.central.token_file,
            Path::new("/etc/kiosk/central.token")
        );
        assert!(config.central.ca_file.as_os_str().is_empty());
        assert!(config.services.len() >= 15);
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let broken = SHIPPED.replacen("[printer]", "[printer", 1);
        let issues = parse(&broken, no_env(), Path::new(".")).unwrap_err();
        let expected = SHIPPED
            .lines()
            .position(|l| l == "[printer]")
            .map(|i| i + 1);
        assert_eq!(issues[0].key, "(syntax)");
        assert_eq!(issues[0].line, expected);
    }

    #[test]
    fn the_status_page_must_be_https_or_loopback_and_bare() {
        let with = |url: &str| {
            SHIPPED.replacen("status_url = \"\"", &format!("status_url = \"{url}\""), 1)
        };
        let ok = parse(&with("https://desk.example.bg/r"), no_env(), Path::new(".")).unwrap();
        assert_eq!(ok.receipt.status_url, "https://desk.example.bg/r");
        assert!(parse(&with("http://127.0.0.1:8080/r"), no_env(), Path::new(".")).is_ok());
        for bad in ["http://desk.example.bg/r", "https://desk.example.bg/r?x=1"] {
            let issues = parse(&with(bad), no_env(), Path::new(".")).unwrap_err();
            assert!(
                issues
                    .iter()
                    .any(|i| i.key == "receipt.status_url" && i.line.is_some()),
                "{bad}: {issues:?}"
            );
        }
        let none = parse(SHIPPED, no_env(), Path::new(".")).unwrap();
        assert_eq!(none.receipt.status_url, "", "optional; empty means no QR");
    }

    #[test]
    fn a_key_missing_from_a_list_entry_points_at_the_entry() {
        let broken = SHIPPED.replacen("group = \"civil-status\"\n", "", 1);
        let issues = parse(&broken, no_env(), Path::new(".")).unwrap_err();
        assert_eq!(issues[0].key, "services[0].group");
        assert!(issues[0].message.contains("required"), "{:?}", issues[0]);
        assert!(issues[0].line.is_some());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_override_value_is_accepted_or_named(value in "\\PC{0,12}") {
            for key in ["HOURS__OPENS", "PRINTER__COLUMNS", "CENTRAL__URL", "BOARD__KIND", "KIOSK__RECEIPT_PREFIX"] {
                let var = format!("KIOSK__{key}");
                let dotted = key.to_lowercase().replace("__", ".");
                if let Err(issues) = parse(SHIPPED, vec![(var.clone(), value.clone())], Path::new(".")) {
                    prop_assert!(
                        issues.iter().all(|i| i.key == dotted && i.env_var.as_deref() == Some(var.as_str())),
                        "{var}={value:?}: {issues:?}"
                    );
                }
            }
        }

        #[test]
        fn garbage_never_panics(text in "\\PC{0,200}") {
            let _ = parse(&text, no_env(), Path::new("."));
        }
    }
}
