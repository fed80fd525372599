//! The real-font layout check: what a visitor would see wrong in the text
//! of a drawn screen.
//!
//! [`Scene::capture`] walks the live item tree of a window drawn by the
//! software renderer (see [`super::drawn`]) and asks that renderer to
//! measure every visible text with the font it draws it with (the embedded
//! DejaVu Sans, through parley, exactly as drawing does). [`Scene::check`]
//! applies four rules:
//!
//! 1. **Broken word**: a wrapping text whose longest unbreakable piece (a
//!    word, or the part of a hyphenated word up to its hyphen) is wider than
//!    the text's box. The renderer then breaks inside the word ("Мног/о").
//! 2. **Clipped**: the lines are taller than the text's box (its ink is
//!    cut at the top or bottom), or its ink lies outside the window or
//!    outside a clipping ancestor, or its box has collapsed; also a touch
//!    target or a scrolling area that reaches out of the window.
//! 3. **Elided or cut**: a one-line text wider than its box (with
//!    `overflow: elide` it ends in "…", otherwise it is cut at the edge).
//! 4. **Overlap**: what a text draws intersects another text, an icon (a
//!    `Path` or an image), a framed or filled box that is not its own
//!    ancestor (a face, a checkbox square, another button), or it reaches
//!    out of the frame of its own button or box.
//!
//! Inside a scrolling area a text may be scrolled out of view: only its own
//! fitting, the clips inside that area and its width against the area
//! count, and overlaps are judged as if the area were scrolled to it.
//! When an overlay covers the whole window (the idle question, the attract
//! screen), only the overlay is checked: what is under it has its own case.
//!
//! The checker works on ink: each text is laid out again with parley on
//! the renderer's font context, exactly as drawing does (checked against
//! the renderer's own measurements), and the bounding boxes of its glyphs'
//! outlines (ttf-parser) give where it really draws. Tolerances: a word is
//! too wide when it exceeds its box by more than [`WORD_TOL`] (the renderer
//! breaks at the exact width, and a word 0.9 px too wide is visibly
//! broken); ink may be cut or overlap by at most [`INK_TOL`] of the font
//! size (at least [`TOL`]): less is a sliver of a descender nobody sees;
//! boxes (buttons, scrolling areas) may be off by [`TOL`], layouts round
//! to whole pixels. `overflow: elide` ends a line in "…" by the renderer's
//! own rule: when the advance, rounded down, exceeds the box, rounded up.
//!
//! The measuring goes through Slint internals (`i-slint-core`, pinned with
//! slint; Slint has no public API for a text's font, wrap or overflow):
//! the renderer's own `text_size` and `text_content_widths`, which the
//! layouts use too, decide broken words and elision; where the checker's
//! own parley layout disagrees with them by more than half a pixel,
//! [`Scene::disagreements`] says so and the test fails.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::ControlFlow;
use std::pin::Pin;

use i_slint_core::accessibility::AccessibleStringProperty;
use i_slint_core::graphics::FontRequest;
use i_slint_core::item_rendering::{HasFont, PlainOrStyledText, RenderString, RenderText};
use i_slint_core::item_tree::ParentItemTraversalMode;
use i_slint_core::items::{
    AccessibleRole, BasicBorderRectangle, BorderRectangle, Clip, ClippedImage, ComplexText,
    Flickable, ImageItem, ItemRc, Opacity, Path, Rectangle, SimpleText, TextHorizontalAlignment,
    TextOverflow, TextVerticalAlignment, TextWrap,
};
use i_slint_core::lengths::LogicalLength;
use i_slint_core::renderer::Renderer;
use i_slint_core::textlayout::sharedparley::parley;
use i_slint_core::window::WindowInner;

/// How far a word may exceed its box before the renderer visibly breaks it.
pub const WORD_TOL: f32 = 0.05;
/// How far boxes may reach out of the window, in logical pixels: layouts
/// round to whole pixels.
pub const TOL: f32 = 1.0;
/// How much ink may be cut off or run into something, as a fraction of the
/// font size: DejaVu Sans descenders are 0.21 em long.
pub const INK_TOL: f32 = 0.05;

/// A rectangle in window coordinates (logical pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        }
    }
    pub fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn is_empty(&self) -> bool {
        self.w() <= 0.0 || self.h() <= 0.0
    }
    /// The common part, possibly empty (then with negative size).
    pub fn intersect(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1),
            y1: self.y1.min(o.y1),
        }
    }
    /// How far this reaches out of `clip` on each side (left, top, right,
    /// bottom), zero where it stays inside.
    fn outside(&self, clip: &Rect) -> [f32; 4] {
        [
            (clip.x0 - self.x0).max(0.0),
            (clip.y0 - self.y0).max(0.0),
            (self.x1 - clip.x1).max(0.0),
            (self.y1 - clip.y1).max(0.0),
        ]
    }
}

impl fmt::Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.0},{:.0} {:.0}x{:.0}",
            self.x0,
            self.y0,
            self.w(),
            self.h()
        )
    }
}

