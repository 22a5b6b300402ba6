//! The folded ledger as one text, so that opening reads one record instead
//! of folding every edit (200,000 of them in a city's year). A snapshot says
//! which registry and fold it was made with; one from another is not used and
//! the log is folded afresh. Written and read by hand, like the wire format,
//! with the same helpers.
//!
//! ```text
//! {"v":1,"registry":"…","projects":[…],"people":[…],"campaign":{…},
//!  "seen":"w1:1-40 w2:1-3","replaced":"…","devices":[["d1","w1:1-40"]],
//!  "newest":[t,"w:n"],"shared":[t,"w:n"],"times":[edit…],"unreadable":[raw…],"orphans":[…]}
//! ```

use crate::domain::log::edit::{Entry, Field};
use crate::domain::log::ids::IdSet;
use crate::domain::log::ledger::{Head, Heads, Key, Ledger, PersonSlot, Slot};
use crate::domain::log::wire::{
    date, edit_id, key, keyed, named, object, opt_date, opt_string, optional, owned, read_change,
    read_edit, read_entry, read_new_blocker, read_record, required, role_name, string, text,
    write_change, write_edit, write_new_blocker, write_record,
};
use crate::domain::vocab::fieldwork::{Blocker, CampaignSettings};
use crate::domain::vocab::people::{Person, PersonDetails, Role};
use crate::domain::vocab::project::{
    Cluster, ClusterBy, District, Origin, ProcedureState, Project, Stage,
};
use crate::domain::order::sorted;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The snapshot format; a fold that changes what it holds bumps it.
pub const SNAPSHOT_FORMAT: u64 = 1;

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

fn write_key(out: &mut String, k: &Option<Key>) {
    match k {
        None => out.push_str("null"),
        Some((at, id)) => {
            out.push('[');
            out.push_str(&at.to_string());
            out.push(',');
            string(out, &id.to_string());
            out.push(']');
        }
    }
}

fn write_heads(out: &mut String, heads: &Heads) {
    out.push('[');
    for (i, (field, list)) in heads.0.iter().filter(|(_, l)| !l.is_empty()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        string(out, &field.key());
        for head in list {
            out.push_str(",[");
            string(out, &head.id.to_string());
            out.push(',');
            out.push_str(&head.at.to_string());
            if let Some(change) = &head.change {
                out.push(',');
                write_change(out, change);
                out.push(',');
                opt_string(out, head.device.as_deref());
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push(']');
}

fn write_strings<'a>(out: &mut String, items: impl IntoIterator<Item = &'a String>) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, item);
    }
    out.push(']');
}

