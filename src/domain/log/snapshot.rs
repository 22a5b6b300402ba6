//! The folded ledger as one text, so that opening reads one record instead
//! of folding every edit (200,000 of them in a city's year). A snapshot says
//! which registry and fold it was made with; one from another is not used and
//! the log is folded afresh. Written and read by hand, like the wire format,
//! with the same helpers.
//!
//! JSON lines, by position. A project's values are written as the
//! changes that would set them (the wire format's own codec), so the snapshot
//! needs no reader or writer per field. A change is written as a pair,
//! `["Name", body]` for the log's `{"Name": body}` (`Remove` stays a string):
//! a JSON object costs its reader a map, and a year's snapshot holds some
//! 100,000 changes.
//!
//! ```text
//! [6, registry mark, project lines,
//!  [[id, removed, SavePerson change, heads, latest]…],
//!  [CampaignSettings change, heads, latest],
//!  [[subject id, latest]…],                      (orphans)
//!  seen ids, replaced ids, [[device, ids]…], newest, newest shared, [edit…] (times), [raw…] (unreadable)]
//! [id, removed, changed_at, latest, [[record id, record]…], [[blocker id, blocker, [[missed deadline, moved on, moved to]…]]…], [change…], heads, created]
//! …                                              (one line per project)
//! ```
//!
//! One line per project, because JSON text never holds a raw line break: the
//! reader parses one project at a time, so opening never holds the whole
//! year as one tree (at 200,000 edits that tree was most of the memory). The
//! header counts the lines, so a cut text is no snapshot.
//!
//! A key (`latest`, `newest`) is `[time, "writer:seq"]` or `null`; heads are
//! `[[field key, [id, time(, change, device)]…]…]`; id sets are `IdSet` text.

use crate::domain::log::edit::{Change, Entry, Field};
use crate::domain::log::ids::IdSet;
use crate::domain::log::ledger::{
    apply_change, apply_to_blocker, shown_in, Head, Heads, Key, Ledger, PersonSlot, Slot,
};
use crate::domain::log::wire::{
    edit_id, owned, read_change, read_edit, read_entry, read_new_blocker, read_record, read_tagged,
    string, write_change, write_edit, write_new_blocker, write_record,
};
use crate::domain::order::sorted;
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{Blocker, MissedDeadline};
use crate::domain::vocab::people::Person;
use crate::domain::vocab::project::{Cluster, District, Origin, Procedure, Project, Stage};
use serde_json::value::RawValue;
use serde_json::Value;

/// The snapshot format; a fold that changes what it holds bumps it.
pub const SNAPSHOT_FORMAT: u64 = 6;

/// The project fields a snapshot writes as changes when they differ from
/// the project's base (the registry's row, or a new project's blank).
const FIELDS: [Field; 10] = [
    Field::Name,
    Field::Owner,
    Field::Scale,
    Field::Notes,
    Field::Stage,
    Field::SignedOn,
    Field::PlannedStart,
    Field::ActualStart,
    Field::Investment,
    Field::Campaign,
];

/// A fingerprint of the shipped registry: a snapshot made over another
/// registry (an update shipped new data) is not used.
pub fn registry_mark(registry: &[Project]) -> String {
    // FNV-1a over what a snapshot does not carry itself.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |text: &str| {
        for b in text.bytes().chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for p in registry {
        for t in [
            &p.id,
            &p.name,
            &p.owner,
            &p.list,
            &p.category,
            &p.scale,
            &p.source,
            &p.notes,
        ] {
            eat(t);
        }
        eat(p.district.map_or("", District::key));
        eat(p.stage.map_or("", Stage::key));
        eat(p.cluster.map_or("", Cluster::key));
        for f in &p.facts {
            eat(f);
        }
        for s in &p.procedures {
            eat(if s.done { "1" } else { "0" });
        }
    }
    format!("{:016x}:{}", hash, registry.len())
}

