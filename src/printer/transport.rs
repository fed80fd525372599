//! Where the bytes go: a file, a character device, a network printer or
//! standard output, as `[printer] transport` says.
//!
//! Invariant: no call waits longer than the configured timeout for one
//! write or one status answer. TCP uses the socket's own timeouts; device
//! files are opened non-blocking and waited on with `poll(2)`, because a
//! blocking write to /dev/usb/lp0 of a printer that is off can hang forever.
//!
//! Status answers are bounded too: before each `DLE EOT n` the bytes the
//! printer sent unasked are drained, at most [`MAX_STALE_BYTES`] of them
//! without waiting; a printer that keeps talking past that (automatic
//! status back, a babbling device) is reported as status unknown, and
//! each answer is one byte read within the timeout. USB reads one packet
//! per request and keeps its first byte.
//!
//! `DLE EOT` answers carry nothing that says which request they answer.
//! Over TCP a request that timed out is still owed its answer, which may
//! come late, after the next request: the next answer read is then the
//! owed one. So the network transport counts the requests still owed and
//! takes the answer to a request only as the byte after all owed ones.
//! A late answer drained as stale before a request is not counted off:
//! the status after the cut then times out and the slip is "sent, not
//! confirmed", never "printed" on the strength of an old answer.
//!
//! Two waits are outside that bound: resolving a host *name* for `tcp:`
//! (the system resolver has no timeout in std; give the printer's IP
//! address), and `file:` / `stdout`, which are for development only.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::PrinterError;
use super::status::{PrinterStatus, interpret, request};
use crate::config::PrinterTransport;

/// The most unasked bytes drained before a status request.
pub const MAX_STALE_BYTES: usize = 256;

/// Reads and drops what `read` has ready without waiting; `false` when
/// more than [`MAX_STALE_BYTES`] keep coming.
fn drain_stale(mut read: impl FnMut(&mut [u8]) -> std::io::Result<usize>) -> bool {
    let mut buf = [0u8; 64];
    let mut drained = 0;
    while drained <= MAX_STALE_BYTES {
        match read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => drained += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
    false
}

/// A connection to the printer.
pub trait Transport: Send {
    /// Sends all of `bytes`, or fails within the timeout.
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError>;

    /// The answer to one `DLE EOT n`, `None` if this transport cannot read or
    /// the printer did not answer in time.
    fn query(&mut self, n: u8) -> Result<Option<u8>, PrinterError>;

    /// Whether `query` can ever answer.
    fn can_read(&self) -> bool;

    /// Whether a finished `write_all` means the printer has the bytes: a
    /// file, or a USB device whose transfers the device acknowledged. A
    /// network socket only hands them to the kernel: there, only the
    /// printer's status after the cut confirms the slip.
    fn write_is_delivery(&self) -> bool {
        true
    }

    /// The printer's status: `Unknown` where the transport cannot read.
    fn status(&mut self) -> Result<PrinterStatus, PrinterError> {
        if !self.can_read() {
            return Ok(PrinterStatus::Unknown);
        }
        let printer = self.query(1)?;
        // A printer silent to the first request is silent to all: do not
        // make the visitor wait three timeouts for it.
        if printer.is_none() {
            return Ok(PrinterStatus::Unknown);
        }
        let cause = self.query(2)?;
        let paper = self.query(4)?;
        Ok(interpret(printer, cause, paper))
    }
}

/// Opens the configured transport. Relative file paths are taken as given
/// (config loading has already made them absolute).
pub fn open(spec: &PrinterTransport, timeout_ms: u32) -> Result<Box<dyn Transport>, PrinterError> {
    let timeout = Duration::from_millis(u64::from(timeout_ms.max(1)));
    match spec {
        PrinterTransport::File(path) => Ok(Box::new(FileTransport { path: path.clone() })),
        PrinterTransport::Device(path) => Ok(Box::new(DeviceTransport::open(path, timeout)?)),
        PrinterTransport::Tcp { host, port } => {
            Ok(Box::new(TcpTransport::connect(host, *port, timeout)?))
        }
        PrinterTransport::Usb { vendor, product } => Ok(Box::new(super::usb::UsbTransport::open(
            *vendor, *product, timeout,
        )?)),
        PrinterTransport::Stdout => Ok(Box::new(StdoutTransport)),
    }
}

/// Appends every job to a file (development, and the set-up of a new kiosk).
struct FileTransport {
    path: PathBuf,
}

impl Transport for FileTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        let io = |source| PrinterError::Io {
            target: format!("file:{}", self.path.display()),
            source,
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.flush().map_err(io)
    }
    fn query(&mut self, _n: u8) -> Result<Option<u8>, PrinterError> {
        Ok(None)
    }
    fn can_read(&self) -> bool {
        false
    }
}

