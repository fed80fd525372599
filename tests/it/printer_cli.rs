//! The printer commands end to end, on a copy of the shipped kiosk.toml
//! whose printer is a file: `receipt`, `print-test` and `bench receipt`.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::escpos::decode;
use kiosk::config::PrinterEncoding;

fn kiosk(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosk"));
    cmd.arg("--config")
        .arg(dir.join("kiosk.toml"))
        .args(args)
        .current_dir(dir)
        .env_remove("KIOSK_LOG");
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("KIOSK__")) {
        cmd.env_remove(k);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "kiosk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A kiosk folder with the shipped configuration and a few complaints;
/// returns the folder and the first receipt number.
fn kiosk_with_complaints() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml"),
        dir.path().join("kiosk.toml"),
    )
    .unwrap();
    let out = kiosk(
        dir.path(),
        &["demo-data", "--ratings", "0", "--complaints", "2"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let number = stdout
        .split(|c: char| c.is_whitespace() || c == '.')
        .find(|w| w.starts_with("KV1-") && w.len() == 15)
        .unwrap_or_else(|| panic!("no receipt number in {stdout}"))
        .to_string();
    (dir, number)
}

#[test]
fn receipt_writes_the_bytes_or_prints_a_duplicate() {
    let (dir, number) = kiosk_with_complaints();
    let pages = [(17, PrinterEncoding::Cp866)];

    kiosk(dir.path(), &["receipt", &number, "--out", "one.bin"]);
    let slip = decode(&std::fs::read(dir.path().join("one.bin")).unwrap(), &pages);
    assert!(slip.line(&number).is_some(), "{}", slip.text());
    assert_ne!(slip.lines[0].text, "ДУБЛИКАТ");

    kiosk(dir.path(), &["receipt", &number]);
    let printed = std::fs::read(dir.path().join("data/receipts.bin")).unwrap();
    let slip = decode(&printed, &pages);
    assert_eq!(slip.lines[0].text, "ДУБЛИКАТ");
    assert!(slip.line(&number).is_some());
}

#[test]
fn print_test_shows_the_alphabet_under_every_candidate() {
    let (dir, _) = kiosk_with_complaints();
    kiosk(dir.path(), &["print-test", "--out", "setup.bin"]);
    let bytes = std::fs::read(dir.path().join("setup.bin")).unwrap();
    let pages: Vec<(u8, PrinterEncoding)> = kiosk::printer::test_slip::CANDIDATES
        .iter()
        .map(|c| (c.esc_t_n, c.encoding))
        .collect();
    let slip = decode(&bytes, &pages);
    assert_eq!(slip.pages.len(), pages.len());
    let text = slip.text();
    assert_eq!(
        text.matches("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ").count(),
        pages.len(),
        "{text}"
    );
    assert!(text.contains("esc_t_n = 46"));
    assert!(text.contains("№ 0123456789 €"));
    assert_eq!(slip.cuts.len(), 1);
}

#[test]
fn bench_receipt_reports_time_and_size() {
    let (dir, _) = kiosk_with_complaints();
    let out = kiosk(dir.path(), &["bench", "receipt", "--iterations", "5"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("µs per receipt"), "{stdout}");
    assert!(stdout.contains("bytes"), "{stdout}");
}
