//! The only module that touches browser storage.
//!
//! Reads the meta record and every log segment at start, then appends this
//! page's edits to segments of its own (see `domain::stored`). A write that
//! fails stays queued in memory and is retried on the next edit, on a timer and
//! on `pagehide`; nothing stored is ever overwritten by a failed or newer-schema
//! situation.

use crate::domain::edit::{EditId, Entry};
use crate::domain::stored::{
    decode_segment, is_quota_error, parse_segment_key, quarantine_key, Meta, Problem, SavedView,
    SegmentWriter, META_KEY, QUARANTINE_PREFIX, SCHEMA, VIEWS_KEY,
};
use gloo_storage::{LocalStorage, Storage};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use wasm_bindgen::{JsCast, JsValue};

pub struct Loaded {
    pub entries: Vec<Entry>,
    pub device: String,
    pub problems: Vec<Problem>,
}

struct State {
    available: bool,
    read_only: bool,
    writer: SegmentWriter,
    /// Writes not yet accepted by the browser: key → full value.
    queued: BTreeMap<String, String>,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn local_storage_works() -> bool {
    // Accessing localStorage throws in some private modes; probe with a write.
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return false;
    };
    let probe = "ledger.probe";
    let ok = storage.set_item(probe, "1").is_ok();
    let _ = storage.remove_item(probe);
    ok || storage.length().is_ok()
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

fn all_keys() -> Vec<String> {
    let raw = LocalStorage::raw();
    (0..LocalStorage::length())
        .filter_map(|i| raw.key(i).ok().flatten())
        .collect()
}

/// Copies an unreadable value aside, once; a quarantine key is never overwritten.
fn quarantine(key: &str, raw: &str) {
    let target = quarantine_key(key);
    if LocalStorage::raw()
        .get_item(&target)
        .ok()
        .flatten()
        .is_none()
    {
        let _ = LocalStorage::raw().set_item(&target, raw);
    }
}

/// Reads everything stored and prepares this page's writer.
pub fn open() -> Loaded {
    let mut problems = Vec::new();
    if !local_storage_works() {
        install(State {
            available: false,
            read_only: false,
            writer: SegmentWriter::new(random_id(8)),
            queued: BTreeMap::new(),
        });
        return Loaded {
            entries: Vec::new(),
            device: random_id(12),
            problems: vec![Problem::Unavailable],
        };
    }
    let raw = LocalStorage::raw();
    let mut read_only = false;
    let device = match raw.get_item(META_KEY).ok().flatten() {
        None => None,
        Some(text) => match serde_json::from_str::<Meta>(&text) {
            Ok(meta) if meta.schema > SCHEMA => {
                // Kept aside and offered for download too: this version cannot vouch for it.
                quarantine(META_KEY, &text);
                read_only = true;
                problems.push(Problem::Newer);
                Some(meta.device)
            }
            Ok(meta) => Some(meta.device),
            Err(_) => {
                quarantine(META_KEY, &text);
                problems.push(Problem::Corrupt(vec![META_KEY.to_owned()]));
                None
            }
        },
    };
    let device = device.unwrap_or_else(|| {
        let device = random_id(12);
        if !read_only {
            let _ = LocalStorage::set(
                META_KEY,
                Meta {
                    schema: SCHEMA,
                    device: device.clone(),
                },
            );
        }
        device
    });

    let mut entries = Vec::new();
    let mut writers = HashSet::new();
    let mut corrupt = Vec::new();
    for key in all_keys() {
        let Some((writer, _)) = parse_segment_key(&key) else {
            continue;
        };
        writers.insert(writer.to_owned());
        let Some(text) = raw.get_item(&key).ok().flatten() else {
            continue;
        };
        // Each edit is read on its own: one this version cannot read is kept
        // verbatim, and only a segment with something that is no edit at all
        // is copied aside; its readable edits load either way.
        match decode_segment(&text) {
            Ok(segment) => {
                entries.extend(segment.entries);
                if segment.garbage > 0 {
                    quarantine(&key, &text);
                    corrupt.push(key);
                }
            }
            Err(_) => {
                quarantine(&key, &text);
                corrupt.push(key);
            }
        }
    }
    if !corrupt.is_empty() {
        problems.push(Problem::Corrupt(corrupt));
    }
    // A fresh writer id, so this page never rewrites a segment another page owns.
    let writer = loop {
        let candidate = random_id(8);
        if !writers.contains(&candidate) {
            break candidate;
        }
    };
    install(State {
        available: true,
        read_only,
        writer: SegmentWriter::new(writer),
        queued: BTreeMap::new(),
    });
    Loaded {
        entries,
        device,
        problems,
    }
}

fn install(state: State) {
    STATE.with(|s| *s.borrow_mut() = Some(state));
}

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|s| f(s.borrow_mut().as_mut().expect("storage::open runs first")))
}

