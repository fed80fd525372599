//! The board beside the screen, seen from the visit: its events come in on
//! a channel and are handled on the UI thread at each tick; the status LED
//! and the backlight follow the printer, the link to the central system and
//! the visitor's touches; the staff call (the button, or the screen's
//! "call a staff member") is stored through the kiosk, once a minute. With
//! the simulated board, keys in the desktop window stand for the buttons
//! (F1 staff call, F2 motion, F3 staff key).

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::mpsc::Receiver;

use board::{BoardEvent, SimulatedControls};

use super::kiosk::Kiosk;
use super::outlet::{Event, Outlet};
use super::visit::Prefs;
use crate::device::{
    CallDecision, Device, DeviceAction, DeviceInputs, DeviceSettings, ScreenMessage,
    StaffCallLimiter, staff_call_submission,
};
use crate::domain::record::StaffCallSource;

/// The board and what it reports. All optional: tests and screenshots run
/// without hardware.
#[derive(Default)]
pub struct Hardware {
    pub device: Option<Device>,
    pub events: Option<Receiver<BoardEvent>>,
    /// Present with the simulated board: keys in the window press its buttons.
    pub controls: Option<SimulatedControls>,
}

/// What the board asks of the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardRequest {
    /// The staff key was turned on: staff mode without a PIN.
    StaffKeyOn,
    /// The staff key was turned back: leave staff mode.
    StaffKeyOff,
}

/// The board flow.
pub struct BoardFlow {
    me: Weak<BoardFlow>,
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    device: RefCell<Option<Device>>,
    events: Option<Receiver<BoardEvent>>,
    controls: Option<SimulatedControls>,
    /// Without a board the screen's staff calls keep the same minute here.
    screen_calls: RefCell<StaffCallLimiter>,
}

impl BoardFlow {
    pub fn new(
        kiosk: Rc<dyn Kiosk>,
        outlet: Rc<Outlet>,
        prefs: Rc<Prefs>,
        hardware: Hardware,
    ) -> Rc<BoardFlow> {
        let interval = DeviceSettings::from_config(kiosk.config()).staff_call_interval;
        Rc::new_cyclic(|me| BoardFlow {
            me: me.clone(),
            kiosk,
            outlet,
            prefs,
            device: RefCell::new(hardware.device),
            events: hardware.events,
            controls: hardware.controls,
            screen_calls: RefCell::new(StaffCallLimiter::new(interval)),
        })
    }

    /// Handles what the board reported and brings the LED and the backlight
    /// up to date. Returns what the visit must do about the staff key.
    pub fn tick(&self) -> Vec<BoardRequest> {
        let now = self.kiosk.now();
        let lang = self.prefs.lang();
        let events: Vec<BoardEvent> = match &self.events {
            Some(rx) => rx.try_iter().collect(),
            None => Vec::new(),
        };
        let mut actions = Vec::new();
        {
            let mut device = self.device.borrow_mut();
            if let Some(device) = device.as_mut() {
                for event in events {
                    actions.extend(device.on_event(event, now, lang));
                }
                let sync = self.kiosk.sync_status().unwrap_or_default();
                let inputs = DeviceInputs {
                    printer: self.kiosk.printer_status(),
                    sync: &sync,
                    internal_fault: self.kiosk.internal_fault(),
                };
                device.tick(now, &inputs);
            }
        }
        actions
            .into_iter()
            .filter_map(|action| self.carry_out(action))
            .collect()
    }

    /// A touch on the screen (wakes it).
    pub fn touched(&self) {
        if let Some(device) = self.device.borrow_mut().as_mut() {
            device.on_touch(self.kiosk.now());
        }
    }

    /// "Call a staff member" on the screen: through the board's rules when
    /// there is a board (one minute shared with the button), else the same
    /// rule on its own.
    pub fn call_staff(&self) {
        let (now, lang) = (self.kiosk.now(), self.prefs.lang());
        let action = {
            let mut device = self.device.borrow_mut();
            match device.as_mut() {
                Some(device) => device.call_staff_from_screen(now, lang),
                None => match self.screen_calls.borrow_mut().press(now) {
                    CallDecision::Call => DeviceAction::CallStaff {
                        submission: staff_call_submission(StaffCallSource::Screen, lang),
                        message: ScreenMessage::StaffCalled,
                    },
                    CallDecision::AlreadyCalled => {
                        DeviceAction::Show(ScreenMessage::StaffAlreadyCalled)
                    }
                },
            }
        };
        if let Some(request) = self.carry_out(action) {
            tracing::warn!(?request, "a staff call asked for the staff key");
        }
    }

    /// A key of the desktop window standing for a board input ("F1"...).
    pub fn simulated_key(&self, name: &str) {
        let Some(key) = SimulatedKey::from_name(name) else {
            return;
        };
        let Some(controls) = &self.controls else {
            return;
        };
        let sent = match key {
            SimulatedKey::StaffCall => controls.press_staff_call(),
            SimulatedKey::Motion => controls.motion(),
            SimulatedKey::StaffKey => {
                let on = self
                    .device
                    .borrow()
                    .as_ref()
                    .is_some_and(|d| d.staff_mode());
                controls.turn_staff_key(!on)
            }
        };
        if !sent {
            tracing::warn!(?key, "the simulated board did not take the key");
        }
    }

