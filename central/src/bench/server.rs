//! The real `kiosk-central serve`, started from this same executable as a
//! child process on a loopback port, so that its peak memory is its own
//! and not the load generator's.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

/// A running server; killed when dropped.
pub struct ChildServer {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl ChildServer {
    /// Starts `kiosk-central serve --config CONFIG` and waits until it
    /// answers on `addr` (what the config's `[server] listen` says).
    pub async fn start(config: &Path, addr: String) -> anyhow::Result<ChildServer> {
        let exe = std::env::current_exe().context("cannot find this executable")?;
        let child = Command::new(exe)
            .arg("serve")
            .arg("--config")
            .arg(config)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start kiosk-central serve")?;
        let mut server = ChildServer { child, addr };
        for _ in 0..600 {
            if tokio::net::TcpStream::connect(&server.addr).await.is_ok() {
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("kiosk-central serve ended at start ({status})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!(
            "kiosk-central serve did not listen on {} within 60 s",
            server.addr
        )
    }

    /// The server's peak resident memory so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .context("cannot read the server's /proc status")?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmHWM in the server's /proc status")
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
