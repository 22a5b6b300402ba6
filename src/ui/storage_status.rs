//! The banner that says when storage is not doing its job. Storage errors are
//! always shown here, never only logged.

use super::Store;
use crate::text as t;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn StorageStatus() -> impl IntoView {
    let store = expect_context::<Store>();
    let startup = move || {
        store.status.with(|s| {
            s.startup
                .iter()
                .map(|p| view! { <p class="problem">{t::storage_problem(p)}</p> })
                .collect_view()
        })
    };
    view! {
        <div class="status" role="alert" aria-live="assertive">
            {startup}
            {move || store.status.with(|s| s.not_answering()).then(|| view! {
                <p class="problem" data-problem="not-answering">{t::STORAGE_NOT_ANSWERING}</p>
            })}
            {move || store.status.with(|s| s.ready).then(quarantine_downloads)}
            {move || store.status.with(|s| s.write.clone()).map(|p| view! { <p class="problem" data-problem="write">{t::storage_problem(&p)}</p> })}
            {move || {
                let n = store.ledger().with(|l| l.unreadable().len());
                (n > 0).then(|| view! { <p class="problem" data-testid="unreadable">{t::unreadable_edits(n)}</p> })
            }}
        </div>
    }
}

/// While storage opens: a moment, or, when the first release's data moves
/// into the new store, how many edits.
#[component]
pub fn Opening() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <p class="opening" role="status" data-testid="opening">
            {move || if store.status.with(|s| s.migrating) { t::MIGRATING } else { t::OPENING }}
        </p>
    }
}

/// Shown when a new version of the app is installed and waiting (see
/// tools/release/sw-register.html). The page reloads only when the user says so, after
/// every edit is stored.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let store = expect_context::<Store>();
    let flag =
        |name: &str| js_sys::Reflect::get(&window(), &name.into()).is_ok_and(|v| v.is_truthy());
    let ready = RwSignal::new(flag("ledgerUpdateReady"));
    let _ = window_event_listener_untyped("ledger-update-ready", move |_| ready.set(true));
    let reload = move |_| {
        super::commit_focused_field();
        store.save();
        if let Ok(apply) = js_sys::Reflect::get(&window(), &"ledgerApplyUpdate".into()) {
            if let Some(apply) = apply.dyn_ref::<js_sys::Function>() {
                let _ = apply.call0(&wasm_bindgen::JsValue::NULL);
            }
        }
    };
    view! {
        <Show when=move || ready.get()>
            <div class="update" role="status" data-testid="update-banner">
                {t::UPDATE_READY} " "
                <button type="button" class="primary" on:click=reload>{t::UPDATE_RELOAD}</button>
            </div>
        </Show>
    }
}

/// Links that download each quarantined raw value, exactly as it was stored.
fn quarantine_downloads() -> impl IntoView {
    crate::settings::unreadable()
        .into_iter()
        .map(|(key, raw)| {
            let href = format!("data:text/plain;charset=utf-8,{}", crate::domain::codec::percent_encode(&raw));
            view! {
                <p class="problem">
                    <a href=href download=format!("{key}.txt") data-quarantine=key.clone()>{t::DOWNLOAD_QUARANTINE} " " {key.clone()}</a>
                </p>
            }
        })
        .collect_view()
}

/// Footer: whether the browser keeps the data, how full storage is, how many
/// of this device's own edits no backup or bundle has carried off yet.
#[component]
pub fn DeviceStorage() -> impl IntoView {
    let store = expect_context::<Store>();
    let durability = RwSignal::new(None::<crate::settings::Durability>);
    leptos::task::spawn_local(
        async move { durability.set(Some(crate::settings::durability().await)) },
    );
    let nearly_full = move || {
        durability.with(|d| {
            d.as_ref()
                .is_some_and(|d| match (d.usage_bytes, d.quota_bytes) {
                    (Some(u), Some(q)) => crate::domain::stored::nearly_full(u, q),
                    _ => false,
                })
        })
    };
    view! {
        <footer class="device" data-testid="device-storage">
            <Show when=nearly_full>
                <p class="problem" role="alert">{t::storage_nearly_full()}</p>
            </Show>
            <span>{move || durability.with(|d| d.as_ref().map(|d| t::persistence(d.persisted)))}</span>
            <span>
                {move || durability.with(|d| d.as_ref().and_then(|d| Some(t::storage_usage(d.usage_bytes?, d.quota_bytes?))))}
            </span>
            // With a sync server, sync carries edits off and the header counts
            // what waits; a count of bundles would contradict it.
            {crate::settings::sync_server().is_none().then(|| view! {
                <span data-testid="unexported">{move || t::unexported(unexported(store))}</span>
            })}
        </footer>
    }
}

thread_local! {
    /// Bumped when what this device has carried off changes (a bundle or
    /// backup said saved), so the counts that read it count again. An Arc
    /// signal: an arena one would belong to the first view that read it
    /// and go with it.
    static CARRIED_OFF: ArcRwSignal<u32> = ArcRwSignal::new(0);
}

/// Records that these edits have left the device, and recounts.
pub(crate) fn record_carried_off(store: Store, ids: &[crate::domain::edit::EditId]) {
    store.report(crate::settings::record_exported(ids));
    carried_off_changed();
}

/// What has left the device changed (here or in the engine): count again.
pub(crate) fn carried_off_changed() {
    CARRIED_OFF.with(|c| c.update(|n| *n += 1));
}

/// How many of this device's own edits no backup or bundle has carried off.
pub(crate) fn unexported(store: Store) -> usize {
    CARRIED_OFF.with(|c| c.track());
    let exported = crate::settings::exported();
    let device = store.device();
    store.ledger().with(|l| {
        l.unexported(&device, &|writer| {
            crate::domain::exchange::exported_mark(&exported, writer)
        })
    })
}
