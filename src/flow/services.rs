//! Services: the groups, a group's list (or all services), a search by a
//! few letters and one service in full. The draft is which group, what
//! was typed and which service is open; it lasts until home.

use std::cell::RefCell;
use std::rc::Rc;

use super::edit::{backspace, push_key};
use super::kiosk::Kiosk;
use super::outlet::{Event, Outlet, Part};
use super::router::{Page, ServicesStep};
use super::visit::Prefs;
use crate::domain::Lang;
use crate::domain::catalogue::Service;
use crate::domain::service_text;

/// Longest search text: a few letters are enough.
pub const QUERY_MAX: usize = 40;

#[derive(Debug, Default, Clone)]
struct Draft {
    /// The group on the list page; `None`: all services.
    group: Option<usize>,
    query: String,
    service: Option<String>,
}

/// A group's button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    pub name: String,
    pub count: usize,
}

/// A service in a list: id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceItem {
    pub id: String,
    pub name: String,
}

/// A tier's row on the detail page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierView {
    pub name: String,
    pub fee: String,
    pub deadline: String,
    pub spoken: String,
}

/// One service in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailView {
    pub name: String,
    pub summary: String,
    pub iisda: String,
    pub documents: Vec<String>,
    pub tiers: Vec<TierView>,
    pub where_to_apply: String,
}

/// Everything the services pages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicesView {
    pub groups: Vec<GroupView>,
    pub list_title: String,
    pub list: Vec<ServiceItem>,
    pub query: String,
    pub results_text: String,
    pub results: Vec<ServiceItem>,
    pub detail: Option<DetailView>,
}

/// The services flow.
pub struct ServicesFlow {
    kiosk: Rc<dyn Kiosk>,
    outlet: Rc<Outlet>,
    prefs: Rc<Prefs>,
    draft: RefCell<Draft>,
}

impl ServicesFlow {
    pub fn new(kiosk: Rc<dyn Kiosk>, outlet: Rc<Outlet>, prefs: Rc<Prefs>) -> Rc<ServicesFlow> {
        Rc::new(ServicesFlow {
            kiosk,
            outlet,
            prefs,
            draft: RefCell::default(),
        })
    }

    /// Forgets the group, the search and the open service.
    pub fn reset(&self) {
        *self.draft.borrow_mut() = Draft::default();
        self.changed();
    }

    /// A group's list (`None`: all services).
    pub fn open_group(&self, group: Option<usize>) {
        self.draft.borrow_mut().group = group;
        self.changed();
        self.outlet
            .emit(Event::Go(Page::Services(ServicesStep::List)));
    }

    /// One service in full.
    pub fn open_service(&self, id: &str) {
        self.draft.borrow_mut().service = Some(id.to_owned());
        self.changed();
        self.outlet
            .emit(Event::Go(Page::Services(ServicesStep::Detail)));
    }

    /// A key of the search keyboard.
    pub fn type_key(&self, key: &str) {
        push_key(&mut self.draft.borrow_mut().query, key, QUERY_MAX);
        self.changed();
    }

    pub fn backspace(&self) {
        backspace(&mut self.draft.borrow_mut().query);
        self.changed();
    }

    fn changed(&self) {
        self.outlet.emit(Event::Changed(Part::Services));
    }

    /// The pages' contents in the visitor's language.
    pub fn view(&self) -> ServicesView {
        let lang = self.prefs.lang();
        let c = self.kiosk.config();
        let draft = self.draft.borrow().clone();
        let groups = c
            .service_groups
            .iter()
            .map(|g| GroupView {
                name: g.name.get(lang).clone(),
                count: c.services.iter().filter(|s| s.group == g.id).count(),
            })
            .collect();
        let group = draft.group.and_then(|i| c.service_groups.get(i));
        let list = c
            .services
            .iter()
            .filter(|s| group.is_none_or(|g| s.group == g.id))
            .map(|s| item(s, lang))
            .collect();
        let results: Vec<ServiceItem> = if draft.query.trim().is_empty() {
            Vec::new()
        } else {
            c.services
                .iter()
                .filter(|s| s.matches(&draft.query))
                .map(|s| item(s, lang))
                .collect()
        };
        let detail = draft
            .service
            .as_deref()
            .and_then(|id| c.services.iter().find(|s| s.id == id))
            .map(|s| self.detail(s, lang));
        ServicesView {
            groups,
            list_title: group.map_or_else(
                || service_text::all_services(lang).to_owned(),
                |g| g.name.get(lang).clone(),
            ),
            list,
            results_text: service_text::search_result(&draft.query, results.len(), lang),
            query: draft.query,
            results,
            detail,
        }
    }

