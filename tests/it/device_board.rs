//! The kiosk's hardware behaviour as the app wires it: the shipped
//! kiosk.toml opens a board through `board::open`, board events go through
//! `kiosk::device::Device`, and the staff call it hands back is stored on
//! another thread, the way the app must do it, in a database on disk.
use crate::support;

use std::path::Path;
use std::sync::mpsc;

use kiosk::clock::{Clock, ManualClock};
use kiosk::config::Config;
use kiosk::device::{
    Device, DeviceAction, DeviceInputs, DeviceSettings, ScreenMessage, board_settings,
};
use kiosk::domain::Lang;
use kiosk::domain::record::{RecordData, RecordKind, StaffCallSource};
use kiosk::printer::PrinterStatus;
use kiosk::store::Store;
use kiosk::sync::SyncStatus;

fn shipped() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    kiosk::config::load_with_env(&path, Vec::new()).unwrap()
}

#[test]
fn a_press_of_the_button_is_stored_as_a_staff_call_once_a_minute() {
    let config = shipped();
    let (tx, rx) = mpsc::channel();
    let opened = board::open(&board_settings(&config.board), tx).unwrap();
    let controls = opened
        .controls
        .expect("the shipped kiosk.toml runs the simulated board");
    let clock = ManualClock::at_sofia(2026, 11, 23, 10, 15).unwrap();
    let mut device = Device::new(
        opened.board,
        DeviceSettings::from_config(&config),
        clock.now(),
    );
    let dir = support::disk_dir();
    let store = Store::create(dir.path().join("kiosk.db")).unwrap();

    assert!(controls.press_staff_call());
    let event = rx.recv().unwrap();
    let Some(DeviceAction::CallStaff {
        submission,
        message,
    }) = device.on_event(event, clock.now(), Lang::En)
    else {
        panic!("the first press should call a staff member");
    };
    assert_eq!(
        message.text(Lang::En),
        "A staff member has been called. Please wait here."
    );
    let writer = store.clone();
    let submit_clock = ManualClock::new(clock.now(), true);
    let stored =
        std::thread::spawn(move || writer.submit(submission, &support::context(&submit_clock)))
            .join()
            .unwrap()
            .unwrap();

    clock.advance(chrono::TimeDelta::seconds(30));
    assert!(controls.press_staff_call());
    let again = device.on_event(rx.recv().unwrap(), clock.now(), Lang::En);
    assert_eq!(
        again,
        Some(DeviceAction::Show(ScreenMessage::StaffAlreadyCalled))
    );

    let record = store.get(stored.id).unwrap().unwrap().record;
    assert_eq!(record.kind, RecordKind::StaffCall);
    assert_eq!(record.number, None, "staff calls get no receipt number");
    let RecordData::StaffCall(call) = record.data else {
        panic!("not a staff call: {:?}", record.data);
    };
    assert_eq!(
        (call.source, call.lang),
        (StaffCallSource::Button, Lang::En)
    );
    assert_eq!(store.record_counts().unwrap().staff_calls, 1);
    assert_eq!(
        store.outbox_counts().unwrap().pending,
        1,
        "queued for the central system"
    );
    assert_eq!(controls.outputs().beeps.len(), 1);

    let sync = SyncStatus::default();
    let inputs = DeviceInputs {
        printer: PrinterStatus::PaperNearEnd,
        sync: &sync,
        internal_fault: false,
    };
    device.tick(clock.now(), &inputs);
    assert_eq!(controls.outputs().led, board::LedPattern::Attention);
}

#[test]
fn off_a_raspberry_pi_kind_pi_fails_and_kind_auto_falls_back() {
    if board::is_raspberry_pi() {
        return;
    }
    let mut config = shipped();
    config.board.kind = kiosk::config::BoardKind::Pi;
    let (tx, _rx) = mpsc::channel();
    let err = board::open(&board_settings(&config.board), tx).unwrap_err();
    assert!(matches!(err, board::BoardError::NotARaspberryPi), "{err}");
    assert!(err.to_string().contains("not a Raspberry Pi"), "{err}");

    config.board.kind = kiosk::config::BoardKind::Auto;
    let (tx, _rx) = mpsc::channel();
    let opened = board::open(&board_settings(&config.board), tx).unwrap();
    assert_eq!(opened.board.name(), "simulated");
    assert!(opened.controls.is_some());
    assert!(matches!(
        opened.fell_back,
        Some(board::BoardError::NotARaspberryPi)
    ));
}
