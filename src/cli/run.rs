//! `kiosk run`: the kiosk itself, or its out-of-service state.
//!
//! With its database missing, damaged or unusable the kiosk takes no
//! record (it could neither keep it nor number it safely). It does not
//! exit either: under systemd that would be a restart loop. It says why in
//! the log, in the words the out-of-service screen uses, tells systemd it
//! is up and keeps its watchdog fed, shows the out-of-service window in
//! both languages, and looks again every [`RECHECK`]: once `kiosk init` or
//! a restore has put a sound database in place, the window closes and the
//! process ends with 0 so that systemd (`Restart=always`) starts the kiosk
//! on it (Slint's Pi backend runs one event loop per process). Without a
//! screen it only logs and starts the kiosk in-process once it can.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kiosk::domain::Lang;
use kiosk::domain::out_of_service::{OutOfService, RegistryDesk};
use kiosk::store::Store;
use kiosk::ui::out_of_service::Look;

/// How often an out-of-service kiosk looks at its database again.
const RECHECK: Duration = Duration::from_secs(10);

pub fn run(config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (path, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let store = match Store::open_for_service(&config.storage, &config.kiosk.id) {
        Ok(store) => store,
        Err(down) => match wait_out_of_service(&config, down.why, &down.error) {
            Some(store) => store,
            // The window's event loop has run: systemd starts us afresh.
            None => return Ok(ExitCode::SUCCESS),
        },
    };
    tracing::info!(config = %path.display(), database = %config.storage.database.display(), records = store.record_counts()?.total(), "kiosk started");
    // After the database: without a window the out-of-service wait above
    // only logs, and that is how the database's guards are tested.
    if let Some(missing) = no_display(|name| std::env::var_os(name).is_some()) {
        eprintln!("{missing}");
        return Ok(ExitCode::FAILURE);
    }
    kiosk::ui::run(config, store)?;
    Ok(ExitCode::SUCCESS)
}

/// What to tell someone who starts the desktop build where no window can
/// open (a server, an SSH session): one line, instead of the windowing
/// library's error. `is_set` says whether an environment variable is set.
/// The Pi build draws on the screen itself and needs no display server;
/// `SLINT_BACKEND` means the caller chose a backend on purpose.
pub fn no_display(is_set: impl Fn(&str) -> bool) -> Option<&'static str> {
    let desktop = cfg!(feature = "desktop") && !cfg!(feature = "pi");
    let display = [
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "WAYLAND_SOCKET",
        "SLINT_BACKEND",
    ]
    .iter()
    .any(|name| is_set(name));
    (desktop && !display).then_some(
        "kiosk: no display to open the window on: run it in a desktop session, \
         under Xvfb (`Xvfb :9 & DISPLAY=:9 cargo run --release`), or draw the screens \
         without one (`cargo run --release -- screenshot --all --out-dir shots`)",
    )
}

/// The registry desk of `[contacts] registry_desk`, where visitors go.
pub fn registry_desk(config: &kiosk::config::Config) -> RegistryDesk {
    let desk = config
        .desks
        .iter()
        .find(|d| d.id == config.contacts.registry_desk);
    RegistryDesk {
        name: desk.map_or_else(
            || kiosk::domain::Localized::new("Деловодство".into(), "registry desk".into()),
            |d| d.name.clone(),
        ),
        location: desk.map_or_else(Default::default, |d| d.location.clone()),
    }
}

/// Stays out of service until the database can be opened. On a screen it
/// shows the out-of-service window in both languages; without one (no
/// display, headless tests) it only logs. Returns the store when it could
/// carry on in this process, `None` when the process should end so that
/// systemd starts the kiosk afresh (after the window: see
/// `kiosk::ui::out_of_service`).
fn wait_out_of_service(
    config: &kiosk::config::Config,
    why: OutOfService,
    err: &kiosk::store::StoreError,
) -> Option<Store> {
    let desk = registry_desk(config);
    announce(&why, &desk, &err.to_string());
    let heartbeat = kiosk::watchdog::start(kiosk::watchdog::Systemd);
    if let Some(h) = &heartbeat {
        h.ready();
    }
    let storage = config.storage.clone();
    let kiosk_id = config.kiosk.id.clone();
    let look = {
        let desk = desk.clone();
        let mut current = why.clone();
        move || match Store::open_for_service(&storage, &kiosk_id) {
            Ok(store) => {
                tracing::info!("the database can be used again; the kiosk starts");
                Look::Ready(store)
            }
            Err(down) => {
                if down.why != current {
                    announce(&down.why, &desk, &down.error.to_string());
                    current = down.why.clone();
                }
                Look::Down(down.why)
            }
        }
    };
    let beat = {
        let heartbeat = heartbeat.clone();
        move || {
            if let Some(h) = &heartbeat {
                h.beat();
            }
        }
    };
    match kiosk::ui::out_of_service::show(config, &why, &desk, RECHECK, look, beat) {
        Ok(Some(_store)) => {
            tracing::info!("restarting to start the kiosk on its database");
            return None;
        }
        Ok(None) => {
            tracing::info!("the out-of-service window was closed");
            return None;
        }
        Err(e) => {
            tracing::warn!(err = %e, "no screen for the out-of-service window; only the log says it");
        }
    }
    let mut next_look = Instant::now() + RECHECK;
    let mut current = why;
    loop {
        std::thread::sleep(Duration::from_millis(500));
        if let Some(h) = &heartbeat {
            h.beat();
        }
        if Instant::now() < next_look {
            continue;
        }
        next_look = Instant::now() + RECHECK;
        match Store::open_for_service(&config.storage, &config.kiosk.id) {
            Ok(store) => {
                tracing::info!("the database can be used again; the kiosk starts");
                return Some(store);
            }
            Err(down) if down.why != current => {
                announce(&down.why, &desk, &down.error.to_string());
                current = down.why;
            }
            Err(_) => {}
        }
    }
}

fn announce(why: &OutOfService, desk: &RegistryDesk, error: &str) {
    let en = why.text(Lang::En, desk);
    let bg = why.text(Lang::Bg, desk);
    tracing::error!(reason = why.code(), "{error}");
    tracing::error!(
        "out of service: \"{}\" / \"{}\"; {} / {}",
        en.title,
        bg.title,
        en.staff,
        bg.staff
    );
}
