//! Leptos components, one file per screen or widget. They read the folded
//! ledger from `Store` and change it only through `Store::change`.

pub(crate) mod collation;
mod field_work;
mod fields;
mod filter_panel;
pub mod office;
mod project_list;
mod project_page;
mod saved_views;
mod stewards;
mod storage_status;

use crate::domain::filter::Query;
use crate::domain::stored::Problem;
use crate::domain::validate::{check_change, check_subjectless, InputError};
use crate::domain::{registry, Change, Date, Edit, Ledger};
use crate::storage;
use crate::text as t;
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// The app's state, shared by context. Copy, because it holds only handles.
#[derive(Clone, Copy)]
pub struct Store {
    pub ledger: RwSignal<Ledger>,
    /// The latest failed write; cleared by the next write that succeeds.
    pub write_problem: RwSignal<Option<Problem>>,
    /// Projects picked in the list for a bulk action.
    pub selected: RwSignal<std::collections::BTreeSet<String>>,
    device: StoredValue<String>,
}

impl Store {
    /// Validates a change against the project as it is now, then appends it to
    /// the log and stores it. A refused change changes nothing.
    pub fn change(&self, project: &str, change: Change) -> Result<(), InputError> {
        check_subjectless(&change)?;
        if let Some(Err(e)) = self
            .ledger
            .with_untracked(|l| l.project(project).map(|p| check_change(p, &change)))
        {
            return Err(e);
        }
        let at = self
            .ledger
            .with_untracked(|l| l.stamp(js_sys::Date::now() as i64));
        let edit = Edit {
            id: storage::next_edit_id(),
            device: self.device.get_value(),
            project: project.to_owned(),
            at,
            change,
        };
        let saved = storage::save(&edit);
        self.ledger.update(|l| {
            l.add(edit);
        });
        self.report(saved);
        Ok(())
    }

    /// Several changes as one action: every one is checked first against the
    /// ledger as the earlier ones leave it, and only then are all stored. One
    /// refused change refuses them all.
    pub fn change_all(&self, changes: Vec<(String, Change)>) -> Result<usize, InputError> {
        let mut scratch_edits = Vec::with_capacity(changes.len());
        let mut now = js_sys::Date::now() as i64;
        let device = self.device.get_value();
        for (subject, change) in changes {
            check_subjectless(&change)?;
            now = self.ledger.with_untracked(|l| l.stamp(now)).max(now + 1);
            scratch_edits.push(Edit {
                id: storage::next_edit_id(),
                device: device.clone(),
                project: subject,
                at: now,
                change,
            });
        }
        // Check against a copy folded with the earlier changes of the batch.
        let mut scratch = self.ledger.with_untracked(|l| {
            Ledger::new(registry::shipped(), l.history_all().cloned().collect())
        });
        for edit in &scratch_edits {
            if let Some(Err(e)) = scratch
                .project(&edit.project)
                .map(|p| check_change(p, &edit.change))
            {
                return Err(e);
            }
            scratch.add(edit.clone());
        }
        let count = scratch_edits.len();
        let saved = storage::save_all(scratch_edits.clone());
        self.ledger.update(|l| {
            l.add_all(scratch_edits);
        });
        self.report(saved);
        Ok(count)
    }

    /// Edits from another device (a bundle): kept with their own ids, so
    /// importing the same bundle again adds nothing.
    pub fn import_edits(&self, edits: Vec<Edit>) -> usize {
        let fresh: Vec<Edit> = self.ledger.with_untracked(|l| {
            edits
                .into_iter()
                .filter(|e| !l.contains_edit(&e.id))
                .collect()
        });
        if fresh.is_empty() {
            return 0;
        }
        let saved = storage::save_all(fresh.clone());
        let mut added = 0;
        self.ledger.update(|l| added = l.add_all(fresh));
        self.report(saved);
        added
    }

    pub fn device(&self) -> String {
        self.device.get_value()
    }

