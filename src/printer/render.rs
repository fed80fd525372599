//! A [`Document`] as ESC/POS bytes, through the `escpos` crate.
//!
//! The crate builds the framing (init, alignment, emphasis, size, QR code);
//! text goes through our strict encoder and reaches the crate only as raw
//! bytes (`custom`), because the crate sends UTF-8 when no page code is set
//! and silently falls back to UTF-8 for characters its PC866 table lacks.
//! Three commands are written as raw bytes on purpose:
//! - `ESC t n` with the configured number: the crate's `PageCode` enum does
//!   not know every vendor's numbering (Xprinter's 1251 is 23, Rongta's
//!   PC866 is 7);
//! - `FS .` (cancel Kanji mode), which the crate has no call for;
//! - the cut: the crate's `partial_cut()` sends `GS V A 1`, a *full* cut
//!   after feeding one motion unit. We send `GS V B n` (feed to the cutter,
//!   then cut partially) so the slip hangs on a hinge instead of dropping
//!   to the floor.

use std::cell::RefCell;
use std::rc::Rc;

use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption};

use super::encode::encode;
use super::error::PrinterError;
use crate::config::PrinterEncoding;
use crate::domain::receipt::{Align, Block, Document};

/// `FS .`: leave Kanji mode, which makes some printers read Cyrillic bytes
/// as double-byte characters.
pub const CANCEL_KANJI: [u8; 2] = [0x1C, 0x2E];
/// `GS V 66 n`: feed until the last line is past the cutter (plus `n`
/// motion units), then cut partially.
pub const CUT: [u8; 4] = [0x1D, 0x56, 0x42, 4];

/// How the printer wants its bytes: from `[printer]` in kiosk.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSetup {
    pub encoding: PrinterEncoding,
    /// The printer's number for that page in `ESC t n`.
    pub esc_t_n: u8,
    pub cancel_kanji: bool,
}

/// Collects what the crate would send to a printer.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Driver for Capture {
    fn name(&self) -> String {
        "capture".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

fn render_err(e: escpos::errors::PrinterError) -> PrinterError {
    PrinterError::Render(e.to_string())
}

/// The start of every job: reset, leave Kanji mode, select the code page.
pub fn preamble(page: PageSetup) -> Vec<u8> {
    let mut out = vec![0x1B, 0x40];
    if page.cancel_kanji {
        out.extend_from_slice(&CANCEL_KANJI);
    }
    out.extend_from_slice(&[0x1B, 0x74, page.esc_t_n]);
    out
}

/// The ESC/POS bytes of `doc`, ready for any transport.
pub fn render(doc: &Document, page: PageSetup) -> Result<Vec<u8>, PrinterError> {
    let capture = Capture::default();
    let mut p = Printer::new(capture.clone(), Protocol::default(), None);
    p.custom(&preamble(page)).map_err(render_err)?;
    let rule = "-".repeat(usize::from(doc.columns));
    for block in &doc.blocks {
        match block {
            Block::Text(line) => {
                let mut text = encode(&line.text, page.encoding);
                text.push(b'\n');
                p.justify(justify(line.align))
                    .and_then(|p| p.bold(line.bold))
                    .and_then(|p| p.size(line.size.width, line.size.height))
                    .and_then(|p| p.custom(&text))
                    .map_err(render_err)?;
            }
            Block::Rule => {
                let mut text = rule.clone().into_bytes();
                text.push(b'\n');
                p.justify(JustifyMode::LEFT)
                    .and_then(|p| p.bold(false))
                    .and_then(|p| p.size(1, 1))
                    .and_then(|p| p.custom(&text))
                    .map_err(render_err)?;
            }
            Block::Blank => {
                p.size(1, 1)
                    .and_then(|p| p.custom(b"\n"))
                    .map_err(render_err)?;
            }
            Block::Qr(payload) => {
                // The payload is length-prefixed, so it cannot escape into a
                // command; control characters are dropped all the same.
                let payload: String = payload.chars().filter(|c| !c.is_control()).collect();
                let option = QRCodeOption::new(QRCodeModel::Model2, 6, QRCodeCorrectionLevel::M);
                p.justify(JustifyMode::CENTER)
                    .and_then(|p| p.qrcode_option(&payload, option))
                    .and_then(|p| p.custom(b"\n"))
                    .map_err(render_err)?;
            }
        }
    }
    p.justify(JustifyMode::LEFT)
        .and_then(|p| p.bold(false))
        .and_then(|p| p.size(1, 1))
        .map_err(render_err)?;
    if doc.cut {
        p.custom(&CUT).map_err(render_err)?;
    }
    p.print().map_err(render_err)?;
    let bytes = capture.0.borrow().clone();
    Ok(bytes)
}

fn justify(a: Align) -> JustifyMode {
    match a {
        Align::Left => JustifyMode::LEFT,
        Align::Center => JustifyMode::CENTER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::receipt::{DocumentBuilder, Size};

    fn page() -> PageSetup {
        PageSetup {
            encoding: PrinterEncoding::Cp866,
            esc_t_n: 17,
            cancel_kanji: true,
        }
    }

    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn starts_with_init_kanji_off_and_the_page_and_ends_with_the_cut() {
        let mut b = DocumentBuilder::new(48, false);
        b.text("Жалба", Size::DOUBLE, Align::Center, true);
        let bytes = render(&b.finish(), page()).unwrap();
        assert_eq!(&bytes[..7], &[0x1B, 0x40, 0x1C, 0x2E, 0x1B, 0x74, 17]);
        assert!(bytes.ends_with(&CUT));
        assert!(find(&bytes, &[0x1D, 0x21, 0x11]).is_some(), "double size");
        assert!(find(&bytes, &encode("Жалба", PrinterEncoding::Cp866)).is_some());
        assert!(find(&bytes, "Жалба".as_bytes()).is_none(), "no UTF-8");
    }

    #[test]
    fn the_qr_code_is_model_2() {
        let mut b = DocumentBuilder::new(48, false);
        b.qr("https://kovachevtsi.bg?receipt=KV1-2026-000001".into());
        let bytes = render(&b.finish(), page()).unwrap();
        assert!(find(&bytes, &[0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0]).is_some());
    }

    #[test]
    fn without_cancel_kanji_no_fs_dot_is_sent() {
        let setup = PageSetup {
            cancel_kanji: false,
            esc_t_n: 46,
            encoding: PrinterEncoding::Windows1251,
        };
        assert_eq!(preamble(setup), vec![0x1B, 0x40, 0x1B, 0x74, 46]);
    }
}
