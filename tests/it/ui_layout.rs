//! Layout rules for elderly visitors, checked on every screen: touch targets
//! at least 12 mm on the configured display and at least 2 mm apart; at the
//! other sizes nothing a visitor can touch is cut off or overlaps.

use crate::support::ui::{UiKiosk, kiosk};
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use kiosk::domain::Lang;
use kiosk::ui::Theme;
use kiosk::ui::screenshot::{names, prepare};
use slint::ComponentHandle;

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn of(e: &ElementHandle) -> Rect {
        let p = e.absolute_position();
        let s = e.size();
        Rect {
            x: p.x,
            y: p.y,
            w: s.width,
            h: s.height,
        }
    }
    fn inside(&self, o: &Rect) -> bool {
        self.x >= o.x - 0.5
            && self.y >= o.y - 0.5
            && self.x + self.w <= o.x + o.w + 0.5
            && self.y + self.h <= o.y + o.h + 0.5
    }
    fn overlaps_x(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w
    }
    /// The empty space between two rectangles (negative when they overlap).
    fn gap(&self, o: &Rect) -> f32 {
        let dx = (o.x - (self.x + self.w)).max(self.x - (o.x + o.w));
        let dy = (o.y - (self.y + self.h)).max(self.y - (o.y + o.h));
        dx.max(dy)
    }
}

/// The buttons a visitor can see and touch on the current screen: those in
/// a scrolling area only when they lie wholly inside it.
fn touch_targets(k: &UiKiosk, dialog_on_top: bool) -> Vec<(String, Rect)> {
    let window = k.app.window();
    let scrolls: Vec<Rect> = ElementQuery::from_root(window)
        .match_descendants()
        .match_type_name("Flickable")
        .find_all()
        .iter()
        .map(Rect::of)
        .collect();
    let mut out: Vec<(String, Rect)> = Vec::new();
    for e in ElementQuery::from_root(window)
        .match_descendants()
        .match_accessible_role(AccessibleRole::Button)
        .find_all()
    {
        let r = Rect::of(&e);
        if r.w <= 0.0 || r.h <= 0.0 {
            continue;
        }
        let in_scroll = scrolls.iter().find(|s| s.overlaps_x(&r) && r.gap(s) < 0.0);
        if let Some(s) = in_scroll
            && !dialog_on_top
            && !r.inside(s)
        {
            continue;
        }
        let label = e.accessible_label().unwrap_or_default().to_string();
        // The same element can be reached twice; keep one.
        if !out
            .iter()
            .any(|(l, o)| *l == label && (o.x - r.x).abs() < 0.5 && (o.y - r.y).abs() < 0.5)
        {
            out.push((label, r));
        }
    }
    out
}

fn check_screen(
    k: &UiKiosk,
    name: &str,
    lang: Lang,
    large: bool,
    size: (u32, u32),
    min_px: Option<(f32, f32)>,
) -> Vec<String> {
    k.app.set_geometry(size.0, size.1);
    prepare(&k.app, &k.pump, name, lang, large).unwrap();
    let window = Rect {
        x: 0.0,
        y: 0.0,
        w: size.0 as f32,
        h: size.1 as f32,
    };
    let mut targets = touch_targets(k, name == "idle-question");
    // A dialog covers the screen: only its own buttons can be touched.
    if name == "idle-question" {
        let dialog = [
            "Да, нужно ми е още време",
            "Не, започни отначало",
            "Yes, I need more time",
            "No, start again",
        ];
        targets.retain(|(label, _)| dialog.contains(&label.as_str()));
    }
    let mut problems = Vec::new();
    let at = format!(
        "{name} {lang:?} {}x{}{}",
        size.0,
        size.1,
        if large { " large" } else { "" }
    );
    if targets.is_empty() && name != "attract" {
        problems.push(format!("{at}: no touch targets found"));
    }
    for (label, r) in &targets {
        if !r.inside(&window) {
            problems.push(format!("{at}: {label:?} is cut off at {r:?}"));
        }
        if let Some((min, _)) = min_px
            && (r.w + 0.5 < min || r.h + 0.5 < min)
        {
            problems.push(format!(
                "{at}: {label:?} is {:.0}x{:.0} px, under 12 mm ({min:.0} px)",
                r.w, r.h
            ));
        }
    }
    for (i, (la, ra)) in targets.iter().enumerate() {
        for (lb, rb) in &targets[i + 1..] {
            let gap = ra.gap(rb);
            let needed = min_px.map(|(_, g)| g).unwrap_or(0.0);
            if gap + 0.5 < needed {
                problems.push(format!(
                    "{at}: {la:?} and {lb:?} are {gap:.1} px apart (need {needed:.1})"
                ));
            }
        }
    }
    problems
}

#[test]
fn on_the_configured_display_every_target_is_12_mm_and_2_mm_apart() {
    let k = kiosk();
    let d = &k.config.display;
    let per_mm = d.width_px as f32 / d.width_mm as f32;
    let mut problems = Vec::new();
    for name in names() {
        for lang in [Lang::Bg, Lang::En] {
            for large in [false, true] {
                problems.extend(check_screen(
                    &k,
                    name,
                    lang,
                    large,
                    (d.width_px, d.height_px),
                    Some((12.0 * per_mm, 2.0 * per_mm)),
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn at_the_other_sizes_nothing_is_cut_off_or_overlapping() {
    let k = kiosk();
    let mut problems = Vec::new();
    for size in [(800, 480), (720, 1280)] {
        for name in names() {
            for lang in [Lang::Bg, Lang::En] {
                problems.extend(check_screen(&k, name, lang, false, size, None));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn body_text_is_at_least_5_mm_and_large_text_7_mm_high() {
    let k = kiosk();
    let theme = k.app.window().global::<Theme>();
    let d = &k.config.display;
    let per_mm = d.width_px as f32 / d.width_mm as f32;
    // DejaVu Sans capitals are 0.729 em tall.
    let cap_mm = |font_px: f32| font_px * 0.729 / per_mm;
    k.app.set_large_text(false);
    assert!(
        cap_mm(theme.get_body()) >= 5.0 - 0.05,
        "body capitals {:.2} mm",
        cap_mm(theme.get_body())
    );
    k.app.set_large_text(true);
    assert!(
        cap_mm(theme.get_body()) >= 7.0 - 0.05,
        "large capitals {:.2} mm",
        cap_mm(theme.get_body())
    );
}
