//! The edit's wire format, written and read by hand, in this one file: every
//! name that reaches storage, a bundle or a server is a string literal here
//! (or a vocabulary enum's `key()`, itself a literal), so renaming Rust code
//! never changes data. Writing follows the first release byte for byte (field
//! order, `null` for an empty optional, numbers as serde_json wrote them);
//! `tests/wire_format.rs` checks every variant against fixtures of each format.
//!
//! ```text
//! format 1: {"i":"w:1","d":"device","p":"hc-07","t":1709200000000,"c":{"Stage":"Completed"}}
//! format 2: {"v":2,"i":"w:2","d":"device","p":"hc-07","t":1709200001000,"r":["w:1"],"c":{"Stage":"Producing"}}
//! format 3: {"v":3,"i":"w:3","d":"device","p":"hc-07","t":1709200002000,"a":{"u":"district-Haicheng-1","n":"孙立新"},"r":["w:2"],"c":{"Stage":"Started"}}
//! ```
//!
//! Reading goes through `serde_json::Value`, one small generic parser, instead
//! of a derived deserializer per type (which cost the phone's download about
//! 30 KB of wasm). An edit that does not read is [`Unreadable`], kept verbatim.

use crate::domain::log::edit::{
    Change, Edit, EditId, Entry, Maker, Subject, Unreadable, FORMAT, LEDGER_SUBJECT,
    MAX_MAKER_CHARS,
};
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{
    BlockerLevel, CampaignSettings, DispatchLevel, NewBlocker, Record, RecordKind, Supervision,
};
use crate::domain::vocab::people::{PersonDetails, Role};
use crate::domain::vocab::project::{Cluster, District, Procedure, Stage};
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

// ------------------------------------------------------------------ names

pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::CityLeader => "CityLeader",
        Role::DistrictParty => "DistrictParty",
        Role::DistrictCongress => "DistrictCongress",
        Role::DistrictGovernment => "DistrictGovernment",
        Role::DistrictCppcc => "DistrictCppcc",
        Role::LeadershipMember => "LeadershipMember",
        Role::ServiceTeam => "ServiceTeam",
    }
}

pub(crate) fn level_name(level: DispatchLevel) -> &'static str {
    match level {
        DispatchLevel::District => "District",
        DispatchLevel::CityLeader => "CityLeader",
        DispatchLevel::CityGovernment => "CityGovernment",
        DispatchLevel::PartyCommittee => "PartyCommittee",
    }
}

pub(crate) fn blocker_level_name(level: BlockerLevel) -> &'static str {
    match level {
        BlockerLevel::City => "City",
        BlockerLevel::District => "District",
    }
}

/// The variant whose wire name is `name`.
pub(crate) fn named<T: Copy>(all: &[T], name_of: fn(T) -> &'static str, name: &str) -> Option<T> {
    all.iter().copied().find(|v| name_of(*v) == name)
}

// ---------------------------------------------------------------- writing

/// A JSON string, escaped as serde_json escapes it.
pub(crate) fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn opt_string(out: &mut String, text: Option<&str>) {
    match text {
        Some(t) => string(out, t),
        None => out.push_str("null"),
    }
}

pub(crate) fn opt_date(out: &mut String, date: Option<Date>) {
    opt_string(out, date.map(|d| d.to_string()).as_deref());
}

/// `"key":` after a comma unless it is the object's first.
pub(crate) fn key(out: &mut String, name: &str, first: bool) {
    if !first {
        out.push(',');
    }
    string(out, name);
    out.push(':');
}

/// `{"Tag":` … `}` around a variant's value.
pub(crate) fn tagged(out: &mut String, tag: &str, value: impl FnOnce(&mut String)) {
    out.push('{');
    key(out, tag, true);
    value(out);
    out.push('}');
}

/// A field of an object: its name and what writes its value.
pub(crate) type FieldWriter<'a> = (&'a str, &'a dyn Fn(&mut String));

