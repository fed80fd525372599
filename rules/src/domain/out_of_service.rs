//! When the kiosk cannot serve visitors at all, and what its screen says.
//!
//! The kiosk refuses to take a record it cannot keep: with its database
//! missing, damaged, from a newer version or otherwise unusable, a
//! complaint typed in would be lost or would get a receipt number that may
//! already be on another visitor's slip. It then shows an out-of-service
//! screen instead of a black one or a restart loop: visitors are sent to
//! the registry desk, staff are told to call the technician and why.
//!
//! Plain text in both languages; the screen lays it out. Staff lines may
//! name the database path (they are for the technician), visitor lines
//! never do.

use crate::domain::{Lang, Localized};

/// Why the kiosk is out of service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutOfService {
    /// The database does not exist (and kiosk.toml says not to make one).
    DatabaseMissing { path: String },
    /// The database is damaged; nothing is written to it.
    DatabaseDamaged { path: String, detail: String },
    /// The database was made by a newer version of the software.
    DatabaseTooNew { path: String },
    /// The disk holding the database is full: nothing more can be kept
    /// until space is freed (what was kept is intact).
    DiskFull { path: String },
    /// The database cannot be used for another reason (read-only, not a
    /// file, wrong permissions), said in `detail`.
    DatabaseUnusable { path: String, detail: String },
}

/// Where visitors are sent: the registry desk's name and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryDesk {
    pub name: Localized,
    pub location: Localized,
}

/// The texts of the out-of-service screen in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfServiceText {
    pub title: String,
    /// For visitors: where to go instead.
    pub visitors: String,
    /// For staff: whom to call, and what to tell them.
    pub staff: String,
}

impl OutOfService {
    /// A short code for logs and the staff line.
    pub fn code(&self) -> &'static str {
        match self {
            OutOfService::DatabaseMissing { .. } => "database-missing",
            OutOfService::DatabaseDamaged { .. } => "database-damaged",
            OutOfService::DatabaseTooNew { .. } => "database-too-new",
            OutOfService::DatabaseUnusable { .. } => "database-unusable",
            OutOfService::DiskFull { .. } => "disk-full",
        }
    }

    /// The screen's texts in `lang`.
    pub fn text(&self, lang: Lang, desk: &RegistryDesk) -> OutOfServiceText {
        let (name, place) = (desk.name.get(lang), desk.location.get(lang));
        match lang {
            Lang::Bg => OutOfServiceText {
                title: "Киоскът временно не работи".into(),
                visitors: format!(
                    "Извиняваме се за неудобството. Оценки, жалби, сигнали, предложения и похвали се приемат на {} ({place}) в работно време.",
                    genitive_bg(name)
                ),
                staff: format!(
                    "За служители: обадете се на техника по поддръжката. Причина: {}.",
                    self.reason_bg()
                ),
            },
            Lang::En => OutOfServiceText {
                title: "This kiosk is out of service".into(),
                visitors: format!(
                    "We apologise for the inconvenience. Ratings, complaints, signals, proposals and praise are taken at the {name} ({place}) during office hours."
                ),
                staff: format!(
                    "For staff: call the maintenance technician. Reason: {}.",
                    self.reason_en()
                ),
            },
        }
    }

    fn reason_bg(&self) -> String {
        match self {
            OutOfService::DatabaseMissing { path } => {
                format!("няма база данни ({path}); техникът да изпълни `kiosk init`")
            }
            OutOfService::DatabaseDamaged { path, .. } => format!(
                "базата данни е повредена ({path}); техникът да изпълни `kiosk db check` и `kiosk db recover`"
            ),
            OutOfService::DatabaseTooNew { path } => format!(
                "базата данни ({path}) е от по-нова версия на програмата; да се инсталира тази версия"
            ),
            OutOfService::DatabaseUnusable { path, detail } => {
                format!("базата данни ({path}) не може да се използва: {detail}")
            }
            OutOfService::DiskFull { path } => format!(
                "дискът е пълен (disk full) и базата данни ({path}) не може да записва; техникът да освободи място (`journalctl --vacuum-size=50M`, стари файлове от износа), записаното е запазено и киоскът продължава сам"
            ),
        }
    }

    fn reason_en(&self) -> String {
        match self {
            OutOfService::DatabaseMissing { path } => {
                format!("there is no database ({path}); the technician runs `kiosk init`")
            }
            OutOfService::DatabaseDamaged { path, .. } => format!(
                "the database is damaged ({path}); the technician runs `kiosk db check` and `kiosk db recover`"
            ),
            OutOfService::DatabaseTooNew { path } => format!(
                "the database ({path}) is from a newer version of the software; install that version"
            ),
            OutOfService::DatabaseUnusable { path, detail } => {
                format!("the database ({path}) cannot be used: {detail}")
            }
            OutOfService::DiskFull { path } => format!(
                "disk full: the database ({path}) cannot write; the technician frees space (`journalctl --vacuum-size=50M`, old files in the export folder), what was saved is safe and the kiosk carries on by itself"
            ),
        }
    }
}

