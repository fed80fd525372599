//! Strict text encoding for the printer's Cyrillic code page.
//!
//! The printer receives single bytes of CP866 or Windows-1251, never UTF-8:
//! a UTF-8 sequence would print as two or three wrong letters. Typographic
//! characters the page lacks are replaced by plain ones („“«» by `"`, —– by
//! `-`, € by `EUR` where the page has no euro); anything else the page
//! cannot print becomes a visible `?`.
//!
//! Invariant: the output never contains a byte below 0x20 or 0x7F, so no
//! visitor-typed text can act as a printer command (every ESC/POS command
//! starts with a control byte).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::config::PrinterEncoding;

/// The byte that replaces what cannot be printed.
pub const REPLACEMENT: u8 = b'?';

/// `text` in `encoding`, with replacements, and with no control bytes.
pub fn encode(text: &str, encoding: PrinterEncoding) -> Vec<u8> {
    let table = table(encoding);
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(match c {
                // A tab or line break inside a line would break the layout.
                '\t' | '\n' | '\r' => b' ',
                c if c.is_ascii_control() => REPLACEMENT,
                c => c as u8,
            });
        } else if let Some(&b) = table.get(&c) {
            out.push(b);
        } else {
            match fallback(c) {
                Some(s) => out.extend(
                    s.bytes()
                        .map(|b| if b.is_ascii_control() { REPLACEMENT } else { b }),
                ),
                None => out.push(REPLACEMENT),
            }
        }
    }
    // Belt and braces: whatever the tables say, no control byte leaves here.
    for b in &mut out {
        if *b < 0x20 || *b == 0x7F {
            *b = REPLACEMENT;
        }
    }
    out
}

/// Plain stand-ins for characters the Cyrillic pages lack; ASCII only.
fn fallback(c: char) -> Option<&'static str> {
    Some(match c {
        '„' | '“' | '”' | '«' | '»' | '″' => "\"",
        '‘' | '’' | '‚' | '′' => "'",
        '—' | '–' | '‐' | '‑' | '−' => "-",
        '€' => "EUR",
        '…' => "...",
        '\u{a0}' | '\u{2009}' | '\u{202f}' => " ",
        _ => return None,
    })
}

/// The page's printable characters above 0x7F, byte by byte.
fn table(encoding: PrinterEncoding) -> &'static HashMap<char, u8> {
    static CP866: OnceLock<HashMap<char, u8>> = OnceLock::new();
    static CP1251: OnceLock<HashMap<char, u8>> = OnceLock::new();
    let (cell, enc) = match encoding {
        PrinterEncoding::Cp866 => (&CP866, encoding_rs::IBM866),
        PrinterEncoding::Windows1251 => (&CP1251, encoding_rs::WINDOWS_1251),
    };
    cell.get_or_init(|| build(enc))
}

fn build(enc: &'static encoding_rs::Encoding) -> HashMap<char, u8> {
    let mut map = HashMap::new();
    for b in 0x80u8..=0xFF {
        let byte = [b];
        let (text, _) = enc.decode_without_bom_handling(&byte);
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && c != char::REPLACEMENT_CHARACTER
            && !c.is_control()
        {
            map.insert(c, b);
        }
    }
    // Ѝ/ѝ (И with grave) are in no DOS or Windows page; the plain letter is
    // what Bulgarians write on a typewriter.
    for (from, to) in [('Ѝ', 'И'), ('ѝ', 'и')] {
        if let Some(&b) = map.get(&to) {
            map.insert(from, b);
        }
    }
    map
}

/// The characters of `encoding`'s page as text, decoded back; for tests and
/// the set-up slip.
pub fn decode(bytes: &[u8], encoding: PrinterEncoding) -> String {
    let enc = match encoding {
        PrinterEncoding::Cp866 => encoding_rs::IBM866,
        PrinterEncoding::Windows1251 => encoding_rs::WINDOWS_1251,
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BOTH: [PrinterEncoding; 2] = [PrinterEncoding::Cp866, PrinterEncoding::Windows1251];

    #[test]
    fn the_bulgarian_alphabet_round_trips_in_both_pages() {
        let abc = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯабвгдежзийклмнопрстуфхцчшщъьюя № 0123456789";
        for e in BOTH {
            assert_eq!(decode(&encode(abc, e), e), abc, "{e:?}");
        }
    }

    #[test]
    fn known_bytes() {
        assert_eq!(
            encode("Жа№", PrinterEncoding::Cp866),
            vec![0x86, 0xA0, 0xFC]
        );
        assert_eq!(
            encode("Жа№€", PrinterEncoding::Windows1251),
            vec![0xC6, 0xE0, 0xB9, 0x88]
        );
    }

    #[test]
    fn typography_is_replaced_by_plain_characters() {
        let e = PrinterEncoding::Cp866;
        assert_eq!(
            encode("„Да“ — «не» – 5 €", e),
            b"\"\x84\xa0\" - \"\xad\xa5\" - 5 EUR"
        );
        assert_eq!(decode(&encode("ѝ", e), e), "и");
    }

    #[test]
    fn the_unprintable_is_a_visible_question_mark_never_utf8() {
        for e in BOTH {
            assert_eq!(encode("漢😀", e), b"??");
            assert_eq!(encode("a\x1b@\x10\x04\x7f", e), b"a?@???");
        }
    }

    proptest! {
        #[test]
        fn no_text_yields_a_control_byte(text in any::<String>()) {
            for e in BOTH {
                let bytes = encode(&text, e);
                prop_assert!(bytes.iter().all(|&b| b >= 0x20 && b != 0x7F));
            }
        }
    }
}
