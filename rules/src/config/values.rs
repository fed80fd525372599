//! Small value types of kiosk.toml that check themselves while being read.
//!
//! Each type refuses a bad value with a message that says what is allowed,
//! so the error printed for `opens = "25:00"` already tells the technician
//! how to write a time.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer};

/// A time of day written "HH:MM".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub NaiveTime);

impl FromStr for ClockTime {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || {
            format!("{s:?} is not a time of day; write HH:MM from 00:00 to 23:59, e.g. \"08:30\"")
        };
        let (h, m) = s.split_once(':').ok_or_else(err)?;
        let two_digits =
            |t: &str| (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
        if !two_digits(h) || m.len() != 2 || !two_digits(m) {
            return Err(err());
        }
        let (h, m) = (h.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?);
        NaiveTime::from_hms_opt(h, m, 0)
            .map(ClockTime)
            .ok_or_else(err)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A calendar date written as a TOML date (`2026-12-31`) or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigDate(pub NaiveDate);

impl<'de> Deserialize<'de> for ConfigDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Toml(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            Raw::Toml(dt) => {
                return Err(serde::de::Error::custom(format!(
                    "{dt} has a time; write a date only, e.g. 2026-12-31"
                )));
            }
            Raw::Text(s) => s,
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(ConfigDate)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "{text:?} is not a date; write YYYY-MM-DD, e.g. 2026-12-31"
                ))
            })
    }
}

/// Where receipts go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterTransport {
    /// A file the ESC/POS bytes are appended to (development).
    File(std::path::PathBuf),
    /// A character device such as /dev/usb/lp0 or the udev link /dev/kiosk-printer.
    Device(std::path::PathBuf),
    /// A network printer (raw port 9100).
    Tcp { host: String, port: u16 },
    /// A USB printer by vendor and product id.
    Usb { vendor: u16, product: u16 },
    /// Standard output (development).
    Stdout,
}

pub const TRANSPORT_FORMS: &str = "\"file:PATH\", a device path such as \"/dev/usb/lp0\", \"tcp:HOST:PORT\", \"usb:VID:PID\" (hex) or \"stdout\"";

impl FromStr for PrinterTransport {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("{s:?} is not a printer transport; write {TRANSPORT_FORMS}");
        if s == "stdout" {
            return Ok(PrinterTransport::Stdout);
        }
        if let Some(path) = s.strip_prefix("file:") {
            return if path.is_empty() {
                Err(err())
            } else {
                Ok(PrinterTransport::File(path.into()))
            };
        }
        if let Some(addr) = s.strip_prefix("tcp:") {
            let (host, port) = addr.rsplit_once(':').ok_or_else(err)?;
            let port: u16 = port.parse().map_err(|_| err())?;
            if host.is_empty() || port == 0 {
                return Err(err());
            }
            return Ok(PrinterTransport::Tcp {
                host: host.to_string(),
                port,
            });
        }
        if let Some(ids) = s.strip_prefix("usb:") {
            let (v, p) = ids.split_once(':').ok_or_else(err)?;
            let hex = |t: &str| {
                (t.len() == 4)
                    .then(|| u16::from_str_radix(t, 16).ok())
                    .flatten()
            };
            return match (hex(v), hex(p)) {
                (Some(vendor), Some(product)) => Ok(PrinterTransport::Usb { vendor, product }),
                _ => Err(err()),
            };
        }
        if s.starts_with("/dev/") {
            return Ok(PrinterTransport::Device(s.into()));
        }
        Err(err())
    }
}

impl<'de> Deserialize<'de> for PrinterTransport {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The printer's code page for Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PrinterEncoding {
    #[serde(rename = "cp866")]
    Cp866,
    #[serde(rename = "windows-1251")]
    Windows1251,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times_of_day() {
        assert_eq!("08:30".parse::<ClockTime>().unwrap().to_string(), "08:30");
        assert_eq!("8:30".parse::<ClockTime>().unwrap().to_string(), "08:30");
        assert_eq!("23:59".parse::<ClockTime>().unwrap().to_string(), "23:59");
    }

    #[test]
    fn refuses_impossible_times_and_says_how_to_write_one() {
        for bad in [
            "25:00", "24:00", "12:60", "12", "12:5", "12:005", "ab:cd", "", "-1:00", "+8:30",
        ] {
            let err = bad.parse::<ClockTime>().unwrap_err();
            assert!(err.contains("HH:MM"), "{bad}: {err}");
        }
    }

    #[test]
    fn reads_every_transport_form() {
        assert_eq!("stdout".parse(), Ok(PrinterTransport::Stdout));
        assert_eq!(
            "file:data/receipts.bin".parse(),
            Ok(PrinterTransport::File("data/receipts.bin".into()))
        );
        assert_eq!(
            "/dev/usb/lp0".parse(),
            Ok(PrinterTransport::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            "tcp:192.0.2.10:9100".parse(),
            Ok(PrinterTransport::Tcp {
                host: "192.0.2.10".into(),
                port: 9100
            })
        );
        assert_eq!(
            "usb:0416:5011".parse(),
            Ok(PrinterTransport::Usb {
                vendor: 0x0416,
                product: 0x5011
            })
        );
    }

    #[test]
    fn refuses_transports_it_cannot_open() {
        for bad in [
            "",
            "file:",
            "lp0",
            "tcp:host",
            "tcp::9100",
            "tcp:host:0",
            "tcp:host:99999",
            "usb:416:5011",
            "usb:zzzz:5011",
            "COM1",
        ] {
            assert!(bad.parse::<PrinterTransport>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reads_dates_as_toml_dates_or_strings() {
        #[derive(Deserialize)]
        struct T {
            a: ConfigDate,
            b: ConfigDate,
        }
        let t: T = toml::from_str("a = 2026-12-31\nb = \"2027-01-04\"").unwrap();
        assert_eq!(t.a.0, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(t.b.0, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        assert!(toml::from_str::<T>("a = 2026-02-30\nb = \"x\"").is_err());
        assert!(toml::from_str::<T>("a = 2026-12-31T10:00:00\nb = 2026-12-31").is_err());
    }
}