/// "bottom by 34 px, right by 2 px": the sides by more than `tol`.
fn sides_tol(out: [f32; 4], tol: f32) -> String {
    ["left", "top", "right", "bottom"]
        .iter()
        .zip(out)
        .filter(|(_, d)| *d > tol)
        .map(|(s, d)| format!("{s} by {d:.0} px"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "bottom, right": the sides by more than `tol`.
fn side_names(out: [f32; 4], tol: f32) -> String {
    ["left", "top", "right", "bottom"]
        .iter()
        .zip(out)
        .filter(|(_, d)| *d > tol)
        .map(|(s, _)| *s)
        .collect::<Vec<_>>()
        .join(", ")
}

fn sides(out: [f32; 4]) -> String {
    sides_tol(out, TOL)
}

/// A clipping ancestor: a `clip: true` element or a scrolling area.
#[derive(Clone)]
struct ClipBy {
    item: ItemRc,
    rect: Rect,
    scrolls: bool,
}

/// Where an element sits in the tree.
#[derive(Clone)]
struct Node {
    item: ItemRc,
    rect: Rect,
    /// Parent first, the window's root item last.
    ancestors: Vec<ItemRc>,
    /// Clipping ancestors, nearest first.
    clips: Vec<ClipBy>,
    /// 0 for the screen, more for what an overlay brings (see
    /// [`Scene::capture`]).
    layer: usize,
    name: String,
}

impl Node {
    fn has_ancestor(&self, item: &ItemRc) -> bool {
        self.ancestors.iter().any(|a| a == item)
    }
    fn in_scroll(&self) -> bool {
        self.clips.iter().any(|c| c.scrolls)
    }
    /// What clips this element when judged together with `other`: the clips
    /// inside a scrolling area they share, or all of them and the window.
    fn clip_with(&self, other: &Node, window: &Rect) -> Rect {
        let mut clip = Rect::new(-1e6, -1e6, 2e6, 2e6);
        for c in &self.clips {
            if c.scrolls && other.clips.iter().any(|o| o.item == c.item) {
                return clip;
            }
            clip = clip.intersect(&c.rect);
        }
        clip.intersect(window)
    }
}

/// A visible text with what the renderer measured.
pub struct TextEl {
    node: Node,
    pub text: String,
    pub font_size: f32,
    pub bold: bool,
    pub wrap: TextWrap,
    pub overflow: TextOverflow,
    /// Widest piece that cannot be broken (the longest word), by the renderer.
    pub longest_word: f32,
    /// Width on one line, by the renderer.
    pub one_line: f32,
    /// The laid-out size by the renderer: wrapped at the box's width when
    /// it wraps.
    pub laid: (f32, f32),
    pub line_height: f32,
    /// The pieces wider than the box, with their widths.
    pub wide_words: Vec<(String, f32)>,
    /// The lines as drawn.
    pub lines: Vec<String>,
    /// The bounding box of its glyphs as laid out, before any clip (its own
    /// box's included).
    pub ink: Rect,
}

impl TextEl {
    /// The text's own box.
    pub fn rect(&self) -> Rect {
        self.node.rect
    }

    /// How much ink may be lost or run into something.
    fn tol(&self) -> f32 {
        (INK_TOL * self.font_size).max(TOL)
    }
}

/// What a text must not run into.
struct Mark {
    node: Node,
    /// "Path", "Face", "BigButton", ...
    what: String,
    /// The element and the components it belongs to, innermost first, for
    /// naming the mark as seen from a text.
    owners: Vec<(ItemRc, String)>,
}

/// Everything the rules look at on one drawn screen.
pub struct Scene {
    pub window: Rect,
    pub texts: Vec<TextEl>,
    marks: Vec<Mark>,
    /// Touch targets (buttons, check boxes, fields).
    targets: Vec<Node>,
    /// Scrolling areas.
    scrolls: Vec<Node>,
    /// Layers hidden under an overlay.
    covered: Vec<usize>,
    /// Where the checker's own layout disagrees with the renderer's
    /// measurements: its findings would not be trustworthy.
    pub disagreements: Vec<String>,
}

/// One thing wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: Kind,
    /// The element, e.g. `"Много лошо" (FaceButton::label, 56.6 px bold)`.
    pub element: String,
    /// What is wrong, with the numbers.
    pub detail: String,
    /// The rectangles involved, for drawing onto a screenshot.
    pub rects: Vec<Rect>,
    /// The part of the window where the element can be seen now (less
    /// than the window inside a scrolling area), to draw only that part.
    pub view: Rect,
    /// For findings that come many at a time (a keyboard pushed out of the
    /// window): what they share, and what is this one's own, so that a
    /// report can say it once.
    pub group: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    BrokenWord,
    Clipped,
    Elided,
    Overlap,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::BrokenWord => "broken word",
            Kind::Clipped => "clipped",
            Kind::Elided => "elided",
            Kind::Overlap => "overlap",
        })
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.kind, self.element, self.detail)
    }
}

