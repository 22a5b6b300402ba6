//! The edit log in IndexedDB: the keeper's `Backend`, a subject's
//! history, the whole log for the office, a restore from a backup.

use super::*;

/// Opens the database; a new one gets the meta `create` (without one none
/// is created: read-only mode writes nothing). With `restore`, upgrades it
/// to that version, replacing the log with those records.
pub(super) async fn open_db(
    create: Option<String>,
    restore: Option<(u32, js_sys::Array)>,
) -> Result<u64, Fault> {
    // Another tab restores a backup: this one has let go, and writes nothing more.
    let let_go = Closure::<dyn FnMut()>::new(|| with_state(|s| s.read_only = true));
    let (version, records) = restore.unzip();
    let opened = idb_open(create, version, records, let_go.as_ref().unchecked_ref()).await;
    let_go.forget();
    let version = opened.map_err(fault_of)?.as_f64().unwrap_or(1.0) as u64;
    with_state(|s| s.version = version);
    Ok(version)
}

/// Why this generation may not write, if so: the database was replaced
/// since, by another tab (which took it away: `writable_db` says so) or by
/// this one (its version moved on).
fn writable_as(generation: u64) -> Result<(), Fault> {
    writable_db()?;
    if with_state(|s| s.version) == generation {
        Ok(())
    } else {
        Err(Fault::Replaced)
    }
}

/// Why nothing may be written now, if so.
pub(super) fn writable_db() -> Result<(), Fault> {
    if with_state(|s| s.read_only) {
        Err(Fault::Replaced)
    } else {
        readable_db()
    }
}

pub(super) fn readable_db() -> Result<(), Fault> {
    if idb_opened() {
        Ok(())
    } else if with_state(|s| s.read_only) {
        Err(Fault::Replaced)
    } else {
        Err(Fault::Failed("IndexedDB".into()))
    }
}

/// The subject an entry's record is found by ('' for an edit this version
/// cannot read).
pub(super) fn subject(entry: &Entry) -> String {
    match entry {
        Entry::Edit(e) => e.subject.id().to_owned(),
        Entry::Unreadable(_) => String::new(),
    }
}

pub(super) fn record(entry: &Entry) -> JsValue {
    let object = js_sys::Object::new();
    let id = entry.id().to_string();
    let author = author_of(entry);
    for (key, value) in [("i", id), ("p", subject(entry)), ("j", entry_text(entry))]
        .into_iter()
        .chain(author.map(|a| ("a", a)))
    {
        js_sys::Reflect::set(&object, &key.into(), &value.into()).ok();
    }
    object.into()
}

/// The person an edit of this page's is by, when known: kept in its record
/// (`a`) for history and conflict lists; not part of the edit.
pub(super) fn author_of(entry: &Entry) -> Option<String> {
    with_state(|s| s.writer == entry.id().writer)
        .then(local_author)
        .flatten()
}

/// A new writer for this page load: the first part of its edit ids.
pub fn new_writer() -> String {
    let writer = random_id(8);
    with_state(|s| s.writer = writer.clone());
    writer
}

pub(super) fn records(entries: &[Entry]) -> js_sys::Array {
    entries.iter().map(record).collect()
}

/// Entries from stored texts. A record that does not read (torn text, or no
/// edit record at all: `null`, a number, a foreign object, which the adapter
/// hands over as `{raw}`) is left where it is (records are never written
/// over) and, when its arrival `keys` are given, copied aside and offered for
/// download (a history read gives none: open has offered it). The others read
/// on: one bad record never hides the log.
pub(super) fn entries_of(texts: &JsValue, keys: Option<&JsValue>) -> Vec<Entry> {
    let texts = js_sys::Array::from(texts);
    let mut out = Vec::with_capacity(texts.length() as usize);
    for (n, value) in texts.iter().enumerate() {
        let (entry, raw) = match value.as_string() {
            Some(text) => (read_entry_text(&text), text),
            None => (None, raw_of(&value)),
        };
        match entry {
            Some(entry) => out.push(entry),
            None => {
                if let Some(keys) = keys {
                    let key = js_sys::Reflect::get_u32(keys, n as u32)
                        .ok()
                        .and_then(|k| k.as_f64())
                        .unwrap_or_default() as u64;
                    let problem = quarantine(&format!("indexeddb.edits.{key}"), &raw);
                    with_state(|s| s.found.push(problem));
                }
            }
        }
    }
    out
}

/// The raw value the adapter gives for a record of no edit's shape.
pub(super) fn raw_of(value: &JsValue) -> String {
    js_sys::Reflect::get(value, &"raw".into())
        .ok()
        .and_then(|r| r.as_string())
        .unwrap_or_default()
}

/// The log in this browser's IndexedDB. A restore upgrades the database:
/// its version is the generation `Backend` speaks of. A tab opened before
/// lets go of it and writes nothing more; in the tab that restored, a write
/// of the old generation is refused.
#[derive(Clone, Copy)]
pub struct Idb;

