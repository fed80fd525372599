//! The device's settings, taken from kiosk.toml: `[board]` for the board
//! crate, `[display]`, `[hours]` and `[calendar]` for the kiosk's rules.
//!
//! The board crate does not know the kiosk's configuration; this is the one
//! place that maps `[board]` onto [`board::BoardSettings`].

use std::time::Duration;

use chrono::TimeDelta;

use super::backlight::ScreenRules;
use crate::config::{BoardKind, BoardSection, Config};
use crate::domain::calendar::Calendar;
use crate::domain::hours::OfficeHours;

/// The board crate's settings from `[board]`.
pub fn board_settings(section: &BoardSection) -> board::BoardSettings {
    board::BoardSettings {
        kind: match section.kind {
            BoardKind::Simulated => board::BoardKind::Simulated,
            BoardKind::Pi => board::BoardKind::Pi,
            BoardKind::Auto => board::BoardKind::Auto,
        },
        pins: board::Pins {
            staff_call: section.staff_call_pin,
            staff_key: section.staff_key_pin,
            motion: section.motion_pin,
            led: section.led_pin,
            buzzer: section.buzzer_pin,
        },
        buttons_active_low: section.buttons_active_low,
        motion_active_low: section.motion_active_low,
        debounce: Duration::from_millis(section.debounce_ms.into()),
        backlight: section.backlight.clone(),
        backlight_dim_percent: section.backlight_dim_percent,
    }
}

/// What the [`super::Device`] needs to decide the LED, the backlight and
/// staff calls.
#[derive(Clone)]
pub struct DeviceSettings {
    pub hours: OfficeHours,
    pub calendar: Calendar,
    pub screen: ScreenRules,
    /// At most one staff call per this long (one minute).
    pub staff_call_interval: TimeDelta,
    /// The link to the central system may fail this long before the LED
    /// asks for attention (one hour).
    pub sync_attention_after: TimeDelta,
    /// Length of the beep that confirms a staff call, in milliseconds.
    pub beep_ms: u32,
}

impl DeviceSettings {
    /// The settings for this configuration.
    pub fn from_config(config: &Config) -> Self {
        Self {
            hours: config.office_hours(),
            calendar: config.calendar(),
            screen: ScreenRules {
                dim_after: TimeDelta::minutes(config.display.dim_after_idle_mins.into()),
                night_from: config.display.night_from.0,
                night_until: config.display.night_until.0,
            },
            staff_call_interval: TimeDelta::minutes(1),
            sync_attention_after: TimeDelta::hours(1),
            beep_ms: 200,
        }
    }
}

impl std::fmt::Debug for DeviceSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSettings")
            .field("hours", &self.hours)
            .field("screen", &self.screen)
            .field("staff_call_interval", &self.staff_call_interval)
            .field("sync_attention_after", &self.sync_attention_after)
            .field("beep_ms", &self.beep_ms)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use std::path::Path;

    const SHIPPED: &str = include_str!("../../kiosk.toml");

    fn shipped_with(from: &str, to: &str) -> Result<Config, Vec<crate::config::ConfigIssue>> {
        assert!(SHIPPED.contains(from), "{from:?} not in kiosk.toml");
        parse(&SHIPPED.replacen(from, to, 1), Vec::new(), Path::new("."))
    }

    #[test]
    fn the_shipped_wiring_reaches_the_board_crate() {
        let config = parse(SHIPPED, Vec::new(), Path::new(".")).unwrap();
        let s = board_settings(&config.board);
        assert_eq!(s.kind, board::BoardKind::Simulated);
        assert_eq!(s.pins, board::Pins::default());
        assert!(s.buttons_active_low && !s.motion_active_low);
        assert_eq!(s.debounce, Duration::from_millis(50));
        assert_eq!(s.backlight_dim_percent, 20);
        assert_eq!(s.issues(), []);
        let d = DeviceSettings::from_config(&config);
        assert_eq!(d.screen.dim_after, TimeDelta::minutes(5));
        assert_eq!(d.screen.night_from.to_string(), "20:00:00");
        assert_eq!(d.screen.night_until.to_string(), "07:00:00");
    }

    #[test]
    fn the_kind_is_mapped_one_to_one() {
        for (text, kind) in [
            ("pi", board::BoardKind::Pi),
            ("auto", board::BoardKind::Auto),
        ] {
            let config =
                shipped_with("kind = \"simulated\"", &format!("kind = \"{text}\"")).unwrap();
            assert_eq!(board_settings(&config.board).kind, kind);
        }
    }

    #[test]
    fn bad_screen_and_board_values_name_their_keys() {
        let cases = [
            (
                "backlight_dim_percent = 20",
                "backlight_dim_percent = 0",
                "board.backlight_dim_percent",
            ),
            (
                "dim_after_idle_mins = 5",
                "dim_after_idle_mins = 0",
                "display.dim_after_idle_mins",
            ),
            (
                "night_from = \"20:00\"",
                "night_from = \"8 pm\"",
                "display.night_from",
            ),
            (
                "backlight = \"\"",
                "backlight = \"../x\"",
                "board.backlight",
            ),
            ("motion_pin = 22", "motion_pin = 17", "board.motion_pin"),
            ("led_pin = 23", "led_pin = 30", "board.led_pin"),
            ("debounce_ms = 50", "debounce_ms = 0", "board.debounce_ms"),
        ];
        for (from, to, key) in cases {
            let issues = shipped_with(from, to).unwrap_err();
            assert!(issues.iter().any(|i| i.key == key), "{to}: {issues:?}");
        }
    }

    #[test]
    fn the_new_keys_may_be_left_out() {
        let mut text = SHIPPED.to_string();
        for line in [
            "backlight_dim_percent = 20\n",
            "motion_active_low = false\n",
            "dim_after_idle_mins = 5\n",
            "night_from = \"20:00\"\n",
            "night_until = \"07:00\"\n",
        ] {
            assert!(text.contains(line), "{line:?}");
            text = text.replacen(line, "", 1);
        }
        let config = parse(&text, Vec::new(), Path::new(".")).unwrap();
        assert_eq!(config.board.backlight_dim_percent, 20);
        assert_eq!(config.display.dim_after_idle_mins, 5);
        assert_eq!(config.display.night_until.to_string(), "07:00");
    }
}
