//! Staff's "records not delivered" page on the touchscreen: held,
//! set-aside and rejected records with their reasons, the link's problem
//! with its HTTP code and URL, and putting records back in the queue
//! (audited, each once), against a real sync worker and a central system
//! that answers 404 to everything.

use std::time::{Duration, Instant};

use crate::support;
use crate::support::hostile::{Behaviour, Hostile};
use crate::support::ui::{UiKiosk, kiosk_with_worker};
use crate::support::{complaint, context, rating, submission};
use kiosk::clock::Clock;
use kiosk::domain::Lang;
use kiosk::store::AuditOutcome;
use kiosk::ui::{AppState, Screen};
use slint::ComponentHandle;

fn screen(k: &UiKiosk) -> Screen {
    k.app.window().global::<AppState>().get_screen()
}

#[test]
fn staff_see_why_records_did_not_go_and_put_them_back_once() {
    let server = Hostile::start(Behaviour::Status(404, "<html>proxy</html>".into()));
    let dir = support::memory_dir();
    support::cli::token(dir.path());
    let (k, handle) = kiosk_with_worker(
        server.url(),
        dir.path(),
        dir.path().join("central.token"),
        Duration::from_secs(30),
    );
    // One record waiting: its batch meets the 404.
    let ctx = context(k.clock.as_ref());
    k.store.submit(submission(rating(4), false), &ctx).unwrap();
    handle.sync_now();
    let deadline = Instant::now() + Duration::from_secs(60);
    while handle.snapshot().configuration_problem.is_none() {
        assert!(Instant::now() < deadline, "{:?}", handle.snapshot());
        std::thread::sleep(Duration::from_millis(5));
    }

    let held = k
        .store
        .submit(submission(complaint(), false), &ctx)
        .unwrap();
    let refused = k.store.submit(submission(rating(2), false), &ctx).unwrap();
    let now = k.clock.now();
    k.store
        .mark_held(
            held.id,
            "HTTP 422 when sent alone: {\"error\":\"bad\"}",
            now,
        )
        .unwrap();
    k.store
        .mark_rejected(refused.id, "unknown service", now)
        .unwrap();
    let number = held.number.unwrap().to_string();

    k.app.set_language(Lang::En);
    k.app.set_geometry(1000, 4000);
    k.staff_key();
    assert!(
        k.says("Held or set aside (see \"Records not delivered\"): 1"),
        "{:?}",
        k.labels()
    );
    let url = format!("{}/v1/records", server.url());
    let link = format!("the central system answers HTTP 404 at {url}: check [central] url");
    assert!(
        k.says(&link),
        "the status page names the link's problem: {:?}",
        k.labels()
    );

    k.tap("Records not delivered");
    assert_eq!(screen(&k), Screen::StaffOutbox);
    for text in [
        "Held: 1, set aside: 0, rejected: 1; waiting to be sent: 1",
        &format!("{number} · Complaint"),
        "Held: the central system refuses it alone",
        "HTTP 422 when sent alone: {\"error\":\"bad\"}",
        "Rejected by the central system",
        "unknown service",
    ] {
        assert!(k.says(text), "{text} not in {:?}", k.labels());
    }
    assert!(k.says(&link), "{:?}", k.labels());

    k.tap(&format!("Put {number} back in the queue"));
    assert!(
        k.says("The record is back in the queue and will be sent again."),
        "{:?}",
        k.labels()
    );
    assert!(
        k.says("Held: 0, set aside: 0, rejected: 1"),
        "{:?}",
        k.labels()
    );
    // The rating has no number: its button names its id.
    k.tap(&format!("Put {} back in the queue", refused.id));
    assert!(k.says("Every record was delivered or is waiting to be sent."));
    let counts = k.store.outbox_counts().unwrap();
    assert_eq!(
        (counts.pending, counts.held, counts.rejected),
        (3, 0, 0),
        "both back, once each, and nothing held or rejected by the 404"
    );
    let trail: Vec<_> = k
        .store
        .audit_entries(50)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "requeue")
        .map(|e| (e.detail, e.outcome))
        .collect();
    assert_eq!(
        trail,
        [
            (
                format!("{} (was rejected) from the screen", refused.id),
                AuditOutcome::Ok
            ),
            (
                format!("{number} (was held) from the screen"),
                AuditOutcome::Ok
            ),
        ]
    );
    assert!(handle.shutdown(Duration::from_secs(5)));
}
