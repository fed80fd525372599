//! `kiosk run`: the kiosk itself, or its out-of-service state.
//!
//! With its database missing, damaged or unusable the kiosk takes no
//! record (it could neither keep it nor number it safely). It does not
//! exit either: under systemd that would be a restart loop. It says why in
//! the log, in the words the out-of-service screen uses, tells systemd it
//! is up and keeps its watchdog fed, and looks again every
//! [`RECHECK`]: once `kiosk init` or a restore has put a sound database in
//! place, it starts as usual.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kiosk::domain::Lang;
use kiosk::domain::out_of_service::{OutOfService, RegistryDesk};
use kiosk::store::Store;

/// How often an out-of-service kiosk looks at its database again.
const RECHECK: Duration = Duration::from_secs(10);

pub fn run(config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (path, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let store = match Store::open_for_service(&config.storage) {
        Ok(store) => store,
        Err(down) => wait_out_of_service(&config, down.why, &down.error),
    };
    tracing::info!(config = %path.display(), database = %config.storage.database.display(), records = store.record_counts()?.total(), "kiosk started");
    kiosk::ui::run(config, store)?;
    Ok(ExitCode::SUCCESS)
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

/// Stays out of service until the database can be opened; returns it then.
fn wait_out_of_service(
    config: &kiosk::config::Config,
    mut why: OutOfService,
    err: &kiosk::store::StoreError,
) -> Store {
    let desk = registry_desk(config);
    announce(&why, &desk, &err.to_string());
    let heartbeat = kiosk::watchdog::start(kiosk::watchdog::Systemd);
    if let Some(h) = &heartbeat {
        h.ready();
    }
    let mut next_look = Instant::now() + RECHECK;
    loop {
        std::thread::sleep(Duration::from_millis(500));
        if let Some(h) = &heartbeat {
            h.beat();
        }
        if Instant::now() < next_look {
            continue;
        }
        next_look = Instant::now() + RECHECK;
        match Store::open_for_service(&config.storage) {
            Ok(store) => {
                tracing::info!("the database can be used again; the kiosk starts");
                return store;
            }
            Err(down) if down.why != why => {
                announce(&down.why, &desk, &down.error.to_string());
                why = down.why;
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
