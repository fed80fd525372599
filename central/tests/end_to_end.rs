//! The real `kiosk` binary against the real `kiosk-central serve`, and the
//! server killed with SIGKILL during intake.
//!
//! The kiosk binary is the one `cargo test --workspace` builds into the
//! same target directory; these tests fail, naming the command, when it is
//! not there.

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use kiosk_central::db::Backend;
use serde_json::Value;
use support::*;

/// The kiosk binary beside this test's executable (target/debug/kiosk).
fn kiosk_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("kiosk"))
        .unwrap();
    assert!(
        bin.is_file(),
        "the kiosk binary is not at {}: build it first with `cargo build -p kiosk` (`cargo test --workspace` does)",
        bin.display()
    );
    bin
}

/// `kiosk --config <shipped kiosk.toml> ARGS` with its database and token
/// in `dir` and `url` as the central system.
fn kiosk(dir: &Path, url: &str, args: &[&str]) -> Output {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kiosk.toml");
    Command::new(kiosk_bin())
        .arg("--config")
        .arg(config)
        .args(args)
        .env("KIOSK__CENTRAL__URL", url)
        .env("KIOSK__CENTRAL__TOKEN_FILE", dir.join("central.token"))
        .env("KIOSK__CENTRAL__REQUEST_TIMEOUT_SECS", "10")
        .env("KIOSK__STORAGE__DATABASE", dir.join("kiosk.db"))
        .env("KIOSK_LOG", "warn")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(o: Output) -> String {
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    t
}

/// The highest numbers the server holds, as the kiosk reads them.
async fn highest(url: &str, token: &str) -> serde_json::Map<String, Value> {
    let u: Value = reqwest::Client::new()
        .get(format!("{url}/v1/kiosks/{KIOSK_1}/updates"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    u["highest_numbers"].as_object().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_kiosk_delivers_gets_answers_and_numbers_above_the_server() {
    let central = tempfile::tempdir().unwrap();
    let config = write_config(
        central.path(),
        &format!("sqlite:{}", central.path().join("central.db").display()),
        "",
    );
    let (added, token, err) = central_cli(&config, &["kiosk", "add", KIOSK_1, "--as", "test"]);
    assert!(added, "{err}");
    let token = token.trim().to_string();
    let server = ServerProcess::start(&config);
    let url = server.url.clone();

    let kdir = tempfile::tempdir().unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let file = kdir.path().join("central.token");
        std::fs::write(&file, &token).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    ok(kiosk(kdir.path(), &url, &["init"]));
    ok(kiosk(
        kdir.path(),
        &url,
        &["demo-data", "--ratings", "30", "--complaints", "5"],
    ));
    let sent = ok(kiosk(kdir.path(), &url, &["sync", "--once"]));
    assert!(sent.contains("35 delivered"), "{sent}");
    assert!(sent.contains("0 pending"), "{sent}");
    // An old copy of the kiosk's database, from before the next records.
    let old = kdir.path().join("kiosk-old.db");
    std::fs::copy(kdir.path().join("kiosk.db"), &old).unwrap();

    // The desk answers one complaint; the kiosk's next sync keeps it.
    let held = highest(&url, &token).await;
    let (key, top) = held
        .iter()
        .next()
        .expect("the server holds the kiosk's numbers");
    assert_eq!(top.as_u64(), Some(5), "{held:?}");
    let number = format!("{key}-000001");
    let (answered, out, err) = central_cli(
        &config,
        &["complaint", "answer", &number, "--as", "Мария Иванова"],
    );
    assert!(answered, "{out}{err}");
    let synced = ok(kiosk(kdir.path(), &url, &["sync", "--once"]));
    assert!(
        synced.contains("1 answers to complaints from the central system kept"),
        "{synced}"
    );
    let kiosk_db = kiosk_central::db::connect(
        &format!("sqlite:{}", kdir.path().join("kiosk.db").display()),
        1,
    )
    .await
    .unwrap();
    let kept: (String, String) = sqlx::query_as("SELECT number, status FROM central_answers")
        .fetch_one(&kiosk_db)
        .await
        .unwrap();
    assert_eq!(kept, (number.clone(), "answered".to_string()));
    kiosk_db.close().await;

    // More complaints reach the server; then the kiosk's database is
    // replaced by the old copy. It must number above what the server holds.
    ok(kiosk(
        kdir.path(),
        &url,
        &["demo-data", "--ratings", "0", "--complaints", "4"],
    ));
    ok(kiosk(kdir.path(), &url, &["sync", "--once"]));
    assert_eq!(highest(&url, &token).await[key].as_u64(), Some(9));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(kdir.path().join(format!("kiosk.db{suffix}")));
    }
    std::fs::copy(&old, kdir.path().join("kiosk.db")).unwrap();
    let raised = ok(kiosk(kdir.path(), &url, &["sync", "--once"]));
    assert!(raised.contains("new numbers continue above it"), "{raised}");
    ok(kiosk(
        kdir.path(),
        &url,
        &["demo-data", "--ratings", "0", "--complaints", "2"],
    ));
    let after = ok(kiosk(kdir.path(), &url, &["sync", "--once"]));
    assert!(after.contains("0 rejected"), "{after}");
    assert_eq!(
        highest(&url, &token).await[key].as_u64(),
        Some(11),
        "numbered above 9, no reuse"
    );
    let (_, list, _) = central_cli(&config, &["kiosk", "list"]);
    assert!(
        list.contains(KIOSK_1) && list.contains("records 41"),
        "{list}"
    );

    // A consistent copy while the server runs.
    let copy = central.path().join("copy.db");
    let (copied, out, err) = central_cli(&config, &["backup", "--out", copy.to_str().unwrap()]);
    assert!(copied, "{out}{err}");
    let pool = kiosk_central::db::connect(&format!("sqlite:{}", copy.display()), 1)
        .await
        .unwrap();
    let (records,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(records, 41);
    let (again, _, err) = central_cli(&config, &["backup", "--out", copy.to_str().unwrap()]);
    assert!(!again && err.contains("exists already"), "{err}");
}

/// Sends batches of new records until the server dies; returns the ids
/// it acknowledged, and those sent without an answer.
async fn send_until_killed(
    url: &str,
    token: &str,
    pending: &mut Vec<Value>,
    next: &mut usize,
    acknowledged: &mut Vec<String>,
) {
    let client = reqwest::Client::new();
    loop {
        while pending.len() < 100 {
            *next += 1;
            let id = new_id();
            pending.push(if next.is_multiple_of(2) {
                rating(&id)
            } else {
                complaint(&id, &format!("KV1-2026-{:06}", *next))
            });
        }
        let sent = client
            .post(format!("{url}/v1/records"))
            .bearer_auth(token)
            .json(&envelope(KIOSK_1, pending))
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        let Ok(answer) = sent else { return };
        if answer.status() != 200 {
            return;
        }
        let Ok(body) = answer.json::<Value>().await else {
            return;
        };
        for (id, status, reason) in results(body) {
            assert!(
                status == "accepted" || status == "duplicate",
                "{id}: {status} {reason:?}"
            );
            acknowledged.push(id.clone());
            pending.retain(|r| r["id"].as_str() != Some(&id));
        }
    }
}

async fn killed_during_intake(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(backend, dir.path()).await;
    let config = write_config(dir.path(), &url, "");
    let (added, token, err) = central_cli(&config, &["kiosk", "add", KIOSK_1, "--as", "test"]);
    assert!(added, "{err}");
    let token = token.trim().to_string();
    let mut pending = Vec::new();
    let mut next = 0;
    let mut acknowledged = Vec::new();
    for round in 0..50u64 {
        let mut server = ServerProcess::start(&config);
        let kill_after = Duration::from_millis(30 + (round * 37) % 250);
        let _ = tokio::time::timeout(
            kill_after,
            send_until_killed(
                &server.url,
                &token,
                &mut pending,
                &mut next,
                &mut acknowledged,
            ),
        )
        .await;
        // SIGKILL, whatever the server is doing.
        server.kill();
    }
    // The kiosk sends what was never acknowledged again.
    let server = ServerProcess::start(&config);
    let client = reqwest::Client::new();
    let answer = client
        .post(format!("{}/v1/records", server.url))
        .bearer_auth(&token)
        .json(&envelope(KIOSK_1, &pending))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    for (id, status, _) in results(answer.json().await.unwrap()) {
        assert!(status == "accepted" || status == "duplicate");
        acknowledged.push(id);
    }
    acknowledged.sort();
    acknowledged.dedup();
    assert!(
        acknowledged.len() > 100,
        "the rounds took records: {}",
        acknowledged.len()
    );
    let pool = kiosk_central::db::connect(&url, 1).await.unwrap();
    let held: Vec<(String,)> = sqlx::query_as("SELECT record_id FROM records ORDER BY record_id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let held: Vec<String> = held.into_iter().map(|r| r.0).collect();
    assert_eq!(
        held, acknowledged,
        "every acknowledged record held once, nothing else"
    );
    let typed: (i64,) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM ratings) + (SELECT COUNT(*) FROM complaints)")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        typed.0,
        i64::try_from(held.len()).unwrap(),
        "each record with its typed row"
    );
    eprintln!(
        "{backend:?}: {} records acknowledged across 50 kills",
        held.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_intake_loses_no_acknowledged_record_sqlite() {
    killed_during_intake(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_intake_loses_no_acknowledged_record_postgres() {
    killed_during_intake(Backend::Postgres).await;
}
