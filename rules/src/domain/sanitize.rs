//! Cleaning of text a visitor typed, before it is checked, stored or printed.
//!
//! Whatever comes in, the output of [`clean_text`] and [`clean_line`]:
//! - holds no control character other than `\n` (and `clean_line` not even
//!   that), no bidirectional override and no zero-width or other invisible
//!   formatting character, so nothing can hide words from the checks, reorder
//!   text on screen or reach the printer as a command;
//! - has single spaces between words, no space at the start or end of a line,
//!   at most one empty line in a row, and nothing to trim at either end;
//! - has at most the given number of characters (Unicode scalar values, not
//!   bytes), and is never cut between a letter and the accent or other mark
//!   that belongs to it;
//! - is a fixed point: cleaning it again gives the same text.

/// Cleans a multi-line text (the body of a complaint, a rating comment).
///
/// Line breaks are kept as `\n` (CR LF and lone CR become `\n`), at most two
/// in a row. The result has at most `max_chars` characters.
pub fn clean_text(input: &str, max_chars: usize) -> String {
    truncate_chars(&clean(input, true), max_chars)
}

/// Cleans a one-line field (name, phone, e-mail, address): line breaks
/// become spaces. The result has at most `max_chars` characters.
pub fn clean_line(input: &str, max_chars: usize) -> String {
    truncate_chars(&clean(input, false), max_chars)
}

/// Text from outside the kiosk (a central system's reason for refusing a
/// record, an error it answered with) made safe to keep and to show on a
/// terminal or a staff screen: one line without control characters or
/// bidirectional and invisible formatting (U+202A-202E, U+2066-2069,
/// U+200E/F, U+061C ...), at most `max_bytes` bytes of UTF-8. A cut one
/// ends in " …" (within the bound) and never splits a character.
pub fn outside_text(input: &str, max_bytes: usize) -> String {
    const MARK: &str = " …";
    let line = clean(input, false);
    if line.len() <= max_bytes {
        return line;
    }
    let mut cut = max_bytes.saturating_sub(MARK.len());
    while cut > 0 && !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = line.get(..cut).unwrap_or_default().trim_end();
    format!("{head}{MARK}")
}

/// The number of characters the kiosk counts against a limit.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// What one input character becomes.
enum Class {
    /// Removed without trace.
    Drop,
    /// A word separator.
    Space,
    /// A line break.
    Newline,
    /// Kept as it is.
    Keep,
}

fn classify(c: char) -> Class {
    match c {
        '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => Class::Newline,
        _ if is_invisible(c) => Class::Drop,
        // Tabs, vertical tabs and form feeds separate words; the other
        // control characters never belong in visitor text.
        '\t' | '\u{b}' | '\u{c}' => Class::Space,
        _ if c.is_control() => Class::Drop,
        _ if c.is_whitespace() => Class::Space,
        _ => Class::Keep,
    }
}

/// Characters that change how text is shown or split without being seen:
/// bidirectional marks, embeddings, overrides and isolates, zero-width
/// spaces and joiners, the soft hyphen and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}'                        // soft hyphen
        | '\u{34f}'                     // combining grapheme joiner
        | '\u{61c}'                     // Arabic letter mark
        | '\u{115f}' | '\u{1160}'       // Hangul fillers
        | '\u{17b4}' | '\u{17b5}'       // Khmer inherent vowels
        | '\u{180b}'..='\u{180f}'       // Mongolian variation selectors and vowel separator
        | '\u{200b}'..='\u{200f}'       // zero-width space, (non-)joiner, LRM, RLM
        | '\u{202a}'..='\u{202e}'       // embeddings and overrides
        | '\u{2060}'..='\u{206f}'       // word joiner, invisible operators, isolates
        | '\u{3164}' | '\u{ffa0}'       // Hangul fillers
        | '\u{feff}'                    // byte-order mark
        | '\u{fff9}'..='\u{fffb}'       // interlinear annotation
        | '\u{1d173}'..='\u{1d17a}'     // musical formatting
        | '\u{e0000}'..='\u{e007f}'     // tags
    )
}