    /// A fresh id for a user-added project.
    pub fn new_project_id(&self) -> String {
        format!("u-{}", storage::next_edit_id().replace(':', "-"))
    }

    pub(crate) fn report(&self, result: Result<(), Problem>) {
        match result {
            Ok(()) => {
                if self.write_problem.with_untracked(Option::is_some) {
                    self.write_problem.set(None);
                }
            }
            // Shown once from start-up already.
            Err(Problem::Unavailable | Problem::Newer) => {}
            Err(problem) => self.write_problem.set(Some(problem)),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Route {
    /// The list, with its whole filter, search and sort state.
    List(Query),
    Project(String),
}

/// Which screen is showing; changes far less often than the route.
#[derive(Clone, Debug, PartialEq)]
enum Screen {
    List,
    Project(String),
}

impl Route {
    /// Hash routes work on any static host, with no rewrite rules.
    fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        match path.strip_prefix("/p/") {
            Some(id) if !id.is_empty() => Route::Project(id.to_owned()),
            _ => Route::List(Query::from_query_string(query)),
        }
    }
}

fn current_route() -> Route {
    Route::from_hash(&window().location().hash().unwrap_or_default())
}

pub fn navigate(hash: &str) {
    let _ = window().location().set_hash(hash);
}

/// `path`, with `?` and the query when it has any.
pub fn with_query(path: &str, query: &Query) -> String {
    let query = query.to_query_string();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

pub fn list_hash(query: &Query) -> String {
    with_query("#/", query)
}

/// The route and what follows from it, shared by context.
#[derive(Clone, Copy)]
pub struct Navigation {
    route: RwSignal<Route>,
    /// The list's query; kept while another screen shows, so "back to list" returns to the same view.
    pub query: Memo<Query>,
    /// History writes not yet made: (hash, replace), oldest first.
    unwritten: StoredValue<Vec<(String, bool)>>,
}

impl Navigation {
    /// Shows the list with this query. `replace` (used while typing) changes the
    /// URL without adding a Back step; every other change adds one.
    ///
    /// The URL follows after the frame that shows the list: a history write
    /// costs about a millisecond, a fifth of a keystroke's work. Writes keep
    /// their order; a replace folds into the write before it.
    pub fn show_list(&self, query: Query, replace: bool) {
        let hash = list_hash(&query);
        self.route.set(Route::List(query));
        let unwritten = self.unwritten;
        let first = unwritten.with_value(Vec::is_empty);
        unwritten.update_value(|w| match w.last_mut() {
            Some(last) if replace => last.0 = hash,
            _ => w.push((hash, replace)),
        });
        if first {
            after_paint(move || {
                // Back/Forward in between dropped them (see the hashchange listener).
                for (hash, replace) in unwritten
                    .try_update_value(std::mem::take)
                    .unwrap_or_default()
                {
                    let _ = window().history().and_then(|h| {
                        if replace {
                            h.replace_state_with_url(&JsValue::NULL, "", Some(&hash))
                        } else {
                            h.push_state_with_url(&JsValue::NULL, "", Some(&hash))
                        }
                    });
                }
            });
        }
    }
}

/// Runs `f` once the next frame has been painted, behind whatever else that
/// frame queued: work the user does not see waits until the screen is drawn.
pub(crate) fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || {
        set_timeout(move || set_timeout(f, Duration::ZERO), Duration::ZERO)
    });
}

/// "2024-03-01 09:30" in the device's time zone.
pub(crate) fn format_time(ms: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A project's traffic light: colour and shape, named for screen readers.
pub(crate) fn light_dot(light: crate::domain::light::Light) -> impl IntoView {
    view! { <span class=format!("light {}", light.key()) role="img" aria-label=light.name() data-light=light.key()></span> }
}

/// Today in the device's time zone: what lights, ages and the campaign count from.
pub(crate) fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
    )
    .unwrap_or_else(|| Date::from_days_since_epoch((js_sys::Date::now() / 86_400_000.0) as i64))
}

