//! The registry desk's pages over HTTP: rights, sessions, forms, exports.

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use kiosk_central::db::Backend;
use serde_json::json;
use support::{Desk, PASSWORD};

/// Each test against SQLite and against PostgreSQL: `mod name { fn sqlite,
/// fn postgres }`.
macro_rules! both {
    ($(async fn $name:ident($backend:ident: Backend) $body:block)*) => {
        $(mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($backend: Backend) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run(Backend::Postgres).await
            }
        })*
    };
}

const N1: &str = "KV1-2026-000042";
const N2: &str = "KV1-2026-000043";

const PAGES: [&str; 10] = [
    "/desk/complaints",
    "/desk/complaints.csv",
    "/desk/complaints/KV1-2026-000042",
    "/desk/complaints/KV1-2026-000042/copy.pdf",
    "/desk/registered?day=2026-11-23",
    "/desk/audit",
    "/desk/users",
    "/desk/",
    "/desk/satisfaction",
    "/desk/fleet",
];

async fn desk_with_two(backend: Backend) -> Desk {
    let desk = Desk::spawn_on(backend).await;
    desk.deliver(&[
        (N1, json!({})),
        (
            N2,
            json!({"type": "signal", "anonymous": true, "health_safety": true,
                   "name": "", "address": "", "phone": "", "email": "",
                   "flags": ["anonymous_health_safety"], "due_date": null}),
        ),
    ])
    .await;
    desk
}

/// Resident memory of process `pid` now, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .unwrap()
        .trim()
        .trim_end_matches(" kB")
        .parse()
        .unwrap()
}

