//! The kiosk binary as the IT contractor runs it in the tests: the shipped
//! kiosk.toml, pointed at a test folder (database, token) and a loopback
//! central system.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use super::central::TOKEN;

/// `kiosk --config <shipped kiosk.toml>` with the database and the token in
/// `dir`, `url` as the central system, two-second timeouts and quiet logs.
/// The database is not made on the way: `create = false`, as installed.
pub fn command(dir: &Path, url: &str) -> Command {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosk"));
    cmd.arg("--config")
        .arg(config)
        .env("KIOSK__CENTRAL__URL", url)
        .env("KIOSK__CENTRAL__TOKEN_FILE", dir.join("central.token"))
        .env("KIOSK__CENTRAL__REQUEST_TIMEOUT_SECS", "2")
        .env("KIOSK__CENTRAL__CONNECT_TIMEOUT_SECS", "2")
        .env("KIOSK__STORAGE__DATABASE", dir.join("kiosk.db"))
        .env("KIOSK__STORAGE__CREATE", "false")
        .env("KIOSK_LOG", "warn");
    cmd
}

/// Runs `kiosk ARGS` (see [`command`]).
pub fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    command(dir, url)
        .args(args)
        .output()
        .expect("cannot run kiosk")
}

/// What a run printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Writes the central system's token into `dir`, readable by its owner only.
pub fn token(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("central.token");
    std::fs::write(&path, TOKEN).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// A kiosk folder as `kiosk init` and `kiosk demo-data` leave it: the
/// token, and a closed database of `ratings` ratings and `complaints`
/// numbered complaints.
pub fn with_records(dir: &Path, ratings: u32, complaints: u32) {
    token(dir);
    let made = run(dir, "", &["init"]);
    assert!(made.status.success(), "{}", text(&made));
    let (r, c) = (ratings.to_string(), complaints.to_string());
    let demo = run(dir, "", &["demo-data", "--ratings", &r, "--complaints", &c]);
    assert!(demo.status.success(), "{}", text(&demo));
}

/// The names in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `kiosk run` (see [`command`]) with its log read line by line as it
/// writes it; killed when dropped.
pub struct Running {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    reader: Option<std::thread::JoinHandle<()>>,
    said: String,
}

impl Running {
    /// Starts `kiosk run` in `dir` logging at `log` (KIOSK_LOG).
    pub fn start(dir: &Path, log: &str) -> Running {
        use std::io::{BufRead, BufReader};
        let mut child = command(dir, "")
            .arg("run")
            .env("KIOSK_LOG", log)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("cannot run kiosk");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Running {
            child,
            lines,
            reader: Some(reader),
            said: String::new(),
        }
    }

    /// Waits until a line holding `what` is logged: false when `bound`
    /// passes or the kiosk ends first.
    pub fn wait_for(&mut self, what: &str, bound: std::time::Duration) -> bool {
        use std::sync::mpsc::RecvTimeoutError;
        let start = std::time::Instant::now();
        while start.elapsed() < bound {
            match self
                .lines
                .recv_timeout(std::time::Duration::from_millis(100))
            {
                Ok(line) => {
                    self.said.push_str(&line);
                    self.said.push('\n');
                    if line.contains(what) {
                        return true;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return false,
            }
        }
        false
    }

    /// Whether the kiosk still runs.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// What it has logged so far.
    pub fn said(&self) -> &str {
        &self.said
    }

    /// Sends it `signal`.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill has no memory preconditions; the child is ours and
        // not yet waited for.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    /// Waits (up to `bound`, then kills it) for it to end by itself; its
    /// exit status and everything it logged.
    pub fn ended(mut self, bound: std::time::Duration) -> (std::process::ExitStatus, String) {
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > bound {
                let _ = self.child.kill();
                break self.child.wait().unwrap();
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let said = self.stop();
        (status, said)
    }

    /// Kills it; everything it logged.
    pub fn stop(mut self) -> String {
        self.end();
        self.said.extend(self.lines.try_iter().map(|l| l + "\n"));
        std::mem::take(&mut self.said)
    }

    fn end(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.end();
    }
}
