//! What `kiosk check-config` looks at beyond the file itself: the files and
//! the machine a valid kiosk.toml points at.
//!
//! None of this makes the configuration invalid (`kiosk run` starts
//! without a token and queues records), but each finding says what would
//! go wrong and what to do: a token file that is missing, readable by
//! others, not owned by the user running the check, too large; a CA file
//! that cannot be used; a printer file that is a folder; `kind = "pi"` off
//! a Raspberry Pi; a database that does not exist yet or is not a file.
//! Files are only looked at (metadata), never opened, except the machine's
//! model name (a few bytes).

use std::path::Path;

use super::sections::{BoardKind, Config};
use super::values::PrinterTransport;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Something will not work as configured.
    Problem,
    /// Worth knowing; it may be meant so.
    Warning,
}

/// One finding, naming the key it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub key: &'static str,
    pub message: String,
}

/// The largest token file the kiosk reads (as `sync::read_token`).
const MAX_TOKEN_BYTES: u64 = 4096;

/// Where the running machine says what it is.
const MODEL_FILES: [&str; 2] = [
    "/proc/device-tree/model",
    "/sys/firmware/devicetree/base/model",
];

/// Everything found about `config`'s surroundings.
pub fn check_environment(config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    token_file(config, &mut out);
    ca_file(config, &mut out);
    printer(config, &mut out);
    board(config, model().as_deref(), &mut out);
    database(config, &mut out);
    out
}

fn problem(out: &mut Vec<Finding>, key: &'static str, message: String) {
    out.push(Finding {
        severity: Severity::Problem,
        key,
        message,
    });
}

fn warning(out: &mut Vec<Finding>, key: &'static str, message: String) {
    out.push(Finding {
        severity: Severity::Warning,
        key,
        message,
    });
}

fn token_file(config: &Config, out: &mut Vec<Finding>) {
    if config.central.url.trim().is_empty() {
        return;
    }
    let path = &config.central.token_file;
    let key = "central.token_file";
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return problem(
                out,
                key,
                format!(
                    "{} does not exist: the kiosk cannot send to the central system; put the token there (owned by the kiosk's user, chmod 600)",
                    path.display()
                ),
            );
        }
        Err(e) => {
            return problem(
                out,
                key,
                format!(
                    "{} cannot be looked at ({e}); check the folder's permissions",
                    path.display()
                ),
            );
        }
    };
    if !meta.is_file() {
        return problem(
            out,
            key,
            format!(
                "{} is {}, not a file holding the token",
                path.display(),
                super::kind_of(&meta)
            ),
        );
    }
    if meta.len() > MAX_TOKEN_BYTES {
        problem(
            out,
            key,
            format!(
                "{} is {} bytes; a token is at most {MAX_TOKEN_BYTES}, so the kiosk will not read it",
                path.display(),
                meta.len()
            ),
        );
    } else if meta.len() == 0 {
        problem(
            out,
            key,
            format!(
                "{} is empty; write the token the central system issued",
                path.display()
            ),
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            problem(
                out,
                key,
                format!(
                    "{} has mode {mode:04o}: other users can read the token; run `chmod 600 {}` (the kiosk refuses it as it is)",
                    path.display(),
                    path.display()
                ),
            );
        }
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            let hint = if me == 0 {
                " (check-config runs as root here: run it as the kiosk's user, `sudo -u kiosk kiosk check-config`)"
            } else {
                ""
            };
            problem(
                out,
                key,
                format!(
                    "{} is owned by user {} ({}), not by the user running this check ({} , {}); the kiosk's user must own it: `chown kiosk: {}`{hint}",
                    path.display(),
                    meta.uid(),
                    user_name(meta.uid()).unwrap_or_else(|| "unknown".into()),
                    me,
                    user_name(me).unwrap_or_else(|| "unknown".into()),
                    path.display()
                ),
            );
        }
    }
}

fn ca_file(config: &Config, out: &mut Vec<Finding>) {
    let path = &config.central.ca_file;
    if path.as_os_str().is_empty() || config.central.url.trim().is_empty() {
        return;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(m) => problem(
            out,
            "central.ca_file",
            format!(
                "{} is {}, not a PEM certificate file",
                path.display(),
                super::kind_of(&m)
            ),
        ),
        Err(e) => problem(
            out,
            "central.ca_file",
            format!(
                "{} cannot be used ({e}); give a PEM certificate file or leave ca_file empty",
                path.display()
            ),
        ),
    }
}

fn printer(config: &Config, out: &mut Vec<Finding>) {
    let key = "printer.transport";
    match &config.printer.transport {
        PrinterTransport::File(path) => match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => problem(
                out,
                key,
                format!(
                    "file:{} is a folder; receipts cannot be written to it; name a file, e.g. file:{}/receipts.bin",
                    path.display(),
                    path.display()
                ),
            ),
            Ok(m) if !m.is_file() => warning(
                out,
                key,
                format!(
                    "file:{} is {}, not a file; for a printer device write its path without file:",
                    path.display(),
                    super::kind_of(&m)
                ),
            ),
            _ => {}
        },
        PrinterTransport::Device(path) => match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => problem(
                out,
                key,
                format!("{} is a folder, not the printer's device", path.display()),
            ),
            Ok(m) if m.is_file() => warning(
                out,
                key,
                format!(
                    "{} is an ordinary file, not a device: receipts would be written into it (write file:{} if that is meant)",
                    path.display(),
                    path.display()
                ),
            ),
            Ok(_) => {}
            Err(_) => warning(
                out,
                key,
                format!(
                    "{} is not there now: is the printer plugged in and on? (`ls -l /dev/usb/`)",
                    path.display()
                ),
            ),
        },
        _ => {}
    }
}