/// The start of a day in the device's time zone (the list's "changed since").
pub(crate) fn local_midnight_ms(date: Date) -> i64 {
    js_sys::Date::new_with_year_month_day(
        date.year() as u32,
        i32::from(date.month()) - 1,
        i32::from(date.day()),
    )
    .get_time() as i64
}

/// Blurring the focused field fires its `change` event, so a value typed but
/// not yet committed is stored before the page goes away.
pub(crate) fn commit_focused_field() {
    if let Some(element) = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        element.blur().ok();
    }
}

/// Opens storage, shares the `Store` by context and keeps it in step with
/// other tabs and the page's life cycle. Both apps (field and office) start here.
pub(crate) fn start_store() -> Vec<Problem> {
    let loaded = storage::open();
    let store = Store {
        ledger: RwSignal::new(Ledger::new(registry::shipped(), loaded.edits)),
        write_problem: RwSignal::new(None),
        selected: RwSignal::new(Default::default()),
        device: StoredValue::new(loaded.device),
    };
    provide_context(store);
    // Another tab stored edits: fold them in here too. Each tab writes only its
    // own segments, so nothing is overwritten; the fold orders every edit.
    let _ = window_event_listener(ev::storage, move |event| {
        let Some(key) = event.key() else { return };
        let edits = storage::edits_from_other_tab(&key, event.new_value());
        if !edits.is_empty() {
            store.ledger.update(|l| {
                l.add_all(edits);
            });
        }
    });
    let _ = window_event_listener(ev::visibilitychange, move |_| {
        if document().hidden() {
            commit_focused_field();
            store.report(storage::flush());
        }
    });
    let _ = window_event_listener(ev::pagehide, move |_| {
        commit_focused_field();
        store.report(storage::flush());
    });
    let _ = set_interval_with_handle(
        move || {
            if storage::has_queued() {
                store.report(storage::flush());
            }
        },
        Duration::from_secs(2),
    );
    loaded.problems
}

/// The field app: list, project page, new project. The office screens
/// (roster, print) are a second wasm under `office/`, so a phone's first load stays small.
#[component]
pub fn App() -> impl IntoView {
    let problems = start_store();
    let route = RwSignal::new(current_route());
    let screen = Memo::new(move |_| {
        route.with(|r| match r {
            Route::List(_) => Screen::List,
            Route::Project(id) => Screen::Project(id.clone()),
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
    let _ = window_event_listener(ev::hashchange, move |_| {
        // The browser's history moved: what the list had not yet written is stale.
        unwritten.update_value(Vec::clear);
        let next = current_route();
        if !matches!(
            (&next, &route.get_untracked()),
            (Route::List(_), Route::List(_))
        ) {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
        route.set(next);
    });

    view! {
        <header class="top">
            <a class="brand" href="#/">
                {t::APP_NAME}
                <small>{t::APP_SUBTITLE}</small>
            </a>
            <nav aria-label=t::NAV_LIST>
                <a href=move || list_hash(&query.get()) aria-current=move || (screen.get() == Screen::List).then_some("page")>{t::NAV_LIST}</a>
                <a href="office/#/">{t::NAV_DASHBOARD}</a>
                <a href="office/#/people">{t::NAV_PEOPLE}</a>
                <a href=move || query.with(|q| with_query("office/#/print/districts", q))>{t::NAV_PRINT}</a>
                <a href="office/#/new">{t::NAV_NEW}</a>
            </nav>
        </header>
        <storage_status::StorageStatus startup=problems/>
        <storage_status::UpdateBanner/>
        <main id="main">
            {move || match screen.get() {
                Screen::List => view! { <project_list::ProjectList/> }.into_any(),
                Screen::Project(id) => view! { <project_page::ProjectPage id=id/> }.into_any(),
            }}
        </main>
        <storage_status::DeviceStorage/>
    }
}