/// One pass: drops, folds and collapses; the caller truncates.
fn clean(input: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    let mut pending_newlines = 0usize;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let class = if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            Class::Newline
        } else {
            classify(c)
        };
        match class {
            Class::Drop => {}
            Class::Newline if keep_newlines => {
                pending_newlines = (pending_newlines + 1).min(2);
                pending_space = false;
            }
            Class::Newline | Class::Space => {
                // A space right after a kept line break would start the next
                // line with a space; the line break wins.
                if pending_newlines == 0 {
                    pending_space = true;
                }
            }
            Class::Keep => {
                // Separators are written only between kept characters, which
                // trims both ends and every line at once.
                if !out.is_empty() {
                    if pending_newlines > 0 {
                        out.extend(std::iter::repeat_n('\n', pending_newlines));
                    } else if pending_space {
                        out.push(' ');
                    }
                }
                pending_space = false;
                pending_newlines = 0;
                out.push(c);
            }
        }
    }
    out
}

/// Cuts `text` to at most `max_chars` characters without separating a
/// character from the marks that modify it, then trims what the cut exposed.
pub fn truncate_chars(text: &str, max_chars: usize) -> String {
    let Some((mut cut, _)) = text.char_indices().nth(max_chars) else {
        return text.to_owned();
    };
    // Back off while the first character dropped belongs to the one before it.
    while cut > 0 {
        let head = &text[..cut];
        let tail = &text[cut..];
        let Some(next) = tail.chars().next() else {
            break;
        };
        let breaks_pair = is_regional_indicator(next)
            && head
                .chars()
                .rev()
                .take_while(|c| is_regional_indicator(*c))
                .count()
                % 2
                == 1;
        if !extends_previous(next) && !breaks_pair {
            break;
        }
        cut = head.char_indices().next_back().map_or(0, |(i, _)| i);
    }
    text[..cut].trim_end_matches([' ', '\n']).to_owned()
}

/// Marks that render on the character before them: combining accents,
/// variation selectors and emoji skin-tone modifiers.
fn extends_previous(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
        | '\u{483}'..='\u{489}'         // Cyrillic combining marks
        | '\u{591}'..='\u{5bd}'
        | '\u{610}'..='\u{61a}'
        | '\u{64b}'..='\u{65f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe00}'..='\u{fe0f}'       // variation selectors
        | '\u{fe20}'..='\u{fe2f}'
        | '\u{1f3fb}'..='\u{1f3ff}'     // skin tones
        | '\u{e0100}'..='\u{e01ef}'
    )
}

/// Flags are pairs of regional indicators; half a pair is a broken letter.
fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

#[cfg(test)]
mod outside_tests {
    use super::outside_text;

    #[test]
    fn bidirectional_and_control_characters_from_outside_are_neutralised() {
        let hostile = "refused\u{202e}txt.exe\u{2066}x\u{2069}\u{200e}\u{200f}\u{61c}\u{1b}[31mred\u{7}\nnext";
        let safe = outside_text(hostile, 1024);
        assert_eq!(safe, "refusedtxt.exex[31mred next");
        assert!(!safe.chars().any(|c| c.is_control()));
    }