/// The parts of a project edits can change (the rest comes from the registry).
fn write_project(out: &mut String, slot: &Slot) {
    let p = &slot.project;
    let number = |n: Option<i64>| {
        move |out: &mut String| match n {
            Some(n) => out.push_str(&n.to_string()),
            None => out.push_str("null"),
        }
    };
    object(
        out,
        &[
            ("id", &text(&p.id)),
            ("user", &|out| {
                out.push_str(if p.origin == Origin::UserAdded {
                    "true"
                } else {
                    "false"
                })
            }),
            ("removed", &|out| {
                out.push_str(if slot.removed { "true" } else { "false" })
            }),
            ("name", &text(&p.name)),
            ("owner", &text(&p.owner)),
            ("district", &|out| {
                opt_string(out, p.district.map(District::key))
            }),
            ("scale", &text(&p.scale)),
            ("notes", &text(&p.notes)),
            ("cluster", &|out| {
                opt_string(out, p.cluster.map(Cluster::key))
            }),
            ("cluster_by", &|out| {
                opt_string(
                    out,
                    p.cluster_by.map(|c| match c {
                        ClusterBy::Ledger => "ledger",
                        ClusterBy::User => "user",
                    }),
                )
            }),
            ("stage", &|out| opt_string(out, p.stage.map(Stage::key))),
            ("procedures", &|out| {
                out.push('[');
                for (i, s) in p.procedures.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(if s.done { "[true," } else { "[false," });
                    opt_date(out, s.date);
                    out.push(']');
                }
                out.push(']');
            }),
            ("signed_on", &|out| opt_date(out, p.signed_on)),
            ("planned_start", &|out| opt_date(out, p.planned_start)),
            ("actual_start", &|out| opt_date(out, p.actual_start)),
            ("investment", &|out| match p.investment_wan {
                Some(v) if v.is_finite() => out.push_str(zmij::Buffer::new().format_finite(v)),
                _ => out.push_str("null"),
            }),
            ("changed_at", &number(p.changed_at)),
            ("stewards", &|out| write_strings(out, &p.stewards)),
            ("responsible", &|out| {
                opt_string(out, p.responsible.as_deref())
            }),
            ("records", &|out| {
                out.push('[');
                for (i, (id, r)) in p.records.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    string(out, id);
                    out.push(',');
                    write_record(out, r);
                    out.push(']');
                }
                out.push(']');
            }),
            ("blockers", &|out| {
                out.push('[');
                for (i, b) in p.blockers.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    string(out, &b.id);
                    out.push(',');
                    write_new_blocker(out, &b.opened_as);
                    out.push(',');
                    match &b.resolved {
                        Some((d, how)) => {
                            out.push('[');
                            opt_date(out, Some(*d));
                            out.push(',');
                            string(out, how);
                            out.push(']');
                        }
                        None => out.push_str("null"),
                    }
                    out.push(']');
                }
                out.push(']');
            }),
            ("in_campaign", &|out| {
                out.push_str(match p.in_campaign {
                    Some(true) => "true",
                    Some(false) => "false",
                    None => "null",
                })
            }),
            ("heads", &|out| write_heads(out, &slot.heads)),
            ("latest", &|out| write_key(out, &slot.latest)),
        ],
    )
}

fn write_person(out: &mut String, slot: &PersonSlot) {
    let d = &slot.person.details;
    object(
        out,
        &[
            ("id", &text(&slot.person.id)),
            ("removed", &|out| {
                out.push_str(if slot.removed { "true" } else { "false" })
            }),
            ("name", &text(&d.name)),
            ("role", &text(role_name(d.role))),
            ("district", &|out| {
                opt_string(out, d.district.map(District::key))
            }),
            ("unit", &text(&d.unit)),
            ("phone", &text(&d.phone)),
            ("heads", &|out| write_heads(out, &slot.heads)),
            ("latest", &|out| write_key(out, &slot.latest)),
        ],
    )
}

