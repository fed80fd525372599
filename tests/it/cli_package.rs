//! What the package and the system test take from the binary: the manual
//! page (`kiosk manual`) and where the buttons are (`kiosk screenshot
//! --elements`), run as the IT contractor's tools run.

use std::process::Command;

fn kiosk(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["--config", "kiosk.toml"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kiosk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_manual_page_covers_every_visible_subcommand() {
    let page = String::from_utf8(kiosk(&["manual"]).stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH kiosk 1"),
        "{page:.200}"
    );
    for sub in [
        "RUN",
        "CHECK-CONFIG",
        "RECEIPT",
        "SCREENSHOT",
        "SYNC",
        "HASH-PIN",
    ] {
        assert!(
            page.contains(&format!(".SH \"KIOSK {sub}\"")),
            "no section for {sub}"
        );
    }
    assert!(
        page.contains(r"\-\-elements"),
        "the options of subcommands are listed"
    );
    assert!(
        !page.contains("KIOSK MANUAL"),
        "the hidden command stays out of the page"
    );
}

#[test]
fn screenshot_elements_say_where_each_button_is_on_the_drawn_screen() {
    let dir = tempfile::tempdir().unwrap();
    let (png, json) = (dir.path().join("home.png"), dir.path().join("home.json"));
    kiosk(&[
        "screenshot",
        "--screen",
        "home",
        "--size",
        "800x480",
        "--out",
        png.to_str().unwrap(),
        "--elements",
        json.to_str().unwrap(),
    ]);
    let elements: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let rate = elements
        .iter()
        .find(|e| e["label"] == "Оценете обслужването" && e["role"] == "button")
        .expect("the rating button is listed");
    let (x, y, w, h) = (
        rate["x"].as_i64().unwrap(),
        rate["y"].as_i64().unwrap(),
        rate["width"].as_i64().unwrap(),
        rate["height"].as_i64().unwrap(),
    );
    assert!(
        x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 800 && y + h <= 480,
        "{rate}"
    );
    // Every listed button lies on the drawn screen.
    for e in elements.iter().filter(|e| e["role"] == "button") {
        assert!(
            e["x"].as_i64().unwrap() + e["width"].as_i64().unwrap() <= 800,
            "{e}"
        );
    }
}

/// A newcomer's first `cargo run --release` on a machine without a display
/// (a server, an SSH session) says in one line what to do.
#[test]
fn the_desktop_build_without_a_display_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["--config", "kiosk.toml", "run"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .env_remove("SLINT_BACKEND")
        .env("KIOSK__STORAGE__DATABASE", &db)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    let lines: Vec<&str> = said.lines().filter(|l| l.starts_with("kiosk:")).collect();
    assert_eq!(lines.len(), 1, "{said}");
    for hint in ["no display", "desktop session", "Xvfb", "screenshot"] {
        assert!(said.contains(hint), "no {hint:?} in {said}");
    }
    assert!(!said.contains("winit"), "{said}");
}
