//! Splitting a text into words and letter sequences to match.
//!
//! A word is letters joined by short separators without spaces; letters spelt
//! one by one with spaces make a run of their own, so "f u c k" is seen too.

use std::ops::Range;

/// A sequence of normalised letters with the byte span each came from.
#[derive(Debug, Clone, Default)]
pub(super) struct Letters {
    pub(super) chars: Vec<char>,
    pub(super) spans: Vec<Range<usize>>,
    /// Index of the word it belongs to (the first one for spaced letters).
    pub(super) word: usize,
    /// Letters spelt one by one: a match may start at any letter.
    pub(super) spaced: bool,
}

impl Letters {
    pub(super) fn push(&mut self, c: char, span: Range<usize>) {
        // Runs longer than three are cut to three: enough to keep "ss" apart
        // from "s", and it bounds the matcher's work.
        if self
            .chars
            .last_chunk::<3>()
            .is_some_and(|run| run.iter().all(|x| *x == c))
        {
            if let Some(last) = self.spans.last_mut() {
                last.end = span.end;
            }
            return;
        }
        self.chars.push(c);
        self.spans.push(span);
    }

    pub(super) fn extend(&mut self, other: &Letters) {
        for (c, s) in other.chars.iter().zip(&other.spans) {
            self.push(*c, s.clone());
        }
    }

    pub(super) fn range(&self) -> Range<usize> {
        match (self.spans.first(), self.spans.last()) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => 0..0,
        }
    }

    pub(super) fn has_letter(&self) -> bool {
        self.chars.iter().any(|c| c.is_alphabetic())
    }
}

/// A word: pieces of letters joined by short separators without spaces.
#[derive(Debug, Default)]
pub(super) struct Word {
    pub(super) pieces: Vec<Letters>,
    /// All pieces joined, separators dropped.
    pub(super) whole: Letters,
    /// All pieces joined with `!`/`|` separators kept as letters ("sh!t").
    pub(super) leet: Option<Letters>,
    /// The text between this word and the next.
    pub(super) gap_after: String,
}

/// Symbols that stand for letters and so belong to words. A `*` belongs to
/// a word only between other word characters ("f*ck", not "*важно*").
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '$' | '€' | '£' | '§')
}

/// A separator that may stand for a letter: "sh!t", "b|tch".
pub(super) fn is_leet_gap(gap: &str) -> bool {
    matches!(gap, "!" | "|")
}

pub(super) fn split_words(text: &str) -> Vec<Word> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut in_word: Vec<bool> = chars.iter().map(|(_, c)| is_word_char(*c)).collect();
    let mut k = 0;
    while let Some(&(_, c)) = chars.get(k) {
        if c != '*' {
            k += 1;
            continue;
        }
        let run_end = chars
            .iter()
            .skip(k)
            .position(|(_, c)| *c != '*')
            .map_or(chars.len(), |p| k + p);
        let before = k.checked_sub(1).and_then(|b| in_word.get(b));
        let inside = before == Some(&true) && in_word.get(run_end) == Some(&true);
        if let Some(run) = in_word.get_mut(k..run_end) {
            run.fill(inside);
        }
        k = run_end;
    }

    // Pieces: runs of word characters, each with the text after it.
    let mut pieces: Vec<(Letters, String)> = Vec::new();
    let mut current = Letters::default();
    let mut gap = String::new();
    for (&(i, c), &is_word) in chars.iter().zip(&in_word) {
        if is_word {
            if !gap.is_empty() {
                pieces.push((std::mem::take(&mut current), std::mem::take(&mut gap)));
            }
            let span = i..i + c.len_utf8();
            for lower in c.to_lowercase().filter(|l| is_word_char(*l) || *l == '*') {
                // 'ѝ' is 'и' with a stress mark.
                current.push(if lower == 'ѝ' { 'и' } else { lower }, span.clone());
            }
        } else if !current.chars.is_empty() {
            gap.push(c);
        }
    }
    if !current.chars.is_empty() {
        pieces.push((current, gap));
    }

    let mut words: Vec<Word> = Vec::new();
    let mut group: Vec<(Letters, String)> = Vec::new();
    let count = pieces.len();
    for (k, (piece, gap)) in pieces.into_iter().enumerate() {
        // An apostrophe inside a word is a contraction ("who're"), not a
        // disguise.
        let joins = !gap.is_empty()
            && gap.chars().count() <= 3
            && !gap
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '\'' | '’' | 'ʼ'));
        group.push((piece, gap));
        if !joins || k + 1 == count {
            let index = words.len();
            words.push(make_word(std::mem::take(&mut group), index));
        }
    }
    words
}

pub(super) fn make_word(group: Vec<(Letters, String)>, index: usize) -> Word {
    let n = group.len();
    let wants_leet = group
        .split_last()
        .is_some_and(|(_, init)| init.iter().any(|(_, g)| is_leet_gap(g)));
    let mut word = Word::default();
    let mut leet = Letters::default();
    for (k, (mut piece, gap)) in group.into_iter().enumerate() {
        piece.word = index;
        word.whole.extend(&piece);
        if wants_leet {
            leet.extend(&piece);
            if k + 1 < n && is_leet_gap(&gap) {
                let at = piece.range().end;
                leet.push(if gap == "!" { '!' } else { '|' }, at..at + 1);
            }
        }
        if k + 1 == n {
            word.gap_after = gap;
        }
        word.pieces.push(piece);
    }
    word.whole.word = index;
    if wants_leet {
        leet.word = index;
        word.leet = Some(leet);
    }
    word
}

/// Every letter sequence to try: each word, each piece of a word joined by
/// separators, and runs of single letters spelt with spaces.
pub(super) fn candidates(words: &[Word]) -> Vec<Letters> {
    let mut out = Vec::new();
    for w in words {
        out.push(w.whole.clone());
        out.extend(w.leet.iter().cloned());
        if w.pieces.len() > 1 {
            out.extend(w.pieces.iter().cloned());
        }
    }
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while let Some(w) = words.get(j).filter(|w| w.whole.chars.len() == 1) {
            j += 1;
            if w.gap_after.chars().count() > 3 {
                break;
            }
        }
        if j - i >= 3 {
            let mut run = Letters {
                word: i,
                spaced: true,
                ..Letters::default()
            };
            for w in words.get(i..j).unwrap_or_default() {
                run.extend(&w.whole);
            }
            out.push(run);
        }
        i = j.max(i + 1);
    }
    out.retain(Letters::has_letter);
    out
}
