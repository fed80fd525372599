//! `KIOSK__SECTION__KEY` environment overrides.
//!
//! An override is applied to the document before it is read, so it goes
//! through exactly the same checks as a value in the file: a bad value from
//! the environment is an error naming the variable, never a silent default.
//! The value is read as TOML when it is one (`42`, `true`, `"text"`), else
//! as a plain string, so `KIOSK__CENTRAL__URL=https://...` needs no quotes.

use std::collections::BTreeMap;

use toml_edit::{DocumentMut, Item, Table, Value};

/// The prefix every override variable starts with.
pub const PREFIX: &str = "KIOSK__";

/// Which key each applied variable set: key path -> variable name.
pub type Applied = BTreeMap<String, String>;

/// Applies every `KIOSK__A__B=value` in `vars` to `doc`.
///
/// Returns the keys set, or the variables that could not be applied
/// (a path through something that is not a table) with the reason.
pub fn apply(
    doc: &mut DocumentMut,
    vars: impl IntoIterator<Item = (String, String)>,
) -> (Applied, Vec<(String, String)>) {
    let mut applied = Applied::new();
    let mut failed = Vec::new();
    for (name, raw) in vars {
        let Some(rest) = name.strip_prefix(PREFIX) else {
            continue;
        };
        let path: Vec<String> = rest.split("__").map(str::to_lowercase).collect();
        if path.len() < 2 || path.iter().any(String::is_empty) {
            failed.push((
                name,
                "write KIOSK__SECTION__KEY, e.g. KIOSK__PRINTER__COLUMNS=42".to_string(),
            ));
            continue;
        }
        match set(doc.as_table_mut(), &path, value_of(&raw)) {
            Ok(()) => {
                applied.insert(path.join("."), name);
            }
            Err(why) => failed.push((name, why)),
        }
    }
    (applied, failed)
}

fn value_of(raw: &str) -> Value {
    raw.parse::<Value>().unwrap_or_else(|_| Value::from(raw))
}

fn set(table: &mut Table, path: &[String], value: Value) -> Result<(), String> {
    let (last, parents) = path.split_last().ok_or("empty key")?;
    let mut here = table;
    for part in parents {
        let entry = here.entry(part).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        here = entry.as_table_mut().ok_or_else(|| {
            format!("`{part}` is not a section; only plain section keys can be overridden")
        })?;
    }
    here.insert(last, Item::Value(value));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, vars: &[(&str, &str)]) -> (String, Applied, Vec<(String, String)>) {
        let mut doc: DocumentMut = text.parse().unwrap();
        let (applied, failed) = apply(
            &mut doc,
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        );
        (doc.to_string(), applied, failed)
    }

    #[test]
    fn overrides_typed_values_and_plain_strings() {
        let (out, applied, failed) = run(
            "[printer]\ncolumns = 48\n",
            &[
                ("KIOSK__PRINTER__COLUMNS", "42"),
                ("KIOSK__CENTRAL__URL", "https://central.example/api"),
            ],
        );
        assert!(failed.is_empty());
        let v: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(v["printer"]["columns"].as_integer(), Some(42));
        assert_eq!(
            v["central"]["url"].as_str(),
            Some("https://central.example/api")
        );
        assert_eq!(applied["printer.columns"], "KIOSK__PRINTER__COLUMNS");
    }

    #[test]
    fn ignores_other_variables_and_reports_malformed_ones() {
        let (_, applied, failed) = run(
            "",
            &[("HOME", "/root"), ("KIOSK__", "x"), ("KIOSK__PRINTER", "x")],
        );
        assert!(applied.is_empty());
        assert_eq!(failed.len(), 2);
    }

    #[test]
    fn cannot_reach_inside_a_list_of_services() {
        let (_, _, failed) = run("services = [1]\n", &[("KIOSK__SERVICES__ID", "x")]);
        assert_eq!(failed.len(), 1);
    }
}