/// An object of named fields, each written by its closure, in order.
pub(crate) fn object(out: &mut String, fields: &[FieldWriter]) {
    out.push('{');
    for (i, (name, write)) in fields.iter().enumerate() {
        key(out, name, i == 0);
        write(out);
    }
    out.push('}');
}

/// A writer of one JSON string.
pub(crate) fn text(t: &str) -> impl Fn(&mut String) + '_ {
    move |out: &mut String| string(out, t)
}

pub(crate) fn write_change(out: &mut String, change: &Change) {
    match change {
        Change::Remove => string(out, "Remove"),
        Change::Reset => string(out, "Reset"),
        Change::Create { name, district } => tagged(out, "Create", |out| {
            object(
                out,
                &[
                    ("name", &text(name)),
                    ("district", &|out| {
                        opt_string(out, district.map(District::key))
                    }),
                ],
            )
        }),
        Change::Name(v) => tagged(out, "Name", text(v)),
        Change::Owner(v) => tagged(out, "Owner", text(v)),
        Change::Scale(v) => tagged(out, "Scale", text(v)),
        Change::Notes(v) => tagged(out, "Notes", text(v)),
        Change::Cluster(v) => tagged(out, "Cluster", |out| opt_string(out, v.map(Cluster::key))),
        Change::Stage(v) => tagged(out, "Stage", |out| opt_string(out, v.map(Stage::key))),
        Change::Procedure {
            procedure,
            done,
            date,
        } => tagged(out, "Procedure", |out| {
            object(
                out,
                &[
                    ("procedure", &text(procedure.key())),
                    ("done", &|out| {
                        out.push_str(if *done { "true" } else { "false" })
                    }),
                    ("date", &|out| opt_date(out, *date)),
                ],
            )
        }),
        Change::SignedOn(d) => tagged(out, "SignedOn", |out| opt_date(out, *d)),
        Change::PlannedStart(d) => tagged(out, "PlannedStart", |out| opt_date(out, *d)),
        Change::ActualStart(d) => tagged(out, "ActualStart", |out| opt_date(out, *d)),
        Change::InvestmentWan(v) => tagged(out, "InvestmentWan", |out| match v {
            // serde_json's spelling: shortest round trip, `12600.0` for a whole number.
            Some(v) if v.is_finite() => out.push_str(zmij::Buffer::new().format_finite(*v)),
            _ => out.push_str("null"),
        }),
        Change::SavePerson(p) => tagged(out, "SavePerson", |out| {
            let district = |out: &mut String| opt_string(out, p.district.map(District::key));
            let (name, role) = (text(&p.name), text(role_name(p.role)));
            let (unit, phone, login) = (text(&p.unit), text(&p.phone), text(&p.login));
            let mut fields: Vec<FieldWriter> = vec![
                ("name", &name),
                ("role", &role),
                ("district", &district),
                ("unit", &unit),
                ("phone", &phone),
            ];
            // Written only when there is one, so an entry without a login
            // reads byte for byte as formats 2 and 3 wrote it.
            if !p.login.is_empty() {
                fields.push(("login", &login));
            }
            object(out, &fields)
        }),
        Change::RemovePerson { reassign_to } => tagged(out, "RemovePerson", |out| {
            object(
                out,
                &[("reassign_to", &|out| {
                    opt_string(out, reassign_to.as_deref())
                })],
            )
        }),
        Change::Assign(p) => tagged(out, "Assign", text(p)),
        Change::Unassign(p) => tagged(out, "Unassign", text(p)),
        Change::Responsible(p) => tagged(out, "Responsible", |out| opt_string(out, p.as_deref())),
        Change::AddRecord(r) => tagged(out, "AddRecord", |out| write_record(out, r)),
        Change::Void { record, why } => tagged(out, "Void", |out| {
            object(out, &[("record", &text(record)), ("why", &text(why))])
        }),
        // With a deadline it is another tag: a version that reads only
        // "OpenBlocker" keeps it whole as unreadable instead of dropping the deadline.
        Change::OpenBlocker(b) => tagged(
            out,
            if b.deadline.is_some() {
                "OpenBlockerDue"
            } else {
                "OpenBlocker"
            },
            |out| write_new_blocker(out, b),
        ),
        Change::Supervise {
            blocker,
            supervision: s,
        } => tagged(out, "Supervise", |out| {
            object(
                out,
                &[
                    ("blocker", &text(blocker)),
                    ("level", &text(blocker_level_name(s.level))),
                    ("unit", &text(&s.unit)),
                    ("person", &text(&s.person)),
                    ("deadline", &|out| opt_date(out, s.deadline)),
                ],
            )
        }),
        Change::BlockerProgress {
            blocker,
            date,
            note,
        } => tagged(out, "BlockerProgress", |out| {
            object(
                out,
                &[
                    ("blocker", &text(blocker)),
                    ("date", &|out| opt_date(out, Some(*date))),
                    ("note", &text(note)),
                ],
            )
        }),
        Change::ResolveBlocker {
            blocker,
            resolved,
            how,
        } => tagged(out, "ResolveBlocker", |out| {
            object(
                out,
                &[
                    ("blocker", &text(blocker)),
                    ("resolved", &|out| opt_date(out, Some(*resolved))),
                    ("how", &text(how)),
                ],
            )
        }),
        Change::Campaign(v) => tagged(out, "Campaign", |out| {
            out.push_str(match v {
                Some(true) => "true",
                Some(false) => "false",
                None => "null",
            })
        }),
        Change::CampaignSettings(c) => tagged(out, "CampaignSettings", |out| {
            object(
                out,
                &[
                    ("start", &|out| opt_date(out, Some(c.start))),
                    ("days", &|out| out.push_str(&c.days.to_string())),
                ],
            )
        }),
    }
}

