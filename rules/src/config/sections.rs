//! The sections of kiosk.toml as typed structs.
//!
//! Every struct refuses unknown keys, so a misspelt key is an error and not
//! a silently ignored line. Keys with a sensible default may be left out;
//! identity, contacts and hours may not, because no default could be right
//! for another town hall. Cross-field rules live in `validate.rs`.

use std::path::PathBuf;

use serde::Deserialize;

use super::values::{ClockTime, ConfigDate, PrinterEncoding, PrinterTransport};
use crate::domain::catalogue::{Desk, Service, ServiceGroup};
use crate::domain::complaint::Category;
use crate::domain::{Lang, Localized};

/// The whole of kiosk.toml, read section by section (see `read.rs`).
#[derive(Debug, Clone)]
pub struct Config {
    pub kiosk: KioskSection,
    pub contacts: Contacts,
    pub hours: Hours,
    pub calendar: CalendarSection,
    pub desks: Vec<Desk>,
    pub service_groups: Vec<ServiceGroup>,
    pub services: Vec<Service>,
    pub complaints: Complaints,
    pub rating: RatingSection,
    pub printer: Printer,
    pub receipt: ReceiptSection,
    pub board: BoardSection,
    pub display: Display,
    pub accessibility: Accessibility,
    pub central: Central,
    pub staff: Staff,
    pub privacy: Privacy,
    pub storage: Storage,
    pub speech: Speech,
}

/// Who this kiosk is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskSection {
    /// Unique name of this kiosk at the central system.
    pub id: String,
    /// Prefix of receipt numbers, unique per kiosk, e.g. "KV1".
    pub receipt_prefix: String,
    /// The municipality's name as printed and shown.
    pub municipality: Localized,
    /// Where the kiosk stands, for staff and the central system.
    #[serde(default)]
    pub location: Localized,
}

/// How visitors reach the municipality other than through the kiosk.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    pub address: Localized,
    pub phone: String,
    pub email: String,
    pub website: String,
    /// Id of the registry desk (Деловодство) in `[[desks]]`.
    pub registry_desk: String,
    /// Where appeals of administrative acts go: a kiosk complaint is not one.
    pub appeals: Localized,
}

/// Office hours of every working day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub opens: ClockTime,
    pub closes: ClockTime,
    pub lunch_start: ClockTime,
    pub lunch_end: ClockTime,
}

/// A day moved by a decision of the Council of Ministers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayOverride {
    pub date: ConfigDate,
    /// The decision or reason, for whoever reads the file next year.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSection {
    #[serde(default)]
    pub extra_days_off: Vec<DayOverride>,
    #[serde(default)]
    pub extra_working_days: Vec<DayOverride>,
}

/// The complaint form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaints {
    pub categories: Vec<Category>,
    #[serde(default = "defaults::max_text_chars")]
    pub max_text_chars: usize,
}

/// A follow-up reason a rating can name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingReason {
    pub id: String,
    pub name: Localized,
}

/// The rating flow's follow-up questions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingSection {
    pub reasons: Vec<RatingReason>,
    /// Reasons offered after a score of 1-3 ("what went wrong").
    pub low_reasons: Vec<String>,
    /// Reasons offered after a score of 4-5 ("what was good").
    pub high_reasons: Vec<String>,
}

/// The receipt printer.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Printer {
    pub transport: PrinterTransport,
    pub encoding: PrinterEncoding,
    /// The printer's own number for that code page in `ESC t n`.
    pub esc_t_n: u8,
    /// Send `FS .` after init: printers sold in Asia start in Kanji mode.
    pub cancel_kanji: bool,
    /// Characters per line in the normal font (48 for 80 mm paper, Font A).
    pub columns: u16,
    /// Print the whole slip in double size.
    pub large_print: bool,
    /// Longest wait for one write or status read.
    #[serde(default = "defaults::printer_timeout_ms")]
    pub timeout_ms: u32,
}

impl Default for Printer {
    fn default() -> Self {
        Self {
            transport: PrinterTransport::File("data/receipts.bin".into()),
            encoding: PrinterEncoding::Cp866,
            esc_t_n: 17,
            cancel_kanji: true,
            columns: 48,
            large_print: false,
            timeout_ms: defaults::printer_timeout_ms(),
        }
    }
}

/// Which board implementation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BoardKind {
    #[default]
    Simulated,
    Pi,
    Auto,
}

