//! The idle question ("Do you need more time?"), the attract screen and
//! the question before home throws a form away, over any screen.

use slint::ComponentHandle;

use super::{AppState, AppWindow};
use crate::flow::Visit;

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.idle.view();
    let st = w.global::<AppState>();
    st.set_idle_warning(v.asking);
    st.set_idle_seconds_left(i32::try_from(v.seconds_left).unwrap_or(i32::MAX));
    st.set_attract(v.attract);
}

pub fn show_leave(w: &AppWindow, visit: &Visit) {
    w.global::<AppState>().set_asking_home(visit.asking_home());
}
