//! The edit log and its fold: registry + edits → the projects every screen shows.
//!
//! Edits are applied in (time, edit id) order, a last-writer-wins register per
//! field, except that an edit another held edit replaces (its `replaces`, the
//! causal parents) is never applied: a later real edit beats one stamped years
//! ahead that it replaced. Any device that holds the same set of edits shows
//! the same state and lists the same conflicts, whatever order and route they
//! arrived by.
//!
//! A field's *heads* are its edits that no held edit replaces (a format-1 edit
//! or a `Reset` replaces everything before it). One head is the normal case;
//! two with different values are a conflict: neither device saw the other's edit.

use crate::domain::log::edit::{Change, Edit, EditId, Entry, Field, Subject, Unreadable};
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

/// How far ahead of this device's clock an edit's time may be and still move
/// the stamps of this device's own edits forward. An edit further ahead is
/// merged and shown, but listed as a time anomaly, and new local edits keep
/// the real time: one wrong clock cannot poison every device it reaches.
pub const CLOCK_MARGIN_MS: i64 = 24 * 60 * 60 * 1000;

/// Two or more heads of one field with different values: edits that neither
/// device saw before making its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict<'a> {
    pub subject: &'a Subject,
    pub field: Field,
    /// Newest first: `sides[0]` is what the ledger shows, the others what it hides.
    pub sides: Vec<&'a Edit>,
}

/// Registry + edit log, folded. The only way to change it is to add an edit.
pub struct Ledger {
    registry: Vec<Project>,
    /// Every readable edit held, in fold order.
    edits: Vec<Edit>,
    /// Ids of every edit held, readable or not.
    seen: HashSet<EditId>,
    /// Edits this version cannot read, kept verbatim to travel on.
    unreadable: Vec<Unreadable>,
    /// Every edit some held edit replaces.
    replaced: HashSet<EditId>,
    /// Positions in `edits` of each subject's edits, in fold order: the list
    /// of a subject is `by_subject[subjects[id]]` (a map of the same type as
    /// `index`, so the wasm carries one map of strings, not two).
    subjects: HashMap<String, usize>,
    by_subject: Vec<Vec<usize>>,
    slots: Vec<Slot>,
    index: HashMap<String, usize>,
    /// The roster, in order of creation; removed people stay, marked.
    people: Vec<(Person, bool)>,
    people_index: HashMap<String, usize>,
    /// Counts accepted edits, so derived data can tell cheaply whether it is stale.
    version: u64,
    campaign: CampaignSettings,
}

impl Ledger {
    pub fn new<E: Into<Entry>>(
        registry: Vec<Project>,
        entries: impl IntoIterator<Item = E>,
    ) -> Ledger {
        let mut ledger = Ledger {
            registry,
            edits: Vec::new(),
            seen: HashSet::new(),
            unreadable: Vec::new(),
            replaced: HashSet::new(),
            subjects: HashMap::new(),
            by_subject: Vec::new(),
            slots: Vec::new(),
            index: HashMap::new(),
            people: Vec::new(),
            people_index: HashMap::new(),
            version: 0,
            campaign: CampaignSettings::default(),
        };
        for entry in entries {
            ledger.hold(entry.into());
        }
        sort_edits(&mut ledger.edits);
        ledger.refold();
        ledger
    }

    /// Takes an entry into the log without folding; false when already held.
    fn hold(&mut self, entry: Entry) -> bool {
        if !self.seen.insert(entry.id().clone()) {
            return false;
        }
        match entry {
            Entry::Unreadable(u) => self.unreadable.push(u),
            Entry::Edit(edit) => {
                for parent in edit.replaces.iter().flatten() {
                    self.replaced.insert(parent.clone());
                }
                self.edits.push(edit);
            }
        }
        true
    }

    /// Adds an edit. Returns false when the ledger already holds one with that
    /// id, which makes importing the same edits twice a no-op.
    pub fn add(&mut self, entry: impl Into<Entry>) -> bool {
        let entry = entry.into();
        let Entry::Edit(edit) = entry else {
            let added = self.hold(entry);
            self.version += u64::from(added);
            return added;
        };
        let at = self
            .edits
            .partition_point(|e| e.order_key() < edit.order_key());
        if !self.hold(Entry::Edit(edit)) {
            return false;
        }
        self.version += 1;
        let last = self.edits.len() - 1;
        if at == last {
            // The common case (a local edit is the newest): fold just this one.
            self.fold_at(last);
            self.by_subject_push(last);
            return true;
        }
        let edit = self.edits.pop().expect("just held");
        if self.folds_apart(&edit, at) {
            // Newer edits are all about other projects (an edit from a clock
            // ahead, say): this one folds the same now as in order.
            self.edits.insert(at, edit);
            self.fold_at(at);
            self.index_inserted(at);
        } else {
            self.edits.insert(at, edit);
            self.refold();
        }
        true
    }

