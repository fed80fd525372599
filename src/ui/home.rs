//! Home: the live office status line, the date and the time.

use slint::ComponentHandle;

use super::{AppWindow, HomeAdapter};
use crate::flow::Visit;

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.info.home();
    let a = w.global::<HomeAdapter>();
    a.set_status_line(v.status_line.into());
    a.set_open_now(v.open_now);
    a.set_time_text(v.time.into());
    a.set_date_text(v.date.into());
}
