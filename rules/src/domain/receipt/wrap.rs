//! Word wrapping for a fixed-width printer line.
//!
//! Words are never split unless a single word is longer than a line; then it
//! is cut into line-long pieces. Widths count characters (`char`s), because
//! every character of the printer's code page takes one cell. Control
//! characters become spaces, so a line can never carry a printer command or
//! an unexpected line break.

/// `text` broken into lines of at most `width` characters.
///
/// Returns at least one line (possibly empty), so an empty field still
/// leaves its place on the slip.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_len = 0usize;
    for word in clean.split_whitespace() {
        let len = word.chars().count();
        if current_len > 0 && current_len + 1 + len <= width {
            current.push(' ');
            current.push_str(word);
            current_len += 1 + len;
            continue;
        }
        if current_len > 0 {
            lines.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if len <= width {
            current.push_str(word);
            current_len = len;
            continue;
        }
        // A word longer than a line: cut it, keep the tail for what follows.
        let chars: Vec<char> = word.chars().collect();
        let mut chunks = chars.chunks(width).peekable();
        while let Some(chunk) = chunks.next() {
            if chunks.peek().is_some() {
                lines.push(chunk.iter().collect());
            } else {
                current = chunk.iter().collect();
                current_len = chunk.len();
            }
        }
    }
    if current_len > 0 || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wraps_between_words() {
        assert_eq!(
            wrap("Писмен отговор до 23.12.2026 г.", 20),
            vec!["Писмен отговор до", "23.12.2026 г."]
        );
    }

    #[test]
    fn splits_only_words_longer_than_a_line() {
        assert_eq!(wrap("аб вгдежзий к", 4), vec!["аб", "вгде", "жзий", "к"]);
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(wrap("a\x1b@b\nc", 48), vec!["a @b c"]);
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap("  ", 10), vec![String::new()]);
    }

    proptest! {
        #[test]
        fn lines_fit_and_keep_every_word(text in "[а-я a-z\\n]{0,200}", width in 1usize..60) {
            let lines = wrap(&text, width);
            for l in &lines {
                prop_assert!(l.chars().count() <= width);
            }
            let joined: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let orig: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(joined, orig);
        }
    }
}