impl Ledger {
    /// The whole folded state as text (see the module's notes).
    pub fn snapshot(&self) -> String {
        let mut out = String::with_capacity(1024 + self.slots.len() * 400);
        out.push('{');
        key(&mut out, "v", true);
        out.push_str(&SNAPSHOT_FORMAT.to_string());
        key(&mut out, "registry", false);
        string(&mut out, &registry_mark(&self.registry));
        key(&mut out, "projects", false);
        out.push('[');
        // A shipped project nothing touched is the registry's: not written.
        let touched = self
            .slots
            .iter()
            .filter(|s| s.latest.is_some() || s.project.origin == Origin::UserAdded);
        for (i, slot) in touched.enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_project(&mut out, slot);
        }
        out.push(']');
        key(&mut out, "people", false);
        out.push('[');
        for (i, slot) in self.people.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_person(&mut out, slot);
        }
        out.push(']');
        key(&mut out, "campaign", false);
        object(
            &mut out,
            &[
                ("start", &|out| opt_date(out, Some(self.campaign.start))),
                ("days", &|out| out.push_str(&self.campaign.days.to_string())),
                ("heads", &|out| write_heads(out, &self.campaign_heads)),
                ("latest", &|out| write_key(out, &self.campaign_latest)),
            ],
        );
        key(&mut out, "orphans", false);
        out.push('[');
        let orphans = sorted(self.orphans.iter().collect(), &|a: &(&String, &usize), b| a.0.cmp(b.0));
        for (i, (id, &n)) in orphans.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            string(&mut out, id);
            out.push(',');
            write_key(&mut out, &Some(self.orphan_latest[n].clone()));
            out.push(']');
        }
        out.push(']');
        key(&mut out, "seen", false);
        string(&mut out, &self.seen.to_text());
        key(&mut out, "replaced", false);
        string(&mut out, &self.replaced.to_text());
        key(&mut out, "devices", false);
        out.push('[');
        for (i, (device, ids)) in self.by_device.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            string(&mut out, device);
            out.push(',');
            string(&mut out, &ids.to_text());
            out.push(']');
        }
        out.push(']');
        key(&mut out, "newest", false);
        write_key(&mut out, &self.newest);
        key(&mut out, "shared", false);
        write_key(&mut out, &self.newest_shared);
        key(&mut out, "times", false);
        out.push('[');
        for (i, e) in self.latest_times.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_edit(&mut out, e);
        }
        out.push(']');
        key(&mut out, "unreadable", false);
        out.push('[');
        // As strings: the text stays exactly as it arrived.
        for (i, u) in self.unreadable.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(&mut out, u.raw.get());
        }
        out.push(']');
        out.push('}');
        out
    }

    /// The ledger a snapshot holds, over this registry; `None` when the text is
    /// no snapshot, or one of another registry or format (fold the log instead).
    pub fn from_snapshot(registry: Vec<Project>, snapshot: &str) -> Option<Ledger> {
        let value: Value = serde_json::from_str(snapshot).ok()?;
        let o = value.as_object()?;
        if required(o, "v", Value::as_u64)? != SNAPSHOT_FORMAT
            || required(o, "registry", owned)? != registry_mark(&registry)
        {
            return None;
        }
        let mut ledger = Ledger::empty(registry);
        for p in o.get("projects")?.as_array()? {
            read_project(&mut ledger, p.as_object()?)?;
        }
        for p in o.get("people")?.as_array()? {
            let p = p.as_object()?;
            let person = Person {
                id: required(p, "id", owned)?,
                details: PersonDetails {
                    name: required(p, "name", owned)?,
                    role: required(p, "role", |v| named(&Role::ALL, role_name, v.as_str()?))?,
                    district: optional(p, "district", keyed(District::from_key))?,
                    unit: required(p, "unit", owned)?,
                    phone: required(p, "phone", owned)?,
                },
            };
            ledger
                .people_index
                .insert(person.id.clone(), ledger.people.len());
            ledger.people.push(PersonSlot {
                person,
                removed: required(p, "removed", Value::as_bool)?,
                heads: read_heads(p.get("heads")?)?,
                latest: read_key(p.get("latest")?)?,
            });
        }
        let c = o.get("campaign")?.as_object()?;
        ledger.campaign = CampaignSettings {
            start: required(c, "start", date)?,
            days: required(c, "days", |v| u16::try_from(v.as_u64()?).ok())?,
        };
        ledger.campaign_heads = read_heads(c.get("heads")?)?;
        ledger.campaign_latest = read_key(c.get("latest")?)?;
        for orphan in o.get("orphans")?.as_array()? {
            let [id, latest] = orphan.as_array()?.as_slice() else {
                return None;
            };
            ledger
                .orphans
                .insert(owned(id)?, ledger.orphan_latest.len());
            ledger.orphan_latest.push(read_key(latest)??);
        }
        ledger.seen = IdSet::from_text(&required(o, "seen", owned)?)?;
        ledger.replaced = IdSet::from_text(&required(o, "replaced", owned)?)?;
        for device in o.get("devices")?.as_array()? {
            let [name, ids] = device.as_array()?.as_slice() else {
                return None;
            };
            ledger
                .by_device
                .push((owned(name)?, IdSet::from_text(ids.as_str()?)?));
        }
        ledger.newest = read_key(o.get("newest")?)?;
        ledger.newest_shared = read_key(o.get("shared")?)?;
        for e in o.get("times")?.as_array()? {
            ledger.latest_times.push(read_edit(e.as_object()?)?);
        }
        for u in o.get("unreadable")?.as_array()? {
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
        let items = field.as_array()?;
        let (first, rest) = items.split_first()?;
        let field = Field::from_key(first.as_str()?)?;
        let mut list: Vec<Head> = Vec::with_capacity(rest.len());
        for head in rest {
            let parts = head.as_array()?;
            let (change, device) = match parts.get(2) {
                Some(c) => (
                    Some(read_change(c)?),
                    parts.get(3).and_then(Value::as_str).map(str::to_owned),
                ),
                None => (None, None),
            };
            list.push(Head {
                id: edit_id(parts.first()?)?,
                at: parts.get(1)?.as_i64()?,
                change,
                device,
            });
        }
        heads.0.push((field, list));
    }
    Some(heads)
}

