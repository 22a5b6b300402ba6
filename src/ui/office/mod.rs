//! The office app (`office/`): roster and workload, one person's projects, and
//! the print views. A second wasm built from this crate, loaded only when an
//! office screen opens, so the field app's first load on a phone stays small.
//! Same storage, same `Store`; links back to the field app go through `field_href`.

mod exchange;
mod new_project;
mod people;
mod print;
mod rhythm;

use crate::domain::agenda::{AgendaQuery, BlockerFilter};
use crate::domain::filter::Query;
use crate::text as t;
use crate::ui::{start_store, storage_status};
use leptos::ev;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum Route {
    Home,
    People,
    Person(String),
    /// District summaries of the projects a list query selects.
    PrintDistricts(Query),
    /// The city's targets and the district ranking, over the query's projects.
    PrintCity(Query),
    /// One steward's sheet for the field.
    PrintPerson(String),
    /// CSV export and import, bundles and backups; export takes the list's query.
    Exchange(Query),
    /// Add a project the published list does not contain.
    New,
    Blockers(BlockerFilter),
    Agenda(AgendaQuery),
    Rules,
}

impl Route {
    fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let id = |prefix: &str| {
            path.strip_prefix(prefix)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
        };
        if let Some(id) = id("/people/") {
            return Route::Person(id);
        }
        if let Some(id) = id("/print/people/") {
            return Route::PrintPerson(id);
        }
        match path {
            "/people" => Route::People,
            "/new" => Route::New,
            "/blockers" => Route::Blockers(BlockerFilter::from_query_string(query)),
            "/agenda" => Route::Agenda(AgendaQuery::from_query_string(query)),
            "/rules" => Route::Rules,
            "/print/districts" => Route::PrintDistricts(Query::from_query_string(query)),
            "/print/city" => Route::PrintCity(Query::from_query_string(query)),
            "/exchange" => Route::Exchange(Query::from_query_string(query)),
            _ => Route::Home,
        }
    }
}

fn current_route() -> Route {
    Route::from_hash(&window().location().hash().unwrap_or_default())
}

/// A route of the field app, seen from `office/`.
pub fn field_href(hash: &str) -> String {
    format!("../{hash}")
}

#[component]
pub fn OfficeApp() -> impl IntoView {
    let problems = start_store();
    let route = RwSignal::new(current_route());
    let _ = window_event_listener(ev::hashchange, move |_| {
        window().scroll_to_with_x_and_y(0.0, 0.0);
        route.set(current_route());
    });
    let current = move |f: fn(&Route) -> bool| move || route.with(f).then_some("page");
    view! {
        <header class="top no-print">
            <a class="brand" href=field_href("#/")>
                {t::APP_NAME}
                <small>{t::OFFICE_SUBTITLE}</small>
            </a>
            <nav aria-label=t::NAV_OFFICE>
                <a href=field_href("#/")>{t::NAV_LIST}</a>
                <a href="#/" aria-current=current(|r| matches!(r, Route::Home))>{t::NAV_DASHBOARD}</a>
                <a href="#/blockers" aria-current=current(|r| matches!(r, Route::Blockers(_)))>{t::NAV_BLOCKERS}</a>
                <a href="#/agenda" aria-current=current(|r| matches!(r, Route::Agenda(_)))>{t::NAV_AGENDA}</a>
                <a href="#/people" aria-current=current(|r| matches!(r, Route::People | Route::Person(_)))>{t::NAV_PEOPLE}</a>
                <a href="#/print/districts" aria-current=current(|r| matches!(r, Route::PrintDistricts(_)))>{t::NAV_PRINT}</a>
                <a href="#/print/city" aria-current=current(|r| matches!(r, Route::PrintCity(_)))>{t::NAV_RANKING}</a>
                <a href="#/exchange" aria-current=current(|r| matches!(r, Route::Exchange(_)))>{t::NAV_EXCHANGE}</a>
            </nav>
        </header>
        <div class="no-print">
            <storage_status::StorageStatus startup=problems/>
            <storage_status::UpdateBanner/>
        </div>
        <main id="main">
            {move || match route.get() {
                Route::Home => view! { <rhythm::Dashboard/> }.into_any(),
                Route::People => view! { <people::RosterPage/> }.into_any(),
                Route::Person(id) => view! { <people::PersonPage id=id/> }.into_any(),
                Route::PrintDistricts(query) => view! { <print::DistrictSummaries query=query/> }.into_any(),
                Route::PrintCity(query) => view! { <print::CitySummary query=query/> }.into_any(),
                Route::PrintPerson(id) => view! { <print::StewardSheet id=id/> }.into_any(),
                Route::Exchange(query) => view! { <exchange::ExchangePage query=query/> }.into_any(),
                Route::New => view! { <new_project::NewProject/> }.into_any(),
                Route::Blockers(filter) => view! { <rhythm::BlockerList filter=filter/> }.into_any(),
                Route::Agenda(query) => view! { <rhythm::Agenda query=query/> }.into_any(),
                Route::Rules => view! { <rhythm::Rules/> }.into_any(),
            }}
        </main>
        <div class="no-print">
            <storage_status::DeviceStorage/>
        </div>
    }
}
