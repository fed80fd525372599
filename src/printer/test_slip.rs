//! The set-up slip of `kiosk print-test`: the Bulgarian alphabet under every
//! candidate code page number, so the installer reads off the number whose
//! letters come out right and writes it to `[printer] esc_t_n`.
//!
//! Printer makers number the same code page differently, and the manuals of
//! cheap printers are often wrong; trying them on paper is the only sure way.

use super::encode::encode;
use super::render::{CANCEL_KANJI, CUT};
use crate::config::PrinterEncoding;

/// A code page number to try and the encoding it is known for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub esc_t_n: u8,
    pub encoding: PrinterEncoding,
    /// Whose printers use it, for the installer.
    pub note: &'static str,
}

/// Numbers known for CP866 and Windows-1251 on printers sold in Bulgaria.
pub const CANDIDATES: [Candidate; 8] = [
    Candidate {
        esc_t_n: 17,
        encoding: PrinterEncoding::Cp866,
        note: "Epson, most Xprinter/POS-80: PC866",
    },
    Candidate {
        esc_t_n: 46,
        encoding: PrinterEncoding::Windows1251,
        note: "Epson: WPC1251",
    },
    Candidate {
        esc_t_n: 23,
        encoding: PrinterEncoding::Windows1251,
        note: "Xprinter: WPC1251",
    },
    Candidate {
        esc_t_n: 7,
        encoding: PrinterEncoding::Cp866,
        note: "Rongta: PC866",
    },
    Candidate {
        esc_t_n: 6,
        encoding: PrinterEncoding::Windows1251,
        note: "some Chinese firmware: WPC1251",
    },
    Candidate {
        esc_t_n: 59,
        encoding: PrinterEncoding::Cp866,
        note: "some firmware: PC866",
    },
    Candidate {
        esc_t_n: 34,
        encoding: PrinterEncoding::Windows1251,
        note: "some firmware: WPC1251",
    },
    Candidate {
        esc_t_n: 73,
        encoding: PrinterEncoding::Windows1251,
        note: "some firmware: WPC1251",
    },
];

/// What each candidate prints.
pub const SAMPLE: [&str; 3] = [
    "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ",
    "абвгдежзийклмнопрстуфхцчшщъьюя",
    "№ 0123456789 €",
];

/// The ESC/POS bytes of the set-up slip. The header lines are ASCII, so they
/// read the same under every page.
pub fn bytes(cancel_kanji: bool) -> Vec<u8> {
    let mut out = vec![0x1B, 0x40];
    if cancel_kanji {
        out.extend_from_slice(&CANCEL_KANJI);
    }
    out.extend_from_slice(b"KIOSK PRINTER SET-UP\nFind the block whose letters read right\nand put its number in kiosk.toml:\n[printer] esc_t_n = N, encoding = ...\n\n");
    for c in CANDIDATES {
        let name = match c.encoding {
            PrinterEncoding::Cp866 => "cp866",
            PrinterEncoding::Windows1251 => "windows-1251",
        };
        out.extend_from_slice(&[0x1B, 0x74, c.esc_t_n]);
        out.extend_from_slice(
            format!(
                "------------------------------\nesc_t_n = {}  encoding = \"{}\"\n({})\n",
                c.esc_t_n, name, c.note
            )
            .as_bytes(),
        );
        for line in SAMPLE {
            out.extend(encode(line, c.encoding));
            out.push(b'\n');
        }
    }
    out.extend_from_slice(b"------------------------------\n");
    out.extend_from_slice(&CUT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::encode::decode;

    #[test]
    fn every_candidate_selects_its_page_before_its_letters() {
        let b = bytes(true);
        assert!(b.starts_with(&[0x1B, 0x40, 0x1C, 0x2E]));
        for c in CANDIDATES {
            let sel = [0x1B, 0x74, c.esc_t_n];
            let at = b.windows(3).position(|w| w == sel).unwrap();
            let letters = encode(SAMPLE[0], c.encoding);
            let after = &b[at..];
            assert!(
                after
                    .windows(letters.len())
                    .any(|w| w == letters.as_slice())
            );
        }
        assert!(b.ends_with(&CUT));
    }

    #[test]
    fn the_euro_sign_is_real_in_1251_and_spelled_out_in_866() {
        let e = encode(SAMPLE[2], PrinterEncoding::Windows1251);
        assert_eq!(decode(&e, PrinterEncoding::Windows1251), SAMPLE[2]);
        let d = encode(SAMPLE[2], PrinterEncoding::Cp866);
        assert_eq!(decode(&d, PrinterEncoding::Cp866), "№ 0123456789 EUR");
    }
}
