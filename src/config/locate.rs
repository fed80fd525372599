//! Finding the line of a key in the original text of kiosk.toml.
//!
//! Errors are found on typed values, long after parsing; this walks a
//! span-keeping parse of the same text along the key path
//! (`services[3].express.fee_eur`) and stops at the deepest part that
//! exists, so a missing key points at the table that lacks it.

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};

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
}
