//! Services: groups, a group's list, search, and one service in full.

use std::rc::Rc;

use slint::ComponentHandle;

use super::models::{list, texts};
use super::wire::{on, on_int, on_str};
use super::{AppWindow, GroupItem, ServiceItem, ServicesAdapter, TierRow};
use crate::flow::Visit;
use crate::flow::services::ServiceItem as Item;

pub fn connect(w: &AppWindow, visit: &Rc<Visit>) {
    let a = w.global::<ServicesAdapter>();
    a.on_open_group(on_int(visit, |v, i| {
        v.services.open_group(usize::try_from(i).ok())
    }));
    a.on_open_all(on(visit, |v| v.services.open_group(None)));
    a.on_open_service(on_str(visit, |v, id| v.services.open_service(id)));
    a.on_type_key(on_str(visit, |v, k| v.services.type_key(k)));
    a.on_backspace(on(visit, |v| v.services.backspace()));
}

pub fn show(w: &AppWindow, visit: &Visit) {
    let v = visit.services.view();
    let a = w.global::<ServicesAdapter>();
    a.set_groups(list(
        v.groups
            .iter()
            .map(|g| GroupItem {
                name: g.name.as_str().into(),
                count: i32::try_from(g.count).unwrap_or(i32::MAX),
            })
            .collect(),
    ));
    a.set_list_title(v.list_title.into());
    a.set_services(items(&v.list));
    a.set_query(v.query.into());
    a.set_results_text(v.results_text.into());
    a.set_results(items(&v.results));
    if let Some(d) = v.detail {
        a.set_name(d.name.into());
        a.set_summary(d.summary.into());
        a.set_iisda(d.iisda.into());
        a.set_documents(texts(&d.documents));
        a.set_tiers(list(
            d.tiers
                .into_iter()
                .map(|t| TierRow {
                    name: t.name.into(),
                    fee: t.fee.into(),
                    deadline: t.deadline.into(),
                    spoken: t.spoken.into(),
                })
                .collect(),
        ));
        a.set_where_to_apply(d.where_to_apply.into());
        a.set_notes("".into());
    }
}

fn items(services: &[Item]) -> slint::ModelRc<ServiceItem> {
    list(
        services
            .iter()
            .map(|s| ServiceItem {
                id: s.id.as_str().into(),
                name: s.name.as_str().into(),
            })
            .collect(),
    )
}
