//! What "read aloud" says: the screen's own elements, read from the live
//! element tree.
//!
//! There is no second copy of the screens' strings: the walk visits the
//! elements shown now, in the order of the .slint files (which is the
//! reading order of every screen), and takes their accessible label, value
//! and description, the same data a screen reader would get. Texts come
//! first, then the buttons with what they do, then the header's back and
//! home buttons. An element's `accessible-description` on a text is its
//! spoken form (a receipt number digit by digit, a fee or a date in words)
//! and is said instead of what is shown.
//!
//! Invariants: an element inside one already read is not read again (a
//! button's own text, a notice's heading); the header's switches (language,
//! large text, read aloud) are not read, they are the same on every screen;
//! keyboard keys are announced as a keyboard, not one by one; when the idle
//! question or the attract screen covers the screen, only it is read.
//!
//! The element tree is reached through `i-slint-backend-testing`'s
//! `ElementHandle`, which works on any window when the interface is
//! compiled with debug info (build.rs).

use std::ops::ControlFlow;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use slint::ComponentHandle;

use crate::domain::Lang;

use super::{AppState, AppWindow};
use crate::domain::notices::Notice;

/// The text "read aloud" says for the screen shown in `w`, in `lang`.
pub fn screen_text(w: &AppWindow, lang: Lang) -> String {
    let st = w.global::<AppState>();
    let overlay = if st.get_attract() {
        first_of(w, "Attract")
    } else if st.get_idle_warning() {
        first_of(w, "IdleQuestion")
    } else {
        None
    };
    if let Some(scope) = overlay {
        let mut reading = Reading::default();
        reading.visit(&scope);
        scope.visit_descendants(|e| {
            reading.visit(&e);
            ControlFlow::<()>::Continue(())
        });
        return reading.compose(lang);
    }
    let header = first_of(w, "Header").map(|h| Area::of(&h));
    let walk = || {
        let mut reading = Reading {
            header,
            scroll_areas: ElementHandle::find_by_element_type_name(w, "ScrollArea")
                .map(|e| ScrollView::of(&e))
                .collect(),
            ..Reading::default()
        };
        w.root_element().visit_descendants(|e| {
            reading.visit(&e);
            ControlFlow::<()>::Continue(())
        });
        reading
    };
    let mut whole = walk();
    // What a scrolling area hides is read too: page down through it as its
    // own button does, merge each page in, then page back up.
    let scroll = |id: &str| ElementHandle::find_by_element_id(w, id).collect::<Vec<_>>();
    let mut pages = 0;
    while pages < MAX_PAGES {
        let downs = scroll("ScrollArea::scroll-down");
        if downs.is_empty() {
            break;
        }
        downs
            .iter()
            .for_each(ElementHandle::invoke_accessible_default_action);
        pages += 1;
        let page = walk();
        if !whole.merge(page) {
            break;
        }
    }
    for _ in 0..pages {
        scroll("ScrollArea::scroll-up")
            .iter()
            .for_each(ElementHandle::invoke_accessible_default_action);
    }
    whole.compose(lang)
}

/// The most pages of a scrolling area read aloud: a service's full text
/// fits in a few.
const MAX_PAGES: usize = 12;

/// The first thing a screen says (its title, or the municipality's name on
/// the home screen), for speech mode to announce a new screen.
pub fn screen_title(w: &AppWindow) -> Option<String> {
    let mut reading = Reading::default();
    w.root_element().visit_descendants(|e| {
        reading.visit(&e);
        match reading.texts.first() {
            Some(t) => ControlFlow::Break(t.clone()),
            None => ControlFlow::Continue(()),
        }
    })
}

fn first_of(w: &AppWindow, type_name: &str) -> Option<ElementHandle> {
    ElementHandle::find_by_element_type_name(w, type_name).next()
}

/// An element's place on screen, in logical pixels.
#[derive(Debug, Clone, Copy)]
struct Area {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Area {
    fn of(e: &ElementHandle) -> Area {
        let p = e.absolute_position();
        let s = e.size();
        Area {
            x0: p.x,
            y0: p.y,
            x1: p.x + s.width,
            y1: p.y + s.height,
        }
    }

    /// Whether `other` is part of this area. Its top left corner decides:
    /// a long text may reach past the bottom of the button it is written
    /// on, but it starts inside it.
    fn contains(&self, other: &Area) -> bool {
        // Half a pixel of slack for rounding in layouts.
        const E: f32 = 0.5;
        other.x0 >= self.x0 - E
            && other.x0 < self.x1 - E
            && other.y0 >= self.y0 - E
            && other.y0 < self.y1 - E
    }