    fn detail(&self, s: &Service, lang: Lang) -> DetailView {
        let desk = self.kiosk.config().desks.iter().find(|d| d.id == s.desk);
        DetailView {
            name: s.name.get(lang).clone(),
            summary: s.summary.get(lang).clone(),
            iisda: s.iisda.map(|n| n.to_string()).unwrap_or_default(),
            documents: service_text::documents(s.documents.get(lang), lang),
            tiers: s
                .tiers()
                .map(|(kind, tier)| TierView {
                    name: kind.name(lang).to_owned(),
                    fee: service_text::fee(&tier, lang),
                    deadline: service_text::deadline(tier.deadline, lang),
                    spoken: service_text::spoken_tier(kind, &tier, lang),
                })
                .collect(),
            where_to_apply: desk
                .map(|d| format!("{}, {}", d.name.get(lang), d.location.get(lang)))
                .unwrap_or_default(),
        }
    }
}

fn item(s: &Service, lang: Lang) -> ServiceItem {
    ServiceItem {
        id: s.id.clone(),
        name: s.name.get(lang).clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::fake::FakeKiosk;

    fn flow() -> (Rc<FakeKiosk>, Rc<Outlet>, Rc<ServicesFlow>) {
        let kiosk = FakeKiosk::new();
        let outlet = Outlet::new();
        let prefs = Prefs::new(kiosk.config());
        let flow = ServicesFlow::new(kiosk.clone(), outlet.clone(), prefs);
        (kiosk, outlet, flow)
    }

    #[test]
    fn a_group_lists_its_services_and_all_lists_every_one() {
        let (kiosk, outlet, flow) = flow();
        let all = kiosk.config().services.len();
        let first = kiosk.config().service_groups[0].clone();
        flow.open_group(Some(0));
        assert!(
            outlet
                .take()
                .contains(&Event::Go(Page::Services(ServicesStep::List)))
        );
        let v = flow.view();
        assert_eq!(v.list_title, first.name.bg);
        assert_eq!(v.list.len(), v.groups[0].count);
        assert!(v.list.len() < all);
        flow.open_group(None);
        let v = flow.view();
        assert_eq!(
            (v.list_title.as_str(), v.list.len()),
            ("Всички услуги", all)
        );
    }

    #[test]
    fn the_search_finds_by_a_few_letters_and_the_detail_shows_fees() {
        let (_, outlet, flow) = flow();
        assert_eq!(
            flow.view().results_text,
            "Напишете няколко букви от името на услугата."
        );
        for k in ["н", "а", "с", "л"] {
            flow.type_key(k);
        }
        let v = flow.view();
        assert!(!v.results.is_empty(), "{v:?}");
        assert!(v.results_text.starts_with("Намерени услуги: "));
        flow.backspace();
        assert_eq!(flow.view().query, "нас");
        let id = v.results[0].id.clone();
        outlet.take();
        flow.open_service(&id);
        assert_eq!(
            outlet.take().last(),
            Some(&Event::Go(Page::Services(ServicesStep::Detail)))
        );
        let detail = flow.view().detail.expect("the service is open");
        assert!(!detail.tiers.is_empty() && !detail.documents.is_empty());
        assert!(detail.tiers[0].deadline.starts_with("Срок: "));
        flow.reset();
        assert_eq!(flow.view().detail, None);
    }

    #[test]
    fn the_search_stops_at_its_length() {
        let (_, _, flow) = flow();
        for _ in 0..QUERY_MAX + 5 {
            flow.type_key("а");
        }
        assert_eq!(flow.view().query.chars().count(), QUERY_MAX);
    }
}
