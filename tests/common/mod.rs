//! Shared by the native tests: a ledger of the shipped registry plus some edits.
#![allow(dead_code)]

use project_ledger::domain::edit::Subject;
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Change, Edit, Ledger};

/// An edit as the first release wrote it (format 1: no record of what it
/// replaces, so it replaces whatever came before it in time).
pub fn legacy_edit(id: &str, device: &str, subject: &str, at: i64, change: Change) -> Edit {
    Edit {
        id: id.parse().expect("a writer:seq id"),
        device: device.into(),
        subject: Subject::of(subject, &change),
        at,
        replaces: None,
        made_by: None,
        change,
    }
}

/// The shipped registry with `changes` applied in order, one edit each (time = position).
pub fn ledger_with(changes: Vec<(&str, Change)>) -> Ledger {
    let edits: Vec<Edit> = changes
        .into_iter()
        .enumerate()
        .map(|(n, (project, change))| {
            legacy_edit(&format!("t:{n}"), "d", project, n as i64, change)
        })
        .collect();
    Ledger::new(shipped(), edits)
}

/// A roster entry: `name` in `role`, of 海城市 unless a city leader.
pub fn person(name: &str, role: project_ledger::domain::people::Role) -> Change {
    use project_ledger::domain::people::{PersonDetails, Role};
    Change::SavePerson(PersonDetails {
        name: name.into(),
        role,
        district: (role != Role::CityLeader).then_some(project_ledger::domain::District::Haicheng),
        unit: String::new(),
        phone: String::new(),
        login: String::new(),
    })
}
