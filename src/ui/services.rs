//! Services: groups, a group's list, search, and one service in full.

use std::sync::Arc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::domain::Lang;
use crate::domain::catalogue::Service;

use super::app::navigate;
use super::context::Ctx;
use super::edit::{backspace, push_key};
use super::words::tr;
use super::{AppWindow, GroupItem, Screen, ServiceItem, ServicesAdapter, TierRow};

/// Longest search text: a few letters are enough.
const QUERY_MAX: usize = 40;

pub fn connect(w: &AppWindow, ctx: &Arc<Ctx>) {
    let a = w.global::<ServicesAdapter>();
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_open_group(move |i| {
            if let Some(w) = weak.upgrade() {
                ctx.visit().services.group = usize::try_from(i).ok();
                refresh(&w, &ctx);
                navigate(&w, &ctx, Screen::ServiceList);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_open_all(move || {
            if let Some(w) = weak.upgrade() {
                ctx.visit().services.group = None;
                refresh(&w, &ctx);
                navigate(&w, &ctx, Screen::ServiceList);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_open_service(move |id| {
            if let Some(w) = weak.upgrade() {
                ctx.visit().services.service = Some(id.to_string());
                refresh(&w, &ctx);
                navigate(&w, &ctx, Screen::ServiceDetail);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_type_key(move |k| {
            if let Some(w) = weak.upgrade() {
                push_key(&mut ctx.visit().services.query, &k, QUERY_MAX);
                refresh(&w, &ctx);
            }
        });
    }
    {
        let (weak, ctx) = (w.as_weak(), ctx.clone());
        a.on_backspace(move || {
            if let Some(w) = weak.upgrade() {
                backspace(&mut ctx.visit().services.query);
                refresh(&w, &ctx);
            }
        });
    }
}

/// Fills every services screen from the catalogue in the current language.
pub fn refresh(w: &AppWindow, ctx: &Arc<Ctx>) {
    let lang = ctx.lang();
    let c = &ctx.config;
    let (group, query, chosen) = {
        let v = ctx.visit();
        (
            v.services.group,
            v.services.query.clone(),
            v.services.service.clone(),
        )
    };
    let a = w.global::<ServicesAdapter>();

    let groups: Vec<GroupItem> = c
        .service_groups
        .iter()
        .map(|g| GroupItem {
            name: g.name.get(lang).into(),
            count: c.services.iter().filter(|s| s.group == g.id).count() as i32,
        })
        .collect();
    a.set_groups(ModelRc::new(VecModel::from(groups)));

    let in_group = |s: &&Service| match group.and_then(|i| c.service_groups.get(i)) {
        Some(g) => s.group == g.id,
        None => true,
    };
    let title = match group.and_then(|i| c.service_groups.get(i)) {
        Some(g) => g.name.get(lang).to_owned(),
        None => tr(lang, "Всички услуги", "All services").to_owned(),
    };
    a.set_list_title(title.into());
    a.set_services(items(c.services.iter().filter(in_group), lang));

    a.set_query(query.as_str().into());
    let found: Vec<&Service> = if query.trim().is_empty() {
        Vec::new()
    } else {
        c.services.iter().filter(|s| s.matches(&query)).collect()
    };
    let results_text = match (query.trim().is_empty(), found.len(), lang) {
        (true, _, Lang::Bg) => "Напишете няколко букви от името на услугата.".to_owned(),
        (true, _, Lang::En) => "Type a few letters of the service's name.".to_owned(),
        (false, 0, Lang::Bg) => "Няма услуга с такова име. Опитайте с по-малко букви.".to_owned(),
        (false, 0, Lang::En) => "No service has such a name. Try fewer letters.".to_owned(),
        (false, n, Lang::Bg) => format!("Намерени услуги: {n}"),
        (false, n, Lang::En) => format!("Services found: {n}"),
    };
    a.set_results_text(results_text.into());
    a.set_results(items(found.into_iter(), lang));

    if let Some(s) = chosen.and_then(|id| c.services.iter().find(|s| s.id == id)) {
        detail(w, ctx, s, lang);
    }
}

fn items<'a>(services: impl Iterator<Item = &'a Service>, lang: Lang) -> ModelRc<ServiceItem> {
    let v: Vec<ServiceItem> = services
        .map(|s| ServiceItem {
            id: s.id.as_str().into(),
            name: s.name.get(lang).into(),
        })
        .collect();
    ModelRc::new(VecModel::from(v))
}

fn detail(w: &AppWindow, ctx: &Ctx, s: &Service, lang: Lang) {
    let a = w.global::<ServicesAdapter>();
    a.set_name(s.name.get(lang).into());
    a.set_summary(s.summary.get(lang).into());
    a.set_iisda(s.iisda.map(|n| n.to_string()).unwrap_or_default().into());
    let docs: Vec<SharedString> = s
        .documents
        .get(lang)
        .iter()
        .map(|d| d.as_str().into())
        .collect();
    let docs = if docs.is_empty() {
        vec![tr(lang, "Не са нужни документи.", "No documents are needed.").into()]
    } else {
        docs
    };
    a.set_documents(ModelRc::new(VecModel::from(docs)));
    let tiers: Vec<TierRow> = s
        .tiers()
        .map(|(kind, tier)| TierRow {
            name: kind.name(lang).into(),
            fee: if tier.fee_eur.cents() == 0 {
                tr(lang, "без такса", "free of charge").into()
            } else {
                tier.fee_eur.display(lang).into()
            },
            deadline: match lang {
                Lang::Bg => format!("Срок: {}", tier.deadline.describe(lang)),
                Lang::En => format!("Deadline: {}", tier.deadline.describe(lang)),
            }
            .into(),
            spoken: spoken_tier(kind.name(lang), tier.fee_eur, tier.deadline, lang).into(),
        })
        .collect();
    a.set_tiers(ModelRc::new(VecModel::from(tiers)));
    let desk = ctx.config.desks.iter().find(|d| d.id == s.desk);
    let where_text = match desk {
        Some(d) => format!("{}, {}", d.name.get(lang), d.location.get(lang)),
        None => String::new(),
    };
    a.set_where_to_apply(where_text.into());
    a.set_notes("".into());
}

/// A fee row as it is said: amounts and counts in words.
fn spoken_tier(
    name: &str,
    fee: crate::domain::money::Euro,
    deadline: crate::domain::catalogue::Deadline,
    lang: Lang,
) -> String {
    use crate::domain::spoken;
    match lang {
        Lang::Bg => format!(
            "{name}: такса {}, срок {}",
            spoken::fee(fee, lang),
            spoken::deadline(deadline, lang)
        ),
        Lang::En => format!(
            "{name}: fee {}, deadline {}",
            spoken::fee(fee, lang),
            spoken::deadline(deadline, lang)
        ),
    }
}