pub fn next_edit_id() -> EditId {
    with_state(|s| s.writer.next_edit_id())
}

/// Queues the edit's segment and writes everything queued.
/// Whether this page may write: storage exists and holds no newer schema's data.
fn writable(s: &State) -> Result<(), Problem> {
    if !s.available {
        return Err(Problem::Unavailable);
    }
    if s.read_only {
        return Err(Problem::Newer);
    }
    Ok(())
}

/// Writes what is queued; what the browser refuses stays queued.
pub fn flush() -> Result<(), Problem> {
    with_state(|s| {
        writable(s)?;
        let raw = LocalStorage::raw();
        while let Some((key, value)) = s.queued.first_key_value() {
            raw.set_item(key, value).map_err(classify)?;
            let key = key.clone();
            s.queued.remove(&key);
        }
        Ok(())
    })
}

pub fn has_queued() -> bool {
    with_state(|s| !s.queued.is_empty())
}

fn classify(error: JsValue) -> Problem {
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

/// Saved views; unreadable stored views are quarantined and start empty.
pub fn load_views() -> Vec<SavedView> {
    let Some(raw) = setting(VIEWS_KEY) else {
        return Vec::new();
    };
    serde_json::from_str(&raw).unwrap_or_else(|_| {
        quarantine(VIEWS_KEY, &raw);
        Vec::new()
    })
}

pub fn save_views(views: &[SavedView]) -> Result<(), Problem> {
    with_state(|s| {
        writable(s)?;
        let json = serde_json::to_string(views).expect("views serialize");
        LocalStorage::raw()
            .set_item(VIEWS_KEY, &json)
            .map_err(classify)
    })
}

/// Edits another tab of this browser just stored (a `storage` event on one of
/// its log segments). This page's own segments never arrive here.
pub fn edits_from_other_tab(key: &str, new_value: Option<String>) -> Vec<Entry> {
    let Some((writer, _)) = parse_segment_key(key) else {
        return Vec::new();
    };
    if with_state(|s| s.writer.writer() == writer) {
        return Vec::new();
    }
    new_value
        .and_then(|raw| decode_segment(&raw).ok())
        .map(|segment| segment.entries)
        .unwrap_or_default()
}

/// Every quarantined value, as (key, raw text), for download.
pub fn quarantined() -> Vec<(String, String)> {
    if !with_state(|s| s.available) {
        return Vec::new();
    }
    let raw = LocalStorage::raw();
    all_keys()
        .into_iter()
        .filter(|k| k.starts_with(QUARANTINE_PREFIX))
        .filter_map(|k| raw.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect()
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
    use wasm_bindgen_futures::JsFuture;
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

/// A device setting as stored; none when there is no storage.
fn setting(key: &str) -> Option<String> {
    if !with_state(|s| s.available) {
        return None;
    }
    item(key)
}

/// The raw stored value (for callers already inside `with_state`).
fn item(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Who uses this device ("我是…"), a person id; a device setting, not an edit.
pub fn me() -> Option<String> {
    setting(crate::domain::stored::ME_KEY).filter(|id| !id.is_empty())
}

pub fn set_me(person: &str) -> Result<(), Problem> {
    with_state(|s| {
        if !s.available {
            return Err(Problem::Unavailable);
        }
        LocalStorage::raw()
            .set_item(crate::domain::stored::ME_KEY, person)
            .map_err(classify)
    })
}

/// Stores many edits (an imported bundle) in this page's segments, each
/// touched segment written once.
pub fn save_all<E: Into<Entry>>(edits: Vec<E>) -> Result<(), Problem> {
    with_state(|s| {
        for (key, value) in s.writer.push_all(edits) {
            s.queued.insert(key, value);
        }
    });
    flush()
}

/// What backups and bundles have carried off this device so far, as stored
/// (`exchange::sent_to_text`).
pub fn exported() -> String {
    setting(crate::domain::stored::EXPORTED_KEY).unwrap_or_default()
}

/// Adds `entries` to what has been carried off this device.
pub fn record_exported(entries: &[Entry]) -> Result<(), Problem> {
    let mut done = crate::domain::exchange::sent_from_text(&exported());
    crate::domain::exchange::mark_sent(&mut done, entries.iter().map(Entry::id));
    with_state(|s| {
        writable(s)?;
        LocalStorage::raw()
            .set_item(
                crate::domain::stored::EXPORTED_KEY,
                &crate::domain::exchange::sent_to_text(&done),
            )
            .map_err(classify)
    })
}

fn sent_book() -> BTreeMap<String, crate::domain::exchange::Sent> {
    item(crate::domain::stored::SENT_KEY)
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

/// What was last sent to `recipient` in a bundle.
pub fn sent_to(recipient: &str) -> crate::domain::exchange::Sent {
    if !with_state(|s| s.available) {
        return Default::default();
    }
    sent_book().remove(recipient).unwrap_or_default()
}

pub fn record_sent(recipient: &str, sent: crate::domain::exchange::Sent) -> Result<(), Problem> {
    with_state(|s| {
        if !s.available {
            return Err(Problem::Unavailable);
        }
        let mut book = sent_book();
        book.insert(recipient.to_owned(), sent);
        let json = serde_json::to_string(&book).expect("a map of numbers serializes");
        LocalStorage::raw()
            .set_item(crate::domain::stored::SENT_KEY, &json)
            .map_err(classify)
    })
}

/// Replaces everything local with a backup: the new log is written first,
/// and only when every write succeeded are the old segments removed. A
/// failure removes what was written and leaves the old data as it was.
pub fn restore(backup: &crate::domain::exchange::Backup) -> Result<(), Problem> {
    flush()?;
    with_state(|s| {
        writable(s)?;
        let raw = LocalStorage::raw();
        let old: Vec<String> = all_keys()
            .into_iter()
            .filter(|k| parse_segment_key(k).is_some())
            .collect();
        let writers: HashSet<String> = old
            .iter()
            .filter_map(|k| parse_segment_key(k).map(|(w, _)| w.to_owned()))
            .collect();
        let writer = loop {
            let candidate = random_id(8);
            if !writers.contains(&candidate) {
                break candidate;
            }
        };
        let segments = SegmentWriter::new(writer).push_all(backup.edits.clone());
        for (i, (key, value)) in segments.iter().enumerate() {
            if let Err(error) = raw.set_item(key, value) {
                for (written, _) in &segments[..i] {
                    let _ = raw.remove_item(written);
                }
                return Err(classify(error));
            }
        }
        for key in old {
            let _ = raw.remove_item(&key);
        }
        let views = serde_json::to_string(&backup.views).expect("views serialize");
        let _ = raw.set_item(VIEWS_KEY, &views);
        match &backup.me {
            Some(me) => {
                let _ = raw.set_item(crate::domain::stored::ME_KEY, me);
            }
            None => {
                let _ = raw.remove_item(crate::domain::stored::ME_KEY);
            }
        }
        Ok(())
    })
}
