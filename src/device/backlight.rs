//! How bright the screen is, decided from the time, the office hours and
//! how long nobody has been near the kiosk.
//!
//! Rules:
//! - while the office is open, lunch break included, the screen is on:
//!   people wait in the lobby;
//! - while the staff key is turned, the screen is on;
//! - otherwise it stays on until nobody has touched it or passed the
//!   motion sensor for `dim_after` (`[display] dim_after_idle_mins`,
//!   5 minutes by default); then it dims, or, between `night_from` and
//!   `night_until` (20:00 to 07:00 by default, Sofia time), turns off;
//! - a touch or motion counts as activity, so it brings the screen back
//!   at once and the idle time starts again.

use board::Backlight;
use chrono::{NaiveTime, TimeDelta};

use crate::domain::hours::OfficeStatus;

/// When the idle screen dims and when it goes dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenRules {
    /// Idle time after which the screen dims (or turns off at night).
    pub dim_after: TimeDelta,
    /// Start of the night, local time.
    pub night_from: NaiveTime,
    /// End of the night, local time; equal to `night_from`: no night.
    pub night_until: NaiveTime,
}

impl ScreenRules {
    /// Whether the local time `t` is at night. The night may run past
    /// midnight (20:00 to 07:00); it includes its start and not its end.
    pub fn is_night(&self, t: NaiveTime) -> bool {
        let (from, until) = (self.night_from, self.night_until);
        if from <= until {
            from <= t && t < until
        } else {
            t >= from || t < until
        }
    }
}

/// What the backlight policy looks at.
#[derive(Debug, Clone, Copy)]
pub struct ScreenSituation {
    /// The office's status now.
    pub office: OfficeStatus,
    /// The Sofia wall-clock time now.
    pub local_time: NaiveTime,
    /// Time since the last touch or motion.
    pub idle_for: TimeDelta,
    /// The staff key is turned on.
    pub staff_mode: bool,
}

/// The backlight for this situation.
pub fn backlight_level(rules: &ScreenRules, now: &ScreenSituation) -> Backlight {
    let office_hours = matches!(
        now.office,
        OfficeStatus::Open { .. } | OfficeStatus::LunchBreak { .. }
    );
    if office_hours || now.staff_mode || now.idle_for < rules.dim_after {
        Backlight::On
    } else if rules.is_night(now.local_time) {
        Backlight::Off
    } else {
        Backlight::Dim
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hours::{ClosedReason, NextPause};

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn rules() -> ScreenRules {
        ScreenRules {
            dim_after: TimeDelta::minutes(5),
            night_from: hm(20, 0),
            night_until: hm(7, 0),
        }
    }

    fn closed() -> OfficeStatus {
        OfficeStatus::Closed {
            reason: ClosedReason::AfterClosing,
            opens_at: None,
        }
    }

    fn at(office: OfficeStatus, h: u32, idle_mins: i64) -> Backlight {
        backlight_level(
            &rules(),
            &ScreenSituation {
                office,
                local_time: hm(h, 0),
                idle_for: TimeDelta::minutes(idle_mins),
                staff_mode: false,
            },
        )
    }

    #[test]
    fn office_hours_keep_the_screen_on_however_long_idle() {
        let open = OfficeStatus::Open {
            until: hm(12, 0),
            next: NextPause::Lunch,
        };
        assert_eq!(at(open, 10, 600), Backlight::On);
        let lunch = OfficeStatus::LunchBreak { until: hm(12, 30) };
        assert_eq!(at(lunch, 12, 600), Backlight::On);
    }

    #[test]
    fn after_hours_the_idle_screen_dims_in_the_evening() {
        assert_eq!(at(closed(), 18, 4), Backlight::On);
        assert_eq!(at(closed(), 18, 5), Backlight::Dim);
    }

    #[test]
    fn at_night_the_idle_screen_turns_off() {
        assert_eq!(at(closed(), 21, 5), Backlight::Off);
        assert_eq!(at(closed(), 3, 60), Backlight::Off);
        assert_eq!(at(closed(), 21, 1), Backlight::On);
    }

    #[test]
    fn the_staff_key_keeps_the_screen_on() {
        let now = ScreenSituation {
            office: closed(),
            local_time: hm(23, 0),
            idle_for: TimeDelta::hours(2),
            staff_mode: true,
        };
        assert_eq!(backlight_level(&rules(), &now), Backlight::On);
    }

    #[test]
    fn the_night_runs_past_midnight_and_ends_at_its_end() {
        let r = rules();
        assert!(r.is_night(hm(20, 0)));
        assert!(r.is_night(hm(0, 0)));
        assert!(r.is_night(hm(6, 59)));
        assert!(!r.is_night(hm(7, 0)));
        assert!(!r.is_night(hm(19, 59)));
        let same_day = ScreenRules {
            night_from: hm(1, 0),
            night_until: hm(5, 0),
            ..r
        };
        assert!(same_day.is_night(hm(3, 0)));
        assert!(!same_day.is_night(hm(23, 0)));
        let never = ScreenRules {
            night_from: hm(20, 0),
            night_until: hm(20, 0),
            ..r
        };
        assert!(!never.is_night(hm(20, 0)) && !never.is_night(hm(3, 0)));
    }
}
