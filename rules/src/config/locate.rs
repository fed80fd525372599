//! Finding the line of a key in the original text of kiosk.toml.
//!
//! Errors are found on typed values, long after parsing; this walks a
//! span-keeping parse of the same text along the key path
//! (`services[3].express.fee_eur`) and stops at the deepest part that
//! exists, so a missing key points at the table that lacks it.

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};

use super::error::ConfigIssue;

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `a.b[2].c` into its keys and indices.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(name) = pieces.next().filter(|n| !n.is_empty()) {
            out.push(Segment::Key(name));
        }
        out.extend(
            pieces
                .filter_map(|i| i.trim_end_matches(']').parse().ok())
                .map(Segment::Index),
        );
    }
    out
}

/// Where the walk stands: toml_edit has three kinds of node.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn child(self, seg: &Segment<'_>) -> Option<(Node<'a>, Option<Range<usize>>)> {
        match (self, seg) {
            (Node::Item(item), Segment::Key(k)) => {
                let (key, next) = item.as_table_like()?.get_key_value(k)?;
                Some((Node::Item(next), key.span().or_else(|| next.span())))
            }
            (Node::Table(table), Segment::Key(k)) => {
                let (key, next) = table.get_key_value(k)?;
                Some((Node::Item(next), key.span().or_else(|| next.span())))
            }
            (Node::Item(item), Segment::Index(i)) => {
                if let Some(table) = item.as_array_of_tables().and_then(|a| a.get(*i)) {
                    return Some((Node::Table(table), table.span()));
                }
                let value = item.as_array()?.get(*i)?;
                Some((Node::Value(value), value.span()))
            }
            (Node::Value(value), Segment::Key(k)) => {
                let (key, next) = value.as_inline_table()?.get_key_value(k)?;
                let span = key.span().or_else(|| next.span());
                Some((next.as_value().map_or(Node::Item(next), Node::Value), span))
            }
            (Node::Value(value), Segment::Index(i)) => {
                let next = value.as_array()?.get(*i)?;
                Some((Node::Value(next), next.span()))
            }
            (Node::Table(_), Segment::Index(_)) => None,
        }
    }
}

/// The byte offset of `path`, or of its deepest existing parent, in `doc`.
pub fn offset_of(doc: &Document<String>, path: &str) -> Option<usize> {
    let mut node = Node::Item(doc.as_item());
    let mut best = None;
    for seg in segments(path) {
        let Some((next, span)) = node.child(&seg) else {
            break;
        };
        node = next;
        best = span.map(|s| s.start).or(best);
    }
    best
}

/// The issue for bytes that are not UTF-8 from `offset` on: its line and
/// the byte's place in the file and on the line.
pub fn not_utf8(bytes: &[u8], offset: usize) -> ConfigIssue {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    let byte = bytes.get(offset).copied().unwrap_or(0);
    ConfigIssue {
        line: Some(line),
        ..ConfigIssue::new(
            "(encoding)",
            format!(
                "byte {offset} of the file (byte {column} of line {line}, 0x{byte:02X}) is not UTF-8; save kiosk.toml as UTF-8 (Bulgarian letters included)"
            ),
        )
    }
}

/// The first place where tables and lists nest deeper than `max`, if any:
/// deeper than any real section of kiosk.toml, so a mistake or an attack.
pub fn too_deep(text: &str, doc: &Document<String>, max: usize) -> Option<ConfigIssue> {
    let (path, span) = deepest(Node::Item(doc.as_item()), 0, max, String::new())?;
    Some(ConfigIssue {
        line: span.map(|s| line_of(text, s.start)),
        ..ConfigIssue::new(
            path,
            format!(
                "nests tables or lists more than {max} levels deep, deeper than any section of kiosk.toml; check the brackets and dots"
            ),
        )
    })
}

/// The first line whose key or table header has more than `max` dotted
/// parts, a quoted dot not counted. A rough look at the text, for errors
/// the parser reports without a place.
pub fn line_of_deep_key(text: &str, max: usize) -> Option<usize> {
    text.lines()
        .position(|line| {
            let key = line.split('=').next().unwrap_or("");
            let mut quoted = None;
            let mut dots = 0;
            for c in key.chars() {
                match (quoted, c) {
                    (None, '"' | '\'') => quoted = Some(c),
                    (Some(q), c) if c == q => quoted = None,
                    (None, '.') => dots += 1,
                    (None, '#') => break,
                    _ => {}
                }
            }
            dots >= max
        })
        .map(|i| i + 1)
}

