//! A controller's draft and its generation.
//!
//! Every fresh start makes a new generation; an answer from the kiosk
//! carries the generation it was asked for, and one for an older draft
//! (the visitor went home, the visit timed out) is recognised and left
//! alone instead of landing on the next visitor's form.

use std::cell::{Cell, Ref, RefCell, RefMut};

/// A draft that can start afresh.
#[derive(Debug, Default)]
pub struct Fresh<D> {
    draft: RefCell<D>,
    generation: Cell<u64>,
}

impl<D: Default> Fresh<D> {
    /// Forgets the draft: a new generation with an empty one.
    pub fn restart(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        *self.draft.borrow_mut() = D::default();
    }

    /// The generation now, to give to a request.
    pub fn generation(&self) -> u64 {
        self.generation.get()
    }

    /// Whether an answer asked for in `generation` is for this draft.
    pub fn is_current(&self, generation: u64) -> bool {
        generation == self.generation.get()
    }

    pub fn borrow(&self) -> Ref<'_, D> {
        self.draft.borrow()
    }

    pub fn borrow_mut(&self) -> RefMut<'_, D> {
        self.draft.borrow_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restart_empties_the_draft_and_outdates_older_answers() {
        let f: Fresh<String> = Fresh::default();
        f.borrow_mut().push('a');
        let asked = f.generation();
        assert!(f.is_current(asked));
        f.restart();
        assert_eq!(*f.borrow(), "");
        assert!(!f.is_current(asked));
    }
}
