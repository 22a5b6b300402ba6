//! The only module that touches browser storage.
//!
//! The edit log lives in IndexedDB. Its requests are made by a small
//! promise adapter in JavaScript (`idb.js`, one function a transaction;
//! `idb_office.js` and `idb_sync.js` hold what only the office app and the
//! sync engine use); these modules decide everything else. The crates tried
//! (rexie, indexed_db_futures) each added 16–18 KB to the phone's download
//! and web-sys's bindings about 5 KB, against 8 KB for the whole store
//! (docs/storage.md). Database `project-ledger`:
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
//!
//! Its five jobs, a file each: `log` (the edit log in IndexedDB, the
//! keeper's `Backend`), `open` (opening: the meta, the first release's move,
//! what does not read), `settings` (the device's settings, the one way
//! screens reach storage: `crate::settings`), `tabs` (telling the device's
//! other tabs) and `engine` (what the sync engine stores and reads).

use crate::domain::edit::{EditId, Entry};
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

#[wasm_bindgen(module = "/src/storage/idb.js")]
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
    #[wasm_bindgen(catch, js_name = idbPut)]
    async fn idb_put(key: &str, value: JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/storage/idb_office.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = idbAll)]
    async fn idb_all() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbRecord)]
    async fn idb_record(id: &str) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/storage/idb_sync.js")]
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

mod engine;
mod log;
mod open;
pub mod settings;
mod tabs;

pub use engine::*;
pub use log::*;
pub use open::*;
use settings::*;
pub use tabs::*;

// ------------------------------------------------ shared by the five jobs

/// What went wrong, from the DOMException IndexedDB gave (a request's or,
/// for a refused transaction, the transaction's: a full disk says so there).
fn fault_of(error: JsValue) -> Fault {
    match classify_js(error) {
        Problem::Full => Fault::Full,
        Problem::Failed(why) => Fault::Failed(why),
        _ => Fault::Failed("IndexedDB".into()),
    }
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
