//! A configuration fragment from the municipality (contract 1.2 `updates`,
//! `config.toml`): checked against the kiosk's own kiosk.toml with the same
//! rules as `kiosk check-config`.
//!
//! Only [`FRAGMENT_SECTIONS`] may come from the municipality; any other key
//! (the printer, the board, the link to the central system, storage, ...)
//! is refused, naming the key and its line in the fragment, because those
//! are this machine's own. Each section the fragment holds replaces the
//! kiosk's section as a whole; the others stay as the kiosk has them. The
//! merged text is then read and checked exactly as a kiosk.toml is, and an
//! error in a section the fragment brought names its line in the fragment.
//!
//! The kiosk and the municipality's server both call [`check_fragment`]: the
//! server before it stores a fragment, the kiosk before it applies one.

use std::path::Path;

use toml_edit::{Document, DocumentMut};

use super::error::ConfigIssue;
use super::sections::Config;
use super::{MAX_DEPTH, locate, parse, read};

/// The sections a fragment may hold (contract 1.2).
pub const FRAGMENT_SECTIONS: [&str; 8] = [
    "contacts",
    "hours",
    "calendar",
    "desks",
    "service_groups",
    "services",
    "complaints",
    "rating",
];

/// The largest fragment read, as the largest kiosk.toml.
pub const MAX_FRAGMENT_BYTES: usize = super::MAX_CONFIG_BYTES as usize;

/// What is wrong with a fragment: each issue names its key and, when it is
/// in the fragment, its line there (`in_fragment`); an issue about the
/// kiosk's own file (which the fragment made invalid) has its line there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentIssue {
    pub issue: ConfigIssue,
    /// The line is the fragment's (else the kiosk.toml's, or none).
    pub in_fragment: bool,
}

impl std::fmt::Display for FragmentIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = &self.issue;
        match (i.line, self.in_fragment) {
            (Some(line), true) => write!(f, "{} (fragment line {line}): {}", i.key, i.message),
            (Some(line), false) => {
                write!(f, "{} (kiosk.toml line {line}): {}", i.key, i.message)
            }
            (None, _) => write!(f, "{}: {}", i.key, i.message),
        }
    }
}