both! {
async fn every_page_without_a_session_goes_to_the_login(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut nobody = desk.nobody();
    for path in PAGES {
        let p = nobody.get(path).await;
        assert_eq!(p.status, 303, "{path}");
        assert!(p.location.ends_with("/desk/complaints") || p.location == "/desk/login", "{path}: {}", p.location);
        if p.location == "/desk/complaints" {
            assert_eq!(nobody.get(&p.location).await.location, "/desk/login");
        }
    }
    for path in [
        "/desk/complaints/KV1-2026-000042/answer",
        "/desk/logout",
        "/desk/users",
    ] {
        let p = nobody.post_raw(path, &[("csrf", "x")]).await;
        assert_eq!((p.status, p.location.as_str()), (303, "/desk/login"), "{path}");
    }
    // A made-up session cookie opens nothing either.
    nobody.cookies.insert("desk_session".into(), "ab".repeat(32));
    assert_eq!(nobody.get("/desk/complaints").await.location, "/desk/login");
}

async fn a_kiosk_token_opens_no_page(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in PAGES {
        let r = http
            .get(format!("{}{path}", desk.url))
            .bearer_auth(&desk.kiosk_token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{path}");
        let body = r.text().await.unwrap();
        assert!(!body.contains("Мария"), "{path}");
    }
}

async fn a_viewer_gets_no_personal_data_from_any_page_export_or_pdf(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut viewer = desk.login("viewer").await;
    let secrets = ["Мария", "Ковачевци, ул. Първа", "0888123456", "maria@example.bg", "Чаках два часа"];
    for path in PAGES {
        let p = viewer.get(path).await;
        for s in secrets {
            assert!(!p.body.contains(s), "{path} shows {s} to a viewer");
        }
        if path.ends_with(".pdf") || path.starts_with("/desk/registered") {
            assert_eq!(p.status, 403, "{path}");
        }
    }
    let register = viewer.get("/desk/complaints").await;
    assert_eq!(register.status, 200);
    assert!(register.body.contains(N1) && register.body.contains(N2));
    let csv = viewer.get("/desk/complaints.csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains(N1));
    let page = viewer.get(&format!("/desk/complaints/{N1}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("23.12.2026"), "the due date is not personal");
    // And a viewer cannot act.
    let p = viewer
        .post(&format!("/desk/complaints/{N1}/answer"), &[("on", "2026-11-30")])
        .await;
    assert_eq!(p.status, 403);
    assert_eq!(desk.count("SELECT COUNT(*) FROM complaint_events").await, 0);
}

async fn a_form_without_the_csrf_token_is_refused(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut clerk = desk.login("clerk").await;
    let path = format!("/desk/complaints/{N1}/register");
    let form = [("registry_number", "94-00-12"), ("on", "2026-11-24")];
    assert_eq!(clerk.post_raw(&path, &form).await.status, 403);
    let mut wrong = vec![("csrf", "0".repeat(64))];
    wrong.extend(form.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(clerk.post_raw(&path, &wrong).await.status, 403);
    assert_eq!(desk.count("SELECT COUNT(*) FROM complaint_events").await, 0);
    // Logout too needs it.
    assert_eq!(clerk.post_raw("/desk/logout", &[]).await.status, 403);
    // A login form posted from elsewhere (no login cookie) is refused.
    let mut other = desk.nobody();
    let p = other
        .post_raw("/desk/login", &[("csrf", "abc"), ("name", "clerk"), ("password", PASSWORD)])
        .await;
    assert_eq!(p.status, 403);
    // With the token it goes through.
    assert_eq!(clerk.post(&path, &form).await.status, 303);
    assert_eq!(desk.count("SELECT COUNT(*) FROM complaint_events").await, 1);
}

async fn a_complaint_text_with_html_script_and_sql_is_shown_as_text(backend: Backend) {
    let desk = Desk::spawn_on(backend).await;
    let hostile = "<script>alert('x')</script><b>удебелено</b> '; DROP TABLE complaints; -- \"><img src=x onerror=alert(1)>";
    desk.deliver(&[(N1, json!({"text": hostile, "name": "<i>Иван</i>"}))]).await;
    let mut clerk = desk.login("clerk").await;
    let p = clerk.get(&format!("/desk/complaints/{N1}")).await;
    assert_eq!(p.status, 200);
    assert!(!p.body.contains("<script>alert"), "{}", p.body);
    assert!(!p.body.contains("<img src=x"));
    assert!(!p.body.contains("<i>Иван"));
    assert!(p.body.contains("&lt;script&gt;") || p.body.contains("&#60;script&#62;"), "{}", p.body);
    assert!(p.body.contains("DROP TABLE complaints"));
    let search = clerk.get("/desk/complaints?q=%27%3B%20DROP%20TABLE%20complaints%3B--").await;
    assert_eq!(search.status, 200);
    assert_eq!(desk.count("SELECT COUNT(*) FROM complaints").await, 1);
    let pdf = clerk.get(&format!("/desk/complaints/{N1}/copy.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
}

async fn a_thousand_wrong_passwords_lock_the_account_without_memory_growth(backend: Backend) {
    let desk = Desk::spawn_on(backend).await;
    // The real server in a process of its own, so that its memory is its
    // own and not the other tests'.
    let server = desk.server_process();
    let mut attacker = desk.client_for(&server.url);
    attacker.get("/desk/login").await;
    // Each answer brings a new login token in its cookie, as a browser
    // would send back.
    let mut try_once = async |i: usize| {
        let guess = format!("guess-{i}");
        let token = attacker.cookies.get("desk_login").unwrap().clone();
        attacker
            .post_raw("/desk/login", &[("csrf", &token), ("name", "clerk"), ("password", &guess)])
            .await
    };
    for i in 0..100 {
        let p = try_once(i).await;
        assert_eq!(p.status, 401);
    }
    let before = rss_kib(server.pid);
    let mut last = String::new();
    for i in 100..1000 {
        last = try_once(i).await.body;
    }
    let after = rss_kib(server.pid);
    let growth = after.saturating_sub(before);
    println!(
        "kiosk-central RSS {before} KiB after 100 wrong passwords, {after} KiB after 1000 (peak {} KiB)",
        server.peak_rss_kib()
    );
    assert!(growth < 2 * 1024, "RSS grew by {growth} KiB over 900 wrong passwords");
    assert!(last.contains("заключен"), "{last}");
    // Locked: even the right password does not open a session now.
    let mut clerk = desk.nobody();
    let p = clerk.log_in("clerk", PASSWORD).await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("заключен"));
    // The lockout is in the database, and it was audited.
    assert_eq!(
        desk.count("SELECT COUNT(*) FROM users WHERE name = 'clerk' AND locked_until IS NOT NULL").await,
        1
    );
    assert!(desk.count("SELECT COUNT(*) FROM audit WHERE action = 'user.locked'").await >= 1);
    // An admin unlocks it.
    let mut admin = desk.login("admin").await;
    let id: (i64,) = sqlx::query_as("SELECT id FROM users WHERE name = 'clerk'")
        .fetch_one(&desk.pool)
        .await
        .unwrap();
    assert_eq!(admin.post(&format!("/desk/users/{}/unlock", id.0), &[]).await.status, 303);
    assert_eq!(desk.nobody().log_in("clerk", PASSWORD).await.status, 303);
}

async fn a_clerk_registers_and_answers_and_the_kiosk_hears_of_it(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut clerk = desk.login("clerk").await;
    let page = clerk.get(&format!("/desk/complaints/{N1}")).await;
    for s in ["Мария Иванова", "0888123456", "Чаках два часа", "23.12.2026", "работен ден"] {
        assert!(page.body.contains(s), "{s}");
    }
    // An answer before the filing is refused beside its form.
    let p = clerk
        .post(&format!("/desk/complaints/{N1}/answer"), &[("on", "2026-11-01")])
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("преди подаването"), "{}", p.body);
    let p = clerk
        .post(
            &format!("/desk/complaints/{N1}/register"),
            &[("registry_number", "94-00-12"), ("on", "2026-11-24")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let p = clerk
        .post(&format!("/desk/complaints/{N1}/answer"), &[("on", "2026-11-30")])
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = clerk.get(&format!("/desk/complaints/{N1}?done=1")).await;
    assert!(page.body.contains("94-00-12") && page.body.contains("отговорена"));
    // The kiosk's next updates carry both.
    let updates: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/v1/kiosks/{}/updates", desk.url, support::KIOSK))
        .bearer_auth(&desk.kiosk_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = updates["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["registered", "answered"]);
    // Opening personal data and each action are in the audit trail, with the clerk's name.
    let opened = desk
        .count("SELECT COUNT(*) FROM audit WHERE actor = 'clerk' AND action = 'complaint.open'")
        .await;
    assert!(opened >= 2);
    let acted = desk
        .count("SELECT COUNT(*) FROM audit WHERE actor = 'clerk' AND action IN ('complaint.registered', 'complaint.answered')")
        .await;
    assert_eq!(acted, 2);
    // The day's PDF holds it.
    let pdf = clerk.get("/desk/registered?day=2026-11-24").await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
}

async fn the_register_filters_searches_counts_and_exports_for_excel(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut clerk = desk.login("clerk").await;
    let all = clerk.get("/desk/complaints").await;
    assert!(all.body.contains(N1) && all.body.contains(N2));
    let signals = clerk.get("/desk/complaints?type=signal").await;
    assert!(!signals.body.contains(&format!(">{N1}<")) && signals.body.contains(N2));
    let found = clerk.get("/desk/complaints?q=000042").await;
    assert!(found.body.contains(N1) && !found.body.contains(&format!(">{N2}<")));
    let csv = clerk.get("/desk/complaints.csv").await;
    assert!(csv.bytes.starts_with("\u{feff}".as_bytes()), "BOM");
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.body.contains("Мария Иванова") && csv.body.contains("Жалба"));
    let overdue = clerk.get("/desk/complaints?overdue=1").await;
    assert_eq!(overdue.status, 200);
}

async fn only_admins_read_the_audit_trail_and_manage_users(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut clerk = desk.login("clerk").await;
    clerk.get(&format!("/desk/complaints/{N1}")).await;
    assert_eq!(clerk.get("/desk/audit").await.status, 403);
    assert_eq!(clerk.get("/desk/users").await.status, 403);
    let mut admin = desk.login("admin").await;
    let audit = admin.get("/desk/audit").await;
    assert_eq!(audit.status, 200);
    assert!(audit.body.contains("complaint.open") && audit.body.contains(N1));
    // No page edits or deletes the trail: only GET is routed.
    assert_eq!(admin.post("/desk/audit", &[]).await.status, 405);
    // An admin sees no filer's data.
    let page = admin.get(&format!("/desk/complaints/{N1}")).await;
    assert!(!page.body.contains("Мария"));
    let p = admin
        .post("/desk/users", &[("name", "ivan"), ("role", "viewer"), ("password", "dalga-parola")])
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(desk.nobody().log_in("ivan", "dalga-parola").await.status, 303);
}

async fn logout_ends_the_session(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut clerk = desk.login("clerk").await;
    let session = clerk.cookies.get("desk_session").unwrap().clone();
    assert_eq!(clerk.post("/desk/logout", &[]).await.location, "/desk/login");
    let mut replay = desk.nobody();
    replay.cookies.insert("desk_session".into(), session);
    assert_eq!(replay.get("/desk/complaints").await.location, "/desk/login");
    assert_eq!(desk.count("SELECT COUNT(*) FROM sessions").await, 0);
}

async fn pages_speak_english_on_request(backend: Backend) {
    let desk = desk_with_two(backend).await;
    let mut clerk = desk.login("clerk").await;
    let p = clerk.get("/desk/lang/en?back=/desk/complaints").await;
    assert_eq!((p.status, p.location.as_str()), (303, "/desk/complaints"));
    let page = clerk.get("/desk/complaints").await;
    assert!(page.body.contains("Register of complaints"), "{}", page.body);
    assert!(page.body.contains("lang=\"en\""));
    // Only desk pages are a way back.
    let p = clerk.get("/desk/lang/bg?back=https://evil.example/").await;
    assert_eq!(p.location, "/desk/complaints");
}

}

#[test]
fn user_add_reads_the_password_from_standard_input() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("central.toml");
    std::fs::write(&config, "[database]\nurl = \"sqlite:c.db\"\n").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kiosk-central"))
        .args([
            "--config",
            config.to_str().unwrap(),
            "user",
            "add",
            "anna",
            "--role",
            "clerk",
            "--as",
            "test",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"tajna-parola\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("added anna as clerk"));
    let db = std::fs::read(dir.path().join("c.db")).unwrap();
    let db = String::from_utf8_lossy(&db);
    assert!(db.contains("$argon2id$"), "only the hash is kept");
    assert!(!db.contains("tajna-parola"));
}
