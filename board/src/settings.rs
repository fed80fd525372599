//! How the board is wired: which implementation runs, which BCM GPIO pin
//! does what, the active levels, the debounce time and the backlight.
//!
//! The kiosk maps its `[board]` section onto [`BoardSettings`]; this crate
//! knows nothing of kiosk.toml beyond the key names it quotes in errors.
//! Invariant: [`BoardSettings::issues`] is empty for any settings that
//! [`crate::open`] accepts: pins 0-27, each used once, a debounce of 1 to
//! 1000 ms, a dim level of 1 to 100 %.

use std::time::Duration;

/// The highest BCM GPIO number on the 40-pin header of a Pi 4 or Pi 5.
pub const MAX_PIN: u8 = 27;

/// Which board implementation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardKind {
    /// Software only: keyboard shortcuts and tests press the buttons.
    #[default]
    Simulated,
    /// The Raspberry Pi's GPIO; fails loudly on any other machine.
    Pi,
    /// The Pi when this is one, otherwise the simulated board (with a
    /// warning in the log).
    Auto,
}

/// BCM GPIO numbers; `None` where the part is not fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pins {
    pub staff_call: Option<u8>,
    pub staff_key: Option<u8>,
    pub motion: Option<u8>,
    pub led: Option<u8>,
    pub buzzer: Option<u8>,
}

impl Default for Pins {
    /// The wiring in the README: 17 staff call, 27 staff key, 22 motion,
    /// 23 LED, 24 buzzer.
    fn default() -> Self {
        Self {
            staff_call: Some(17),
            staff_key: Some(27),
            motion: Some(22),
            led: Some(23),
            buzzer: Some(24),
        }
    }
}

impl Pins {
    /// Every fitted part's pin with its `[board]` key, in a fixed order.
    pub fn fitted(&self) -> Vec<(&'static str, u8)> {
        [
            ("staff_call_pin", self.staff_call),
            ("staff_key_pin", self.staff_key),
            ("motion_pin", self.motion),
            ("led_pin", self.led),
            ("buzzer_pin", self.buzzer),
        ]
        .into_iter()
        .filter_map(|(key, pin)| pin.map(|p| (key, p)))
        .collect()
    }
}

/// Everything the board needs to know from `[board]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardSettings {
    pub kind: BoardKind,
    pub pins: Pins,
    /// The staff-call button and the key switch connect their pin to
    /// ground (internal pull-up on); `false`: to 3.3 V (pull-down on).
    pub buttons_active_low: bool,
    /// The motion sensor pulls its line low when it sees someone; most PIR
    /// modules drive it high, so this is usually `false`. No pull resistor
    /// is switched on: the sensor drives the line.
    pub motion_active_low: bool,
    /// Edges closer together than this are one press.
    pub debounce: Duration,
    /// The name under `/sys/class/backlight`; empty: the first one there.
    pub backlight: String,
    /// Brightness of [`crate::Backlight::Dim`] in percent of the maximum.
    pub backlight_dim_percent: u8,
}

impl Default for BoardSettings {
    fn default() -> Self {
        Self {
            kind: BoardKind::Simulated,
            pins: Pins::default(),
            buttons_active_low: true,
            motion_active_low: false,
            debounce: Duration::from_millis(50),
            backlight: String::new(),
            backlight_dim_percent: 20,
        }
    }
}

/// One thing wrong with the settings, named by its `[board]` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsIssue {
    pub key: &'static str,
    pub message: String,
}

impl BoardSettings {
    /// Every problem with these settings; empty when they can be used.
    pub fn issues(&self) -> Vec<SettingsIssue> {
        let mut out = Vec::new();
        let mut seen: Vec<(&'static str, u8)> = Vec::new();
        for (key, pin) in self.pins.fitted() {
            if pin > MAX_PIN {
                out.push(SettingsIssue {
                    key,
                    message: format!("GPIO {pin} is out of range; allowed 0 to {MAX_PIN}"),
                });
            }
            if let Some((first, _)) = seen.iter().find(|(_, p)| *p == pin) {
                out.push(SettingsIssue {
                    key,
                    message: format!(
                        "GPIO {pin} is already used by {first}; each pin does one thing"
                    ),
                });
            }
            seen.push((key, pin));
        }
        let ms = self.debounce.as_millis();
        if !(1..=1000).contains(&ms) {
            out.push(SettingsIssue {
                key: "debounce_ms",
                message: format!("{ms} is out of range; allowed 1 to 1000"),
            });
        }
        if !(1..=100).contains(&self.backlight_dim_percent) {
            out.push(SettingsIssue {
                key: "backlight_dim_percent",
                message: format!(
                    "{} is out of range; allowed 1 to 100",
                    self.backlight_dim_percent
                ),
            });
        }
        if self.backlight.contains('/') || self.backlight == ".." {
            out.push(SettingsIssue {
                key: "backlight",
                message: format!(
                    "{:?} is not a name under /sys/class/backlight, e.g. \"11-0045\"",
                    self.backlight
                ),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_usable() {
        assert_eq!(BoardSettings::default().issues(), []);
    }

    #[test]
    fn a_pin_above_27_is_named() {
        let mut s = BoardSettings::default();
        s.pins.motion = Some(28);
        let issues = s.issues();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].key, "motion_pin");
        assert!(issues[0].message.contains("0 to 27"), "{issues:?}");
    }

    #[test]
    fn a_pin_used_twice_names_the_second_key_and_the_first() {
        let mut s = BoardSettings::default();
        s.pins.buzzer = s.pins.led;
        let issues = s.issues();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].key, "buzzer_pin");
        assert!(issues[0].message.contains("led_pin"), "{issues:?}");
    }

    #[test]
    fn parts_not_fitted_need_no_pin() {
        let s = BoardSettings {
            pins: Pins {
                staff_call: Some(0),
                staff_key: None,
                motion: None,
                led: None,
                buzzer: None,
            },
            ..BoardSettings::default()
        };
        assert_eq!(s.issues(), []);
        assert_eq!(s.pins.fitted(), [("staff_call_pin", 0)]);
    }

    #[test]
    fn debounce_dim_level_and_backlight_name_are_checked() {
        let s = BoardSettings {
            debounce: Duration::ZERO,
            backlight_dim_percent: 0,
            backlight: "../../etc".into(),
            ..BoardSettings::default()
        };
        let keys: Vec<_> = s.issues().iter().map(|i| i.key).collect();
        assert_eq!(keys, ["debounce_ms", "backlight_dim_percent", "backlight"]);
    }
}
