//! The only module that touches browser storage.
//!
//! The edit log lives in IndexedDB, through web-sys's bindings and a small
//! promise adapter (`done`): the crates tried (rexie, indexed_db_futures)
//! each added 16–18 KB to the phone's download, twice what the store may
//! cost (ARCHITECTURE.md, "Storage"). Database `project-ledger`, version 1:
//! - `edits`: one record an edit, `{i: id, p: subject, j: its wire text}`,
//!   keyed by arrival number (auto-increment, across tabs); indexes `i`
//!   (unique) and `p` (a subject's history on demand).
//! - `state`: `meta` (`{"schema":2,"device":…}`), `generation` (bumped by a
//!   restore, so another tab stops writing), `snapshot` (`{mark, text}`).
//!
//! Small settings (我是, saved views, what was sent to whom, what was
//! exported) stay in localStorage through gloo-storage. The first release's
//! log (`ledger.v1.*` in localStorage) is migrated on first open; see `migrate`.

use crate::domain::edit::{Edit, Entry, EditId};
use crate::domain::keeper::{Backend, Core, Fault, Mode};
use crate::domain::log::wire::{entry_text, read_entry_text};
use crate::domain::stored::{
    decode_segment, is_quota_error, parse_segment_key, quarantine_key, Problem, SavedView, META_KEY,
    QUARANTINE_PREFIX, VIEWS_KEY,
};
use gloo_storage::{LocalStorage, Storage};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "project-ledger";
const EDITS: &str = "edits";
const STATE_STORE: &str = "state";
/// The stored format this version writes: 1 was localStorage segments.
pub const SCHEMA: u64 = 2;
/// Settings and the first release's log keep their localStorage keys.
const ME_KEY: &str = crate::domain::stored::ME_KEY;
const EXPORTED_KEY: &str = crate::domain::stored::EXPORTED_KEY;
const SENT_KEY: &str = crate::domain::stored::SENT_KEY;
const BROADCAST: &str = "project-ledger";

struct State {
    /// localStorage works (settings can be kept).
    settings: bool,
    read_only: bool,
    db: Option<IdbDatabase>,
    /// Unreadable values found, as (name, raw text), offered for download.
    unreadable: Vec<(String, String)>,
    channel: Option<web_sys::BroadcastChannel>,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State { settings: false, read_only: false, db: None, unreadable: Vec::new(), channel: None })
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

/// The event that settles `target`: `ok` resolves, `err` rejects.
async fn done(target: &web_sys::EventTarget, ok: &str, err: &str) -> Result<JsValue, JsValue> {
    let target = target.clone();
    let (ok, err) = (ok.to_owned(), err.to_owned());
    let promise = js_sys::Promise::new(&mut move |resolve, reject| {
        let on_ok = Closure::once_into_js(move |e: JsValue| {
            resolve.call1(&JsValue::NULL, &e).ok();
        });
        let on_err = Closure::once_into_js(move |e: JsValue| {
            reject.call1(&JsValue::NULL, &e).ok();
        });
        target.add_event_listener_with_callback(&ok, on_ok.unchecked_ref()).ok();
        target.add_event_listener_with_callback(&err, on_err.unchecked_ref()).ok();
    });
    JsFuture::from(promise).await
}

/// What went wrong, from a DOMException (a request's or a transaction's error).
fn fault_of(error: Option<web_sys::DomException>) -> Fault {
    match error {
        Some(e) if is_quota_error(&e.name(), Some(u32::from(e.code()))) => Fault::Full,
        Some(e) => Fault::Failed(format!("{}: {}", e.name(), e.message())),
        None => Fault::Failed("IndexedDB".into()),
    }
}

fn js_fault(error: JsValue) -> Fault {
    if let Some(e) = error.dyn_ref::<web_sys::DomException>() {
        return fault_of(Some(e.clone()));
    }
    Fault::Failed(error.as_string().unwrap_or_else(|| "IndexedDB".into()))
}

