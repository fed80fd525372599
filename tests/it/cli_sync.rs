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

/// What `sync --once` printed holds no control character but the line
/// ends, no bidirectional or invisible formatting, and no line longer
/// than a kept reason (1 KiB) and the words around it.
fn assert_terminal_safe(out: &str) {
    for line in out.lines() {
        assert!(line.len() <= 1400, "a line of {} bytes", line.len());
        for c in line.chars() {
            assert!(
                !c.is_control() && !kiosk::domain::sanitize::is_invisible(c),
                "U+{:04X} reached the terminal: {line:?}",
                c as u32
            );
        }
    }
}

#[test]
fn sync_once_prints_nothing_of_the_central_systems_that_could_command_a_terminal() {
    let hostile = "bad\u{1b}]0;pwned\u{7} \u{1b}[2J\u{202e}evil\u{2066}\u{200b}\r\noutbox now: 0 pending, 9999 delivered, 0 rejected\u{0}";
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let server = FakeCentral::start(Faults {
        reject_all: Some(format!("{hostile} {}", "щ".repeat(20_000))),
        highest_numbers: Some(vec![
            ("\u{1b}[31mKV1\u{202e}-2026".into(), 5),
            ("KV1-2026\u{2066}".into(), 5),
        ]),
        ..Faults::default()
    });
    let url = server.url();
    let made = kiosk(dir.path(), &url, &["init"]);
    assert!(made.status.success(), "{}", text(&made));
    let made = kiosk(
        dir.path(),
        &url,
        &["demo-data", "--ratings", "3", "--complaints", "2"],
    );
    assert!(made.status.success(), "{}", text(&made));

    let sent = kiosk(dir.path(), &url, &["sync", "--once"]);
    let out = String::from_utf8_lossy(&sent.stdout).into_owned();
    assert!(out.contains("rejected rating"), "{out}");
    assert!(
        out.contains("skipped") || out.contains("cannot use"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("outbox now:")).count(),
        1,
        "the central system wrote a line of its own: {out}"
    );
    assert_terminal_safe(&out);
    let listed = kiosk(dir.path(), &url, &["outbox"]);
    assert_terminal_safe(&String::from_utf8_lossy(&listed.stdout));
}
