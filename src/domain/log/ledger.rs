//! The fold: registry + edits → the projects every screen shows. The ledger
//! holds the folded state and what it needs to fold one more edit, not the
//! edits themselves (storage keeps those, and gives a project's history on
//! demand), so it opens from a snapshot and stays small at a city's volume.
//!
//! Edits are applied in (time, edit id) order, a last-writer-wins register per
//! field, except that an edit another held edit replaces (its `replaces`, the
//! causal parents) is never applied: a later real edit beats one stamped years
//! ahead that it replaced. Any device that holds the same set of edits shows
//! the same state and lists the same conflicts, whatever order and route they
//! arrived by. An edit that cannot be folded onto the current state exactly as
//! a fold of everything in order would costs what its subject costs: a
//! project's edit that arrives after later ones of that project marks the
//! project stale (`Added::Stale`), and the project is folded again from its
//! own edits and the shared ones (people, the campaign's settings: what a
//! project's fold reads), which `refold_stale` is given; only a late edit
//! about people or the campaign, or one creating a project edited before,
//! asks for a fold of the whole log (`Added::Refold`). A first sync from a
//! sharded CouchDB delivers half its edits late: each costs its project.
//!
//! A field's *heads* are its edits that no held edit replaces (a format-1 edit
//! or a `Reset` replaces everything before it). One head is the normal case;
//! two with different values are a conflict: neither device saw the other's edit.

use crate::domain::log::edit::{
    Change, Edit, EditId, Entry, Field, Maker, Subject, Unreadable, LEDGER_SUBJECT,
};
use crate::domain::log::ids::IdSet;
use crate::domain::order::sorted;
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{day_in_anshan, Blocker, CampaignSettings, MissedDeadline};
use crate::domain::vocab::people::{Person, Role};
use crate::domain::vocab::project::{ClusterBy, Origin, ProcedureState, Project};
use std::collections::BTreeMap;

