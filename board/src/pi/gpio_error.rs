//! rppal's GPIO errors in words a technician can act on.
//!
//! Each error is mapped once, where the pin it concerns is known, so the
//! message names the `[board]` key as well as the GPIO number.

use std::io;

use rppal::gpio::Error;

use crate::BoardError;

/// The group whose members may use `/dev/gpiochip*` and `/dev/gpiomem` on
/// Raspberry Pi OS.
const GROUP: &str = "gpio";

/// Linux's "device or resource busy": another process holds the line.
const EBUSY: i32 = 16;

/// The pin an operation was about, for the message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PinUse {
    pub key: &'static str,
    pub pin: u8,
}

/// `err` from opening the GPIO (no pin yet) or from setting up `pin`.
pub(crate) fn map(err: Error, pin: Option<PinUse>) -> BoardError {
    let what = || match pin {
        Some(p) => format!("GPIO {} ([board] {})", p.pin, p.key),
        None => "the GPIO".to_string(),
    };
    match err {
        Error::UnknownModel => BoardError::NotARaspberryPi,
        Error::PinUsed(n) => BoardError::PinBusy(n),
        Error::PinNotAvailable(n) => BoardError::Settings {
            key: pin.map_or("kind", |p| p.key),
            message: format!("GPIO {n} does not exist on this Raspberry Pi; use 0 to 27"),
        },
        Error::PermissionDenied(path) => BoardError::PermissionDenied {
            what: path,
            group: GROUP,
        },
        Error::Io(e) if e.raw_os_error() == Some(EBUSY) => match pin {
            Some(p) => BoardError::PinBusy(p.pin),
            None => BoardError::Gpio {
                what: what(),
                message: e.to_string(),
            },
        },
        Error::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            BoardError::PermissionDenied {
                what: what(),
                group: GROUP,
            }
        }
        Error::Io(source) => BoardError::Io {
            what: what(),
            source,
        },
        Error::ThreadPanic => BoardError::Gpio {
            what: what(),
            message: "the interrupt thread stopped".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LED: Option<PinUse> = Some(PinUse {
        key: "led_pin",
        pin: 23,
    });

    #[test]
    fn an_unknown_model_means_this_is_not_a_pi() {
        let err = map(Error::UnknownModel, None);
        assert!(matches!(err, BoardError::NotARaspberryPi));
        assert!(err.to_string().contains("not a Raspberry Pi"), "{err}");
    }

    #[test]
    fn permission_problems_say_which_group_to_join() {
        let err = map(Error::PermissionDenied("/dev/gpiochip0".into()), None);
        assert_eq!(
            err.to_string(),
            "permission denied on /dev/gpiochip0: add the kiosk user to the `gpio` group"
        );
        let io = Error::Io(io::Error::from(io::ErrorKind::PermissionDenied));
        let err = map(io, LED);
        assert!(err.to_string().contains("`gpio` group"), "{err}");
        assert!(err.to_string().contains("led_pin"), "{err}");
    }

    #[test]
    fn a_pin_held_elsewhere_is_busy() {
        let err = map(Error::Io(io::Error::from_raw_os_error(EBUSY)), LED);
        assert!(matches!(err, BoardError::PinBusy(23)));
        assert!(err.to_string().contains("GPIO pin 23 is busy"), "{err}");
        assert!(matches!(
            map(Error::PinUsed(5), LED),
            BoardError::PinBusy(5)
        ));
    }

    #[test]
    fn a_pin_the_chip_lacks_names_its_key() {
        let err = map(Error::PinNotAvailable(23), LED);
        assert!(err.to_string().starts_with("[board] led_pin:"), "{err}");
    }
}
