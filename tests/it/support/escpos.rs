//! A small ESC/POS decoder for the tests: bytes back to text lines with
//! their size, weight and alignment, the QR codes and the cuts.
//!
//! It honours `ESC t n`: high bytes are decoded with the page the test says
//! `n` stands for, and decode to U+FFFD when no known page is selected, so
//! a receipt that forgets to select its page fails the test. Any control
//! byte it does not know panics: the kiosk must send only what it means.

use kiosk::config::PrinterEncoding;

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLine {
    pub text: String,
    pub width: u8,
    pub height: u8,
    pub bold: bool,
    pub centered: bool,
}

/// A QR code as the printer would store and print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    /// 49 = Model 1, 50 = Model 2, 51 = Micro.
    pub model: u8,
    pub payload: String,
}

/// Everything the decoder saw.
#[derive(Debug, Default)]
pub struct Printout {
    pub lines: Vec<PrintedLine>,
    pub qr: Vec<Qr>,
    /// The `m` (and `n`) of every `GS V`.
    pub cuts: Vec<(u8, Option<u8>)>,
    pub kanji_cancelled: bool,
    /// Every `ESC t n` in order.
    pub pages: Vec<u8>,
    pub status_requests: usize,
}

impl Printout {
    /// All text, one line per printed line.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first line whose text is exactly `t`.
    pub fn line(&self, t: &str) -> Option<&PrintedLine> {
        self.lines.iter().find(|l| l.text == t)
    }
}

/// Decodes `bytes`; `pages` says which encoding each `ESC t n` selects.
pub fn decode(bytes: &[u8], pages: &[(u8, PrinterEncoding)]) -> Printout {
    let mut out = Printout::default();
    let (mut width, mut height, mut bold, mut centered) = (1u8, 1u8, false, false);
    let mut page: Option<PrinterEncoding> = None;
    let mut current: Vec<u8> = Vec::new();
    let mut model = 0u8;
    let mut pending_qr: Option<String> = None;
    let mut i = 0;
    let arg = |i: usize| -> u8 {
        *bytes
            .get(i)
            .unwrap_or_else(|| panic!("command cut short at byte {i}"))
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x0A => {
                out.lines.push(PrintedLine {
                    text: text(&current, page),
                    width,
                    height,
                    bold,
                    centered,
                });
                current.clear();
                i += 1;
            }
            0x1B => match arg(i + 1) {
                b'@' => {
                    (width, height, bold, centered) = (1, 1, false, false);
                    i += 2;
                }
                b't' => {
                    let n = arg(i + 2);
                    out.pages.push(n);
                    page = pages.iter().find(|(k, _)| *k == n).map(|(_, e)| *e);
                    i += 3;
                }
                b'E' => {
                    bold = arg(i + 2) & 1 == 1;
                    i += 3;
                }
                b'a' => {
                    centered = arg(i + 2) == 1;
                    i += 3;
                }
                other => panic!("unknown ESC {other:#04x} at byte {i}"),
            },
            0x1C => {
                assert_eq!(arg(i + 1), b'.', "unknown FS command at byte {i}");
                out.kanji_cancelled = true;
                i += 2;
            }
            0x10 => {
                assert_eq!(arg(i + 1), 0x04, "unknown DLE command at byte {i}");
                out.status_requests += 1;
                i += 3;
            }
            0x1D => match arg(i + 1) {
                b'!' => {
                    let n = arg(i + 2);
                    width = (n >> 4) + 1;
                    height = (n & 0x0F) + 1;
                    i += 3;
                }
                b'V' => {
                    let m = arg(i + 2);
                    if m >= 65 {
                        out.cuts.push((m, Some(arg(i + 3))));
                        i += 4;
                    } else {
                        out.cuts.push((m, None));
                        i += 3;
                    }
                }
                b'(' => {
                    assert_eq!(arg(i + 2), b'k', "unknown GS ( command at byte {i}");
                    let len = usize::from(arg(i + 3)) + 256 * usize::from(arg(i + 4));
                    let body = &bytes[i + 5..i + 5 + len];
                    assert_eq!(body[0], 49, "only QR codes are expected");
                    match body[1] {
                        65 => model = body[2],
                        80 => pending_qr = Some(String::from_utf8_lossy(&body[3..]).into_owned()),
                        81 => out.qr.push(Qr {
                            model,
                            payload: pending_qr.take().expect("QR printed before its data"),
                        }),
                        _ => {}
                    }
                    i += 5 + len;
                }
                other => panic!("unknown GS {other:#04x} at byte {i}"),
            },
            b if b < 0x20 || b == 0x7F => panic!("stray control byte {b:#04x} at byte {i}"),
            b => {
                current.push(b);
                i += 1;
            }
        }
    }
    assert!(
        current.is_empty(),
        "text after the last line feed: {current:?}"
    );
    out
}

fn text(bytes: &[u8], page: Option<PrinterEncoding>) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b).to_string()
            } else {
                match page {
                    Some(p) => kiosk::printer::encode::decode(&[b], p),
                    None => '\u{FFFD}'.to_string(),
                }
            }
        })
        .collect()
}
