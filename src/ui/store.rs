//! The store: the folded ledger, read-only to every screen, and the only way
//! to change it. Each change is checked, made an edit, stored and folded in;
//! a refused one changes nothing and says why.

use super::browser::commit_focused_field;
use crate::domain::edit::{EditId, Entry};
use crate::domain::stored::Problem;
use crate::domain::validate::{check_batch, InputError};
use crate::domain::{registry, Change, Ledger};
use crate::storage;
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;

/// The app's state, shared by context. Copy, because it holds only handles.
#[derive(Clone, Copy)]
pub struct Store {
    ledger: RwSignal<Ledger>,
    /// The latest failed write; cleared by the next write that succeeds.
    write_problem: RwSignal<Option<Problem>>,
    /// Projects picked in the list for a bulk action.
    pub selected: RwSignal<std::collections::BTreeSet<String>>,
    device: StoredValue<String>,
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}

impl Store {
    /// The folded ledger. Screens read it; only the methods below change it.
    pub fn ledger(&self) -> ReadSignal<Ledger> {
        self.ledger.read_only()
    }

    /// The latest failed write, for the banner.
    pub fn write_problem(&self) -> ReadSignal<Option<Problem>> {
        self.write_problem.read_only()
    }

    /// Validates a change against its subject as it is now, then appends it
    /// to the log and stores it. A refused change changes nothing.
    pub fn change(&self, subject: &str, change: Change) -> Result<(), InputError> {
        self.change_all(vec![(subject.to_owned(), change)])
            .map(|_| ())
    }

    /// Several changes as one action: all are checked first (`check_batch`,
    /// each against its project as the earlier ones leave it), and only then
    /// are all stored. One refused change refuses them all.
    pub fn change_all(&self, changes: Vec<(String, Change)>) -> Result<usize, InputError> {
        self.ledger
            .with_untracked(|l| check_batch(l, &changes))
            .map_err(|(_, e)| e)?;
        let edits = self.ledger.with_untracked(|l| {
            l.prepare_all(
                storage::next_edit_id,
                &self.device.get_value(),
                changes,
                now(),
            )
        });
        let count = edits.len();
        let saved = storage::save_all(edits.clone());
        self.ledger.update(|l| {
            if edits.len() == 1 {
                // One local edit is the newest: folded alone, not as a batch.
                l.add(edits.into_iter().next().expect("one edit"));
            } else {
                l.add_all(edits);
            }
        });
        self.report(saved);
        Ok(count)
    }

    /// Edits from another device (a bundle): kept with their own ids, so
    /// importing the same bundle again adds nothing. Returns how many were new.
    #[must_use]
    pub fn import(&self, entries: Vec<Entry>) -> usize {
        let fresh: Vec<Entry> = self.ledger.with_untracked(|l| {
            entries
                .into_iter()
                .filter(|e| !l.contains_edit(e.id()))
                .collect()
        });
        if fresh.is_empty() {
            return 0;
        }
        let saved = storage::save_all(fresh.clone());
        let mut added = 0;
        self.ledger.update(|l| added = l.add_all(fresh));
        self.report(saved);
        added
    }

    /// Another tab stored these: fold them in (already stored, nothing to write).
    fn take_stored(&self, entries: Vec<Entry>) {
        if !entries.is_empty() {
            self.ledger.update(|l| {
                l.add_all(entries);
            });
        }
    }

    pub fn device(&self) -> String {
        self.device.get_value()
    }

    /// A fresh id for a user-added project.
    pub fn new_project_id(&self) -> String {
        format!("u-{}", id_text(&storage::next_edit_id()))
    }

    /// A fresh id for a person of the roster.
    pub fn new_person_id(&self) -> String {
        format!("person-{}", id_text(&storage::next_edit_id()))
    }

    /// Shows what storage said about a write: a problem in the banner, or
    /// clears it once a write succeeds.
    pub fn report(&self, result: Result<(), Problem>) {
        match result {
            Ok(()) => {
                if self.write_problem.with_untracked(Option::is_some) {
                    self.write_problem.set(None);
                }
            }
            // Shown once from start-up already.
            Err(Problem::Unavailable | Problem::Newer) => {}
            Err(problem) => self.write_problem.set(Some(problem)),
        }
    }
}

/// An edit id as part of another id (`w:5` → `w-5`).
fn id_text(id: &EditId) -> String {
    format!("{}-{}", id.writer, id.seq)
}

/// Opens storage, shares the `Store` by context and keeps it in step with
/// other tabs and the page's life cycle. Both apps (field and office) start here.
pub(crate) fn start_store() -> Vec<Problem> {
    let loaded = storage::open();
    let store = Store {
        ledger: RwSignal::new(Ledger::new(registry::shipped(), loaded.entries)),
        write_problem: RwSignal::new(None),
        selected: RwSignal::new(Default::default()),
        device: StoredValue::new(loaded.device),
    };
    provide_context(store);
    // Another tab stored edits: fold them in here too. Each tab writes only its
    // own segments, so nothing is overwritten; the fold orders every edit.
    // Listeners and the retry timer live as long as the page: their handles go unused.
    let _ = window_event_listener(ev::storage, move |event| {
        if let Some(key) = event.key() {
            store.take_stored(storage::edits_from_other_tab(&key, event.new_value()));
        }
    });
    let _ = window_event_listener(ev::visibilitychange, move |_| {
        if document().hidden() {
            commit_focused_field();
            store.report(storage::flush());
        }
    });
    let _ = window_event_listener(ev::pagehide, move |_| {
        commit_focused_field();
        store.report(storage::flush());
    });
    let _ = set_interval_with_handle(
        move || {
            if storage::has_queued() {
                store.report(storage::flush());
            }
        },
        Duration::from_secs(2),
    );
    loaded.problems
}