/// The element's own type and id from the debug info: `[("Title", ""),
/// ("Text", "Title::root")]` for a `Title`, `[("Text", "FaceButton::label")]`.
fn names(item: &ItemRc) -> Vec<(String, String)> {
    (0..item.element_count().unwrap_or(0))
        .flat_map(|i| item.element_type_names_and_ids(i).unwrap_or_default())
        .map(|(t, id)| (t.to_string(), id.to_string()))
        .collect()
}

/// The component an item is the root of ("Face", "BigButton"), if any.
fn component(item: &ItemRc) -> Option<String> {
    let n = names(item);
    (n.len() > 1)
        .then(|| n.first().map(|(t, _)| t.clone()))
        .flatten()
}

/// "Title", "FaceButton::label", "Text in ReadAloudButton".
fn describe(item: &ItemRc, ancestors: &[ItemRc]) -> String {
    let own = names(item);
    let first = own.first().cloned().unwrap_or_default();
    let mut name = if own.len() > 1 || first.1.is_empty() {
        first.0.clone()
    } else {
        first.1.clone()
    };
    if name.is_empty() {
        // No debug info.
        name = "element".into();
    }
    if let Some(owner) = ancestors.iter().find_map(component)
        && !name.starts_with(&format!("{owner}::"))
    {
        name = format!("{name} in {owner}");
    }
    name
}

fn rect_of(item: &ItemRc) -> Rect {
    let g = item.geometry();
    let p = item.map_to_window(g.origin);
    Rect::new(p.x, p.y, g.width(), g.height())
}

/// Whether the item or an ancestor is hidden (`visible: false`, opacity 0).
fn hidden(item: &ItemRc, ancestors: &[ItemRc]) -> bool {
    std::iter::once(item).chain(ancestors).any(|a| {
        a.downcast::<Clip>().is_some_and(|c| {
            let c = c.as_pin_ref();
            c.is_visibility_clip() && c.clip()
        }) || a
            .downcast::<Opacity>()
            .is_some_and(|o| o.as_pin_ref().opacity() <= 0.01)
    })
}

/// Whether a rectangle-like item paints anything: a fill or a frame.
fn paints(item: &ItemRc) -> bool {
    if let Some(r) = item.downcast::<Rectangle>() {
        return !r.as_pin_ref().background().is_transparent();
    }
    if let Some(r) = item.downcast::<BasicBorderRectangle>() {
        let r = r.as_pin_ref();
        return !r.background().is_transparent()
            || (r.border_width().get() > 0.0 && !r.border_color().is_transparent());
    }
    if let Some(r) = item.downcast::<BorderRectangle>() {
        let r = r.as_pin_ref();
        return !r.background().is_transparent()
            || (r.border_width().get() > 0.0 && !r.border_color().is_transparent());
    }
    false
}

fn is_icon(item: &ItemRc) -> Option<&'static str> {
    if item.downcast::<Path>().is_some() {
        return Some("Path");
    }
    if let Some(i) = item.downcast::<ImageItem>() {
        return (i.as_pin_ref().source().size().width > 0).then_some("Image");
    }
    if let Some(i) = item.downcast::<ClippedImage>() {
        return (i.as_pin_ref().source().size().width > 0).then_some("Image");
    }
    None
}

/// A glyph's outline box in font units (x0, y0, x1, y1, units per em).
type GlyphBox = Option<(f32, f32, f32, f32, f32)>;

/// Measures with the renderer, and lays out again with parley.
struct Measurer<'a> {
    window: &'a slint::Window,
    renderer: &'a dyn Renderer,
    layout_cx: parley::LayoutContext<()>,
    /// By font data address, face index and glyph.
    glyphs: HashMap<(usize, u32, u32), GlyphBox>,
}

/// What the renderer says about a text.
struct Measured {
    text: String,
    font: FontRequest,
    wrap: TextWrap,
    overflow: TextOverflow,
    h_align: TextHorizontalAlignment,
    v_align: TextVerticalAlignment,
    longest_word: f32,
    one_line: f32,
    laid: (f32, f32),
    line_height: f32,
}

/// What the checker's own layout of a text gives.
struct Drawn {
    lines: Vec<String>,
    /// Line boxes' height.
    height: f32,
    /// Widest line without its trailing spaces.
    width: f32,
    /// Glyph outlines' union, relative to the text's box; `None` when
    /// nothing is inked.
    ink: Option<Rect>,
}

