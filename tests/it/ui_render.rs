//! Every screen and overlay drawn by the kiosk's own software renderer with
//! the embedded DejaVu fonts, in both languages, normal and large text, at
//! the three supported sizes: no text may be broken inside a word, clipped,
//! elided or drawn over another element (the rules are in
//! `support::layout`). The testing backend's mock font cannot show this.
//!
//! All failures of a size are listed at once, grouped by screen. With
//! `KIOSK_LAYOUT_PNGS=<dir>` every case is also written there as a PNG with
//! the checker's view drawn on it: each text's ink box in thin green, each
//! failure in a thick frame (magenta: broken word, red: clipped, orange:
//! elided, blue: overlap), drawn just outside the rectangle it marks, and
//! one more file per page of a scrolling area. `KIOSK_LAYOUT_SCREENS=rate,home`
//! checks only those screens.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::drawn::{DrawnKiosk, on_own_thread};
use crate::support::layout::{Finding, Kind, Rect, Scene};
use i_slint_backend_testing::ElementHandle;
use kiosk::domain::Lang;
use kiosk::ui::screenshot::{Frame, names};
use slint::ComponentHandle;

/// One drawn case: screen, language, text size.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Case {
    screen: &'static str,
    lang: &'static str,
    large: bool,
}

fn check_size(width: u32, height: u32) {
    let pngs = std::env::var_os("KIOSK_LAYOUT_PNGS").map(PathBuf::from);
    let (found, disagreements) = on_own_thread(move || {
        let k = DrawnKiosk::new();
        let mut found: Vec<(Case, Finding)> = Vec::new();
        let mut disagreements = Vec::new();
        let only = std::env::var("KIOSK_LAYOUT_SCREENS").unwrap_or_default();
        let only: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
        for name in names() {
            if !only.is_empty() && !only.contains(&name) {
                continue;
            }
            for (lang, code) in [(Lang::Bg, "bg"), (Lang::En, "en")] {
                for large in [false, true] {
                    k.show(name, lang, large, width, height);
                    let scene = Scene::capture(k.app.window().window());
                    let findings = scene.check();
                    let case = Case {
                        screen: name,
                        lang: code,
                        large,
                    };
                    if let Some(dir) = &pngs {
                        let file = format!(
                            "{name}-{code}-{width}x{height}{}",
                            if large { "-large" } else { "" }
                        );
                        save_pages(&k, dir, &file);
                    }
                    disagreements.extend(scene.disagreements.iter().cloned());
                    found.extend(findings.into_iter().map(|f| (case.clone(), f)));
                }
            }
        }
        (found, disagreements)
    });
    assert!(
        disagreements.is_empty(),
        "the checker's own line breaking disagrees with the renderer:\n{}",
        disagreements.join("\n")
    );
    if found.is_empty() {
        return;
    }
    // Grouped by screen; the same finding repeated in one case (a button in
    // every row of a list) once, with a count.
    let mut by_screen: BTreeMap<&str, Vec<(Case, String, usize)>> = BTreeMap::new();
    for (case, f) in &found {
        let list = by_screen.entry(case.screen).or_default();
        let line = f.to_string();
        match list.iter_mut().find(|(c, l, _)| c == case && *l == line) {
            Some((_, _, n)) => *n += 1,
            None => list.push((case.clone(), line, 1)),
        }
    }
    let mut report = format!(
        "{} layout problems at {width}x{height} with the real font:\n",
        found.len()
    );
    for (screen, list) in by_screen {
        report.push_str(&format!("\n== {screen}\n"));
        for (case, line, n) in list {
            report.push_str(&format!(
                "  {} {}: {line}{}\n",
                case.lang,
                if case.large { "large " } else { "normal" },
                if n > 1 {
                    format!(" (x{n})")
                } else {
                    String::new()
                }
            ));
        }
    }
    panic!("{report}");
}

#[test]
fn every_screen_fits_at_1280x800() {
    check_size(1280, 800);
}

#[test]
fn every_screen_fits_at_800x480() {
    check_size(800, 480);
}

#[test]
fn every_screen_fits_at_720x1280() {
    check_size(720, 1280);
}

/// Writes `<file>.png` with the checker's view drawn on it, and
/// `<file>-p2.png`... for what a scrolling area shows further down.
fn save_pages(k: &DrawnKiosk, dir: &std::path::Path, file: &str) {
    let scroll = |id: &str| {
        let buttons: Vec<_> = ElementHandle::find_by_element_id(k.app.window(), id).collect();
        buttons
            .iter()
            .for_each(ElementHandle::invoke_accessible_default_action);
        !buttons.is_empty()
    };
    let mut page = 1;
    let mut last: Option<Vec<slint::Rgb8Pixel>> = None;
    loop {
        let scene = Scene::capture(k.app.window().window());
        let mut frame = k.draw();
        if last.as_ref() == Some(&frame.pixels) {
            // Scrolled to the end: nothing moved.
            page -= 1;
            break;
        }
        last = Some(frame.pixels.clone());
        annotate(&mut frame, &scene, &scene.check());
        let name = if page == 1 {
            format!("{file}.png")
        } else {
            format!("{file}-p{page}.png")
        };
        frame.save_png(&dir.join(name)).unwrap();
        if page == 12 || !scroll("ScrollArea::scroll-down") {
            break;
        }
        slint::platform::update_timers_and_animations();
        page += 1;
    }
    for _ in 1..page {
        scroll("ScrollArea::scroll-up");
    }
}

/// Draws the checker's view onto a frame.
fn annotate(frame: &mut Frame, scene: &Scene, findings: &[Finding]) {
    for (_, ink) in scene.visible_texts() {
        if !ink.is_empty() {
            outline(frame, &ink, 1, [0, 170, 0]);
        }
    }
    for f in findings {
        let colour = match f.kind {
            Kind::BrokenWord => [220, 0, 220],
            Kind::Clipped => [230, 0, 0],
            Kind::Elided => [255, 140, 0],
            Kind::Overlap => [0, 90, 255],
        };
        for r in &f.rects {
            outline(frame, r, 3, colour);
        }
    }
}

/// A frame just outside `r`, so that what is inside stays as drawn.
fn outline(frame: &mut Frame, r: &Rect, thickness: i32, rgb: [u8; 3]) {
    let (w, h) = (frame.width as i32, frame.height as i32);
    let (x0, y0, x1, y1) = (
        r.x0.floor() as i32 - 1,
        r.y0.floor() as i32 - 1,
        r.x1.ceil() as i32,
        r.y1.ceil() as i32,
    );
    let mut put = |x: i32, y: i32| {
        if (0..w).contains(&x) && (0..h).contains(&y) {
            let p = &mut frame.pixels[(y * w + x) as usize];
            (p.r, p.g, p.b) = (rgb[0], rgb[1], rgb[2]);
        }
    };
    for t in 0..thickness {
        for x in x0 - t..=x1 + t {
            put(x, y0 - t);
            put(x, y1 + t);
        }
        for y in y0 - t..=y1 + t {
            put(x0 - t, y);
            put(x1 + t, y);
        }
    }
}
