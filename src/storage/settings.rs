//! The device's settings in localStorage, typed: 我是, saved views, drafts,
//! the sync server and what it said, what was carried off. Screens reach
//! storage only through these (`crate::settings`).

use super::*;

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

pub(super) fn sent_book(
) -> Result<std::collections::BTreeMap<String, crate::domain::exchange::Sent>, Problem> {
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

/// Who this page's own edits are by: the person signed in to sync on this
/// device (in either app), if anyone.
pub fn local_author() -> Option<String> {
    sync_server()
        .map(|(_, user)| user)
        .filter(|u| !u.is_empty())
}
