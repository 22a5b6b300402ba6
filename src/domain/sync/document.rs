//! One edit as one CouchDB document, and the server's replies read back.
//!
//! ```text
//! {"_id": "<edit id>", "author": "<CouchDB user>", "district": "Haicheng" | null,
//!  "edit": <the edit in its wire format, as stored on the device>}
//! ```
//!
//! The `_id` is the edit's id, so pushing an edit twice is a conflict, never a
//! copy. `author` is the person whose session uploaded it, the one fact about
//! people the server can vouch for; who made the edit is inside it (format 3,
//! `Maker`), fixed when it was made, so an edit carried in a 修改包 and
//! uploaded by someone else keeps its maker and screens name both.
//! `district` is the subject's district as its id names it
//! (`District::of_subject`): the server's `validate_doc_update` sees only the
//! document being written and checks the two agree.

use crate::domain::log::edit::{EditId, Entry};
use crate::domain::log::wire;
use crate::domain::vocab::project::District;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;

/// The subject id an entry is about (`p`), also of an edit this version
/// cannot read.
pub fn subject_of(entry: &Entry) -> Option<String> {
    match entry {
        Entry::Edit(edit) => Some(edit.subject.id().to_owned()),
        Entry::Unreadable(u) => {
            let value: Value = serde_json::from_str(u.raw.get()).ok()?;
            value.get("p")?.as_str().map(str::to_owned)
        }
    }
}

/// The document of one entry, pushed under `author`.
pub fn document(entry: &Entry, author: &str) -> String {
    let district = subject_of(entry).as_deref().and_then(District::of_subject);
    let mut out = String::from("{");
    wire::key(&mut out, "_id", true);
    wire::string(&mut out, &entry.id().to_string());
    wire::key(&mut out, "author", false);
    wire::string(&mut out, author);
    wire::key(&mut out, "district", false);
    wire::opt_string(&mut out, district.map(District::key));
    wire::key(&mut out, "edit", false);
    wire::write_entry(&mut out, entry);
    out.push('}');
    out
}

/// A `_bulk_docs` body: create-only (no `_rev`), so a document that exists
/// is answered with an error row, never overwritten.
pub fn bulk_body<'a>(entries: impl IntoIterator<Item = &'a Entry>, author: &str) -> String {
    let mut out = String::from("{\"docs\":[");
    for (i, entry) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&document(entry, author));
    }
    out.push_str("]}");
    out
}

/// The members of a JSON object, each as its raw text: replies are read
/// one level at a time, and an edit keeps the exact text the server holds.
/// (One small generic parse instead of a tree of values and a serializer
/// for them: this code ships in the field app.)
pub type Fields<'a> = BTreeMap<&'a str, &'a RawValue>;

pub fn fields(text: &str) -> Option<Fields<'_>> {
    serde_json::from_str(text).ok()
}

/// The elements of a JSON array, as raw text.
pub fn elements(raw: &RawValue) -> Option<Vec<&RawValue>> {
    serde_json::from_str(raw.get()).ok()
}

/// A member that is a string.
pub fn text(fields: &Fields, key: &str) -> Option<String> {
    fields
        .get(key)
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
}

/// What the server said about one pushed document.
#[derive(Clone, Debug, PartialEq)]
pub enum Pushed {
    Stored,
    /// A document with this id exists (CouchDB 3: `conflict`; PouchDB's
    /// server and our design check: `forbidden` with "immutable"): it is
    /// there already if its body is ours, which `_all_docs` tells.
    Exists,
    /// The server refused it, with its reason (a district rule, a type).
    Refused(String),
    /// Refused for want of a session: sign in again, then push it again.
    Unauthorized,
}

/// The word the design document's refusal of a second write starts with.
pub const IMMUTABLE: &str = "immutable";

/// Reads a `_bulk_docs` reply row by row, by id (servers answer in any
/// order). `None` when it is no such reply.
pub fn read_bulk_reply(text: &str) -> Option<Vec<(EditId, Pushed)>> {
    let rows: Vec<&RawValue> = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for row in rows {
        let row = fields(row.get())?;
        let Some(id) = self::text(&row, "id").and_then(|i| i.parse().ok()) else {
            continue;
        };
        out.push((id, pushed(&row)));
    }
    Some(out)
}

