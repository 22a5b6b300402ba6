//! Sync through CouchDB, as the apps hold it: the header's status line and
//! the place of the 同步 page. The client and the page itself are the sync
//! engine, a wasm of its own (`crate::sync_engine`) loaded into the page
//! only once a server is set or the 同步 page opens
//! (`src/sync_engine_loader.js`): a device that never syncs never downloads
//! it. The engine stores what it pulls as another tab would, so the ledger
//! folds it the usual way.

use crate::storage;
use crate::text as t;
use crate::ui::Store;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/sync_engine_loader.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = startSync)]
    async fn start_engine(
        path: &str,
        on_status: &js_sys::Function,
        signed_in: bool,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = mountPage)]
    async fn mount_page(
        path: &str,
        on_status: &js_sys::Function,
        name_of: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
}

/// What the header and the 同步 page need, one per page (`start_sync`).
#[derive(Clone, Copy)]
struct Sync {
    /// The header's status line as the engine last gave it; empty until then.
    status: RwSignal<String>,
    /// The status asks for the person's attention.
    urgent: RwSignal<bool>,
    /// The engine's script, relative to this app's page.
    path: &'static str,
    /// For the engine: `on_status(text, urgent)` and `name_of(id)`.
    callbacks: StoredValue<(js_sys::Function, js_sys::Function), LocalStorage>,
}

thread_local! {
    static SYNC: std::cell::Cell<Option<Sync>> = const { std::cell::Cell::new(None) };
}

fn sync() -> Sync {
    SYNC.with(|s| s.get()).expect("start_sync runs first")
}

/// Sync for this page: loads the engine at once if someone is signed in on
/// this device (it signs in again with the saved session), else when someone
/// signs in in another tab of the device, else never.
/// `path`: the engine's script relative to the page.
pub(crate) fn start_sync(store: Store, path: &'static str) {
    let status = RwSignal::new(String::new());
    let urgent = RwSignal::new(false);
    let on_status = Closure::<dyn Fn(String, bool)>::new(move |text, attention| {
        status.set(text);
        urgent.set(attention);
    });
    let name_of = Closure::<dyn Fn(String) -> String>::new(move |id: String| {
        store.ledger().with_untracked(|l| subject_name(l, &id))
    });
    let sync = Sync {
        status,
        urgent,
        path,
        callbacks: StoredValue::new_local((
            on_status.into_js_value().unchecked_into(),
            name_of.into_js_value().unchecked_into(),
        )),
    };
    SYNC.with(|s| s.set(Some(sync)));
    leptos::task::spawn_local(async move {
        let on_status = sync.callbacks.with_value(|c| c.0.clone());
        if start_engine(path, &on_status, storage::signed_in_to_sync())
            .await
            .is_err()
        {
            sync.unavailable();
        }
    });
}

impl Sync {
    fn unavailable(&self) {
        self.status.set(t::SYNC_ENGINE_MISSING.to_owned());
        self.urgent.set(true);
    }
}

/// 我是: the person chosen on this device, else the roster's person named
/// as the user signed in to sync.
pub fn me_or_signed_in(chosen: Option<String>, ledger: &crate::domain::Ledger) -> Option<String> {
    chosen.or_else(|| {
        let user = storage::local_author()?;
        ledger
            .people()
            .find(|p| p.details.name == user)
            .map(|p| p.id.clone())
    })
}

/// A project's or person's name, else the id itself.
fn subject_name(ledger: &crate::domain::Ledger, id: &str) -> String {
    ledger
        .project(id)
        .map(|p| p.name.clone())
        .or_else(|| ledger.person_name(id).map(str::to_owned))
        .unwrap_or_else(|| id.to_owned())
}

/// The header's sync status, always shown; a link to the sync page.
#[component]
pub fn SyncStatusLine(href: String) -> impl IntoView {
    let sync = sync();
    let text = move || {
        let text = sync.status.get();
        if text.is_empty() {
            t::SYNC_OFF.to_owned()
        } else {
            text
        }
    };
    view! {
        <a class="sync-status" class:urgent=sync.urgent href=href role="status" data-testid="sync-status">{text}</a>
    }
}

/// 同步: the engine draws it here (loading itself first, if need be).
#[component]
pub fn SyncPage() -> impl IntoView {
    let sync = sync();
    // After this view is in the document: the engine finds it by id.
    leptos::task::spawn_local(async move {
        let (on_status, name_of) = sync.callbacks.get_value();
        if mount_page(sync.path, &on_status, &name_of).await.is_err() {
            sync.unavailable();
        }
    });
    view! {
        <section class="sync-page" id="sync-page">
            <h1 class="page-title">{t::SYNC_TITLE}</h1>
            <p>{t::SYNC_LOADING}</p>
        </section>
    }
}
