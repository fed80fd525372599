//! `kiosk check-config` on the shipped kiosk.toml and on broken copies of it.
//!
//! Each broken copy changes one line of the real file, the way a technician's
//! typo would; the check must fail and name the key and its line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn shipped() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml")).unwrap()
}

fn check(path: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosk"));
    cmd.args(["check-config", "--config"])
        .arg(path)
        .env_remove("KIOSK_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    // Overrides from the developer's own shell must not leak in.
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("KIOSK__")) {
        cmd.env_remove(k);
    }
    cmd.output().unwrap()
}

/// Writes `text` as kiosk.toml in a fresh directory.
fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The 1-based line of the first line of `text` that starts with `start`,
/// searching from `after`.
fn line_of(text: &str, after: &str, start: &str) -> usize {
    let from = text
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} not in kiosk.toml"));
    let offset = from
        + text[from..]
            .lines()
            .take_while(|l| !l.trim_start().starts_with(start))
            .map(|l| l.len() + 1)
            .sum::<usize>();
    text[..offset].lines().count() + 1
}

/// Replaces the first occurrence of `from` after `anchor` with `to`.
fn mutate(anchor: &str, from: &str, to: &str) -> String {
    let text = shipped();
    let at = text
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor:?} not in kiosk.toml"));
    let rel = text[at..]
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} not after {anchor:?}"));
    let mut out = text.clone();
    out.replace_range(at + rel..at + rel + from.len(), to);
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Checks that `text` is refused with a message naming `key` at `line`.
fn assert_refused(text: &str, key: &str, line: Option<usize>, also: &str) {
    let (_dir, path) = write(text);
    let out = check(&path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "should be refused:\n{err}");
    assert!(err.contains(key), "the message should name {key:?}:\n{err}");
    if let Some(line) = line {
        assert!(
            err.contains(&format!("kiosk.toml:{line}: {key}")),
            "should point at line {line}:\n{err}"
        );
    }
    assert!(
        err.contains(also),
        "the message should say {also:?}:\n{err}"
    );
}

#[test]
fn the_shipped_configuration_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    let out = check(&path, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("is valid"), "{said}");
}

#[test]
fn a_misspelt_key_is_an_error_not_a_silent_default() {
    let text = mutate("[printer]", "columns = 48", "colums = 48");
    let line = line_of(&text, "[printer]", "colums");
    assert_refused(&text, "printer.colums", Some(line), "unknown field");
}

#[test]
fn an_impossible_time_names_the_key_and_the_format() {
    let text = mutate("[hours]", "closes = \"17:00\"", "closes = \"25:00\"");
    let line = line_of(&text, "[hours]", "closes");
    assert_refused(&text, "hours.closes", Some(line), "HH:MM");
}

#[test]
fn a_negative_fee_is_refused() {
    let text = mutate("[[services]]", "fee_eur = ", "fee_eur = -");
    let line = line_of(&text, "[[services]]", "ordinary");
    assert_refused(
        &text,
        "services[0].ordinary.fee_eur",
        Some(line),
        "negative",
    );
}

#[test]
fn lunch_outside_opening_hours_is_refused() {
    let text = mutate(
        "[hours]",
        "lunch_start = \"12:00\"",
        "lunch_start = \"07:00\"",
    );
    let line = line_of(&text, "[hours]", "lunch_start");
    assert_refused(
        &text,
        "hours.lunch_start",
        Some(line),
        "inside the opening hours",
    );
}

#[test]
fn a_duplicate_service_number_is_refused() {
    let text = shipped();
    let first = text.find("\n[[services]]\n").unwrap() + 1;
    let id_line = text[first..]
        .lines()
        .find(|l| l.starts_with("id = "))
        .unwrap()
        .to_string();
    let second = first + text[first..].find("\n[[services]]\n").unwrap() + 1;
    let second_id = text[second..]
        .lines()
        .find(|l| l.starts_with("id = "))
        .unwrap()
        .to_string();
    let mut broken = text.clone();
    let at = second + text[second..].find(&second_id).unwrap();
    broken.replace_range(at..at + second_id.len(), &id_line);
    // The IISDA number must then match the id, so drop the second's own.
    let block_end = second + broken[second..].find("\n\n").unwrap();
    if let Some(i) = broken[second..block_end].find("\niisda = ") {
        let at = second + i;
        let end = at + 1 + broken[at + 1..].find('\n').unwrap();
        broken.replace_range(at..end, "");
    }
    assert_refused(&broken, "services[1].id", None, "used twice");
}