/// A request's result once it succeeds.
async fn result(request: &IdbRequest) -> Result<JsValue, Fault> {
    match done(request, "success", "error").await {
        Ok(_) => request.result().map_err(js_fault),
        Err(_) => Err(fault_of(request.error().ok().flatten())),
    }
}

/// A transaction's end: committed, or why not (a full disk aborts it too).
async fn committed(tx: &IdbTransaction) -> Result<(), Fault> {
    match done(tx, "complete", "abort").await {
        Ok(_) => Ok(()),
        Err(_) => Err(fault_of(tx.error())),
    }
}

fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, Fault> {
    tx.object_store(name).map_err(js_fault)
}

fn transaction(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbTransaction, Fault> {
    let names = js_sys::Array::of2(&EDITS.into(), &STATE_STORE.into());
    db.transaction_with_str_sequence_and_mode(&names, mode)
        .map_err(js_fault)
}

async fn open_db() -> Result<IdbDatabase, Fault> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| Fault::Failed("no IndexedDB".into()))?;
    let request = factory.open_with_u32(DB_NAME, 1).map_err(js_fault)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let Some(db) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|d| d.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_auto_increment(true);
        if let Ok(edits) = db.create_object_store_with_optional_parameters(EDITS, &params) {
            let unique = web_sys::IdbIndexParameters::new();
            unique.set_unique(true);
            edits.create_index_with_str_and_optional_parameters("i", "i", &unique).ok();
            edits.create_index_with_str("p", "p").ok();
        }
        db.create_object_store(STATE_STORE).ok();
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = result(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    let db: IdbDatabase = db?.unchecked_into();
    // Another version's tab wants to upgrade: let it (this tab stops writing).
    let on_change = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        with_state(|s| {
            if let Some(db) = s.db.take() {
                db.close();
            }
            s.read_only = true;
        });
    });
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    Ok(db)
}

fn record(entry: &Entry) -> JsValue {
    let object = js_sys::Object::new();
    let subject = match entry {
        Entry::Edit(e) => e.subject.id().to_owned(),
        Entry::Unreadable(_) => String::new(),
    };
    for (key, value) in [("i", entry.id().to_string()), ("p", subject), ("j", entry_text(entry))] {
        js_sys::Reflect::set(&object, &key.into(), &value.into()).ok();
    }
    object.into()
}

fn text_of(record: &JsValue) -> Option<String> {
    js_sys::Reflect::get(record, &"j".into()).ok()?.as_string()
}

/// Entries from stored records; one that does not read is left where it is
/// (records are never written over) and offered for download.
fn entries_of(records: &JsValue, keys: &JsValue) -> Vec<Entry> {
    let records = js_sys::Array::from(records);
    let keys = js_sys::Array::from(keys);
    let mut out = Vec::with_capacity(records.length() as usize);
    for (n, record) in records.iter().enumerate() {
        let text = text_of(&record).unwrap_or_default();
        match read_entry_text(&text) {
            Some(entry) => out.push(entry),
            None => {
                let key = keys.get(n as u32).as_f64().unwrap_or_default() as u64;
                with_state(|s| s.unreadable.push((format!("indexeddb.edits.{key}"), text)));
            }
        }
    }
    out
}

async fn get(store: &IdbObjectStore, key: &str) -> Result<JsValue, Fault> {
    result(&store.get(&key.into()).map_err(js_fault)?).await
}

/// The log in this browser's IndexedDB.
#[derive(Clone)]
pub struct Idb(IdbDatabase);

impl Idb {
    fn db(&self) -> Result<&IdbDatabase, Fault> {
        if with_state(|s| s.read_only) {
            return Err(Fault::Replaced);
        }
        Ok(&self.0)
    }
}

/// Checks, inside a write, that no other tab replaced everything since.
async fn same_generation(state: &IdbObjectStore, generation: u64) -> Result<(), Fault> {
    let stored = get(state, "generation").await?.as_f64().unwrap_or(0.0) as u64;
    if stored != generation {
        return Err(Fault::Replaced);
    }
    Ok(())
}