pub(crate) fn write_record(out: &mut String, r: &Record) {
    object(
        out,
        &[
            ("date", &|out| opt_date(out, Some(r.date))),
            ("kind", &|out| match r.kind {
                RecordKind::Visit => string(out, "Visit"),
                RecordKind::Inspection => string(out, "Inspection"),
                RecordKind::Dispatch(level) => tagged(out, "Dispatch", text(level_name(level))),
            }),
            ("who", &|out| opt_string(out, r.who.as_deref())),
            ("notes", &text(&r.notes)),
        ],
    )
}

pub(crate) fn write_new_blocker(out: &mut String, b: &NewBlocker) {
    object(
        out,
        &[
            ("description", &text(&b.description)),
            ("level", &text(blocker_level_name(b.level))),
            ("unit", &text(&b.unit)),
            ("opened", &|out| opt_date(out, Some(b.opened))),
        ],
    );
    if let Some(deadline) = b.deadline {
        // Reopens the object: its closing brace is one byte.
        out.truncate(out.len() - 1);
        key(out, "deadline", false);
        opt_date(out, Some(deadline));
        out.push('}');
    }
}

/// Appends one edit as JSON.
pub fn write_edit(out: &mut String, edit: &Edit) {
    out.push('{');
    if edit.format() != 1 {
        key(out, "v", true);
        out.push_str(&edit.format().to_string());
        out.push(',');
    }
    key(out, "i", true);
    string(out, &edit.id.to_string());
    key(out, "d", false);
    string(out, &edit.device);
    key(out, "p", false);
    string(out, edit.subject.id());
    key(out, "t", false);
    out.push_str(&edit.at.to_string());
    if let Some(maker) = &edit.made_by {
        // `{}` is 未署名: made with nobody signed in and no 我是 chosen.
        key(out, "a", false);
        out.push('{');
        let mut first = true;
        for (name, value) in [("u", &maker.login), ("n", &maker.person)] {
            if let Some(value) = value {
                key(out, name, first);
                string(out, value);
                first = false;
            }
        }
        out.push('}');
    }
    if let Some(replaces) = edit.replaces.as_deref().filter(|r| !r.is_empty()) {
        key(out, "r", false);
        out.push('[');
        for (i, id) in replaces.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(out, &id.to_string());
        }
        out.push(']');
    }
    key(out, "c", false);
    write_change(out, &edit.change);
    out.push('}');
}

