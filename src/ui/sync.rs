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
    #[wasm_bindgen(catch, js_name = loadEngine)]
    async fn load_engine(path: &str, on_status: &js_sys::Function) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = mountPage)]
    async fn mount_page(
        path: &str,
        on_status: &js_sys::Function,
        root: web_sys::Element,
        name_of: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
}

#[derive(Clone, Copy)]
pub struct Sync {
    /// The header's status line, as the engine last gave it, and whether it
    /// asks for attention; `None` until it has said anything.
    status: RwSignal<Option<(String, bool)>>,
    /// The engine's script, relative to this app's page.
    path: &'static str,
    callbacks: StoredValue<(js_sys::Function, js_sys::Function), LocalStorage>,
}

/// Sync for this page: loads the engine once storage is open, if a user is
/// signed in on this device (it signs in again with the saved session).
/// `path`: the engine's script relative to the page.
pub(crate) fn start_sync(store: Store, path: &'static str) -> Sync {
    let status = RwSignal::new(None);
    let on_status = Closure::<dyn Fn(String, bool)>::new(move |text, urgent| {
        status.set(Some((text, urgent)))
    });
    let name_of = Closure::<dyn Fn(String) -> String>::new(move |id: String| {
        store.ledger().with_untracked(|l| subject_name(l, &id))
    });
    let sync = Sync {
        status,
        path,
        callbacks: StoredValue::new_local((
            on_status.into_js_value().unchecked_into(),
            name_of.into_js_value().unchecked_into(),
        )),
    };
    provide_context(sync);
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || !store.status.with(|s| s.ready) {
            return started.unwrap_or(false);
        }
        if storage::local_author().is_some() {
            leptos::task::spawn_local(async move {
                let loaded = load_engine(path, &sync.callbacks.with_value(|c| c.0.clone())).await;
                if loaded.is_err() {
                    sync.unavailable();
                }
            });
        }
        true
    });
    sync
}

impl Sync {
    fn unavailable(&self) {
        self.status
            .set(Some((t::SYNC_ENGINE_MISSING.to_owned(), true)));
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
    let sync = expect_context::<Sync>();
    let text = move || {
        sync.status
            .with(|s| s.as_ref().map_or(t::SYNC_OFF.to_owned(), |s| s.0.clone()))
    };
    let urgent = move || sync.status.with(|s| s.as_ref().is_some_and(|s| s.1));
    view! {
        <a class="sync-status" class:urgent=urgent href=href role="status" data-testid="sync-status">{text}</a>
    }
}

/// 同步: the engine draws it here (loading itself first, if need be).
#[component]
pub fn SyncPage() -> impl IntoView {
    let sync = expect_context::<Sync>();
    let root = NodeRef::<leptos::html::Section>::new();
    root.on_load(move |section| {
        leptos::task::spawn_local(async move {
            let (on_status, name_of) = sync.callbacks.get_value();
            if mount_page(sync.path, &on_status, section.into(), &name_of)
                .await
                .is_err()
            {
                sync.unavailable();
            }
        });
    });
    view! {
        <section class="sync-page" node_ref=root>
            <h1 class="page-title">{t::SYNC_TITLE}</h1>
            <p>{t::SYNC_LOADING}</p>
        </section>
    }
}