struct StdoutTransport;

impl Transport for StdoutTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(|source| PrinterError::Io {
                target: "stdout".into(),
                source,
            })
    }
    fn query(&mut self, _n: u8) -> Result<Option<u8>, PrinterError> {
        Ok(None)
    }
    fn can_read(&self) -> bool {
        false
    }
}

/// A network printer on its raw port (9100).
pub struct TcpTransport {
    stream: TcpStream,
    target: String,
    timeout: Duration,
    /// Requests sent whose answers have not been read yet (see the module).
    owed: usize,
}

impl TcpTransport {
    /// Connects within `timeout` to the first address of `host` that answers.
    pub fn connect(host: &str, port: u16, timeout: Duration) -> Result<Self, PrinterError> {
        let target = format!("tcp:{host}:{port}");
        let unreachable = |source| PrinterError::Unreachable {
            target: target.clone(),
            source,
        };
        let addrs = (host, port).to_socket_addrs().map_err(unreachable)?;
        let mut last = std::io::Error::new(ErrorKind::NotFound, "the host name has no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(stream) => {
                    stream
                        .set_write_timeout(Some(timeout))
                        .and_then(|()| stream.set_read_timeout(Some(timeout)))
                        .and_then(|()| stream.set_nodelay(true))
                        .map_err(unreachable)?;
                    return Ok(TcpTransport {
                        stream,
                        target,
                        timeout,
                        owed: 0,
                    });
                }
                Err(e) => last = e,
            }
        }
        Err(unreachable(last))
    }

    fn timeout_err(&self, doing: &'static str) -> PrinterError {
        PrinterError::Timeout {
            target: self.target.clone(),
            doing,
            timeout_ms: u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX),
        }
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

impl Transport for TcpTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        match self
            .stream
            .write_all(bytes)
            .and_then(|()| self.stream.flush())
        {
            Ok(()) => Ok(()),
            Err(e) if is_timeout(&e) => Err(self.timeout_err("sending the receipt")),
            Err(source) => Err(PrinterError::Io {
                target: self.target.clone(),
                source,
            }),
        }
    }

    fn query(&mut self, n: u8) -> Result<Option<u8>, PrinterError> {
        let quiet = self.stream.set_nonblocking(true).is_ok() && {
            let stream = &mut self.stream;
            drain_stale(|b| stream.read(b))
        };
        let _ = self.stream.set_nonblocking(false);
        if !quiet {
            return Ok(None);
        }
        self.write_all(&request(n))?;
        // This request's answer is the byte after those still owed, all
        // within one timeout.
        let wanted = self.owed + 1;
        let deadline = Instant::now() + self.timeout;
        let mut buf = [0u8; 1];
        let mut got = 0;
        let read = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if got == wanted || left.is_zero() {
                break Ok(());
            }
            if let Err(source) = self.stream.set_read_timeout(Some(left)) {
                break Err(source);
            }
            match self.stream.read(&mut buf) {
                Ok(1) => got += 1,
                // The printer closed the connection: it will not print either.
                Ok(_) => {
                    break Err(std::io::Error::new(
                        ErrorKind::UnexpectedEof,
                        "connection closed",
                    ));
                }
                Err(e) if is_timeout(&e) => break Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(source) => break Err(source),
            }
        };
        let _ = self.stream.set_read_timeout(Some(self.timeout));
        read.map_err(|source| PrinterError::Io {
            target: self.target.clone(),
            source,
        })?;
        self.owed = wanted - got;
        Ok((self.owed == 0).then_some(buf[0]))
    }

    fn can_read(&self) -> bool {
        true
    }

    fn write_is_delivery(&self) -> bool {
        false
    }
}