/// Edits in fold order: time, then edit id.
fn sort_edits(edits: Vec<Edit>) -> Vec<Edit> {
    sorted(edits, &|a, b| a.order_key().cmp(&b.order_key()))
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
        | Change::Supervise { .. }
        | Change::BlockerProgress { .. }
        | Change::Void { .. }
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

/// Applies a change to one of the project's blockers (its resolution,
/// supervision or a progress note); false when the project has no such blocker.
/// `made_on`: the day the change was made, when known (a fold of an edit;
/// a snapshot restores misses as they were): a deadline moved after it
/// passed, the blocker open, is kept as missed.
pub(crate) fn apply_to_blocker(
    project: &mut Project,
    change: &Change,
    made_on: Option<Date>,
) -> bool {
    let (Change::ResolveBlocker { blocker, .. }
    | Change::Supervise { blocker, .. }
    | Change::BlockerProgress { blocker, .. }) = change
    else {
        return false;
    };
    let Some(b) = project.blockers.iter_mut().find(|b| b.id == *blocker) else {
        return false;
    };
    match change {
        Change::ResolveBlocker { resolved, how, .. } => b.resolved = Some((*resolved, how.clone())),
        Change::Supervise { supervision, .. } => {
            let before = b.deadline();
            if let (Some(deadline), Some(day), true) = (before, made_on, b.is_open()) {
                if day > deadline && supervision.deadline != before {
                    b.missed.push(MissedDeadline {
                        deadline,
                        moved_on: day,
                        moved_to: supervision.deadline,
                    });
                }
            }
            b.supervision = Some(supervision.clone());
        }
        Change::BlockerProgress { date, note, .. } => b.progress.push((*date, note.clone())),
        _ => {}
    }
    true
}

/// The value a project field shows now, as a change that would set it.
pub(crate) fn shown_in(project: &Project, field: &Field) -> Option<Change> {
    Some(match field {
        Field::Name => Change::Name(project.name.clone()),
        Field::Owner => Change::Owner(project.owner.clone()),
        Field::Scale => Change::Scale(project.scale.clone()),
        Field::Notes => Change::Notes(project.notes.clone()),
        Field::Cluster => Change::Cluster(project.cluster),
        Field::Stage => Change::Stage(project.stage),
        Field::Procedure(p) => {
            let state = project.procedure(*p);
            Change::Procedure {
                procedure: *p,
                done: state.done,
                date: state.date,
            }
        }
        Field::SignedOn => Change::SignedOn(project.signed_on),
        Field::PlannedStart => Change::PlannedStart(project.planned_start),
        Field::ActualStart => Change::ActualStart(project.actual_start),
        Field::Investment => Change::InvestmentWan(project.investment_wan),
        Field::Responsible => Change::Responsible(project.responsible.clone()),
        Field::Campaign => Change::Campaign(project.in_campaign),
        Field::Resolution(blocker) => {
            let (resolved, how) = project
                .blockers
                .iter()
                .find(|b| b.id == *blocker)?
                .resolved
                .clone()?;
            Change::ResolveBlocker {
                blocker: blocker.clone(),
                resolved,
                how,
            }
        }
        Field::Supervision(blocker) => Change::Supervise {
            blocker: blocker.clone(),
            supervision: project
                .blockers
                .iter()
                .find(|b| b.id == *blocker)?
                .supervision
                .clone()?,
        },
        Field::Person | Field::CampaignSettings => return None,
    })
}

/// The role of a person on the roster, or `None` when unknown or removed.
fn person_role(people: &[PersonSlot], index: &BTreeMap<String, usize>, id: &str) -> Option<Role> {
    let slot = &people[*index.get(id)?];
    (!slot.removed).then_some(slot.person.details.role)
}

fn assign(
    project: &mut Project,
    person: &str,
    role: Role,
    people: &[PersonSlot],
    index: &BTreeMap<String, usize>,
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

/// An edit's place in fold order.
pub type Key = (i64, EditId);

fn key_of(edit: &Edit) -> Key {
    (edit.at, edit.id.clone())
}

/// One head of a field: an edit no held edit replaces. A single head needs
/// only its id (what the next edit replaces) and time; while a field has two
/// or more heads, each keeps its value for the conflict list. Who made it,
/// storage says (kept here, it would depend on the order edits arrived in).
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    pub id: EditId,
    pub at: i64,
    /// Boxed: most heads are lone and hold none, and a project holds a head
    /// per field it was edited in.
    pub change: Option<Box<Change>>,
}

/// The heads of each field of one subject.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heads(pub(crate) Vec<(Field, Vec<Head>)>);

impl Heads {
    pub fn of(&self, field: &Field) -> &[Head] {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map_or(&[], |(_, heads)| heads.as_slice())
    }

    /// One more edit of a field, in fold order (it is not replaced).
    /// `before` is the field's value before it: a lone head's value.
    pub(crate) fn note(
        &mut self,
        field: Field,
        edit: &Edit,
        before: impl FnOnce() -> Option<Change>,
    ) {
        let heads = match self.0.iter().position(|(f, _)| *f == field) {
            Some(at) => &mut self.0[at].1,
            None => {
                self.0.push((field, Vec::new()));
                &mut self.0.last_mut().expect("just pushed").1
            }
        };
        match &edit.replaces {
            // Format 1 knew no parents: it replaced whatever came before it.
            None => heads.clear(),
            Some(parents) => heads.retain(|h| !parents.contains(&h.id)),
        }
        if let [lone] = heads.as_mut_slice() {
            if lone.change.is_none() {
                lone.change = before().map(Box::new);
            }
        }
        heads.push(Head {
            id: edit.id.clone(),
            at: edit.at,
            change: Some(Box::new(edit.change.clone())),
        });
        // A lone head keeps no copy of its value: the folded value is its value.
        Heads::settle(heads);
    }

    /// A lone head keeps no value, and its list no room for more.
    fn settle(heads: &mut Vec<Head>) {
        if let [lone] = heads.as_mut_slice() {
            lone.change = None;
            heads.shrink_to_fit();
        }
    }

    /// Drops heads that an edit not itself applied (one replaced in turn) replaced.
    fn forget(&mut self, field: &Field, replaced: &[EditId]) {
        if let Some((_, heads)) = self.0.iter_mut().find(|(f, _)| f == field) {
            heads.retain(|h| !replaced.contains(&h.id));
            Heads::settle(heads);
        }
    }

    /// After a `Reset`: every shipped field is back to its shipped value; the
    /// ledger's own (responsible, campaign, resolutions) keep theirs.
    fn reset(&mut self) {
        self.0.retain(|(f, _)| {
            matches!(
                f,
                Field::Responsible | Field::Campaign | Field::Resolution(_)
            )
        });
    }
}

pub(super) struct Slot {
    pub(super) project: Project,
    pub(super) removed: bool,
    pub(super) heads: Heads,
    /// The newest edit folded into this subject.
    pub(super) latest: Option<Key>,
    /// A project someone added: the edit that created it. Such projects
    /// follow the registry's in this order, whatever order edits came in.
    pub(super) created: Option<Key>,
}

pub(crate) struct PersonSlot {
    pub(super) person: Person,
    pub(super) removed: bool,
    pub(super) heads: Heads,
    pub(super) latest: Option<Key>,
}

/// How far ahead of this device's clock an edit's time may be and still move
/// the stamps of this device's own edits forward. An edit further ahead is
/// merged and shown, but listed as a time anomaly, and new local edits keep
/// the real time: one wrong clock cannot poison every device it reaches.
pub const CLOCK_MARGIN_MS: i64 = 24 * 60 * 60 * 1000;

/// How many of the newest edits (by time) the ledger keeps: what a new edit's
/// stamp follows, and the time anomalies it lists.
pub const NEWEST_KEPT: usize = 32;

/// Two or more heads of one field with different values: edits that neither
/// device saw before making its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict<'a> {
    pub subject: Subject,
    pub field: Field,
    /// Newest first: `sides[0]` is what the ledger shows, the others what it hides.
    pub sides: Vec<Side<'a>>,
}

/// One value of a conflict: its edit's id and time, and the value (storage
/// holds the whole edit by its id: who made it).
#[derive(Clone, Debug, PartialEq)]
pub struct Side<'a> {
    pub id: &'a EditId,
    pub at: i64,
    pub change: Change,
}

/// What adding an edit did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// Held already: nothing changed.
    Known,
    /// Folded in.
    Folded,
    /// Held, not folded: it belongs before edits of its project. The project
    /// shows its state before this edit until `refold_stale` is given the
    /// edits `refold_needs` names.
    Stale,
    /// Not folded: it belongs before edits it would change the meaning of.
    /// Fold the whole log again, this edit included (`Ledger::new`).
    Refold,
}

/// A moment in the arrival of edits: see `Ledger::read_mark`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadMark(u64);

/// Where a new edit goes.
enum Placement {
    /// Folded onto the current state.
    Now,
    /// Its project is to be folded again from its own edits.
    Subject,
    /// The whole log is to be folded again.
    Whole,
}

