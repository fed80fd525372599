//! What a registry copy holds and where it goes on the page.
//!
//! The copy is the paper the registry desk files: everything the filer
//! gave, what the kiosk noticed, the due date and how it was counted, and
//! room for the incoming number, the date and the signature of whoever
//! received it. Its values arrive as finished words (dates formatted, the
//! category named, an ЕГН masked) from the same view the complaint's page
//! shows, so the page and the paper never disagree.

use super::layout::{BODY, Flow, Weight};
use crate::i18n::Strings;

/// One complaint as its registry copy shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryCopy {
    /// The municipality's name for the heading ("Община Ковачевци").
    pub municipality: String,
    /// The receipt number, `KV1-2026-000042`.
    pub number: String,
    pub check_code: String,
    /// The type in words ("Жалба").
    pub kind: String,
    /// The category in words.
    pub category: String,
    pub kiosk: String,
    /// Date and time of filing, `23.11.2026 10:45`.
    pub filed: String,
    /// Said when the kiosk's clock was not synchronised.
    pub clock_note: Option<String>,
    /// The due date, `23.12.2026`, or words saying there is none.
    pub due: String,
    /// How the due date was counted, one step a line.
    pub due_how: Vec<String>,
    /// The latest status in words.
    pub status: String,
    /// The filer's text, as given (an ЕГН masked).
    pub text: String,
    pub anonymous: bool,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// The kiosk's flags in words.
    pub flags: Vec<String>,
    /// Empty until registered: the copy then has lines to fill by hand.
    pub registry_number: String,
    pub registered_on: String,
}

/// Lays out `copy` from the current page on.
pub fn lay_out(flow: &mut Flow<'_>, copy: &RegistryCopy, t: &Strings) {
    flow.paragraph(&copy.municipality, 15.0, Weight::Bold);
    flow.paragraph(
        &format!("{} · {}", t.desk, t.copy_title),
        BODY,
        Weight::Regular,
    );
    flow.rule();
    flow.gap(4.0);
    flow.paragraph(
        &format!("{} {}", copy.kind, copy.number),
        17.0,
        Weight::Bold,
    );
    flow.gap(6.0);
    flow.set_running_head(&format!("{} {} · {}", copy.kind, copy.number, t.continued));

    flow.field_bold(t.number, &copy.number);
    if !copy.check_code.is_empty() {
        flow.field(t.check_code, &copy.check_code);
    }
    flow.field(t.ctype, &copy.kind);
    flow.field(t.category, &copy.category);
    flow.field(t.kiosk, &copy.kiosk);
    flow.field(t.filed, &copy.filed);
    if let Some(note) = &copy.clock_note {
        flow.field("", note);
    }
    flow.field_bold(t.due, &copy.due);
    if !copy.due_how.is_empty() {
        flow.field(t.due_how, &copy.due_how.join("\n"));
    }
    flow.field(t.status, &copy.status);
    let flags = if copy.flags.is_empty() {
        t.none.to_owned()
    } else {
        copy.flags.join("\n")
    };
    flow.field(t.flags, &flags);

    flow.section(t.filer);
    if copy.anonymous {
        flow.field(t.name, t.anonymous);
    } else {
        flow.field(t.name, or_dash(&copy.name));
        flow.field(t.address, or_dash(&copy.address));
        flow.field(t.phone, or_dash(&copy.phone));
        flow.field(t.email, or_dash(&copy.email));
    }

    flow.section(t.text);
    flow.paragraph(&copy.text, BODY, Weight::Regular);

    flow.section(t.registry_entry);
    if copy.registry_number.is_empty() {
        flow.blank(t.registry_number, 0.6);
        flow.blank(t.registered_on, 0.6);
    } else {
        flow.field_bold(t.registry_number, &copy.registry_number);
        flow.field(t.registered_on, &copy.registered_on);
    }
    flow.gap(10.0);
    flow.blank(t.received_by, 1.0);
    flow.blank(t.signature, 0.6);
    flow.blank(t.date, 0.6);
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { "—" } else { s }
}