/// One entry as JSON: an edit written out, an unreadable one as it came.
pub fn write_entry(out: &mut String, entry: &Entry) {
    match entry {
        Entry::Edit(edit) => write_edit(out, edit),
        Entry::Unreadable(u) => out.push_str(u.raw.get()),
    }
}

/// Entries as a JSON array: a stored segment.
pub fn write_entries<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut out = String::from("[");
    for (i, entry) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_entry(&mut out, entry);
    }
    out.push(']');
    out
}

// ---------------------------------------------------------------- reading

pub(crate) fn owned(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// A field that may be missing or `null` (derived readers took both as `None`).
pub(crate) fn optional<T>(
    object: &Map<String, Value>,
    name: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<Option<T>> {
    match object.get(name) {
        None | Some(Value::Null) => Some(None),
        Some(v) => read(v).map(Some),
    }
}

pub(crate) fn required<T>(
    object: &Map<String, Value>,
    name: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    read(object.get(name)?)
}

pub(crate) fn date(v: &Value) -> Option<Date> {
    Date::parse(v.as_str()?)
}

pub(crate) fn keyed<T>(from_key: fn(&str) -> Option<T>) -> impl Fn(&Value) -> Option<T> {
    move |v| from_key(v.as_str()?)
}

/// A value that may be `null`.
pub(crate) fn nullable<T>(v: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Option<T>> {
    match v {
        Value::Null => Some(None),
        v => read(v).map(Some),
    }
}

pub(crate) fn record_kind(v: &Value) -> Option<RecordKind> {
    match v {
        Value::String(s) if s == "Visit" => Some(RecordKind::Visit),
        Value::String(s) if s == "Inspection" => Some(RecordKind::Inspection),
        Value::Object(o) if o.len() == 1 => {
            let level = o.get("Dispatch")?.as_str()?;
            named(&DispatchLevel::ALL, level_name, level).map(RecordKind::Dispatch)
        }
        _ => None,
    }
}

pub(crate) fn read_record(v: &Value) -> Option<Record> {
    let o = v.as_object()?;
    Some(Record {
        date: required(o, "date", date)?,
        kind: required(o, "kind", record_kind)?,
        who: optional(o, "who", owned)?,
        notes: required(o, "notes", owned)?,
    })
}

pub(crate) fn read_new_blocker(v: &Value) -> Option<NewBlocker> {
    let o = v.as_object()?;
    Some(NewBlocker {
        description: required(o, "description", owned)?,
        level: required(o, "level", |v| {
            named(&BlockerLevel::ALL, blocker_level_name, v.as_str()?)
        })?,
        unit: required(o, "unit", owned)?,
        opened: required(o, "opened", date)?,
        deadline: optional(o, "deadline", date)?,
    })
}

pub(crate) fn read_change(c: &Value) -> Option<Change> {
    let (tag, v) = match c {
        Value::String(tag) => {
            return match tag.as_str() {
                "Remove" => Some(Change::Remove),
                "Reset" => Some(Change::Reset),
                _ => None,
            }
        }
        Value::Object(o) if o.len() == 1 => o.iter().next()?,
        _ => return None,
    };
    read_tagged(tag, v)
}

/// A change by its variant's name and body (`{"Name": body}` in the log).
pub(crate) fn read_tagged(tag: &str, v: &Value) -> Option<Change> {
    let o = || v.as_object();
    Some(match tag {
        "Create" => {
            let o = o()?;
            Change::Create {
                name: required(o, "name", owned)?,
                district: optional(o, "district", keyed(District::from_key))?,
            }
        }
        "Name" => Change::Name(owned(v)?),
        "Owner" => Change::Owner(owned(v)?),
        "Scale" => Change::Scale(owned(v)?),
        "Notes" => Change::Notes(owned(v)?),
        "Cluster" => Change::Cluster(nullable(v, keyed(Cluster::from_key))?),
        "Stage" => Change::Stage(nullable(v, keyed(Stage::from_key))?),
        "Procedure" => {
            let o = o()?;
            Change::Procedure {
                procedure: required(o, "procedure", keyed(Procedure::from_key))?,
                done: required(o, "done", Value::as_bool)?,
                date: optional(o, "date", date)?,
            }
        }
        "SignedOn" => Change::SignedOn(nullable(v, date)?),
        "PlannedStart" => Change::PlannedStart(nullable(v, date)?),
        "ActualStart" => Change::ActualStart(nullable(v, date)?),
        "InvestmentWan" => Change::InvestmentWan(nullable(v, Value::as_f64)?),
        "SavePerson" => {
            let o = o()?;
            Change::SavePerson(PersonDetails {
                name: required(o, "name", owned)?,
                role: required(o, "role", |v| named(&Role::ALL, role_name, v.as_str()?))?,
                district: optional(o, "district", keyed(District::from_key))?,
                unit: required(o, "unit", owned)?,
                phone: required(o, "phone", owned)?,
                login: optional(o, "login", owned)?.unwrap_or_default(),
            })
        }
        "RemovePerson" => Change::RemovePerson {
            reassign_to: optional(o()?, "reassign_to", owned)?,
        },
        "Assign" => Change::Assign(owned(v)?),
        "Unassign" => Change::Unassign(owned(v)?),
        "Responsible" => Change::Responsible(nullable(v, owned)?),
        "AddRecord" => Change::AddRecord(read_record(v)?),
        "Void" => {
            let o = o()?;
            Change::Void {
                record: required(o, "record", owned)?,
                why: required(o, "why", owned)?,
            }
        }
        "OpenBlocker" => Change::OpenBlocker(read_new_blocker(v)?).filter_due(false)?,
        "OpenBlockerDue" => Change::OpenBlocker(read_new_blocker(v)?).filter_due(true)?,
        "Supervise" => {
            let o = o()?;
            Change::Supervise {
                blocker: required(o, "blocker", owned)?,
                supervision: Supervision {
                    level: required(o, "level", |v| {
                        named(&BlockerLevel::ALL, blocker_level_name, v.as_str()?)
                    })?,
                    unit: required(o, "unit", owned)?,
                    person: required(o, "person", owned)?,
                    deadline: optional(o, "deadline", date)?,
                },
            }
        }
        "BlockerProgress" => {
            let o = o()?;
            Change::BlockerProgress {
                blocker: required(o, "blocker", owned)?,
                date: required(o, "date", date)?,
                note: required(o, "note", owned)?,
            }
        }
        "ResolveBlocker" => {
            let o = o()?;
            Change::ResolveBlocker {
                blocker: required(o, "blocker", owned)?,
                resolved: required(o, "resolved", date)?,
                how: required(o, "how", owned)?,
            }
        }
        "Campaign" => Change::Campaign(nullable(v, Value::as_bool)?),
        "CampaignSettings" => {
            let o = o()?;
            Change::CampaignSettings(CampaignSettings {
                start: required(o, "start", date)?,
                days: required(o, "days", |v| u16::try_from(v.as_u64()?).ok())?,
            })
        }
        _ => return None,
    })
}

impl Change {
    /// Each opened blocker has one spelling: a deadline only under "OpenBlockerDue".
    fn filter_due(self, due: bool) -> Option<Change> {
        match &self {
            Change::OpenBlocker(b) if b.deadline.is_some() != due => None,
            _ => Some(self),
        }
    }
}

pub(crate) fn edit_id(v: &Value) -> Option<EditId> {
    v.as_str()?.parse().ok()
}

/// An edit of a format this version knows, with every field readable.
pub(crate) fn read_edit(o: &Map<String, Value>) -> Option<Edit> {
    let format = optional(o, "v", |v| u32::try_from(v.as_u64()?).ok())?.unwrap_or(1);
    if format == 0 || format > FORMAT {
        return None;
    }
    let change = read_change(o.get("c")?)?;
    let subject_id = required(o, "p", owned)?;
    let subject = Subject::of(&subject_id, &change);
    if subject == Subject::Ledger && subject_id != LEDGER_SUBJECT {
        return None;
    }
    let replaces = match format {
        1 => None,
        _ => Some(
            optional(o, "r", |v| {
                v.as_array()?
                    .iter()
                    .map(edit_id)
                    .collect::<Option<Vec<_>>>()
            })?
            .unwrap_or_default(),
        ),
    };
    let made_by = match format {
        1 | 2 => None,
        _ => Some(Box::new(required(o, "a", read_maker)?)),
    };
    Some(Edit {
        id: required(o, "i", edit_id)?,
        device: required(o, "d", owned)?,
        subject,
        at: required(o, "t", Value::as_i64)?,
        replaces,
        made_by,
        change,
    })
}

fn read_maker(v: &Value) -> Option<Maker> {
    let o = v.as_object()?;
    let name = |v: &Value| {
        let text = v.as_str()?;
        (!text.is_empty() && text.chars().count() <= MAX_MAKER_CHARS).then(|| text.to_owned())
    };
    Some(Maker {
        login: optional(o, "u", name)?,
        person: optional(o, "n", name)?,
    })
}

/// One element of a segment, bundle or backup: an edit, or an unreadable one
/// that has an id (so it is held once). Text without even an id is no edit.
pub fn read_entry(raw: &RawValue) -> Option<Entry> {
    read_entry_text(raw.get())
}

/// `read_entry` of one edit's text (as storage keeps it, one record an edit).
pub fn read_entry_text(text: &str) -> Option<Entry> {
    let value: Value = serde_json::from_str(text).ok()?;
    let object = value.as_object()?;
    if let Some(edit) = read_edit(object) {
        return Some(Entry::Edit(edit));
    }
    Some(Entry::Unreadable(Unreadable {
        id: required(object, "i", edit_id)?,
        raw: RawValue::from_string(text.to_owned()).ok()?,
    }))
}

/// One entry's text.
pub fn entry_text(entry: &Entry) -> String {
    let mut out = String::new();
    write_entry(&mut out, entry);
    out
}

/// A list of entries read one by one: what can be read loads, an unreadable
/// edit is kept verbatim, and `garbage` counts elements that are no edit.
#[derive(Debug, Default, PartialEq)]
pub struct Entries {
    pub entries: Vec<Entry>,
    pub garbage: usize,
}

/// Reads a JSON array of edits element by element. `Err` only when the text
/// is no JSON array at all.
pub fn read_entries(text: &str) -> Result<Entries, serde_json::Error> {
    let raws: Vec<&RawValue> = serde_json::from_str(text)?;
    let mut out = Entries::default();
    for raw in raws {
        match read_entry(raw) {
            Some(entry) => out.entries.push(entry),
            None => out.garbage += 1,
        }
    }
    Ok(out)
}

// Bundles and backups are serde structs holding entries: an entry goes through
// the wire format as raw JSON.
impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::new();
        write_entry(&mut out, self);
        RawValue::from_string(out)
            .map_err(S::Error::custom)?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Entry, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        read_entry(&raw).ok_or_else(|| D::Error::custom("not an edit: no edit id"))
    }
}
