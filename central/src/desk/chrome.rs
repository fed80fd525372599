//! The furniture of every page: the heading, the navigation, the language
//! switch, the logout button and the banners. One layout template
//! (`templates/layout.html`) draws it.

use super::auth::Role;
use super::register::encode;
use super::request::Staff;
use crate::i18n::Strings;

/// A navigation entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// A notice shown at the top of every page (a silent kiosk, a printer out
/// of paper, overdue complaints); `level` is `warn` or `alert`.
#[derive(Debug, Clone)]
pub struct Banner {
    pub level: &'static str,
    pub text: String,
}

/// The desk's sections: path, label, who sees the entry, and whether the
/// page is served yet. The kiosks' settings are listed here so that they
/// get their entry by switching it on.
/// Path, label, who sees it, whether it is served.
type Section = (&'static str, &'static str, fn(Role) -> bool, bool);

fn sections(t: &'static Strings) -> [Section; 6] {
    [
        ("/desk/complaints", t.nav_register, |_| true, true),
        ("/desk/satisfaction", t.nav_satisfaction, |_| true, true),
        ("/desk/fleet", t.nav_fleet, |_| true, true),
        ("/desk/config", t.nav_config, Role::is_admin, false),
        ("/desk/users", t.nav_users, Role::is_admin, true),
        ("/desk/audit", t.nav_audit, Role::is_admin, true),
    ]
}

/// What the layout needs.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: &'static Strings,
    pub lang: &'static str,
    pub title: String,
    pub municipality: String,
    /// Empty on the login page.
    pub user: String,
    pub role: &'static str,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub banners: Vec<Banner>,
    /// The language switch: this page in the other language.
    pub switch_href: String,
}

impl Chrome {
    /// The furniture for `staff` on the page at `path`.
    pub fn new(staff: &Staff, municipality: &str, path: &str, title: &str) -> Chrome {
        let t = staff.t();
        let nav = sections(t)
            .into_iter()
            .filter(|(_, _, who, ready)| *ready && who(staff.role()))
            .map(|(href, label, _, _)| NavItem {
                href,
                label,
                current: path.starts_with(href),
            })
            .collect();
        Chrome {
            t,
            lang: t.lang.code(),
            title: title.to_owned(),
            municipality: municipality.to_owned(),
            user: staff.who.name.clone(),
            role: t.role_name(staff.role().as_str()),
            csrf: staff.who.csrf.clone(),
            nav,
            banners: Vec::new(),
            switch_href: switch_href(t, path),
        }
    }

    /// The furniture of a page before login.
    pub fn anonymous(t: &'static Strings, municipality: &str, path: &str, title: &str) -> Chrome {
        Chrome {
            t,
            lang: t.lang.code(),
            title: title.to_owned(),
            municipality: municipality.to_owned(),
            user: String::new(),
            role: "",
            csrf: String::new(),
            nav: Vec::new(),
            banners: Vec::new(),
            switch_href: switch_href(t, path),
        }
    }
}

fn switch_href(t: &Strings, path: &str) -> String {
    format!("/desk/lang/{}?back={}", t.other_lang_code, encode(path))
}