impl Measurer<'_> {
    fn measure<T: RenderText + 'static>(
        &self,
        t: Pin<&T>,
        item: &ItemRc,
        width: f32,
    ) -> Option<Measured> {
        let text = match RenderString::text(t) {
            PlainOrStyledText::Plain(s) => s.to_string(),
            PlainOrStyledText::Styled(_) => return None,
        };
        if text.trim().is_empty() {
            return None;
        }
        let s: Pin<&dyn RenderString> = t;
        let font = HasFont::font_request(t, item);
        let wrap = RenderText::wrap(t);
        let widths = self.renderer.text_content_widths(s, item);
        let one_line = self.renderer.text_size(s, item, None, TextWrap::NoWrap);
        let laid = match wrap {
            TextWrap::NoWrap => one_line,
            w => self
                .renderer
                .text_size(s, item, Some(LogicalLength::new(width.max(0.0))), w),
        };
        let line_height = self
            .renderer
            .text_line_height(font.clone())
            .map(|l| l.get())
            .unwrap_or(one_line.height);
        let (h_align, v_align) = RenderText::alignment(t);
        Some(Measured {
            text,
            font,
            wrap,
            overflow: RenderText::overflow(t),
            h_align,
            v_align,
            longest_word: widths.map(|w| w.min.get()).unwrap_or(one_line.width),
            one_line: widths.map(|w| w.max.get()).unwrap_or(one_line.width),
            laid: (laid.width, laid.height),
            line_height,
        })
    }

    /// Lays `text` out with parley as the renderer does: one layout per
    /// paragraph, broken at `max_width`, words broken anywhere when
    /// `anywhere`.
    fn parley(
        &mut self,
        ms: &Measured,
        anywhere: bool,
        max_width: Option<f32>,
    ) -> Vec<(String, parley::Layout<()>)> {
        let font = &ms.font;
        let size = font.pixel_size.map(|p| p.get()).unwrap_or(12.0);
        let line_ratio = ms.line_height / size;
        let ctx = WindowInner::from_pub(self.window).context();
        let mut fonts = ctx.font_context().borrow_mut();
        let families: Vec<parley::style::FontFamilyName<'_>> = font
            .family
            .iter()
            .map(|f| parley::style::FontFamilyName::named(f.as_str()))
            .chain(
                i_slint_common::sharedfontique::FALLBACK_FAMILIES
                    .into_iter()
                    .map(parley::style::FontFamilyName::Generic),
            )
            .collect();
        ms.text
            .split('\n')
            .map(|para| {
                let para = para.trim_end_matches('\r');
                let mut b = self
                    .layout_cx
                    .ranged_builder(&mut fonts.inner, para, 1.0, false);
                b.push_default(parley::StyleProperty::LineHeight(
                    parley::style::LineHeight::FontSizeRelative(line_ratio),
                ));
                b.push_default(parley::style::FontFamily::List(Cow::Borrowed(
                    families.as_slice(),
                )));
                if let Some(w) = font.weight {
                    b.push_default(parley::StyleProperty::FontWeight(
                        parley::style::FontWeight::new(w as f32),
                    ));
                }
                if let Some(ls) = font.letter_spacing {
                    b.push_default(parley::StyleProperty::LetterSpacing(ls.get()));
                }
                b.push_default(parley::StyleProperty::FontStyle(if font.italic {
                    parley::style::FontStyle::Italic
                } else {
                    parley::style::FontStyle::Normal
                }));
                b.push_default(parley::StyleProperty::FontSize(size));
                b.push_default(parley::StyleProperty::WordBreak(
                    parley::style::WordBreak::Normal,
                ));
                b.push_default(parley::StyleProperty::OverflowWrap(if anywhere {
                    parley::style::OverflowWrap::Anywhere
                } else {
                    parley::style::OverflowWrap::Normal
                }));
                let mut layout = b.build(para);
                layout.break_all_lines(max_width);
                (para.to_string(), layout)
            })
            .collect()
    }

    fn glyph_box(&mut self, font: &parley::FontData, glyph: u32) -> GlyphBox {
        let data = font.data.data();
        *self
            .glyphs
            .entry((data.as_ptr() as usize, font.index, glyph))
            .or_insert_with(|| {
                let face = ttf_parser::Face::parse(data, font.index).ok()?;
                let b = face.glyph_bounding_box(ttf_parser::GlyphId(u16::try_from(glyph).ok()?))?;
                Some((
                    b.x_min.into(),
                    b.y_min.into(),
                    b.x_max.into(),
                    b.y_max.into(),
                    face.units_per_em().into(),
                ))
            })
    }

    /// The text as drawn in a box `width` x `height`: lines, aligned.
    fn drawn(&mut self, ms: &Measured, width: f32, height: f32) -> Drawn {
        let wraps = ms.wrap != TextWrap::NoWrap;
        let paragraphs = self.parley(ms, true, wraps.then_some(width.max(0.0)));
        let block: f32 = paragraphs.iter().map(|(_, l)| l.height()).sum();
        let y_off = match ms.v_align {
            TextVerticalAlignment::Center => (height - block) / 2.0,
            TextVerticalAlignment::Bottom => height - block,
            _ => 0.0,
        };
        let mut drawn = Drawn {
            lines: Vec::new(),
            height: block,
            width: 0.0,
            ink: None,
        };
        let mut para_y = 0.0;
        for (para, layout) in &paragraphs {
            for line in layout.lines() {
                let m = line.metrics();
                let used = m.advance - m.trailing_whitespace;
                drawn.width = drawn.width.max(used);
                let free = width - used;
                // Lines wider than the box start at its left edge.
                let x_off = if free <= 0.0 {
                    0.0
                } else {
                    match ms.h_align {
                        TextHorizontalAlignment::Center => free / 2.0,
                        TextHorizontalAlignment::Right | TextHorizontalAlignment::End => free,
                        _ => 0.0,
                    }
                };
                drawn.lines.push(
                    para.get(line.text_range())
                        .unwrap_or("")
                        .trim_end()
                        .to_string(),
                );
                for item in line.items() {
                    let parley::PositionedLayoutItem::GlyphRun(run) = item else {
                        continue;
                    };
                    let font = run.run().font().clone();
                    let size = run.run().font_size();
                    for g in run.positioned_glyphs() {
                        let Some((gx0, gy0, gx1, gy1, upem)) = self.glyph_box(&font, g.id) else {
                            continue;
                        };
                        let k = size / upem;
                        let r = Rect {
                            x0: x_off + g.x + gx0 * k,
                            y0: y_off + para_y + g.y - gy1 * k,
                            x1: x_off + g.x + gx1 * k,
                            y1: y_off + para_y + g.y - gy0 * k,
                        };
                        drawn.ink = Some(match drawn.ink {
                            None => r,
                            Some(u) => Rect {
                                x0: u.x0.min(r.x0),
                                y0: u.y0.min(r.y0),
                                x1: u.x1.max(r.x1),
                                y1: u.y1.max(r.y1),
                            },
                        });
                    }
                }
            }
            para_y += layout.height();
        }
        drawn
    }
}

