//! Configuration for the kiosks, pushed through `updates`: stored versions
//! per kiosk, each checked before it is stored.
//!
//! A fragment may hold only the sections contract 1.2 lets the
//! municipality set; local hardware and link settings never travel this
//! way. The check is the kiosk's own (`kiosk_rules::config::check_fragment`,
//! what `kiosk check-config --fragment` runs): the fragment's sections
//! replace those of the shipped kiosk.toml and the whole must pass. A kiosk checks it again
//! against its own file before applying it.

use std::path::Path;

use kiosk_rules::config::ConfigIssue;
use sqlx::AnyPool;

use crate::db::{self, audit, config_versions, kiosks};

/// The kiosk.toml the project ships, as the base a fragment is checked on.
const SHIPPED_KIOSK_TOML: &str = include_str!("../../kiosk.toml");

/// Checks a fragment with the kiosk's own fragment check
/// (`kiosk_rules::config::check_fragment`, what `kiosk check-config
/// --fragment` runs), on the shipped kiosk.toml: the configuration a kiosk
/// with the shipped kiosk.toml has once it applies the fragment. Lines are
/// given only for keys in the fragment: the base is not the admin's text.
pub fn check_fragment(fragment: &str) -> Result<kiosk_rules::config::Config, Vec<ConfigIssue>> {
    kiosk_rules::config::check_fragment(
        SHIPPED_KIOSK_TOML,
        Path::new("/"),
        fragment,
        std::iter::empty::<(String, String)>(),
    )
    .map_err(|issues| {
        issues
            .into_iter()
            .map(|found| {
                let mut issue = found.issue;
                if !found.in_fragment {
                    issue.line = None;
                }
                issue
            })
            .collect()
    })
}

/// The shipped kiosk.toml, checked: the names of services, desks and
/// reasons the pages show, and the office hours the fleet's banners use.
/// Parsed once: pages ask for it on every request.
pub fn shipped_config() -> Option<kiosk_rules::config::Config> {
    static SHIPPED: std::sync::OnceLock<Option<kiosk_rules::config::Config>> =
        std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| {
            kiosk_rules::config::parse(
                SHIPPED_KIOSK_TOML,
                std::iter::empty::<(String, String)>(),
                Path::new("/"),
            )
            .ok()
        })
        .clone()
}

/// Why a version was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ConfigVersionError {
    #[error("no kiosk {0} is known; add it with `kiosk-central kiosk add`")]
    UnknownKiosk(String),
    #[error("the version name must be 1 to 64 characters")]
    BadVersion,
    #[error("the version {0} exists already for this kiosk; give the new one another name")]
    VersionExists(String),
    #[error("the fragment does not pass the kiosk's checks:{}", list(.0))]
    Invalid(Vec<ConfigIssue>),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

fn list(issues: &[ConfigIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("\n  {}: {}", i.key, i.message))
        .collect()
}

/// Checks `toml` and stores it as `version` for `kiosk_id`; the kiosk gets
/// it with its next `updates`.
pub async fn save_version(
    pool: &AnyPool,
    kiosk_id: &str,
    version: &str,
    toml: &str,
    actor: &str,
) -> Result<(), ConfigVersionError> {
    let version = version.trim();
    if version.is_empty() || version.chars().count() > 64 {
        return Err(ConfigVersionError::BadVersion);
    }
    check_fragment(toml).map_err(ConfigVersionError::Invalid)?;
    let mut tx = db::begin_write(pool).await?;
    if !kiosks::exists(&mut *tx, kiosk_id).await? {
        return Err(ConfigVersionError::UnknownKiosk(kiosk_id.into()));
    }
    if config_versions::version_exists(&mut *tx, kiosk_id, version).await? {
        return Err(ConfigVersionError::VersionExists(version.into()));
    }
    config_versions::insert(&mut *tx, kiosk_id, version, toml, actor).await?;
    audit::append(
        &mut *tx,
        actor,
        "config.save",
        &format!("kiosk:{kiosk_id}"),
        &serde_json::json!({ "version": version, "bytes": toml.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_with_hours_passes() {
        let hours = SHIPPED_KIOSK_TOML
            .split("\n[calendar]")
            .next()
            .and_then(|s| s.split("\n[hours]").nth(1))
            .unwrap();
        check_fragment(&format!("[hours]{hours}")).unwrap();
    }

    #[test]
    fn an_hour_that_does_not_exist_is_refused_naming_its_key_and_line() {
        let fragment = "[hours]\n# the new hours\nopens = \"25:00\"\ncloses = \"17:00\"\n";
        let err = check_fragment(fragment).unwrap_err();
        let opens = err.iter().find(|i| i.key == "hours.opens").unwrap();
        assert_eq!(opens.line, Some(3), "{err:?}");
        let syntax = check_fragment("[hours]\nopens = \n").unwrap_err();
        assert_eq!(
            (syntax[0].key.as_str(), syntax[0].line),
            ("(syntax)", Some(2))
        );
    }

    #[test]
    fn local_sections_and_bad_values_are_refused() {
        let err = check_fragment("[printer]\ncolumns = 48\n").unwrap_err();
        assert_eq!(err[0].key, "printer");
        assert!(check_fragment("[hours]\nnonsense = 1\n").is_err());
        assert!(check_fragment("not toml at all [").is_err());
    }
}
