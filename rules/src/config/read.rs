//! Reading kiosk.toml into typed sections, one section (and one list entry)
//! at a time.
//!
//! serde stops at the first bad value of whatever it reads. Reading each
//! section and each `[[services]]` entry on its own lets one run of
//! `kiosk check-config` report every misspelt key and bad value in the
//! file, each with its full key path, instead of one per run.

use serde::de::DeserializeOwned;
use toml::{Table, Value};

use super::error::ConfigIssue;
use super::sections::Config;

/// The sections the municipality may set through `updates` (contract
/// 1.2, `config`); local hardware and link settings never travel that way.
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

/// The top-level keys kiosk.toml may have.
const SECTIONS: [&str; 18] = [
    "kiosk",
    "contacts",
    "hours",
    "calendar",
    "desks",
    "service_groups",
    "services",
    "complaints",
    "rating",
    "printer",
    "board",
    "display",
    "accessibility",
    "central",
    "staff",
    "privacy",
    "storage",
    "speech",
];

/// Reads the whole configuration, or every problem found on the way.
pub fn read(text: &str) -> Result<Config, Vec<ConfigIssue>> {
    let table: Table = text.parse().map_err(|e: toml::de::Error| {
        vec![ConfigIssue::new("(syntax)", first_line(e.message()))]
    })?;
    let mut r = Reader {
        table,
        issues: Vec::new(),
    };
    r.unknown_sections();
    let kiosk = r.required("kiosk");
    let contacts = r.required("contacts");
    let hours = r.required("hours");
    let complaints = r.required("complaints");
    let rating = r.required("rating");
    let storage = r.required("storage");
    let calendar = r.optional("calendar");
    let desks = r.list("desks");
    let service_groups = r.list("service_groups");
    let services = r.list("services");
    let printer = r.optional("printer");
    let board = r.optional("board");
    let display = r.optional("display");
    let accessibility = r.optional("accessibility");
    let central = r.optional("central");
    let staff = r.optional("staff");
    let privacy = r.optional("privacy");
    let speech = r.optional("speech");
    match (kiosk, contacts, hours, complaints, rating, storage) {
        (
            Some(kiosk),
            Some(contacts),
            Some(hours),
            Some(complaints),
            Some(rating),
            Some(storage),
        ) if r.issues.is_empty() => Ok(Config {
            kiosk,
            contacts,
            hours,
            calendar,
            desks,
            service_groups,
            services,
            complaints,
            rating,
            printer,
            board,
            display,
            accessibility,
            central,
            staff,
            privacy,
            storage,
            speech,
        }),
        _ => Err(r.issues),
    }
}

struct Reader {
    table: Table,
    issues: Vec<ConfigIssue>,
}

impl Reader {
    fn unknown_sections(&mut self) {
        for key in self
            .table
            .keys()
            .filter(|k| !SECTIONS.contains(&k.as_str()))
        {
            self.issues.push(ConfigIssue::new(
                key.clone(),
                format!(
                    "unknown section or key `{key}`; check the spelling (allowed: {})",
                    SECTIONS.join(", ")
                ),
            ));
        }
    }

    /// A section that must be there.
    fn required<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        match self.table.get(name) {
            Some(value) => self.parse(name, value.clone()),
            None => {
                self.issues.push(ConfigIssue::new(
                    name,
                    format!("the [{name}] section is missing; it is required"),
                ));
                None
            }
        }
    }

    /// A section whose keys all have defaults.
    fn optional<T: DeserializeOwned + Default>(&mut self, name: &str) -> T {
        match self.table.get(name) {
            Some(value) => self.parse(name, value.clone()).unwrap_or_default(),
            None => T::default(),
        }
    }

    /// A `[[name]]` list, each entry read on its own.
    fn list<T: DeserializeOwned>(&mut self, name: &str) -> Vec<T> {
        match self.table.get(name).cloned() {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| self.parse(&format!("{name}[{i}]"), item))
                .collect(),
            Some(_) => {
                self.issues.push(ConfigIssue::new(
                    name,
                    format!("must be a list written as [[{name}]] entries"),
                ));
                Vec::new()
            }
        }
    }

    fn parse<T: DeserializeOwned>(&mut self, prefix: &str, value: Value) -> Option<T> {
        match serde_path_to_error::deserialize(value) {
            Ok(v) => Some(v),
            Err(err) => {
                let inner = err.path().to_string();
                let message = err.inner().to_string();
                let key = if inner == "." {
                    prefix.to_string()
                } else {
                    format!("{prefix}.{inner}")
                };
                self.issues.push(issue(key, &message));
                None
            }
        }
    }
}

/// Names the key itself for unknown and missing keys (serde names the
/// table holding them) and turns serde's wording into advice.
pub fn issue(mut key: String, message: &str) -> ConfigIssue {
    let message = first_line(message);
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p).and_then(|m| m.split('`').next()));
    if let Some(field) = named.filter(|f| !key.ends_with(&format!(".{f}"))) {
        key = format!("{key}.{field}");
    }
    let advice = if message.starts_with("unknown field") {
        format!("{message}; check the spelling (unknown keys are not allowed)")
    } else if message.starts_with("missing field") {
        format!("{message}; this key is required")
    } else {
        message
    };
    ConfigIssue::new(key, advice)
}

pub fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}
