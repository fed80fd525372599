//! The desk's actions on a complaint: checked, audited, and refused with a
//! message the clerk can act on.

use chrono::NaiveDate;
use kiosk_central::complaints::actions::{
    self, ActionError, Extension, NotExaminedReason, Registration,
};
use kiosk_central::db::{Backend, audit};
use serde_json::json;

use crate::both;
use crate::support::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const TODAY: &str = "2026-12-06";

both! {
    async fn actions_are_checked(app: TestApp) {
        let mut anonymous = complaint(&new_id(), "KV1-2026-000002");
        anonymous["data"]["anonymous"] = json!(true);
        app.deliver(&[complaint(&new_id(), "KV1-2026-000001"), anonymous]).await;
        let today = day(TODAY);
        let n = "KV1-2026-000001";

        let unknown = actions::answer(&app.pool, "KV1-2026-000099", today, "Мария", today).await;
        assert!(matches!(unknown, Err(ActionError::UnknownNumber(_))), "{unknown:?}");
        let malformed = actions::answer(&app.pool, "42", today, "Мария", today).await;
        assert!(matches!(malformed, Err(ActionError::BadNumber(_))));
        let early = actions::answer(&app.pool, n, day("2026-11-22"), "Мария", today).await;
        assert!(matches!(early, Err(ActionError::BeforeFiling { .. })), "{early:?}");
        let future = actions::answer(&app.pool, n, day("2026-12-07"), "Мария", today).await;
        assert!(matches!(future, Err(ActionError::InFuture { .. })));
        let nobody = actions::answer(&app.pool, n, today, " ", today).await;
        assert!(matches!(nobody, Err(ActionError::NoActor)));

        let long = Registration { registry_number: "9".repeat(33), registered_on: today };
        assert!(matches!(
            actions::register(&app.pool, n, &long, "Мария", today).await,
            Err(ActionError::BadRegistryNumber)
        ));
        let reg = Registration { registry_number: "94-00-12".into(), registered_on: day("2026-11-25") };
        actions::register(&app.pool, n, &reg, "Мария", today).await.unwrap();
        assert!(matches!(
            actions::register(&app.pool, n, &reg, "Мария", today).await,
            Err(ActionError::AlreadyRegistered { .. })
        ));
        let before_reg = actions::answer(&app.pool, n, day("2026-11-24"), "Мария", today).await;
        assert!(matches!(before_reg, Err(ActionError::BeforeRegistration { .. })));

        // The due date is 2026-12-23: an extension must move it later.
        let shorter = Extension { new_due_date: day("2026-12-20"), reason: "проверка".into(), told_on: today };
        assert!(matches!(
            actions::extend(&app.pool, n, &shorter, "Мария", today).await,
            Err(ActionError::Shortens { .. })
        ));
        let no_reason = Extension { new_due_date: day("2027-01-20"), reason: "  ".into(), told_on: today };
        assert!(matches!(
            actions::extend(&app.pool, n, &no_reason, "Мария", today).await,
            Err(ActionError::BadReason)
        ));
        let longer = Extension { new_due_date: day("2027-01-20"), reason: "проверка на място".into(), told_on: today };
        actions::extend(&app.pool, n, &longer, "Мария", today).await.unwrap();
        let back = Extension { new_due_date: day("2027-01-10"), reason: "x".into(), told_on: today };
        assert!(matches!(
            actions::extend(&app.pool, n, &back, "Мария", today).await,
            Err(ActionError::Shortens { .. })
        ));

        assert!(matches!(
            actions::not_examined(&app.pool, n, NotExaminedReason::Anonymous, "Мария").await,
            Err(ActionError::NotAnonymous(_))
        ));
        actions::not_examined(&app.pool, "KV1-2026-000002", NotExaminedReason::Anonymous, "Мария").await.unwrap();

        actions::answer(&app.pool, n, today, "Петър", today).await.unwrap();
        assert!(matches!(
            actions::answer(&app.pool, n, today, "Петър", today).await,
            Err(ActionError::Closed { .. })
        ));

        let trail = audit::of_target(&app.pool, &format!("complaint:{n}")).await.unwrap();
        let done: Vec<(&str, &str)> = trail.iter().map(|a| (a.actor.as_str(), a.action.as_str())).collect();
        assert_eq!(
            done,
            [("Мария", "complaint.registered"), ("Мария", "complaint.extended"), ("Петър", "complaint.answered")]
        );
        assert!(trail[1].details.contains("проверка на място"));
    }
}
