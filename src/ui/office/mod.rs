//! The office app (`office/`): dashboard, roster and workload, print views,
//! blockers, agenda, rules, import/export. A second wasm built from this crate,
//! loaded only when an office screen opens, so the field app's first load on a
//! phone stays small. Same storage, same `Store`; links back to the field app
//! go through `Route::from_office`. One file per screen.

mod agenda;
mod blockers;
mod dashboard;
mod exchange;
mod links;
mod new_project;
mod people;
mod print;
mod rules;

use crate::domain::agenda::{AgendaQuery, BlockerFilter};
use crate::domain::filter::Query;
use crate::text as t;
use crate::ui::{start_store, storage_status, OfficeRoute, Route};
use leptos::ev;
use leptos::prelude::*;

fn current_route() -> OfficeRoute {
    OfficeRoute::parse(&window().location().hash().unwrap_or_default())
}

#[component]
pub fn OfficeApp() -> impl IntoView {
    let store = start_store();
    crate::ui::sync::start_sync(store, "../engine/sync-engine.js");
    let route = RwSignal::new(current_route());
    let _ = window_event_listener(ev::hashchange, move |_| {
        window().scroll_to_with_x_and_y(0.0, 0.0);
        route.set(current_route());
    });
    let current = move |f: fn(&OfficeRoute) -> bool| move || route.with(f).then_some("page");
    let list = Route::List(Query::default()).from_office();
    view! {
        <header class="top has-status no-print">
            <a class="brand" href=list.clone()>
                {t::APP_NAME}
                <small>{t::OFFICE_SUBTITLE}</small>
            </a>
            <nav aria-label=t::NAV_OFFICE>
                <a href=list>{t::NAV_LIST}</a>
                <a href=OfficeRoute::Home.to_hash() aria-current=current(|r| matches!(r, OfficeRoute::Home))>{t::NAV_DASHBOARD}</a>
                <a href=OfficeRoute::Blockers(BlockerFilter::default()).to_hash() aria-current=current(|r| matches!(r, OfficeRoute::Blockers(_)))>{t::NAV_BLOCKERS}</a>
                <a href=OfficeRoute::Agenda(AgendaQuery::default()).to_hash() aria-current=current(|r| matches!(r, OfficeRoute::Agenda(_)))>{t::NAV_AGENDA}</a>
                <a href=OfficeRoute::People.to_hash() aria-current=current(|r| matches!(r, OfficeRoute::People | OfficeRoute::Person(_)))>{t::NAV_PEOPLE}</a>
                <a href=OfficeRoute::PrintDistricts(Query::default()).to_hash() aria-current=current(|r| matches!(r, OfficeRoute::PrintDistricts(_)))>{t::NAV_PRINT}</a>
                <a href=OfficeRoute::PrintCity(Query::default()).to_hash() aria-current=current(|r| matches!(r, OfficeRoute::PrintCity(_)))>{t::NAV_RANKING}</a>
                <a href=OfficeRoute::Exchange(Query::default()).to_hash() aria-current=current(|r| matches!(r, OfficeRoute::Exchange(_)))>{t::NAV_EXCHANGE}</a>
                <a href=OfficeRoute::Sync.to_hash() aria-current=current(|r| matches!(r, OfficeRoute::Sync))>{t::NAV_SYNC}</a>
            </nav>
            <crate::ui::sync::SyncStatusLine href=OfficeRoute::Sync.to_hash()/>
        </header>
        <div class="no-print">
            <storage_status::StorageStatus/>
            <storage_status::UpdateBanner/>
        </div>
        <main id="main">
            {move || if !store.status.with(|s| s.ready) { view! { <storage_status::Opening/> }.into_any() } else { match route.get() {
                OfficeRoute::Home => view! { <dashboard::Dashboard/> }.into_any(),
                OfficeRoute::People => view! { <people::RosterPage/> }.into_any(),
                OfficeRoute::Person(id) => view! { <people::PersonPage id=id/> }.into_any(),
                OfficeRoute::PrintDistricts(query) => view! { <print::DistrictSummaries query=query/> }.into_any(),
                OfficeRoute::PrintCity(query) => view! { <print::CitySummary query=query/> }.into_any(),
                OfficeRoute::PrintPerson(id) => view! { <print::StewardSheet id=id/> }.into_any(),
                OfficeRoute::Exchange(query) => view! { <exchange::ExchangePage query=query/> }.into_any(),
                OfficeRoute::New => view! { <new_project::NewProject/> }.into_any(),
                OfficeRoute::Blockers(filter) => view! { <blockers::BlockerList filter=filter/> }.into_any(),
                OfficeRoute::Agenda(query) => view! { <agenda::Agenda query=query/> }.into_any(),
                OfficeRoute::Rules => view! { <rules::Rules/> }.into_any(),
                OfficeRoute::Sync => view! { <crate::ui::sync::SyncPage/> }.into_any(),
            }}}
        </main>
        <div class="no-print">
            <storage_status::DeviceStorage/>
        </div>
    }
}