impl Backend for Idb {
    async fn append(&self, generation: u64, entries: &[Entry]) -> Result<(), Fault> {
        let tx = transaction(self.db()?, IdbTransactionMode::Readwrite)?;
        let edits = store(&tx, EDITS)?;
        let outcome = async {
            same_generation(&store(&tx, STATE_STORE)?, generation).await?;
            // Ids held already (another tab imported the same bundle) are skipped.
            let index = edits.index("i").map_err(js_fault)?;
            let mut counts = Vec::with_capacity(entries.len());
            for entry in entries {
                counts.push(index.count_with_key(&entry.id().to_string().into()).map_err(js_fault)?);
            }
            if let Some(last) = counts.last() {
                result(last).await?;
            }
            for (entry, count) in entries.iter().zip(&counts) {
                if count.result().ok().and_then(|c| c.as_f64()) == Some(0.0) {
                    edits.add(&record(entry)).map_err(js_fault)?;
                }
            }
            Ok(())
        }
        .await;
        if let Err(fault) = outcome {
            tx.abort().ok();
            return Err(fault);
        }
        committed(&tx).await?;
        broadcast(Message::Edits);
        Ok(())
    }

    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault> {
        let tx = transaction(&self.0, IdbTransactionMode::Readonly)?;
        let edits = store(&tx, EDITS)?;
        let range = IdbKeyRange::lower_bound_with_open(&(mark as f64).into(), true).map_err(js_fault)?;
        let records = edits.get_all_with_key(&range).map_err(js_fault)?;
        let keys = edits.get_all_keys_with_key(&range).map_err(js_fault)?;
        let keys = result(&keys).await?;
        let records = records.result().map_err(js_fault)?;
        let newest = js_sys::Array::from(&keys)
            .iter()
            .filter_map(|k| k.as_f64())
            .fold(mark as f64, f64::max) as u64;
        Ok((entries_of(&records, &keys), newest))
    }

    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        let tx = transaction(self.db()?, IdbTransactionMode::Readwrite)?;
        let state = store(&tx, STATE_STORE)?;
        let outcome = async {
            same_generation(&state, generation).await?;
            let value = js_sys::Object::new();
            js_sys::Reflect::set(&value, &"mark".into(), &(mark as f64).into()).ok();
            js_sys::Reflect::set(&value, &"text".into(), &text.into()).ok();
            state.put_with_key(&value, &"snapshot".into()).map_err(js_fault)?;
            Ok(())
        }
        .await;
        if let Err(fault) = outcome {
            tx.abort().ok();
            return Err(fault);
        }
        committed(&tx).await
    }

    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault> {
        let tx = transaction(self.db()?, IdbTransactionMode::Readwrite)?;
        let edits = store(&tx, EDITS)?;
        let state = store(&tx, STATE_STORE)?;
        let outcome = async {
            let generation = get(&state, "generation").await?.as_f64().unwrap_or(0.0) as u64 + 1;
            edits.clear().map_err(js_fault)?;
            for entry in entries {
                edits.add(&record(entry)).map_err(js_fault)?;
            }
            state.delete(&"snapshot".into()).map_err(js_fault)?;
            state
                .put_with_key(&(generation as f64).into(), &"generation".into())
                .map_err(js_fault)?;
            Ok(generation)
        }
        .await;
        let generation = match outcome {
            Ok(g) => g,
            Err(fault) => {
                tx.abort().ok();
                return Err(fault);
            }
        };
        committed(&tx).await?;
        broadcast(Message::Replaced);
        Ok(generation)
    }
}

