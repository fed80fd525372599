//! The [`Device`]: the one owner of the board, called by the app's UI timer.
//!
//! It turns board events into what the app should do ([`DeviceAction`]),
//! wakes the screen on touch or motion, and on every tick works out the LED
//! and the backlight from the policies in `led.rs` and `backlight.rs`.
//!
//! Invariants:
//! - nothing here waits on the disk, the network or a person: staff calls
//!   are handed back to the app as a [`crate::store::Submission`] to store
//!   on another thread; board outputs are quick calls (GPIO, sysfs);
//! - an output is written only when the wanted value differs from what was
//!   last written successfully, so a tick a second does not rewrite the LED;
//! - a failing output is logged once per failure streak and retried on the
//!   next tick; it never panics or stops the kiosk.

use board::{Backlight, Board, BoardEvent, LedPattern};
use chrono::{DateTime, Utc};

use super::backlight::{ScreenSituation, backlight_level};
use super::led::{DeviceInputs, FailureWatch, led_pattern, sync_is_failing};
use super::message::ScreenMessage;
use super::output::Output;
use super::settings::DeviceSettings;
use super::staff_call::{CallDecision, StaffCallLimiter, staff_call_submission};
use crate::domain::Lang;
use crate::domain::hours::{sofia_local, status_at};
use crate::domain::record::StaffCallSource;
use crate::store::Submission;

/// What the app should do after a board event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceAction {
    /// A staff call went out. Show `message` now; store `submission` with
    /// `Store::submit` on a background thread (never the UI thread). If
    /// storing fails, log it, show [`ScreenMessage::StaffCallFailed`] and
    /// call [`Device::staff_call_failed`].
    CallStaff {
        submission: Submission,
        message: ScreenMessage,
    },
    /// Show `message` (a call within the last minute: no new record).
    Show(ScreenMessage),
    /// The staff key was turned on (`true`: enter staff mode) or off.
    StaffKey(bool),
}

/// The kiosk's hardware behaviour. Build one with [`Device::new`] and call
/// it from the UI thread: [`Device::on_event`] for every event from the
/// board's channel, [`Device::on_touch`] for every touch, and
/// [`Device::tick`] about once a second.
pub struct Device {
    board: Box<dyn Board>,
    settings: DeviceSettings,
    calls: StaffCallLimiter,
    sync_watch: FailureWatch,
    last_activity: DateTime<Utc>,
    staff_mode: bool,
    led: Output<LedPattern>,
    backlight: Output<Backlight>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("board", &self.board.name())
            .field("staff_mode", &self.staff_mode)
            .field("led", &self.led.shown())
            .field("backlight", &self.backlight.shown())
            .finish_non_exhaustive()
    }
}

impl Device {
    /// Takes over `board`; `now` counts as activity, so the screen starts
    /// on. Nothing is written to the board until the first call.
    pub fn new(board: Box<dyn Board>, settings: DeviceSettings, now: DateTime<Utc>) -> Self {
        let calls = StaffCallLimiter::new(settings.staff_call_interval);
        Self {
            board,
            settings,
            calls,
            sync_watch: FailureWatch::default(),
            last_activity: now,
            staff_mode: false,
            led: Output::new("status LED"),
            backlight: Output::new("backlight"),
        }
    }

    /// Handles one event from the board's channel. `lang` is the language
    /// the visitor is using now (it goes into the staff-call record).
    pub fn on_event(
        &mut self,
        event: BoardEvent,
        now: DateTime<Utc>,
        lang: Lang,
    ) -> Option<DeviceAction> {
        match event {
            BoardEvent::StaffCallPressed => {
                self.activity(now);
                Some(self.call_staff(StaffCallSource::Button, now, lang))
            }
            BoardEvent::Motion => {
                self.activity(now);
                None
            }
            BoardEvent::StaffKey(on) => {
                self.staff_mode = on;
                self.activity(now);
                Some(DeviceAction::StaffKey(on))
            }
        }
    }

    /// The "call a staff member" button on the touchscreen: the same call,
    /// the same once-a-minute limit, as the physical button.
    pub fn call_staff_from_screen(&mut self, now: DateTime<Utc>, lang: Lang) -> DeviceAction {
        self.activity(now);
        self.call_staff(StaffCallSource::Screen, now, lang)
    }

