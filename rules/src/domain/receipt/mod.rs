//! A printed receipt as plain data: lines with their size, alignment and
//! weight, a QR code and the cut, independent of any printer protocol.
//!
//! [`layout`] builds the document from a record; `crate::printer` turns it
//! into ESC/POS bytes. Invariants of every [`Document`] built here:
//! - every text line already fits the paper at its own size (wrapping is
//!   done here, where the columns are known, not by the printer);
//! - no line contains a control character (visitor text is cleaned here
//!   too, and the printer's encoder cleans once more).

pub mod layout;
mod wrap;

pub use layout::{ReceiptContext, layout};
pub use wrap::wrap;

/// Horizontal placement of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// Character magnification: 1 is normal, 2 is double; width and height apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u8,
    pub height: u8,
}

impl Size {
    /// The printer's normal characters.
    pub const NORMAL: Size = Size {
        width: 1,
        height: 1,
    };
    /// Double width and double height.
    pub const DOUBLE: Size = Size {
        width: 2,
        height: 2,
    };
    /// Double height only: taller letters without fewer of them per line.
    pub const TALL: Size = Size {
        width: 1,
        height: 2,
    };
    /// Triple width and height, for the number on a large-print slip.
    pub const TRIPLE: Size = Size {
        width: 3,
        height: 3,
    };
}

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub size: Size,
    pub align: Align,
    /// Emphasised (darker) print.
    pub bold: bool,
}

/// One element of the slip, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Text(Line),
    /// A horizontal rule across the paper.
    Rule,
    /// An empty line.
    Blank,
    /// A QR code (Model 2) holding this text.
    Qr(String),
}

/// A whole slip: its blocks, then the cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Characters per line in the normal size (e.g. 48 on 80 mm paper).
    pub columns: u16,
    /// Cut the paper after the last block.
    pub cut: bool,
}

impl Document {
    /// The text lines, in order; for tests and logs.
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Text(l) => Some(l),
            _ => None,
        })
    }

    /// The QR code's payload, if the slip has one.
    pub fn qr(&self) -> Option<&str> {
        self.blocks.iter().find_map(|b| match b {
            Block::Qr(p) => Some(p.as_str()),
            _ => None,
        })
    }
}

/// Builds a document line by line, wrapping text at the paper's width.
#[derive(Debug)]
pub struct DocumentBuilder {
    doc: Document,
    /// Multiplies every size (large print).
    scale: u8,
}

impl DocumentBuilder {
    /// An empty slip `columns` wide; `large_print` doubles every size.
    pub fn new(columns: u16, large_print: bool) -> Self {
        DocumentBuilder {
            doc: Document {
                blocks: Vec::new(),
                columns: columns.max(8),
                cut: true,
            },
            scale: if large_print { 2 } else { 1 },
        }
    }

    /// Adds `text`, wrapped to the width left at `size` (scaled for large
    /// print, capped at 8 as ESC/POS allows).
    pub fn text(&mut self, text: &str, size: Size, align: Align, bold: bool) -> &mut Self {
        let size = Size {
            width: size.width.saturating_mul(self.scale),
            height: size.height.saturating_mul(self.scale),
        };
        self.text_at(text, size, align, bold)
    }

    /// Adds `text` at exactly `size` (capped at 8), whatever the large-print
    /// setting: for the receipt number, which must stay on one line.
    pub fn text_at(&mut self, text: &str, size: Size, align: Align, bold: bool) -> &mut Self {
        let size = Size {
            width: size.width.clamp(1, 8),
            height: size.height.clamp(1, 8),
        };
        let width = usize::from(self.doc.columns) / usize::from(size.width);
        for piece in wrap(text, width.max(1)) {
            self.doc.blocks.push(Block::Text(Line {
                text: piece,
                size,
                align,
                bold,
            }));
        }
        self
    }

    /// Adds normal-size left-aligned text in emphasised print: thermal
    /// print is pale, and the Bulgarian lines are the ones elderly
    /// visitors read.
    pub fn para(&mut self, text: &str) -> &mut Self {
        self.text(text, Size::NORMAL, Align::Left, true)
    }

    /// Like [`DocumentBuilder::para`], but at most `max_lines` lines: text
    /// that needs more is cut at the end of the last one, which then ends
    /// in "..." so the cut shows.
    pub fn para_at_most(&mut self, text: &str, max_lines: usize) -> &mut Self {
        let width = usize::from(self.doc.columns) / usize::from(self.scale.clamp(1, 8));
        let width = width.max(4);
        let mut lines = wrap(text, width);
        if lines.len() > max_lines.max(1) {
            lines.truncate(max_lines.max(1));
            if let Some(last) = lines.last_mut() {
                let kept: String = last.chars().take(width - 3).collect();
                *last = format!("{}...", kept.trim_end());
            }
        }
        for line in lines {
            self.para(&line);
        }
        self
    }

    /// Adds normal-size left-aligned text in plain print, for the English
    /// lines, so the Bulgarian ones stand out.
    pub fn plain(&mut self, text: &str) -> &mut Self {
        self.text(text, Size::NORMAL, Align::Left, false)
    }

    /// Adds a horizontal rule.
    pub fn rule(&mut self) -> &mut Self {
        self.doc.blocks.push(Block::Rule);
        self
    }

    /// Adds an empty line.
    pub fn blank(&mut self) -> &mut Self {
        self.doc.blocks.push(Block::Blank);
        self
    }

    /// Adds a QR code.
    pub fn qr(&mut self, payload: String) -> &mut Self {
        self.doc.blocks.push(Block::Qr(payload));
        self
    }

    /// The finished document.
    pub fn finish(self) -> Document {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_print_doubles_sizes_and_halves_the_width() {
        let mut b = DocumentBuilder::new(48, true);
        b.para(&"слово ".repeat(10));
        let doc = b.finish();
        assert!(doc.lines().all(|l| l.size == Size::DOUBLE));
        assert!(doc.lines().all(|l| l.text.chars().count() <= 24));
        assert!(doc.lines().count() >= 3);
    }

    #[test]
    fn sizes_never_exceed_what_escpos_allows() {
        let mut b = DocumentBuilder::new(48, true);
        b.text(
            "X",
            Size {
                width: 8,
                height: 8,
            },
            Align::Center,
            true,
        );
        let doc = b.finish();
        let line = doc.lines().next().unwrap();
        assert_eq!(
            line.size,
            Size {
                width: 8,
                height: 8
            }
        );
    }

    #[test]
    fn the_qr_payload_is_found() {
        let mut b = DocumentBuilder::new(48, false);
        b.qr("https://example.bg".into());
        assert_eq!(b.finish().qr(), Some("https://example.bg"));
    }
}
