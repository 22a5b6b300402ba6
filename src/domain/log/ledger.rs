//! The edit log and its fold: registry + edits → the projects every screen shows.
//!
//! Edits are ordered by (time, edit id). Applying them in that order is a
//! last-writer-wins register per field, so any device that holds the same set
//! of edits shows the same state, whatever order they arrived in.

use crate::domain::log::edit::{Change, Edit, CAMPAIGN_SUBJECT};
use crate::domain::vocab::fieldwork::{Blocker, CampaignSettings};
use crate::domain::vocab::people::{Person, Role};
use crate::domain::vocab::project::{ClusterBy, Origin, ProcedureState, Project};
use std::collections::{HashMap, HashSet};

/// Edits in fold order: time, then edit id.
fn sort_edits(edits: &mut [Edit]) {
    edits.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
}

/// Applies one change to one project.
pub(crate) fn apply_change(project: &mut Project, change: &Change) {
    match change {
        Change::Create { .. }
        | Change::Remove
        | Change::Reset
        | Change::SavePerson(_)
        | Change::RemovePerson { .. }
        | Change::Assign(_)
        | Change::Unassign(_)
        | Change::Responsible(_)
        | Change::AddRecord(_)
        | Change::OpenBlocker(_)
        | Change::ResolveBlocker { .. }
        | Change::CampaignSettings(_) => {}
        Change::Campaign(v) => project.in_campaign = *v,
        Change::Name(v) => project.name = v.clone(),
        Change::Owner(v) => project.owner = v.clone(),
        Change::Scale(v) => project.scale = v.clone(),
        Change::Notes(v) => project.notes = v.clone(),
        Change::Cluster(v) => {
            project.cluster = *v;
            project.cluster_by = v.map(|_| ClusterBy::User);
        }
        Change::Stage(v) => project.stage = *v,
        Change::Procedure {
            procedure,
            done,
            date,
        } => {
            project.procedures[*procedure as usize] = ProcedureState {
                done: *done,
                date: *date,
            };
        }
        Change::SignedOn(v) => project.signed_on = *v,
        Change::PlannedStart(v) => project.planned_start = *v,
        Change::ActualStart(v) => project.actual_start = *v,
        Change::InvestmentWan(v) => project.investment_wan = *v,
    }
}

/// The role of a person on the roster, or `None` when unknown or removed.
fn person_role(
    people: &[(Person, bool)],
    index: &HashMap<String, usize>,
    id: &str,
) -> Option<Role> {
    let (person, removed) = &people[*index.get(id)?];
    (!removed).then_some(person.details.role)
}

fn assign(
    project: &mut Project,
    person: &str,
    role: Role,
    people: &[(Person, bool)],
    index: &HashMap<String, usize>,
) {
    if role == Role::CityLeader {
        // One lead city leader per project.
        project
            .stewards
            .retain(|s| person_role(people, index, s) != Some(Role::CityLeader));
    }
    if !project.stewards.iter().any(|s| s == person) {
        project.stewards.push(person.to_owned());
    }
}

fn unassign(project: &mut Project, person: &str) {
    project.stewards.retain(|s| s != person);
    if project.responsible.as_deref() == Some(person) {
        project.responsible = None;
    }
}

struct Slot {
    project: Project,
    removed: bool,
}

/// Registry + edit log, folded. The only way to change it is to add an edit.
pub struct Ledger {
    registry: Vec<Project>,
    edits: Vec<Edit>,
    seen: HashSet<String>,
    slots: Vec<Slot>,
    index: HashMap<String, usize>,
    /// The roster, in order of creation; removed people stay as `None`-marked entries.
    people: Vec<(Person, bool)>,
    people_index: HashMap<String, usize>,
    /// Counts accepted edits, so derived data can tell cheaply whether it is stale.
    version: u64,
    campaign: CampaignSettings,
}

impl Ledger {
    pub fn new(registry: Vec<Project>, edits: Vec<Edit>) -> Ledger {
        let mut ledger = Ledger {
            registry,
            edits: Vec::with_capacity(edits.len()),
            seen: HashSet::with_capacity(edits.len()),
            slots: Vec::new(),
            index: HashMap::new(),
            people: Vec::new(),
            people_index: HashMap::new(),
            version: 0,
            campaign: CampaignSettings::default(),
        };
        for edit in edits {
            if ledger.seen.insert(edit.id.clone()) {
                ledger.edits.push(edit);
            }
        }
        sort_edits(&mut ledger.edits);
        ledger.refold();
        ledger
    }

