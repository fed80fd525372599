//! Staff summaries and the annual satisfaction report, as plain data.
//!
//! `period` turns "today", "this week", a year or a chosen range into
//! Europe/Sofia days; `figures` adds the store's counts up into a
//! [`Summary`]; `slip` lays a summary out for the receipt printer; `report`
//! writes the annual (or any period's) report as Markdown, text, CSV or
//! JSON. Nothing here reads a clock or a database.

pub mod csv;
pub mod figures;
pub mod period;
pub mod report;
pub mod slip;

use std::collections::HashMap;

pub use figures::{
    CategoryCount, ComplaintFacts, ComplaintFigures, Count, Group, RatingFigures, Summary,
    SummaryBuilder, TypeCount, WeekFigures,
};
pub use period::{DateRange, Period, PeriodError};

/// Display names for the ids a summary holds (services, desks, complaint
/// categories, rating reasons), in Bulgarian, from the configuration. An id
/// without a name is shown as itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub services: HashMap<String, String>,
    pub desks: HashMap<String, String>,
    pub categories: HashMap<String, String>,
    pub reasons: HashMap<String, String>,
}

impl Names {
    pub fn service<'a>(&'a self, id: &'a str) -> &'a str {
        name_of(&self.services, id)
    }
    pub fn desk<'a>(&'a self, id: &'a str) -> &'a str {
        name_of(&self.desks, id)
    }
    pub fn category<'a>(&'a self, id: &'a str) -> &'a str {
        name_of(&self.categories, id)
    }
    pub fn reason<'a>(&'a self, id: &'a str) -> &'a str {
        name_of(&self.reasons, id)
    }
}

fn name_of<'a>(map: &'a HashMap<String, String>, id: &'a str) -> &'a str {
    if id.is_empty() {
        return "(не е посочено)";
    }
    map.get(id).map_or(id, String::as_str)
}

/// A share 0-1 as a percentage with one decimal, "—" when there is none.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

/// A mean score with two decimals, "—" when nothing was rated.
pub fn mean(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_read_as_a_dash_and_names_fall_back_to_ids() {
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(0.8126)), "81.3%");
        assert_eq!(mean(Some(4.0)), "4.00");
        let names = Names::default();
        assert_eq!(names.service("2016"), "2016");
        assert_eq!(names.desk(""), "(не е посочено)");
    }
}