    /// Whether this area starts above `view` but reaches into it: scrolled
    /// partly out of view at the top, read on the page before.
    fn cut_at_top_by(&self, view: &Area) -> bool {
        const E: f32 = 0.5;
        self.y0 < view.y0 - E && self.y1 > view.y0 + E && self.x0 < view.x1 && self.x1 > view.x0
    }

    fn same(&self, other: &Area) -> bool {
        self.x0 == other.x0 && self.y0 == other.y0 && self.x1 == other.x1 && self.y1 == other.y1
    }

    fn is_empty(&self) -> bool {
        self.x1 - self.x0 < 1.0 || self.y1 - self.y0 < 1.0
    }
}

/// A scrolling area: where it shows, and what lies in it now.
struct ScrollView {
    view: Area,
    members: Vec<Area>,
}

impl ScrollView {
    fn of(e: &ElementHandle) -> ScrollView {
        let mut members = Vec::new();
        e.visit_descendants(|m| {
            if m.accessible_role()
                .is_some_and(|r| r != AccessibleRole::None)
            {
                members.push(Area::of(&m));
            }
            ControlFlow::<()>::Continue(())
        });
        ScrollView {
            view: Area::of(e),
            members,
        }
    }
}

/// What the walk has found so far.
#[derive(Default)]
struct Reading {
    header: Option<Area>,
    /// Scrolling areas on screen.
    scroll_areas: Vec<ScrollView>,
    /// Elements already read or deliberately skipped: what lies inside
    /// them belongs to them.
    /// Each with the scrolling area it lies in, if any: a scrolled text
    /// passes under the screen's title without being part of it.
    claimed: Vec<(Option<usize>, Area)>,
    texts: Vec<String>,
    buttons: Vec<String>,
    header_buttons: Vec<String>,
    keyboard: bool,
    /// The last button read: where, whether in the header, its label.
    last_button: Option<(Area, bool, String)>,
}

impl Reading {
    fn visit(&mut self, e: &ElementHandle) {
        let Some(role) = e.accessible_role() else {
            return;
        };
        if role == AccessibleRole::None {
            return;
        }
        let area = Area::of(e);
        if area.is_empty() {
            return;
        }
        let layer = self
            .scroll_areas
            .iter()
            .position(|v| v.members.iter().any(|m| m.same(&area)));
        if layer
            .and_then(|i| self.scroll_areas.get(i))
            .is_some_and(|s| area.cut_at_top_by(&s.view))
        {
            // Read on the page before; its parts below belong to it.
            self.claimed.push((layer, area));
            return;
        }
        if self
            .claimed
            .iter()
            .any(|(l, c)| *l == layer && c.contains(&area))
        {
            self.widen_button(&area, e);
            return;
        }
        self.claimed.push((layer, area));
        let in_header = self.header.is_some_and(|h| h.contains(&area));
        let text = |s: Option<slint::SharedString>| s.map(|s| s.trim().to_string());
        let label = text(e.accessible_label()).unwrap_or_default();
        let value = text(e.accessible_value()).unwrap_or_default();
        let description = text(e.accessible_description()).unwrap_or_default();
        match role {
            AccessibleRole::Button | AccessibleRole::Checkbox => {
                if is_key(e) {
                    self.keyboard = true;
                    return;
                }
                // The reading pages through scrolling areas by itself.
                if e.id().is_some_and(|id| id.starts_with("ScrollArea::")) {
                    return;
                }
                // The header's switches are the same on every screen.
                if in_header && e.accessible_checkable() == Some(true) {
                    return;
                }
                if label.is_empty() {
                    return;
                }
                let mut said = label.clone();
                if !description.is_empty() && description != label {
                    said = format!("{said}: {description}");
                }
                let list = if in_header {
                    &mut self.header_buttons
                } else {
                    &mut self.buttons
                };
                list.push(said);
                self.last_button = Some((area, in_header, label));
            }
            AccessibleRole::TextInput => {
                self.texts.push(format!("{label}: {value}"));
            }
            _ => {
                let said = if !description.is_empty() {
                    description
                } else if !value.is_empty() && value != label {
                    format!("{label}: {value}")
                } else {
                    label
                };
                if !said.is_empty() && self.texts.last() != Some(&said) {
                    self.texts.push(said);
                }
            }
        }
    }

