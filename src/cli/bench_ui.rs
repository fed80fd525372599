//! `kiosk bench ui`: cold start to the first drawn frame, and the time to
//! draw a full frame of every screen at 1280x800 with the software
//! renderer, plus the process's peak memory.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use kiosk::config::Config;
use kiosk::domain::Lang;
use kiosk::ui::screenshot::{Offscreen, names};

use super::bench::Spread;

/// Runs the benchmark; `started` is when the command began.
pub fn run(config: &Config, started: Instant, iterations: u32) -> anyhow::Result<ExitCode> {
    let (w, h) = (config.display.width_px, config.display.height_px);
    let offscreen = Offscreen::new(config)?;
    let frame = offscreen.draw(w, h);
    let first = started.elapsed();
    println!(
        "first frame: {:.1} ms from the start of the command ({}x{} px, {} bytes drawn)",
        ms(first),
        frame.width,
        frame.height,
        frame.pixels.len() * 3
    );
    let mut all = Vec::new();
    for name in names() {
        offscreen.prepare(name, Lang::Bg, false)?;
        let mut times: Vec<Duration> = (0..iterations.max(1))
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(offscreen.draw(w, h));
                t.elapsed()
            })
            .collect();
        let Spread {
            median, max: worst, ..
        } = Spread::of(&mut times)?;
        all.push(median);
        println!(
            "{name:<20} full frame: median {:.2} ms, worst {:.2} ms",
            ms(median),
            ms(worst)
        );
    }
    let all = Spread::of(&mut all)?;
    println!(
        "all screens: median of medians {:.2} ms, slowest screen {:.2} ms",
        ms(all.median),
        ms(all.max)
    );
    let peak = super::bench_pin::memory("VmHWM")?;
    println!("peak memory (VmHWM): {:.1} MiB", mib(peak));
    // What the resident pages are: memory the kiosk took (heap, stacks,
    // frame buffers), and pages of the binary and libraries read from disk,
    // which are clean and which the kernel drops and re-reads as it needs.
    let anon = super::bench_pin::memory("RssAnon")?;
    let file = super::bench_pin::memory("RssFile")?;
    println!(
        "resident now: {:.1} MiB taken (RssAnon), {:.1} MiB of the binary and libraries (RssFile)",
        mib(anon),
        mib(file)
    );
    Ok(ExitCode::SUCCESS)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
