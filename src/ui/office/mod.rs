//! The office app (`office/`): dashboard, roster and workload, print views,
//! blockers, agenda, rules, import/export. A second wasm built from this crate,
//! loaded only when an office screen opens, so the field app's first load on a
//! phone stays small. Same storage, same `Store`; links back to the field app
//! go through `Route::from_office`. One file per screen.

mod accounts;
mod agenda;
mod blockers;
mod changes;
mod dashboard;
mod exchange;
mod links;
mod new_project;
mod people;
mod pictures;
mod print;
mod rules;
pub use print::RankingDates;
mod supervision;

use crate::domain::agenda::{AgendaQuery, BlockerFilter};
use crate::domain::filter::Query;
use crate::domain::District;
use crate::text as t;
use crate::ui::{start_store, storage_status, Menu, MenuItem, OfficeRoute, Place, Route};
use leptos::ev;
use leptos::prelude::*;

fn current_route() -> OfficeRoute {
    OfficeRoute::parse(&window().location().hash().unwrap_or_default())
}

/// The district this office device works for (本机区县), set on the
/// dashboard; the menu's links open narrowed to it.
#[derive(Clone, Copy)]
pub(crate) struct Scope(pub(crate) RwSignal<Option<District>>);

/// What the browser tab and the history list call a screen.
fn page_name(route: &OfficeRoute) -> &'static str {
    match route {
        OfficeRoute::Home => t::DASHBOARD,
        OfficeRoute::People(_) | OfficeRoute::Person(_) => t::PEOPLE_HEADING,
        OfficeRoute::PrintDistricts(_) => t::PRINT_DISTRICTS,
        OfficeRoute::PrintCity(..) => t::PRINT_CITY,
        OfficeRoute::PrintPerson(_) => t::PRINT_STEWARD_TITLE,
        OfficeRoute::PrintAccounts(_) => t::ACCOUNT_CARDS_TITLE,
        OfficeRoute::Exchange(_) => t::EXCHANGE_HEADING,
        OfficeRoute::New => t::NEW_HEADING,
        OfficeRoute::Blockers(_) => t::OPEN_BLOCKERS_HEADING,
        OfficeRoute::Blocker(_) => t::SUPERVISION_TITLE,
        OfficeRoute::Agenda(_) => t::AGENDA_HEADING,
        OfficeRoute::Changes(_) => t::CHANGES_HEADING,
        OfficeRoute::Rules => t::RULES_HEADING,
        OfficeRoute::Sync => t::NAV_SYNC,
    }
}

/// Under the menu on screens that can be narrowed: what they show, and one
/// click to the whole city or back to the device's district.
#[component]
fn ScopeBar(route: RwSignal<OfficeRoute>, scope: RwSignal<Option<District>>) -> impl IntoView {
    move || {
        let r = route.get();
        let narrowable = matches!(
            r,
            OfficeRoute::People(_)
                | OfficeRoute::Agenda(_)
                | OfficeRoute::Changes(_)
                | OfficeRoute::Blockers(_)
                | OfficeRoute::PrintDistricts(_)
        );
        let own = scope.get();
        if !narrowable || (own.is_none() && r.district().is_none()) {
            return None;
        }
        let shown = r.district();
        let switch = match shown {
            Some(_) => view! { <a href=r.clone().whole_city().to_hash() data-testid="whole-city">{t::SHOW_WHOLE_CITY}</a> }.into_any(),
            None => {
                let d = own.expect("narrowable with a scope");
                view! { <a href=r.clone().scoped(Some(d)).to_hash() data-testid="own-district">{t::only_district(d.name())}</a> }.into_any()
            }
        };
        Some(view! {
            <p class="scope-bar no-print" data-testid="scope">
                <strong>{t::scope_line(shown.map_or(t::WHOLE_CITY, |d| d.name()))}</strong> " · " {switch}
            </p>
        })
    }
}

