//! What changed since a moment, project by project, and the ledger as it
//! stood at a moment: both from the edit log, folded as every device folds
//! it. A digest compares the ledger before the moment with the ledger now,
//! so an edit undone since shows no change, and a conflict shows the value
//! the ledger shows.

use crate::domain::log::edit::{Change, Edit, Entry, Field};
use crate::domain::log::ledger::{shown_in, Ledger};
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{Blocker, Record, Supervision};
use crate::domain::vocab::project::{Procedure, Project};

/// The ledger as the log stood just before `until` (milliseconds): every
/// edit stamped earlier, folded over the registry.
pub fn as_of<'a>(
    registry: Vec<Project>,
    edits: impl IntoIterator<Item = &'a Edit>,
    until: i64,
) -> Ledger {
    let earlier: Vec<Entry> = edits
        .into_iter()
        .filter(|e| e.at < until)
        .map(|e| Entry::Edit(e.clone()))
        .collect();
    Ledger::new(registry, earlier)
}

/// One field's change: as a change that set the old and the new value, and
/// the newest edit since that set it (who made it is the caller's to say).
#[derive(Debug, PartialEq)]
pub struct FieldChange<'a> {
    pub field: Field,
    pub old: Option<Change>,
    pub new: Option<Change>,
    pub by: Option<&'a Edit>,
    /// The old value was empty: the field is filled in for the first time.
    pub old_empty: bool,
    /// The new value is empty: the field was deleted.
    pub new_empty: bool,
}

/// How a blocker's supervision (督办) changed: as it was (as opened, for a
/// blocker new since the moment) and as it is.
#[derive(Debug, PartialEq)]
pub struct SupervisionChange<'a> {
    pub blocker: &'a Blocker,
    pub old: Supervision,
    pub new: Supervision,
    /// Deadlines it missed that were moved since the moment: (days over, the deadline).
    pub missed: Vec<(i64, Date)>,
}

/// What changed about one project since the moment.
#[derive(Debug)]
pub struct ProjectDigest<'a> {
    pub project: &'a Project,
    /// New since the moment (added by someone, not in the registry before).
    pub created: bool,
    pub fields: Vec<FieldChange<'a>>,
    pub stewards_added: Vec<String>,
    pub stewards_removed: Vec<String>,
    pub new_blockers: Vec<&'a Blocker>,
    pub resolved_blockers: Vec<&'a Blocker>,
    pub new_records: Vec<&'a Record>,
    pub supervised: Vec<SupervisionChange<'a>>,
    /// Progress notes (进展) on a blocker added since the moment.
    pub new_progress: Vec<(&'a Blocker, &'a (Date, String))>,
}

impl ProjectDigest<'_> {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.stewards_added.is_empty()
            && self.stewards_removed.is_empty()
            && self.new_blockers.is_empty()
            && self.resolved_blockers.is_empty()
            && self.new_records.is_empty()
            && self.supervised.is_empty()
            && self.new_progress.is_empty()
    }
}

/// The fields a digest compares, in the order a project page shows them.
fn fields() -> Vec<Field> {
    let mut all = vec![
        Field::Name,
        Field::Owner,
        Field::Stage,
        Field::SignedOn,
        Field::PlannedStart,
        Field::ActualStart,
        Field::Investment,
    ];
    all.extend(Procedure::ALL.iter().map(|p| Field::Procedure(*p)));
    all.extend([
        Field::Scale,
        Field::Cluster,
        Field::Responsible,
        Field::Campaign,
        Field::Notes,
    ]);
    all
}

/// Each project of `now` that changed since the ledger was `before`, in
/// `now`'s order; `edits` are the log's (any order), to name the newest edit
/// of each changed field made at or after `since`.
pub fn digest<'a>(
    before: &'a Ledger,
    now: &'a Ledger,
    edits: &'a [Edit],
    since: i64,
) -> Vec<ProjectDigest<'a>> {
    let newest = |project: &str, field: &Field| {
        edits
            .iter()
            .filter(|e| e.at >= since && e.subject.project() == Some(project))
            .filter(|e| e.change.field().as_ref() == Some(field))
            .max_by(|a, b| a.order_key().cmp(&b.order_key()))
    };
    now.projects()
        .map(|p| {
            let old = before.project(&p.id);
            // What an empty field shows; a project new since the moment is
            // compared with it, so only what was filled in is listed.
            let blank = Project::new_user_added(p.id.clone(), p.name.clone(), p.district);
            let fields = fields()
                .into_iter()
                .filter_map(|field| {
                    let new = shown_in(p, &field);
                    let was = shown_in(old.unwrap_or(&blank), &field);
                    let empty = shown_in(&blank, &field);
                    (new != was).then(|| FieldChange {
                        by: newest(&p.id, &field),
                        old_empty: was == empty,
                        new_empty: new == empty,
                        field,
                        old: was,
                        new,
                    })
                })
                .collect();
            let before_blocker =
                |id: &str| old.and_then(|o| o.blockers.iter().find(|b| b.id == id));
            let supervised = p
                .blockers
                .iter()
                .filter_map(|b| {
                    let was = before_blocker(&b.id);
                    let old = match was {
                        Some(w) => w.supervision_now(),
                        None => Blocker::new(b.id.clone(), b.opened_as.clone()).supervision_now(),
                    };
                    let new = b.supervision_now();
                    let missed_before = was.map_or(0, |w| w.missed.len());
                    let missed: Vec<(i64, Date)> = b
                        .missed
                        .iter()
                        .skip(missed_before)
                        .map(|m| (m.days_over(), m.deadline))
                        .collect();
                    (old != new || !missed.is_empty()).then_some(SupervisionChange {
                        blocker: b,
                        old,
                        new,
                        missed,
                    })
                })
                .collect();
            let new_progress = p
                .blockers
                .iter()
                .flat_map(|b| {
                    let had = before_blocker(&b.id).map_or(0, |w| w.progress.len());
                    b.progress.iter().skip(had).map(move |note| (b, note))
                })
                .collect();
            let had = |f: &dyn Fn(&Project) -> bool| old.is_some_and(f);
            ProjectDigest {
                project: p,
                created: old.is_none(),
                fields,
                stewards_added: p
                    .stewards
                    .iter()
                    .filter(|s| !had(&|o| o.stewards.contains(s)))
                    .cloned()
                    .collect(),
                stewards_removed: old
                    .map(|o| {
                        o.stewards
                            .iter()
                            .filter(|s| !p.stewards.contains(s))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default(),
                new_blockers: p
                    .blockers
                    .iter()
                    .filter(|b| !had(&|o| o.blockers.iter().any(|ob| ob.id == b.id)))
                    .collect(),
                resolved_blockers: p
                    .blockers
                    .iter()
                    .filter(|b| {
                        !b.is_open()
                            && !had(&|o| o.blockers.iter().any(|ob| ob.id == b.id && !ob.is_open()))
                    })
                    .collect(),
                new_records: p
                    .records
                    .iter()
                    .filter(|(id, _)| !had(&|o| o.records.iter().any(|(oid, _)| oid == id)))
                    .map(|(_, r)| r)
                    .collect(),
                supervised,
                new_progress,
            }
        })
        .filter(|d| !d.is_empty())
        .collect()
}