/// Registry + edit log, folded. The only way to change it is to add an edit.
pub struct Ledger {
    pub(super) registry: Vec<Project>,
    pub(super) slots: Vec<Slot>,
    pub(super) index: BTreeMap<String, usize>,
    /// The roster, in order of creation; removed people stay, marked.
    pub(super) people: Vec<PersonSlot>,
    pub(super) people_index: BTreeMap<String, usize>,
    pub(super) campaign: CampaignSettings,
    pub(super) campaign_heads: Heads,
    pub(super) campaign_latest: Option<Key>,
    /// Subjects edited that no slot holds (a project not created here, a
    /// person not saved): their newest edit, so one that makes them exists
    /// later knows to fold again.
    pub(super) orphans: BTreeMap<String, usize>,
    pub(super) orphan_latest: Vec<Key>,
    /// Ids of every entry held, readable or not.
    pub(super) seen: IdSet,
    /// Ids of every edit some held edit replaces.
    pub(super) replaced: IdSet,
    /// Per device, the ids of its edits (what the footer counts as not exported).
    pub(super) by_device: Vec<(String, IdSet)>,
    /// The newest folded edit, and the newest about a person or the ledger.
    pub(super) newest: Option<Key>,
    pub(super) newest_shared: Option<Key>,
    /// The `NEWEST_KEPT` edits with the greatest times, oldest first.
    pub(super) latest_times: Vec<Edit>,
    pub(super) unreadable: Vec<Unreadable>,
    /// Projects holding an edit not folded into what they show
    /// (`Added::Stale`), with the arrival that last touched each.
    pub(super) stale: BTreeMap<String, u64>,
    /// Edits held, counted as they arrive (not kept in snapshots): tells a
    /// refold whether one arrived while storage was read.
    arrivals: u64,
    /// The arrival of the newest edit about people or the campaign.
    shared_arrival: u64,
    /// Counts accepted edits, so derived data can tell cheaply whether it is stale.
    pub(super) version: u64,
}

/// The heads of `field` among `edits` (in fold order), folded one by one
/// as the ledger does: what `Ledger::heads` holds.
pub fn field_heads<'a>(
    edits: impl Iterator<Item = &'a Edit>,
    field: &Field,
    replaced: &dyn Fn(&EditId) -> bool,
) -> Vec<Head> {
    let mut heads = Heads::default();
    for edit in edits {
        if replaced(&edit.id) {
            continue;
        }
        if edit.change == Change::Reset {
            heads.reset();
        } else if edit.change.field().as_ref() == Some(field) {
            heads.note(field.clone(), edit, || None);
        }
    }
    heads.of(field).to_vec()
}

impl Ledger {
    pub(super) fn empty(registry: Vec<Project>) -> Ledger {
        let slots = registry
            .iter()
            .map(|p| Slot {
                project: p.clone(),
                removed: false,
                heads: Heads::default(),
                latest: None,
                created: None,
            })
            .collect::<Vec<_>>();
        let mut index = BTreeMap::new();
        for (i, s) in slots.iter().enumerate() {
            index.insert(s.project.id.clone(), i);
        }
        Ledger {
            registry,
            slots,
            index,
            people: Vec::new(),
            people_index: BTreeMap::new(),
            campaign: CampaignSettings::default(),
            campaign_heads: Heads::default(),
            campaign_latest: None,
            orphans: BTreeMap::new(),
            orphan_latest: Vec::new(),
            seen: IdSet::default(),
            replaced: IdSet::default(),
            by_device: Vec::new(),
            newest: None,
            newest_shared: None,
            latest_times: Vec::new(),
            unreadable: Vec::new(),
            stale: BTreeMap::new(),
            arrivals: 0,
            shared_arrival: 0,
            version: 0,
        }
    }

    /// The fold of every entry, in order, whatever order they come in.
    pub fn new<E: Into<Entry>>(
        registry: Vec<Project>,
        entries: impl IntoIterator<Item = E>,
    ) -> Ledger {
        let mut ledger = Ledger::empty(registry);
        let mut edits = Vec::new();
        for entry in entries {
            match entry.into() {
                Entry::Unreadable(u) => {
                    if ledger.seen.insert(&u.id) {
                        ledger.unreadable.push(u);
                    }
                }
                Entry::Edit(edit) => {
                    if ledger.seen.insert(&edit.id) {
                        edits.push(edit);
                    }
                }
            }
        }
        let edits = sort_edits(edits);
        for edit in &edits {
            ledger.note_replaced(edit);
        }
        for edit in edits {
            ledger.fold(edit);
        }
        ledger.version = ledger.seen.len() as u64;
        ledger
    }

    fn note_replaced(&mut self, edit: &Edit) {
        for parent in edit.replaces.iter().flatten() {
            self.replaced.insert(parent);
        }
    }

