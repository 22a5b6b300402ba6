//! What the sync engine stores and reads: pages pulled, a 修改包
//! received, the records it may have to push.

use super::*;

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
