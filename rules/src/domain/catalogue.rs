//! The catalogue of administrative services, as kiosk.toml lists it.
//!
//! A service has up to three tiers (ordinary, fast, express), each a fee in
//! euro and a statutory deadline. Deadlines are written in a small grammar
//! ("7 working days", "same day", ...) so the kiosk can both say them in
//! either language and check that a faster tier really is faster.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use super::lang::{Lang, Localized};
use super::money::Euro;

/// How long the municipality has to deliver a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deadline {
    Immediately,
    SameDay,
    Hours(u32),
    WorkingDays(u32),
    Days(u32),
    Months(u32),
}

/// The grammar, for error messages.
pub const DEADLINE_FORMS: &str = "\"immediately\", \"same day\", \"N hours\", \"N working days\", \"N days\" or \"N months\" (N a whole number from 1)";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a deadline; write {DEADLINE_FORMS}")]
pub struct DeadlineError(pub String);

impl Deadline {
    /// A rough length in minutes, only for comparing tiers: a working day
    /// counts 7/5 of a calendar day, a month 30 days, "same day" the rest of
    /// an office day.
    pub fn approx_minutes(self) -> u64 {
        const DAY: u64 = 24 * 60;
        match self {
            Deadline::Immediately => 0,
            Deadline::SameDay => 8 * 60,
            Deadline::Hours(n) => u64::from(n) * 60,
            Deadline::WorkingDays(n) => u64::from(n) * DAY * 7 / 5,
            Deadline::Days(n) => u64::from(n) * DAY,
            Deadline::Months(n) => u64::from(n) * 30 * DAY,
        }
    }

    /// The deadline in words.
    pub fn describe(self, lang: Lang) -> String {
        let plural = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match (self, lang) {
            (Deadline::Immediately, Lang::Bg) => "веднага".into(),
            (Deadline::Immediately, Lang::En) => "immediately".into(),
            (Deadline::SameDay, Lang::Bg) => "в същия ден".into(),
            (Deadline::SameDay, Lang::En) => "the same day".into(),
            (Deadline::Hours(n), Lang::Bg) => plural(n, "час", "часа"),
            (Deadline::Hours(n), Lang::En) => plural(n, "hour", "hours"),
            (Deadline::WorkingDays(n), Lang::Bg) => plural(n, "работен ден", "работни дни"),
            (Deadline::WorkingDays(n), Lang::En) => plural(n, "working day", "working days"),
            (Deadline::Days(n), Lang::Bg) => plural(n, "ден", "дни"),
            (Deadline::Days(n), Lang::En) => plural(n, "day", "days"),
            (Deadline::Months(n), Lang::Bg) => plural(n, "месец", "месеца"),
            (Deadline::Months(n), Lang::En) => plural(n, "month", "months"),
        }
    }
}

impl FromStr for Deadline {
    type Err = DeadlineError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DeadlineError(s.to_string());
        let words: Vec<&str> = s.split_whitespace().collect();
        match words.as_slice() {
            ["immediately"] => return Ok(Deadline::Immediately),
            ["same", "day"] => return Ok(Deadline::SameDay),
            _ => {}
        }
        let (count, unit) = words.split_first().ok_or_else(err)?;
        let n: u32 = count.parse().map_err(|_| err())?;
        if n == 0 || !count.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let singular = n == 1;
        let made: fn(u32) -> Deadline = match (unit, singular) {
            (["hours"], false) | (["hour"], true) => Deadline::Hours,
            (["working", "days"], false) | (["working", "day"], true) => Deadline::WorkingDays,
            (["days"], false) | (["day"], true) => Deadline::Days,
            (["months"], false) | (["month"], true) => Deadline::Months,
            _ => return Err(err()),
        };
        Ok(made(n))
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

impl<'de> Deserialize<'de> for Deadline {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One way of getting a service: its fee and its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub fee_eur: Euro,
    pub deadline: Deadline,
}

/// Which tier: ordinary, fast or express.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierKind {
    Ordinary,
    Fast,
    Express,
}

impl TierKind {
    pub fn key(self) -> &'static str {
        match self {
            TierKind::Ordinary => "ordinary",
            TierKind::Fast => "fast",
            TierKind::Express => "express",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TierKind::Ordinary, Lang::Bg) => "обикновена",
            (TierKind::Fast, Lang::Bg) => "бърза",
            (TierKind::Express, Lang::Bg) => "експресна",
            (TierKind::Ordinary, Lang::En) => "ordinary",
            (TierKind::Fast, Lang::En) => "fast",
            (TierKind::Express, Lang::En) => "express",
        }
    }
}

