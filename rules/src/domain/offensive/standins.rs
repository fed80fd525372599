//! Stand-ins: the letters, digits and symbols written in place of a letter,
//! by look or by transliteration, in each direction between the scripts.

/// Stand-ins for one letter: the strings that may be written for it.
pub(super) type Table = fn(char) -> &'static [&'static str];
/// The tables one match may draw on.
pub(super) type Standins = &'static [Table];

pub(super) const CYR_ANY: Standins = &[cyr_visual, cyr_translit];
pub(super) const CYR_VISUAL: Standins = &[cyr_visual];
pub(super) const CYR_TRANSLIT: Standins = &[cyr_translit];
pub(super) const LATIN: Standins = &[lat_standins];

/// Latin letters, digits and symbols that look like a Cyrillic letter.
pub(super) fn cyr_visual(c: char) -> &'static [&'static str] {
    match c {
        'а' => &["a", "@", "4", "à", "á", "ä"],
        'б' => &["6", "b"],
        'в' => &["b", "8"],
        'г' => &["r"],
        'е' => &["e", "3", "€", "ё", "є", "é", "è", "ë"],
        'з' => &["3"],
        'и' => &["u", "й"],
        'й' => &["ŭ", "и"],
        'к' => &["k"],
        'м' => &["m"],
        'н' => &["h"],
        'о' => &["o", "0", "ö", "ó"],
        'п' => &["n"],
        'р' => &["p"],
        'с' => &["c", "ç", "$"],
        'т' => &["t", "m", "7"],
        'у' => &["y"],
        'х' => &["x"],
        'ч' => &["4"],
        'ш' => &["w"],
        'ь' => &["b"],
        _ => &[],
    }
}

/// How a Cyrillic letter is written in Latin letters (by the official
/// system or by habit), including chat digits (4 = ч, 6 = ш).
pub(super) fn cyr_translit(c: char) -> &'static [&'static str] {
    match c {
        'а' => &["a", "@"],
        'б' => &["b"],
        'в' => &["v", "w"],
        'г' => &["g"],
        'д' => &["d"],
        'е' => &["e", "3"],
        'ж' => &["zh", "j", "ž"],
        'з' => &["z", "3"],
        'и' => &["i", "1", "!", "|", "і", "í", "ï"],
        'й' => &["j", "y", "i"],
        'к' => &["k", "q"],
        'л' => &["l", "1", "|"],
        'м' => &["m"],
        'н' => &["n"],
        'о' => &["o", "0"],
        'п' => &["p"],
        'р' => &["r"],
        'с' => &["s", "$", "5", "c"],
        'т' => &["t", "7"],
        'у' => &["u", "y", "ou", "ü"],
        'ф' => &["f", "ph"],
        'х' => &["h", "x", "kh"],
        'ц' => &["ts", "tz", "c"],
        'ч' => &["ch", "4", "č"],
        'ш' => &["sh", "6", "š"],
        'щ' => &["sht", "sch"],
        // Not "a": "Gaz" is gas, not "гъз".
        'ъ' => &["u", "y", "ă"],
        'ю' => &["yu", "ju", "iu"],
        'я' => &["ya", "ja", "ia", "q"],
        _ => &[],
    }
}

/// Stand-ins for a Latin letter: Cyrillic look-alikes, digits and symbols.
pub(super) fn lat_standins(c: char) -> &'static [&'static str] {
    match c {
        'a' => &["а", "@", "4", "à", "á", "â", "ä", "å"],
        'b' => &["в", "ь", "8", "6"],
        'c' => &["с", "ç", "¢"],
        'e' => &["е", "3", "€", "ё", "є", "é", "è", "ê", "ë"],
        'f' => &["ƒ", "ф"],
        'g' => &["9"],
        'h' => &["н"],
        'i' => &["1", "!", "|", "і", "ı", "í", "ì", "î", "ï"],
        'k' => &["к"],
        'l' => &["1", "|", "ł", "і"],
        'm' => &["м"],
        'n' => &["п", "н", "ñ"],
        'o' => &["о", "0", "ö", "ó", "ò", "ô", "ø"],
        'p' => &["р"],
        'r' => &["г", "р"],
        's' => &["$", "5", "ѕ", "§"],
        't' => &["т", "7"],
        'u' => &["v", "и", "ü", "ú", "ù", "û"],
        'x' => &["х"],
        'y' => &["у"],
        _ => &[],
    }
}