    #[test]
    fn long_reasons_are_cut_on_a_character_boundary_and_marked() {
        let long = "я".repeat(40_000);
        let cut = outside_text(&long, 1024);
        assert!(cut.len() <= 1024, "{}", cut.len());
        assert!(cut.ends_with(" …"));
        assert!(cut.starts_with("яя"));
        assert_eq!(outside_text("short", 1024), "short");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_ordinary_bulgarian_text() {
        let t = "Чаках два часа на гише 3. Благодаря!";
        assert_eq!(clean_text(t, 3000), t);
    }

    #[test]
    fn line_endings_become_lf_and_blank_lines_collapse() {
        assert_eq!(
            clean_text("ред 1\r\nред 2\rред 3\n\n\n\n\nред 4", 100),
            "ред 1\nред 2\nред 3\n\nред 4"
        );
    }

    #[test]
    fn spaces_collapse_and_lines_are_trimmed() {
        assert_eq!(
            clean_text("  много   \t интервали  \n   тук  \n", 100),
            "много интервали\nтук"
        );
        assert_eq!(clean_text("a \n \n \n b", 100), "a\n\nb");
    }

    #[test]
    fn unicode_spaces_become_plain_spaces() {
        assert_eq!(
            clean_line("Иван\u{a0}Петров\u{2003}Иванов", 100),
            "Иван Петров Иванов"
        );
    }

    #[test]
    fn control_characters_are_stripped() {
        // ESC @ would reset a thermal printer; BEL, NUL and C1 controls too.
        assert_eq!(
            clean_text("a\u{1b}@b\u{0}c\u{7}d\u{9b}e\u{7f}f", 100),
            "a@bcdef"
        );
    }

    #[test]
    fn bidi_overrides_and_zero_width_characters_are_removed() {
        assert_eq!(clean_text("ку\u{200b}р\u{200d}ва", 100), "курва");
        assert_eq!(clean_text("abc\u{202e}fed\u{202c}", 100), "abcfed");
        assert_eq!(clean_text("\u{feff}текст\u{2066}x\u{2069}", 100), "текстx");
        assert_eq!(clean_text("пре\u{ad}нос", 100), "пренос");
    }

    #[test]
    fn single_line_fields_lose_line_breaks() {
        assert_eq!(
            clean_line("ул. „Васил Левски“ 5\r\nс. Ковачевци", 200),
            "ул. „Васил Левски“ 5 с. Ковачевци"
        );
        assert_eq!(clean_line("\n\n  0888 123 456 \n", 30), "0888 123 456");
    }

    #[test]
    fn cuts_by_characters_not_bytes() {
        // Each Cyrillic letter is two bytes in UTF-8.
        assert_eq!(clean_text("абвгде", 4), "абвг");
        assert_eq!(clean_text("абвгде", 0), "");
    }

    #[test]
    fn cut_does_not_leave_a_trailing_space() {
        assert_eq!(clean_text("две думи", 4), "две");
        assert_eq!(clean_text("ред\nдруг", 4), "ред");
    }

    #[test]
    fn cut_never_separates_a_letter_from_its_accent() {
        // "й" written as "и" + combining breve: cutting between them would
        // leave a different letter.
        assert_eq!(clean_text("мои\u{306}", 3), "мо");
        assert_eq!(clean_text("e\u{301}e\u{301}", 3), "e\u{301}");
    }

    #[test]
    fn cut_never_splits_a_flag() {
        let bg = "\u{1f1e7}\u{1f1ec}";
        assert_eq!(clean_text(&format!("{bg}{bg}"), 3), bg);
        assert_eq!(clean_text(&format!("{bg}{bg}"), 1), "");
    }

    #[test]
    fn empty_and_blank_input_give_empty_output() {
        assert_eq!(clean_text("", 10), "");
        assert_eq!(clean_text(" \n\t\r\n ", 10), "");
    }

    proptest! {
        #[test]
        fn output_has_no_control_other_than_newline(s in any::<String>(), max in 0usize..200) {
            let out = clean_text(&s, max);
            prop_assert!(out.chars().all(|c| c == '\n' || !c.is_control()));
            prop_assert!(out.chars().all(|c| !is_invisible(c)));
            let line = clean_line(&s, max);
            prop_assert!(line.chars().all(|c| !c.is_control()));
        }

        #[test]
        fn cleaning_is_idempotent(s in any::<String>(), max in 0usize..200) {
            let once = clean_text(&s, max);
            prop_assert_eq!(clean_text(&once, max), once.clone());
            let line = clean_line(&s, max);
            prop_assert_eq!(clean_line(&line, max), line);
        }

        #[test]
        fn output_never_exceeds_the_limit(s in any::<String>(), max in 0usize..200) {
            prop_assert!(char_count(&clean_text(&s, max)) <= max);
            prop_assert!(char_count(&clean_line(&s, max)) <= max);
        }

        #[test]
        fn text_like_input_keeps_its_words(
            words in proptest::collection::vec("[а-яa-z0-9]{1,8}", 1..20),
            seps in proptest::collection::vec("[ \t\r\n\u{a0}\u{200b}]{1,4}", 20),
        ) {
            let mut s = String::new();
            for (w, sep) in words.iter().zip(seps.iter()) {
                s.push_str(w);
                s.push_str(sep);
            }
            let out = clean_text(&s, 10_000);
            let back: Vec<&str> = out.split([' ', '\n']).filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(back.concat(), words.concat());
            prop_assert!(!out.contains("  ") && !out.contains("\n\n\n"));
        }
    }
}
