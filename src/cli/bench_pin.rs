//! `kiosk bench pin`: the window's memory before and after many PIN
//! attempts on the staff pad.
//!
//! The kiosk is drawn off screen with a staff PIN hashed as `kiosk
//! hash-pin` hashes it. Each attempt is typed on the pad and checked by the
//! kiosk service's PIN worker, as a visitor's finger would do it: four
//! wrong PINs, then the right one (which ends the lockout) and "leave staff
//! mode", over and over. Resident memory (VmRSS) is read before the first
//! attempt, after a first round (the PIN pad and the staff home drawn
//! once, the PIN worker's first check) and after the last attempt; the
//! difference between the last two is what the checks left behind.

use std::process::ExitCode;
use std::time::Instant;

use kiosk::config::Config;
use kiosk::domain::Lang;
use kiosk::ui::screenshot::Offscreen;
use kiosk::ui::{AppState, StaffAdapter, StaffHomeAdapter};
use slint::ComponentHandle;

const PIN: &str = "4826";
const WRONG: &str = "1111";

pub fn run(config: &Config, attempts: u32) -> anyhow::Result<ExitCode> {
    let mut config = config.clone();
    config.staff.pin_hash = kiosk::staff::pin::hash_pin(PIN)?;
    let (w, h) = (config.display.width_px, config.display.height_px);
    let off = Offscreen::new(&config)?;
    off.prepare("home", Lang::Bg, false)?;
    off.draw(w, h);
    let window = off.app().window();
    let before = memory("VmRSS")?;
    let started = Instant::now();
    let mut logins = 0;
    let mut warm = before;
    for i in 0..attempts.max(1) + 5 {
        if i == 5 {
            warm = memory("VmRSS")?;
        }
        window.global::<AppState>().invoke_staff_entry();
        off.settle();
        let pin = if i % 5 == 4 { PIN } else { WRONG };
        let pad = window.global::<StaffAdapter>();
        for d in pin.chars() {
            pad.invoke_digit(d.to_string().into());
        }
        pad.invoke_enter();
        off.settle();
        if pin == PIN {
            off.draw(w, h);
            anyhow::ensure!(
                window.global::<AppState>().get_screen() == kiosk::ui::Screen::StaffHome,
                "the right PIN did not open staff mode: {}",
                pad.get_message()
            );
            logins += 1;
            window.global::<StaffHomeAdapter>().invoke_leave();
            off.settle();
        }
    }
    let took = started.elapsed();
    let after = memory("VmRSS")?;
    let peak = memory("VmHWM")?;
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "pin: {} attempts after a first round of 5 ({logins} right in all) in {:.1} s; resident memory before {:.1} MiB, after the first round {:.1} MiB, after the attempts {:.1} MiB ({:+.1} MiB), peak {:.1} MiB",
        attempts.max(1),
        took.as_secs_f64(),
        mib(before),
        mib(warm),
        mib(after),
        mib(after) - mib(warm),
        mib(peak),
    );
    Ok(ExitCode::SUCCESS)
}

/// A figure of /proc/self/status in KiB (VmRSS, VmHWM).
pub fn memory(key: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no {key} in /proc/self/status"))
}
