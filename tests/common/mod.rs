//! Shared by the native tests: a ledger of the shipped registry plus some edits.

use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Change, Edit, Ledger};

/// The shipped registry with `changes` applied in order, one edit each (time = position).
pub fn ledger_with(changes: Vec<(&str, Change)>) -> Ledger {
    let edits = changes
        .into_iter()
        .enumerate()
        .map(|(n, (project, change))| Edit {
            id: format!("t:{n}"),
            device: "d".into(),
            project: project.into(),
            at: n as i64,
            change,
        })
        .collect();
    Ledger::new(shipped(), edits)
}
