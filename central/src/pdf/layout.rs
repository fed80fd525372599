//! A small layout engine for A4 pages: measured text in DejaVu Sans,
//! wrapped lines, labelled fields, page breaks, drawn with krilla.
//!
//! Invariants: every piece of text goes through [`printable`] first, so a
//! visitor's control characters never reach the page; a line never runs past
//! the right margin (words longer than a line are cut between characters);
//! nothing is drawn below the bottom margin (a field or paragraph that does
//! not fit continues on a new page). Text is drawn as text with the fonts
//! embedded and subset by krilla, so a PDF reader (and `pdftotext`) gives it
//! back.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use super::PdfError;

/// A4 in PostScript points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
/// 20 mm margins all round, 25 mm at the left for the binder's holes.
const LEFT: f32 = 70.87;
const RIGHT: f32 = PAGE_W - 56.69;
const TOP: f32 = 56.69;
/// The last y a line of text may reach; the footer sits below it.
const BOTTOM: f32 = PAGE_H - 70.0;
const CONTENT_W: f32 = RIGHT - LEFT;
/// Where a field's value starts, after its label.
const VALUE_X: f32 = LEFT + 150.0;
/// Body text size.
pub const BODY: f32 = 11.0;
const LABEL: f32 = 9.5;
const FOOTER: f32 = 8.5;
/// Measured widths ignore kerning, which DejaVu applies to a few pairs:
/// lines are filled this much short of the margin so kerning never pushes
/// a glyph past it.
const SLACK: f32 = 2.0;

static REGULAR_TTF: &[u8] = include_bytes!("../../../ui/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../ui/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// The two faces of DejaVu Sans, for measuring and for drawing.
pub struct Fonts {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
    pdf_regular: Font,
    pdf_bold: Font,
}

impl Fonts {
    pub fn load() -> Result<Self, PdfError> {
        let face = |bytes: &'static [u8]| {
            ttf_parser::Face::parse(bytes, 0).map_err(|e| PdfError::Font(e.to_string()))
        };
        let pdf = |bytes: &'static [u8]| {
            Font::new(bytes.into(), 0).ok_or_else(|| PdfError::Font("DejaVu Sans".into()))
        };
        Ok(Self {
            regular: face(REGULAR_TTF)?,
            bold: face(BOLD_TTF)?,
            pdf_regular: pdf(REGULAR_TTF)?,
            pdf_bold: pdf(BOLD_TTF)?,
        })
    }

    fn face(&self, weight: Weight) -> &ttf_parser::Face<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    fn pdf_font(&self, weight: Weight) -> Font {
        match weight {
            Weight::Regular => self.pdf_regular.clone(),
            Weight::Bold => self.pdf_bold.clone(),
        }
    }

    /// The advance width of `text` at `size` points. A character the font
    /// lacks is drawn as its "missing glyph" box and measured as that.
    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let face = self.face(weight);
        let upem = f32::from(face.units_per_em().max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                u32::from(face.glyph_hor_advance(glyph).unwrap_or(0))
            })
            .sum();
        units as f32 * size / upem
    }

    /// `text` cut into lines no wider than `width`: at spaces where it can,
    /// between characters where a word alone is too wide. Every `\n` starts
    /// a new line; an empty paragraph stays an empty line.
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let width = (width - SLACK).max(size);
        let space = self.width(" ", size, weight);
        let mut lines = Vec::new();
        for paragraph in printable(text).split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let word_w = self.width(word, size, weight);
                if !line.is_empty() && line_w + space + word_w <= width {
                    line.push(' ');
                    line.push_str(word);
                    line_w += space + word_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if word_w <= width {
                    line = word.to_owned();
                    line_w = word_w;
                    continue;
                }
                // A word wider than the line (a link, a long number): cut it.
                line_w = 0.0;
                for c in word.chars() {
                    let w = self.width(c.encode_utf8(&mut [0; 4]), size, weight);
                    if !line.is_empty() && line_w + w > width {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += w;
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// `text` with line ends made `\n`, tabs made spaces and every other
/// control character dropped: what a page can show of a visitor's text.
pub fn printable(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            // Bidi overrides and isolates would reorder what follows them.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => None,
            c => Some(c),
        })
        .collect()
}

/// One thing drawn on a page, in points from the top left corner.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        weight: Weight,
        grey: bool,
        text: String,
    },
    Line {
        x1: f32,
        x2: f32,
        y: f32,
    },
}

