//! Every screen and overlay drawn by the kiosk's own software renderer with
//! the embedded DejaVu fonts, in both languages, normal and large text, at
//! the three supported sizes: no text may be broken inside a word, clipped,
//! elided or drawn over another element (the rules are in
//! `support::layout`). The testing backend's mock font cannot show this.
//!
//! Besides the screens and overlays of `kiosk screenshot`, a few states
//! they do not reach are checked too ([`EXTRA`]). All failures of a size are
//! listed at once, grouped by screen. With
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
use kiosk::ui::{AppState, ServicesAdapter};
use slint::ComponentHandle;

/// One drawn case: screen, language, text size.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Case {
    screen: &'static str,
    lang: &'static str,
    large: bool,
}

/// States the screens' names do not reach, each from a named screen and
/// what a visitor does there: the notice banner over the home screen and
/// over a form with its keyboard, the question before Home throws a form
/// away, and the search field with only its hint.
#[allow(clippy::type_complexity)]
const EXTRA: [(&str, &str, fn(&kiosk::ui::App)); 4] = [
    ("home+staff-called", "home", |app| {
        app.window().global::<AppState>().invoke_call_staff();
    }),
    ("complaint-text+read-aloud-off", "complaint-text", |app| {
        app.window().global::<AppState>().invoke_read_aloud();
    }),
    ("complaint-text+leave-question", "complaint-text", |app| {
        app.window().global::<AppState>().invoke_home();
    }),
    ("service-search-empty", "service-search", |app| {
        for _ in 0..5 {
            app.window().global::<ServicesAdapter>().invoke_backspace();
        }
    }),
];

