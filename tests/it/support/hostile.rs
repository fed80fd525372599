//! A central system on 127.0.0.1 that misbehaves on purpose, byte by byte.
//!
//! Unlike `central.rs`, which speaks the contract and injects faults into
//! it, this one speaks raw TCP: each connection reads one request head (at
//! most 64 KiB) and its body (Content-Length only, at most 16 MiB), then
//! answers as the [`Behaviour`] says, to every path alike. Writers that
//! never end stop when the kiosk hangs up (a write fails) or the server is
//! dropped. It counts requests per path.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the server answers every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// This status with this body (Content-Length), e.g. 404 with a proxy page.
    Status(u16, String),
    /// 200 with a chunked body that never ends.
    EndlessChunked,
    /// 200 announcing a 1 GiB body, then sending it as fast as it goes.
    GigabyteBody,
    /// 200 whose headers never end: one more header line, quickly, forever.
    EndlessHeaders,
    /// The status line, then one byte of headers every 100 ms.
    SlowHeaders,
    /// 200 with a 100-byte body sent one byte every 100 ms.
    SlowBody,
    /// A redirect (301, 302, 307, 308) to this place.
    Redirect(u16, String),
    /// The request is read, then the connection is reset.
    Reset,
    /// Not HTTP at all.
    Garbage,
}

struct Shared {
    behaviour: Mutex<Behaviour>,
    requests: Mutex<HashMap<String, u64>>,
    stop: AtomicBool,
}

/// A running hostile server; stops when dropped.
pub struct Hostile {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Hostile {
    pub fn start(behaviour: Behaviour) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            behaviour: Mutex::new(behaviour),
            requests: Mutex::new(HashMap::new()),
            stop: AtomicBool::new(false),
        });
        let inner = shared.clone();
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(300);
            while !inner.stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((socket, _)) => {
                        let inner = inner.clone();
                        std::thread::spawn(move || serve(socket, &inner));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Hostile {
            addr,
            shared,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    /// Requests seen for paths starting with `prefix`.
    pub fn requests(&self, prefix: &str) -> u64 {
        self.shared
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(mut socket: TcpStream, shared: &Shared) {
    let _ = socket.set_nonblocking(false);
    let _ = socket.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = socket.set_write_timeout(Some(Duration::from_secs(10)));
    while !shared.stop.load(Ordering::Relaxed) {
        let Some(path) = read_request(&mut socket) else {
            return;
        };
        *shared.requests.lock().unwrap().entry(path).or_insert(0) += 1;
        let behaviour = shared.behaviour.lock().unwrap().clone();
        if !answer(&mut socket, &behaviour, shared) {
            return;
        }
    }
}

/// Reads one request; returns its path.
fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = socket.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let path = head.split(' ').nth(1)?.to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0)
        .min(16 << 20);
    let mut have = buf.len() - head_end;
    while have < length {
        let n = socket.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        have += n;
    }
    Some(path)
}

/// Answers one request; returns whether the connection may carry another.
fn answer(socket: &mut TcpStream, behaviour: &Behaviour, shared: &Shared) -> bool {
    let stopped = || shared.stop.load(Ordering::Relaxed);
    match behaviour {
        Behaviour::Status(code, body) => {
            let head = format!(
                "HTTP/1.1 {code} Whatever\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            socket.write_all(head.as_bytes()).is_ok() && socket.write_all(body.as_bytes()).is_ok()
        }
        Behaviour::EndlessChunked => {
            if socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .is_err()
            {
                return false;
            }
            let piece = format!("4000\r\n{}\r\n", "a".repeat(0x4000));
            while !stopped() && socket.write_all(piece.as_bytes()).is_ok() {}
            false
        }
        Behaviour::GigabyteBody => {
            if socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n")
                .is_err()
            {
                return false;
            }
            let piece = vec![b'['; 64 * 1024];
            let mut sent = 0usize;
            while !stopped() && sent < (1 << 30) && socket.write_all(&piece).is_ok() {
                sent += piece.len();
            }
            false
        }
        Behaviour::EndlessHeaders => {
            if socket.write_all(b"HTTP/1.1 200 OK\r\n").is_err() {
                return false;
            }
            let line = format!("X-Padding: {}\r\n", "p".repeat(1000));
            while !stopped() && socket.write_all(line.as_bytes()).is_ok() {}
            false
        }
        Behaviour::SlowHeaders => {
            if socket.write_all(b"HTTP/1.1 200 OK\r\n").is_err() {
                return false;
            }
            for b in b"X-Slow: ".iter().cycle() {
                if stopped() || socket.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            false
        }
        Behaviour::SlowBody => {
            if socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
                .is_err()
            {
                return false;
            }
            for _ in 0..100 {
                if stopped() || socket.write_all(b" ").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            false
        }
        Behaviour::Redirect(code, to) => {
            let head =
                format!("HTTP/1.1 {code} Moved\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n");
            socket.write_all(head.as_bytes()).is_ok()
        }
        Behaviour::Reset => {
            reset(socket);
            false
        }
        Behaviour::Garbage => {
            let _ = socket.write_all(b"\x00\xff\xfeSSH-2.0-nonsense\r\n\r\n");
            false
        }
    }
}

/// Closes with a TCP reset: a zero linger makes the close send RST.
fn reset(socket: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket we own and a correctly sized option value.
    unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// A child process's peak memory and how long it ran.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub status: Option<i32>,
    /// The peak resident set in KiB: the last `VmHWM` read from
    /// `/proc/PID/status` (read every 2 ms). Not the kernel's `ru_maxrss`:
    /// that also counts the test process's own memory, which the child
    /// shares between fork and exec.
    pub peak_kib: u64,
    pub elapsed: Duration,
    /// Killed because it ran past the bound.
    pub killed: bool,
}

/// Runs `cmd` (stdout and stderr captured), watching its `VmHWM`; kills it
/// after `bound`. Returns what it printed and the measurement.
// The child is reaped with waitpid here, not through `Child`.
#[allow(clippy::zombie_processes)]
pub fn run_measured(cmd: &mut std::process::Command, bound: Duration) -> (String, Measured) {
    use std::process::Stdio;
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the child");
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = out.read_to_end(&mut text);
        let mut e = Vec::new();
        let _ = err.read_to_end(&mut e);
        text.extend_from_slice(&e);
        String::from_utf8_lossy(&text).into_owned()
    });
    let mut hwm = 0;
    let mut killed = false;
    let status = loop {
        if let Some(kib) = vm_hwm(pid) {
            hwm = hwm.max(kib);
        }
        let mut status = 0;
        // SAFETY: reaping our own child with a valid out-pointer.
        let rc = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if rc == pid {
            break libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
        }
        if start.elapsed() > bound && !killed {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let text = reader.join().unwrap();
    (
        text,
        Measured {
            status,
            peak_kib: hwm,
            elapsed: start.elapsed(),
            killed,
        },
    )
}

/// `VmHWM` of process `pid` in KiB, while it runs.
pub fn vm_hwm(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
