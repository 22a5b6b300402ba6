//! The only module that touches browser storage.
//!
//! The edit log lives in IndexedDB. Its requests are made by a small
//! promise adapter in JavaScript (`storage_idb.js`, one function a
//! transaction); this module decides everything else. The crates tried
//! (rexie, indexed_db_futures) each added 16–18 KB to the phone's download
//! and web-sys's bindings about 5 KB, against 8 KB for the whole store
//! (ARCHITECTURE.md, "Storage"). Database `project-ledger`:
//! - `edits`: one record an edit, `{i: id, p: subject, j: its wire text}`,
//!   or one a page pulled from a sync server (the same fields as lists, in a
//!   database schema 3 made), keyed by arrival number (auto-increment,
//!   across tabs); indexes `i` (unique) and `p` (a subject's history on
//!   demand), multi-entry from schema 3 on.
//! - `state`: `meta` (`{"schema":3,"device":…}`) and `snapshot` (`{mark, text}`).
//!
//! A restore upgrades the database by one version, replacing the log in the
//! upgrade itself: every other tab must let go of the database first, so the
//! version is the generation `keeper::Backend` speaks of.
//!
//! Small settings (我是, saved views, drafts, what was sent to whom, what was
//! exported) stay in localStorage through gloo-storage. The first release's
//! log (`ledger.v1.*` in localStorage) is moved here on first open; see `open`.

use crate::domain::edit::{Edit, EditId, Entry};
use crate::domain::keeper::{Backend, Core, Fault, Mode};
use crate::domain::log::wire::{entry_text, read_entry_text};
use crate::domain::stored::{
    decode_segment, is_quota_error, parse_segment_key, quarantine_key, Problem, SavedView,
    META_KEY, QUARANTINE_PREFIX, VIEWS_KEY,
};
use gloo_storage::{LocalStorage, Storage};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The stored format this version writes: 1 was localStorage segments, 2
/// one IndexedDB record an edit; 3 also holds pages pulled as one record
/// each (a database of 2 is kept as it is and gets no pages).
pub const SCHEMA: u64 = 3;
/// Settings and the first release's log keep their localStorage keys.
const ME_KEY: &str = crate::domain::stored::ME_KEY;
const EXPORTED_KEY: &str = crate::domain::stored::EXPORTED_KEY;
const SENT_KEY: &str = crate::domain::stored::SENT_KEY;
const BROADCAST: &str = "project-ledger";

#[wasm_bindgen(module = "/src/storage_idb.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = idbOpen)]
    async fn idb_open(
        meta: Option<String>,
        version: Option<u32>,
        records: Option<js_sys::Array>,
        let_go: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = idbClose)]
    fn idb_close();
    #[wasm_bindgen(js_name = idbOpened)]
    fn idb_opened() -> bool;
    #[wasm_bindgen(catch, js_name = idbState)]
    async fn idb_state() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbAppend)]
    fn idb_append(records: js_sys::Array) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = idbAfter)]
    async fn idb_after(mark: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbSubject)]
    async fn idb_subject(subject: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbSubjects)]
    async fn idb_subjects(subjects: Vec<String>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbRecord)]
    async fn idb_record(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbPut)]
    async fn idb_put(key: &str, value: JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/storage_idb_office.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = idbAll)]
    async fn idb_all() -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/storage_idb_sync.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = idbAppendNew)]
    async fn idb_append_new(records: js_sys::Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbAppendPage)]
    async fn idb_append_page(
        ids: Vec<String>,
        subjects: Vec<String>,
        texts: Vec<String>,
        authors: Vec<String>,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbAfterWithIds)]
    async fn idb_after_with_ids(mark: f64) -> Result<JsValue, JsValue>;
}