    /// A button whose own text says more than its label ("Complaint —
    /// something went wrong and ...") is read by that text.
    fn widen_button(&mut self, area: &Area, e: &ElementHandle) {
        let Some((button, in_header, label)) = &self.last_button else {
            return;
        };
        if !button.contains(area) || e.accessible_role() != Some(AccessibleRole::Text) {
            return;
        }
        let shown = e.accessible_label().unwrap_or_default();
        let shown = shown.trim();
        if shown.len() <= label.len() || !shown.starts_with(label.as_str()) {
            return;
        }
        let list = if *in_header {
            &mut self.header_buttons
        } else {
            &mut self.buttons
        };
        if let Some(last) = list.last_mut() {
            *last = shown.to_string();
        }
    }

    /// Adds what `page` found that this reading has not, each new part
    /// after the part it followed on the page. False when nothing was new.
    fn merge(&mut self, page: Reading) -> bool {
        let a = merge_in_order(&mut self.texts, page.texts);
        let b = merge_in_order(&mut self.buttons, page.buttons);
        self.keyboard |= page.keyboard;
        a || b
    }

    fn compose(self, lang: Lang) -> String {
        let mut parts: Vec<String> = self.texts.iter().map(|t| sentence(t)).collect();
        if self.keyboard {
            parts.push(Notice::KeyboardOnScreen.message(lang).to_string());
        }
        let buttons: Vec<String> = self
            .buttons
            .into_iter()
            .chain(self.header_buttons)
            .collect();
        if !buttons.is_empty() {
            let word = Notice::Buttons.message(lang);
            parts.push(format!("{word}: {}.", buttons.join("; ")));
        }
        parts.join(" ")
    }
}

/// Merges `more` into `list`, keeping both orders: a new item goes after
/// the last item that came before it in `more`. True when anything was new.
fn merge_in_order(list: &mut Vec<String>, more: Vec<String>) -> bool {
    let mut cursor = 0;
    let mut added = false;
    for item in more {
        match list.iter().position(|t| *t == item) {
            Some(i) => cursor = i + 1,
            None => {
                list.insert(cursor, item);
                cursor += 1;
                added = true;
            }
        }
    }
    added
}

/// A keyboard key: said as "keyboard" once, not forty times.
fn is_key(e: &ElementHandle) -> bool {
    e.type_name().is_some_and(|t| t == "Key")
        || e.bases().is_some_and(|mut b| b.any(|t| t == "Key"))
}

/// `text` ending like a sentence, so the engine pauses after it.
fn sentence(text: &str) -> String {
    let text = text.trim();
    match text.chars().last() {
        // "2026 г." already ends the sentence: one full stop is enough.
        Some('.') => format!("{}.", text.trim_end_matches('.')),
        Some('!' | '?' | '…' | ':') => text.to_string(),
        _ => format!("{text}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_ends_with_a_pause() {
        assert_eq!(sentence("Отворено сега"), "Отворено сега.");
        assert_eq!(sentence("Вашият номер е:"), "Вашият номер е:");
        assert_eq!(sentence(" Готово. "), "Готово.");
        assert_eq!(
            sentence("до 29 декември 2026 г.."),
            "до 29 декември 2026 г."
        );
    }

    #[test]
    fn pages_merge_in_reading_order() {
        let mut list: Vec<String> = ["title", "a", "b", "footer"].map(String::from).to_vec();
        let page = ["title", "b", "c", "d", "footer"]
            .map(String::from)
            .to_vec();
        assert!(merge_in_order(&mut list, page.clone()));
        assert_eq!(list, ["title", "a", "b", "c", "d", "footer"]);
        assert!(!merge_in_order(&mut list, page));
    }

    #[test]
    fn an_element_inside_another_is_its_part() {
        let outer = Area {
            x0: 0.0,
            y0: 0.0,
            x1: 100.0,
            y1: 50.0,
        };
        let inner = Area {
            x0: 10.0,
            y0: 10.0,
            x1: 90.0,
            y1: 40.0,
        };
        assert!(outer.contains(&inner));
        assert!(!inner.contains(&outer));
        let overflowing = Area {
            x0: 10.0,
            y0: 30.0,
            x1: 90.0,
            y1: 60.0,
        };
        assert!(outer.contains(&overflowing));
    }
}