    /// Carries out what the board's rules decided.
    fn carry_out(&self, action: DeviceAction) -> Option<BoardRequest> {
        let lang = self.prefs.lang();
        match action {
            DeviceAction::Show(message) => {
                self.outlet
                    .emit(Event::Notice(message.text(lang).to_owned()));
                None
            }
            DeviceAction::StaffKey(true) => Some(BoardRequest::StaffKeyOn),
            DeviceAction::StaffKey(false) => Some(BoardRequest::StaffKeyOff),
            DeviceAction::CallStaff {
                submission,
                message,
            } => {
                self.outlet
                    .emit(Event::Notice(message.text(lang).to_owned()));
                let me = self.me.clone();
                self.kiosk.submit(
                    submission,
                    Box::new(move |result| {
                        let (Some(me), Err(err)) = (me.upgrade(), result) else {
                            return;
                        };
                        tracing::error!(%err, "cannot store a staff call");
                        let lang = me.prefs.lang();
                        me.outlet.emit(Event::Notice(
                            ScreenMessage::StaffCallFailed.text(lang).to_owned(),
                        ));
                        // The next press calls again at once.
                        match me.device.borrow_mut().as_mut() {
                            Some(device) => device.staff_call_failed(),
                            None => me.screen_calls.borrow_mut().forget(),
                        }
                    }),
                    Box::new(|_| {}),
                );
                None
            }
        }
    }
}

/// A key in the desktop window that stands for a board input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimulatedKey {
    StaffCall,
    Motion,
    StaffKey,
}

impl SimulatedKey {
    /// The key's name as the window reports it ("F1", ...).
    pub fn from_name(name: &str) -> Option<SimulatedKey> {
        match name {
            "F1" => Some(SimulatedKey::StaffCall),
            "F2" => Some(SimulatedKey::Motion),
            "F3" => Some(SimulatedKey::StaffKey),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::fake::FakeKiosk;

    fn flow(hardware: Hardware) -> (Rc<FakeKiosk>, Rc<Outlet>, Rc<BoardFlow>) {
        let kiosk = FakeKiosk::new();
        let outlet = Outlet::new();
        let prefs = Prefs::new(kiosk.config());
        let flow = BoardFlow::new(kiosk.clone(), outlet.clone(), prefs, hardware);
        (kiosk, outlet, flow)
    }

    fn notices(outlet: &Outlet) -> Vec<String> {
        outlet
            .take()
            .into_iter()
            .filter_map(|e| match e {
                Event::Notice(n) => Some(n),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_screens_staff_call_is_stored_once_a_minute_without_a_board() {
        let (kiosk, outlet, flow) = flow(Hardware::default());
        flow.call_staff();
        kiosk.answer_all();
        assert!(notices(&outlet)[0].starts_with("Повикахме служител"));
        flow.call_staff();
        kiosk.answer_all();
        assert!(notices(&outlet)[0].starts_with("Служител вече е повикан"));
        assert_eq!(kiosk.submitted().len(), 1);
    }

    #[test]
    fn a_staff_call_that_was_not_stored_says_so_and_may_be_tried_again() {
        let (kiosk, outlet, flow) = flow(Hardware::default());
        kiosk.fail_submissions(true);
        flow.call_staff();
        kiosk.answer_all();
        assert!(
            notices(&outlet)
                .iter()
                .any(|n| n.starts_with("Повикването не успя"))
        );
        kiosk.fail_submissions(false);
        flow.call_staff();
        kiosk.answer_all();
        assert!(notices(&outlet)[0].starts_with("Повикахме служител"));
        assert_eq!(kiosk.submitted().len(), 2);
    }

    #[test]
    fn the_simulated_board_turns_its_key_and_presses_its_button() {
        let kiosk = FakeKiosk::new();
        let (tx, rx) = std::sync::mpsc::channel();
        let opened =
            board::open(&crate::device::board_settings(&kiosk.config().board), tx).unwrap();
        let device = Device::new(
            opened.board,
            DeviceSettings::from_config(kiosk.config()),
            kiosk.now(),
        );
        let (kiosk, outlet, flow) = flow(Hardware {
            device: Some(device),
            events: Some(rx),
            controls: opened.controls,
        });
        flow.simulated_key("F3");
        assert_eq!(flow.tick(), [BoardRequest::StaffKeyOn]);
        flow.simulated_key("F3");
        assert_eq!(flow.tick(), [BoardRequest::StaffKeyOff]);
        flow.simulated_key("F1");
        assert!(flow.tick().is_empty());
        kiosk.answer_all();
        assert!(notices(&outlet)[0].starts_with("Повикахме служител"));
        assert_eq!(kiosk.submitted().len(), 1);
        flow.simulated_key("nothing");
    }

    #[test]
    fn function_keys_stand_for_the_board_inputs() {
        assert_eq!(SimulatedKey::from_name("F1"), Some(SimulatedKey::StaffCall));
        assert_eq!(SimulatedKey::from_name("F2"), Some(SimulatedKey::Motion));
        assert_eq!(SimulatedKey::from_name("F3"), Some(SimulatedKey::StaffKey));
        assert_eq!(SimulatedKey::from_name("a"), None);
    }
}