/// A page laid out but not drawn yet, with the label its footer shows.
#[derive(Debug, Clone)]
pub struct LaidPage {
    ops: Vec<Op>,
    footer: String,
}

/// Lays out content top to bottom, starting new pages as it goes. Pages
/// after the first repeat `running_head` at the top.
pub struct Flow<'f> {
    fonts: &'f Fonts,
    pages: Vec<LaidPage>,
    y: f32,
    running_head: String,
    footer: String,
}

impl<'f> Flow<'f> {
    /// A flow that starts on a fresh page whose footer says `footer`.
    pub fn new(fonts: &'f Fonts, footer: &str) -> Self {
        let mut flow = Self {
            fonts,
            pages: Vec::new(),
            y: TOP,
            running_head: String::new(),
            footer: footer.to_owned(),
        };
        flow.start_page(false);
        flow
    }

    /// From now on, pages this flow starts show `head` at the top.
    pub fn set_running_head(&mut self, head: &str) {
        self.running_head = printable(head).replace('\n', " ");
    }

    /// Starts the next content (for example the next complaint) on a new
    /// page with its own footer label and no running head yet.
    pub fn next_section(&mut self, footer: &str) {
        self.footer = footer.to_owned();
        self.running_head.clear();
        self.start_page(false);
    }

    fn start_page(&mut self, continued: bool) {
        self.pages.push(LaidPage {
            ops: Vec::new(),
            footer: self.footer.clone(),
        });
        self.y = TOP;
        if continued && !self.running_head.is_empty() {
            let head = self.running_head.clone();
            self.text_at(LEFT, LABEL, Weight::Regular, true, &head);
            self.y += LABEL * 1.5;
            self.rule();
        }
    }

    /// Moves to a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP + 40.0 {
            self.start_page(true);
        }
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.ops.push(op);
        }
    }

    /// Draws one line of text whose top is the current y (does not advance).
    fn text_at(&mut self, x: f32, size: f32, weight: Weight, grey: bool, text: &str) {
        if text.is_empty() {
            return;
        }
        self.push(Op::Text {
            x,
            // DejaVu's ascender is 0.93 em: the baseline sits about one
            // size below the line's top.
            baseline: self.y + size,
            size,
            weight,
            grey,
            text: text.to_owned(),
        });
    }

    /// Leaves `height` points of space (never at the top of a page).
    pub fn gap(&mut self, height: f32) {
        if self.y > TOP {
            self.y += height;
        }
    }

    /// Text across the whole width, wrapped, breaking across pages.
    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight) {
        self.paragraph_at(LEFT, CONTENT_W, text, size, weight, false);
    }

    fn paragraph_at(
        &mut self,
        x: f32,
        width: f32,
        text: &str,
        size: f32,
        weight: Weight,
        grey: bool,
    ) {
        let step = size * 1.4;
        for line in self.fonts.wrap(text, size, weight, width) {
            self.ensure(step);
            self.text_at(x, size, weight, grey, &line);
            self.y += step;
        }
    }

    /// A label with its value beside it; the value wraps in its column and
    /// may continue on the next page (the label is repeated there).
    pub fn field(&mut self, label: &str, value: &str) {
        self.field_styled(label, value, Weight::Regular);
    }

    /// As [`Self::field`], the value in bold.
    pub fn field_bold(&mut self, label: &str, value: &str) {
        self.field_styled(label, value, Weight::Bold);
    }

    fn field_styled(&mut self, label: &str, value: &str, weight: Weight) {
        let step = BODY * 1.4;
        let labels = self
            .fonts
            .wrap(label, LABEL, Weight::Regular, VALUE_X - LEFT - 8.0);
        let values = self.fonts.wrap(value, BODY, weight, RIGHT - VALUE_X);
        let rows = labels.len().max(values.len()).max(1);
        // Keep a short field together on one page.
        if rows <= 4 {
            self.ensure(step * rows as f32);
        }
        let mut label_rows = labels.iter();
        for i in 0..rows {
            let page_before = self.pages.len();
            self.ensure(step);
            let new_page = self.pages.len() != page_before;
            // The label's lines go beside the value's first lines, and the
            // whole label again at the top of a continuation page.
            if new_page {
                label_rows = labels.iter();
            }
            if let Some(l) = label_rows.next() {
                // Labels are smaller: lower them onto the value's baseline.
                let y = self.y;
                self.y += BODY - LABEL;
                self.text_at(LEFT, LABEL, Weight::Regular, true, l);
                self.y = y;
            }
            if let Some(v) = values.get(i) {
                self.text_at(VALUE_X, BODY, weight, false, v);
            }
            self.y += step;
        }
        self.y += 3.0;
    }

    /// A small bold heading over the next block, kept with its first lines.
    pub fn section(&mut self, title: &str) {
        self.ensure(LABEL * 1.6 + BODY * 1.4 * 3.0);
        self.gap(6.0);
        self.paragraph_at(LEFT, CONTENT_W, title, LABEL + 1.0, Weight::Bold, false);
        self.y += 2.0;
    }

    /// A label followed by a line to write on by hand.
    pub fn blank(&mut self, label: &str, x_end: f32) {
        let step = BODY * 2.2;
        self.ensure(step);
        self.text_at(LEFT, LABEL, Weight::Regular, true, label);
        let line_y = self.y + BODY + 2.0;
        self.push(Op::Line {
            x1: VALUE_X,
            x2: VALUE_X + (RIGHT - VALUE_X) * x_end.clamp(0.1, 1.0),
            y: line_y,
        });
        self.y += step;
    }

    /// A thin line across the page.
    pub fn rule(&mut self) {
        self.ensure(8.0);
        self.push(Op::Line {
            x1: LEFT,
            x2: RIGHT,
            y: self.y + 2.0,
        });
        self.y += 8.0;
    }

    /// The pages laid out so far.
    pub fn finish(self) -> Vec<LaidPage> {
        self.pages
    }
}

