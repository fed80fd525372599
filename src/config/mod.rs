//! kiosk.toml: reading, overriding from the environment, and checking.
//!
//! Layers, lowest first: the defaults of each section, the file, then
//! `KIOSK__SECTION__KEY` variables. The result is checked as a whole;
//! every problem found is reported at once, each naming its key and line
//! and saying what is allowed. A configuration with any problem is refused:
//! the kiosk never starts on a guessed value.

mod env;
mod error;
mod locate;
mod read;
mod sections;
mod validate;
mod values;

use std::path::{Path, PathBuf};

use toml_edit::{Document, DocumentMut};

pub use env::PREFIX as ENV_PREFIX;
pub use error::{ConfigError, ConfigIssue};
pub use sections::*;
pub use values::{ClockTime, ConfigDate, PrinterEncoding, PrinterTransport};

/// Where the kiosk looks for its configuration when no `--config` is given.
pub const SEARCH_PATH: [&str; 2] = ["kiosk.toml", "/etc/kiosk/kiosk.toml"];

/// The first configuration file that exists: `explicit` if given, else the
/// search path.
pub fn find(explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    SEARCH_PATH
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| ConfigError::NotFound {
            tried: SEARCH_PATH.join(", "),
        })
}

/// Reads and checks the file at `path` with the process environment.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_with_env(path, std::env::vars())
}

/// Reads and checks the file at `path`, taking overrides from `vars`.
pub fn load_with_env(
    path: &Path,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
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
        let line = e.span().map(|s| locate::line_of(text, s.start));
        vec![ConfigIssue {
            line,
            ..ConfigIssue::new("(syntax)", read::first_line(e.message()))
        }]
    })?;
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