    /// Adds an edit. Returns false when the ledger already holds one with that id,
    /// which makes importing the same edits twice a no-op.
    pub fn add(&mut self, edit: Edit) -> bool {
        if !self.seen.insert(edit.id.clone()) {
            return false;
        }
        self.version += 1;
        let in_order = self
            .edits
            .last()
            .is_none_or(|last| last.order_key() < edit.order_key());
        if in_order {
            // The common case (a local edit is the newest): fold just this one.
            self.fold_one(&edit);
            self.edits.push(edit);
        } else {
            let at = self
                .edits
                .partition_point(|e| e.order_key() < edit.order_key());
            self.edits.insert(at, edit);
            self.refold();
        }
        true
    }

    /// Adds many edits (a bundle, a restore, another tab's segment), folding
    /// once. Returns how many were new.
    pub fn add_all(&mut self, edits: impl IntoIterator<Item = Edit>) -> usize {
        let before = self.edits.len();
        let newest = self.edits.last().map(|e| (e.at, e.id.clone()));
        for edit in edits {
            if self.seen.insert(edit.id.clone()) {
                self.edits.push(edit);
            }
        }
        let added = self.edits.len() - before;
        if added == 0 {
            return 0;
        }
        self.version += added as u64;
        let in_order = self.edits[before..]
            .windows(2)
            .all(|w| w[0].order_key() < w[1].order_key())
            && newest
                .as_ref()
                .is_none_or(|(at, id)| (*at, id.as_str()) < self.edits[before].order_key());
        if in_order {
            let fresh: Vec<Edit> = self.edits[before..].to_vec();
            for edit in &fresh {
                self.fold_one(edit);
            }
        } else {
            sort_edits(&mut self.edits);
            self.refold();
        }
        added
    }

