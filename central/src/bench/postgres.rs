//! A throw-away PostgreSQL server: Debian's `postgresql` binaries
//! (/usr/lib/postgresql/N/bin, the newest N), a cluster in a temporary
//! directory, listening on a free loopback port only.
//!
//! initdb refuses to run as root: as root the cluster belongs to `nobody`
//! and both initdb and the server run as `nobody` (`setpriv`). Dropping
//! the value stops the server (immediate shutdown, nothing in it is worth keeping)
//! and removes the directory. Durability settings are PostgreSQL's
//! defaults (fsync and synchronous_commit on), so that figures measured
//! against it are those of a real installation.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// `nobody:nogroup` on Debian.
const NOBODY: u32 = 65534;

/// A running scratch server.
pub struct ScratchPostgres {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl ScratchPostgres {
    /// Makes a cluster and starts it; returns once it accepts connections.
    pub async fn start() -> anyhow::Result<ScratchPostgres> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new()
            .prefix("kiosk-central-bench-pg-")
            .tempdir()
            .context("cannot make a temporary directory for PostgreSQL")?;
        if is_root() {
            std::os::unix::fs::chown(dir.path(), Some(NOBODY), Some(NOBODY))
                .context("cannot give the PostgreSQL directory to nobody")?;
        }
        let data = dir.path().join("data");
        let out = as_server_user(&bin.join("initdb"))
            .current_dir(dir.path())
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "-D"])
            .arg(&data)
            .output()
            .context("cannot run initdb")?;
        if !out.status.success() {
            bail!(
                "initdb failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let port = super::server::free_port()?;
        let log = std::fs::File::create(dir.path().join("server.log"))?;
        let child = as_server_user(&bin.join("postgres"))
            .current_dir(dir.path())
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.path().display()))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("cannot start postgres")?;
        let server = ScratchPostgres { child, dir, port };
        server.wait_ready().await?;
        Ok(server)
    }

    /// The URL of a database made for the caller.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/bench", self.port)
    }

    /// Waits until logins succeed, then makes the `bench` database.
    async fn wait_ready(&self) -> anyhow::Result<()> {
        sqlx::any::install_default_drivers();
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let made = async {
                let pool = sqlx::any::AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(&admin)
                    .await?;
                sqlx::query("CREATE DATABASE bench").execute(&pool).await?;
                pool.close().await;
                Ok::<(), sqlx::Error>(())
            }
            .await;
            match made {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() > deadline => {
                    let log = std::fs::read_to_string(self.dir.path().join("server.log"))
                        .unwrap_or_default();
                    bail!("PostgreSQL did not start within 60 s ({e}): {log}");
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        // SIGQUIT is PostgreSQL's immediate shutdown: the server ends its
        // workers, then itself. SIGKILL would leave the workers behind.
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: kill has no memory preconditions; pid is our own child,
        // not yet waited for, so it cannot have been reused.
        if unsafe { libc::kill(pid, libc::SIGQUIT) } != 0 {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// The newest /usr/lib/postgresql/N/bin with a `postgres` in it (also
/// where the tests find their PostgreSQL).
pub fn bin_dir() -> anyhow::Result<PathBuf> {
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").is_file().then_some((version, bin))
        })
        .max();
    match newest {
        Some((_, bin)) => Ok(bin),
        None => bail!(
            "no PostgreSQL server under /usr/lib/postgresql/*/bin: install Debian's postgresql package (apt-get install -y postgresql; .ci/run installs it)"
        ),
    }
}

/// Whether this process runs as root (initdb then refuses).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// `program`, run as `nobody` when we are root; told to stop when the
/// thread that starts it ends (`--pdeathsig`). The signal is SIGQUIT,
/// PostgreSQL's immediate shutdown: the server then ends its own workers.
/// SIGKILL ended the server alone and left its background writer behind.
pub fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--pdeathsig=QUIT",
            "--",
        ])
        .arg(program);
        c
    } else {
        Command::new(program)
    }
}
