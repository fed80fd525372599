//! The registry desk in a real browser: Debian's Chromium, headless.
//!
//! A clerk logs in, filters the register, opens a complaint, registers and
//! answers it, downloads its registry copy (read back with pdftotext), and
//! every page is captured in both languages and at both screen sizes.
//! Screenshots go to `$DESK_SCREENSHOTS` (default: a `desk-screenshots`
//! directory in the system's temporary directory).

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod driver;
#[path = "../desk/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::Command;

use driver::Browser;
use fantoccini::Locator;
use serde_json::json;
use support::{Desk, PASSWORD};

const N1: &str = "KV1-2026-000042";

fn shots() -> PathBuf {
    let dir = std::env::var_os("DESK_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("desk-screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed (apt-get install -y poppler-utils): {e}"));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_goes_from_login_to_an_answered_complaint() {
    let desk = Desk::spawn().await;
    desk.deliver(&[
        (
            N1,
            json!({"text": "Чаках два часа на гише 3.\n<b>Моля за отговор.</b>"}),
        ),
        (
            "KV1-2026-000043",
            json!({"type": "proposal", "due_date": null}),
        ),
        (
            "KV1-2026-000044",
            json!({"type": "signal", "category": "deadlines"}),
        ),
    ])
    .await;
    let dir = shots();
    let b = Browser::start(1366, 768).await;
    let c = &b.client;

    c.goto(&format!("{}/desk/complaints", desk.url))
        .await
        .unwrap();
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/desk/login")
    );
    b.screenshot(&dir, "login-bg-1366").await;
    b.fill("name", "clerk").await;
    b.fill("password", PASSWORD).await;
    b.click("form button[type=submit]").await;
    let text = b.body_text().await;
    assert!(text.contains("Регистър на жалбите"), "{text}");
    assert!(text.contains(N1) && text.contains("KV1-2026-000044"));
    b.screenshot(&dir, "register-bg-1366").await;

    // Filter: signals only, then search by number.
    let select = c.find(Locator::Css("select[name=type]")).await.unwrap();
    select.select_by_value("signal").await.unwrap();
    b.click(".filters button[type=submit]").await;
    let text = b.body_text().await;
    assert!(
        text.contains("KV1-2026-000044") && !text.contains(N1),
        "{text}"
    );
    assert!(text.contains("Показани: 1"), "{text}");
    b.screenshot(&dir, "register-filtered-bg-1366").await;
    c.goto(&format!("{}/desk/complaints", desk.url))
        .await
        .unwrap();
    b.fill("q", "000042").await;
    b.click(".filters button[type=submit]").await;
    let text = b.body_text().await;
    assert!(
        text.contains(N1) && !text.contains("KV1-2026-000044"),
        "{text}"
    );

    // Open, register, answer.
    b.click(&format!("a[href='/desk/complaints/{N1}']")).await;
    let text = b.body_text().await;
    assert!(
        text.contains("Мария Иванова") && text.contains("<b>Моля за отговор.</b>"),
        "{text}"
    );
    b.screenshot(&dir, "complaint-bg-1366").await;
    b.fill("registry_number", "94-00-12").await;
    b.click("#form-register button").await;
    let text = b.body_text().await;
    assert!(
        text.contains("Записано") && text.contains("94-00-12"),
        "{text}"
    );
    b.click("#form-answer button").await;
    let text = b.body_text().await;
    assert!(text.contains("отговорена"), "{text}");
    b.screenshot(&dir, "complaint-answered-bg-1366").await;

    // The registry copy, downloaded and read back.
    b.click_only(&format!("a[href='/desk/complaints/{N1}/copy.pdf']"))
        .await;
    let pdf = b.downloaded(".pdf").await;
    let copy = pdftotext(&pdf);
    for s in [
        N1,
        "Мария Иванова",
        "94-00-12",
        "Чаках два часа на гише 3.",
        "<b>Моля за отговор.</b>",
    ] {
        assert!(copy.contains(s), "{s} missing from the copy:\n{copy}");
    }

    // English, and the larger screen.
    b.click("a.lang").await;
    let text = b.body_text().await;
    assert!(
        text.contains("Status") && text.contains("answered"),
        "{text}"
    );
    b.screenshot(&dir, "complaint-en-1366").await;
    c.goto(&format!("{}/desk/complaints", desk.url))
        .await
        .unwrap();
    assert!(b.body_text().await.contains("Register of complaints"));
    b.screenshot(&dir, "register-en-1366").await;
    c.set_window_size(1920, 1080).await.unwrap();
    b.screenshot(&dir, "register-en-1920").await;
    b.click("a.lang").await;
    b.screenshot(&dir, "register-bg-1920").await;
    b.close().await;

    // The login page in English, and the viewer's complaint page.
    let b = Browser::start(1366, 768).await;
    b.client
        .goto(&format!("{}/desk/lang/en?back=/desk/login", desk.url))
        .await
        .unwrap();
    assert!(b.body_text().await.contains("Log in"));
    b.screenshot(&dir, "login-en-1366").await;
    b.fill("name", "viewer").await;
    b.fill("password", PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.client
        .goto(&format!("{}/desk/complaints/{N1}", desk.url))
        .await
        .unwrap();
    let text = b.body_text().await;
    assert!(
        !text.contains("Мария") && text.contains("clerks only"),
        "{text}"
    );
    b.screenshot(&dir, "complaint-viewer-en-1366").await;
    b.close().await;

    // And the admin's audit trail.
    let b = Browser::start(1366, 768).await;
    b.client
        .goto(&format!("{}/desk/login", desk.url))
        .await
        .unwrap();
    b.fill("name", "admin").await;
    b.fill("password", PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.client
        .goto(&format!("{}/desk/audit", desk.url))
        .await
        .unwrap();
    let text = b.body_text().await;
    assert!(
        text.contains("complaint.answered") && text.contains("complaint.copy"),
        "{text}"
    );
    b.screenshot(&dir, "audit-bg-1366").await;
    b.client
        .goto(&format!("{}/desk/users", desk.url))
        .await
        .unwrap();
    b.screenshot(&dir, "users-bg-1366").await;
    b.close().await;
}