struct State {
    /// localStorage works (settings can be kept).
    settings: bool,
    /// Nothing may be written: a newer version's data, or another tab
    /// replaced everything (this tab let go of the database).
    read_only: bool,
    /// Unreadable values found, as (name, raw text), offered for download.
    unreadable: Vec<(String, String)>,
    /// What reading stored records found wrong, for the banner at open.
    found: Vec<Problem>,
    channel: Option<web_sys::BroadcastChannel>,
    /// The open database's version (a restore makes the next one).
    version: u64,
    /// This page's writer (its edit ids' first part): its edits are the
    /// person's signed in to sync on this device, in either app.
    writer: String,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State { settings: false, read_only: false, unreadable: Vec::new(), found: Vec::new(), channel: None, version: 0, writer: String::new() })
    };
}

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

pub fn random_id(len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..len)
        .map(|_| {
            ALPHABET[(js_sys::Math::random() * ALPHABET.len() as f64) as usize % ALPHABET.len()]
                as char
        })
        .collect()
}

// ------------------------------------------------------------- IndexedDB

/// What went wrong, from the DOMException IndexedDB gave (a request's or,
/// for a refused transaction, the transaction's: a full disk says so there).
fn fault_of(error: JsValue) -> Fault {
    match classify_js(error) {
        Problem::Full => Fault::Full,
        Problem::Failed(why) => Fault::Failed(why),
        _ => Fault::Failed("IndexedDB".into()),
    }
}

