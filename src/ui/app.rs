//! The field app: list, project page. The office screens (roster, print) are
//! a second wasm under `office/`, so a phone's first load stays small.

use super::routes::{Navigation, OfficeRoute, Route};
use super::store::{start_store, Status};
use super::{project_list, project_page, storage_status};
use crate::domain::filter::{Facet, Query};
use crate::text as t;
use leptos::ev;
use leptos::prelude::*;

/// Which screen is showing; changes far less often than the route.
#[derive(Clone, Debug, PartialEq)]
enum Screen {
    List,
    Project(String),
    Sync,
}

/// Scrolls to `y` once the page is drawn tall enough to hold it, trying
/// for up to `frames` frames (the list draws its rows after the route).
fn scroll_back_to(y: f64, frames: u32) {
    request_animation_frame(move || {
        let tall = document()
            .document_element()
            .map_or(0.0, |e| f64::from(e.scroll_height()));
        let room = tall
            - window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(0.0);
        window().scroll_to_with_x_and_y(0.0, y.min(room.max(0.0)));
        if room < y && frames > 0 {
            scroll_back_to(y, frames - 1);
        }
    });
}

fn current_route() -> Route {
    Route::parse(&window().location().hash().unwrap_or_default())
}

#[component]
pub fn App() -> impl IntoView {
    let store = start_store();
    super::sync::start_sync(store, "engine/sync-engine.js");
    // Handing edits over by hand is for a device with no sync server.
    if crate::storage::sync_server().is_none() {
        super::sync::offer_hand_over(store);
    }
    // 我是 chosen on this device: the field app opens on that person's projects.
    let mine = crate::storage::me().map(|me| {
        [
            "#/?",
            Facet::Steward.param(),
            "=",
            &crate::domain::codec::percent_encode(&me),
        ]
        .concat()
    });
    if let (Some(mine), true) = (
        &mine,
        window().location().hash().unwrap_or_default().len() < 2,
    ) {
        let _ = window().location().replace(mine);
    }
    let route = RwSignal::new(current_route());
    // Memos: a change of storage's status (a problem, storage answering
    // late) does not rebuild the screen and what is typed in it.
    let screens = Memo::new(move |_| store.status.with(Status::screens));
    let screen = Memo::new(move |_| {
        route.with(|r| match r {
            Route::List(_) => Screen::List,
            Route::Project(id) => Screen::Project(id.clone()),
            Route::Sync => Screen::Sync,
        })
    });
    let query = Memo::new(move |previous: Option<&Query>| {
        route.with(|r| match r {
            Route::List(q) => q.clone(),
            _ => previous.cloned().unwrap_or_default(),
        })
    });
    let unwritten = StoredValue::new(Vec::new());
    provide_context(Navigation {
        route,
        query,
        unwritten,
    });
    // Where each list was scrolled to when a project was opened from it: Back
    // puts the person where they were. The browser's own restoring would
    // race the list being drawn again, so the app does it.
    if let Ok(history) = window().history() {
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    let list_scroll = StoredValue::new(Vec::<(String, f64)>::new());
    let _ = window_event_listener(ev::hashchange, move |_| {
        // The browser's history moved: what the list had not yet written is stale.
        unwritten.update_value(Vec::clear);
        let next = current_route();
        let previous = route.get_untracked();
        match (&previous, &next) {
            (Route::List(_), Route::List(_)) => {}
            (Route::List(left), _) => {
                let key = Route::List(left.clone()).to_hash();
                let y = window().scroll_y().unwrap_or(0.0);
                list_scroll.update_value(|s| {
                    s.retain(|(k, _)| *k != key);
                    s.push((key, y));
                });
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
            (_, Route::List(back)) => {
                let key = Route::List(back.clone()).to_hash();
                let y =
                    list_scroll.with_value(|s| s.iter().find(|(k, _)| *k == key).map(|(_, y)| *y));
                window().scroll_to_with_x_and_y(0.0, 0.0);
                if let Some(y) = y {
                    scroll_back_to(y, 30);
                }
            }
            _ => window().scroll_to_with_x_and_y(0.0, 0.0),
        }
        route.set(next);
    });
    // The list as last filtered; from 我的项目, the whole list.
    let me = crate::storage::me();
    let me_now = me.clone();
    let on_mine = Memo::new(move |_| {
        screen.get() == Screen::List
            && me_now
                .as_deref()
                .is_some_and(|me| query.with(|q| q.is_projects_of(me)))
    });
    let list_href = move || {
        let q = query.get();
        match &me {
            Some(me) if q.is_projects_of(me) => Route::List(Query {
                sort: q.sort,
                descending: q.descending,
                ..Query::default()
            }),
            _ => Route::List(q),
        }
        .to_hash()
    };
    let print_href = move || {
        OfficeRoute::field_link(&super::with_query(
            OfficeRoute::PRINT_DISTRICTS,
            &query.get(),
        ))
    };

    view! {
        <header class="top has-status">
            <a class="brand" href=Route::List(Query::default()).to_hash()>
                {t::APP_NAME}
                <small>{t::APP_SUBTITLE}</small>
            </a>
            <nav aria-label=t::NAV_LIST>
                {mine.map(|href| view! { <a href=href data-testid="nav-mine" aria-current=move || on_mine.get().then_some("page")>{t::NAV_MINE}</a> })}
                <a href=list_href aria-current=move || (screen.get() == Screen::List && !on_mine.get()).then_some("page")>{t::NAV_LIST}</a>
                <a href=OfficeRoute::field_link(OfficeRoute::HOME)>{t::NAV_DASHBOARD}</a>
                <a href=OfficeRoute::field_link(OfficeRoute::PEOPLE)>{t::NAV_PEOPLE}</a>
                <a href=print_href>{t::NAV_PRINT}</a>
                <a href=OfficeRoute::field_link(OfficeRoute::NEW)>{t::NAV_NEW}</a>
                <a href=OfficeRoute::field_link(OfficeRoute::EXCHANGE)>{t::NAV_EXCHANGE}</a>
                <a href=Route::Sync.to_hash() aria-current=move || (screen.get() == Screen::Sync).then_some("page")>{t::NAV_SYNC}</a>
            </nav>
            <super::sync::SyncStatusLine href=Route::Sync.to_hash()/>

        </header>
        <storage_status::StorageStatus/>
        <storage_status::UpdateBanner/>
        <main id="main">
            {move || match (screens.get(), screen.get()) {
                (false, _) => view! { <storage_status::Opening/> }.into_any(),
                (true, Screen::List) => view! { <project_list::ProjectList/> }.into_any(),
                (true, Screen::Project(id)) => view! { <project_page::ProjectPage id=id/> }.into_any(),
                (true, Screen::Sync) => view! { <super::sync::SyncPage/> }.into_any(),
            }}
        </main>
        <storage_status::DeviceStorage/>
    }
}