/// The board's wiring (BCM GPIO numbers).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoardSection {
    pub kind: BoardKind,
    pub staff_call_pin: Option<u8>,
    pub staff_key_pin: Option<u8>,
    pub motion_pin: Option<u8>,
    pub led_pin: Option<u8>,
    pub buzzer_pin: Option<u8>,
    /// Buttons pull the pin to ground (internal pull-up on).
    #[serde(default = "defaults::yes")]
    pub buttons_active_low: bool,
    #[serde(default = "defaults::debounce_ms")]
    pub debounce_ms: u32,
    /// /sys/class/backlight/<name>; empty: the first one found.
    #[serde(default)]
    pub backlight: String,
    /// The motion sensor pulls its line low when it sees someone (most PIR
    /// modules drive it high: `false`).
    #[serde(default)]
    pub motion_active_low: bool,
    /// Brightness of a dimmed screen, in percent of full.
    #[serde(default = "defaults::backlight_dim_percent")]
    pub backlight_dim_percent: u8,
}

impl Default for BoardSection {
    fn default() -> Self {
        Self {
            kind: BoardKind::Simulated,
            staff_call_pin: None,
            staff_key_pin: None,
            motion_pin: None,
            led_pin: None,
            buzzer_pin: None,
            buttons_active_low: true,
            debounce_ms: defaults::debounce_ms(),
            backlight: String::new(),
            motion_active_low: false,
            backlight_dim_percent: defaults::backlight_dim_percent(),
        }
    }
}

impl BoardSection {
    /// Every configured pin with its key, for checks and for the Pi board.
    pub fn pins(&self) -> Vec<(&'static str, u8)> {
        [
            ("staff_call_pin", self.staff_call_pin),
            ("staff_key_pin", self.staff_key_pin),
            ("motion_pin", self.motion_pin),
            ("led_pin", self.led_pin),
            ("buzzer_pin", self.buzzer_pin),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .collect()
    }
}

/// The touchscreen: its size in pixels and millimetres sets touch-target sizes.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Display {
    pub width_px: u32,
    pub height_px: u32,
    pub width_mm: u32,
    pub height_mm: u32,
    /// Screen rotation in degrees: 0, 90, 180 or 270.
    #[serde(default)]
    pub rotation: u16,
    /// Outside office hours, the screen dims after this many minutes with
    /// nobody touching it or passing the motion sensor.
    #[serde(default = "defaults::dim_after_idle_mins")]
    pub dim_after_idle_mins: u32,
    /// From this time until `night_until` the idle screen turns off instead
    /// of dimming; the same time twice: never off.
    #[serde(default = "defaults::night_from")]
    pub night_from: ClockTime,
    #[serde(default = "defaults::night_until")]
    pub night_until: ClockTime,
}

impl Default for Display {
    fn default() -> Self {
        Self {
            width_px: 1280,
            height_px: 800,
            width_mm: 217,
            height_mm: 136,
            rotation: 0,
            dim_after_idle_mins: defaults::dim_after_idle_mins(),
            night_from: defaults::night_from(),
            night_until: defaults::night_until(),
        }
    }
}

/// What a visitor gets before touching anything.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Accessibility {
    pub default_language: Lang,
    /// Start in large-text mode.
    pub large_text: bool,
    /// Ask "Do you need more time?" after this long without a touch.
    pub idle_reset_secs: u32,
    /// How long that question stays on screen before everything typed is
    /// cleared and the kiosk goes back home in the default language.
    pub idle_warning_secs: u32,
    /// "Touch the screen" attract state after this long without a touch.
    pub attract_after_secs: u32,
}

impl Default for Accessibility {
    fn default() -> Self {
        Self {
            default_language: Lang::Bg,
            large_text: false,
            idle_reset_secs: 60,
            idle_warning_secs: 20,
            attract_after_secs: 180,
        }
    }
}

/// The municipality's central system.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Central {
    /// Base URL; empty: no central system, records stay queued.
    pub url: String,
    /// File holding the bearer token (mode 0600).
    pub token_file: PathBuf,
    /// Extra CA certificate (PEM); empty: the system roots.
    pub ca_file: PathBuf,
    pub batch_size: u32,
    pub heartbeat_secs: u32,
    #[serde(default = "defaults::connect_timeout_secs")]
    pub connect_timeout_secs: u32,
    #[serde(default = "defaults::request_timeout_secs")]
    pub request_timeout_secs: u32,
}

impl Default for Central {
    fn default() -> Self {
        Self {
            url: String::new(),
            token_file: PathBuf::new(),
            ca_file: PathBuf::new(),
            batch_size: 100,
            heartbeat_secs: 300,
            connect_timeout_secs: defaults::connect_timeout_secs(),
            request_timeout_secs: defaults::request_timeout_secs(),
        }
    }
}