/// "Деловодство" → "Деловодството": the desk's name with the definite
/// article Bulgarian needs after "на". Names that already carry it, or
/// are not one plain word, stay as they are.
fn genitive_bg(name: &str) -> String {
    let plain = !name.contains(' ') && name.chars().all(char::is_alphabetic);
    let has_article = ["то", "та", "ът", "ят", "те"]
        .iter()
        .any(|a| name.ends_with(a));
    if !plain || has_article {
        return name.to_owned();
    }
    match name.chars().last() {
        Some('о' | 'е') => format!("{name}то"),
        Some('а' | 'я') => format!("{name}та"),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> RegistryDesk {
        RegistryDesk {
            name: Localized::new("Деловодство".into(), "Registry desk".into()),
            location: Localized::new("Партер, гише 1".into(), "Ground floor, counter 1".into()),
        }
    }

    #[test]
    fn visitors_are_sent_to_the_registry_desk_in_both_languages() {
        let why = OutOfService::DatabaseMissing {
            path: "/var/lib/kiosk/kiosk.db".into(),
        };
        let bg = why.text(Lang::Bg, &desk());
        assert_eq!(bg.title, "Киоскът временно не работи");
        assert!(
            bg.visitors.contains("на Деловодството (Партер, гише 1)"),
            "{}",
            bg.visitors
        );
        assert!(!bg.visitors.contains("/var/lib"), "no path for visitors");
        assert!(bg.staff.contains("техника"), "{}", bg.staff);
        assert!(bg.staff.contains("kiosk init"), "{}", bg.staff);
        let en = why.text(Lang::En, &desk());
        assert!(
            en.visitors
                .contains("at the Registry desk (Ground floor, counter 1)")
        );
        assert!(
            en.staff
                .starts_with("For staff: call the maintenance technician")
        );
        assert!(en.staff.contains("/var/lib/kiosk/kiosk.db"));
    }

    #[test]
    fn every_reason_names_what_the_technician_does() {
        for why in [
            OutOfService::DatabaseDamaged {
                path: "p".into(),
                detail: "d".into(),
            },
            OutOfService::DatabaseTooNew { path: "p".into() },
            OutOfService::DiskFull { path: "p".into() },
            OutOfService::DatabaseUnusable {
                path: "p".into(),
                detail: "read-only".into(),
            },
        ] {
            for lang in [Lang::Bg, Lang::En] {
                let t = why.text(lang, &desk());
                assert!(t.staff.contains('p'), "{why:?} {lang:?}");
                assert!(!t.visitors.is_empty());
            }
        }
    }

    #[test]
    fn the_bulgarian_article_is_added_only_where_it_belongs() {
        assert_eq!(genitive_bg("Деловодство"), "Деловодството");
        assert_eq!(genitive_bg("Деловодството"), "Деловодството");
        assert_eq!(genitive_bg("Информация"), "Информацията");
        assert_eq!(genitive_bg("Гише 1"), "Гише 1");
    }
}
