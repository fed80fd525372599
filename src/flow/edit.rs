//! Typing with the on-screen keyboard: appending a key and deleting the
//! last letter, with the field's length limit.

/// Appends `key` to `text` unless that would pass `max_chars` characters.
/// Returns false (and changes nothing) when the field is full.
pub fn push_key(text: &mut String, key: &str, max_chars: usize) -> bool {
    let key: String = key.chars().filter(|c| !c.is_control()).collect();
    if text.chars().count() + key.chars().count() > max_chars {
        return false;
    }
    text.push_str(&key);
    true
}

/// Deletes the last character, if any.
pub fn backspace(text: &mut String) {
    text.pop();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_appends_and_stops_at_the_limit() {
        let mut s = String::from("аб");
        assert!(push_key(&mut s, "в", 3));
        assert_eq!(s, "абв");
        assert!(!push_key(&mut s, "г", 3));
        assert_eq!(s, "абв");
    }

    #[test]
    fn backspace_removes_one_cyrillic_letter_not_a_byte() {
        let mut s = String::from("жалба");
        backspace(&mut s);
        assert_eq!(s, "жалб");
        let mut empty = String::new();
        backspace(&mut empty);
        assert_eq!(empty, "");
    }

    #[test]
    fn control_characters_from_a_key_are_dropped() {
        let mut s = String::new();
        assert!(push_key(&mut s, "a\u{1b}b", 10));
        assert_eq!(s, "ab");
    }
}
