//! Sync through CouchDB, as the apps hold it: the header's status line and
//! the place of the 同步 page. The client and the page itself are the sync
//! engine, a crate and wasm of its own (`src/sync_engine`) loaded into the page
//! only once a server is set or the 同步 page opens
//! (`src/sync_engine_loader.js`): a device that never syncs never downloads
//! it. The engine stores what it pulls as another tab would, so the ledger
//! folds it the usual way.

use crate::domain::sync::replicator::{Report, Status};
use crate::settings;
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
    #[wasm_bindgen(js_name = handOverButton)]
    fn hand_over_button(
        path: &str,
        on_status: &js_sys::Function,
        label: &str,
        nothing: &str,
        failed: &str,
        handing: &js_sys::Function,
        done: &js_sys::Function,
    );
    #[wasm_bindgen(catch, js_name = mountPage)]
    async fn mount_page(
        path: &str,
        on_status: &js_sys::Function,
        name_of: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
}

/// What the header shows of sync.
#[derive(Clone, PartialEq)]
enum Line {
    /// No server set, or the engine not loaded: what this device holds alone.
    Local,
    /// Where sync with the server stands, as the engine reports it.
    Server(Status, Option<u32>),
    /// The engine would not load.
    EngineMissing,
}

impl Line {
    /// The engine's report of `numbers` (`Report::to_numbers`).
    fn reported(numbers: &[f64]) -> Line {
        match Report::from_numbers(numbers) {
            Some(Report {
                status: Some(status),
                downloaded_percent,
            }) => Line::Server(status, downloaded_percent),
            Some(Report { status: None, .. }) => Line::Local,
            // An engine of another version than the app (an update half
            // applied): said as a missing engine, never as 已同步.
            None => Line::EngineMissing,
        }
    }

    /// It asks for the person's attention.
    fn urgent(&self) -> bool {
        match self {
            Line::Local => false,
            Line::Server(status, _) => status.asks_attention(),
            Line::EngineMissing => true,
        }
    }
}

/// What the header and the 同步 page need, one per page (`start_sync`).
#[derive(Clone, Copy)]
struct Sync {
    /// The header's status line.
    status: RwSignal<Line>,
    /// The engine's script, relative to this app's page.
    path: &'static str,
    /// For the engine: `on_status(report's numbers)` and `name_of(id)`.
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
    let status = RwSignal::new(Line::Local);
    let on_status =
        Closure::<dyn Fn(js_sys::Float64Array)>::new(move |numbers: js_sys::Float64Array| {
            status.set(Line::reported(&numbers.to_vec()));
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
    SYNC.with(|s| s.set(Some(sync)));
    leptos::task::spawn_local(async move {
        let on_status = sync.callbacks.with_value(|c| c.0.clone());
        if start_engine(path, &on_status, settings::signed_in_to_sync())
            .await
            .is_err()
        {
            sync.unavailable();
        }
    });
}

impl Sync {
    fn unavailable(&self) {
        self.status.set(Line::EngineMissing);
    }
}

/// 报送 for a device with no sync server: a button in the header that has
/// the engine (loaded on the tap) hand this device's new edits over as one
/// file named by person, district and date. Button and reply are drawn by
/// the loader: as a Leptos view they cost the phone's download 1.5 KB gzip.
pub(crate) fn offer_hand_over(store: Store) {
    let sync = sync();
    // [device, file name], asked at the tap: storage is open by then.
    let handing = Closure::<dyn Fn() -> js_sys::Array>::new(move || {
        let device = store.device();
        let (who, district) = store.ledger().with_untracked(|l| {
            let me = settings::me().and_then(|id| l.person(&id));
            (
                me.map_or_else(|| device.clone(), |p| p.details.name.clone()),
                me.and_then(|p| p.details.district)
                    .or_else(settings::office_district)
                    .map_or("", |d| d.name()),
            )
        });
        let name = t::hand_over_file_name(&who, district, &crate::ui::today().to_string());
        js_sys::Array::of2(&device.into(), &name.into())
    });
    let done = Closure::<dyn Fn()>::new(super::storage_status::carried_off_changed);
    let on_status = sync.callbacks.with_value(|c| c.0.clone());
    hand_over_button(
        sync.path,
        &on_status,
        t::HAND_OVER,
        t::HAND_OVER_NOTHING,
        t::SYNC_ENGINE_MISSING,
        &handing.into_js_value().unchecked_into(),
        &done.into_js_value().unchecked_into(),
    );
}

/// 我是: the person chosen on this device, else the roster's person signed
/// in to sync (by login, else named as the user).
pub fn me_or_signed_in(chosen: Option<String>, ledger: &crate::domain::Ledger) -> Option<String> {
    chosen.or_else(|| {
        let user = settings::local_author()?;
        crate::domain::sync::accounts::person_signed_in_as(ledger, &user).map(|p| p.id.clone())
    })
}

/// The district this device works for: 本机区县 when chosen on it (全市 is
/// a choice), else the district of the account signed in to sync (its one
/// district role), else of the roster's person signed in.
pub fn device_district(ledger: &crate::domain::Ledger) -> Option<crate::domain::District> {
    if settings::office_district_chosen() {
        return settings::office_district();
    }
    let roles = settings::sync_roles();
    if let Some([one]) = crate::domain::sync::server::own_districts(&roles).as_deref() {
        return Some(*one);
    }
    let user = settings::local_author()?;
    crate::domain::sync::accounts::person_signed_in_as(ledger, &user)?
        .details
        .district
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
    let store = expect_context::<Store>();
    // With no server the engine says nothing: the line says whether the
    // device is online and what waits to be handed over by hand.
    let online = RwSignal::new(window().navigator().on_line());
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    let text = move || match sync.status.get() {
        Line::Local => t::local_status(!online.get(), super::storage_status::unexported(store)),
        Line::Server(status, downloaded) => t::sync_status(Some(&status), downloaded, |ms| {
            crate::clock::format_time(ms)[11..].to_owned()
        }),
        Line::EngineMissing => t::SYNC_ENGINE_MISSING.to_owned(),
    };
    let urgent = move || sync.status.with(Line::urgent);
    view! {
        <span class="sync-line" role="status">
            <a class="sync-status" class:urgent=urgent href=href data-testid="sync-status">{text}</a>
        </span>
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
