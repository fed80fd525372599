//! The Raspberry Pi board (Pi 4 and Pi 5) through rppal.
//!
//! Inputs use rppal's asynchronous interrupts with its debounce: rppal calls
//! back on its own thread and the callback only sends a [`BoardEvent`] into
//! the application's channel. The status LED blinks by rppal's software
//! PWM; the buzzer is switched on and off by a small thread of its own so
//! that [`Board::beep`] returns at once; the backlight is sysfs.
//!
//! Wiring assumed: the LED (with its resistor) and the buzzer (an active
//! buzzer, through a transistor) are on when their pin is high; buttons and
//! the motion sensor follow [`BoardSettings`].
//!
//! Invariant: this is the only module that uses rppal. Every rppal error is
//! turned into a [`BoardError`] that names the pin and says what to do.

mod buzzer;
mod gpio_error;
mod inputs;

use rppal::gpio::{Gpio, OutputPin};

use self::buzzer::Buzzer;
use self::gpio_error::PinUse;
use crate::backlight::{SYSFS_ROOT, SysfsBacklight};
use crate::{Backlight, Board, BoardError, BoardSettings, EventSink, LedPattern};

/// Blink rates of the status LED, in hertz, half on and half off.
const ATTENTION_HZ: f64 = 1.0;
const FAULT_HZ: f64 = 4.0;

/// Whether this machine is a Raspberry Pi that rppal knows.
pub fn is_raspberry_pi() -> bool {
    rppal::system::DeviceInfo::new().is_ok()
}

/// The kiosk's GPIO and backlight on a Raspberry Pi.
pub struct PiBoard {
    name: String,
    // Held so their interrupts stay armed; dropping one stops its events.
    _inputs: Vec<rppal::gpio::InputPin>,
    led: Option<OutputPin>,
    buzzer: Option<Buzzer>,
    backlight: Option<SysfsBacklight>,
}

impl PiBoard {
    /// Claims the configured pins and arms the inputs. Fails with
    /// [`BoardError::NotARaspberryPi`] on any other machine.
    pub fn open(settings: &BoardSettings, events: EventSink) -> Result<Self, BoardError> {
        if let Some(issue) = settings.issues().into_iter().next() {
            return Err(BoardError::Settings {
                key: issue.key,
                message: issue.message,
            });
        }
        let gpio = Gpio::new().map_err(|e| gpio_error::map(e, None))?;
        let model = rppal::system::DeviceInfo::new()
            .map(|info| info.model().to_string())
            .unwrap_or_else(|_| "Raspberry Pi".into());
        let inputs = inputs::arm(&gpio, settings, &events)?;
        let led = match settings.pins.led {
            Some(pin) => Some(output(&gpio, "led_pin", pin)?),
            None => None,
        };
        let buzzer = match settings.pins.buzzer {
            Some(pin) => Some(Buzzer::start(output(&gpio, "buzzer_pin", pin)?)?),
            None => None,
        };
        let backlight = SysfsBacklight::find(
            std::path::Path::new(SYSFS_ROOT),
            &settings.backlight,
            settings.backlight_dim_percent,
        )?;
        match &backlight {
            Some(bl) => tracing::info!(path = %bl.path().display(), "backlight found"),
            None => tracing::warn!(
                "no backlight under {SYSFS_ROOT}: the screen will not dim or turn off"
            ),
        }
        Ok(Self {
            name: model,
            _inputs: inputs,
            led,
            buzzer,
            backlight,
        })
    }
}

/// `pin` as an output, low, left low when the kiosk stops.
fn output(gpio: &Gpio, key: &'static str, pin: u8) -> Result<OutputPin, BoardError> {
    let mut out = gpio
        .get(pin)
        .map_err(|e| gpio_error::map(e, Some(PinUse { key, pin })))?
        .into_output_low();
    out.set_reset_on_drop(true);
    Ok(out)
}

impl Board for PiBoard {
    fn name(&self) -> &str {
        &self.name
    }

    fn set_led(&mut self, pattern: LedPattern) -> Result<(), BoardError> {
        let Some(led) = self.led.as_mut() else {
            return Ok(());
        };
        let pin = led.pin();
        let map = |e| {
            gpio_error::map(
                e,
                Some(PinUse {
                    key: "led_pin",
                    pin,
                }),
            )
        };
        match pattern {
            LedPattern::Off => {
                led.clear_pwm().map_err(map)?;
                led.set_low();
            }
            LedPattern::Ok => {
                led.clear_pwm().map_err(map)?;
                led.set_high();
            }
            LedPattern::Attention => led.set_pwm_frequency(ATTENTION_HZ, 0.5).map_err(map)?,
            LedPattern::Fault => led.set_pwm_frequency(FAULT_HZ, 0.5).map_err(map)?,
        }
        Ok(())
    }

    fn beep(&mut self, millis: u32) -> Result<(), BoardError> {
        match &self.buzzer {
            Some(buzzer) => buzzer.beep(millis),
            None => Ok(()),
        }
    }

    fn set_backlight(&mut self, level: Backlight) -> Result<(), BoardError> {
        match &self.backlight {
            Some(bl) => bl.set(level),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn off_a_pi_opening_says_so() {
        if is_raspberry_pi() {
            return;
        }
        let (tx, _rx) = mpsc::channel();
        let Err(err) = PiBoard::open(&BoardSettings::default(), tx) else {
            panic!("opened a Pi board on a machine that is not a Pi");
        };
        assert!(matches!(err, BoardError::NotARaspberryPi), "{err}");
    }

    #[test]
    fn bad_settings_are_refused_before_touching_the_gpio() {
        let mut settings = BoardSettings::default();
        settings.pins.led = Some(40);
        let (tx, _rx) = mpsc::channel();
        let Err(err) = PiBoard::open(&settings, tx) else {
            panic!("accepted GPIO 40");
        };
        assert!(err.to_string().starts_with("[board] led_pin:"), "{err}");
    }
}
