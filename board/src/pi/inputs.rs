//! The Pi's inputs: staff-call button, staff key switch, motion sensor.
//!
//! Each input gets an rppal asynchronous interrupt with the configured
//! debounce; the callback, on rppal's thread, turns the edge into a
//! [`BoardEvent`] and sends it. A send to a channel nobody reads any more
//! is dropped quietly: the kiosk is shutting down.

use rppal::gpio::{Gpio, InputPin, Level, Trigger};

use super::gpio_error::{self, PinUse};
use crate::{BoardError, BoardEvent, BoardSettings, EventSink};

/// The edge with which a line becomes active.
fn active_edge(active_low: bool) -> Trigger {
    if active_low {
        Trigger::FallingEdge
    } else {
        Trigger::RisingEdge
    }
}

/// What an edge on each input means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    StaffCall,
    StaffKey,
    Motion,
}

impl Input {
    /// The event for an edge, `None` for the edge that means nothing (a
    /// button let go, the sensor calming down).
    fn event(self, edge: Trigger, active_low: bool) -> Option<BoardEvent> {
        let activated = edge == active_edge(active_low);
        match self {
            Input::StaffCall => activated.then_some(BoardEvent::StaffCallPressed),
            Input::Motion => activated.then_some(BoardEvent::Motion),
            Input::StaffKey => Some(BoardEvent::StaffKey(activated)),
        }
    }
}

/// Arms every fitted input. The returned pins must be kept: dropping one
/// disarms it. If the staff key is already turned on, says so at once.
pub(super) fn arm(
    gpio: &Gpio,
    settings: &BoardSettings,
    events: &EventSink,
) -> Result<Vec<InputPin>, BoardError> {
    let buttons = settings.buttons_active_low;
    let wanted = [
        (
            "staff_call_pin",
            settings.pins.staff_call,
            Input::StaffCall,
            buttons,
        ),
        (
            "staff_key_pin",
            settings.pins.staff_key,
            Input::StaffKey,
            buttons,
        ),
        (
            "motion_pin",
            settings.pins.motion,
            Input::Motion,
            settings.motion_active_low,
        ),
    ];
    let mut armed = Vec::new();
    for (key, pin, input, active_low) in wanted {
        let Some(pin) = pin else { continue };
        let map = |e| gpio_error::map(e, Some(PinUse { key, pin }));
        let raw = gpio.get(pin).map_err(map)?;
        let mut line = match input {
            // The sensor drives its line; a pull would only fight it.
            Input::Motion => raw.into_input(),
            _ if active_low => raw.into_input_pullup(),
            _ => raw.into_input_pulldown(),
        };
        let trigger = match input {
            Input::StaffKey => Trigger::Both,
            _ => active_edge(active_low),
        };
        let sink = events.clone();
        line.set_async_interrupt(trigger, Some(settings.debounce), move |ev| {
            if let Some(event) = input.event(ev.trigger, active_low) {
                let _ = sink.send(event);
            }
        })
        .map_err(map)?;
        if input == Input::StaffKey {
            let active_level = if active_low { Level::Low } else { Level::High };
            if line.read() == active_level {
                let _ = events.send(BoardEvent::StaffKey(true));
            }
        }
        armed.push(line);
    }
    Ok(armed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_button_to_ground_presses_on_the_falling_edge_only() {
        assert_eq!(
            Input::StaffCall.event(Trigger::FallingEdge, true),
            Some(BoardEvent::StaffCallPressed)
        );
        assert_eq!(Input::StaffCall.event(Trigger::RisingEdge, true), None);
        assert_eq!(
            Input::StaffCall.event(Trigger::RisingEdge, false),
            Some(BoardEvent::StaffCallPressed)
        );
    }

    #[test]
    fn the_key_reports_both_ways() {
        assert_eq!(
            Input::StaffKey.event(Trigger::FallingEdge, true),
            Some(BoardEvent::StaffKey(true))
        );
        assert_eq!(
            Input::StaffKey.event(Trigger::RisingEdge, true),
            Some(BoardEvent::StaffKey(false))
        );
    }

    #[test]
    fn a_pir_sensor_reports_motion_when_its_line_rises() {
        assert_eq!(
            Input::Motion.event(Trigger::RisingEdge, false),
            Some(BoardEvent::Motion)
        );
        assert_eq!(Input::Motion.event(Trigger::FallingEdge, false), None);
    }
}
