//! Opening storage: the meta (read-only when a newer version's), the
//! first release's log moved into IndexedDB, the snapshot and what came
//! after it, and values that do not read kept aside.

use super::*;

/// What opening storage found.
pub struct Opened {
    pub core: Core,
    pub device: String,
    pub problems: Vec<Problem>,
    pub backend: Option<Idb>,
    /// Set while the first release's log is being moved, for the progress line.
    pub migrated: usize,
}

/// The first release's log: every readable entry of every segment, the
/// segments that read whole (to retire once copied), and the problems.
pub(super) fn first_release_log() -> (Vec<Entry>, Vec<String>, Vec<Problem>) {
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
pub(super) fn parse_meta(text: &str) -> Option<(u64, String)> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let o = value.as_object()?;
    let schema = o
        .get("schema")?
        .as_u64()
        .filter(|s| *s <= u64::from(u32::MAX))?;
    let device = o.get("device")?.as_str()?.to_owned();
    (!device.is_empty()).then_some((schema, device))
}

pub(super) fn meta_text(device: &str, moved: bool) -> String {
    let moved = if moved { r#","moved":"indexeddb""# } else { "" };
    format!(
        r#"{{"schema":{SCHEMA},"device":{}{moved}}}"#,
        json_text(device)
    )
}

/// What a meta says: this device, and whether this version may write.
/// One it cannot read may be a newer version's: nothing is written then.
pub(super) fn read_meta(text: &str) -> (Option<String>, Mode) {
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
        if let Err(fault) = Idb.append(version, &old).await {
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
