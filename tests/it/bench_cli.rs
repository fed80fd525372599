//! The benchmarks that back figures the issues ask for, run small from the
//! command line: `kiosk bench pin` (memory left behind by PIN checks) and
//! `kiosk bench submit` (a tap to the number on screen).

use std::path::Path;
use std::process::Command;

fn bench(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml"))
        .arg("bench")
        .args(args)
        .env_remove("KIOSK_LOG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "kiosk bench {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The figure in MiB just before `after` in `text`, e.g. "(+0.1 MiB)".
fn mib_in(text: &str, key: &str) -> f64 {
    let start = text
        .find(key)
        .unwrap_or_else(|| panic!("no {key:?} in {text}"))
        + key.len();
    let figure: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
        .collect();
    figure
        .parse()
        .unwrap_or_else(|_| panic!("no figure after {key:?} in {text}"))
}

#[test]
fn a_hundred_pin_attempts_leave_the_window_within_5_mib_of_before() {
    let out = bench(&["pin", "--iterations", "100"]);
    assert!(out.contains("100 attempts"), "{out}");
    let grew = mib_in(&out, "MiB (");
    assert!(grew <= 5.0, "PIN checks left {grew} MiB behind: {out}");
    // Each check maps its 7 MiB of Argon2 blocks; the peak shows it ran.
    let peak = mib_in(&out, "peak ");
    let after = mib_in(&out, "after the attempts ");
    assert!(peak >= after + 5.0, "{out}");
}

#[test]
fn bench_submit_times_taps_with_a_hung_and_a_healthy_printer() {
    let out = bench(&["submit", "--iterations", "5"]);
    for printer in ["hung", "healthy"] {
        assert!(
            out.contains(&format!(
                "submit with a {printer} printer: tap to number on screen p50"
            )),
            "{out}"
        );
    }
    assert!(out.contains("over 5 complaints (last KV1-"), "{out}");
}