#[component]
pub fn OfficeApp() -> impl IntoView {
    let store = start_store();
    crate::ui::sync::start_sync(store, "../engine/sync-engine.js");
    let route = RwSignal::new(current_route());
    // A change of storage's status does not rebuild the page (see app.rs).
    let screens = Memo::new(move |_| store.status.with(crate::ui::Status::screens));
    let _ = window_event_listener(ev::hashchange, move |_| {
        window().scroll_to_with_x_and_y(0.0, 0.0);
        route.set(current_route());
    });
    let scope = RwSignal::new(crate::settings::office_district());
    provide_context(Scope(scope));
    // Never chosen on this device: the district of the person signed in to
    // sync (known once the roster arrives, for a city leader stays 全市).
    if !crate::settings::office_district_chosen() {
        Effect::new(move |_| {
            let district = store.ledger().with(crate::ui::sync::device_district);
            if district.is_some() && !crate::settings::office_district_chosen() {
                scope.set(district);
            }
        });
    }
    Effect::new(move |_| {
        let r = route.get();
        let shown = match r {
            OfficeRoute::Home => scope.get(),
            _ => r.district(),
        };
        let place = shown.map_or(t::WHOLE_CITY, |d| d.name());
        document().set_title(&format!("{} · {place} · {}", page_name(&r), t::APP_NAME));
    });
    let current = move |f: fn(&OfficeRoute) -> bool| Signal::derive(move || route.with(f));
    let link =
        move |r: OfficeRoute| Signal::derive(move || r.clone().scoped(scope.get()).to_hash());
    let list = Route::List(Query::default()).from_office();
    // 我是 (chosen, else the person signed in): their projects in the field app.
    let me = Memo::new(move |_| {
        store
            .ledger()
            .with(|l| crate::ui::sync::me_or_signed_in(crate::settings::me(), l))
    });
    let mine = Signal::derive(move || {
        me.get()
            .map(|id| {
                Route::List(Query::default().toggled(crate::domain::filter::Facet::Steward, &id))
                    .from_office()
            })
            .unwrap_or_default()
    });
    let menu = vec![
        MenuItem::away(Place::Mine, mine)
            .shown_when(Signal::derive(move || me.with(Option::is_some))),
        MenuItem::away(Place::List, list.clone()),
        MenuItem::new(
            Place::Dashboard,
            OfficeRoute::Home.to_hash(),
            current(|r| matches!(r, OfficeRoute::Home)),
        ),
        MenuItem::new(
            Place::Blockers,
            link(OfficeRoute::Blockers(BlockerFilter::default())),
            current(|r| matches!(r, OfficeRoute::Blockers(_) | OfficeRoute::Blocker(_))),
        ),
        MenuItem::new(
            Place::Agenda,
            link(OfficeRoute::Agenda(AgendaQuery::default())),
            current(|r| matches!(r, OfficeRoute::Agenda(_))),
        ),
        MenuItem::new(
            Place::Changes,
            link(OfficeRoute::Changes(AgendaQuery::default())),
            current(|r| matches!(r, OfficeRoute::Changes(_))),
        ),
        MenuItem::new(
            Place::People,
            link(OfficeRoute::People(None)),
            current(|r| {
                matches!(
                    r,
                    OfficeRoute::People(_) | OfficeRoute::Person(_) | OfficeRoute::PrintAccounts(_)
                )
            }),
        ),
        MenuItem::new(
            Place::Print,
            link(OfficeRoute::PrintDistricts(Query::default())),
            current(|r| matches!(r, OfficeRoute::PrintDistricts(_))),
        ),
        MenuItem::new(
            Place::Ranking,
            OfficeRoute::PrintCity(Query::default(), RankingDates::default()).to_hash(),
            current(|r| matches!(r, OfficeRoute::PrintCity(..))),
        ),
        MenuItem::new(
            Place::New,
            OfficeRoute::New.to_hash(),
            current(|r| matches!(r, OfficeRoute::New)),
        ),
        MenuItem::new(
            Place::Exchange,
            OfficeRoute::Exchange(Query::default()).to_hash(),
            current(|r| matches!(r, OfficeRoute::Exchange(_))),
        ),
        MenuItem::new(
            Place::Sync,
            OfficeRoute::Sync.to_hash(),
            current(|r| matches!(r, OfficeRoute::Sync)),
        ),
    ];
    view! {
        <header class="top has-status no-print">
            <a class="brand" href=list>
                {t::APP_NAME}
                <small>{t::OFFICE_SUBTITLE}</small>
            </a>
            <Menu label=t::NAV_OFFICE items=menu/>
            <crate::ui::sync::SyncStatusLine href=OfficeRoute::Sync.to_hash()/>
        </header>
        <ScopeBar route=route scope=scope/>
        <div class="no-print">
            <storage_status::StorageStatus/>
            <storage_status::UpdateBanner/>
        </div>
        <main id="main">
            {move || if !screens.get() { view! { <storage_status::Opening/> }.into_any() } else { match route.get() {
                OfficeRoute::Home => view! { <dashboard::Dashboard/> }.into_any(),
                OfficeRoute::People(district) => view! { <people::RosterPage district=district/> }.into_any(),
                OfficeRoute::Person(id) => view! { <people::PersonPage id=id/> }.into_any(),
                OfficeRoute::PrintDistricts(query) => view! { <print::DistrictSummaries query=query/> }.into_any(),
                OfficeRoute::PrintCity(query, dates) => view! { <print::CitySummary query=query dates=dates/> }.into_any(),
                OfficeRoute::PrintPerson(id) => view! { <print::StewardSheet id=id/> }.into_any(),
                OfficeRoute::PrintAccounts(cards) => view! { <accounts::AccountCardsPage cards=cards/> }.into_any(),
                OfficeRoute::Exchange(query) => view! { <exchange::ExchangePage query=query/> }.into_any(),
                OfficeRoute::New => view! { <new_project::NewProject/> }.into_any(),
                OfficeRoute::Blockers(filter) => view! { <blockers::BlockerList filter=filter/> }.into_any(),
                OfficeRoute::Blocker(id) => view! { <supervision::BlockerPage id=id/> }.into_any(),
                OfficeRoute::Agenda(query) => view! { <agenda::Agenda query=query/> }.into_any(),
                OfficeRoute::Changes(query) => view! { <changes::Changes query=query/> }.into_any(),
                OfficeRoute::Rules => view! { <rules::Rules/> }.into_any(),
                OfficeRoute::Sync => view! { <crate::ui::sync::SyncPage/> }.into_any(),
            }}}
        </main>
        <div class="no-print">
            <storage_status::DeviceStorage/>
        </div>
    }
}
