//! 报送 by hand, for a device with no sync server: this device's edits that
//! no bundle or backup has carried off, as one file to the phone's share
//! sheet (WeChat, mail), else a download; and the other way, a 修改包 from
//! the office (its roster, its edits) taken in on the 同步 page. Here in the engine, loaded on the
//! tap, rather than in the field app's first download (it cost 5 KB gzip there).

use project_ledger::domain::edit::Entry;
use project_ledger::domain::exchange::{bundle_json, count_unsent, sent_from_text};
use project_ledger::settings;
use project_ledger::storage;
use project_ledger::text as t;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export async function offer_file(name, text) {
  const file = new File([text], name, { type: 'text/plain' });
  if (navigator.canShare?.({ files: [file] })) {
    try { await navigator.share({ files: [file], title: name }); return 'sent'; }
    catch (e) { if (e.name === 'AbortError') return 'cancelled'; }
  }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(file);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  return 'downloaded';
}")]
extern "C" {
    /// "sent", "cancelled" (the sheet was closed) or "downloaded". In JS:
    /// web-sys keeps `navigator.share` behind its unstable APIs.
    async fn offer_file(name: &str, text: &str) -> JsValue;
}

/// Hands over the edits made on `device` not yet carried off, as the file
/// `name`; what happened, in a line for the person. A download counts as
/// handed over once the person says the file went.
pub async fn hand_over(device: String, name: String) -> String {
    let carried = sent_from_text(&settings::exported());
    let stored = storage::stored_after(0, |id| count_unsent([id], &carried) == 1).await;
    let mine: Vec<Entry> = match stored {
        Ok((_, entries, _)) => entries
            .into_iter()
            .filter(|e| matches!(e, Entry::Edit(x) if x.device == device))
            .collect(),
        Err(fault) => return t::storage_problem(&fault.problem()),
    };
    if mine.is_empty() {
        return String::new();
    }
    let mut projects: Vec<&str> = Vec::new();
    for e in &mine {
        if let Entry::Edit(x) = e {
            if !projects.contains(&x.subject.id()) {
                projects.push(x.subject.id());
            }
        }
    }
    let (n, p) = (mine.len(), projects.len());
    let ids: Vec<_> = mine.iter().map(|e| e.id().clone()).collect();
    let text = bundle_json(&device, js_sys::Date::now() as i64, mine);
    let went = match offer_file(&name, &text).await.as_string().as_deref() {
        Some("sent") => true,
        Some("downloaded") => web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&t::hand_over_downloaded(n, p, &name))
                    .ok()
            })
            .unwrap_or(false),
        _ => false,
    };
    if !went {
        return t::HAND_OVER_CANCELLED.to_owned();
    }
    match settings::record_exported(&ids) {
        Ok(()) => t::handed_over(n, p, &name),
        Err(problem) => t::storage_problem(&problem),
    }
}

/// Takes in the 修改包 `text` (a file chosen on the 同步 page): checked as
/// the office's import checks it, then stored; what happened, in a line.
pub async fn receive(text: String) -> String {
    let bundle = match project_ledger::domain::exchange::read_bundle(&text) {
        Ok(bundle) => bundle,
        Err(e) => return t::file_error(&e),
    };
    let total = bundle.edits.len();
    match storage::store_received(bundle.edits).await {
        Ok(added) => t::bundle_merged(added, total - added),
        Err(fault) => t::storage_problem(&fault.problem()),
    }
}