impl Scene {
    /// Walks the window's items as they are laid out now.
    pub fn capture(window: &slint::Window) -> Scene {
        let inner = WindowInner::from_pub(window);
        let adapter = inner.window_adapter();
        let size = window.size().to_logical(window.scale_factor());
        let win = Rect::new(0.0, 0.0, size.width, size.height);
        let root = ItemRc::new_root(inner.component());
        let mut m = Measurer {
            window,
            renderer: adapter.renderer(),
            layout_cx: parley::LayoutContext::new(),
            glyphs: HashMap::new(),
        };
        let mut scene = Scene {
            window: win,
            texts: Vec::new(),
            marks: Vec::new(),
            targets: Vec::new(),
            scrolls: Vec::new(),
            covered: Vec::new(),
            disagreements: Vec::new(),
        };
        // The window's children, each with its layer: 0 below any overlay,
        // then one more for each child that covers the whole window (the
        // idle question, the attract screen) and what follows it.
        let mut layers: Vec<(ItemRc, usize)> = Vec::new();
        let mut overlays = 0;
        root.visit_descendants(|item: &ItemRc| {
            let mut ancestors = Vec::new();
            let mut p = item.parent_item(ParentItemTraversalMode::StopAtPopups);
            while let Some(a) = p {
                p = a.parent_item(ParentItemTraversalMode::StopAtPopups);
                ancestors.push(a);
            }
            if hidden(item, &ancestors) {
                return ControlFlow::<()>::Continue(());
            }
            let rect = rect_of(item);
            // The window's child this lies in: the screen, or an overlay.
            let top = if ancestors.len() >= 2 {
                ancestors[ancestors.len() - 2].clone()
            } else {
                item.clone()
            };
            let layer = match layers.iter().find(|(l, _)| *l == top) {
                Some((_, layer)) => *layer,
                None => {
                    let r = rect_of(&top);
                    let covers = paints(&top)
                        && r.x0 <= win.x0 + TOL
                        && r.y0 <= win.y0 + TOL
                        && r.x1 >= win.x1 - TOL
                        && r.y1 >= win.y1 - TOL;
                    overlays += usize::from(covers);
                    layers.push((top, overlays));
                    overlays
                }
            };
            let clips = ancestors
                .iter()
                .filter(|a| a.borrow().as_ref().clips_children())
                .map(|a| ClipBy {
                    item: a.clone(),
                    rect: rect_of(a),
                    scrolls: a.downcast::<Flickable>().is_some(),
                })
                .collect();
            let name = describe(item, &ancestors);
            let node = Node {
                item: item.clone(),
                rect,
                ancestors,
                clips,
                layer,
                name,
            };
            if let Some(t) = item.downcast::<ComplexText>() {
                let measured = m.measure(t.as_pin_ref(), item, rect.w());
                scene.add_text(&mut m, node, measured);
            } else if let Some(t) = item.downcast::<SimpleText>() {
                let measured = m.measure(t.as_pin_ref(), item, rect.w());
                scene.add_text(&mut m, node, measured);
            } else if item.downcast::<Flickable>().is_some() {
                scene.scrolls.push(node);
            } else {
                if matches!(
                    item.accessible_role(),
                    AccessibleRole::Button | AccessibleRole::Checkbox | AccessibleRole::TextInput
                ) {
                    scene.targets.push(node.clone());
                }
                let what = is_icon(item)
                    .map(str::to_string)
                    .or_else(|| paints(item).then(|| component(item).unwrap_or("box".into())));
                if let Some(what) = what {
                    let owners = std::iter::once(item)
                        .chain(&node.ancestors)
                        .filter_map(|a| component(a).map(|c| (a.clone(), c)))
                        .collect();
                    scene.marks.push(Mark { node, what, owners });
                }
            }
            ControlFlow::Continue(())
        });
        // An overlay hides what is under it.
        scene.covered.extend(0..overlays);
        scene
    }

