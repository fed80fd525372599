//! Amounts in euro, kept as whole cents.
//!
//! Fees come from kiosk.toml as decimal numbers (`fee_eur = 5.11`); floating
//! point is only ever read, never summed: the value is turned into cents at
//! once, and a value with more than two decimals or below zero is refused
//! rather than rounded quietly.

use std::fmt;

use serde::{Deserialize, Deserializer};

use super::lang::Lang;

/// An amount in euro cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Euro {
    cents: i64,
}

/// Why a number is not a valid fee.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MoneyError {
    #[error("{0} is negative; a fee is 0 (free) or more")]
    Negative(f64),
    #[error("{0} has more than two decimals; write euro and cents, e.g. 5.11")]
    TooPrecise(f64),
    #[error("{0} is too large for a fee")]
    TooLarge(f64),
}

impl Euro {
    pub const ZERO: Euro = Euro { cents: 0 };

    pub fn from_cents(cents: i64) -> Self {
        Self { cents }
    }

    pub fn cents(self) -> i64 {
        self.cents
    }

    pub fn is_free(self) -> bool {
        self.cents == 0
    }

    /// Reads a decimal amount of euro, as written in kiosk.toml.
    pub fn from_decimal(value: f64) -> Result<Self, MoneyError> {
        if value.is_sign_negative() && value != 0.0 {
            return Err(MoneyError::Negative(value));
        }
        if !value.is_finite() || value > 1_000_000.0 {
            return Err(MoneyError::TooLarge(value));
        }
        let cents = (value * 100.0).round();
        // A value written with two decimals is within float noise of a whole
        // number of cents; anything further off had a third decimal.
        if (value * 100.0 - cents).abs() > 1e-6 {
            return Err(MoneyError::TooPrecise(value));
        }
        Ok(Self {
            cents: cents as i64,
        })
    }

    /// The amount as a visitor reads it: "5,11 €" in Bulgarian, "€5.11" in
    /// English; whole amounts keep their cents so columns line up.
    pub fn display(self, lang: Lang) -> String {
        let (whole, cents) = (self.cents / 100, self.cents % 100);
        match lang {
            Lang::Bg => format!("{whole},{cents:02} €"),
            Lang::En => format!("€{whole}.{cents:02}"),
        }
    }
}

impl fmt::Display for Euro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02} EUR", self.cents / 100, self.cents % 100)
    }
}

impl<'de> Deserialize<'de> for Euro {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Number {
            Int(i64),
            Float(f64),
        }
        let value = match Number::deserialize(d)? {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        };
        Euro::from_decimal(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_two_decimals_exactly() {
        assert_eq!(Euro::from_decimal(5.11).unwrap().cents(), 511);
        assert_eq!(Euro::from_decimal(0.1).unwrap().cents(), 10);
        assert_eq!(Euro::from_decimal(2.56).unwrap().cents(), 256);
        assert_eq!(Euro::from_decimal(0.0).unwrap(), Euro::ZERO);
    }

    #[test]
    fn refuses_what_cannot_be_a_fee() {
        assert_eq!(Euro::from_decimal(-1.0), Err(MoneyError::Negative(-1.0)));
        assert_eq!(
            Euro::from_decimal(5.111),
            Err(MoneyError::TooPrecise(5.111))
        );
        assert!(Euro::from_decimal(f64::NAN).is_err());
        assert!(Euro::from_decimal(f64::INFINITY).is_err());
    }

    #[test]
    fn shows_euro_the_way_each_language_writes_it() {
        let fee = Euro::from_cents(550);
        assert_eq!(fee.display(Lang::Bg), "5,50 €");
        assert_eq!(fee.display(Lang::En), "€5.50");
        assert_eq!(Euro::from_cents(7).display(Lang::Bg), "0,07 €");
    }

    proptest! {
        #[test]
        fn any_amount_written_with_two_decimals_reads_back(cents in 0i64..10_000_000) {
            let text = format!("{}.{:02}", cents / 100, cents % 100);
            let value: f64 = text.parse().unwrap();
            prop_assert_eq!(Euro::from_decimal(value).unwrap().cents(), cents);
        }
    }
}
