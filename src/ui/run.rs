//! `kiosk run`: the window, the kiosk service (store, printer, staff), the
//! board and the link to the central system, wired together until the
//! window closes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use slint::ComponentHandle;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::printer::SharedStatus;
use crate::speech::{Speaker, SpeechSettings};
use crate::store::Store;
use crate::sync::{SyncHandle, SyncSettings};

use super::app::{App, Deps, EventLoop};
use crate::device::{Device, DeviceSettings};
use crate::flow::board::Hardware;
use crate::service::{KioskService, Parts, SyncLink};

/// How often the printer's status is read while nothing prints.
const PRINTER_POLL: Duration = Duration::from_secs(60);

/// Runs the kiosk until its window is closed.
pub fn run(config: Config, store: Store) -> anyhow::Result<()> {
    let config = Arc::new(config);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let printer_status = SharedStatus::default();
    // No visit outlives a restart: a rating stored at a face tap before a
    // power cut is final as it stands.
    match store.close_open_ratings() {
        Ok(0) => {}
        Ok(n) => tracing::info!(n, "ratings stored before the restart are now final"),
        Err(err) => tracing::error!(%err, "cannot close the ratings left open"),
    }

    let sync = start_sync(&config, &store, &clock, &printer_status);
    let kiosk = KioskService::start(Parts {
        config: config.clone(),
        store,
        clock: clock.clone(),
        printer_status,
        sync: sync.as_ref().map(|s| SyncLink {
            status: s.status(),
            kick: s.kicker(),
        }),
        back: Arc::new(EventLoop),
    })?;
    let hardware = open_board(&config, &clock)?;

    let speaker = Speaker::new(&SpeechSettings::from_config(&config));
    tracing::info!(status = %speaker.status().summary(), "speech output");
    let app = App::new(Deps {
        kiosk: std::rc::Rc::new(kiosk),
        hardware,
        speech: Some(Arc::new(speaker)),
    })?;

    let app = std::rc::Rc::new(app);
    let heartbeat = crate::watchdog::start(crate::watchdog::Systemd);
    if let Some(heartbeat) = heartbeat.clone() {
        // Runs once the event loop turns, that is after the window is shown.
        if let Err(err) = slint::invoke_from_event_loop(move || heartbeat.ready()) {
            tracing::warn!(%err, "cannot schedule the ready notice for systemd");
        }
    }
    let ticker = slint::Timer::default();
    {
        let app = app.clone();
        ticker.start(
            slint::TimerMode::Repeated,
            Duration::from_millis(500),
            move || {
                app.tick(Instant::now());
                // The systemd watchdog pings only while this keeps running.
                if let Some(heartbeat) = &heartbeat {
                    heartbeat.beat();
                }
            },
        );
    }
    let poller = slint::Timer::default();
    {
        let app = app.clone();
        poller.start(slint::TimerMode::Repeated, PRINTER_POLL, move || {
            app.poll_printer();
        });
    }
    app.poll_printer();
    app.window().run()?;

    if let Some(sync) = sync
        && !sync.shutdown(Duration::from_secs(5))
    {
        tracing::warn!("the sync worker did not stop within 5 s");
    }
    Ok(())
}

/// Opens the board in `[board]`; `kind = "pi"` off a Pi stops the kiosk here.
fn open_board(config: &Config, clock: &Arc<dyn Clock>) -> anyhow::Result<Hardware> {
    use anyhow::Context;
    let (tx, rx) = std::sync::mpsc::channel();
    let opened = board::open(&crate::device::board_settings(&config.board), tx)
        .context("cannot open the board in [board]")?;
    if let Some(why) = &opened.fell_back {
        tracing::warn!(%why, "no Raspberry Pi here: using the simulated board (F1 staff call, F2 motion, F3 staff key)");
    }
    tracing::info!(board = opened.board.name(), "board ready");
    let device = Device::new(
        opened.board,
        DeviceSettings::from_config(config),
        clock.now(),
    );
    Ok(Hardware {
        device: Some(device),
        events: Some(rx),
        controls: opened.controls,
    })
}

fn start_sync(
    config: &Config,
    store: &Store,
    clock: &Arc<dyn Clock>,
    printer: &SharedStatus,
) -> Option<SyncHandle> {
    if config.central.url.trim().is_empty() {
        tracing::info!("no central system configured: records stay queued on the kiosk");
        return None;
    }
    match crate::sync::start(
        SyncSettings::from_config(config),
        store.clone(),
        clock.clone(),
        printer.heartbeat(),
    ) {
        Ok(handle) => Some(handle),
        Err(err) => {
            tracing::error!(%err, "the link to the central system cannot start; records stay queued");
            None
        }
    }
}
