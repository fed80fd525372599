//! A PostgreSQL server for the tests: Debian's `postgresql` binaries, one
//! server per test binary run, on a free loopback port, in a directory of
//! its own under the system's temporary directory; a fresh database per
//! test.
//!
//! initdb refuses to run as root, and the tests run as root in CI: then the
//! server runs as `nobody` (through `setpriv`), in a directory given to
//! it. The server is started from a thread that lives as long as the test
//! process and gets SIGQUIT (immediate shutdown, which ends its workers
//! too) when that thread ends (`--pdeathsig`), so no server outlives its
//! tests; directories of servers whose test process is
//! gone are removed at the next start. Missing binaries make the tests
//! fail with the package to install, never skip.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;

// One home for finding and running Debian's PostgreSQL, shared with
// `kiosk-central bench intake --database postgres`.
use kiosk_central::bench::postgres::{as_server_user, bin_dir, is_root};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The URL of the server's maintenance database.
static SERVER: OnceLock<Result<String, String>> = OnceLock::new();

const DIR_PREFIX: &str = "kiosk-central-pg-";

/// The server's directory, removed when the test process exits.
static DIR: OnceLock<PathBuf> = OnceLock::new();

extern "C" fn remove_dir_at_exit() {
    if let Some(dir) = DIR.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(DIR_PREFIX))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start() -> Result<String, String> {
    let bin = bin_dir().map_err(|e| e.to_string())?;
    remove_stale_dirs();
    let dir = std::env::temp_dir().join(format!("{DIR_PREFIX}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    if is_root() {
        // nobody:nogroup
        std::os::unix::fs::chown(&dir, Some(65534), Some(65534))
            .map_err(|e| format!("cannot give {} to nobody: {e}", dir.display()))?;
    }
    if DIR.set(dir.clone()).is_ok() {
        // SAFETY: registers a plain function with no arguments to run at exit.
        unsafe {
            libc::atexit(remove_dir_at_exit);
        }
    }
    let data = dir.join("data");
    let out = as_server_user(&bin.join("initdb"))
        .current_dir(&dir)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "-D",
        ])
        .arg(&data)
        .output()
        .map_err(|e| format!("cannot run initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let port = free_port();
    let postgres = bin.join("postgres");
    let (tx, rx) = std::sync::mpsc::channel();
    let dir2 = dir.clone();
    // The thread that starts the server never ends before the process:
    // the server's --pdeathsig follows this thread, not the process.
    std::thread::spawn(move || {
        let log = std::fs::File::create(dir2.join("server.log")).ok();
        let child = as_server_user(&postgres)
            .current_dir(&dir2)
            .arg("-D")
            .arg(dir2.join("data"))
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir2.display()))
            .args([
                "-c",
                "fsync=off",
                "-c",
                "max_connections=300",
                "-c",
                "shared_buffers=32MB",
            ])
            .stdout(Stdio::null())
            .stderr(log.map_or(Stdio::null(), Stdio::from))
            .spawn();
        let _ = tx.send(child.map(|_| ()).map_err(|e| e.to_string()));
        loop {
            std::thread::park();
        }
    });
    rx.recv()
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot start postgres: {e}"))?;
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            // Accepting TCP is not yet accepting logins; the first
            // database made below retries.
            return Ok(url);
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            return Err(format!("postgres did not start within 60 s: {log}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A fresh, empty database on the shared server; its URL.
pub async fn fresh_database() -> String {
    let server = SERVER
        .get_or_init(start)
        .as_ref()
        .unwrap_or_else(|e| panic!("{e}"))
        .clone();
    sqlx::any::install_default_drivers();
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let made = async {
            let pool = sqlx::any::AnyPoolOptions::new()
                .max_connections(1)
                .connect(&server)
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await?;
            pool.close().await;
            Ok::<(), sqlx::Error>(())
        }
        .await;
        match made {
            Ok(()) => break,
            Err(e) if Instant::now() > deadline => panic!("cannot make a test database: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let base = server
        .rsplit_once('/')
        .map_or(server.as_str(), |(base, _)| base);
    format!("{base}/{name}")
}