    /// Adds one entry. `Known` when the ledger holds one with its id, which
    /// makes importing the same edits twice a no-op; `Stale` when its
    /// project is to be folded again (it is held); `Refold` when the whole
    /// log is (see `Added`), and then the ledger is unchanged.
    pub fn add(&mut self, entry: impl Into<Entry>) -> Added {
        match entry.into() {
            Entry::Unreadable(u) => {
                if !self.seen.insert(&u.id) {
                    return Added::Known;
                }
                self.unreadable.push(u);
                self.version += 1;
                Added::Folded
            }
            Entry::Edit(edit) => {
                if self.seen.contains(&edit.id) {
                    return Added::Known;
                }
                let placement = self.placement(&edit);
                if let Placement::Whole = placement {
                    return Added::Refold;
                }
                self.seen.insert(&edit.id);
                self.note_replaced(&edit);
                self.version += 1;
                if let Placement::Subject = placement {
                    let key = key_of(&edit);
                    self.note_arrival(&edit, &key);
                    self.note_latest(&edit.subject, key);
                    self.stale
                        .insert(edit.subject.id().to_owned(), self.arrivals);
                    return Added::Stale;
                }
                // An edit that replaces what shows but is not applied itself
                // (a responsible person who is no service-team steward, a
                // removed person saved): the fold of everything never applied
                // what it replaced either, and the value before that is only
                // in the log.
                let field = edit.change.field();
                let replacing = field.as_ref().is_some_and(|f| {
                    let heads = self.heads(edit.subject.id(), f);
                    edit.replaces
                        .as_ref()
                        .is_some_and(|parents| heads.iter().any(|h| parents.contains(&h.id)))
                });
                let (subject, id) = (edit.subject.clone(), edit.id.clone());
                self.fold(edit);
                let applied = field
                    .as_ref()
                    .is_none_or(|f| self.heads(subject.id(), f).iter().any(|h| h.id == id));
                match (replacing && !applied, &subject) {
                    (false, _) => Added::Folded,
                    (true, Subject::Project(project)) => {
                        self.stale.insert(project.clone(), self.arrivals);
                        Added::Stale
                    }
                    // Every project may read it: the ledger is spent.
                    (true, _) => Added::Refold,
                }
            }
        }
    }

    /// Projects that show a state without some of their edits.
    pub fn stale(&self) -> impl Iterator<Item = &str> {
        self.stale.keys().map(String::as_str)
    }

    /// How many projects wait to be folded again.
    pub fn stale_count(&self) -> usize {
        self.stale.len()
    }

    /// The subjects whose every edit `refold_stale` needs to fold up to
    /// `limit` stale projects: those projects, every person and the campaign.
    pub fn refold_needs(&self, limit: usize) -> Vec<String> {
        let mut ids: Vec<String> = self.stale.keys().take(limit).cloned().collect();
        ids.extend(self.people_index.keys().cloned());
        ids.push(LEDGER_SUBJECT.to_owned());
        ids
    }

    /// Where the edits held stand now: ask storage for `refold_needs` after
    /// taking it, and give it to `refold_stale` with what storage said.
    pub fn read_mark(&self) -> ReadMark {
        ReadMark(self.arrivals)
    }

