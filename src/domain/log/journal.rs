//! A ledger together with its whole log in memory: what storage keeps, as the
//! reference that tests, tools and the in-memory store fold against. Adding
//! an edit folds it, or folds the whole log again when the ledger asks.

use crate::domain::log::edit::{Edit, Entry};
use crate::domain::log::ledger::{Added, Ledger};
use crate::domain::order::sorted;
use crate::domain::vocab::project::Project;
use std::ops::Deref;

pub struct Journal {
    registry: Vec<Project>,
    entries: Vec<Entry>,
    ledger: Ledger,
}

impl Journal {
    pub fn new<E: Into<Entry>>(
        registry: Vec<Project>,
        entries: impl IntoIterator<Item = E>,
    ) -> Journal {
        let mut journal = Journal {
            ledger: Ledger::new(registry.clone(), Vec::<Entry>::new()),
            registry,
            entries: Vec::new(),
        };
        journal.add_all(entries);
        journal
    }

    /// Adds an entry; false when one with its id is held.
    pub fn add(&mut self, entry: impl Into<Entry>) -> bool {
        let entry = entry.into();
        let added = self.ledger.add(entry.clone());
        if added == Added::Known {
            return false;
        }
        self.entries.push(entry);
        self.settle(added);
        true
    }

    /// What the ledger asked for after an add: its stale projects, or the
    /// whole log, folded again from the entries held.
    fn settle(&mut self, added: Added) {
        match added {
            Added::Refold => {
                self.ledger = Ledger::new(self.registry.clone(), self.entries.iter().cloned());
            }
            Added::Stale => {
                let now = self.ledger.read_mark();
                self.ledger.refold_stale(self.entries.clone(), now);
                debug_assert_eq!(
                    self.ledger.stale_count(),
                    0,
                    "the journal holds every entry"
                );
            }
            Added::Known | Added::Folded => {}
        }
    }

    /// Adds many entries; returns how many were new.
    pub fn add_all<E: Into<Entry>>(&mut self, entries: impl IntoIterator<Item = E>) -> usize {
        let fresh: Vec<Entry> = entries
            .into_iter()
            .map(Into::into)
            .filter(|e| !self.ledger.contains_edit(e.id()))
            .collect();
        let mut unique: Vec<Entry> = Vec::with_capacity(fresh.len());
        for entry in fresh {
            if !unique.iter().any(|u| u.id() == entry.id()) {
                unique.push(entry);
            }
        }
        let added = self.ledger.add_all(unique.clone());
        self.entries.extend(unique.iter().cloned());
        self.settle(added);
        unique.len()
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Every entry held, in the order it arrived.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// One subject's edits, newest first.
    pub fn history(&self, subject_id: &str) -> Vec<&Edit> {
        history_of(&self.entries, subject_id)
    }
}

impl Deref for Journal {
    type Target = Ledger;

    fn deref(&self) -> &Ledger {
        &self.ledger
    }
}

/// A subject's edits among `entries`, newest first (fold order, reversed).
pub fn history_of<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    subject_id: &str,
) -> Vec<&'a Edit> {
    let edits: Vec<&Edit> = entries
        .into_iter()
        .filter_map(|e| match e {
            Entry::Edit(edit) if edit.subject.id() == subject_id => Some(edit),
            _ => None,
        })
        .collect();
    sorted(edits, &|a, b| b.order_key().cmp(&a.order_key()))
}
