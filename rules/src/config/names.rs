//! The display names a summary or report uses, from the configuration:
//! one home for both the kiosk's staff summaries and the server's report.

use super::Config;
use crate::domain::summary::Names;

impl Config {
    /// The Bulgarian names of everything a summary names (services, desks,
    /// complaint categories, rating reasons).
    pub fn summary_names(&self) -> Names {
        Names {
            services: self
                .services
                .iter()
                .map(|s| (s.id.clone(), s.name.bg.clone()))
                .collect(),
            desks: self
                .desks
                .iter()
                .map(|d| (d.id.clone(), d.name.bg.clone()))
                .collect(),
            categories: self
                .complaints
                .categories
                .iter()
                .map(|c| (c.id.clone(), c.name.bg.clone()))
                .collect(),
            reasons: self
                .rating
                .reasons
                .iter()
                .map(|r| (r.id.clone(), r.name.bg.clone()))
                .collect(),
        }
    }
}