    /// Whether `edit`, placed at `at`, touches nothing that the edits after it
    /// touch: then folding it last gives the same state as folding in order.
    fn folds_apart(&self, edit: &Edit, at: usize) -> bool {
        let Subject::Project(id) = &edit.subject else {
            return false;
        };
        self.edits[at..]
            .iter()
            .all(|later| matches!(&later.subject, Subject::Project(other) if other != id))
    }

    /// Adds many entries (a bundle, a restore, another tab's segment), folding
    /// once. Returns how many were new.
    pub fn add_all<E: Into<Entry>>(&mut self, entries: impl IntoIterator<Item = E>) -> usize {
        let before = self.edits.len();
        let newest = self.edits.last().map(|e| (e.at, e.id.clone()));
        let mut added = 0;
        for entry in entries {
            added += usize::from(self.hold(entry.into()));
        }
        if added == 0 {
            return 0;
        }
        self.version += added as u64;
        // Out-of-order edits and those a held edit replaces fold right only in
        // order; a batch that all comes after what is held folds one by one.
        let fresh = &self.edits[before..];
        let in_order = fresh
            .windows(2)
            .all(|w| w[0].order_key() < w[1].order_key())
            && fresh.first().is_none_or(|first| {
                newest
                    .as_ref()
                    .is_none_or(|(at, id)| (*at, id) < first.order_key())
            });
        if in_order {
            for i in before..self.edits.len() {
                self.fold_at(i);
                self.by_subject_push(i);
            }
        } else {
            sort_edits(&mut self.edits);
            self.refold();
        }
        added
    }

    /// The edit positions of a subject, made when first needed.
    fn positions_mut(&mut self, id: &str) -> &mut Vec<usize> {
        let n = match self.subjects.get(id) {
            Some(&n) => n,
            None => {
                self.subjects.insert(id.to_owned(), self.by_subject.len());
                self.by_subject.push(Vec::new());
                self.by_subject.len() - 1
            }
        };
        &mut self.by_subject[n]
    }

    fn positions(&self, id: &str) -> &[usize] {
        self.subjects
            .get(id)
            .map_or(&[], |&n| self.by_subject[n].as_slice())
    }

    fn by_subject_push(&mut self, i: usize) {
        let id = self.edits[i].subject.id().to_owned();
        self.positions_mut(&id).push(i);
    }

    /// `by_subject` after an edit was inserted at `at`: later positions move up one.
    fn index_inserted(&mut self, at: usize) {
        // From the last down, so that a position already moved is never taken for one to move.
        for later in (at + 1..self.edits.len()).rev() {
            let id = self.edits[later].subject.id();
            if let Some(&n) = self.subjects.get(id) {
                if let Some(p) = self.by_subject[n]
                    .iter_mut()
                    .rev()
                    .find(|p| **p == later - 1)
                {
                    *p = later;
                }
            }
        }
        let id = self.edits[at].subject.id().to_owned();
        let positions = self.positions_mut(&id);
        let place = positions.partition_point(|&p| p < at);
        positions.insert(place, at);
    }

    fn reindex(&mut self) {
        self.subjects.clear();
        self.by_subject.clear();
        for i in 0..self.edits.len() {
            self.by_subject_push(i);
        }
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
        for i in 0..self.edits.len() {
            self.fold_at(i);
        }
        self.reindex();
    }

    fn fold_at(&mut self, i: usize) {
        let edit = &self.edits[i];
        if edit.change.field().is_some() && self.replaced.contains(&edit.id) {
            // A later edit of this field replaced it, whatever their times.
            return;
        }
        let edit = edit.clone();
        match &edit.subject {
            Subject::Ledger => {
                if let Change::CampaignSettings(settings) = &edit.change {
                    self.campaign = *settings;
                }
            }
            Subject::Person(_) => self.fold_person(&edit),
            Subject::Project(_) => self.fold_project(&edit),
        }
    }