/// Draws laid-out pages into one PDF: each page's footer gives its label
/// and "page i of n" (over the whole document).
pub fn render(
    fonts: &Fonts,
    pages: &[LaidPage],
    title: &str,
    lang: &str,
    page_words: (&str, &str),
) -> Result<Vec<u8>, PdfError> {
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(lang.to_owned()),
    );
    let total = pages.len();
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::Layout)?;
    for (i, laid) in pages.iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        let grey = Fill {
            paint: luma::Color::new(90).into(),
            ..Fill::default()
        };
        for op in &laid.ops {
            match op {
                Op::Text {
                    x,
                    baseline,
                    size,
                    weight,
                    grey: is_grey,
                    text,
                } => {
                    surface.set_fill(Some(if *is_grey {
                        grey.clone()
                    } else {
                        Fill::default()
                    }));
                    surface.draw_text(
                        Point::from_xy(*x, *baseline),
                        fonts.pdf_font(*weight),
                        *size,
                        text,
                        false,
                        TextDirection::LeftToRight,
                    );
                }
                Op::Line { x1, x2, y } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y);
                    pb.line_to(*x2, *y);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: 0.6,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        let footer = format!(
            "{} · {} {} {} {}",
            printable(&laid.footer).replace('\n', " "),
            page_words.0,
            i + 1,
            page_words.1,
            total
        );
        surface.set_fill(Some(grey));
        surface.draw_text(
            Point::from_xy(LEFT, PAGE_H - 36.0),
            fonts.pdf_font(Weight::Regular),
            FOOTER,
            &footer,
            false,
            TextDirection::LeftToRight,
        );
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| PdfError::Krilla(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_page() {
        assert_eq!(printable("a\r\nb\rc\td\u{7}e\u{202e}f"), "a\nb\nc def");
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let fonts = Fonts::load().unwrap();
        let text = "Пред гишето чакахме над час, а служителката говореше по телефона. \
                    Моля за отговор.\n\nhttps://example.bg/"
            .to_owned()
            + &"много".repeat(40);
        let lines = fonts.wrap(&text, BODY, Weight::Regular, 200.0);
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(fonts.width(l, BODY, Weight::Regular) <= 200.0, "{l}");
        }
        assert!(
            lines.iter().any(String::is_empty),
            "the blank line stays: {lines:?}"
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        let joined = lines.join(" ");
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>().concat(),
            words.concat()
        );
    }
}
