//! The interface's modules import one another without a circle: the app
//! wires the adapters, adapters use the small helpers, and no adapter uses
//! the app or another adapter's module. Checked over the sources: every
//! `use` and every `super::…` / `crate::ui::…` path of each file under
//! `src/ui` is an edge to the module it names; the generated code in
//! `src/ui/mod.rs` (the root) is where every module may look and is left
//! out; a file's own unit tests are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module's path below `ui`, e.g. ["staff", "home"].
type Module = Vec<String>;

fn modules(dir: &Path, prefix: &Module, out: &mut BTreeMap<Module, String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let mut module = prefix.clone();
        if path.is_dir() {
            module.push(name);
            modules(&path, &module, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            if name != "mod" {
                module.push(name);
            }
            out.insert(module, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The source without comments and without its `#[cfg(test)] mod tests`.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path in `use` statements, braces expanded: "super::wire::on".
fn use_paths(code: &str) -> Vec<String> {
    fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
        let tree = tree.trim();
        if let Some(open) = tree.find('{') {
            let head = format!("{prefix}{}", &tree[..open]);
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&head, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&head, &inner[start..], out);
        } else if !tree.is_empty() {
            out.push(format!("{prefix}{tree}"));
        }
    }
    let mut out = Vec::new();
    for statement in code.split(';') {
        let s = statement.trim_start();
        let s = s.strip_prefix("pub ").unwrap_or(s);
        if let Some(tree) = s.strip_prefix("use ") {
            let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
            expand("", &tree, &mut out);
        }
    }
    out
}

/// Paths in the code itself that start with `super::` or `crate::ui::`.
fn inline_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for start in ["super::", "crate::ui::"] {
        for (i, _) in code.match_indices(start) {
            if i > 0 && code[..i].ends_with("::") {
                continue;
            }
            let rest = &code[i..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            out.push(rest[..end].to_string());
        }
    }
    out
}

/// The module of `ui` a path from `from` names, if any (not the root).
fn target(
    from: &Module,
    is_dir_module: bool,
    path: &str,
    all: &BTreeMap<Module, String>,
) -> Option<Module> {
    let mut segments: Vec<&str> = path.split("::").map(str::trim).collect();
    // A file's own module; `super` from a file is its parent, from a mod.rs
    // its parent too (mod.rs is the directory's module).
    let mut at: Module = from.clone();
    match segments.first().copied() {
        Some("crate") => {
            if segments.get(1) != Some(&"ui") {
                return None;
            }
            at = Vec::new();
            segments.drain(..2);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                at.pop()?;
                segments.remove(0);
            }
        }
        Some("self") => {
            segments.remove(0);
        }
        Some(first) => {
            // A bare path: a child of this module (only a directory's
            // mod.rs has file children).
            let mut child = from.clone();
            child.push(first.to_string());
            if !is_dir_module || !all.contains_key(&child) {
                return None;
            }
        }
        None => return None,
    }
    for s in segments {
        let mut next = at.clone();
        next.push(s.to_string());
        if all.contains_key(&next) {
            at = next;
        } else {
            break;
        }
    }
    (!at.is_empty() && at != *from).then_some(at)
}

fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let mut all = BTreeMap::new();
    modules(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui"),
        &Vec::new(),
        &mut all,
    );
    let dirs: BTreeSet<Module> = all
        .keys()
        .filter(|m| all.keys().any(|o| o.len() > m.len() && o.starts_with(m)))
        .cloned()
        .collect();
    let mut edges = BTreeMap::new();
    for (module, text) in &all {
        if module.is_empty() {
            continue;
        }
        let code = code(text);
        let mut to = BTreeSet::new();
        for path in use_paths(&code).into_iter().chain(inline_paths(&code)) {
            if let Some(t) = target(module, dirs.contains(module), &path, &all) {
                to.insert(t);
            }
        }
        // A directory's module calls its children by bare name: `pin::show`.
        for child in all
            .keys()
            .filter(|c| c.len() == module.len() + 1 && c.starts_with(module))
        {
            let name = format!("{}::", child[module.len()]);
            let called = code.match_indices(&name).any(|(i, _)| {
                !code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
            });
            if called {
                to.insert(child.clone());
            }
        }
        edges.insert(module.clone(), to);
    }
    edges
}

/// A circle in `edges`, if there is one.
fn circle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        m: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        path: &mut Vec<Module>,
        done: &mut BTreeSet<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut c = path[i..].to_vec();
            c.push(m.clone());
            return Some(c);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.clone());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.clone());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|m| visit(m, edges, &mut Vec::new(), &mut done))
}

#[test]
fn the_interface_modules_import_one_another_without_a_circle() {
    let edges = graph();
    let key = |s: &str| s.split('/').map(String::from).collect::<Module>();
    // The check sees the wiring it is about.
    assert!(edges[&key("app")].contains(&key("rate")), "{edges:?}");
    assert!(edges[&key("rate")].contains(&key("wire")), "{edges:?}");
    assert!(
        edges[&key("staff/home")].contains(&key("models")),
        "{edges:?}"
    );
    assert!(
        edges[&key("staff")].contains(&key("staff/pin")),
        "{edges:?}"
    );
    assert!(edges.len() >= 15);
    assert_eq!(circle(&edges), None, "{edges:#?}");
    for (adapter, to) in &edges {
        assert!(
            !to.contains(&key("app")) || adapter[0] == "run" || adapter[0] == "screenshot",
            "{adapter:?} uses the app"
        );
    }
}

#[test]
fn a_circle_is_found_when_there_is_one() {
    let m = |s: &str| vec![s.to_string()];
    let edges: BTreeMap<Module, BTreeSet<Module>> = [
        (m("app"), [m("rate")].into()),
        (m("rate"), [m("navigation")].into()),
        (m("navigation"), [m("app")].into()),
    ]
    .into();
    assert!(circle(&edges).is_some());
    let paths =
        use_paths("use super::{wire::{on, on_str}, models::list};\nuse crate::flow::Visit;");
    assert_eq!(
        paths,
        [
            "super::wire::on",
            "super::wire::on_str",
            "super::models::list",
            "crate::flow::Visit"
        ]
    );
}
