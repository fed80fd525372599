//! USB receipt printers addressed as `usb:VID:PID`, without the kernel's
//! usblp driver.
//!
//! Uses `nusb`, the pure-Rust USB library the `escpos` crate itself builds
//! on (no libusb, no libudev), directly rather than through `escpos`'s
//! driver, because that driver waits a fixed 5 s on every transfer and the
//! kiosk must honour `[printer] timeout_ms`. The printer is the first bulk
//! OUT endpoint of its first interface; status is read from the bulk IN
//! endpoint where the printer has one.

use std::io::{Read, Write};
use std::time::Duration;

use nusb::MaybeFuture;
use nusb::transfer::{Bulk, Direction, In, Out};

use super::error::PrinterError;
use super::status::request;
use super::transport::Transport;

/// A claimed USB printer interface.
pub struct UsbTransport {
    interface: nusb::Interface,
    out_endpoint: u8,
    in_endpoint: Option<u8>,
    timeout: Duration,
    target: String,
}

fn io_error(target: &str, e: impl Into<std::io::Error>) -> PrinterError {
    PrinterError::Unreachable {
        target: target.to_string(),
        source: e.into(),
    }
}

impl UsbTransport {
    /// Finds the printer by vendor and product id and claims its interface,
    /// detaching usblp if the kernel had bound it.
    pub fn open(vendor: u16, product: u16, timeout: Duration) -> Result<Self, PrinterError> {
        let target = format!("usb:{vendor:04x}:{product:04x}");
        let not_found = || {
            io_error(
                &target,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such USB device; check the cable and the ids shown by `lsusb`",
                ),
            )
        };
        let info = nusb::list_devices()
            .wait()
            .map_err(|e| io_error(&target, e))?
            .find(|d| d.vendor_id() == vendor && d.product_id() == product)
            .ok_or_else(not_found)?;
        let device = info.open().wait().map_err(|e| io_error(&target, e))?;
        let config = device
            .active_configuration()
            .map_err(|e| io_error(&target, std::io::Error::other(e.to_string())))?;
        let alt = config
            .interface_alt_settings()
            .next()
            .ok_or_else(not_found)?;
        let interface_number = alt.interface_number();
        let bulk = |dir: Direction| {
            alt.endpoints()
                .find(|e| {
                    e.transfer_type() == nusb::descriptors::TransferType::Bulk
                        && e.direction() == dir
                })
                .map(|e| e.address())
        };
        let out_endpoint = bulk(Direction::Out).ok_or_else(|| {
            io_error(
                &target,
                std::io::Error::other("the device has no bulk output endpoint: is it a printer?"),
            )
        })?;
        let in_endpoint = bulk(Direction::In);
        let interface = device
            .detach_and_claim_interface(interface_number)
            .wait()
            .map_err(|e| io_error(&target, e))?;
        Ok(Self {
            interface,
            out_endpoint,
            in_endpoint,
            timeout,
            target,
        })
    }

    fn timeout_ms(&self) -> u32 {
        u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX)
    }

    fn timed_out(&self, doing: &'static str) -> PrinterError {
        PrinterError::Timeout {
            target: self.target.clone(),
            doing,
            timeout_ms: self.timeout_ms(),
        }
    }
}

impl Transport for UsbTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        let endpoint = self
            .interface
            .endpoint::<Bulk, Out>(self.out_endpoint)
            .map_err(|e| io_error(&self.target, e))?;
        let size = endpoint.max_packet_size();
        let mut writer = endpoint
            .writer(size.max(64))
            .with_write_timeout(self.timeout);
        let sent = writer.write_all(bytes).and_then(|()| writer.flush());
        match sent {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                Err(self.timed_out("sending the receipt"))
            }
            Err(e) => Err(PrinterError::Io {
                target: self.target.clone(),
                source: e,
            }),
        }
    }

    fn query(&mut self, n: u8) -> Result<Option<u8>, PrinterError> {
        let Some(address) = self.in_endpoint else {
            return Ok(None);
        };
        self.write_all(&request(n))?;
        let endpoint = self
            .interface
            .endpoint::<Bulk, In>(address)
            .map_err(|e| io_error(&self.target, e))?;
        let size = endpoint.max_packet_size();
        let mut reader = endpoint
            .reader(size.max(64))
            .with_read_timeout(self.timeout);
        let mut byte = [0u8; 1];
        match reader.read(&mut byte) {
            Ok(1) => Ok(Some(byte[0])),
            Ok(_) => Ok(None),
            // A printer silent to status requests is reported as unknown.
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => Ok(None),
            Err(e) => Err(PrinterError::Io {
                target: self.target.clone(),
                source: e,
            }),
        }
    }

    fn can_read(&self) -> bool {
        self.in_endpoint.is_some()
    }
}
