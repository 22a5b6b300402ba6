//! The field app: list, project page. The office screens (roster, print) are
//! a second wasm under `office/`, so a phone's first load stays small.

use super::routes::{Navigation, OfficeRoute, Route};
use super::store::{start_store, Status};
use super::{project_list, project_page, storage_status, Menu, MenuItem, Place};
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

/// Where a list was when a project was opened from it: the first row on
/// screen and how far below the window's top it stood. Not the scroll offset:
/// rows the browser has not laid out yet (`content-visibility` in main.css)
/// stand at an estimated height, so the same offset would show other rows.
#[derive(Clone, PartialEq)]
struct ListPlace {
    key: String,
    row: String,
    top: f64,
}

/// The list's row links on the page, in order.
fn row_links() -> Vec<web_sys::Element> {
    let Ok(links) = document().query_selector_all(".results a.row[data-project]") else {
        return Vec::new();
    };
    (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
        .collect()
}

/// The first row at least partly on screen: its project and its top.
fn first_row_on_screen() -> Option<(String, f64)> {
    row_links().into_iter().find_map(|link| {
        let rect = link.get_bounding_client_rect();
        (rect.bottom() > 0.0)
            .then(|| {
                link.get_attribute("data-project")
                    .map(|id| (id, rect.top()))
            })
            .flatten()
    })
}

/// Puts `row` back `top` pixels below the window's top once the list has
/// drawn it, correcting as rows around it are laid out, for up to `frames`
/// frames (the list draws its rows after the route).
fn scroll_back_to(row: String, top: f64, frames: u32) {
    request_animation_frame(move || {
        let link = row_links()
            .into_iter()
            .find(|link| link.get_attribute("data-project").as_deref() == Some(row.as_str()));
        let settled = link.is_some_and(|link| {
            let off = link.get_bounding_client_rect().top() - top;
            window().scroll_by_with_x_and_y(0.0, off);
            off.abs() < 1.0
        });
        if !settled && frames > 0 {
            scroll_back_to(row, top, frames - 1);
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
    if crate::settings::sync_server().is_none() {
        super::sync::offer_hand_over(store);
    }
    // 我是 chosen on this device: the field app opens on that person's projects.
    let mine_of = |me: &str| {
        [
            "#/?",
            Facet::Steward.param(),
            "=",
            &crate::domain::codec::percent_encode(me),
        ]
        .concat()
    };
    if let (Some(mine), true) = (
        crate::settings::me().map(|me| mine_of(&me)),
        window().location().hash().unwrap_or_default().len() < 2,
    ) {
        let _ = window().location().replace(&mine);
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
    let list_places = StoredValue::new(Vec::<ListPlace>::new());
    let _ = window_event_listener(ev::hashchange, move |_| {
        // The browser's history moved: what the list had not yet written is stale.
        unwritten.update_value(Vec::clear);
        let next = current_route();
        let previous = route.get_untracked();
        match (&previous, &next) {
            (Route::List(_), Route::List(_)) => {}
            (Route::List(left), _) => {
                let key = Route::List(left.clone()).to_hash();
                let place = first_row_on_screen().map(|(row, top)| ListPlace {
                    key: key.clone(),
                    row,
                    top,
                });
                list_places.update_value(|places| {
                    places.retain(|p| p.key != key);
                    places.extend(place);
                });
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
            (_, Route::List(back)) => {
                let key = Route::List(back.clone()).to_hash();
                let place =
                    list_places.with_value(|places| places.iter().find(|p| p.key == key).cloned());
                window().scroll_to_with_x_and_y(0.0, 0.0);
                if let Some(place) = place {
                    scroll_back_to(place.row, place.top, 30);
                }
            }
            _ => window().scroll_to_with_x_and_y(0.0, 0.0),
        }
        route.set(next);
    });
    // 我是: chosen here, else the roster's person signed in to sync (known
    // once the roster has arrived).
    let me = Memo::new(move |_| {
        store
            .ledger()
            .with(|l| super::sync::me_or_signed_in(crate::settings::me(), l))
    });
    let mine = move || me.get().map(|me| mine_of(&me));
    let on_mine = Memo::new(move |_| {
        screen.get() == Screen::List
            && me.with(|me| {
                me.as_deref()
                    .is_some_and(|me| query.with(|q| q.is_projects_of(me)))
            })
    });
    // The list as last filtered; from 我的项目, the whole list.
    let list_href = move || {
        let q = query.get();
        match me.get() {
            Some(me) if q.is_projects_of(&me) => Route::List(Query {
                sort: q.sort,
                descending: q.descending,
                ..Query::default()
            }),
            _ => Route::List(q),
        }
        .to_hash()
    };
    // A district device's office pages open on its district (one click to
    // 全市 there): 包保 and the district summaries of the list as filtered.
    let district = Memo::new(move |_| store.ledger().with(super::sync::device_district));
    let print_href = move || {
        let mut q = query.get();
        if let Some(d) = district.get() {
            if !q.selected.contains_key(&Facet::District) {
                q = q.toggled(Facet::District, d.key());
            }
        }
        OfficeRoute::field_link(&super::with_query(OfficeRoute::PRINT_DISTRICTS, &q))
    };
    // An office page of the device's district (`?d=`), from this app.
    let office_page = move |hash: &'static str| {
        Signal::derive(move || {
            let scoped = match district.get() {
                Some(d) => [hash, "?d=", d.key()].concat(),
                None => hash.to_owned(),
            };
            OfficeRoute::field_link(&scoped)
        })
    };
    let menu = vec![
        MenuItem::new(
            Place::Mine,
            Signal::derive(move || mine().unwrap_or_default()),
            on_mine,
        )
        .shown_when(Signal::derive(move || me.with(Option::is_some))),
        MenuItem::new(
            Place::List,
            Signal::derive(list_href),
            Signal::derive(move || screen.get() == Screen::List && !on_mine.get()),
        ),
        MenuItem::away(Place::Dashboard, OfficeRoute::field_link(OfficeRoute::HOME)),
        MenuItem::away(Place::Blockers, office_page(OfficeRoute::BLOCKERS)),
        MenuItem::away(Place::Agenda, office_page(OfficeRoute::AGENDA)),
        MenuItem::away(Place::Changes, office_page(OfficeRoute::CHANGES)),
        MenuItem::away(Place::People, office_page(OfficeRoute::PEOPLE)),
        MenuItem::away(Place::Print, Signal::derive(print_href)),
        MenuItem::away(
            Place::Ranking,
            OfficeRoute::field_link(OfficeRoute::RANKING),
        ),
        MenuItem::away(Place::New, OfficeRoute::field_link(OfficeRoute::NEW)),
        MenuItem::away(
            Place::Exchange,
            OfficeRoute::field_link(OfficeRoute::EXCHANGE),
        ),
        MenuItem::new(
            Place::Sync,
            Route::Sync.to_hash(),
            Signal::derive(move || screen.get() == Screen::Sync),
        ),
    ];

    view! {
        <header class="top has-status">
            <a class="brand" href=Route::List(Query::default()).to_hash()>
                {t::APP_NAME}
                <small>{t::APP_SUBTITLE}</small>
            </a>
            <Menu label=t::NAV_LIST items=menu/>
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
