//! Checks over the Slint sources themselves: every visible English string
//! has a Bulgarian translation, no visible text bypasses translation, and
//! every text colour of the theme has at least 7:1 contrast.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn slint_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            slint_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "slint") {
            out.push(p);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    slint_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/ui")),
        &mut files,
    );
    assert!(files.len() > 10, "the ui/ folder was not found");
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// The string literal starting at `s` (just after the opening quote).
fn literal(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '"' => break,
            c => out.push(c),
        }
    }
    out
}

fn tr_strings() -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for (_, text) in sources() {
        for (i, _) in text.match_indices("@tr(\"") {
            set.insert(literal(&text[i + 5..]));
        }
    }
    set
}

/// msgid -> msgstr from the Bulgarian catalogue (single-line entries).
fn catalogue() -> Vec<(String, String)> {
    let po = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/lang/bg/LC_MESSAGES/kiosk.po"
    ))
    .unwrap();
    let mut out = Vec::new();
    let mut id: Option<String> = None;
    for line in po.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            id = Some(literal(rest));
        } else if let Some(rest) = line.strip_prefix("msgstr \"")
            && let Some(id) = id.take()
            && !id.is_empty()
        {
            out.push((id, literal(rest)));
        }
    }
    out
}

#[test]
fn every_translatable_string_has_a_bulgarian_translation() {
    let po = catalogue();
    let missing: Vec<String> = tr_strings()
        .into_iter()
        .filter(|s| {
            !po.iter()
                .any(|(id, text)| id == s && !text.trim().is_empty())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "not translated in lang/bg/LC_MESSAGES/kiosk.po: {missing:#?}"
    );
}

#[test]
fn translations_keep_their_placeholders_and_the_catalogue_has_no_strays() {
    let used = tr_strings();
    for (id, text) in catalogue() {
        assert_eq!(
            id.matches("{}").count(),
            text.matches("{}").count(),
            "placeholders differ in {id:?}"
        );
        assert!(
            used.contains(&id),
            "{id:?} is in the catalogue but no screen uses it"
        );
    }
}

#[test]
fn no_visible_text_bypasses_translation() {
    // Literals that are the same in both languages on purpose.
    let allowed = [
        "БГ",
        "EN",
        "A+",
        "ABC",
        "АБВ",
        "123",
        "Български",
        "English",
        "Kiosk",
        "DejaVu Sans",
    ];
    let mut offenders = Vec::new();
    for (path, text) in sources() {
        for key in ["text: \"", "label: \"", "title: \""] {
            for (i, _) in text.match_indices(key) {
                let lit = literal(&text[i + key.len()..]);
                let letters = lit.chars().filter(|c| c.is_alphabetic()).count();
                // The attract screen greets in both languages at once.
                let bilingual = lit.contains("Докоснете") && lit.contains("Touch");
                if letters >= 2 && !allowed.contains(&lit.as_str()) && !bilingual {
                    offenders.push(format!("{}: {lit:?}", path.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "visible text without @tr: {offenders:#?}"
    );
}

fn theme_colour(theme: &str, name: &str) -> (f64, f64, f64) {
    let key = format!("<color> {name}: #");
    let i = theme
        .find(&key)
        .unwrap_or_else(|| panic!("no colour {name} in theme.slint"));
    let hex = &theme[i + key.len()..i + key.len() + 6];
    let v = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).unwrap() as f64 / 255.0;
    (v(0), v(2), v(4))
}

fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
    let lin = |c: f64| {
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn every_text_colour_has_at_least_seven_to_one_contrast() {
    let theme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/theme.slint")).unwrap();
    // Each text colour with every background it is drawn on.
    let pairs = [
        ("text", "background"),
        ("text", "surface"),
        ("on-primary", "primary"),
        ("on-accent", "accent"),
        ("on-warning", "warning-bg"),
        ("on-ok", "ok-bg"),
        ("on-error", "error-bg"),
        // The hint in an empty field.
        ("hint", "background"),
    ];
    for (fg, bg) in pairs {
        let c = contrast(theme_colour(&theme, fg), theme_colour(&theme, bg));
        assert!(c >= 7.0, "{fg} on {bg}: {c:.2}:1, below 7:1");
    }
}
