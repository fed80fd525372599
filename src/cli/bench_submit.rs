//! `kiosk bench submit`: how long a visitor waits between touching "Send"
//! on the complaint's review and seeing the receipt number, with a printer
//! that never answers and with a healthy one.
//!
//! Each submission goes the way a visitor's does: a pointer press and
//! release on the "Send" button of the real window (drawn off screen), the
//! complaint controller, the kiosk service's store worker (one transaction
//! on a scratch database on disk, `synchronous=FULL`), the hand-back to
//! the UI thread, the number set on the receipt screen, and one full frame
//! drawn with the software renderer. The clock stops when that frame is
//! drawn. The printer is a TCP printer on 127.0.0.1: "hung" accepts the
//! connection and never answers (each slip holds the printer worker for
//! `[printer] timeout_ms`; once its queue is full the next slips are
//! refused at once and stay queued for staff), "healthy" answers every
//! status request "ready". Between submissions the next complaint is
//! filled in through the controller (not timed), and the answers that have
//! come back are shown, without waiting for those still to come.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use i_slint_backend_testing::ElementHandle;
use kiosk::config::{Config, PrinterTransport};
use kiosk::domain::complaint::Field;
use kiosk::flow::{ComplaintStep, Page};
use kiosk::store::Store;
use kiosk::ui::ComplaintAdapter;
use kiosk::ui::screenshot::Offscreen;
use slint::ComponentHandle;
use slint::platform::{PointerEventButton, WindowEvent};

/// How long one submission may take before the benchmark gives up.
const GIVE_UP: Duration = Duration::from_secs(30);

/// What the loopback printer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Printer {
    Hung,
    Healthy,
}

/// Runs the benchmark over `iterations` submissions per printer.
pub fn run(config: &Config, iterations: u32, printer: &str) -> anyhow::Result<ExitCode> {
    let printers: &[Printer] = match printer {
        "hung" => &[Printer::Hung],
        "healthy" => &[Printer::Healthy],
        _ => &[Printer::Hung, Printer::Healthy],
    };
    for &p in printers {
        let config = config.clone();
        let n = iterations.max(1);
        // The drawing platform belongs to one thread: a thread per run.
        let report = std::thread::Builder::new()
            .name(format!("bench-{p:?}"))
            .spawn(move || measure(config, n, p))?
            .join()
            .map_err(|_| anyhow::anyhow!("the benchmark's thread panicked"))??;
        println!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

fn measure(mut config: Config, iterations: u32, printer: Printer) -> anyhow::Result<String> {
    let port = loopback_printer(printer)?;
    config.printer.transport = PrinterTransport::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    config.central.url.clear();
    // A scratch database beside the configured one: the same disk.
    let beside = config
        .storage
        .database
        .parent()
        .filter(|d| d.is_dir())
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    // A full or read-only disk is named as every database command names it.
    let scratch = beside.join("bench.db");
    kiosk::store::space::ensure_writable(&scratch)?;
    kiosk::store::space::ensure_room(&scratch)?;
    let dir = tempfile::Builder::new()
        .prefix("kiosk-bench-submit-")
        .tempdir_in(&beside)?;
    let store = Store::create(dir.path().join("bench.db"))?;
    let (w, h) = (config.display.width_px, config.display.height_px);
    let category = config
        .complaints
        .categories
        .first()
        .map(|c| c.id.clone())
        .ok_or_else(|| anyhow::anyhow!("kiosk.toml has no complaint category"))?;
    let off = Offscreen::with_store(config, store.clone())?;
    off.draw(w, h);
    let app = off.app();
    let visit = app.visit();
    let adapter = app.window().global::<ComplaintAdapter>();
    let mut times = Vec::with_capacity(iterations as usize);
    let mut last = String::new();
    for _ in 0..iterations {
        // The next visitor's complaint, filled in (not timed).
        visit.home();
        visit.navigate(Page::Complaint(ComplaintStep::Type));
        let c = &visit.complaint;
        c.choose_type("complaint");
        c.choose_category(&category);
        c.type_key("Чаках два часа на гишето.");
        c.field_done();
        c.edit_field(Field::Name);
        c.type_key("Мария Иванова");
        c.field_done();
        c.edit_field(Field::Phone);
        c.type_key("0888123456");
        c.field_done();
        c.to_review();
        // Only what has come back: a hung printer's answers take its
        // timeout each, and a visitor does not wait for them either.
        off.pump().run_ready();
        off.draw(w, h);
        let send = ElementHandle::find_by_accessible_label(app.window(), "Изпрати")
            .next()
            .ok_or_else(|| anyhow::anyhow!("no \"Send\" on the review screen"))?;

        let (pos, size) = (send.absolute_position(), send.size());
        let at = slint::LogicalPosition::new(pos.x + size.width / 2.0, pos.y + size.height / 2.0);
        let button = PointerEventButton::Left;

        let start = Instant::now();
        let window = app.window().window();
        window.dispatch_event(WindowEvent::PointerPressed {
            position: at,
            button,
        });
        window.dispatch_event(WindowEvent::PointerReleased {
            position: at,
            button,
        });
        while adapter.get_number() == last.as_str() || adapter.get_number().is_empty() {
            if start.elapsed() > GIVE_UP {
                anyhow::bail!("no number on screen {GIVE_UP:?} after the tap");
            }
            off.pump().run_next(Duration::from_millis(100));
        }
        off.draw(w, h);
        times.push(start.elapsed());
        last = adapter.get_number().to_string();
    }
    let counts = store.record_counts()?;
    anyhow::ensure!(
        counts.complaints == u64::from(iterations),
        "{} complaints stored for {iterations} taps",
        counts.complaints
    );
    times.sort();
    let at = |q: f64| {
        let i = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
        times.get(i).copied().unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let printed = store.pending_print_jobs()?.len();
    Ok(format!(
        "submit with a {} printer: tap to number on screen p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} complaints (last {last}; {} receipts still waiting for the printer)",
        match printer {
            Printer::Hung => "hung",
            Printer::Healthy => "healthy",
        },
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0)),
        times.len(),
        printed,
    ))
}

/// A printer on 127.0.0.1 that never answers, or answers "ready" to every
/// status request and takes every byte. Its threads end with the process.
fn loopback_printer(printer: Printer) -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::Builder::new()
        .name("bench-printer".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = std::thread::Builder::new()
                    .name("bench-printer-conn".into())
                    .spawn(move || serve(stream, printer));
            }
        })?;
    Ok(port)
}

fn serve(mut stream: TcpStream, printer: Printer) {
    let mut buf = [0u8; 4096];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if printer == Printer::Hung {
            continue;
        }
        tail.extend(buf.iter().take(n));
        // Answer each DLE EOT n, "ready".
        let mut i = 0;
        while i + 2 < tail.len() {
            if tail.get(i..i + 2) == Some(&[0x10, 0x04]) {
                if stream.write_all(&[0x12]).is_err() {
                    return;
                }
                i += 3;
            } else {
                i += 1;
            }
        }
        tail.drain(..i);
    }
}
