//! The complaint's check code (contract 1.2): six random characters of the
//! Crockford base32 alphabet, made by the kiosk when the record is written,
//! printed on the slip beside the receipt number and sent with the record.
//! The municipality's public status page shows a complaint's status only to
//! someone who holds both the number and the code.
//!
//! Invariants: a [`CheckCode`] is always exactly six characters of
//! [`ALPHABET`] (digits and capitals without I, L, O and U, which a reader
//! mistakes for 1, 1, 0 and V). It is not personal data and is never erased.
//! Reading one typed by a person ([`CheckCode::read`]) forgives lower case,
//! spaces and dashes, and the letters Crockford maps to digits (O→0, I/L→1).

use std::fmt;
use std::str::FromStr;

use rand::Rng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The 32 characters a check code is made of.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many characters a check code has: 32^6, about a billion codes.
pub const LEN: usize = 6;

/// A valid check code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckCode([u8; LEN]);

/// Why a text is not a check code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckCodeError {
    #[error("a check code has {LEN} characters, this one has {0}")]
    Length(usize),
    #[error("'{0}' is not in a check code (digits and capitals without I, L, O, U)")]
    Character(char),
}

impl CheckCode {
    /// A new random code from `rng`.
    pub fn generate(rng: &mut impl Rng) -> Self {
        let mut code = [b'0'; LEN];
        for c in &mut code {
            let i = rng.random_range(0..ALPHABET.len());
            *c = ALPHABET.get(i).copied().unwrap_or(b'0');
        }
        CheckCode(code)
    }

    /// A new random code from the thread's generator, seeded by the
    /// operating system.
    pub fn random() -> Self {
        Self::generate(&mut rand::rng())
    }

    /// Reads a code as a person typed it: case, spaces and dashes do not
    /// matter, and O, I and L are read as 0, 1 and 1 (Crockford's rule).
    pub fn read(typed: &str) -> Result<Self, CheckCodeError> {
        let cleaned: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        cleaned.parse()
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII from ALPHABET is ever stored.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl FromStr for CheckCode {
    type Err = CheckCodeError;

    /// The strict form: exactly six characters of [`ALPHABET`], as the
    /// kiosk sends them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let count = s.chars().count();
        if count != LEN {
            return Err(CheckCodeError::Length(count));
        }
        let mut code = [b'0'; LEN];
        for (slot, c) in code.iter_mut().zip(s.chars()) {
            match u8::try_from(c) {
                Ok(b) if ALPHABET.contains(&b) => *slot = b,
                _ => return Err(CheckCodeError::Character(c)),
            }
        }
        Ok(CheckCode(code))
    }
}

impl fmt::Display for CheckCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CheckCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CheckCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;

    #[test]
    fn generated_codes_have_six_characters_of_the_alphabet_and_differ() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let codes: Vec<CheckCode> = (0..1000).map(|_| CheckCode::generate(&mut rng)).collect();
        for c in &codes {
            assert_eq!(c.as_str().len(), LEN);
            assert!(c.as_str().bytes().all(|b| ALPHABET.contains(&b)), "{c}");
            assert!(!c.as_str().contains(['I', 'L', 'O', 'U']), "{c}");
            assert_eq!(c.as_str().parse::<CheckCode>().unwrap(), *c);
        }
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert!(distinct.len() > 990, "random codes rarely repeat");
        assert_ne!(CheckCode::random(), CheckCode::random());
    }

    #[test]
    fn the_strict_form_refuses_what_is_not_a_code() {
        assert_eq!("7K3M9Q".parse::<CheckCode>().unwrap().as_str(), "7K3M9Q");
        assert_eq!("7K3M9".parse::<CheckCode>(), Err(CheckCodeError::Length(5)));
        assert_eq!(
            "7K3M9QX".parse::<CheckCode>(),
            Err(CheckCodeError::Length(7))
        );
        for bad in ["7K3M9U", "7K3M9I", "7k3m9q", "7K3M9O", "7K3M9Щ", "7K3M9 "] {
            assert!(bad.parse::<CheckCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_typed_code_forgives_case_spaces_and_look_alike_letters() {
        assert_eq!(CheckCode::read(" 7k3-m9q ").unwrap().as_str(), "7K3M9Q");
        assert_eq!(CheckCode::read("o1lI2z").unwrap().as_str(), "01112Z");
        assert!(CheckCode::read("7K3M9U").is_err());
    }

    #[test]
    fn json_carries_the_code_as_text_and_checks_it() {
        let c: CheckCode = "ABC123".parse().unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"ABC123\"");
        assert!(serde_json::from_str::<CheckCode>("\"ABCU23\"").is_err());
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_panic(s in "\\PC{0,12}") {
            if let Ok(c) = CheckCode::read(&s) {
                prop_assert_eq!(c.as_str().parse::<CheckCode>().unwrap(), c);
            }
        }
    }
}