/// A counter or office where visitors apply.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Desk {
    pub id: String,
    pub name: Localized,
    pub location: Localized,
}

/// A heading under which services are listed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceGroup {
    pub id: String,
    pub name: Localized,
}

/// An administrative service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The IISDA number as text, or a local code where there is none.
    pub id: String,
    /// The unique number in the Administrative Register (IISDA), where known.
    #[serde(default)]
    pub iisda: Option<u32>,
    pub group: String,
    pub desk: String,
    pub name: Localized,
    pub summary: Localized,
    pub documents: Localized<Vec<String>>,
    pub ordinary: Tier,
    #[serde(default)]
    pub fast: Option<Tier>,
    #[serde(default)]
    pub express: Option<Tier>,
}

impl Service {
    /// The tiers offered, ordinary first.
    pub fn tiers(&self) -> impl Iterator<Item = (TierKind, Tier)> + '_ {
        [
            (TierKind::Ordinary, Some(self.ordinary)),
            (TierKind::Fast, self.fast),
            (TierKind::Express, self.express),
        ]
        .into_iter()
        .filter_map(|(kind, tier)| tier.map(|t| (kind, t)))
    }

    /// Whether `query` (a few letters typed on the on-screen keyboard)
    /// matches the name in either language or the IISDA number.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        q.is_empty()
            || self.name.bg.to_lowercase().contains(&q)
            || self.name.en.to_lowercase().contains(&q)
            || self.id.to_lowercase() == q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_of_the_grammar() {
        let cases = [
            ("immediately", Deadline::Immediately),
            ("same day", Deadline::SameDay),
            ("1 hour", Deadline::Hours(1)),
            ("24 hours", Deadline::Hours(24)),
            ("1 working day", Deadline::WorkingDays(1)),
            ("7 working days", Deadline::WorkingDays(7)),
            ("14 days", Deadline::Days(14)),
            ("1 month", Deadline::Months(1)),
            ("  3   working   days ", Deadline::WorkingDays(3)),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<Deadline>(), Ok(want), "{text}");
        }
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "0 days",
            "-3 days",
            "+3 days",
            "3",
            "3 weeks",
            "1 days",
            "2 day",
            "7 работни дни",
            "soon",
        ] {
            assert!(
                bad.parse::<Deadline>().is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn orders_deadlines_by_length() {
        let ordered = [
            "immediately",
            "1 hour",
            "same day",
            "1 working day",
            "3 working days",
            "7 days",
            "7 working days",
            "1 month",
        ];
        let minutes: Vec<u64> = ordered
            .iter()
            .map(|d| d.parse::<Deadline>().unwrap().approx_minutes())
            .collect();
        assert!(minutes.windows(2).all(|w| w[0] < w[1]), "{minutes:?}");
    }

    #[test]
    fn says_deadlines_in_both_languages() {
        assert_eq!(Deadline::WorkingDays(7).describe(Lang::Bg), "7 работни дни");
        assert_eq!(Deadline::WorkingDays(1).describe(Lang::Bg), "1 работен ден");
        assert_eq!(Deadline::Months(1).describe(Lang::En), "1 month");
        assert_eq!(Deadline::SameDay.describe(Lang::Bg), "в същия ден");
    }

    #[test]
    fn search_finds_by_either_name_or_number() {
        let s: Service = toml::from_str(
            r#"
            id = "2079"
            iisda = 2079
            group = "civil-status"
            desk = "civil-status"
            name = { bg = "Издаване на удостоверение за наследници", en = "Certificate of heirs" }
            summary = { bg = "…", en = "…" }
            documents = { bg = ["Искане"], en = ["Application"] }
            ordinary = { fee_eur = 5.11, deadline = "7 working days" }
            express = { fee_eur = 10.23, deadline = "1 working day" }
            "#,
        )
        .unwrap();
        assert!(s.matches("НАСЛ"));
        assert!(s.matches("heirs"));
        assert!(s.matches("2079"));
        assert!(!s.matches("скица"));
        let kinds: Vec<_> = s.tiers().map(|(k, _)| k).collect();
        assert_eq!(kinds, [TierKind::Ordinary, TierKind::Express]);
    }
}