    fn add_text(&mut self, m: &mut Measurer<'_>, node: Node, measured: Option<Measured>) {
        let Some(ms) = measured else { return };
        let font_size = ms.font.pixel_size.map(|p| p.get()).unwrap_or(12.0);
        let r = node.rect;
        let drawn = m.drawn(&ms, r.w(), r.h());
        let Some(ink) = drawn.ink else { return };
        let ink = Rect {
            x0: r.x0 + ink.x0,
            y0: r.y0 + ink.y0,
            x1: r.x0 + ink.x1,
            y1: r.y0 + ink.y1,
        };
        let mut disagree = |what: &str, mine: f32, theirs: f32| {
            if (mine - theirs).abs() > 0.5 {
                self.disagreements.push(format!(
                    "{:?} ({}): {what} {mine:.1} px by the checker, {theirs:.1} px by the renderer",
                    ms.text, node.name
                ));
            }
        };
        if r.w() > 0.0 {
            disagree("height", drawn.height, ms.laid.1);
            if ms.wrap == TextWrap::NoWrap {
                disagree("width", drawn.width, ms.one_line);
            }
        }
        // Broken only where the text allows it: what stays wider than the
        // box is a piece that cannot be broken.
        let mut wide_words = Vec::new();
        if ms.wrap == TextWrap::WordWrap && ms.longest_word > r.w() + WORD_TOL {
            let mut longest = 0.0f32;
            for (para, layout) in m.parley(&ms, false, Some(r.w().max(0.0))) {
                longest = longest.max(layout.calculate_content_widths().min);
                for line in layout.lines() {
                    let lm = line.metrics();
                    let width = lm.advance - lm.trailing_whitespace;
                    if width > r.w() + WORD_TOL {
                        let piece = para.get(line.text_range()).unwrap_or("").trim();
                        wide_words.push((piece.to_string(), width));
                    }
                }
            }
            disagree("longest word", longest, ms.longest_word);
        }
        self.texts.push(TextEl {
            node,
            text: ms.text,
            font_size,
            bold: ms.font.weight.unwrap_or(400) >= 600,
            wrap: ms.wrap,
            overflow: ms.overflow,
            longest_word: ms.longest_word,
            one_line: ms.one_line,
            laid: ms.laid,
            line_height: ms.line_height,
            wide_words,
            lines: drawn.lines,
            ink,
        });
    }

    /// The texts that are not under an overlay, with where their glyphs
    /// are drawn now (their ink within their own box and what clips it),
    /// possibly empty.
    pub fn visible_texts(&self) -> impl Iterator<Item = (&TextEl, Rect)> {
        self.texts
            .iter()
            .filter(|t| !self.covered.contains(&t.node.layer))
            .map(|t| {
                let ink = t.ink.intersect(&t.node.rect);
                (t, ink.intersect(&self.view_of(&t.node)))
            })
    }

    /// Where an element can be seen now: the window less what clips it.
    fn view_of(&self, n: &Node) -> Rect {
        n.clips
            .iter()
            .fold(self.window, |view, c| view.intersect(&c.rect))
    }

    fn label(t: &TextEl) -> String {
        let mut s: String = t.text.chars().take(60).collect();
        if s.len() < t.text.len() {
            s.push('…');
        }
        format!(
            "{s:?} ({}, {:.1} px{})",
            t.node.name,
            t.font_size,
            if t.bold { " bold" } else { "" }
        )
    }

    /// The four rules on this scene.
    pub fn check(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        let texts: Vec<&TextEl> = self
            .texts
            .iter()
            .filter(|t| !self.covered.contains(&t.node.layer))
            .collect();
        for t in &texts {
            self.check_fit(t, &mut out);
            self.check_clips(t, &mut out);
        }
        self.check_overlaps(&texts, &mut out);
        self.check_cut_off(&mut out);
        out
    }

