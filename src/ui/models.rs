//! Turning the flows' plain lists into Slint models and structs.

use slint::{ModelRc, SharedString, VecModel};

use super::Choice;

/// A list as a Slint model.
pub fn list<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

/// Texts as a Slint model.
pub fn texts(items: &[String]) -> ModelRc<SharedString> {
    list(items.iter().map(|s| s.as_str().into()).collect())
}

/// Choices as a Slint model.
pub fn choices(items: &[crate::flow::Choice]) -> ModelRc<Choice> {
    list(
        items
            .iter()
            .map(|c| Choice {
                id: c.id.as_str().into(),
                name: c.name.as_str().into(),
                selected: c.selected,
            })
            .collect(),
    )
}

/// A staff result box's kind and text ("" and "" when there is none).
pub fn outcome(o: &Option<crate::flow::staff::Outcome>) -> (&'static str, String) {
    o.as_ref()
        .map_or(("", String::new()), |o| (o.kind, o.text.clone()))
}