/// A character device (usblp), used without ever blocking.
struct DeviceTransport {
    file: File,
    target: String,
    timeout: Duration,
    readable: bool,
}

impl DeviceTransport {
    fn open(path: &Path, timeout: Duration) -> Result<Self, PrinterError> {
        let target = path.display().to_string();
        let open = |read: bool| {
            OpenOptions::new()
                .read(read)
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(path)
        };
        // usblp allows reading the status back; if the device refuses
        // read access we still print, without status.
        let (file, readable) = match open(true) {
            Ok(f) => (f, true),
            Err(_) => (
                open(false).map_err(|source| PrinterError::Unreachable {
                    target: target.clone(),
                    source,
                })?,
                false,
            ),
        };
        Ok(DeviceTransport {
            file,
            target,
            timeout,
            readable,
        })
    }

    /// Waits until the device is ready for `events`, at most until `deadline`.
    fn wait(&self, events: libc::c_short, deadline: Instant) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        let ms = libc::c_int::try_from(left.as_millis()).unwrap_or(libc::c_int::MAX);
        let mut fd = libc::pollfd {
            fd: self.file.as_raw_fd(),
            events,
            revents: 0,
        };
        // SAFETY: one valid pollfd for a descriptor we own, count 1.
        let n = unsafe { libc::poll(&mut fd, 1, ms) };
        n > 0 && fd.revents & events != 0
    }
}

