//! One edit as one CouchDB document, and the server's replies read back.
//!
//! ```text
//! {"_id": "<edit id>", "author": "<CouchDB user>", "district": "Haicheng" | null,
//!  "edit": <the edit in its wire format, as stored on the device>}
//! ```
//!
//! The `_id` is the edit's id, so pushing an edit twice is a conflict, never a
//! copy. The author is the person whose session pushed it (edits made before
//! sign-in are pushed under whoever signs in); it sits beside the edit, not in
//! it, so the edit's text is the same on every device and in every bundle.
//! `district` is the subject's district as its id names it
//! (`District::of_subject`): the server's `validate_doc_update` sees only the
//! document being written and checks the two agree.

use crate::domain::log::edit::{EditId, Entry};
use crate::domain::log::wire;
use crate::domain::vocab::project::District;
use serde_json::{Map, Value};

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
    let rows: Value = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for row in rows.as_array()? {
        let Some(id) = row
            .get("id")
            .and_then(Value::as_str)
            .and_then(|i| i.parse().ok())
        else {
            continue;
        };
        out.push((id, pushed(row.as_object()?)));
    }
    Some(out)
}

fn pushed(row: &Map<String, Value>) -> Pushed {
    let text = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or("");
    if row.get("ok").and_then(Value::as_bool) == Some(true) || !text("rev").is_empty() {
        return Pushed::Stored;
    }
    // CouchDB writes `error` and `reason`; PouchDB's server `name` and `message`.
    let error = [text("error"), text("name")]
        .into_iter()
        .find(|e| !e.is_empty())
        .unwrap_or("");
    let reason = [text("reason"), text("message")]
        .into_iter()
        .find(|r| !r.is_empty())
        .unwrap_or(error)
        .to_owned();
    match error {
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
    /// The edit as JSON; compared as a value (a server may reorder keys).
    pub edit: Value,
}

/// Reads an `_all_docs?include_docs=true` reply: each id with the document
/// held under it, or `None` for none (not found, deleted).
pub fn read_keys_reply(text: &str) -> Option<Vec<(EditId, Option<Held>)>> {
    let reply: Value = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for row in reply.get("rows")?.as_array()? {
        let Some(id) = row
            .get("key")
            .and_then(Value::as_str)
            .and_then(|i| i.parse().ok())
        else {
            continue;
        };
        out.push((id, row.get("doc").and_then(held)));
    }
    Some(out)
}

fn held(doc: &Value) -> Option<Held> {
    Some(Held {
        author: doc.get("author")?.as_str()?.to_owned(),
        edit: doc.get("edit")?.clone(),
    })
}

/// Whether the server's document holds this very edit.
pub fn same_edit(held: &Held, entry: &Entry) -> bool {
    serde_json::from_str::<Value>(&wire::entry_text(entry)).is_ok_and(|ours| ours == held.edit)
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
    let reply: Value = serde_json::from_str(text).ok()?;
    let results = reply.get("results")?.as_array()?;
    let mut page = ChangesPage {
        edits: Vec::new(),
        foreign: 0,
        rows: results.len(),
        last_seq: reply.get("last_seq")?.to_string(),
    };
    for row in results {
        match row.get("doc").and_then(pulled) {
            Some(p) if row.get("id").and_then(Value::as_str) == Some(&p.entry.id().to_string()) => {
                page.edits.push(p)
            }
            _ => page.foreign += 1,
        }
    }
    Some(page)
}

fn pulled(doc: &Value) -> Option<Pulled> {
    if doc.get("_deleted").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let held = held(doc)?;
    let entry = wire::read_entry_text(&held.edit.to_string())?;
    Some(Pulled {
        entry,
        author: held.author,
    })
}

/// A sequence as a `since=` parameter: a string's text, any other value's JSON.
pub fn since_param(seq: &str) -> String {
    match serde_json::from_str::<Value>(seq) {
        Ok(Value::String(s)) => s,
        _ => seq.to_owned(),
    }
}