fn pushed(row: &Fields) -> Pushed {
    let get = |k: &str| text(row, k).unwrap_or_default();
    if row.get("ok").is_some_and(|v| v.get() == "true") || !get("rev").is_empty() {
        return Pushed::Stored;
    }
    // CouchDB writes `error` and `reason`; PouchDB's server `name` and `message`.
    let error = [get("error"), get("name")]
        .into_iter()
        .find(|e| !e.is_empty())
        .unwrap_or_default();
    let reason = [get("reason"), get("message")]
        .into_iter()
        .find(|r| !r.is_empty())
        .unwrap_or_else(|| error.clone());
    match error.as_str() {
        "conflict" => Pushed::Exists,
        "forbidden" if reason.starts_with(IMMUTABLE) => Pushed::Exists,
        "unauthorized" => Pushed::Unauthorized,
        _ => Pushed::Refused(if reason.is_empty() {
            "?".to_owned()
        } else {
            reason
        }),
    }
}

/// The `_all_docs` body that fetches these documents with their bodies.
pub fn keys_body<'a>(ids: impl IntoIterator<Item = &'a EditId>) -> String {
    let mut out = String::from("{\"keys\":[");
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        wire::string(&mut out, &id.to_string());
    }
    out.push_str("]}");
    out
}

/// A document of the server as read back: its author and its edit.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub author: String,
    /// The edit's JSON text as the server holds it.
    pub edit: String,
}

/// Reads an `_all_docs?include_docs=true` reply: each id with the document
/// held under it, or `None` for none (not found, deleted).
pub fn read_keys_reply(text: &str) -> Option<Vec<(EditId, Option<Held>)>> {
    let reply = fields(text)?;
    let mut out = Vec::new();
    for row in elements(reply.get("rows")?)? {
        let row = fields(row.get())?;
        let Some(id) = self::text(&row, "key").and_then(|i| i.parse().ok()) else {
            continue;
        };
        out.push((
            id,
            row.get("doc")
                .and_then(|d| fields(d.get()))
                .and_then(|d| held(&d)),
        ));
    }
    Some(out)
}

fn held(doc: &Fields) -> Option<Held> {
    Some(Held {
        author: text(doc, "author")?,
        edit: doc.get("edit")?.get().to_owned(),
    })
}

/// Whether the server's document holds this very edit (compared as JSON
/// values: a server may reorder keys or respace).
pub fn same_edit(held: &Held, entry: &Entry) -> bool {
    let theirs = serde_json::from_str::<Value>(&held.edit);
    let ours = serde_json::from_str::<Value>(&wire::entry_text(entry));
    matches!((theirs, ours), (Ok(a), Ok(b)) if a == b)
}

/// An edit pulled from the server, with the person whose session pushed it.
#[derive(Clone, Debug, PartialEq)]
pub struct Pulled {
    pub entry: Entry,
    pub author: String,
}

/// One page of `_changes?include_docs=true`.
#[derive(Debug, PartialEq)]
pub struct ChangesPage {
    pub edits: Vec<Pulled>,
    /// Rows that are no edit of this app (a design document, a deletion,
    /// another app's document): skipped, counted.
    pub foreign: usize,
    /// How many results the page had, edits or not (a full page means more).
    pub rows: usize,
    /// The sequence to continue from, as the JSON the server wrote: opaque
    /// (CouchDB 3 writes long strings, PouchDB integers).
    pub last_seq: String,
}

/// Reads a `_changes` reply. `None` when it is no such reply.
pub fn read_changes(text: &str) -> Option<ChangesPage> {
    let reply = fields(text)?;
    let results = elements(reply.get("results")?)?;
    let mut page = ChangesPage {
        edits: Vec::new(),
        foreign: 0,
        rows: results.len(),
        last_seq: reply.get("last_seq")?.get().to_owned(),
    };
    for row in results {
        let row = fields(row.get());
        let pulled = row.as_ref().and_then(|r| {
            let p = pulled(&fields(r.get("doc")?.get())?)?;
            (self::text(r, "id")? == p.entry.id().to_string()).then_some(p)
        });
        match pulled {
            Some(p) => page.edits.push(p),
            None => page.foreign += 1,
        }
    }
    Some(page)
}

fn pulled(doc: &Fields) -> Option<Pulled> {
    if doc.get("_deleted").is_some_and(|v| v.get() == "true") {
        return None;
    }
    Some(Pulled {
        entry: wire::read_entry(doc.get("edit")?)?,
        author: text(doc, "author")?,
    })
}

/// A sequence as a `since=` parameter: a string's text, any other value's JSON.
pub fn since_param(seq: &str) -> String {
    serde_json::from_str::<String>(seq).unwrap_or_else(|_| seq.to_owned())
}
