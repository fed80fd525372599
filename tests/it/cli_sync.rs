//! `kiosk demo-data`, `kiosk sync --once` and `kiosk outbox` as the IT
//! contractor runs them, against the loopback central system.
use crate::support;

use crate::support::central::{FakeCentral, Faults, TOKEN};
use crate::support::cli::{run as kiosk, text};

#[test]
fn sync_once_delivers_demo_data_and_outbox_shows_what_is_left() {
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let server = FakeCentral::start(Faults::default());
    let url = server.url();
    let made = kiosk(dir.path(), &url, &["init"]);
    assert!(made.status.success(), "{}", text(&made));

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