fn read_project(ledger: &mut Ledger, o: &Map<String, Value>) -> Option<()> {
    let id = required(o, "id", owned)?;
    let user = required(o, "user", Value::as_bool)?;
    let base = match ledger.index.get(&id) {
        Some(&i) if !user => ledger.registry[i].clone(),
        None if user => Project::new_user_added(id.clone(), String::new(), None),
        _ => return None,
    };
    let mut p = base;
    p.name = required(o, "name", owned)?;
    p.owner = required(o, "owner", owned)?;
    p.district = optional(o, "district", keyed(District::from_key))?;
    p.scale = required(o, "scale", owned)?;
    p.notes = required(o, "notes", owned)?;
    p.cluster = optional(o, "cluster", keyed(Cluster::from_key))?;
    p.cluster_by = optional(o, "cluster_by", |v| match v.as_str()? {
        "ledger" => Some(ClusterBy::Ledger),
        "user" => Some(ClusterBy::User),
        _ => None,
    })?;
    p.stage = optional(o, "stage", keyed(Stage::from_key))?;
    let procedures = o.get("procedures")?.as_array()?;
    if procedures.len() != p.procedures.len() {
        return None;
    }
    for (state, v) in p.procedures.iter_mut().zip(procedures) {
        let [done, on] = v.as_array()?.as_slice() else {
            return None;
        };
        *state = ProcedureState {
            done: done.as_bool()?,
            date: match on {
                Value::Null => None,
                v => Some(date(v)?),
            },
        };
    }
    p.signed_on = optional(o, "signed_on", date)?;
    p.planned_start = optional(o, "planned_start", date)?;
    p.actual_start = optional(o, "actual_start", date)?;
    p.investment_wan = optional(o, "investment", Value::as_f64)?;
    p.changed_at = optional(o, "changed_at", Value::as_i64)?;
    p.stewards = o
        .get("stewards")?
        .as_array()?
        .iter()
        .map(owned)
        .collect::<Option<Vec<_>>>()?;
    p.responsible = optional(o, "responsible", owned)?;
    p.records = Vec::new();
    for r in o.get("records")?.as_array()? {
        let [id, record] = r.as_array()?.as_slice() else {
            return None;
        };
        p.records.push((owned(id)?, read_record(record)?));
    }
    p.blockers = Vec::new();
    for b in o.get("blockers")?.as_array()? {
        let [id, opened, resolved] = b.as_array()?.as_slice() else {
            return None;
        };
        let resolved = match resolved {
            Value::Null => None,
            Value::Array(pair) => match pair.as_slice() {
                [d, how] => Some((date(d)?, owned(how)?)),
                _ => return None,
            },
            _ => return None,
        };
        p.blockers.push(Blocker {
            id: owned(id)?,
            opened_as: read_new_blocker(opened)?,
            resolved,
        });
    }
    p.in_campaign = optional(o, "in_campaign", Value::as_bool)?;
    let slot = Slot {
        project: p,
        removed: required(o, "removed", Value::as_bool)?,
        heads: read_heads(o.get("heads")?)?,
        latest: read_key(o.get("latest")?)?,
    };
    match ledger.index.get(&id) {
        Some(&i) => ledger.slots[i] = slot,
        None => {
            ledger.index.insert(id, ledger.slots.len());
            ledger.slots.push(slot);
        }
    }
    Some(())
}