// ---------------------------------------------------------------- writing

fn comma(out: &mut String, i: usize) {
    if i > 0 {
        out.push(',');
    }
}

fn number(out: &mut String, n: i64) {
    out.push_str(&n.to_string());
}

fn flag(out: &mut String, on: bool) {
    out.push_str(if on { "true" } else { "false" });
}

fn write_key(out: &mut String, k: Option<&Key>) {
    match k {
        None => out.push_str("null"),
        Some((at, id)) => {
            out.push('[');
            number(out, *at);
            out.push(',');
            string(out, &id.to_string());
            out.push(']');
        }
    }
}

fn write_heads(out: &mut String, heads: &Heads) {
    out.push('[');
    for (i, (field, list)) in heads.0.iter().filter(|(_, l)| !l.is_empty()).enumerate() {
        comma(out, i);
        out.push('[');
        string(out, &field.key());
        for head in list {
            out.push_str(",[");
            string(out, &head.id.to_string());
            out.push(',');
            number(out, head.at);
            if let Some(change) = &head.change {
                out.push(',');
                write_pair(out, change);
                // Where a device once was (format kept): the edit in storage names it.
                out.push_str(",null");
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push(']');
}

/// What makes a project what it is, beyond its base (the registry's row, or
/// a new project as created), as changes in the order `read_project` applies
/// them. Stewards, records and blockers are written whole.
fn project_changes(p: &Project, base: &Project) -> Vec<Change> {
    let mut changes = Vec::new();
    if p.origin == Origin::UserAdded {
        changes.push(Change::Create {
            name: p.name.clone(),
            district: p.district,
        });
    }
    let procedures = Procedure::ALL.iter().map(|&p| Field::Procedure(p));
    for field in FIELDS.into_iter().chain(procedures) {
        let shown = shown_in(p, &field);
        if shown != shown_in(base, &field) {
            changes.extend(shown);
        }
    }
    if (p.cluster, p.cluster_by) != (base.cluster, base.cluster_by) {
        changes.push(Change::Cluster(p.cluster));
    }
    changes.extend(p.stewards.iter().map(|s| Change::Assign(s.clone())));
    if p.responsible.is_some() {
        changes.push(Change::Responsible(p.responsible.clone()));
    }
    for b in &p.blockers {
        if let Some((resolved, how)) = &b.resolved {
            changes.push(Change::ResolveBlocker {
                blocker: b.id.clone(),
                resolved: *resolved,
                how: how.clone(),
            });
        }
        if let Some(supervision) = &b.supervision {
            changes.push(Change::Supervise {
                blocker: b.id.clone(),
                supervision: supervision.clone(),
            });
        }
        changes.extend(
            b.progress
                .iter()
                .map(|(date, note)| Change::BlockerProgress {
                    blocker: b.id.clone(),
                    date: *date,
                    note: note.clone(),
                }),
        );
    }
    changes
}

/// A change as a pair: the log's `{"Name":body}` with its braces and first
/// colon replaced (variant names are plain ASCII, so the first colon is the
/// name's own).
fn write_pair(out: &mut String, change: &Change) {
    let mut text = String::new();
    write_change(&mut text, change);
    match text.strip_prefix('{').and_then(|t| t.split_once(':')) {
        Some((tag, body)) => {
            out.push('[');
            out.push_str(tag);
            out.push(',');
            out.push_str(&body[..body.len() - 1]);
            out.push(']');
        }
        None => out.push_str(&text),
    }
}

fn read_pair(v: &Value) -> Option<Change> {
    match v.as_array().map(Vec::as_slice) {
        Some([tag, body]) => read_tagged(tag.as_str()?, body),
        _ => read_change(v),
    }
}

fn write_changes(out: &mut String, changes: &[Change]) {
    out.push('[');
    for (i, c) in changes.iter().enumerate() {
        comma(out, i);
        write_pair(out, c);
    }
    out.push(']');
}

fn write_project(out: &mut String, slot: &Slot, base: &Project) {
    let p = &slot.project;
    out.push('[');
    string(out, &p.id);
    out.push(',');
    flag(out, slot.removed);
    out.push(',');
    match p.changed_at {
        Some(at) => number(out, at),
        None => out.push_str("null"),
    }
    out.push(',');
    write_key(out, slot.latest.as_ref());
    out.push_str(",[");
    for (i, (id, r)) in p.records.iter().enumerate() {
        comma(out, i);
        out.push('[');
        string(out, id);
        out.push(',');
        write_record(out, r);
        out.push(']');
    }
    out.push_str("],[");
    for (i, b) in p.blockers.iter().enumerate() {
        comma(out, i);
        out.push('[');
        string(out, &b.id);
        out.push(',');
        write_new_blocker(out, &b.opened_as);
        out.push_str(",[");
        for (j, m) in b.missed.iter().enumerate() {
            comma(out, j);
            out.push('[');
            string(out, &m.deadline.to_string());
            out.push(',');
            string(out, &m.moved_on.to_string());
            out.push(',');
            match m.moved_to {
                Some(d) => string(out, &d.to_string()),
                None => out.push_str("null"),
            }
            out.push(']');
        }
        out.push_str("]]");
    }
    out.push_str("],");
    write_changes(out, &project_changes(p, base));
    out.push(',');
    write_heads(out, &slot.heads);
    out.push(',');
    write_key(out, slot.created.as_ref());
    out.push(']');
}

fn write_id_set(out: &mut String, ids: &IdSet) {
    out.push(',');
    string(out, &ids.to_text());
}

impl Ledger {
    /// The whole folded state as text (see the module's notes).
    pub fn snapshot(&self) -> String {
        let mut out = String::with_capacity(1024 + self.slots.len() * 200);
        out.push('[');
        number(&mut out, SNAPSHOT_FORMAT as i64);
        out.push(',');
        string(&mut out, &registry_mark(&self.registry));
        // A shipped project nothing touched is the registry's: not written.
        let touched: Vec<(usize, &Slot)> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.latest.is_some() || s.project.origin == Origin::UserAdded)
            .collect();
        out.push(',');
        number(&mut out, touched.len() as i64);
        out.push_str(",[");
        for (i, slot) in self.people.iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            string(&mut out, &slot.person.id);
            out.push(',');
            flag(&mut out, slot.removed);
            out.push(',');
            write_pair(&mut out, &Change::SavePerson(slot.person.details.clone()));
            out.push(',');
            write_heads(&mut out, &slot.heads);
            out.push(',');
            write_key(&mut out, slot.latest.as_ref());
            out.push(']');
        }
        out.push_str("],[");
        write_pair(&mut out, &Change::CampaignSettings(self.campaign));
        out.push(',');
        write_heads(&mut out, &self.campaign_heads);
        out.push(',');
        write_key(&mut out, self.campaign_latest.as_ref());
        out.push_str("],[");
        let orphans = sorted(
            self.orphans.iter().collect(),
            &|a: &(&String, &usize), b| a.0.cmp(b.0),
        );
        for (i, (id, &n)) in orphans.into_iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            string(&mut out, id);
            out.push(',');
            write_key(&mut out, Some(&self.orphan_latest[n]));
            out.push(']');
        }
        out.push(']');
        write_id_set(&mut out, &self.seen);
        write_id_set(&mut out, &self.replaced);
        out.push_str(",[");
        for (i, (device, ids)) in self.by_device.iter().enumerate() {
            comma(&mut out, i);
            out.push('[');
            string(&mut out, device);
            write_id_set(&mut out, ids);
            out.push(']');
        }
        out.push_str("],");
        write_key(&mut out, self.newest.as_ref());
        out.push(',');
        write_key(&mut out, self.newest_shared.as_ref());
        out.push_str(",[");
        for (i, e) in self.latest_times.iter().enumerate() {
            comma(&mut out, i);
            write_edit(&mut out, e);
        }
        out.push_str("],[");
        // As strings: the text stays exactly as it arrived.
        for (i, u) in self.unreadable.iter().enumerate() {
            comma(&mut out, i);
            string(&mut out, u.raw.get());
        }
        out.push_str("]]");
        for (i, slot) in touched {
            out.push('\n');
            let p = &slot.project;
            match self.registry.get(i) {
                Some(base) => write_project(&mut out, slot, base),
                None => {
                    let base = Project::new_user_added(p.id.clone(), p.name.clone(), p.district);
                    write_project(&mut out, slot, &base);
                }
            }
        }
        out
    }

    /// The ledger a snapshot holds, over this registry; `None` when the text is
    /// no snapshot, or one of another registry or format (fold the log instead).
    pub fn from_snapshot(registry: Vec<Project>, snapshot: &str) -> Option<Ledger> {
        let mut lines = snapshot.split('\n');
        let value: Value = serde_json::from_str(lines.next()?).ok()?;
        let [format, mark, count, people, campaign, orphans, seen, replaced, devices, newest, shared, times, unreadable] =
            value.as_array()?.as_slice()
        else {
            return None;
        };
        if format.as_u64()? != SNAPSHOT_FORMAT || mark.as_str()? != registry_mark(&registry) {
            return None;
        }
        let mut ledger = Ledger::empty(registry);
        let mut read = 0;
        for line in lines {
            read_project(&mut ledger, &serde_json::from_str(line).ok()?)?;
            read += 1;
        }
        if count.as_u64()? != read {
            return None;
        }
        for p in people.as_array()? {
            let [id, removed, details, heads, latest] = p.as_array()?.as_slice() else {
                return None;
            };
            let Change::SavePerson(details) = read_pair(details)? else {
                return None;
            };
            let person = Person {
                id: owned(id)?,
                details,
            };
            ledger
                .people_index
                .insert(person.id.clone(), ledger.people.len());
            ledger.people.push(PersonSlot {
                person,
                removed: removed.as_bool()?,
                heads: read_heads(heads)?,
                latest: read_key(latest)?,
            });
        }
        let [settings, heads, latest] = campaign.as_array()?.as_slice() else {
            return None;
        };
        let Change::CampaignSettings(settings) = read_pair(settings)? else {
            return None;
        };
        ledger.campaign = settings;
        ledger.campaign_heads = read_heads(heads)?;
        ledger.campaign_latest = read_key(latest)?;
        for orphan in orphans.as_array()? {
            let [id, latest] = orphan.as_array()?.as_slice() else {
                return None;
            };
            ledger
                .orphans
                .insert(owned(id)?, ledger.orphan_latest.len());
            ledger.orphan_latest.push(read_key(latest)??);
        }
        ledger.seen = IdSet::from_text(seen.as_str()?)?;
        ledger.replaced = IdSet::from_text(replaced.as_str()?)?;
        for device in devices.as_array()? {
            let [name, ids] = device.as_array()?.as_slice() else {
                return None;
            };
            ledger
                .by_device
                .push((owned(name)?, IdSet::from_text(ids.as_str()?)?));
        }
        ledger.newest = read_key(newest)?;
        ledger.newest_shared = read_key(shared)?;
        for e in times.as_array()? {
            ledger.latest_times.push(read_edit(e.as_object()?)?);
        }
        for u in unreadable.as_array()? {
            let raw = RawValue::from_string(owned(u)?).ok()?;
            match read_entry(&raw)? {
                Entry::Unreadable(u) => ledger.unreadable.push(u),
                // Read by an older version, readable now: fold the log afresh.
                Entry::Edit(_) => return None,
            }
        }
        ledger.version = ledger.seen.len() as u64;
        Some(ledger)
    }
}