    /// The last staff call could not be stored: the next press calls again
    /// at once.
    pub fn staff_call_failed(&mut self) {
        self.calls.forget();
    }

    /// A touch on the screen. Returns `true` when the screen was dimmed or
    /// dark and this touch woke it: the app may then ignore the touch, so
    /// that waking the screen does not also press whatever was under the
    /// finger.
    pub fn on_touch(&mut self, now: DateTime<Utc>) -> bool {
        let was = self.backlight.shown();
        self.activity(now);
        matches!(was, Some(Backlight::Dim | Backlight::Off))
    }

    /// Brings the LED and the backlight up to date with `inputs` at `now`.
    pub fn tick(&mut self, now: DateTime<Utc>, inputs: &DeviceInputs<'_>) {
        let failing_for = self.sync_watch.observe(sync_is_failing(inputs.sync), now);
        let led = led_pattern(inputs, failing_for, self.settings.sync_attention_after);
        let board = &mut self.board;
        self.led.apply(led, |p| board.set_led(p));
        self.update_backlight(now);
    }

    /// The staff key is on (staff mode).
    pub fn staff_mode(&self) -> bool {
        self.staff_mode
    }

    /// What the LED was last set to; `None` before the first tick.
    pub fn led(&self) -> Option<LedPattern> {
        self.led.shown()
    }

    /// What the backlight was last set to; `None` before the first change.
    pub fn backlight(&self) -> Option<Backlight> {
        self.backlight.shown()
    }

    /// The board's name, for logs and the staff screen.
    pub fn board_name(&self) -> &str {
        self.board.name()
    }

    fn call_staff(
        &mut self,
        source: StaffCallSource,
        now: DateTime<Utc>,
        lang: Lang,
    ) -> DeviceAction {
        match self.calls.press(now) {
            CallDecision::AlreadyCalled => DeviceAction::Show(ScreenMessage::StaffAlreadyCalled),
            CallDecision::Call => {
                if let Err(e) = self.board.beep(self.settings.beep_ms) {
                    tracing::warn!("the buzzer failed: {e}");
                }
                DeviceAction::CallStaff {
                    submission: staff_call_submission(source, lang),
                    message: ScreenMessage::StaffCalled,
                }
            }
        }
    }

    /// Someone is at the kiosk: restart the idle time and wake the screen.
    fn activity(&mut self, now: DateTime<Utc>) {
        self.last_activity = now;
        self.update_backlight(now);
    }

