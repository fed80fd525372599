//! The out-of-service window of `kiosk run` (its database missing or
//! damaged), headless: both languages at once, visitors sent to the
//! registry desk, staff told to call the technician and what to run.

use i_slint_backend_testing::ElementHandle;
use kiosk::domain::out_of_service::OutOfService;

fn labels(w: &kiosk::ui::OutOfServiceWindow) -> Vec<String> {
    i_slint_backend_testing::ElementQuery::from_root(w)
        .match_descendants()
        .find_all()
        .into_iter()
        .filter_map(|e: ElementHandle| e.accessible_label())
        .map(|l| l.to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_window_sends_visitors_to_the_desk_and_staff_to_the_technician_in_both_languages() {
    i_slint_backend_testing::init_no_event_loop();
    let dir = crate::support::memory_dir();
    let config = crate::support::ui::config(dir.path());
    let desk = kiosk::domain::out_of_service::RegistryDesk {
        name: kiosk::domain::Localized::new("Деловодство".into(), "registry desk".into()),
        location: kiosk::domain::Localized::new("партер".into(), "ground floor".into()),
    };
    let why = OutOfService::DatabaseMissing {
        path: "/var/lib/kiosk/kiosk.db".into(),
    };
    let w = kiosk::ui::out_of_service::window(&config, &why, &desk).unwrap();
    let said = labels(&w).join("\n");
    for text in [
        "Киоскът временно не работи",
        "на Деловодството (партер)",
        "обадете се на техника",
        "kiosk init",
        "/var/lib/kiosk/kiosk.db",
    ] {
        assert!(said.contains(text), "{text:?} not in {said}");
    }
    // The languages take turns.
    w.set_english(true);
    let said = labels(&w).join("\n");
    for text in [
        "This kiosk is out of service",
        "at the registry desk (ground floor)",
        "call the maintenance technician",
        "kiosk init",
    ] {
        assert!(said.contains(text), "{text:?} not in {said}");
    }
    // Another reason replaces the texts.
    kiosk::ui::out_of_service::fill(
        &w,
        &OutOfService::DatabaseDamaged {
            path: "/var/lib/kiosk/kiosk.db".into(),
            detail: "page 7".into(),
        },
        &desk,
    );
    let said = labels(&w).join("\n");
    assert!(said.contains("kiosk db recover"), "{said}");
    assert!(!said.contains("kiosk init"), "{said}");
}