    /// Folds again each stale project `entries` holds whole: every edit held
    /// of it, of every person and of the campaign (`refold_needs` names
    /// them; edits of other projects are let be), read from storage after
    /// `asked`. One whose edit arrived since stays stale (storage may have
    /// been read before it), as does every one when an edit of people or
    /// the campaign did: ask again. Returns how many were folded.
    pub fn refold_stale(&mut self, entries: Vec<Entry>, asked: ReadMark) -> usize {
        if self.stale.is_empty() || self.shared_arrival > asked.0 {
            return 0;
        }
        let wanted = |id: &str| {
            self.stale.contains_key(id)
                || id == LEDGER_SUBJECT
                || self.people_index.contains_key(id)
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let edits: Vec<Edit> = entries
            .into_iter()
            .filter_map(|e| match e {
                Entry::Edit(edit) if wanted(edit.subject.id()) => Some(edit),
                _ => None,
            })
            .inspect(|edit| {
                // Not one that arrived since `asked`: storage may lack it.
                if self
                    .stale
                    .get(edit.subject.id())
                    .is_some_and(|&at| at <= asked.0)
                {
                    *counts.entry(edit.subject.id().to_owned()).or_default() += 1;
                }
            })
            .collect();
        let scratch = Ledger::new(self.registry.clone(), edits);
        // What every project's fold reads is all there.
        if scratch.people.len() != self.people.len()
            || scratch.campaign_latest != self.campaign_latest
        {
            return 0;
        }
        // Each project's newest edit is among its own, and a project the
        // log holds a creation of is a project there too.
        let whole: Vec<String> = counts
            .into_keys()
            .filter(|id| {
                let latest = match (self.index.get(id), self.orphans.get(id)) {
                    (Some(&i), _) => self.slots[i].latest.as_ref(),
                    (None, Some(&i)) => Some(&self.orphan_latest[i]),
                    (None, None) => None,
                };
                let theirs = match (scratch.index.get(id), scratch.orphans.get(id)) {
                    (Some(&i), _) => scratch.slots[i].latest.as_ref(),
                    (None, Some(&i)) => Some(&scratch.orphan_latest[i]),
                    (None, None) => None,
                };
                latest == theirs && (!self.index.contains_key(id) || scratch.index.contains_key(id))
            })
            .collect();
        if whole.is_empty() {
            return 0;
        }
        for id in &whole {
            self.stale.remove(id);
        }
        for id in &whole {
            let id = id.clone();
            if let Some(&j) = scratch.index.get(&id) {
                let fresh = &scratch.slots[j];
                let slot = Slot {
                    project: fresh.project.clone(),
                    removed: fresh.removed,
                    heads: fresh.heads.clone(),
                    latest: fresh.latest.clone(),
                    created: fresh.created.clone(),
                };
                match self.index.get(&id) {
                    Some(&i) if self.slots[i].created == slot.created => self.slots[i] = slot,
                    // Created here now, or earlier than thought: its place moves.
                    _ => {
                        self.take_slot(&id);
                        self.place_slot(slot);
                    }
                }
            }
            // Edits of it held before it was created, as the whole fold notes them.
            match scratch.orphans.get(&id) {
                Some(&n) => self.note_orphan_latest(&id, scratch.orphan_latest[n].clone()),
                None => {
                    self.orphans.remove(&id);
                }
            }
        }
        self.version += 1;
        whole.len()
    }

    /// Sets a subject's newest edit held before it existed.
    fn note_orphan_latest(&mut self, id: &str, key: Key) {
        match self.orphans.get(id) {
            Some(&i) => self.orphan_latest[i] = key,
            None => {
                self.orphans.insert(id.to_owned(), self.orphan_latest.len());
                self.orphan_latest.push(key);
            }
        }
    }

    /// Adds many entries, in order of time. `Refold` as soon as one needs it;
    /// then this ledger is spent: fold the whole log again.
    pub fn add_all<E: Into<Entry>>(&mut self, entries: impl IntoIterator<Item = E>) -> Added {
        let entries: Vec<Entry> = entries.into_iter().map(Into::into).collect();
        // What the batch replaces is replaced before any of it is folded, as
        // in a fold of everything: an edit the batch replaces never shows.
        for entry in &entries {
            if let Entry::Edit(edit) = entry {
                if !self.seen.contains(&edit.id) {
                    self.note_replaced(edit);
                }
            }
        }
        let mut edits = Vec::with_capacity(entries.len());
        let mut any = Added::Known;
        for entry in entries {
            match entry {
                Entry::Edit(edit) => edits.push(edit),
                unreadable => {
                    if self.add(unreadable) == Added::Folded {
                        any = Added::Folded;
                    }
                }
            }
        }
        for entry in sort_edits(edits) {
            match self.add(entry) {
                Added::Refold => return Added::Refold,
                Added::Stale => any = Added::Stale,
                Added::Folded if any != Added::Stale => any = Added::Folded,
                Added::Folded | Added::Known => {}
            }
        }
        any
    }

    /// Whether folding `edit` onto the current state gives the fold of
    /// everything in order: it comes after every edit held, or it is about a
    /// project and comes after that project's edits and after every edit about
    /// people and the ledger (which projects depend on). If not, a project's
    /// edit asks only for its project to be folded again, unless it creates
    /// a project edited before (where it stands among the projects depends
    /// on the whole log).
    fn placement(&self, edit: &Edit) -> Placement {
        let late = match &edit.subject {
            Subject::Project(id) => id,
            _ => return self.shared_placement(edit),
        };
        if self.folds_in_order(late, edit) {
            Placement::Now
        } else {
            Placement::Subject
        }
    }

    /// A project's edit folds onto what the project shows now.
    fn folds_in_order(&self, project: &str, edit: &Edit) -> bool {
        if self.stale.contains_key(project) {
            return false;
        }
        // A project not created (yet): the edit changes nothing, in any order.
        if !self.index.contains_key(project) && !matches!(edit.change, Change::Create { .. }) {
            return true;
        }
        // One that is replaced itself, replacing what shows now: the value
        // falls back to another head, which only the log holds.
        if self.replaced.contains(&edit.id) {
            if let (Some(field), Some(parents)) = (edit.change.field(), &edit.replaces) {
                let heads = self.heads(project, &field);
                if heads.iter().any(|h| parents.contains(&h.id)) {
                    return false;
                }
            }
        }
        let key = key_of(edit);
        if self.newest.as_ref().is_none_or(|newest| *newest < key) {
            return true;
        }
        let latest = match (self.index.get(project), self.orphans.get(project)) {
            (Some(&i), _) => self.slots[i].latest.as_ref(),
            (None, Some(&i)) => Some(&self.orphan_latest[i]),
            (None, None) => None,
        };
        latest.is_none_or(|l| *l < key) && self.newest_shared.as_ref().is_none_or(|s| *s < key)
    }

    /// An edit about people or the campaign: every project may read it.
    fn shared_placement(&self, edit: &Edit) -> Placement {
        if self.replaced.contains(&edit.id) {
            if let (Some(field), Some(parents)) = (edit.change.field(), &edit.replaces) {
                let heads = self.heads(edit.subject.id(), &field);
                if heads.iter().any(|h| parents.contains(&h.id)) {
                    return Placement::Whole;
                }
            }
        }
        if self
            .newest
            .as_ref()
            .is_none_or(|newest| *newest < key_of(edit))
        {
            Placement::Now
        } else {
            Placement::Whole
        }
    }

    /// What every edit held counts in, folded or not.
    fn note_arrival(&mut self, edit: &Edit, key: &Key) {
        self.arrivals += 1;
        if !matches!(edit.subject, Subject::Project(_)) {
            self.shared_arrival = self.arrivals;
        }
        if self.newest.as_ref().is_none_or(|n| n < key) {
            self.newest = Some(key.clone());
        }
        if !matches!(edit.subject, Subject::Project(_))
            && self.newest_shared.as_ref().is_none_or(|n| n < key)
        {
            self.newest_shared = Some(key.clone());
        }
        self.note_device(edit);
        self.note_time(edit);
    }

    fn fold(&mut self, edit: Edit) {
        let key = key_of(&edit);
        self.note_arrival(&edit, &key);
        if self.replaced.contains(&edit.id) {
            // A later edit of this field replaced it, whatever their times;
            // what it replaced is replaced all the same.
            if let (Some(field), Some(parents)) = (edit.change.field(), &edit.replaces) {
                if let Some(heads) = self.heads_mut(&edit.subject) {
                    heads.forget(&field, parents);
                }
            }
            // A person is on the roster from their first entry on, whatever
            // replaced its details later: the roster's order, and who could
            // be assigned meanwhile, do not hang on when that edit arrived.
            if let (Subject::Person(id), Change::SavePerson(details)) =
                (&edit.subject, &edit.change)
            {
                if !self.people_index.contains_key(id) {
                    self.people_index.insert(id.clone(), self.people.len());
                    self.people.push(PersonSlot {
                        person: Person {
                            id: id.clone(),
                            details: details.clone(),
                        },
                        removed: false,
                        heads: Heads::default(),
                        latest: None,
                    });
                }
            }
            self.note_latest(&edit.subject, key);
            return;
        }
        match &edit.subject {
            Subject::Ledger => {
                if let Change::CampaignSettings(settings) = &edit.change {
                    let before = self.campaign;
                    self.campaign = *settings;
                    self.campaign_heads
                        .note(Field::CampaignSettings, &edit, || {
                            Some(Change::CampaignSettings(before))
                        });
                }
            }
            Subject::Person(_) => self.fold_person(&edit),
            Subject::Project(_) => self.fold_project(&edit),
        }
        self.note_latest(&edit.subject, key);
    }

    fn heads_mut(&mut self, subject: &Subject) -> Option<&mut Heads> {
        match subject {
            Subject::Ledger => Some(&mut self.campaign_heads),
            Subject::Person(id) => {
                let i = *self.people_index.get(id)?;
                Some(&mut self.people[i].heads)
            }
            Subject::Project(id) => {
                let i = *self.index.get(id)?;
                Some(&mut self.slots[i].heads)
            }
        }
    }

    fn note_device(&mut self, edit: &Edit) {
        match self.by_device.iter_mut().find(|(d, _)| *d == edit.device) {
            Some((_, ids)) => {
                ids.insert(&edit.id);
            }
            None => {
                let mut ids = IdSet::default();
                ids.insert(&edit.id);
                self.by_device.push((edit.device.clone(), ids));
            }
        }
    }

    fn note_time(&mut self, edit: &Edit) {
        let newer = self.latest_times.len() < NEWEST_KEPT
            || self
                .latest_times
                .first()
                .is_some_and(|oldest| oldest.order_key() < edit.order_key());
        if newer {
            let at = self
                .latest_times
                .partition_point(|e| e.order_key() < edit.order_key());
            self.latest_times.insert(at, edit.clone());
            if self.latest_times.len() > NEWEST_KEPT {
                self.latest_times.remove(0);
            }
        }
    }

    fn note_latest(&mut self, subject: &Subject, key: Key) {
        let id = subject.id();
        let latest = match subject {
            Subject::Ledger => &mut self.campaign_latest,
            Subject::Person(_) => match self.people_index.get(id) {
                Some(&i) => &mut self.people[i].latest,
                None => return self.note_orphan(id, key),
            },
            Subject::Project(_) => match self.index.get(id) {
                Some(&i) => &mut self.slots[i].latest,
                None => return self.note_orphan(id, key),
            },
        };
        if latest.as_ref().is_none_or(|l| *l < key) {
            *latest = Some(key);
        }
    }

    fn note_orphan(&mut self, id: &str, key: Key) {
        match self.orphans.get(id) {
            Some(&i) => {
                if self.orphan_latest[i] < key {
                    self.orphan_latest[i] = key;
                }
            }
            None => {
                self.orphans.insert(id.to_owned(), self.orphan_latest.len());
                self.orphan_latest.push(key);
            }
        }
    }

    /// Puts a project someone added among the others in order of creation
    /// (nearly always last), and indexes the slots it moved.
    pub(super) fn place_slot(&mut self, slot: Slot) {
        let at = self.registry.len()
            + self.slots[self.registry.len()..].partition_point(|s| s.created < slot.created);
        self.slots.insert(at, slot);
        for (i, s) in self.slots.iter().enumerate().skip(at) {
            self.index.insert(s.project.id.clone(), i);
        }
    }

    /// Takes a project someone added out of the slots, re-indexing the rest.
    fn take_slot(&mut self, id: &str) -> Option<Slot> {
        let at = self.index.remove(id)?;
        let slot = self.slots.remove(at);
        for (i, s) in self.slots.iter().enumerate().skip(at) {
            self.index.insert(s.project.id.clone(), i);
        }
        Some(slot)
    }

    fn fold_project(&mut self, edit: &Edit) {
        let id = edit.subject.id();
        if let Change::Create { name, district } = &edit.change {
            if !self.index.contains_key(id) {
                let mut project = Project::new_user_added(id.to_owned(), name.clone(), *district);
                project.changed_at = Some(edit.at);
                self.place_slot(Slot {
                    project,
                    removed: false,
                    heads: Heads::default(),
                    latest: None,
                    created: Some(key_of(edit)),
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
                slot.heads.reset();
            }
            (Change::AddRecord(record), _) => {
                slot.project
                    .records
                    .push((edit.id.to_string(), record.clone()));
            }
            (Change::OpenBlocker(blocker), _) => slot
                .project
                .blockers
                .push(Blocker::new(edit.id.to_string(), blocker.clone())),
            (Change::Void { record, .. }, _) => {
                let p = &mut slot.project;
                let (records, blockers) = (p.records.len(), p.blockers.len());
                p.records.retain(|(id, _)| id != record);
                p.blockers.retain(|b| b.id != *record);
                if (records, blockers) == (p.records.len(), p.blockers.len()) {
                    return;
                }
            }

            (
                change @ (Change::ResolveBlocker { .. }
                | Change::Supervise { .. }
                | Change::BlockerProgress { .. }),
                _,
            ) => {
                let field = change.field();
                let before = field.as_ref().and_then(|f| shown_in(&slot.project, f));
                if !apply_to_blocker(&mut slot.project, change, Some(day_in_anshan(edit.at))) {
                    return;
                }
                if let Some(field) = field {
                    slot.heads.note(field, edit, || before);
                }
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
                let before = std::mem::replace(&mut slot.project.responsible, person.clone());
                slot.heads.note(Field::Responsible, edit, || {
                    Some(Change::Responsible(before))
                });
            }
            (change, _) => {
                let field = change.field();
                let before = field.as_ref().and_then(|f| shown_in(&slot.project, f));
                apply_change(&mut slot.project, change);
                if let Some(field) = field {
                    slot.heads.note(field, edit, || before);
                }
            }
        }
        slot.project.changed_at = Some(edit.at);
    }

    fn fold_person(&mut self, edit: &Edit) {
        let id = edit.subject.id();
        match &edit.change {
            Change::SavePerson(details) => match self.people_index.get(id) {
                Some(&i) if self.people[i].removed => {} // removed people stay removed
                Some(&i) => {
                    let slot = &mut self.people[i];
                    let before = std::mem::replace(&mut slot.person.details, details.clone());
                    slot.heads
                        .note(Field::Person, edit, || Some(Change::SavePerson(before)));
                }
                None => {
                    let mut heads = Heads::default();
                    heads.note(Field::Person, edit, || None);
                    self.people_index.insert(id.to_owned(), self.people.len());
                    self.people.push(PersonSlot {
                        person: Person {
                            id: id.to_owned(),
                            details: details.clone(),
                        },
                        removed: false,
                        heads,
                        latest: None,
                    });
                }
            },
            Change::RemovePerson { reassign_to } => {
                let Some(&i) = self.people_index.get(id) else {
                    return;
                };
                if self.people[i].removed {
                    return;
                }
                self.people[i].removed = true;
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

    /// The registry this ledger folds over (what an earlier state of it is
    /// folded from again).
    pub fn registry(&self) -> &[Project] {
        &self.registry
    }

    pub fn shipped(&self, id: &str) -> Option<&Project> {
        self.registry.iter().find(|p| p.id == id)
    }

    /// Whether any edit about this subject id is held (a project removed, a
    /// person removed, or edits about one never created here count too).
    pub fn knows_subject(&self, id: &str) -> bool {
        self.index
            .get(id)
            .is_some_and(|&i| self.slots[i].latest.is_some())
            || self.people_index.contains_key(id)
            || self.orphans.contains_key(id)
    }

    /// Edits this version cannot read (a newer version's), kept to travel on.
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// The time to give a new local edit: now, unless an edit held is newer
    /// (another device's clock a little ahead), so that a person's latest action
    /// wins over what they are looking at. Edits more than `CLOCK_MARGIN_MS`
    /// ahead of `now` do not count: they are time anomalies, not a clock to follow.
    pub fn stamp(&self, now: i64) -> i64 {
        let limit = now.saturating_add(CLOCK_MARGIN_MS);
        let within = self.latest_times.partition_point(|e| e.at <= limit);
        match within.checked_sub(1).map(|i| self.latest_times[i].at) {
            Some(newest) => now.max(newest.saturating_add(1)),
            None => now,
        }
    }

    /// Edits stamped more than `CLOCK_MARGIN_MS` ahead of `now`, oldest first
    /// (at most `NEWEST_KEPT`).
    pub fn time_anomalies(&self, now: i64) -> &[Edit] {
        let limit = now.saturating_add(CLOCK_MARGIN_MS);
        &self.latest_times[self.latest_times.partition_point(|e| e.at <= limit)..]
    }

    fn subject_heads(&self, subject_id: &str, field: &Field) -> &Heads {
        static NONE: Heads = Heads(Vec::new());
        if *field == Field::CampaignSettings {
            return &self.campaign_heads;
        }
        if *field == Field::Person {
            return self
                .people_index
                .get(subject_id)
                .map_or(&NONE, |&i| &self.people[i].heads);
        }
        self.index
            .get(subject_id)
            .map_or(&NONE, |&i| &self.slots[i].heads)
    }

    /// The heads of one field, oldest first: what a new edit of it replaces.
    pub fn heads(&self, subject_id: &str, field: &Field) -> &[Head] {
        self.subject_heads(subject_id, field).of(field)
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
                .iter()
                .map(|h| h.id.clone())
                .collect()
        });
        Edit {
            id,
            device: device.to_owned(),
            subject: Subject::of(subject_id, &change),
            at: self.stamp(now),
            replaces: Some(replaces),
            made_by: None,
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
        maker: &Maker,
        changes: Vec<(String, Change)>,
        now: i64,
    ) -> Vec<Edit> {
        let mut out: Vec<Edit> = Vec::with_capacity(changes.len());
        for (subject_id, change) in changes {
            let mut edit = self.prepare(next_id(), device, &subject_id, change, now);
            edit.made_by = Some(Box::new(maker.clone()));
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

    /// The value a field shows now, as a change that would set it.
    fn shown(&self, subject: &Subject, field: &Field) -> Option<Change> {
        match field {
            Field::Person => Some(Change::SavePerson(
                self.person(subject.id())?.details.clone(),
            )),
            Field::CampaignSettings => Some(Change::CampaignSettings(self.campaign)),
            field => shown_in(self.project(subject.id())?, field),
        }
    }

    fn conflicts_in<'a>(&'a self, subject: Subject, heads: &'a Heads) -> Vec<Conflict<'a>> {
        // In field order, whatever order the fields were first edited in.
        let fields: Vec<&(Field, Vec<Head>)> =
            sorted(heads.0.iter().collect(), &|a, b| a.0.cmp(&b.0));
        fields
            .into_iter()
            .filter(|(_, h)| h.len() > 1)
            .filter_map(|(field, heads)| {
                let mut sides: Vec<Side> = Vec::new();
                // Newest first; the one that shows is the newest.
                for head in heads.iter().rev() {
                    let change = match &head.change {
                        Some(change) => (**change).clone(),
                        None => self.shown(&subject, field)?,
                    };
                    if !sides.iter().any(|s| s.change == change) {
                        sides.push(Side {
                            id: &head.id,
                            at: head.at,
                            change,
                        });
                    }
                }
                (sides.len() > 1).then(|| Conflict {
                    subject: subject.clone(),
                    field: field.clone(),
                    sides,
                })
            })
            .collect()
    }

    /// Every conflict the ledger holds: projects, then people, then the ledger's settings.
    pub fn conflicts(&self) -> Vec<Conflict<'_>> {
        let mut all = Vec::new();
        for slot in self.slots.iter().filter(|s| !s.removed) {
            all.extend(self.conflicts_in(Subject::Project(slot.project.id.clone()), &slot.heads));
        }
        for slot in self.people.iter().filter(|s| !s.removed) {
            all.extend(self.conflicts_in(Subject::Person(slot.person.id.clone()), &slot.heads));
        }
        all.extend(self.conflicts_in(Subject::Ledger, &self.campaign_heads));
        all
    }

    /// How many fields merging `incoming` would leave with two or more heads
    /// of which one is incoming (what a bundle's preview counts).
    pub fn conflicts_after(&self, incoming: &[Edit]) -> usize {
        let fresh: Vec<&Edit> = incoming
            .iter()
            .filter(|e| !self.seen.contains(&e.id) && e.change.field().is_some())
            .collect();
        let fresh = sorted(fresh, &|a, b| a.order_key().cmp(&b.order_key()));
        let named: Vec<&EditId> = fresh
            .iter()
            .flat_map(|e| e.replaces.iter().flatten())
            .collect();
        let mut fields: Vec<(String, Field)> = Vec::new();
        for e in &fresh {
            let key = (
                e.subject.id().to_owned(),
                e.change.field().expect("field edits only"),
            );
            if !fields.contains(&key) {
                fields.push(key);
            }
        }
        fields
            .into_iter()
            .filter(|(subject, field)| {
                let mut heads = Heads(vec![(field.clone(), self.heads(subject, field).to_vec())]);
                for e in fresh.iter().filter(|e| {
                    e.subject.id() == subject && e.change.field().as_ref() == Some(field)
                }) {
                    if !named.contains(&&e.id) {
                        heads.note(field.clone(), e, || self.shown(&e.subject, field));
                    }
                }
                let heads = heads.of(field);
                heads.len() > 1 && heads.iter().any(|h| fresh.iter().any(|e| e.id == h.id))
            })
            .count()
    }

    /// The roster: people not removed, in order of creation.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|s| !s.removed).map(|s| &s.person)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        let slot = &self.people[*self.people_index.get(id)?];
        (!slot.removed).then_some(&slot.person)
    }

    /// A person's name, also after removal (history still names them).
    pub fn person_name(&self, id: &str) -> Option<&str> {
        self.people_index
            .get(id)
            .map(|&i| self.people[i].person.details.name.as_str())
    }

    /// A project's stewards, leaders first (city leader, district leaders,
    /// then the service team), each role in order of assignment.
    pub fn stewards_in_order<'a>(&'a self, project: &'a Project) -> Vec<&'a Person> {
        let stewards: Vec<&Person> = project
            .stewards
            .iter()
            .filter_map(|id| self.person(id))
            .collect();
        crate::domain::order::sorted(stewards, &|a, b| a.details.role.cmp(&b.details.role))
    }

    /// The names of a project's stewards, in `stewards_in_order`.
    pub fn steward_names<'a>(&'a self, project: &'a Project) -> Vec<&'a str> {
        self.stewards_in_order(project)
            .into_iter()
            .map(|s| s.details.name.as_str())
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
        self.seen.len()
    }

    pub fn contains_edit(&self, id: &EditId) -> bool {
        self.seen.contains(id)
    }

    /// How many edits made on `device` no mark of `exported` (per writer, the
    /// highest sequence carried off) covers.
    pub fn unexported(&self, device: &str, exported: &dyn Fn(&str) -> u64) -> usize {
        self.by_device
            .iter()
            .find(|(d, _)| d == device)
            .map_or(0, |(_, ids)| {
                ids.writers()
                    .map(|(writer, _)| ids.count_above(writer, exported(writer)))
                    .sum()
            })
    }
}