impl Transport for DeviceTransport {
    fn write_all(&mut self, mut bytes: &[u8]) -> Result<(), PrinterError> {
        let deadline = Instant::now() + self.timeout;
        while !bytes.is_empty() {
            match self.file.write(bytes) {
                Ok(0) => {}
                Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() != ErrorKind::WouldBlock => {
                    return Err(PrinterError::Io {
                        target: self.target.clone(),
                        source: e,
                    });
                }
                Err(_) => {}
            }
            // The deadline check also ends a device that keeps accepting
            // nothing while poll() calls it ready.
            if !bytes.is_empty()
                && (Instant::now() >= deadline || !self.wait(libc::POLLOUT, deadline))
            {
                return Err(PrinterError::Timeout {
                    target: self.target.clone(),
                    doing: "sending the receipt",
                    timeout_ms: u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX),
                });
            }
        }
        Ok(())
    }

    fn query(&mut self, n: u8) -> Result<Option<u8>, PrinterError> {
        if !self.readable {
            return Ok(None);
        }
        // The device is non-blocking: this returns at once.
        let file = &mut self.file;
        if !drain_stale(|b| file.read(b)) {
            return Ok(None);
        }
        self.write_all(&request(n))?;
        let deadline = Instant::now() + self.timeout;
        let mut buf = [0u8; 1];
        loop {
            match self.file.read(&mut buf) {
                Ok(1) => return Ok(Some(buf[0])),
                // End of file: this device has nothing to say (e.g. /dev/null).
                Ok(_) => return Ok(None),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
                Err(_) => return Ok(None),
            }
            if Instant::now() >= deadline || !self.wait(libc::POLLIN, deadline) {
                return Ok(None);
            }
        }
    }

    fn can_read(&self) -> bool {
        self.readable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usb_printer_that_is_not_there_is_a_retryable_error_naming_it() {
        // No device has these ids; the error must come quickly and say which.
        let err = open(
            &PrinterTransport::Usb {
                vendor: 0xffff,
                product: 0xfffe,
            },
            100,
        )
        .err();
        let err = err.map(|e| (e.is_permanent(), e.to_string()));
        let (permanent, text) = err.unwrap_or_default();
        assert!(!permanent);
        assert!(text.contains("usb:ffff:fffe"), "{text}");
    }

    #[test]
    fn the_file_transport_appends_and_reports_unknown_status() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out/receipts.bin");
        let mut t = open(&PrinterTransport::File(path.clone()), 100).unwrap();
        t.write_all(b"one").unwrap();
        t.write_all(b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"onetwo");
        assert_eq!(t.status().unwrap(), PrinterStatus::Unknown);
    }

    #[test]
    fn a_device_that_never_answers_gives_unknown_within_the_timeout() {
        // A FIFO nobody reads from stands in for a silent printer device.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("lp0");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let mut t = open(&PrinterTransport::Device(fifo), 200).unwrap();
        // Our own request comes back through the FIFO; it is no valid status.
        assert_eq!(t.status().unwrap(), PrinterStatus::Unknown);
    }

    #[test]
    fn a_device_at_end_of_file_answers_nothing_and_returns() {
        let mut t = open(&PrinterTransport::Device("/dev/null".into()), 200).unwrap();
        t.write_all(b"receipt").unwrap();
        assert_eq!(t.status().unwrap(), PrinterStatus::Unknown);
    }

    #[test]
    fn a_missing_device_is_unreachable() {
        let err = open(
            &PrinterTransport::Device("/dev/nonexistent-printer".into()),
            100,
        )
        .err()
        .unwrap();
        assert!(matches!(err, PrinterError::Unreachable { .. }), "{err}");
    }

    #[test]
    fn a_printer_that_keeps_talking_is_unknown_and_the_query_returns() {
        use std::io::Write as _;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let talker = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let noise = [0x12u8; 4096];
            // Until the kiosk hangs up.
            while s.write_all(&noise).is_ok() {}
        });
        let mut t = TcpTransport::connect("127.0.0.1", port, Duration::from_millis(300)).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(t.status().unwrap(), PrinterStatus::Unknown);
        drop(t);
        talker.join().unwrap();
    }

    /// A network printer that leaves its first `DLE EOT` unanswered until
    /// the second has come (so the kiosk has given up on the first), then
    /// answers the first with `first` and each later one with `later`
    /// (`None`: never). No timing decides what the kiosk sees.
    fn late_printer(first: u8, later: Option<u8>) -> (u16, std::thread::JoinHandle<()>) {
        use std::io::{Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let printer = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut request = [0u8; 3];
            s.read_exact(&mut request).unwrap();
            s.read_exact(&mut request).unwrap();
            let _ = s.write_all(&[first]);
            loop {
                if let Some(b) = later {
                    let _ = s.write_all(&[b]);
                }
                if s.read_exact(&mut request).is_err() {
                    return;
                }
            }
        });
        (port, printer)
    }

    #[test]
    fn a_late_answer_is_not_taken_for_the_next_request() {
        let (port, printer) = late_printer(0x12, None);
        let mut t = TcpTransport::connect("127.0.0.1", port, Duration::from_millis(200)).unwrap();
        assert_eq!(
            t.query(1).unwrap(),
            None,
            "the first is not answered in time"
        );
        // The first's answer comes after the second request: it is not
        // the second's.
        assert_eq!(t.query(1).unwrap(), None);
        drop(t);
        printer.join().unwrap();
    }

    #[test]
    fn after_a_late_answer_the_next_one_counts() {
        let (port, printer) = late_printer(0x16, Some(0x12));
        // Generous: the answers come at once; this bounds only the wait
        // for the first, which never comes in time.
        let mut t = TcpTransport::connect("127.0.0.1", port, Duration::from_secs(1)).unwrap();
        assert_eq!(t.query(1).unwrap(), None);
        assert_eq!(t.query(1).unwrap(), Some(0x12), "the 0x16 was the first's");
        assert_eq!(t.query(1).unwrap(), Some(0x12));
        drop(t);
        printer.join().unwrap();
    }

    #[test]
    fn a_device_that_never_stops_sending_is_unknown() {
        let mut t = open(&PrinterTransport::Device("/dev/zero".into()), 200).unwrap();
        assert_eq!(t.status().unwrap(), PrinterStatus::Unknown);
    }

    #[test]
    fn stale_bytes_before_a_request_are_dropped() {
        let mut stale: &[u8] = &[0x16, 0x16, 0x16];
        assert!(drain_stale(|b| std::io::Read::read(&mut stale, b)));
        assert!(stale.is_empty());
        let mut endless = std::io::repeat(0x12);
        assert!(!drain_stale(|b| std::io::Read::read(&mut endless, b)));
    }
}
