//! The banner that says when storage is not doing its job. Storage errors are
//! always shown here, never only logged.

use super::Store;
use crate::domain::stored::Problem;
use crate::text as t;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn StorageStatus(startup: Vec<Problem>) -> impl IntoView {
    let store = expect_context::<Store>();
    let startup: Vec<String> = startup.iter().map(t::storage_problem).collect();
    view! {
        <div class="status" role="alert" aria-live="assertive">
            {startup.into_iter().map(|message| view! { <p class="problem">{message}</p> }).collect_view()}
            {quarantine_downloads()}
            {move || store.write_problem().get().map(|p| view! { <p class="problem" data-problem="write">{t::storage_problem(&p)}</p> })}
            {move || {
                let n = store.ledger().with(|l| l.unreadable().len());
                (n > 0).then(|| view! { <p class="problem" data-testid="unreadable">{t::unreadable_edits(n)}</p> })
            }}
        </div>
    }
}

/// Shown when a new version of the app is installed and waiting (see
/// tools/sw-register.html). The page reloads only when the user says so, after
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
        store.report(crate::storage::flush());
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
    crate::storage::quarantined()
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
    let durability = RwSignal::new(None::<crate::storage::Durability>);
    leptos::task::spawn_local(
        async move { durability.set(Some(crate::storage::durability().await)) },
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
            <span data-testid="unexported">{move || {
                let exported = crate::storage::exported();
                let device = store.device();
                t::unexported(store.ledger().with(|l| {
                    crate::domain::exchange::count_unexported(l.history_all().filter(|e| e.device == device), &exported)
                }))
            }}</span>
        </footer>
    }
}
