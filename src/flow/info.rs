//! The two information pages: home (is the office open, the date and the
//! time) and office hours (the coming week, the lunch break, days off ahead
//! and the contacts). They have no draft; their views are worked out from
//! the configuration, the calendar and the clock each time they are shown.

use std::rc::Rc;

use chrono::Duration;

use super::kiosk::Kiosk;
use super::visit::Prefs;
use crate::domain::hours::{OfficeStatus, long_date, schedule, sofia_local, status_at};
use crate::domain::hours_text::{Contact, day_hours, day_name, days_off, desk_contact, lunch_line};

/// How far ahead the days off are listed.
const DAYS_OFF_AHEAD: i64 = 120;

/// What the home page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeView {
    pub status_line: String,
    pub open_now: bool,
    pub time: String,
    pub date: String,
}

/// One day of the week on the hours page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayView {
    pub day: String,
    pub hours: String,
    pub today: bool,
}

/// What the hours page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursView {
    pub status_line: String,
    pub week: Vec<DayView>,
    pub lunch: String,
    pub days_off: Vec<String>,
    /// Label and value.
    pub contacts: Vec<(String, String)>,
}

/// Home and office hours.
pub struct InfoFlow {
    kiosk: Rc<dyn Kiosk>,
    prefs: Rc<Prefs>,
}

impl InfoFlow {
    pub fn new(kiosk: Rc<dyn Kiosk>, prefs: Rc<Prefs>) -> Rc<InfoFlow> {
        Rc::new(InfoFlow { kiosk, prefs })
    }

    /// The home page as of now.
    pub fn home(&self) -> HomeView {
        let lang = self.prefs.lang();
        let now = self.kiosk.now();
        let local = sofia_local(now);
        let config = self.kiosk.config();
        let status = status_at(self.kiosk.calendar(), &config.office_hours(), now);
        HomeView {
            status_line: status.describe(lang, local),
            open_now: matches!(status, OfficeStatus::Open { .. }),
            time: local.format("%H:%M").to_string(),
            date: long_date(local.date(), lang),
        }
    }

    /// The hours page as of now.
    pub fn hours(&self) -> HoursView {
        let lang = self.prefs.lang();
        let now = self.kiosk.now();
        let today = sofia_local(now).date();
        let cal = self.kiosk.calendar();
        let config = self.kiosk.config();
        let hours = config.office_hours();
        let week = schedule(cal, &hours, today, 7)
            .iter()
            .map(|day| DayView {
                day: day_name(day.date, lang),
                hours: day_hours(day, lang),
                today: day.date == today,
            })
            .collect();
        let off = cal.days_off(today, today + Duration::days(DAYS_OFF_AHEAD));
        let c = &config.contacts;
        let mut contacts = Vec::new();
        if let Some(desk) = config.desks.iter().find(|d| d.id == c.registry_desk) {
            contacts.push(desk_contact(
                desk.name.get(lang),
                desk.location.get(lang),
                lang,
            ));
        }
        contacts.push((
            Contact::Address.label(lang).to_owned(),
            c.address.get(lang).clone(),
        ));
        for (kind, value) in [
            (Contact::Phone, &c.phone),
            (Contact::Email, &c.email),
            (Contact::Website, &c.website),
        ] {
            if !value.is_empty() {
                contacts.push((kind.label(lang).to_owned(), value.clone()));
            }
        }
        HoursView {
            status_line: status_at(cal, &hours, now).describe(lang, sofia_local(now)),
            week,
            lunch: lunch_line(&hours, lang),
            days_off: days_off(&off, lang),
            contacts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::flow::fake::FakeKiosk;

    #[test]
    fn home_says_open_with_the_date_and_hours_list_the_week() {
        let kiosk = FakeKiosk::new();
        let prefs = Prefs::new(kiosk.config());
        let info = InfoFlow::new(kiosk.clone(), prefs.clone());
        let home = info.home();
        assert!(home.open_now, "{home:?}");
        assert_eq!(home.time, "10:00");
        assert_eq!(home.date, "23 ноември 2026 г.");
        prefs.set_lang(Lang::En);
        let hours = info.hours();
        assert_eq!(hours.week.len(), 7);
        assert!(hours.week[0].today && hours.week[0].day.starts_with("Monday"));
        assert_eq!(hours.week[0].hours, "8:30–17:00");
        assert!(hours.lunch.contains("lunch break 12:00–12:30"));
        assert!(hours.days_off.iter().any(|d| d.contains("December")));
        assert!(hours.contacts.iter().any(|(l, _)| l == "Address"));
        let desk = hours.contacts.first().unwrap();
        assert_eq!(desk.0, "Registry desk");
        assert!(!desk.1.contains("Registry desk"), "{desk:?}");
    }
}
