//! Configuration errors that name the key, its line and what is allowed.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigIssue {
    /// Dotted path of the key, e.g. `services[3].express.fee_eur`.
    pub key: String,
    /// 1-based line in the file, when the key is in the file.
    pub line: Option<usize>,
    /// The environment variable the value came from, if it did.
    pub env_var: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl ConfigIssue {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            line: None,
            env_var: None,
            message: message.into(),
        }
    }
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}; give another file with --config PATH")]
    Read {
        path: PathBuf,
        #[source]
        source: super::file::FileError,
    },
    #[error("no configuration file: looked for {tried}; give one with --config PATH")]
    NotFound { tried: String },
    #[error("{}", Invalid { path, issues })]
    Invalid {
        path: PathBuf,
        issues: Vec<ConfigIssue>,
    },
}

struct Invalid<'a> {
    path: &'a PathBuf,
    issues: &'a [ConfigIssue],
}

impl fmt::Display for Invalid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        write!(
            f,
            "{} has {n} error{}:",
            self.path.display(),
            if n == 1 { "" } else { "s" }
        )?;
        for issue in self.issues {
            write!(f, "\n  {}", self.path.display())?;
            if let Some(line) = issue.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": {}: {}", issue.key, issue.message)?;
            if let Some(var) = &issue.env_var {
                write!(f, " (value from environment variable {var})")?;
            }
        }
        Ok(())
    }
}

impl ConfigError {
    /// The individual problems, empty for a file that could not be read.
    pub fn issues(&self) -> &[ConfigIssue] {
        match self {
            ConfigError::Invalid { issues, .. } => issues,
            _ => &[],
        }
    }
}