impl Backend for Idb {
    async fn append(&self, generation: u64, entries: &[Entry]) -> Result<(), Fault> {
        writable_as(generation)?;
        let committed = idb_append(records(entries)).map_err(fault_of)?;
        // Said as soon as the transaction exists, not only once it has
        // committed: a tab closed right after an edit may never get to say it
        // later. Another tab's read, made after this write, waits for it.
        broadcast(Message::Edits);
        JsFuture::from(committed).await.map_err(fault_of)?;
        broadcast(Message::Edits);
        Ok(())
    }

    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault> {
        readable_db()?;
        let found = js_sys::Array::from(&idb_after(mark as f64).await.map_err(fault_of)?);
        let keys = found.get(1);
        let newest = js_sys::Array::from(&keys)
            .iter()
            .filter_map(|k| k.as_f64())
            .fold(mark as f64, f64::max) as u64;
        Ok((entries_of(&found.get(0), Some(&keys)), newest))
    }

    async fn about(&self, subjects: &[String]) -> Result<Vec<Entry>, Fault> {
        readable_db()?;
        let texts = idb_subjects(subjects.to_vec()).await.map_err(fault_of)?;
        Ok(entries_of(&texts, None))
    }

    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        writable_as(generation)?;
        let value = js_sys::Object::new();
        js_sys::Reflect::set(&value, &"mark".into(), &(mark as f64).into()).ok();
        js_sys::Reflect::set(&value, &"text".into(), &text.into()).ok();
        idb_put("snapshot", value.into()).await.map_err(fault_of)?;
        Ok(())
    }

    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault> {
        writable_db()?;
        let next = with_state(|s| s.version) + 1;
        // This tab lets go first, or its own connection would block the upgrade.
        idb_close();
        match open_db(None, Some((next as u32, records(entries)))).await {
            Ok(version) => {
                broadcast(Message::Replaced);
                Ok(version)
            }
            Err(fault) => {
                // Refused (a full disk aborts the upgrade): nothing changed; open it again.
                open_db(None, None).await.ok();
                Err(fault)
            }
        }
    }
}

/// A read that failed, named as a read (a write's words would say 保存失败).
pub(super) fn read_problem(fault: Fault) -> Problem {
    match fault {
        Fault::Failed(why) => Problem::ReadFailed(why),
        other => other.problem(),
    }
}

/// [meta, snapshot] as stored.
pub(super) async fn read_state() -> Result<(JsValue, JsValue), Fault> {
    let state = js_sys::Array::from(&idb_state().await.map_err(fault_of)?);
    Ok((state.get(0), state.get(1)))
}

pub use crate::domain::edit::Authored;

/// One subject's edits from storage, in any order (the store sorts them).
pub async fn history(subject: &str) -> Result<Vec<Authored>, Fault> {
    readable_db()?;
    let found = js_sys::Array::from(&idb_subject(subject).await.map_err(fault_of)?);
    Ok(authored(&found.get(0), &found.get(1)))
}

/// Every readable edit stored, each with the person its record names (the
/// office's digest and its ledger as of a date).
pub async fn all_authored() -> Result<Vec<Authored>, Fault> {
    readable_db()?;
    let found = js_sys::Array::from(&idb_all().await.map_err(fault_of)?);
    Ok(authored(&found.get(0), &found.get(1)))
}

/// Looks one edit up by id (a conflict's side the ledger does not keep whole).
pub async fn edit_by_id(id: &EditId) -> Option<Authored> {
    readable_db().ok()?;
    let found = js_sys::Array::from(&idb_record(&id.to_string()).await.ok()?);
    authored(&found.get(0), &found.get(1)).pop()
}

/// Readable edits of stored texts, each with its record's author.
pub(super) fn authored(texts: &JsValue, authors: &JsValue) -> Vec<Authored> {
    let authors = js_sys::Array::from(authors);
    js_sys::Array::from(texts)
        .iter()
        .zip(authors.iter())
        .filter_map(
            // A record of no edit's shape was offered at open; here it is skipped.
            |(text, author)| match read_entry_text(&text.as_string()?)? {
                Entry::Edit(e) => Some((e, author.as_string().filter(|a| !a.is_empty()))),
                Entry::Unreadable(_) => None,
            },
        )
        .collect()
}

/// Replaces everything local with a backup: its log in one transaction
/// (another tab then stops writing), then its settings.
pub async fn restore(
    backend: &Idb,
    backup: &crate::domain::exchange::Backup,
) -> Result<u64, Problem> {
    writable()?;
    let generation = backend
        .replace_all(&backup.edits)
        .await
        .map_err(|f| f.problem())?;
    let views = serde_json::to_string(&backup.views).unwrap_or_default();
    put_setting(VIEWS_KEY, &views)?;
    match &backup.me {
        Some(me) => put_setting(ME_KEY, me)?,
        None => {
            if let Some(raw) = local() {
                raw.remove_item(ME_KEY).ok();
            }
        }
    }
    Ok(generation)
}
