//! Receipt numbers: `<prefix>-<year>-<sequence>`, e.g. `KV1-2026-000042`.
//!
//! The sequence runs per prefix and calendar year, starts at 1 and has no
//! gaps; the store hands out the next one inside the transaction that writes
//! the record. Six digits are always printed; a sequence past 999 999 in one
//! year is refused rather than printed wider, so every receipt of a year has
//! the same shape.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest sequence number a year can have.
pub const MAX_SEQUENCE: u32 = 999_999;

/// A receipt number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReceiptNumber {
    prefix: String,
    year: i32,
    sequence: u32,
}

/// Why a receipt number or prefix is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error(
        "the receipt prefix must be 1 to 8 capital Latin letters or digits, starting with a letter (got {0:?})"
    )]
    BadPrefix(String),
    #[error("the year {0} is outside 2000-2100")]
    BadYear(i32),
    #[error("the sequence {0} is outside 1-999999")]
    BadSequence(u32),
    #[error("{0:?} is not a receipt number like KV1-2026-000042")]
    Malformed(String),
}

/// Checks a receipt prefix: 1-8 of `A-Z0-9`, starting with a letter. Latin
/// only, so the number reads the same on any printer code page and in a QR code.
pub fn validate_prefix(prefix: &str) -> Result<(), NumberError> {
    let ok = (1..=8).contains(&prefix.len())
        && prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(NumberError::BadPrefix(prefix.to_string()))
    }
}

impl ReceiptNumber {
    pub fn new(prefix: &str, year: i32, sequence: u32) -> Result<Self, NumberError> {
        validate_prefix(prefix)?;
        if !(2000..=2100).contains(&year) {
            return Err(NumberError::BadYear(year));
        }
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(NumberError::BadSequence(sequence));
        }
        Ok(Self {
            prefix: prefix.to_string(),
            year,
            sequence,
        })
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for ReceiptNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", self.prefix, self.year, self.sequence)
    }
}

impl FromStr for ReceiptNumber {
    type Err = NumberError;

    /// Parses a number as printed. Staff may type it in lower case or with
    /// spaces around it; nothing else is forgiven.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let malformed = || NumberError::Malformed(s.to_string());
        let upper = s.trim().to_ascii_uppercase();
        let mut parts = upper.rsplitn(3, '-');
        let (seq, year, prefix) = match (parts.next(), parts.next(), parts.next()) {
            (Some(seq), Some(year), Some(prefix)) => (seq, year, prefix),
            _ => return Err(malformed()),
        };
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(seq, 6) || !digits(year, 4) {
            return Err(malformed());
        }
        let year = year.parse().map_err(|_| malformed())?;
        let sequence = seq.parse().map_err(|_| malformed())?;
        ReceiptNumber::new(prefix, year, sequence)
    }
}

impl Serialize for ReceiptNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReceiptNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_with_six_digits() {
        let n = ReceiptNumber::new("KV1", 2026, 42).unwrap();
        assert_eq!(n.to_string(), "KV1-2026-000042");
        assert_eq!(
            ReceiptNumber::new("KV1", 2026, 999_999)
                .unwrap()
                .to_string(),
            "KV1-2026-999999"
        );
    }

    #[test]
    fn parses_what_staff_type() {
        let n: ReceiptNumber = " kv1-2026-000042 ".parse().unwrap();
        assert_eq!((n.prefix(), n.year(), n.sequence()), ("KV1", 2026, 42));
    }

    #[test]
    fn rejects_malformed_numbers() {
        for bad in [
            "",
            "KV1-2026-42",
            "KV1-26-000042",
            "KV1-2026-0000042",
            "KV1-2026-000000",
            "1KV-2026-000001",
            "КВ1-2026-000001", // Cyrillic letters
            "KV1-2026-00004a",
            "KV1_2026_000042",
            "-2026-000001",
            "KV1-1999-000001",
            "KV1-2026--00001",
            "KV1-2026-+00001",
        ] {
            assert!(
                bad.parse::<ReceiptNumber>().is_err(),
                "{bad:?} should not parse"
            );
        }
    }

    #[test]
    fn prefix_rules() {
        assert!(validate_prefix("KV1").is_ok());
        assert!(validate_prefix("A").is_ok());
        assert!(validate_prefix("kv1").is_err());
        assert!(validate_prefix("TOOLONGPX").is_err());
        assert!(validate_prefix("K-1").is_err());
    }

    #[test]
    fn serializes_as_a_string() {
        let n = ReceiptNumber::new("KV1", 2026, 7).unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"KV1-2026-000007\"");
        let back: ReceiptNumber = serde_json::from_str("\"KV1-2026-000007\"").unwrap();
        assert_eq!(back, n);
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(prefix in "[A-Z][A-Z0-9]{0,7}", year in 2000i32..=2100, seq in 1u32..=MAX_SEQUENCE) {
            let n = ReceiptNumber::new(&prefix, year, seq).unwrap();
            let text = n.to_string();
            prop_assert_eq!(text.len(), prefix.len() + 12);
            prop_assert_eq!(text.parse::<ReceiptNumber>().unwrap(), n);
        }

        #[test]
        fn order_of_sequences_is_order_of_text(a in 1u32..=MAX_SEQUENCE, b in 1u32..=MAX_SEQUENCE) {
            let na = ReceiptNumber::new("KV1", 2026, a).unwrap();
            let nb = ReceiptNumber::new("KV1", 2026, b).unwrap();
            prop_assert_eq!(na.to_string().cmp(&nb.to_string()), a.cmp(&b));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,24}") {
            let _ = s.parse::<ReceiptNumber>();
        }
    }
}