/// Opens the database; a new one gets the meta `create` (without one none
/// is created: read-only mode writes nothing). With `restore`, upgrades it
/// to that version, replacing the log with those records.
async fn open_db(
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

/// Why nothing may be written now, if so.
fn writable_db() -> Result<(), Fault> {
    if with_state(|s| s.read_only) {
        Err(Fault::Replaced)
    } else {
        readable_db()
    }
}

fn readable_db() -> Result<(), Fault> {
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
fn subject(entry: &Entry) -> String {
    match entry {
        Entry::Edit(e) => e.subject.id().to_owned(),
        Entry::Unreadable(_) => String::new(),
    }
}

fn record(entry: &Entry) -> JsValue {
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
fn author_of(entry: &Entry) -> Option<String> {
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

/// Who this page's own edits are by: the person signed in to sync on this
/// device (in either app), if anyone.
pub fn local_author() -> Option<String> {
    sync_server()
        .map(|(_, user)| user)
        .filter(|u| !u.is_empty())
}

fn records(entries: &[Entry]) -> js_sys::Array {
    entries.iter().map(record).collect()
}

/// Entries from stored texts. A record that does not read (torn text, or no
/// edit record at all: `null`, a number, a foreign object, which the adapter
/// hands over as `{raw}`) is left where it is (records are never written
/// over) and, when its arrival `keys` are given, copied aside and offered for
/// download (a history read gives none: open has offered it). The others read
/// on: one bad record never hides the log.
fn entries_of(texts: &JsValue, keys: Option<&JsValue>) -> Vec<Entry> {
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
fn raw_of(value: &JsValue) -> String {
    js_sys::Reflect::get(value, &"raw".into())
        .ok()
        .and_then(|r| r.as_string())
        .unwrap_or_default()
}

/// The log in this browser's IndexedDB. A restore upgrades the database;
/// a tab opened before lets go of it, so the database's version is the
/// generation `Backend` speaks of and a stale tab cannot write at all.
#[derive(Clone, Copy)]
pub struct Idb;

impl Backend for Idb {
    async fn append(&self, _generation: u64, entries: &[Entry]) -> Result<(), Fault> {
        writable_db()?;
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

    async fn save_snapshot(&self, _generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        writable_db()?;
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
fn read_problem(fault: Fault) -> Problem {
    match fault {
        Fault::Failed(why) => Problem::ReadFailed(why),
        other => other.problem(),
    }
}

/// [meta, snapshot] as stored.
async fn read_state() -> Result<(JsValue, JsValue), Fault> {
    let state = js_sys::Array::from(&idb_state().await.map_err(fault_of)?);
    Ok((state.get(0), state.get(1)))
}

/// An edit as stored, with the person its record names (sync).
pub type Authored = (Edit, Option<String>);

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
fn authored(texts: &JsValue, authors: &JsValue) -> Vec<Authored> {
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

// ------------------------------------------------------------ other tabs

/// What one tab tells the others of the same browser. Only that something
/// happened: each reads what was stored from storage itself, in arrival order.
#[derive(Clone, Copy)]
pub enum Message {
    /// It stored edits.
    Edits,
    /// It replaced everything (a restore): stop writing.
    Replaced,
}

fn broadcast(message: Message) {
    let text = match message {
        Message::Edits => "E",
        Message::Replaced => "R",
    };
    with_state(|s| {
        if let Some(channel) = &s.channel {
            channel.post_message(&text.into()).ok();
        }
    });
}

/// Calls `f` with each message another tab sends.
pub fn on_message(f: impl Fn(Message) + 'static) {
    let Ok(channel) = web_sys::BroadcastChannel::new(BROADCAST) else {
        return;
    };
    let listener =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            match e.data().as_string().as_deref() {
                Some("E") => f(Message::Edits),
                Some("R") => f(Message::Replaced),
                _ => {}
            }
        });
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    with_state(|s| s.channel = Some(channel));
}

// ------------------------------------------------------------ sync engine

/// Opens storage for the sync engine (its own wasm, in the page of an app
/// that has opened storage already): settings, the database as it is (none
/// is created), and the tabs' channel, `edits` called on each "stored".
pub async fn open_for_sync(edits: impl Fn() + 'static) -> Result<(), Fault> {
    with_state(|s| s.settings = local_storage_works());
    open_db(None, None).await?;
    on_message(move |m| {
        if matches!(m, Message::Edits) {
            edits()
        }
    });
    Ok(())
}

/// The sync engine's look at what storage took after arrival `mark`: how
/// many records, the entries among them `wanted` by id (the others' texts
/// are not even read), and the newest arrival key. A record pulled from a
/// server (`s`) is never among them: the server held it, and it is its
/// maker's to push again, never this device's under another name.
pub async fn stored_after(
    mark: u64,
    wanted: impl Fn(&EditId) -> bool,
) -> Result<(usize, Vec<Entry>, u64), Fault> {
    readable_db()?;
    let found = js_sys::Array::from(&idb_after_with_ids(mark as f64).await.map_err(fault_of)?);
    let (ids, texts, keys, pulled) = (
        js_sys::Array::from(&found.get(0)),
        js_sys::Array::from(&found.get(1)),
        js_sys::Array::from(&found.get(2)),
        js_sys::Array::from(&found.get(3)),
    );
    let newest = keys
        .iter()
        .filter_map(|k| k.as_f64())
        .fold(mark as f64, f64::max) as u64;
    let mut entries = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let id: Option<EditId> = id.as_string().and_then(|i| i.parse().ok());
        if pulled.get(n as u32).is_truthy() || id.is_some_and(|id| !wanted(&id)) {
            continue;
        }
        if let Some(entry) = texts
            .get(n as u32)
            .as_string()
            .and_then(|t| read_entry_text(&t))
        {
            entries.push(entry);
        }
    }
    Ok((ids.length() as usize, entries, newest))
}

/// Stores a page of edits pulled from a sync server, each naming who pushed
/// it, as one record where the database takes pages; an id held already is
/// skipped. Returns how many were new to this device. Every app of the
/// device folds them as another tab's. After a restore elsewhere the engine
/// writes into the new log: it holds no log of its own that the restore
/// replaced.
pub async fn store_pulled(pulled: Vec<(Entry, String)>) -> Result<usize, Fault> {
    if !idb_opened() {
        with_state(|s| s.read_only = false);
        open_db(None, None).await?;
    }
    writable_db()?;
    let n = pulled.len();
    let (mut ids, mut subjects, mut texts, mut authors) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (entry, author) in pulled {
        ids.push(entry.id().to_string());
        subjects.push(subject(&entry));
        texts.push(entry_text(&entry));
        authors.push(author);
    }
    let stored = idb_append_page(ids, subjects, texts, authors).await;
    let added = stored.map_err(fault_of)?.as_f64().unwrap_or(0.0) as usize;
    broadcast(Message::Edits);
    Ok(added)
}

/// Stores the edits of a 修改包 received by the sync engine (a device with
/// no server takes the office's file on its 同步 page): as an import in the
/// office app, so they are this device's to push should it sync later. The
/// apps fold them as another tab's edits. Returns how many were new.
pub async fn store_received(entries: Vec<Entry>) -> Result<usize, Fault> {
    if !idb_opened() {
        with_state(|s| s.read_only = false);
        open_db(None, None).await?;
    }
    writable_db()?;
    let stored = idb_append_new(records(&entries)).await;
    let added = stored.map_err(fault_of)?.as_f64().unwrap_or(0.0) as usize;
    broadcast(Message::Edits);
    Ok(added)
}

// ------------------------------------------------------------------ open

/// What opening storage found.
pub struct Opened {
    pub core: Core,
    pub device: String,
    pub problems: Vec<Problem>,
    pub backend: Option<Idb>,
    /// Set while the first release's log is being moved, for the progress line.
    pub migrated: usize,
}

/// `text` as a JSON string.
fn json_text(text: &str) -> String {
    let mut out = String::new();
    crate::domain::log::wire::string(&mut out, text);
    out
}

fn local_storage_works() -> bool {
    // Accessing localStorage throws in some private modes; probe with a write.
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return false;
    };
    let probe = "ledger.probe";
    let ok = storage.set_item(probe, "1").is_ok();
    storage.remove_item(probe).ok();
    ok || storage.length().is_ok()
}

/// localStorage, when this browser lets the app use it (`open` probed it).
fn local() -> Option<web_sys::Storage> {
    with_state(|s| s.settings).then(LocalStorage::raw)
}

fn all_keys() -> Vec<String> {
    let Some(raw) = local() else {
        return Vec::new();
    };
    (0..raw.length().unwrap_or(0))
        .filter_map(|i| raw.key(i).ok().flatten())
        .collect()
}

/// Keeps an unreadable localStorage value: a copy under a quarantine key
/// (never written over), or, when none can be made, says so. Either way the
/// value itself is left as it is and offered for download.
fn quarantine(key: &str, raw: &str) -> Problem {
    with_state(|s| s.unreadable.push((key.to_owned(), raw.to_owned())));
    let target = quarantine_key(key);
    let copied = !with_state(|s| s.read_only)
        && local().is_some_and(|storage| {
            storage.get_item(&target).ok().flatten().is_some()
                || storage.set_item(&target, raw).is_ok()
        });
    if copied {
        Problem::Corrupt(vec![key.to_owned()])
    } else {
        Problem::CorruptUncopied(vec![key.to_owned()])
    }
}

/// The first release's log: every readable entry of every segment, the
/// segments that read whole (to retire once copied), and the problems.
fn first_release_log() -> (Vec<Entry>, Vec<String>, Vec<Problem>) {
    let Some(raw) = local() else {
        return Default::default();
    };
    let mut entries = Vec::new();
    let mut whole = Vec::new();
    let mut problems = Vec::new();
    for key in all_keys() {
        if parse_segment_key(&key).is_none() {
            continue;
        }
        let Some(text) = raw.get_item(&key).ok().flatten() else {
            continue;
        };
        match decode_segment(&text) {
            Ok(segment) => {
                entries.extend(segment.entries);
                if segment.garbage == 0 {
                    whole.push(key);
                } else {
                    problems.push(quarantine(&key, &text));
                }
            }
            Err(_) => problems.push(quarantine(&key, &text)),
        }
    }
    (entries, whole, problems)
}

/// The stored meta, strictly: `{"schema": <integer>, "device": "<text>"}`.
fn parse_meta(text: &str) -> Option<(u64, String)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let o = value.as_object()?;
    let schema = o
        .get("schema")?
        .as_u64()
        .filter(|s| *s <= u64::from(u32::MAX))?;
    let device = o.get("device")?.as_str()?.to_owned();
    (!device.is_empty()).then_some((schema, device))
}

fn meta_text(device: &str, moved: bool) -> String {
    let moved = if moved { r#","moved":"indexeddb""# } else { "" };
    format!(
        r#"{{"schema":{SCHEMA},"device":{}{moved}}}"#,
        json_text(device)
    )
}

/// What a meta says: this device, and whether this version may write.
/// One it cannot read may be a newer version's: nothing is written then.
fn read_meta(text: &str) -> (Option<String>, Mode) {
    match parse_meta(text) {
        Some((schema, device)) if schema <= SCHEMA => (Some(device), Mode::Normal),
        Some((_, device)) => (Some(device), Mode::ReadOnly),
        None => (None, Mode::ReadOnly),
    }
}

/// Opens storage: the meta (read-only when a newer version's or unreadable),
/// the first release's log moved into IndexedDB, then the snapshot and what
/// came after it.
///
/// The move copies every entry in one transaction (ids held already are
/// skipped), reads the log back, checks that every id is in it, and only
/// then retires the old segments, marking the old meta so that the first
/// release, still open in a tab, stops writing. A tab closed at any moment
/// loses nothing (the segments stay until the copy is checked) and
/// duplicates nothing; the next open goes on where it stopped.
pub async fn open(registry: Vec<crate::domain::Project>, progress: &dyn Fn(usize)) -> Opened {
    let settings = local_storage_works();
    with_state(|s| s.settings = settings);
    let mut problems = Vec::new();
    let old_meta = settings
        .then(|| local()?.get_item(META_KEY).ok().flatten())
        .flatten();
    let (old_device, mut mode) = old_meta.as_deref().map_or((None, Mode::Normal), read_meta);
    let mut device = old_device.unwrap_or_else(|| random_id(12));
    if mode == Mode::ReadOnly {
        with_state(|s| s.read_only = true);
    }
    // A new database gets its meta in the transaction that creates it; in
    // read-only mode none is created.
    let create = (mode == Mode::Normal).then(|| meta_text(&device, false));
    let read = async {
        let version = open_db(create, None).await?;
        let (meta, snapshot) = read_state().await?;
        Ok::<_, Fault>((version, meta, snapshot))
    };
    let opened = read.await;
    let Ok((version, meta, snapshot)) = opened else {
        // No IndexedDB (or none may be created): the first release's log, if
        // any, shows from memory, and nothing is written.
        let (entries, _, found) = first_release_log();
        problems.extend(found);
        if mode == Mode::ReadOnly {
            problems.push(Problem::Newer);
        } else {
            mode = Mode::MemoryOnly;
            problems.push(Problem::Unavailable);
        }
        let mut core = Core::open(registry, None, Vec::new(), 0, 0, mode);
        core.held(entries);
        return Opened {
            core,
            device,
            problems,
            backend: None,
            migrated: 0,
        };
    };
    if let Some(text) = meta.as_string() {
        let (stored_device, stored_mode) = read_meta(&text);
        device = stored_device.unwrap_or(device);
        if stored_mode == Mode::ReadOnly {
            mode = Mode::ReadOnly;
        }
    }
    if mode == Mode::ReadOnly {
        with_state(|s| s.read_only = true);
        problems.push(Problem::Newer);
    }
    // The first release's log, moved (or moved on) once this version may write.
    let (old, whole, found) = if mode == Mode::Normal {
        first_release_log()
    } else {
        Default::default()
    };
    problems.extend(found);
    if !old.is_empty() {
        progress(old.len());
        if let Err(fault) = Idb.append(0, &old).await {
            problems.push(fault.problem());
        }
    }
    // A snapshot's mark counts only with its text: without one (unreadable,
    // or another version's shape) every entry is read and folded.
    let field = |name: &str| js_sys::Reflect::get(&snapshot, &name.into()).ok();
    let text = snapshot
        .is_object()
        .then(|| field("text")?.as_string())
        .flatten();
    let mark = match &text {
        Some(_) => field("mark").and_then(|m| m.as_f64()).unwrap_or(0.0) as u64,
        None => 0,
    };
    // Entries after the snapshot's mark: others' edits, moved ones.
    let (later, newest) = match Idb.after(mark).await {
        Ok(found) => found,
        Err(fault) => {
            problems.push(read_problem(fault));
            (Vec::new(), mark)
        }
    };
    let core = Core::open(registry, text.as_deref(), later, newest, version, mode);
    // Read back from IndexedDB, every moved id is there: the old segments go.
    let moved = !whole.is_empty() && old.iter().all(|e| core.ledger.contains_edit(e.id()));
    if moved {
        let raw = LocalStorage::raw();
        match raw.set_item(META_KEY, &meta_text(&device, true)) {
            Ok(()) => {
                for key in whole {
                    raw.remove_item(&key).ok();
                }
            }
            Err(e) => problems.push(classify_js(e)),
        }
    }
    // Records of no edit's shape, each kept aside once (a quarantine copy
    // already made counts as made).
    for problem in with_state(|s| std::mem::take(&mut s.found)) {
        match (problem, problems.last_mut()) {
            (Problem::Corrupt(keys), Some(Problem::Corrupt(all)))
            | (Problem::CorruptUncopied(keys), Some(Problem::CorruptUncopied(all))) => {
                all.extend(keys)
            }
            (problem, _) => problems.push(problem),
        }
    }
    Opened {
        core,
        device,
        problems,
        backend: Some(Idb),
        migrated: old.len(),
    }
}

// --------------------------------------------------------------- settings

/// Whether settings may be written: storage works, and nothing is read-only.
fn writable() -> Result<(), Problem> {
    with_state(|s| {
        if !s.settings {
            Err(Problem::Unavailable)
        } else if s.read_only {
            Err(Problem::Newer)
        } else {
            Ok(())
        }
    })
}

/// A device setting. Readable before storage is open (an app's start page,
/// the office's district, whether sync is set): a read needs no probe, and
/// a browser that blocks localStorage answers `None`.
fn setting(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

fn put_setting(key: &str, value: &str) -> Result<(), Problem> {
    writable()?;
    local()
        .ok_or(Problem::Unavailable)?
        .set_item(key, value)
        .map_err(classify_js)
}

fn classify_js(error: JsValue) -> Problem {
    let name = js_sys::Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    // An aborted transaction may carry why it was aborted (a full disk).
    if name == "AbortError" {
        if let Some(why) = js_sys::Reflect::get(&error, &"error".into())
            .ok()
            .filter(|e| e.is_object())
        {
            return classify_js(why);
        }
    }
    let code = js_sys::Reflect::get(&error, &"code".into())
        .ok()
        .and_then(|v| v.as_f64())
        .map(|c| c as u32);
    if is_quota_error(&name, code) {
        return Problem::Full;
    }
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| error.as_string().unwrap_or_default());
    Problem::Failed(if name.is_empty() {
        message
    } else {
        format!("{name}: {message}")
    })
}

/// Saved views; unreadable stored views are kept aside, said at once, and
/// the list starts empty.
pub fn load_views() -> Result<Vec<SavedView>, Problem> {
    let Some(raw) = setting(VIEWS_KEY) else {
        return Ok(Vec::new());
    };
    serde_json::from_str(&raw).map_err(|_| quarantine(VIEWS_KEY, &raw))
}

pub fn save_views(views: &[SavedView]) -> Result<(), Problem> {
    // Cannot fail; `expect` would link serde_json::Error's Debug text into the phone's download.
    let json = serde_json::to_string(views).unwrap_or_default();
    put_setting(VIEWS_KEY, &json)
}

/// Every unreadable value found, as (name, raw text), for download.
pub fn unreadable() -> Vec<(String, String)> {
    let mut all = with_state(|s| s.unreadable.clone());
    if let Some(raw) = local() {
        for key in all_keys()
            .into_iter()
            .filter(|k| k.starts_with(QUARANTINE_PREFIX))
        {
            if let Some(value) = raw.get_item(&key).ok().flatten() {
                if !all.iter().any(|(_, v)| *v == value) {
                    all.push((key, value));
                }
            }
        }
    }
    all
}

/// What the browser says about keeping this site's data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Durability {
    /// The answer to `navigator.storage.persist()`; `None` where the browser has no such API.
    pub persisted: Option<bool>,
    pub usage_bytes: Option<f64>,
    pub quota_bytes: Option<f64>,
}

/// Asks for persistent storage and reads the quota estimate.
pub async fn durability() -> Durability {
    let Some(window) = web_sys::window() else {
        return Durability::default();
    };
    let manager = window.navigator().storage();
    if JsValue::from(manager.clone()).is_undefined() {
        return Durability::default();
    }
    let persisted = match manager.persist() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let estimate = match manager.estimate() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .map(|v| v.unchecked_into::<web_sys::StorageEstimate>()),
        Err(_) => None,
    };
    Durability {
        persisted,
        usage_bytes: estimate.as_ref().and_then(|e| e.get_usage()),
        quota_bytes: estimate.as_ref().and_then(|e| e.get_quota()),
    }
}

/// A form's draft, as kept (`field_work`); `key` names the form and project.
pub fn draft(key: &str) -> Option<String> {
    setting(&format!("{}{key}", crate::domain::stored::DRAFT_PREFIX))
}

pub fn keep_draft(key: &str, text: &str) -> Result<(), Problem> {
    put_setting(
        &format!("{}{key}", crate::domain::stored::DRAFT_PREFIX),
        text,
    )
}

/// The form was submitted or its draft discarded.
pub fn drop_draft(key: &str) {
    if let (Ok(()), Some(raw)) = (writable(), local()) {
        raw.remove_item(&format!("{}{key}", crate::domain::stored::DRAFT_PREFIX))
            .ok();
    }
}

/// The sync server and the user last signed in, as entered; `None` when
/// sync is off.
pub fn sync_server() -> Option<(String, String)> {
    let text = setting(crate::domain::stored::SYNC_KEY)?;
    let (url, user) = text.split_once('\n').unwrap_or((&text, ""));
    (!url.is_empty()).then(|| (url.to_owned(), user.to_owned()))
}

/// Someone is signed in to sync on this device. Read before storage is
/// open (the engine opens storage itself).
pub fn signed_in_to_sync() -> bool {
    setting(crate::domain::stored::SYNC_KEY)
        .and_then(|text| text.split_once('\n').map(|(_, user)| !user.is_empty()))
        .unwrap_or(false)
}

pub fn set_sync_server(url: &str, user: &str) -> Result<(), Problem> {
    put_setting(crate::domain::stored::SYNC_KEY, &format!("{url}\n{user}"))
}

/// Someone typed a search in this tab: other tabs' sync gives way. A
/// device setting, not an edit; a failed write only costs that courtesy.
pub fn note_typing(at: i64) {
    if let Some(local) = local() {
        local
            .set_item(crate::domain::stored::TYPING_KEY, &at.to_string())
            .ok();
    }
}

/// When a search was last typed on this device, in any tab (ms).
pub fn typed_at() -> i64 {
    setting(crate::domain::stored::TYPING_KEY)
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
}

/// What sync keeps for one database (`Replicator::to_text`).
pub fn sync_state(url: &str) -> Option<String> {
    setting(&format!(
        "{}{url}",
        crate::domain::stored::SYNC_STATE_PREFIX
    ))
}

pub fn keep_sync_state(url: &str, text: &str) -> Result<(), Problem> {
    put_setting(
        &format!("{}{url}", crate::domain::stored::SYNC_STATE_PREFIX),
        text,
    )
}

/// Who uses this device ("我是…"), a person id; a device setting, not an edit.
pub fn me() -> Option<String> {
    setting(ME_KEY).filter(|id| !id.is_empty())
}

pub fn set_me(person: &str) -> Result<(), Problem> {
    put_setting(ME_KEY, person)
}

/// The district an office device works for; a device setting, not an edit.
pub fn office_district() -> Option<crate::domain::District> {
    setting(crate::domain::stored::SCOPE_KEY).and_then(|k| crate::domain::District::from_key(&k))
}

/// The server roles of the person signed in to sync (empty when nobody is,
/// or before a sign-in that recorded them).
pub fn sync_roles() -> Vec<String> {
    if !signed_in_to_sync() {
        return Vec::new();
    }
    setting(crate::domain::stored::SYNC_ROLES_KEY)
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

pub fn set_sync_roles(roles: &[String]) -> Result<(), Problem> {
    put_setting(crate::domain::stored::SYNC_ROLES_KEY, &roles.join("\n"))
}

/// Whether the first screen's welcome was put away on this device.
pub fn welcomed() -> bool {
    setting(crate::domain::stored::WELCOMED_KEY).is_some()
}

pub fn set_welcomed() -> Result<(), Problem> {
    put_setting(crate::domain::stored::WELCOMED_KEY, "1")
}

/// Whether 本机区县 was ever chosen on this device (全市 is a choice too).
pub fn office_district_chosen() -> bool {
    setting(crate::domain::stored::SCOPE_KEY).is_some()
}

pub fn set_office_district(district: Option<crate::domain::District>) -> Result<(), Problem> {
    put_setting(
        crate::domain::stored::SCOPE_KEY,
        district.map_or("", |d| d.key()),
    )
}

/// What backups and bundles have carried off this device so far, as stored
/// (`exchange::sent_to_text`).
pub fn exported() -> String {
    setting(EXPORTED_KEY).unwrap_or_default()
}

/// Adds these ids to what has been carried off this device (once the person
/// says the file was saved).
pub fn record_exported(ids: &[EditId]) -> Result<(), Problem> {
    let mut done = crate::domain::exchange::sent_from_text(&exported());
    crate::domain::exchange::mark_sent(&mut done, ids);
    put_setting(EXPORTED_KEY, &crate::domain::exchange::sent_to_text(&done))
}

fn sent_book() -> Result<std::collections::BTreeMap<String, crate::domain::exchange::Sent>, Problem>
{
    let Some(raw) = setting(SENT_KEY) else {
        return Ok(Default::default());
    };
    serde_json::from_str(&raw).map_err(|_| quarantine(SENT_KEY, &raw))
}

/// What was last sent to `recipient` in a bundle; an unreadable record is
/// kept aside and said, not silently replaced.
pub fn sent_to(recipient: &str) -> Result<crate::domain::exchange::Sent, Problem> {
    Ok(sent_book()?.remove(recipient).unwrap_or_default())
}

pub fn record_sent(recipient: &str, sent: crate::domain::exchange::Sent) -> Result<(), Problem> {
    let mut book = sent_book()?;
    book.insert(recipient.to_owned(), sent);
    let json = serde_json::to_string(&book).unwrap_or_default();
    put_setting(SENT_KEY, &json)
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