#[test]
fn an_unknown_reason_in_a_rating_list_is_refused() {
    let text = mutate("low_reasons", "\"courtesy\"", "\"curtesy\"");
    let line = line_of(&text, "[rating]", "low_reasons");
    assert_refused(&text, "rating.low_reasons[1]", Some(line), "not a reason");
}

#[test]
fn a_pin_written_in_clear_is_refused() {
    let text = mutate("[staff]", "pin_hash = \"\"", "pin_hash = \"1234\"");
    assert_refused(&text, "staff.pin_hash", None, "never write the PIN here");
}

#[test]
fn several_problems_are_all_reported_at_once() {
    // Two checks across keys...
    let text = mutate(
        "[hours]",
        "lunch_start = \"12:00\"",
        "lunch_start = \"07:00\"",
    );
    let text = text.replacen("batch_size = 100", "batch_size = 0", 1);
    let (_dir, path) = write(&text);
    let err = stderr(&check(&path, &[]));
    assert!(
        err.contains("hours.lunch_start") && err.contains("central.batch_size"),
        "{err}"
    );

    // ...and bad values in different sections and list entries.
    let text = mutate("[printer]", "columns = 48", "colums = 48");
    let text = text.replacen("closes = \"17:00\"", "closes = \"25:00\"", 1);
    let text = text.replacen("deadline = \"3 days\"", "deadline = \"three days\"", 1);
    let (_dir, path) = write(&text);
    let err = stderr(&check(&path, &[]));
    for key in ["printer.colums", "hours.closes", ".ordinary.deadline"] {
        assert!(err.contains(key), "{key} missing from:\n{err}");
    }
    assert!(err.contains("has 3 errors"), "{err}");
}

#[test]
fn an_unknown_or_missing_section_is_named() {
    let text = shipped().replacen("[storage]", "[storrage]", 1);
    assert_refused(&text, "storrage", None, "unknown section");
    let text = shipped().replacen("[hours]", "[opening_hours]", 1);
    let (_dir, path) = write(&text);
    let err = stderr(&check(&path, &[]));
    assert!(err.contains("the [hours] section is missing"), "{err}");
}

#[test]
fn environment_overrides_are_checked_like_the_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    let good = check(&path, &[("KIOSK__PRINTER__COLUMNS", "42")]);
    assert!(good.status.success(), "{}", stderr(&good));

    let bad = check(&path, &[("KIOSK__PRINTER__COLUMNS", "400")]);
    let err = stderr(&bad);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        err.contains("printer.columns") && err.contains("KIOSK__PRINTER__COLUMNS"),
        "{err}"
    );

    let typo = check(&path, &[("KIOSK__PRINTER__COLUMNZ", "42")]);
    assert!(
        stderr(&typo).contains("KIOSK__PRINTER__COLUMNZ"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    let out = check(
        &path,
        &[("KIOSK__CENTRAL__URL", "http://central.example.org")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("https://"), "{}", stderr(&out));
    let ok = check(&path, &[("KIOSK__CENTRAL__URL", "http://127.0.0.1:8080")]);
    let said = String::from_utf8_lossy(&ok.stdout);
    assert!(said.contains("is valid"), "{said}{}", stderr(&ok));
    // Valid, but the token file it names is not there: exit code 1.
    assert_eq!(ok.status.code(), Some(1), "{said}");
    assert!(
        said.contains("problem: central.token_file: /etc/kiosk/central.token does not exist"),
        "{said}"
    );
}

#[test]
fn files_that_are_not_a_kiosk_toml_are_refused_at_once_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.toml");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let big = dir.path().join("big.toml");
    std::fs::write(&big, format!("{}{}", shipped(), "#".repeat(1 << 20))).unwrap();
    for (path, why) in [
        (Path::new("/dev/zero"), "is a device, not a regular file"),
        (fifo.as_path(), "is a named pipe (FIFO)"),
        (big.as_path(), "more than the 1048576 allowed"),
        (dir.path(), "is a folder"),
    ] {
        let out = check(path, &[]);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        assert!(
            stderr(&out).contains(why),
            "{}: {}",
            path.display(),
            stderr(&out)
        );
    }
}

#[test]
fn bytes_that_are_not_utf8_are_placed_by_line_and_offset() {
    let text = shipped();
    let at = text.find("id = \"kovachevtsi-lobby-1\"").unwrap() + 6;
    let mut bytes = text.into_bytes();
    bytes[at] = 0xFF;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, &bytes).unwrap();
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let out = check(&path, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "kiosk.toml:{line}: (encoding): byte {at} of the file"
        )),
        "{err}"
    );
}