    fn fold_project(&mut self, edit: &Edit) {
        let id = edit.subject.id();
        if let Change::Create { name, district } = &edit.change {
            if !self.index.contains_key(id) {
                let mut project = Project::new_user_added(id.to_owned(), name.clone(), *district);
                project.changed_at = Some(edit.at);
                self.index.insert(id.to_owned(), self.slots.len());
                self.slots.push(Slot {
                    project,
                    removed: false,
                });
            }
            return;
        }
        let Some(&i) = self.index.get(id) else {
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
                slot.project
                    .records
                    .push((edit.id.to_string(), record.clone()));
            }
            (Change::OpenBlocker(blocker), _) => slot.project.blockers.push(Blocker {
                id: edit.id.to_string(),
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
        let id = edit.subject.id();
        match &edit.change {
            Change::SavePerson(details) => match self.people_index.get(id) {
                Some(&i) if self.people[i].1 => {} // removed people stay removed
                Some(&i) => self.people[i].0.details = details.clone(),
                None => {
                    self.people_index.insert(id.to_owned(), self.people.len());
                    self.people.push((
                        Person {
                            id: id.to_owned(),
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
                    .filter(|s| s.project.stewards.iter().any(|s| s == id))
                {
                    let was_responsible = slot.project.responsible.as_deref() == Some(id);
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

    /// Every edit of one subject (by id), newest first.
    pub fn history<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Edit> + 'a {
        self.positions(id).iter().rev().map(|&i| &self.edits[i])
    }

    /// Every readable edit held, oldest first.
    pub fn history_all(&self) -> impl Iterator<Item = &Edit> {
        self.edits.iter()
    }

    /// Every entry held, readable or not, as bundles and backups carry them.
    pub fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.edits
            .iter()
            .cloned()
            .map(Entry::Edit)
            .chain(self.unreadable.iter().cloned().map(Entry::Unreadable))
    }

    /// Edits this version cannot read (a newer version's), kept to travel on.
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    pub fn history_len(&self, id: &str) -> usize {
        self.positions(id).len()
    }

    /// The time to give a new local edit: now, unless an edit held is newer
    /// (another device's clock a little ahead), so that a person's latest action
    /// wins over what they are looking at. Edits more than `CLOCK_MARGIN_MS`
    /// ahead of `now` do not count: they are time anomalies, not a clock to follow.
    pub fn stamp(&self, now: i64) -> i64 {
        let limit = now.saturating_add(CLOCK_MARGIN_MS);
        let within = self.edits.partition_point(|e| e.at <= limit);
        match within.checked_sub(1).map(|i| self.edits[i].at) {
            Some(newest) => now.max(newest.saturating_add(1)),
            None => now,
        }
    }

    /// Edits stamped more than `CLOCK_MARGIN_MS` ahead of `now`, oldest first.
    pub fn time_anomalies(&self, now: i64) -> &[Edit] {
        let limit = now.saturating_add(CLOCK_MARGIN_MS);
        &self.edits[self.edits.partition_point(|e| e.at <= limit)..]
    }

    /// The edits of one field that no held edit replaces, oldest first: what a
    /// new edit of that field replaces.
    pub fn heads(&self, subject_id: &str, field: &Field) -> Vec<&Edit> {
        field_heads(
            self.history(subject_id)
                .collect::<Vec<_>>()
                .into_iter()
                .rev(),
            field,
            &|id| self.replaced.contains(id),
        )
    }

    /// A new local edit of `change`: stamped by `stamp`, replacing the heads of
    /// its field as this device sees them now.
    pub fn prepare(
        &self,
        id: EditId,
        device: &str,
        subject_id: &str,
        change: Change,
        now: i64,
    ) -> Edit {
        let replaces = change.field().map_or_else(Vec::new, |field| {
            self.heads(subject_id, &field)
                .into_iter()
                .map(|e| e.id.clone())
                .collect()
        });
        Edit {
            id,
            device: device.to_owned(),
            subject: Subject::of(subject_id, &change),
            at: self.stamp(now),
            replaces: Some(replaces),
            change,
        }
    }

    /// Several new local edits as one action, in order: each later than the
    /// one before, and one that edits a field an earlier one of the batch
    /// edited replaces that one.
    pub fn prepare_all(
        &self,
        mut next_id: impl FnMut() -> EditId,
        device: &str,
        changes: Vec<(String, Change)>,
        now: i64,
    ) -> Vec<Edit> {
        let mut out: Vec<Edit> = Vec::with_capacity(changes.len());
        for (subject_id, change) in changes {
            let mut edit = self.prepare(next_id(), device, &subject_id, change, now);
            if let Some(previous) = out.last() {
                edit.at = edit.at.max(previous.at.saturating_add(1));
            }
            // The latest earlier edit of the batch to the same field is what this one replaces.
            let field = edit.change.field();
            if let Some(earlier) = out
                .iter()
                .rev()
                .find(|e| field.is_some() && e.subject == edit.subject && e.change.field() == field)
            {
                edit.replaces = Some(vec![earlier.id.clone()]);
            }
            out.push(edit);
        }
        out
    }

    /// Every conflict the ledger holds, by subject.
    pub fn conflicts(&self) -> Vec<Conflict<'_>> {
        let mut subjects: Vec<&String> = self.subjects.keys().collect();
        subjects.sort();
        subjects
            .into_iter()
            .flat_map(|id| self.conflicts_of(id))
            .collect()
    }

    /// The conflicts of one subject's fields.
    pub fn conflicts_of(&self, subject_id: &str) -> Vec<Conflict<'_>> {
        let edits: Vec<&Edit> = self.history(subject_id).collect::<Vec<_>>();
        conflicts_among(edits.into_iter().rev(), &|id| self.replaced.contains(id))
    }

    /// How many conflicts merging `incoming` would add (those with a side
    /// among the incoming edits not yet held).
    pub fn conflicts_after(&self, incoming: &[Edit]) -> usize {
        let fresh: Vec<&Edit> = incoming
            .iter()
            .filter(|e| !self.seen.contains(&e.id))
            .collect();
        let replaced_too: HashSet<&EditId> = fresh
            .iter()
            .flat_map(|e| e.replaces.iter().flatten())
            .collect();
        let is_replaced = |id: &EditId| self.replaced.contains(id) || replaced_too.contains(id);
        let mut subjects: Vec<&str> = fresh.iter().map(|e| e.subject.id()).collect();
        subjects.sort_unstable();
        subjects.dedup();
        subjects
            .into_iter()
            .map(|subject| {
                let mut all: Vec<&Edit> = self.history(subject).collect();
                all.extend(fresh.iter().copied().filter(|e| e.subject.id() == subject));
                all.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                conflicts_among(all.into_iter(), &is_replaced)
                    .into_iter()
                    .filter(|c| c.sides.iter().any(|s| !self.seen.contains(&s.id)))
                    .count()
            })
            .sum()
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

    /// Every entry held, readable or not.
    pub fn edit_count(&self) -> usize {
        self.edits.len() + self.unreadable.len()
    }

    pub fn contains_edit(&self, id: &EditId) -> bool {
        self.seen.contains(id)
    }
}

/// The heads of `field` among `edits` (in fold order): the edits of that field
/// that `replaced` does not name and that no format-1 edit of the field or
/// `Reset` of the project follows.
pub fn field_heads<'a>(
    edits: impl Iterator<Item = &'a Edit>,
    field: &Field,
    replaced: &dyn Fn(&EditId) -> bool,
) -> Vec<&'a Edit> {
    let mut heads = Vec::new();
    for edit in edits {
        if edit.change == Change::Reset {
            heads.clear();
        } else if edit.change.field().as_ref() == Some(field) {
            if edit.replaces.is_none() {
                // Format 1 knew no parents: it replaced whatever came before it.
                heads.clear();
            }
            if !replaced(&edit.id) {
                heads.push(edit);
            }
        }
    }
    heads
}

/// Conflicts among one subject's edits (in fold order).
fn conflicts_among<'a>(
    edits: impl Iterator<Item = &'a Edit> + Clone,
    replaced: &dyn Fn(&EditId) -> bool,
) -> Vec<Conflict<'a>> {
    let mut fields: Vec<Field> = edits.clone().filter_map(|e| e.change.field()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|field| {
            let heads = field_heads(edits.clone(), &field, replaced);
            let mut sides: Vec<&Edit> = Vec::new();
            for head in heads.into_iter().rev() {
                if !sides.iter().any(|s| s.change == head.change) {
                    sides.push(head);
                }
            }
            (sides.len() > 1).then(|| Conflict {
                subject: &sides[0].subject,
                field,
                sides,
            })
        })
        .collect()
}