    fn update_backlight(&mut self, now: DateTime<Utc>) {
        let s = &self.settings;
        let situation = ScreenSituation {
            office: status_at(&s.calendar, &s.hours, now),
            local_time: sofia_local(now).time(),
            idle_for: (now - self.last_activity).max(chrono::TimeDelta::zero()),
            staff_mode: self.staff_mode,
        };
        let level = backlight_level(&s.screen, &situation);
        let board = &mut self.board;
        self.backlight.apply(level, |l| board.set_backlight(l));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::domain::record::RecordKind;
    use crate::printer::PrinterStatus;
    use crate::store::Store;
    use crate::sync::{SyncPhase, SyncStatus};
    use board::{SimulatedBoard, SimulatedControls};
    use chrono::TimeDelta;
    use std::path::Path;
    use std::sync::mpsc::{self, Receiver};

    fn settings() -> DeviceSettings {
        let text = include_str!("../../kiosk.toml");
        let config = crate::config::parse(text, Vec::new(), Path::new(".")).unwrap();
        DeviceSettings::from_config(&config)
    }

    /// A device on a simulated board, its controls, its event channel and
    /// a clock standing at the given Sofia time on Monday 23 November 2026.
    fn kiosk_at(
        hour: u32,
        minute: u32,
    ) -> (Device, SimulatedControls, Receiver<BoardEvent>, ManualClock) {
        let clock = ManualClock::at_sofia(2026, 11, 23, hour, minute).unwrap();
        let (tx, rx) = mpsc::channel();
        let (board, controls) = SimulatedBoard::new(tx);
        let device = Device::new(Box::new(board), settings(), clock.now());
        (device, controls, rx, clock)
    }

    fn healthy() -> SyncStatus {
        SyncStatus {
            phase: SyncPhase::Idle,
            ..SyncStatus::default()
        }
    }

    fn tick(device: &mut Device, clock: &ManualClock) {
        let sync = healthy();
        device.tick(
            clock.now(),
            &DeviceInputs {
                printer: PrinterStatus::Ok,
                sync: &sync,
                internal_fault: false,
            },
        );
    }

    /// Presses the staff-call button and passes the event to the device.
    fn press(
        device: &mut Device,
        controls: &SimulatedControls,
        rx: &Receiver<BoardEvent>,
        clock: &ManualClock,
    ) -> Option<DeviceAction> {
        assert!(controls.press_staff_call());
        let event = rx.try_recv().unwrap();
        device.on_event(event, clock.now(), Lang::Bg)
    }

    #[test]
    fn a_staff_call_is_stored_beeps_and_says_so_once_a_minute() {
        let (mut device, controls, rx, clock) = kiosk_at(10, 0);
        let store = Store::open_in_memory().unwrap();
        let ctx = crate::store::fixtures::context(&clock);

        let Some(DeviceAction::CallStaff {
            submission,
            message,
        }) = press(&mut device, &controls, &rx, &clock)
        else {
            panic!("the first press should call");
        };
        assert_eq!(message, ScreenMessage::StaffCalled);
        let stored = store.submit(submission, &ctx).unwrap();
        let record = store.get(stored.id).unwrap().unwrap().record;
        assert_eq!(record.kind, RecordKind::StaffCall);
        assert_eq!(record.kind.as_str(), "staff_call");
        assert_eq!(controls.outputs().beeps, [200]);

        clock.advance(TimeDelta::seconds(20));
        assert_eq!(
            press(&mut device, &controls, &rx, &clock),
            Some(DeviceAction::Show(ScreenMessage::StaffAlreadyCalled))
        );
        assert_eq!(controls.outputs().beeps, [200], "no second beep");
        assert_eq!(store.record_counts().unwrap().staff_calls, 1);

        clock.advance(TimeDelta::seconds(40));
        assert!(matches!(
            press(&mut device, &controls, &rx, &clock),
            Some(DeviceAction::CallStaff { .. })
        ));
        assert_eq!(controls.outputs().beeps, [200, 200]);
    }

    #[test]
    fn the_screen_button_shares_the_limit_and_a_failed_call_can_be_retried() {
        let (mut device, controls, rx, clock) = kiosk_at(10, 0);
        let DeviceAction::CallStaff { submission, .. } =
            device.call_staff_from_screen(clock.now(), Lang::En)
        else {
            panic!("should call");
        };
        assert_eq!(submission.data.lang(), Lang::En);
        assert_eq!(
            press(&mut device, &controls, &rx, &clock),
            Some(DeviceAction::Show(ScreenMessage::StaffAlreadyCalled))
        );
        device.staff_call_failed();
        assert!(matches!(
            press(&mut device, &controls, &rx, &clock),
            Some(DeviceAction::CallStaff { .. })
        ));
    }

    #[test]
    fn in_the_evening_the_idle_screen_dims_and_motion_or_touch_wakes_it() {
        let (mut device, controls, rx, clock) = kiosk_at(18, 0);
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::On);
        clock.advance(TimeDelta::minutes(4));
        tick(&mut device, &clock);
        assert_eq!(device.backlight(), Some(Backlight::On));
        clock.advance(TimeDelta::minutes(1));
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::Dim);

        assert!(controls.motion());
        let event = rx.try_recv().unwrap();
        assert_eq!(device.on_event(event, clock.now(), Lang::Bg), None);
        assert_eq!(
            controls.outputs().backlight,
            Backlight::On,
            "motion wakes at once"
        );