#[test]
fn nesting_deeper_than_any_section_is_refused_with_its_line() {
    let line = shipped().lines().count() + 3;
    for tail in [
        format!("\n[extra]\nx = {}1{}\n", "[".repeat(20), "]".repeat(20)),
        format!(
            "\n[extra]\nx = {}1{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
        format!("\n[extra]\nx = {}1{}\n", "{a = ".repeat(30), "}".repeat(30)),
        format!("\n\n[{}]\n", vec!["a"; 100_000].join(".")),
    ] {
        let (_dir, path) = write(&format!("{}{tail}", shipped()));
        let out = check(&path, &[]);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("kiosk.toml:{line}: ")),
            "line {line}: {}",
            &err[..err.len().min(400)]
        );
    }
}

#[test]
fn the_kiosk_and_storage_sections_are_required() {
    let text = shipped();
    let cut = &text[..text.find("[storage]").unwrap()];
    let (_dir, path) = write(cut);
    let out = check(&path, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the [storage] section is missing"),
        "{}",
        stderr(&out)
    );
    let no_kiosk = text.replacen("[kiosk]\n", "[kiosk_old]\n", 1);
    let (_dir, path) = write(&no_kiosk);
    let out = check(&path, &[]);
    assert!(
        stderr(&out).contains("the [kiosk] section is missing"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn what_the_file_points_at_is_looked_at_too() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("central.token");
    std::fs::write(&token, "secret").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o640)).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    let folder = dir.path().display().to_string();
    let out = check(
        &path,
        &[
            ("KIOSK__CENTRAL__URL", "https://central.example.bg"),
            ("KIOSK__CENTRAL__TOKEN_FILE", token.to_str().unwrap()),
            ("KIOSK__PRINTER__TRANSPORT", &format!("file:{folder}")),
            ("KIOSK__BOARD__KIND", "pi"),
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("problem: central.token_file:") && said.contains("mode 0640"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "problem: printer.transport: file:{folder} is a folder"
        )),
        "{said}"
    );
    let on_a_pi = std::fs::read_to_string("/proc/device-tree/model")
        .is_ok_and(|m| m.contains("Raspberry Pi"));
    if !on_a_pi {
        assert!(
            said.contains("warning: board.kind: \"pi\" but this machine is not a Raspberry Pi"),
            "{said}"
        );
    }
}

#[test]
fn a_missing_file_says_how_to_give_one() {
    let out = check(Path::new("/nonexistent/kiosk.toml"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--config"), "{}", stderr(&out));
}

#[test]
fn a_bad_night_time_for_the_screen_names_its_key_and_line() {
    let text = mutate(
        "[display]",
        "night_from = \"20:00\"",
        "night_from = \"20h\"",
    );
    let line = line_of(&text, "[display]", "night_from");
    assert_refused(&text, "display.night_from", Some(line), "HH:MM");
}

/// `check-config --fragment FILE` against the shipped kiosk.toml.
fn check_fragment(fragment: &str) -> Output {
    let (dir, path) = write(&shipped());
    let frag = dir.path().join("fragment.toml");
    std::fs::write(&frag, fragment).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosk"));
    cmd.args(["check-config", "--config"])
        .arg(&path)
        .arg("--fragment")
        .arg(&frag)
        .env_remove("KIOSK_LOG");
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("KIOSK__")) {
        cmd.env_remove(k);
    }
    cmd.output().unwrap()
}

const HOURS_AT_NINE: &str = "[hours]\nopens = \"9:00\"\ncloses = \"17:00\"\nlunch_start = \"12:00\"\nlunch_end = \"12:30\"\n\n[calendar]\nextra_days_off = [{ date = \"2026-12-31\", note = \"РМС\" }]\n";

#[test]
fn a_fragment_is_checked_by_hand_against_the_kiosks_own_file() {
    let ok = check_fragment(HOURS_AT_NINE);
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{out}");
    assert!(out.contains("is valid against"), "{out}");

    let bad = check_fragment(&HOURS_AT_NINE.replace("\"9:00\"", "\"25:00\""));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(2), "{out}");
    assert!(out.contains("hours.opens (fragment line 2)"), "{out}");

    let foreign = check_fragment(&format!("{HOURS_AT_NINE}\n[printer]\ncolumns = 32\n"));
    let out = String::from_utf8_lossy(&foreign.stdout);
    assert_eq!(foreign.status.code(), Some(2), "{out}");
    assert!(out.contains("printer (fragment line 10)"), "{out}");
}
