//! Whose database a file is: the kiosk writes only into its own.
//!
//! A file that SQLite can open is not yet the kiosk's database: an empty
//! SQLite file, another program's database, a copy whose layout version was
//! reset, or another kiosk's database all pass the header and `quick_check`.
//! Building the kiosk's tables into such a file would start numbering again
//! at 000001, so a database is the kiosk's only when it carries the kiosk's
//! identity:
//! * the SQLite application id [`APPLICATION_ID`] in its header;
//! * the kiosk's tables and a layout version (`user_version`) of at least 1;
//! * the kiosk's `[kiosk] id` in `kiosk_identity` (migration 007).
//!
//! Databases made before the identity existed have no application id; they
//! are adopted (and stamped) only when they hold the kiosk's tables and a
//! layout version, never when they are empty or foreign. Everything here
//! reads through a connection that cannot write; [`stamp`] writes the
//! identity once the file has been judged the kiosk's.

use std::collections::BTreeSet;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::error::StoreError;

/// The application id in the header of every kiosk database: "KVK1".
pub const APPLICATION_ID: i32 = 0x4B56_4B31;

/// The tables every kiosk database has held since its first layout.
const KIOSK_TABLES: [&str; 7] = [
    "records",
    "personal_data",
    "record_flags",
    "rating_reasons",
    "counters",
    "outbox",
    "print_jobs",
];

/// What [`judge`] found a sound database file to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The kiosk's, stamped.
    Own,
    /// The kiosk's, made before the identity existed: stamped on opening.
    Unstamped,
}

/// Whether the database behind `conn` (read-only) is the kiosk's; with
/// `kiosk`, also that it is this kiosk's. Anything else is
/// [`StoreError::NotKiosks`] naming why.
pub(crate) fn judge(
    conn: &Connection,
    path: &Path,
    kiosk: Option<&str>,
) -> Result<Verdict, StoreError> {
    let refuse = |why: String| StoreError::NotKiosks {
        path: path.to_path_buf(),
        why,
    };
    let unreadable = |e: rusqlite::Error| refuse(format!("its layout cannot be read ({e})"));
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(unreadable)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(unreadable)?;
    let tables = tables(conn).map_err(unreadable)?;
    let missing: Vec<&str> = KIOSK_TABLES
        .iter()
        .copied()
        .filter(|t| !tables.contains(*t))
        .collect();
    let verdict = match app {
        APPLICATION_ID => Verdict::Own,
        0 if tables.is_empty() => {
            return Err(refuse(
                "it is an empty SQLite database, without the kiosk's tables".into(),
            ));
        }
        0 if !missing.is_empty() => {
            let theirs: Vec<&str> = tables.iter().map(String::as_str).take(5).collect();
            return Err(refuse(format!(
                "it holds another program's tables ({}), not the kiosk's",
                theirs.join(", ")
            )));
        }
        0 => Verdict::Unstamped,
        other => {
            return Err(refuse(format!(
                "its header carries another program's application id ({other:#010x})"
            )));
        }
    };
    if !missing.is_empty() {
        return Err(refuse(format!(
            "the kiosk's tables {} are missing",
            missing.join(", ")
        )));
    }
    if version < 1 {
        return Err(refuse(format!(
            "it holds the kiosk's tables but its layout version is {version} (reset, for example by \
             `PRAGMA user_version`); the kiosk cannot tell which layout it has"
        )));
    }
    if let (Some(theirs), Some(ours)) = (stored_kiosk(conn, &tables)?, kiosk)
        && theirs != ours
    {
        return Err(refuse(format!(
            "it belongs to the kiosk {theirs:?}, and this kiosk's [kiosk] id is {ours:?}"
        )));
    }
    Ok(verdict)
}

/// The names of the tables in the database, SQLite's own left out.
fn tables(conn: &Connection) -> Result<BTreeSet<String>, rusqlite::Error> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
    names.collect()
}