fn board(config: &Config, model: Option<&str>, out: &mut Vec<Finding>) {
    if config.board.kind != BoardKind::Pi {
        return;
    }
    let is_pi = model.is_some_and(|m| m.contains("Raspberry Pi"));
    if !is_pi {
        warning(
            out,
            "board.kind",
            format!(
                "\"pi\" but this machine is not a Raspberry Pi ({}); the kiosk will refuse to start here: use \"auto\" or \"simulated\" off the Pi",
                model.map_or_else(
                    || "no device-tree model".to_owned(),
                    |m| format!("it says {m:?}")
                )
            ),
        );
    }
}

fn database(config: &Config, out: &mut Vec<Finding>) {
    let s = &config.storage;
    let key = "storage.database";
    match std::fs::metadata(&s.database) {
        Ok(m) if !m.is_file() => problem(
            out,
            key,
            format!(
                "{} is {}, not a database file",
                s.database.display(),
                super::kind_of(&m)
            ),
        ),
        Ok(m) if m.len() == 0 && !s.create => problem(
            out,
            key,
            format!(
                "{} is an empty file: restore the database or run `kiosk init`",
                s.database.display()
            ),
        ),
        Ok(_) => {}
        Err(_) if s.create => {}
        Err(_) => warning(
            out,
            key,
            format!(
                "{} does not exist yet and create = false: the kiosk is out of service until `kiosk init` makes it",
                s.database.display()
            ),
        ),
    }
}

/// The machine's model name from the device tree, if it has one.
fn model() -> Option<String> {
    MODEL_FILES.iter().find_map(|p| {
        let bytes = super::read_bounded(Path::new(p), 256).ok()?;
        let text = String::from_utf8_lossy(&bytes);
        Some(text.trim_end_matches('\0').trim().to_owned())
    })
}

/// The name of user `uid`, from /etc/passwd.
#[cfg(unix)]
fn user_name(uid: u32) -> Option<String> {
    let passwd = super::read_bounded(Path::new("/etc/passwd"), 1 << 20).ok()?;
    String::from_utf8_lossy(&passwd).lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        let id: u32 = f.nth(1)?.parse().ok()?;
        (id == uid).then(|| name.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        super::super::parse(
            include_str!("../../../kiosk.toml"),
            Vec::<(String, String)>::new(),
            Path::new("/nonexistent"),
        )
        .unwrap()
    }

    fn keys(found: &[Finding], severity: Severity) -> Vec<&'static str> {
        found
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| f.key)
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn the_token_file_must_exist_be_private_and_small() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut c = config();
        c.central.url = "https://central.example.bg".into();
        c.central.token_file = dir.path().join("central.token");
        let mut found = Vec::new();
        token_file(&c, &mut found);
        assert!(found[0].message.contains("does not exist"), "{found:?}");

        std::fs::write(&c.central.token_file, "t").unwrap();
        std::fs::set_permissions(
            &c.central.token_file,
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        let mut found = Vec::new();
        token_file(&c, &mut found);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("mode 0644"), "{found:?}");
        assert!(found[0].message.contains("chmod 600"));

        std::fs::write(&c.central.token_file, "x".repeat(5000)).unwrap();
        std::fs::set_permissions(
            &c.central.token_file,
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        let mut found = Vec::new();
        token_file(&c, &mut found);
        assert!(found[0].message.contains("5000 bytes"), "{found:?}");

        c.central.token_file = dir.path().to_path_buf();
        let mut found = Vec::new();
        token_file(&c, &mut found);
        assert!(found[0].message.contains("a folder"), "{found:?}");
    }

    #[test]
    fn a_printer_file_that_is_a_folder_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = config();
        c.printer.transport = PrinterTransport::File(dir.path().to_path_buf());
        let mut found = Vec::new();
        printer(&c, &mut found);
        assert_eq!(keys(&found, Severity::Problem), ["printer.transport"]);
        c.printer.transport = PrinterTransport::Device(dir.path().join("lp0"));
        let mut found = Vec::new();
        printer(&c, &mut found);
        assert_eq!(keys(&found, Severity::Warning), ["printer.transport"]);
    }

    #[test]
    fn kind_pi_off_a_pi_is_a_warning() {
        let mut c = config();
        c.board.kind = BoardKind::Pi;
        let mut found = Vec::new();
        board(&c, Some("QEMU Virtual Machine"), &mut found);
        assert_eq!(keys(&found, Severity::Warning), ["board.kind"]);
        let mut found = Vec::new();
        board(&c, Some("Raspberry Pi 4 Model B Rev 1.5"), &mut found);
        assert!(found.is_empty());
        let mut found = Vec::new();
        board(&c, None, &mut found);
        assert!(found[0].message.contains("no device-tree model"));
    }

    #[test]
    fn a_missing_database_is_said_unless_it_is_made_on_demand() {
        let mut c = config();
        c.storage.database = "/nonexistent/kiosk.db".into();
        c.storage.create = false;
        let mut found = Vec::new();
        database(&c, &mut found);
        assert!(found[0].message.contains("kiosk init"), "{found:?}");
        c.storage.create = true;
        let mut found = Vec::new();
        database(&c, &mut found);
        assert!(found.is_empty());
    }
}