/// Staff mode.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Staff {
    /// Argon2id hash of the staff PIN, made by `kiosk hash-pin`; empty: key switch only.
    pub pin_hash: String,
    /// Where exports go when no USB stick is mounted; empty: USB sticks only.
    pub export_dir: PathBuf,
    #[serde(default = "defaults::staff_logout_secs")]
    pub idle_logout_secs: u32,
}

impl Default for Staff {
    fn default() -> Self {
        Self {
            pin_hash: String::new(),
            export_dir: PathBuf::new(),
            idle_logout_secs: defaults::staff_logout_secs(),
        }
    }
}

/// What the slip offers beyond the kiosk (contract 1.2).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReceiptSection {
    /// The municipality's public status page, e.g. `https://desk.example.bg/r`:
    /// the slip's QR code holds `{status_url}/{number}?c={check_code}`.
    /// Empty: no QR code, and the slip promises no web page.
    pub status_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Privacy {
    /// Days personal data stays after the central system has the record.
    pub keep_days_after_delivery: u32,
}

impl Default for Privacy {
    fn default() -> Self {
        Self {
            keep_days_after_delivery: 30,
        }
    }
}

/// Where the records live. Required: a kiosk that guessed its database
/// would start numbering receipts from 1 in an empty file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// The SQLite database file.
    pub database: PathBuf,
    /// Make the database when it does not exist (the desktop set-up). An
    /// installed kiosk says `false`: its database is made by `kiosk init`,
    /// and a missing one means something went wrong, not "start afresh".
    #[serde(default)]
    pub create: bool,
}

/// Speech output: the kiosk reads its screens aloud (EN 301 549, 5.1.3.1).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Speech {
    /// Offer "read aloud"; false: the kiosk stays silent.
    pub enabled: bool,
    /// The text-to-speech program (espeak-ng): a name on PATH or a full path.
    pub engine: String,
    /// The program that plays the engine's WAV stream on an ALSA device (aplay).
    pub player: String,
    /// ALSA device for `aplay -D`, e.g. "plughw:CARD=Headphones"; empty: ALSA's default.
    pub device: String,
    /// The engine's voice for each language.
    pub voice: Localized,
    /// Words per minute (espeak-ng `-s`).
    pub rate: u16,
    /// Loudness, 0-200, 100 the engine's normal (espeak-ng `-a`).
    pub volume: u16,
}

impl Default for Speech {
    fn default() -> Self {
        Self {
            enabled: true,
            engine: "espeak-ng".into(),
            player: "aplay".into(),
            device: String::new(),
            voice: Localized::new("bg".into(), "en".into()),
            // espeak-ng's own default is 175; elderly listeners follow a
            // slower voice more easily.
            rate: 140,
            volume: 100,
        }
    }
}

mod defaults {
    pub fn yes() -> bool {
        true
    }
    pub fn max_text_chars() -> usize {
        3000
    }
    pub fn printer_timeout_ms() -> u32 {
        3000
    }
    pub fn debounce_ms() -> u32 {
        50
    }
    pub fn connect_timeout_secs() -> u32 {
        10
    }
    pub fn request_timeout_secs() -> u32 {
        30
    }
    pub fn staff_logout_secs() -> u32 {
        120
    }
    pub fn backlight_dim_percent() -> u8 {
        20
    }
    pub fn dim_after_idle_mins() -> u32 {
        5
    }
    pub fn night_from() -> super::ClockTime {
        super::ClockTime(chrono::NaiveTime::MIN + chrono::Duration::hours(20))
    }
    pub fn night_until() -> super::ClockTime {
        super::ClockTime(chrono::NaiveTime::MIN + chrono::Duration::hours(7))
    }
}

impl Config {
    /// The working-day calendar with this file's moved days.
    pub fn calendar(&self) -> crate::domain::calendar::Calendar {
        let dates = |list: &[DayOverride]| list.iter().map(|d| d.date.0).collect();
        crate::domain::calendar::Calendar::new(crate::domain::calendar::CalendarOverrides {
            extra_days_off: dates(&self.calendar.extra_days_off),
            extra_working_days: dates(&self.calendar.extra_working_days),
        })
    }

    /// The office hours of a working day.
    pub fn office_hours(&self) -> crate::domain::hours::OfficeHours {
        crate::domain::hours::OfficeHours {
            opens: self.hours.opens.0,
            closes: self.hours.closes.0,
            lunch_start: self.hours.lunch_start.0,
            lunch_end: self.hours.lunch_end.0,
        }
    }
}