fn read_key(v: &Value) -> Option<Option<Key>> {
    match v {
        Value::Null => Some(None),
        Value::Array(pair) => match pair.as_slice() {
            [at, id] => Some(Some((at.as_i64()?, edit_id(id)?))),
            _ => None,
        },
        _ => None,
    }
}

fn read_heads(v: &Value) -> Option<Heads> {
    let mut heads = Heads::default();
    for field in v.as_array()? {
        let (first, rest) = field.as_array()?.split_first()?;
        let field = Field::from_key(first.as_str()?)?;
        let mut list: Vec<Head> = Vec::with_capacity(rest.len());
        for head in rest {
            let (id, at, change) = match head.as_array()?.as_slice() {
                [id, at] => (id, at, None),
                [id, at, change, _device] => (id, at, Some(Box::new(read_pair(change)?))),
                _ => return None,
            };
            list.push(Head {
                id: edit_id(id)?,
                at: at.as_i64()?,
                change,
            });
        }
        heads.0.push((field, list));
    }
    Some(heads)
}

fn read_project(ledger: &mut Ledger, row: &Value) -> Option<()> {
    let [id, removed, changed_at, latest, records, blockers, changes, heads, created] =
        row.as_array()?.as_slice()
    else {
        return None;
    };
    let id = owned(id)?;
    let changes = changes
        .as_array()?
        .iter()
        .map(read_pair)
        .collect::<Option<Vec<_>>>()?;
    let mut p = match (ledger.index.get(&id), changes.first()) {
        (None, Some(Change::Create { name, district })) => {
            Project::new_user_added(id.clone(), name.clone(), *district)
        }
        (Some(&i), first) if !matches!(first, Some(Change::Create { .. })) => {
            ledger.registry.get(i)?.clone()
        }
        _ => return None,
    };
    p.stewards.clear();
    p.responsible = None;
    p.records.clear();
    p.blockers.clear();
    for r in records.as_array()? {
        let [rid, record] = r.as_array()?.as_slice() else {
            return None;
        };
        p.records.push((owned(rid)?, read_record(record)?));
    }
    for b in blockers.as_array()? {
        let [bid, opened, missed] = b.as_array()?.as_slice() else {
            return None;
        };
        let mut blocker = Blocker::new(owned(bid)?, read_new_blocker(opened)?);
        let date = |v: &Value| Date::parse(v.as_str()?);
        for m in missed.as_array()? {
            let [deadline, moved_on, moved_to] = m.as_array()?.as_slice() else {
                return None;
            };
            blocker.missed.push(MissedDeadline {
                deadline: date(deadline)?,
                moved_on: date(moved_on)?,
                moved_to: match moved_to {
                    Value::Null => None,
                    v => Some(date(v)?),
                },
            });
        }
        p.blockers.push(blocker);
    }
    // Stewards, the responsible member and resolutions are set as they were,
    // not re-checked against the rules: they were checked when folded.
    for change in &changes {
        match change {
            Change::Create { .. } => {}
            Change::Assign(person) => p.stewards.push(person.clone()),
            Change::Responsible(person) => p.responsible = person.clone(),
            Change::ResolveBlocker { .. }
            | Change::Supervise { .. }
            | Change::BlockerProgress { .. } => {
                if !apply_to_blocker(&mut p, change, None) {
                    return None;
                }
            }
            change => apply_change(&mut p, change),
        }
    }
    p.changed_at = nullable_i64(changed_at)?;
    let slot = Slot {
        project: p,
        removed: removed.as_bool()?,
        heads: read_heads(heads)?,
        latest: read_key(latest)?,
        created: read_key(created)?,
    };
    match ledger.index.get(&id) {
        Some(&i) => ledger.slots[i] = slot,
        None => ledger.place_slot(slot),
    }
    Some(())
}

fn nullable_i64(v: &Value) -> Option<Option<i64>> {
    match v {
        Value::Null => Some(None),
        v => v.as_i64().map(Some),
    }
}