/// Checks `fragment` against the kiosk's own configuration text `base`
/// (relative paths in it are taken from `base_dir`, as [`parse`] does,
/// with the environment overrides `vars` on top) and returns the
/// configuration the kiosk would run with, or every problem found.
pub fn check_fragment(
    base: &str,
    base_dir: &Path,
    fragment: &str,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, Vec<FragmentIssue>> {
    let in_fragment = |issue: ConfigIssue| FragmentIssue {
        issue,
        in_fragment: true,
    };
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(vec![in_fragment(ConfigIssue::new(
            "(size)",
            format!(
                "the fragment has {} bytes; at most {MAX_FRAGMENT_BYTES} are read",
                fragment.len()
            ),
        ))]);
    }
    let frag: Document<String> = Document::parse(fragment.to_string()).map_err(|e| {
        vec![in_fragment(ConfigIssue {
            line: e.span().map(|s| locate::line_of(fragment, s.start)),
            ..ConfigIssue::new("(syntax)", read::first_line(e.message()))
        })]
    })?;
    if let Some(issue) = locate::too_deep(fragment, &frag, MAX_DEPTH) {
        return Err(vec![in_fragment(issue)]);
    }
    let foreign: Vec<FragmentIssue> = frag
        .as_table()
        .iter()
        .filter(|(key, _)| !FRAGMENT_SECTIONS.contains(key))
        .map(|(key, _)| {
            in_fragment(ConfigIssue {
                line: locate::line_in(fragment, &frag, key),
                ..ConfigIssue::new(
                    key,
                    format!(
                        "`{key}` cannot come from the municipality: it is this kiosk's own setting, made in its kiosk.toml (a fragment may hold only {})",
                        FRAGMENT_SECTIONS.join(", ")
                    ),
                )
            })
        })
        .collect();
    if !foreign.is_empty() {
        return Err(foreign);
    }
    let mut merged: DocumentMut = Document::parse(base.to_string())
        .map_err(|e| {
            vec![FragmentIssue {
                issue: ConfigIssue::new("(syntax)", read::first_line(e.message())),
                in_fragment: false,
            }]
        })?
        .into_mut();
    for (key, item) in frag.as_table().iter() {
        merged.insert(key, item.clone());
    }
    parse(&merged.to_string(), vars, base_dir).map_err(|issues| {
        issues
            .into_iter()
            .map(|mut issue| {
                let section = issue
                    .key
                    .split(['.', '['])
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let from_fragment = frag.as_table().contains_key(&section);
                issue.line = if from_fragment {
                    locate::line_in(fragment, &frag, &issue.key)
                        .or_else(|| locate::line_in(fragment, &frag, &section))
                } else {
                    Document::parse(base.to_string())
                        .ok()
                        .and_then(|doc| locate::line_in(base, &doc, &issue.key))
                };
                FragmentIssue {
                    issue,
                    in_fragment: from_fragment,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../kiosk.toml");

    fn check(fragment: &str) -> Result<Config, Vec<FragmentIssue>> {
        check_fragment(SHIPPED, Path::new("/etc/kiosk"), fragment, Vec::new())
    }

    const NINE: &str = "[hours]\nopens = \"9:00\"\ncloses = \"17:00\"\nlunch_start = \"12:00\"\nlunch_end = \"12:30\"\n";

    #[test]
    fn a_fragment_replaces_its_sections_and_keeps_the_rest() {
        let c = check(&format!(
            "{NINE}\n[calendar]\nextra_days_off = [{{ date = \"2026-12-31\", note = \"РМС\" }}]\n"
        ))
        .unwrap();
        assert_eq!(c.hours.opens.0.to_string(), "09:00:00");
        assert_eq!(c.calendar.extra_days_off.len(), 1);
        assert_eq!(c.kiosk.receipt_prefix, "KV1", "the kiosk's own stays");
        assert!(!c.services.is_empty());
        assert!(
            c.storage.database.starts_with("/etc/kiosk"),
            "paths from the kiosk's own file stay relative to it"
        );
    }

    #[test]
    fn a_bad_value_is_named_with_its_line_in_the_fragment() {
        let issues = check(&NINE.replace("9:00", "25:00")).unwrap_err();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].issue.key, "hours.opens");
        assert_eq!(issues[0].issue.line, Some(2));
        assert!(issues[0].in_fragment);
        assert!(
            issues[0].to_string().contains("fragment line 2"),
            "{}",
            issues[0]
        );
    }

    #[test]
    fn the_kiosks_own_settings_cannot_come_from_the_municipality() {
        let issues = check(&format!(
            "{NINE}\n[printer]\ncolumns = 32\n\n[central]\nurl = \"\"\n"
        ))
        .unwrap_err();
        let keys: Vec<(&str, Option<usize>)> = issues
            .iter()
            .map(|i| (i.issue.key.as_str(), i.issue.line))
            .collect();
        assert_eq!(
            keys,
            [("printer", Some(7)), ("central", Some(10))],
            "{issues:?}"
        );
        assert!(issues[0].issue.message.contains("this kiosk's own"));
    }

    #[test]
    fn syntax_errors_and_garbage_are_refused_with_a_place() {
        let issues = check("[hours\nopens = 1").unwrap_err();
        assert_eq!(issues[0].issue.key, "(syntax)");
        assert_eq!(issues[0].issue.line, Some(1));
        assert!(check("").is_ok(), "an empty fragment changes nothing");
        let huge = "#".repeat(MAX_FRAGMENT_BYTES + 1);
        assert_eq!(check(&huge).unwrap_err()[0].issue.key, "(size)");
    }
}