    fn refold(&mut self) {
        self.slots = self
            .registry
            .iter()
            .map(|p| Slot {
                project: p.clone(),
                removed: false,
            })
            .collect();
        self.people.clear();
        self.people_index.clear();
        self.campaign = CampaignSettings::default();
        self.index = self
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.project.id.clone(), i))
            .collect();
        let edits = std::mem::take(&mut self.edits);
        for edit in &edits {
            self.fold_one(edit);
        }
        self.edits = edits;
    }

    fn fold_one(&mut self, edit: &Edit) {
        if let Change::CampaignSettings(settings) = &edit.change {
            if edit.project == CAMPAIGN_SUBJECT {
                self.campaign = *settings;
            }
            return;
        }
        if edit.change.is_about_person() {
            self.fold_person(edit);
            return;
        }
        if let Change::Create { name, district } = &edit.change {
            if !self.index.contains_key(&edit.project) {
                let mut project =
                    Project::new_user_added(edit.project.clone(), name.clone(), *district);
                project.changed_at = Some(edit.at);
                self.index.insert(edit.project.clone(), self.slots.len());
                self.slots.push(Slot {
                    project,
                    removed: false,
                });
            }
            return;
        }
        let Some(&i) = self.index.get(&edit.project) else {
            return;
        };
        let slot = &mut self.slots[i];
        if slot.removed {
            return;
        }
        match (&edit.change, slot.project.origin) {
            (Change::Remove, Origin::UserAdded) => slot.removed = true,
            (Change::Remove, Origin::Registry) | (Change::Reset, Origin::UserAdded) => return,
            (Change::Reset, Origin::Registry) => {
                // Stewardship and field work are this ledger's own records, not shipped values: they stay.
                let mut reset = self.registry[i].clone();
                let p = &mut slot.project;
                reset.stewards = std::mem::take(&mut p.stewards);
                reset.responsible = p.responsible.take();
                reset.records = std::mem::take(&mut p.records);
                reset.blockers = std::mem::take(&mut p.blockers);
                reset.in_campaign = p.in_campaign;
                *p = reset;
            }
            (Change::AddRecord(record), _) => {
                slot.project.records.push((edit.id.clone(), record.clone()));
            }
            (Change::OpenBlocker(blocker), _) => slot.project.blockers.push(Blocker {
                id: edit.id.clone(),
                opened_as: blocker.clone(),
                resolved: None,
            }),
            (
                Change::ResolveBlocker {
                    blocker,
                    resolved,
                    how,
                },
                _,
            ) => {
                // The latest resolution wins, like any field.
                let Some(b) = slot.project.blockers.iter_mut().find(|b| b.id == *blocker) else {
                    return;
                };
                b.resolved = Some((*resolved, how.clone()));
            }
            (Change::Assign(person), _) => {
                let Some(role) = person_role(&self.people, &self.people_index, person) else {
                    return;
                };
                assign(
                    &mut slot.project,
                    person,
                    role,
                    &self.people,
                    &self.people_index,
                );
            }
            (Change::Unassign(person), _) => unassign(&mut slot.project, person),
            (Change::Responsible(person), _) => {
                let fits = person.as_ref().is_none_or(|p| {
                    slot.project.stewards.contains(p)
                        && person_role(&self.people, &self.people_index, p)
                            == Some(Role::ServiceTeam)
                });
                if !fits {
                    return;
                }
                slot.project.responsible = person.clone();
            }
            (change, _) => apply_change(&mut slot.project, change),
        }
        slot.project.changed_at = Some(edit.at);
    }

    fn fold_person(&mut self, edit: &Edit) {
        let id = &edit.project;
        match &edit.change {
            Change::SavePerson(details) => match self.people_index.get(id) {
                Some(&i) if self.people[i].1 => {} // removed people stay removed
                Some(&i) => self.people[i].0.details = details.clone(),
                None => {
                    self.people_index.insert(id.clone(), self.people.len());
                    self.people.push((
                        Person {
                            id: id.clone(),
                            details: details.clone(),
                        },
                        false,
                    ));
                }
            },
            Change::RemovePerson { reassign_to } => {
                let Some(&i) = self.people_index.get(id) else {
                    return;
                };
                if self.people[i].1 {
                    return;
                }
                self.people[i].1 = true;
                let heir = reassign_to.as_ref().filter(|h| *h != id).and_then(|h| {
                    person_role(&self.people, &self.people_index, h).map(|role| (h.clone(), role))
                });
                for slot in self
                    .slots
                    .iter_mut()
                    .filter(|s| s.project.stewards.contains(id))
                {
                    let was_responsible = slot.project.responsible.as_ref() == Some(id);
                    unassign(&mut slot.project, id);
                    if let Some((heir, role)) = &heir {
                        assign(
                            &mut slot.project,
                            heir,
                            *role,
                            &self.people,
                            &self.people_index,
                        );
                        if was_responsible && *role == Role::ServiceTeam {
                            slot.project.responsible = Some(heir.clone());
                        }
                    }
                    slot.project.changed_at = Some(edit.at);
                }
            }
            _ => {}
        }
    }

    /// Registry projects in shipped order, then user-added ones in order of creation.
    pub fn projects(&self) -> impl Iterator<Item = &Project> {
        self.slots.iter().filter(|s| !s.removed).map(|s| &s.project)
    }

    pub fn project(&self, id: &str) -> Option<&Project> {
        let slot = &self.slots[*self.index.get(id)?];
        (!slot.removed).then_some(&slot.project)
    }

    pub fn shipped(&self, id: &str) -> Option<&Project> {
        self.registry.iter().find(|p| p.id == id)
    }

    /// Every edit of one project, newest first.
    pub fn history<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Edit> + 'a {
        self.edits.iter().rev().filter(move |e| e.project == id)
    }

    /// Every edit held, oldest first.
    pub fn history_all(&self) -> impl Iterator<Item = &Edit> {
        self.edits.iter()
    }

    pub fn history_len(&self, id: &str) -> usize {
        self.history(id).count()
    }

    /// The time to give a new local edit: now, unless an edit already held is
    /// newer (another device's clock ahead of ours); a person's latest action
    /// must win over what they are looking at.
    pub fn stamp(&self, now: i64) -> i64 {
        self.edits
            .last()
            .map_or(now, |newest| now.max(newest.at + 1))
    }

    /// The roster: people not removed, in order of creation.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.people
            .iter()
            .filter(|(_, removed)| !removed)
            .map(|(p, _)| p)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        let (person, removed) = &self.people[*self.people_index.get(id)?];
        (!removed).then_some(person)
    }

    /// A person's name, also after removal (history still names them).
    pub fn person_name(&self, id: &str) -> Option<&str> {
        self.people_index
            .get(id)
            .map(|&i| self.people[i].0.details.name.as_str())
    }

    /// The names of a project's stewards, in order of assignment.
    pub fn steward_names<'a>(&'a self, project: &'a Project) -> Vec<&'a str> {
        project
            .stewards
            .iter()
            .filter_map(|id| self.person(id))
            .map(|p| p.details.name.as_str())
            .collect()
    }

    /// Projects a person stewards.
    pub fn projects_of<'a>(&'a self, person: &'a str) -> impl Iterator<Item = &'a Project> + 'a {
        self.projects()
            .filter(move |p| p.stewards.iter().any(|s| s == person))
    }

    pub fn campaign(&self) -> CampaignSettings {
        self.campaign
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn edit_count(&self) -> usize {
        self.edits.len()
    }

    pub fn contains_edit(&self, id: &str) -> bool {
        self.seen.contains(id)
    }
}