/// Walks `node` at `depth`; the first item found below `max` with its path.
fn deepest(
    node: Node<'_>,
    depth: usize,
    max: usize,
    path: String,
) -> Option<(String, Option<Range<usize>>)> {
    let children: Vec<(String, Node<'_>, Option<Range<usize>>)> = match node {
        Node::Item(Item::Table(t)) | Node::Table(t) => t
            .iter()
            .filter_map(|(k, _)| {
                let (key, item) = t.get_key_value(k)?;
                Some((
                    k.to_owned(),
                    Node::Item(item),
                    key.span().or_else(|| item.span()),
                ))
            })
            .collect(),
        Node::Item(Item::ArrayOfTables(a)) => a
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("[{i}]"), Node::Table(t), t.span()))
            .collect(),
        Node::Item(Item::Value(v)) | Node::Value(v) => match v {
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("[{i}]"), Node::Value(v), v.span()))
                .collect(),
            Value::InlineTable(t) => t
                .iter()
                .filter_map(|(k, _)| {
                    let (key, item) = t.get_key_value(k)?;
                    let node = item.as_value().map_or(Node::Item(item), Node::Value);
                    Some((k.to_owned(), node, key.span().or_else(|| item.span())))
                })
                .collect(),
            _ => Vec::new(),
        },
        Node::Item(Item::None) => Vec::new(),
    };
    for (name, child, span) in children {
        let child_path = match (path.is_empty(), name.starts_with('[')) {
            (true, _) | (_, true) => format!("{path}{name}"),
            _ => format!("{path}.{name}"),
        };
        if depth + 1 > max {
            return Some((child_path, span));
        }
        if let Some(found) = deepest(child, depth + 1, max, child_path) {
            return Some(found);
        }
    }
    None
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of `path` in `text`, if the text parses and has it.
pub fn line_in(text: &str, doc: &Document<String>, path: &str) -> Option<usize> {
    offset_of(doc, path).map(|o| line_of(text, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
[kiosk]
id = \"a\"

[printer]
columns = 48

[[services]]
id = \"1\"

[[services]]
id = \"2\"
express = { fee_eur = 1.5, deadline = \"same day\" }
documents = { bg = [\"x\", \"y\"] }
";

    fn line(path: &str) -> Option<usize> {
        let doc: Document<String> = Document::parse(TEXT.to_string()).unwrap();
        line_in(TEXT, &doc, path)
    }

    #[test]
    fn finds_plain_and_nested_keys() {
        assert_eq!(line("kiosk.id"), Some(2));
        assert_eq!(line("printer.columns"), Some(5));
        assert_eq!(line("services[1].id"), Some(11));
        assert_eq!(line("services[1].express.fee_eur"), Some(12));
        assert_eq!(line("services[1].documents.bg[1]"), Some(13));
    }

    #[test]
    fn a_missing_key_points_at_its_parent() {
        assert_eq!(line("printer.transport"), Some(4));
        assert_eq!(line("services[1].ordinary"), Some(10));
        assert_eq!(line("nothing.here"), None);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_placed_by_line_and_offset() {
        let bytes = b"[kiosk]\nid = \"a\xff\"\n";
        let issue = not_utf8(bytes, 15);
        assert_eq!(issue.line, Some(2));
        assert!(
            issue
                .message
                .contains("byte 15 of the file (byte 8 of line 2, 0xFF)"),
            "{}",
            issue.message
        );
    }

    #[test]
    fn nesting_deeper_than_any_section_is_named_with_its_line() {
        let text = "[kiosk]\nid = \"a\"\n\n[x]\ny = [[[[[[[1]]]]]]]\n";
        let doc: Document<String> = Document::parse(text.to_string()).unwrap();
        let issue = too_deep(text, &doc, 6).unwrap();
        assert_eq!(issue.line, Some(5));
        assert!(issue.key.starts_with("x.y[0]"), "{}", issue.key);
        let real = "[[services]]\ndocuments = { bg = [\"a\"] }\n";
        let doc: Document<String> = Document::parse(real.to_string()).unwrap();
        assert!(too_deep(real, &doc, 6).is_none());
        let dotted = "[a.b.c.d.e.f.g]\nk = 1\n";
        let doc: Document<String> = Document::parse(dotted.to_string()).unwrap();
        assert_eq!(too_deep(dotted, &doc, 6).unwrap().line, Some(1));
    }
}
