//! A fake network printer on 127.0.0.1 for the transport tests.
//!
//! Every loop is bounded: the printer thread gives up after a few seconds
//! whatever the client does, and stops early when the fake is dropped.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the fake printer behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Answers every status request "ready" and takes every byte.
    Accepts,
    /// Answers every status request with "paper out".
    PaperOut,
    /// Answers the first three status requests "ready", then reads nothing.
    StopsReading,
    /// Nobody listens on the port: connections are refused.
    Refuses,
    /// Takes every connection and every byte and never answers anything:
    /// a printer hung in the middle of a job.
    Silent,
    /// Reads every byte and never answers a status request: a printer (or
    /// a print server) without status, or one that lost the job inside.
    NoStatus,
    /// Answers the first status request "ready" only after this long
    /// (past the kiosk's timeout), reads every byte after it, and never
    /// answers again: the late answer must not confirm the slip.
    AnswersFirstLate(Duration),
    /// Reads this many bytes, then closes the connection.
    ClosesAfter(usize),
    /// Reads this many bytes, then resets the connection.
    ResetsAfter(usize),
}

/// A running fake printer.
pub struct FakePrinter {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Vec<u8>>>,
}

/// The longest the printer thread lives.
const LIFETIME: Duration = Duration::from_secs(10);
/// The longest a silent printer holds its connections: the test drives a
/// whole form before the first one, however busy the machine.
const SILENT_LIFETIME: Duration = Duration::from_secs(180);

impl FakePrinter {
    pub fn start(behaviour: Behaviour) -> FakePrinter {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind on loopback");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        if behaviour == Behaviour::Refuses {
            drop(listener);
            return FakePrinter {
                port,
                stop,
                thread: None,
            };
        }
        let flag = stop.clone();
        let thread = std::thread::spawn(move || serve(listener, behaviour, &flag));
        FakePrinter {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// Waits for the client to hang up (bounded) and returns every byte
    /// the printer read.
    pub fn received(mut self) -> Vec<u8> {
        self.thread
            .take()
            .map(|t| t.join().expect("fake printer thread"))
            .unwrap_or_default()
    }
}

impl Drop for FakePrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(listener: TcpListener, behaviour: Behaviour, stop: &AtomicBool) -> Vec<u8> {
    let started = Instant::now();
    let alive = || !stop.load(Ordering::SeqCst) && started.elapsed() < LIFETIME;
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    if behaviour == Behaviour::Silent {
        // Every connection stays open, unanswered, until the end.
        let mut held = Vec::new();
        while !stop.load(Ordering::SeqCst) && started.elapsed() < SILENT_LIFETIME {
            match listener.accept() {
                Ok((s, _)) => held.push(s),
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        return Vec::new();
    }
    let mut received = Vec::new();
    let mut answered = 0usize;
    while alive() {
        let mut stream: TcpStream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            Err(_) => return received,
        };
        stream.set_nonblocking(false).expect("blocking stream");
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("read timeout");
        let mut buf = [0u8; 4096];
        let mut scanned = received.len();
        while alive() {
            if let Behaviour::ClosesAfter(n) | Behaviour::ResetsAfter(n) = behaviour
                && received.len() >= n
            {
                if matches!(behaviour, Behaviour::ResetsAfter(_)) {
                    reset_on_close(&stream);
                }
                return received;
            }
            if behaviour == Behaviour::StopsReading && answered >= 3 {
                // Hold the connection open and read nothing.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            let want = match behaviour {
                Behaviour::ClosesAfter(n) | Behaviour::ResetsAfter(n) => {
                    (n - received.len()).min(buf.len())
                }
                _ => buf.len(),
            };
            match stream.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    continue;
                }
                Err(_) => break,
            }
            // Answer each complete DLE EOT n.
            while behaviour != Behaviour::NoStatus && scanned + 3 <= received.len() {
                if received[scanned] == 0x10 && received[scanned + 1] == 0x04 {
                    let n = received[scanned + 2];
                    if let Behaviour::AnswersFirstLate(late) = behaviour {
                        if answered == 0 {
                            std::thread::sleep(late);
                            let _ = stream.write_all(&[0x12]);
                        }
                        answered += 1;
                        scanned += 3;
                        continue;
                    }
                    let answer = match (behaviour, n) {
                        (Behaviour::PaperOut, 1) => 0x1A,
                        (Behaviour::PaperOut, 2) => 0x32,
                        (Behaviour::PaperOut, _) => 0x72,
                        _ => 0x12,
                    };
                    let _ = stream.write_all(&[answer]);
                    answered += 1;
                    scanned += 3;
                } else {
                    scanned += 1;
                }
            }
        }
        // One connection per job; the tests print one job at a time.
        if behaviour != Behaviour::Accepts {
            return received;
        }
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        return received;
    }
    received
}

/// SO_LINGER with a zero timeout: closing sends RST instead of FIN.
fn reset_on_close(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a valid `linger` of the size given.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw const linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}