fn check_size(width: u32, height: u32) {
    let pngs = std::env::var_os("KIOSK_LAYOUT_PNGS").map(PathBuf::from);
    let (found, disagreements) = on_own_thread(move || {
        let k = DrawnKiosk::new();
        let mut found: Vec<(Case, Finding)> = Vec::new();
        let mut disagreements = Vec::new();
        let only = std::env::var("KIOSK_LAYOUT_SCREENS").unwrap_or_default();
        let only: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
        let cases = names().into_iter().map(|name| (name, name, None)).chain(
            EXTRA
                .iter()
                .map(|(name, base, then)| (*name, *base, Some(*then))),
        );
        for (name, base, then) in cases {
            if !only.is_empty() && !only.contains(&name) {
                continue;
            }
            for (lang, code) in [(Lang::Bg, "bg"), (Lang::En, "en")] {
                for large in [false, true] {
                    k.show(base, lang, large, width, height);
                    if let Some(then) = then {
                        then(&k.app);
                        k.settle();
                    }
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
    // every row of a list) once, with a count; many of a kind at once (the
    // keys of a keyboard pushed out of the window) on one line.
    let mut by_screen: BTreeMap<&str, Vec<(Case, String, usize)>> = BTreeMap::new();
    let mut grouped: BTreeMap<(Case, Kind, String), Vec<String>> = BTreeMap::new();
    for (case, f) in &found {
        if let Some((key, member)) = &f.group {
            grouped
                .entry((case.clone(), f.kind, key.clone()))
                .or_default()
                .push(member.clone());
        }
    }
    for (case, f) in &found {
        let line = match &f.group {
            Some((key, _)) => {
                let members = &grouped[&(case.clone(), f.kind, key.clone())];
                if members.len() < 3 {
                    f.to_string()
                } else {
                    format!(
                        "{}: {} {key}: {}",
                        f.kind,
                        members.len(),
                        members.join(", ")
                    )
                }
            }
            None => f.to_string(),
        };
        let list = by_screen.entry(case.screen).or_default();
        match list.iter_mut().find(|(c, l, _)| c == case && *l == line) {
            Some((_, _, n)) => *n += 1,
            None => list.push((case.clone(), line, 1)),
        }
    }
    // A grouped line stands for all its members, not a repeat.
    for list in by_screen.values_mut() {
        for (case, line, n) in list.iter_mut() {
            if grouped
                .iter()
                .any(|((c, _, key), m)| c == case && m.len() >= 3 && line.contains(key.as_str()))
            {
                *n = 1;
            }
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
            let seen = r.intersect(&f.view);
            if !seen.is_empty() {
                outline(frame, &seen, 3, colour);
            }
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

slint::slint! {
    // The kiosk's theme, for its embedded DejaVu fonts.
    import { Theme } from "../../ui/theme.slint";

    // One element for each thing the checker must see, and for each near
    // miss it must let pass, each with room around it.
    export component Probe inherits Window {
        width: 1000px;
        height: 700px;
        background: white;
        default-font-family: Theme.font;
        // Passes: two words, each fits.
        Text { x: 20px; y: 20px; width: 300px; text: "Много добре"; font-size: 40px; font-weight: 700; wrap: word-wrap; color: black; }
        // Broken: the word is wider than its box.
        Text { x: 20px; y: 140px; width: 100px; text: "Добре"; font-size: 40px; font-weight: 700; wrap: word-wrap; color: black; }
        // Clipped: three lines in a box one line high.
        Text { x: 350px; y: 20px; width: 160px; height: 40px; text: "едно две три"; font-size: 40px; wrap: word-wrap; color: black; }
        // Elided, and cut.
        Text { x: 350px; y: 120px; width: 150px; text: "Kovachevtsi Municipality"; font-size: 30px; overflow: elide; color: black; }
        Text { x: 350px; y: 200px; width: 150px; text: "Kovachevtsi District"; font-size: 30px; color: black; }
        // Drawn over an icon; beside one, 10 px apart (passes).
        Path { x: 600px; y: 20px; width: 80px; height: 80px; viewbox-width: 10; viewbox-height: 10; commands: "M 0 0 L 10 10"; stroke: black; stroke-width: 3px; }
        Text { x: 620px; y: 40px; text: "Лошо"; font-size: 30px; color: black; }
        Path { x: 600px; y: 150px; width: 60px; height: 60px; viewbox-width: 10; viewbox-height: 10; commands: "M 0 0 L 10 10"; stroke: black; stroke-width: 3px; }
        Text { x: 670px; y: 150px; text: "Горе"; font-size: 30px; color: black; }
        // Out of the window.
        Text { x: 940px; y: 300px; text: "Навън"; font-size: 30px; color: black; }
        // A scrolling area: what is scrolled out of view passes, what is
        // wider than the area does not.
        Flickable {
            x: 20px; y: 400px; width: 400px; height: 100px;
            content-height: 400px;
            Text { x: 0; y: 250px; width: 380px; text: "Под линията"; font-size: 30px; color: black; }
            Text { x: 0; y: 10px; width: 600px; text: "Много дълъг ред, по-широк"; font-size: 30px; color: black; }
        }
        // Two texts on top of each other.
        Text { x: 600px; y: 400px; text: "Първи"; font-size: 30px; color: black; }
        Text { x: 630px; y: 410px; text: "Втори"; font-size: 30px; color: black; }
        // A text that reaches out of its own frame.
        Rectangle {
            x: 20px; y: 560px; width: 120px; height: 60px;
            border-width: 2px; border-color: black;
            Text { x: 10px; y: 10px; width: 300px; text: "Изпрати"; font-size: 30px; color: black; }
        }
        // A hyphenated word breaks at its hyphen (passes).
        Text { x: 600px; y: 560px; width: 120px; text: "Горе-долу"; font-size: 30px; wrap: word-wrap; color: black; }
    }
}

/// The rules fire on what is drawn wrong and stay quiet on the near
/// misses, and the ink boxes they judge are where the pixels are.
#[test]
fn the_checker_sees_what_is_drawn_wrong_and_nothing_else() {
    on_own_thread(|| {
        let window = crate::support::drawn::software_window();
        let probe = Probe::new().unwrap();
        probe.window().set_size(slint::PhysicalSize::new(1000, 700));
        probe.show().unwrap();
        let scene = Scene::capture(probe.window());
        assert!(scene.disagreements.is_empty(), "{:?}", scene.disagreements);
        let findings = scene.check();
        let kinds = |text: &str| -> Vec<Kind> {
            let mut k: Vec<Kind> = findings
                .iter()
                .filter(|f| f.element.starts_with(&format!("{text:?}")))
                .map(|f| f.kind)
                .collect();
            k.dedup();
            k
        };
        let all = findings
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        for (text, expected) in [
            ("Много добре", vec![]),
            ("Добре", vec![Kind::BrokenWord]),
            ("едно две три", vec![Kind::Clipped]),
            ("Kovachevtsi Municipality", vec![Kind::Elided]),
            ("Kovachevtsi District", vec![Kind::Elided]),
            ("Лошо", vec![Kind::Overlap]),
            ("Горе", vec![]),
            ("Навън", vec![Kind::Clipped]),
            ("Под линията", vec![]),
            ("Много дълъг ред, по-широк", vec![Kind::Clipped]),
            ("Първи", vec![Kind::Overlap]),
            ("Изпрати", vec![Kind::Overlap]),
            ("Горе-долу", vec![]),
        ] {
            assert_eq!(kinds(text), expected, "{text:?}; all findings:\n{all}");
        }
        // Where the checker says a lone text inks is where it is drawn.
        let frame = crate::support::drawn::draw(&window, probe.window());
        for text in ["Много добре", "Горе-долу", "Горе"] {
            let (_, ink) = scene.visible_texts().find(|(t, _)| t.text == text).unwrap();
            let pixels = dark_pixels(&frame, &ink, 6.0);
            for (mine, drawn) in [
                (ink.x0, pixels.x0),
                (ink.y0, pixels.y0),
                (ink.x1, pixels.x1),
                (ink.y1, pixels.y1),
            ] {
                assert!(
                    (mine - drawn).abs() <= 1.5,
                    "{text:?}: ink {ink}, drawn pixels {pixels}"
                );
            }
        }
    });
}

/// The bounding box of the dark pixels within `margin` around `near`.
fn dark_pixels(frame: &Frame, near: &Rect, margin: f32) -> Rect {
    let mut found: Option<Rect> = None;
    let (y0, y1) = ((near.y0 - margin).max(0.0), near.y1 + margin);
    let (x0, x1) = ((near.x0 - margin).max(0.0), near.x1 + margin);
    for y in y0 as u32..(y1 as u32).min(frame.height) {
        for x in x0 as u32..(x1 as u32).min(frame.width) {
            let p = frame.pixels[(y * frame.width + x) as usize];
            if u32::from(p.r) + u32::from(p.g) + u32::from(p.b) < 3 * 128 {
                let (x, y) = (x as f32, y as f32);
                found = Some(match found {
                    None => Rect::new(x, y, 1.0, 1.0),
                    Some(r) => Rect {
                        x0: r.x0.min(x),
                        y0: r.y0.min(y),
                        x1: r.x1.max(x + 1.0),
                        y1: r.y1.max(y + 1.0),
                    },
                });
            }
        }
    }
    found.unwrap_or(Rect::new(0.0, 0.0, 0.0, 0.0))
}