        clock.advance(TimeDelta::minutes(6));
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::Dim);
        assert!(device.on_touch(clock.now()), "the waking touch is reported");
        assert_eq!(controls.outputs().backlight, Backlight::On);
        assert!(
            !device.on_touch(clock.now()),
            "a touch on a lit screen is a touch"
        );
    }

    #[test]
    fn at_night_the_idle_screen_turns_off_and_a_touch_brings_it_back() {
        let (mut device, controls, _rx, clock) = kiosk_at(21, 0);
        clock.advance(TimeDelta::minutes(5));
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::Off);
        assert!(device.on_touch(clock.now()));
        assert_eq!(controls.outputs().backlight, Backlight::On);
        clock.advance(TimeDelta::minutes(5));
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::Off);
    }

    #[test]
    fn during_office_hours_the_screen_stays_on() {
        let (mut device, controls, _rx, clock) = kiosk_at(9, 0);
        // Idle all day, lunch break included, until 16:30.
        for _ in 0..15 {
            clock.advance(TimeDelta::minutes(30));
            tick(&mut device, &clock);
            assert_eq!(
                controls.outputs().backlight,
                Backlight::On,
                "{}",
                clock.now()
            );
        }
        // At 17:00 the office closes, and the screen idle since 9:00 dims.
        clock.advance(TimeDelta::minutes(30));
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::Dim);
    }

    #[test]
    fn the_staff_key_keeps_the_screen_on_at_night() {
        let (mut device, controls, rx, clock) = kiosk_at(22, 0);
        assert!(controls.turn_staff_key(true));
        let event = rx.try_recv().unwrap();
        assert_eq!(
            device.on_event(event, clock.now(), Lang::Bg),
            Some(DeviceAction::StaffKey(true))
        );
        assert!(device.staff_mode());
        clock.advance(TimeDelta::minutes(30));
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::On);
        assert_eq!(
            device.on_event(BoardEvent::StaffKey(false), clock.now(), Lang::Bg),
            Some(DeviceAction::StaffKey(false))
        );
        clock.advance(TimeDelta::minutes(5));
        tick(&mut device, &clock);
        assert_eq!(controls.outputs().backlight, Backlight::Off);
    }

    #[test]
    fn the_led_follows_each_input() {
        let (mut device, controls, _rx, clock) = kiosk_at(10, 0);
        let ok = healthy();
        let set = |device: &mut Device, printer, sync: &SyncStatus, fault| {
            device.tick(
                clock.now(),
                &DeviceInputs {
                    printer,
                    sync,
                    internal_fault: fault,
                },
            );
            controls.outputs().led
        };
        assert_eq!(
            set(&mut device, PrinterStatus::Ok, &ok, false),
            LedPattern::Ok
        );
        assert_eq!(
            set(&mut device, PrinterStatus::PaperNearEnd, &ok, false),
            LedPattern::Attention
        );
        assert_eq!(
            set(&mut device, PrinterStatus::PaperOut, &ok, false),
            LedPattern::Attention
        );
        assert_eq!(
            set(&mut device, PrinterStatus::Ok, &ok, true),
            LedPattern::Fault
        );
        let rejected = SyncStatus {
            rejected: 1,
            ..healthy()
        };
        assert_eq!(
            set(&mut device, PrinterStatus::Ok, &rejected, false),
            LedPattern::Attention
        );
        assert_eq!(
            set(&mut device, PrinterStatus::Ok, &ok, false),
            LedPattern::Ok
        );
    }

    #[test]
    fn a_failing_link_lights_the_led_after_an_hour() {
        let (mut device, controls, _rx, clock) = kiosk_at(10, 0);
        let failing = SyncStatus {
            phase: SyncPhase::Waiting,
            failures_in_a_row: 3,
            last_error: Some("cannot reach the central system".into()),
            ..SyncStatus::default()
        };
        let inputs = DeviceInputs {
            printer: PrinterStatus::Ok,
            sync: &failing,
            internal_fault: false,
        };
        device.tick(clock.now(), &inputs);
        assert_eq!(controls.outputs().led, LedPattern::Ok);
        clock.advance(TimeDelta::minutes(59));
        device.tick(clock.now(), &inputs);
        assert_eq!(controls.outputs().led, LedPattern::Ok);
        clock.advance(TimeDelta::minutes(2));
        device.tick(clock.now(), &inputs);
        assert_eq!(controls.outputs().led, LedPattern::Attention);
        tick(&mut device, &clock);
        assert_eq!(
            controls.outputs().led,
            LedPattern::Ok,
            "a success clears it"
        );
    }
}