    /// Rules 1, 2 (in its own box) and 3.
    fn check_fit(&self, t: &TextEl, out: &mut Vec<Finding>) {
        let r = t.node.rect;
        let label = || Self::label(t);
        let drawn = || {
            if t.lines.len() > 1 {
                format!("; drawn as \"{}\"", t.lines.join(" / "))
            } else {
                String::new()
            }
        };
        if r.is_empty() {
            out.push(Finding {
                kind: Kind::Clipped,
                element: label(),
                detail: format!(
                    "its box has collapsed to {:.0}x{:.0} px: nothing is drawn",
                    r.w(),
                    r.h()
                ),
                rects: vec![r],
                view: self.view_of(&t.node),
                group: None,
            });
            return;
        }
        if t.wrap == TextWrap::WordWrap && t.longest_word > r.w() + WORD_TOL {
            let words = if t.wide_words.is_empty() {
                format!("a word is {:.1} px wide", t.longest_word)
            } else {
                t.wide_words
                    .iter()
                    .map(|(w, px)| format!("\"{w}\" is {px:.1} px wide"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push(Finding {
                kind: Kind::BrokenWord,
                element: label(),
                detail: format!("{words}, its box {:.1} px{}", r.w(), drawn()),
                rects: vec![r],
                view: self.view_of(&t.node),
                group: None,
            });
        }
        let one_line = t.wrap == TextWrap::NoWrap;
        let o = t.ink.outside(&r);
        let tol = t.tol();
        if one_line && t.overflow == TextOverflow::Elide && t.one_line.floor() > r.w().ceil() {
            out.push(Finding {
                kind: Kind::Elided,
                element: label(),
                detail: format!(
                    "needs {:.0} px on its one line, its box is {:.0} px: it ends in \"…\"",
                    t.one_line,
                    r.w()
                ),
                rects: vec![r],
                view: self.view_of(&t.node),
                group: None,
            });
        } else if one_line && (o[0] > tol || o[2] > tol) {
            out.push(Finding {
                kind: Kind::Elided,
                element: label(),
                detail: format!(
                    "needs {:.0} px on its one line, its box is {:.0} px: it is cut {}",
                    t.one_line,
                    r.w(),
                    sides_tol([o[0], 0.0, o[2], 0.0], tol)
                ),
                rects: vec![r, t.ink],
                view: self.view_of(&t.node),
                group: None,
            });
        }
        // The lines are taller than the box: with elide the last line that
        // fits ends in "…", otherwise what does not fit is cut off (at the
        // top, the bottom or both, as the text is aligned).
        if t.overflow == TextOverflow::Elide && !one_line {
            if t.laid.1 > r.h().ceil() {
                out.push(Finding {
                    kind: Kind::Elided,
                    element: label(),
                    detail: format!(
                        "{:.0} line(s) need {:.0} px, its box is {:.0} px high: the last one \
                         that fits ends in \"…\"{}",
                        (t.laid.1 / t.line_height).round(),
                        t.laid.1,
                        r.h(),
                        drawn()
                    ),
                    rects: vec![r],
                    view: self.view_of(&t.node),
                    group: None,
                });
            }
        } else if o[1] > tol || o[3] > tol {
            out.push(Finding {
                kind: Kind::Clipped,
                element: label(),
                detail: format!(
                    "{:.0} line(s) need {:.0} px, its box is {:.0} px high: its ink is cut {}{}",
                    (t.laid.1 / t.line_height).round(),
                    t.laid.1,
                    r.h(),
                    sides_tol([0.0, o[1], 0.0, o[3]], tol),
                    drawn()
                ),
                rects: vec![r, t.ink],
                view: self.view_of(&t.node),
                group: None,
            });
        }
    }

    /// Rule 2: the ink outside the window or a clipping ancestor.
    fn check_clips(&self, t: &TextEl, out: &mut Vec<Finding>) {
        // Only what lies in its own box can be drawn at all.
        let ink = t.ink.intersect(&t.node.rect);
        if ink.is_empty() {
            return;
        }
        let tol = t.tol();
        let mut scrolled = false;
        for c in &t.node.clips {
            if c.scrolls {
                // It may be scrolled out of view, but not sideways.
                let o = ink.outside(&c.rect);
                if o[0] > tol || o[2] > tol {
                    out.push(Finding {
                        kind: Kind::Clipped,
                        element: Self::label(t),
                        detail: format!(
                            "reaches out of its scrolling area ({}) {}",
                            c.rect,
                            sides_tol([o[0], 0.0, o[2], 0.0], tol)
                        ),
                        rects: vec![ink, c.rect],
                        view: self.view_of(&t.node),
                        group: None,
                    });
                }
                scrolled = true;
                break;
            }
            let o = ink.outside(&c.rect);
            if o.iter().any(|d| *d > tol) {
                out.push(Finding {
                    kind: Kind::Clipped,
                    element: Self::label(t),
                    detail: format!(
                        "is cut by the clipping {} around it ({}) {}",
                        describe(&c.item, &[]),
                        c.rect,
                        sides_tol(o, tol)
                    ),
                    rects: vec![ink, c.rect],
                    view: self.view_of(&t.node),
                    group: None,
                });
            }
        }
        if !scrolled {
            let o = ink.outside(&self.window);
            if o.iter().any(|d| *d > tol) {
                out.push(Finding {
                    kind: Kind::Clipped,
                    element: Self::label(t),
                    detail: format!("reaches out of the window {}", sides_tol(o, tol)),
                    rects: vec![ink],
                    view: self.view_of(&t.node),
                    group: Some((
                        format!(
                            "texts ({}) reach out of the window {}",
                            t.node.name,
                            side_names(o, tol)
                        ),
                        format!(
                            "{:?} by {:.0} px",
                            t.text,
                            o.iter().fold(0.0f32, |a, b| a.max(*b))
                        ),
                    )),
                });
            }
        }
    }

    /// Rule 4.
    fn check_overlaps(&self, texts: &[&TextEl], out: &mut Vec<Finding>) {
        let visible = |t: &TextEl, other: &Node| {
            t.ink
                .intersect(&t.node.rect)
                .intersect(&t.node.clip_with(other, &self.window))
        };
        for (i, a) in texts.iter().enumerate() {
            let tol = a.tol();
            for b in texts.iter().skip(i + 1) {
                if a.node.layer != b.node.layer {
                    continue;
                }
                let common = visible(a, &b.node).intersect(&visible(b, &a.node));
                let tol = tol.min(b.tol());
                if common.w() > tol && common.h() > tol {
                    out.push(Finding {
                        kind: Kind::Overlap,
                        element: Self::label(a),
                        detail: format!(
                            "is drawn over {} by {:.0}x{:.0} px",
                            Self::label(b),
                            common.w(),
                            common.h()
                        ),
                        rects: vec![a.ink, b.ink],
                        view: self.view_of(&a.node),
                        group: None,
                    });
                }
            }
            // One finding per thing run into.
            let mut seen: Vec<String> = Vec::new();
            for mk in &self.marks {
                if mk.node.layer != a.node.layer {
                    continue;
                }
                let mine = visible(a, &mk.node);
                if a.node.has_ancestor(&mk.node.item) {
                    // Its own frame: the ink must stay inside it.
                    let frame = mk.node.rect;
                    let o = mine.outside(&frame);
                    let key = format!("out of {}", mk.node.name);
                    if o.iter().any(|d| *d > tol) && !seen.contains(&key) {
                        seen.push(key);
                        out.push(Finding {
                            kind: Kind::Overlap,
                            element: Self::label(a),
                            detail: format!(
                                "reaches out of its own {} ({frame}) {}",
                                mk.node.name,
                                sides_tol(o, tol)
                            ),
                            rects: vec![a.ink, frame],
                            view: self.view_of(&a.node),
                            group: None,
                        });
                    }
                    continue;
                }
                // Named by the outermost component it belongs to that does
                // not also hold the text: "Face", not its eye.
                let what = mk
                    .owners
                    .iter()
                    .rev()
                    .find(|(o, _)| !a.node.has_ancestor(o))
                    .map(|(_, c)| c.clone())
                    .unwrap_or_else(|| mk.node.name.clone());
                let theirs = mk
                    .node
                    .rect
                    .intersect(&mk.node.clip_with(&a.node, &self.window));
                let common = mine.intersect(&theirs);
                if common.w() > tol && common.h() > tol && !seen.contains(&what) {
                    seen.push(what.clone());
                    out.push(Finding {
                        kind: Kind::Overlap,
                        element: Self::label(a),
                        detail: format!(
                            "is drawn over {what} ({}) by {:.0}x{:.0} px",
                            mk.node.rect,
                            common.w(),
                            common.h()
                        ),
                        rects: vec![a.ink, mk.node.rect],
                        view: self.view_of(&a.node),
                        group: None,
                    });
                }
            }
        }
    }

    /// Rule 2 for what is not text: touch targets and scrolling areas that
    /// reach out of the window or out of a clipping ancestor.
    fn check_cut_off(&self, out: &mut Vec<Finding>) {
        for n in self.targets.iter().chain(&self.scrolls) {
            if self.covered.contains(&n.layer) || n.in_scroll() {
                continue;
            }
            let clip = n
                .clips
                .iter()
                .fold(self.window, |clip, c| clip.intersect(&c.rect));
            let o = n.rect.outside(&clip);
            if o.iter().any(|d| *d > TOL) {
                let label = n
                    .item
                    .accessible_string_property(AccessibleStringProperty::Label)
                    .filter(|l| !l.is_empty())
                    .map(|l| format!("{:?} ", l.as_str()))
                    .unwrap_or_default();
                out.push(Finding {
                    kind: Kind::Clipped,
                    element: format!("{label}({})", n.name),
                    detail: format!("at {} reaches out of the window {}", n.rect, sides(o)),
                    rects: vec![n.rect],
                    view: self.window,
                    group: Some((
                        format!(
                            "touch targets ({}) reach out of the window {}",
                            n.name,
                            side_names(o, TOL)
                        ),
                        format!(
                            "{label}by {:.0} px",
                            o.iter().fold(0.0f32, |a, b| a.max(*b))
                        ),
                    )),
                });
            }
        }
    }
}