/// One subject's edits from storage, newest first.
pub async fn history(backend: &Idb, subject: &str) -> Result<Vec<Edit>, Fault> {
    let tx = transaction(&backend.0, IdbTransactionMode::Readonly)?;
    let edits = store(&tx, EDITS)?;
    let index = edits.index("p").map_err(js_fault)?;
    let records = result(&index.get_all_with_key(&subject.into()).map_err(js_fault)?).await?;
    // In any order: the store sorts what it shows.
    let out: Vec<Edit> = entries_of(&records, &JsValue::UNDEFINED)
        .into_iter()
        .filter_map(|e| match e {
            Entry::Edit(e) => Some(e),
            Entry::Unreadable(_) => None,
        })
        .collect();
    Ok(out)
}

/// Looks one edit up by id (a conflict's side the ledger does not keep whole).
pub async fn edit_by_id(backend: &Idb, id: &EditId) -> Option<Edit> {
    let tx = transaction(&backend.0, IdbTransactionMode::Readonly).ok()?;
    let index = store(&tx, EDITS).ok()?.index("i").ok()?;
    let record = result(&index.get(&id.to_string().into()).ok()?).await.ok()?;
    match read_entry_text(&text_of(&record)?)? {
        Entry::Edit(e) => Some(e),
        Entry::Unreadable(_) => None,
    }
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
    let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
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

/// The stored meta, strictly: `{"schema": <integer>, "device": "<text>"}`.
fn parse_meta(text: &str) -> Option<(u64, String)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let o = value.as_object()?;
    let schema = o.get("schema")?.as_u64().filter(|s| *s <= u64::from(u32::MAX))?;
    let device = o.get("device")?.as_str()?.to_owned();
    (!device.is_empty()).then_some((schema, device))
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

fn all_keys() -> Vec<String> {
    let raw = LocalStorage::raw();
    (0..LocalStorage::length())
        .filter_map(|i| raw.key(i).ok().flatten())
        .collect()
}

/// Keeps an unreadable localStorage value: a copy under a quarantine key
/// (never written over), or, when none can be made, says so. Either way the
/// value itself is left as it is and offered for download.
fn quarantine(key: &str, raw: &str) -> Problem {
    with_state(|s| s.unreadable.push((key.to_owned(), raw.to_owned())));
    let target = quarantine_key(key);
    let storage = LocalStorage::raw();
    let copied = !with_state(|s| s.read_only)
        && (storage.get_item(&target).ok().flatten().is_some()
            || storage.set_item(&target, raw).is_ok());
    if copied {
        Problem::Corrupt(vec![key.to_owned()])
    } else {
        Problem::CorruptUncopied(vec![key.to_owned()])
    }
}

/// The first release's log: every readable entry of every segment, the
/// segments that read whole (to retire once copied), and the problems.
fn first_release_log() -> (Vec<Entry>, Vec<String>, Vec<Problem>) {
    let raw = LocalStorage::raw();
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

/// Moves the first release's log into IndexedDB: copies every entry (one
/// transaction, ids already there skipped), checks that each id is there,
/// and only then retires the segments, marking the old meta so that the old
/// version, still open in a tab, stops writing. A tab closed at any moment
/// loses nothing (the segments stay until the copy is checked) and
/// duplicates nothing (ids are unique); the next open goes on where it stopped.
async fn migrate(db: &Idb, device: &str, problems: &mut Vec<Problem>) -> Result<usize, Fault> {
    let (entries, whole, found) = first_release_log();
    problems.extend(found);
    if entries.is_empty() && whole.is_empty() {
        return Ok(0);
    }
    let generation = {
        let tx = transaction(&db.0, IdbTransactionMode::Readonly)?;
        get(&store(&tx, STATE_STORE)?, "generation").await?.as_f64().unwrap_or(0.0) as u64
    };
    db.append(generation, &entries).await?;
    // Checked by id before anything is retired.
    let tx = transaction(&db.0, IdbTransactionMode::Readonly)?;
    let index = store(&tx, EDITS)?.index("i").map_err(js_fault)?;
    let mut counts = Vec::with_capacity(entries.len());
    for entry in &entries {
        counts.push(index.count_with_key(&entry.id().to_string().into()).map_err(js_fault)?);
    }
    if let Some(last) = counts.last() {
        result(last).await?;
    }
    let all_there = counts
        .iter()
        .all(|c| c.result().ok().and_then(|c| c.as_f64()) == Some(1.0));
    if !all_there {
        return Err(Fault::Failed("migration check".into()));
    }
    let raw = LocalStorage::raw();
    let moved = format!("{{\"schema\":{SCHEMA},\"device\":\"{device}\",\"moved\":\"indexeddb\"}}");
    raw.set_item(META_KEY, &moved).map_err(js_fault)?;
    for key in whole {
        raw.remove_item(&key).ok();
    }
    Ok(entries.len())
}

/// Opens storage: the meta (read-only when a newer version's or unreadable),
/// the first release's log migrated, the snapshot and what came after it.
pub async fn open(registry: Vec<crate::domain::Project>, progress: &dyn Fn(usize)) -> Opened {
    let settings = local_storage_works();
    with_state(|s| s.settings = settings);
    let mut problems = Vec::new();
    let memory = |device: String, mut problems: Vec<Problem>| {
        problems.push(Problem::Unavailable);
        Opened {
            core: Core::open(registry.clone(), None, Vec::new(), 0, 0, Mode::MemoryOnly),
            device,
            problems,
            backend: None,
            migrated: 0,
        }
    };
    let Ok(db) = open_db().await else {
        return memory(random_id(12), problems);
    };
    let db = Idb(db);
    with_state(|s| s.db = Some(db.0.clone()));
    // The old meta says the first release's device, or that it moved (read-only there).
    let old_meta = settings
        .then(|| LocalStorage::raw().get_item(META_KEY).ok().flatten())
        .flatten();
    let read = async {
        let tx = transaction(&db.0, IdbTransactionMode::Readonly)?;
        let state = store(&tx, STATE_STORE)?;
        let meta = get(&state, "meta").await?;
        let generation = get(&state, "generation").await?;
        let snapshot = get(&state, "snapshot").await?;
        Ok::<_, Fault>((meta, generation, snapshot))
    };
    let Ok((meta, generation, snapshot)) = read.await else {
        return memory(random_id(12), problems);
    };
    let mut mode = Mode::Normal;
    let device = match meta.as_string() {
        Some(text) => match parse_meta(&text) {
            Some((schema, device)) if schema <= SCHEMA => device,
            Some((_, device)) => {
                mode = Mode::ReadOnly;
                device
            }
            None => {
                // A meta this version cannot read may be a newer one's: write nothing.
                mode = Mode::ReadOnly;
                problems.push(quarantine_idb("indexeddb.state.meta", &text));
                random_id(12)
            }
        },
        None => match old_meta.as_deref().map(|t| (t, parse_meta(t))) {
            Some((_, Some((schema, device)))) if schema <= 1 || schema == SCHEMA => device,
            Some((_, Some((_, device)))) => {
                mode = Mode::ReadOnly;
                device
            }
            Some((text, None)) => {
                mode = Mode::ReadOnly;
                problems.push(quarantine(META_KEY, text));
                random_id(12)
            }
            None => random_id(12),
        },
    };
    if mode == Mode::ReadOnly {
        with_state(|s| s.read_only = true);
        problems.push(Problem::Newer);
    } else if meta.as_string().is_none() {
        let text = format!("{{\"schema\":{SCHEMA},\"device\":\"{device}\"}}");
        let write = async {
            let tx = transaction(&db.0, IdbTransactionMode::Readwrite)?;
            store(&tx, STATE_STORE)?
                .put_with_key(&text.into(), &"meta".into())
                .map_err(js_fault)?;
            committed(&tx).await
        };
        if let Err(fault) = write.await {
            problems.push(fault.problem());
        }
    }
    let generation = generation.as_f64().unwrap_or(0.0) as u64;
    let mut migrated = 0;
    if mode == Mode::Normal && settings {
        progress(0);
        match migrate(&db, &device, &mut problems).await {
            Ok(n) => migrated = n,
            Err(fault) => problems.push(fault.problem()),
        }
    }
    let (mark, text) = if snapshot.is_object() {
        let mark = js_sys::Reflect::get(&snapshot, &"mark".into())
            .ok()
            .and_then(|m| m.as_f64())
            .unwrap_or(0.0) as u64;
        let text = js_sys::Reflect::get(&snapshot, &"text".into())
            .ok()
            .and_then(|t| t.as_string());
        (mark, text)
    } else {
        (0, None)
    };
    // Entries after the snapshot's mark: others' edits, migrated ones.
    let (later, newest) = match db.after(mark).await {
        Ok(found) => found,
        Err(fault) => {
            problems.push(fault.problem());
            (Vec::new(), mark)
        }
    };
    let core = Core::open(registry, text.as_deref(), later, newest, generation, mode);
    let stored_unreadable: Vec<String> = with_state(|s| {
        s.unreadable
            .iter()
            .filter(|(k, _)| k.starts_with("indexeddb.edits."))
            .map(|(k, _)| k.clone())
            .collect()
    });
    if !stored_unreadable.is_empty() {
        problems.push(Problem::CorruptUncopied(stored_unreadable));
    }
    Opened {
        core,
        device,
        problems,
        backend: Some(db),
        migrated,
    }
}

/// An unreadable IndexedDB value: left as it is (records are never written
/// over) and offered for download.
fn quarantine_idb(name: &str, raw: &str) -> Problem {
    with_state(|s| s.unreadable.push((name.to_owned(), raw.to_owned())));
    Problem::CorruptUncopied(vec![name.to_owned()])
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

fn setting(key: &str) -> Option<String> {
    if !with_state(|s| s.settings) {
        return None;
    }
    LocalStorage::raw().get_item(key).ok().flatten()
}

fn put_setting(key: &str, value: &str) -> Result<(), Problem> {
    writable()?;
    LocalStorage::raw()
        .set_item(key, value)
        .map_err(classify_js)
}

fn classify_js(error: JsValue) -> Problem {
    let name = js_sys::Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
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
    let json = serde_json::to_string(views).expect("views serialize");
    put_setting(VIEWS_KEY, &json)
}

/// Every unreadable value found, as (name, raw text), for download.
pub fn unreadable() -> Vec<(String, String)> {
    let mut all = with_state(|s| s.unreadable.clone());
    if with_state(|s| s.settings) {
        let raw = LocalStorage::raw();
        for key in all_keys().into_iter().filter(|k| k.starts_with(QUARANTINE_PREFIX)) {
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

/// Who uses this device ("我是…"), a person id; a device setting, not an edit.
pub fn me() -> Option<String> {
    setting(ME_KEY).filter(|id| !id.is_empty())
}

pub fn set_me(person: &str) -> Result<(), Problem> {
    put_setting(ME_KEY, person)
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

fn sent_book() -> Result<std::collections::BTreeMap<String, crate::domain::exchange::Sent>, Problem> {
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
    let json = serde_json::to_string(&book).expect("a map of numbers serializes");
    put_setting(SENT_KEY, &json)
}

/// Replaces everything local with a backup: its log in one transaction
/// (another tab then stops writing), then its settings.
pub async fn restore(backend: &Idb, backup: &crate::domain::exchange::Backup) -> Result<u64, Problem> {
    writable()?;
    let generation = backend
        .replace_all(&backup.edits)
        .await
        .map_err(|f| f.problem())?;
    let views = serde_json::to_string(&backup.views).expect("views serialize");
    put_setting(VIEWS_KEY, &views)?;
    match &backup.me {
        Some(me) => put_setting(ME_KEY, me)?,
        None => {
            LocalStorage::raw().remove_item(ME_KEY).ok();
        }
    }
    Ok(generation)
}