/// The kiosk id stored in the database, if it names one.
fn stored_kiosk(
    conn: &Connection,
    tables: &BTreeSet<String>,
) -> Result<Option<String>, StoreError> {
    if !tables.contains("kiosk_identity") {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT kiosk_id FROM kiosk_identity WHERE only = 1",
            [],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// Writes the identity into a migrated kiosk database: the application id,
/// and the kiosk id where the database names none yet. Writes nothing when
/// both are already there.
pub(crate) fn stamp(conn: &Connection, kiosk: Option<&str>) -> Result<(), StoreError> {
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app != APPLICATION_ID {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    let stored: Option<Option<String>> = conn
        .query_row(
            "SELECT kiosk_id FROM kiosk_identity WHERE only = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let now = chrono::Utc::now().timestamp_millis();
    match (stored, kiosk) {
        (None, _) => {
            conn.execute(
                "INSERT OR IGNORE INTO kiosk_identity (only, kiosk_id, stamped_ms) VALUES (1, ?1, ?2)",
                rusqlite::params![kiosk, now],
            )?;
        }
        (Some(None), Some(id)) => {
            conn.execute(
                "UPDATE kiosk_identity SET kiosk_id = ?1, stamped_ms = ?2 WHERE only = 1 AND kiosk_id IS NULL",
                rusqlite::params![id, now],
            )?;
        }
        (Some(_), _) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::connection::open_memory;

    fn judged(conn: &Connection, kiosk: Option<&str>) -> Result<Verdict, String> {
        judge(conn, Path::new("k.db"), kiosk).map_err(|e| e.to_string())
    }

    #[test]
    fn the_kiosks_own_database_passes_and_another_kiosks_does_not() {
        let conn = open_memory().unwrap();
        stamp(&conn, Some("kovachevtsi-lobby-1")).unwrap();
        assert_eq!(judged(&conn, Some("kovachevtsi-lobby-1")), Ok(Verdict::Own));
        assert_eq!(judged(&conn, None), Ok(Verdict::Own));
        let err = judged(&conn, Some("kovachevtsi-lobby-2")).unwrap_err();
        assert!(err.contains("kovachevtsi-lobby-1"), "{err}");
    }

    #[test]
    fn empty_and_foreign_databases_are_refused() {
        let empty = Connection::open_in_memory().unwrap();
        assert!(judged(&empty, None).unwrap_err().contains("empty SQLite"));

        let foreign = Connection::open_in_memory().unwrap();
        foreign
            .execute_batch("CREATE TABLE moz_places (id INTEGER); PRAGMA user_version = 3;")
            .unwrap();
        assert!(
            judged(&foreign, None)
                .unwrap_err()
                .contains("another program's tables (moz_places)")
        );

        let other_app = Connection::open_in_memory().unwrap();
        other_app
            .execute_batch("PRAGMA application_id = 1196444237;")
            .unwrap();
        assert!(
            judged(&other_app, None)
                .unwrap_err()
                .contains("application id")
        );
    }

    #[test]
    fn a_reset_layout_version_is_refused_and_an_old_kiosk_database_is_adopted() {
        let conn = open_memory().unwrap();
        conn.pragma_update(None, "application_id", 0).unwrap();
        assert_eq!(judged(&conn, Some("k1")), Ok(Verdict::Unstamped));
        conn.pragma_update(None, "user_version", 0).unwrap();
        assert!(
            judged(&conn, Some("k1"))
                .unwrap_err()
                .contains("layout version is 0")
        );
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        assert!(
            judged(&conn, Some("k1"))
                .unwrap_err()
                .contains("layout version is 0")
        );
    }

    #[test]
    fn stamping_names_the_kiosk_once() {
        let conn = open_memory().unwrap();
        conn.execute("DELETE FROM kiosk_identity", []).unwrap();
        stamp(&conn, None).unwrap();
        stamp(&conn, Some("k1")).unwrap();
        stamp(&conn, Some("k2")).unwrap();
        let id: String = conn
            .query_row("SELECT kiosk_id FROM kiosk_identity", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, "k1");
    }
}
