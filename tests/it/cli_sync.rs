//! `kiosk demo-data`, `kiosk sync --once` and `kiosk outbox` as the IT
//! contractor runs them, against the loopback central system.
use crate::support;

use std::path::Path;
use std::process::{Command, Output};

use crate::support::central::{FakeCentral, Faults, TOKEN};

/// Runs the kiosk binary on the shipped kiosk.toml, pointed at `dir` and `url`.
fn kiosk(dir: &Path, url: &str, args: &[&str]) -> Output {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("KIOSK__CENTRAL__URL", url)
        .env("KIOSK__CENTRAL__TOKEN_FILE", dir.join("central.token"))
        .env("KIOSK__STORAGE__DATABASE", dir.join("kiosk.db"))
        .env("KIOSK_LOG", "warn")
        .output()
        .expect("cannot run kiosk")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn sync_once_delivers_demo_data_and_outbox_shows_what_is_left() {
    use std::os::unix::fs::PermissionsExt;
    let dir = support::memory_dir();
    let token = dir.path().join("central.token");
    std::fs::write(&token, TOKEN).unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let server = FakeCentral::start(Faults::default());
    let url = server.url();

    let made = kiosk(
        dir.path(),
        &url,
        &["demo-data", "--ratings", "150", "--complaints", "20"],
    );
    assert!(made.status.success(), "{}", text(&made));
    let before = kiosk(dir.path(), &url, &["outbox", "--limit", "5"]);
    let listing = text(&before);
    assert!(listing.contains("170 pending"), "{listing}");
    assert!(listing.contains("... and 165 more"), "{listing}");
    for personal in ["Петров", "Иванов", "@example.bg", "Чаках", "с. "] {
        assert!(
            !listing.contains(personal),
            "outbox shows personal data: {listing}"
        );
    }

    let sent = kiosk(dir.path(), &url, &["sync", "--once"]);
    let out = text(&sent);
    assert!(sent.status.success(), "{out}");
    assert!(
        out.contains("sent 170 records in 2 requests: 170 delivered"),
        "{out}"
    );
    assert!(
        out.contains("outbox now: 0 pending, 170 delivered, 0 rejected"),
        "{out}"
    );
    server.seen(|s| {
        assert_eq!(s.held.len(), 170);
        assert!(s.violations.is_empty(), "{:?}", s.violations);
        assert!(s.batch_sizes.iter().all(|&n| n <= 100));
    });

    // Sent again: nothing pending, nothing sent.
    let again = kiosk(dir.path(), &url, &["sync", "--once"]);
    assert!(
        text(&again).contains("sent 0 records in 0 requests"),
        "{}",
        text(&again)
    );
}

#[test]
fn sync_once_refuses_a_token_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = support::memory_dir();
    let token = dir.path().join("central.token");
    std::fs::write(&token, TOKEN).unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = kiosk(dir.path(), "http://127.0.0.1:9", &["sync", "--once"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("chmod 600"), "{}", text(&out));
}
