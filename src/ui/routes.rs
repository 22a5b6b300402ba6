//! Hash routes of both apps, each with `parse` and `to_hash`, so every link is
//! built from a route and every route opens from a link (`#/p/hc-07`,
//! `office/#/people`) on any static host, with no rewrite rules.

use crate::domain::agenda::{AgendaQuery, BlockerFilter};
use crate::domain::codec::{percent_decode, percent_encode};
use crate::domain::filter::{Facet, Query};
use crate::domain::District;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// `path`, with `?` and the query when it has any.
fn with_query_string(path: &str, query: String) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// `path`, with `?` and the list query when it has any.
pub fn with_query(path: &str, query: &Query) -> String {
    with_query_string(path, query.to_query_string())
}

/// `#/a/b?x=1` → (`/a/b`, `x=1`).
fn split(hash: &str) -> (&str, &str) {
    let path = hash.trim_start_matches('#');
    path.split_once('?').unwrap_or((path, ""))
}

/// The id after `prefix`, decoded, when there is one.
fn id_after(path: &str, prefix: &str) -> Option<String> {
    path.strip_prefix(prefix)
        .filter(|id| !id.is_empty())
        .map(percent_decode)
}

/// The field app's screens.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// The list, with its whole filter, search and sort state.
    List(Query),
    Project(String),
    /// 同步: the server, signing in and out.
    Sync,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let (path, query) = split(hash);
        if path == "/sync" {
            return Route::Sync;
        }
        match id_after(path, "/p/") {
            Some(id) => Route::Project(id),
            None => Route::List(Query::from_query_string(query)),
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::List(query) => with_query("#/", query),
            Route::Project(id) => format!("#/p/{}", percent_encode(id)),
            Route::Sync => "#/sync".into(),
        }
    }

    /// This route as the office app links to it.
    pub fn from_office(&self) -> String {
        format!("../{}", self.to_hash())
    }
}

/// Whose account cards to print.
#[derive(Clone, Debug, PartialEq)]
pub enum AccountCards {
    Person(String),
    Everyone(Option<District>),
}

impl AccountCards {
    fn from_query_string(query: &str) -> AccountCards {
        let person = crate::domain::codec::params(query)
            .into_iter()
            .find(|(k, v)| k == "p" && !v.is_empty());
        match person {
            Some((_, id)) => AccountCards::Person(id),
            None => AccountCards::Everyone(district_param(query)),
        }
    }

    fn to_query_string(&self) -> String {
        match self {
            AccountCards::Person(id) => ["p=", &percent_encode(id)].concat(),
            AccountCards::Everyone(Some(d)) => ["d=", d.key()].concat(),
            AccountCards::Everyone(None) => String::new(),
        }
    }
}

/// The office app's screens.
#[derive(Clone, Debug, PartialEq)]
pub enum OfficeRoute {
    Home,
    /// The roster and its coverage, of one district's people and projects or
    /// the whole city's (`#/people?d=Haicheng`).
    People(Option<District>),
    Person(String),
    /// District summaries of the projects a list query selects.
    PrintDistricts(Query),
    /// The city's targets and the district ranking, over the query's
    /// projects, as of a date and against an earlier one.
    PrintCity(Query, crate::ui::office::RankingDates),
    /// One steward's sheet for the field.
    PrintPerson(String),
    /// Account cards with the sign-in link: one person's (`?p=`), else
    /// everyone's with a login, of one district (`?d=`) or the city.
    PrintAccounts(AccountCards),
    /// CSV export and import, bundles and backups; export takes the list's query.
    Exchange(Query),
    /// Add a project the published list does not contain.
    New,
    Blockers(BlockerFilter),
    /// One blocker under supervision, by id: its 督办单.
    Blocker(String),
    Agenda(AgendaQuery),
    /// What changed since a date (`date`), by default the last meeting of `level`.
    Changes(AgendaQuery),
    Rules,
    Sync,
}

impl OfficeRoute {
    // The hashes of the screens the field app links to, written once: the
    // field app links through `field_link` with these, since `from_field`
    // would bring all of `to_hash` into the phone's download (1.9 KB).
    pub const HOME: &'static str = "#/";
    pub const PEOPLE: &'static str = "#/people";
    pub const NEW: &'static str = "#/new";
    pub const RULES: &'static str = "#/rules";
    pub const EXCHANGE: &'static str = "#/exchange";
    pub const PRINT_DISTRICTS: &'static str = "#/print/districts";
    pub const BLOCKERS: &'static str = "#/blockers";
    pub const AGENDA: &'static str = "#/agenda";
    pub const CHANGES: &'static str = "#/changes";
    pub const RANKING: &'static str = "#/print/city";

    /// One person's page.
    pub fn person_hash(id: &str) -> String {
        format!("#/people/{}", percent_encode(id))
    }

    /// An office screen's hash as the field app links to it.
    pub fn field_link(hash: &str) -> String {
        ["office/", hash].concat()
    }

    pub fn parse(hash: &str) -> OfficeRoute {
        let (path, query) = split(hash);
        if let Some(id) = id_after(path, "/people/") {
            return OfficeRoute::Person(id);
        }
        if let Some(id) = id_after(path, "/print/people/") {
            return OfficeRoute::PrintPerson(id);
        }
        if let Some(id) = id_after(path, "/blockers/") {
            return OfficeRoute::Blocker(id);
        }
        match path {
            "/people" => OfficeRoute::People(district_param(query)),
            "/new" => OfficeRoute::New,
            "/blockers" => OfficeRoute::Blockers(BlockerFilter::from_query_string(query)),
            "/agenda" => OfficeRoute::Agenda(AgendaQuery::from_query_string(query)),
            "/changes" => OfficeRoute::Changes(AgendaQuery::from_query_string(query)),
            "/rules" => OfficeRoute::Rules,
            "/sync" => OfficeRoute::Sync,
            "/print/districts" => OfficeRoute::PrintDistricts(Query::from_query_string(query)),
            "/print/accounts" => OfficeRoute::PrintAccounts(AccountCards::from_query_string(query)),
            "/print/city" => OfficeRoute::PrintCity(
                Query::from_query_string(query),
                crate::ui::office::RankingDates::from_query_string(query),
            ),
            "/exchange" => OfficeRoute::Exchange(Query::from_query_string(query)),
            _ => OfficeRoute::Home,
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            OfficeRoute::Home => OfficeRoute::HOME.into(),
            OfficeRoute::People(d) => with_query_string(
                OfficeRoute::PEOPLE,
                d.map_or_else(String::new, |d| ["d=", d.key()].concat()),
            ),
            OfficeRoute::Person(id) => OfficeRoute::person_hash(id),
            OfficeRoute::PrintDistricts(q) => with_query(OfficeRoute::PRINT_DISTRICTS, q),
            OfficeRoute::PrintCity(q, dates) => {
                let both: Vec<String> = [q.to_query_string(), dates.to_query_string()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                with_query_string("#/print/city", both.join("&"))
            }
            OfficeRoute::PrintPerson(id) => format!("#/print/people/{}", percent_encode(id)),
            OfficeRoute::PrintAccounts(cards) => {
                with_query_string("#/print/accounts", cards.to_query_string())
            }
            OfficeRoute::Exchange(q) => with_query(OfficeRoute::EXCHANGE, q),
            OfficeRoute::New => OfficeRoute::NEW.into(),
            OfficeRoute::Blockers(f) => with_query_string("#/blockers", f.to_query_string()),
            OfficeRoute::Blocker(id) => format!("#/blockers/{}", percent_encode(id)),
            OfficeRoute::Agenda(q) => with_query_string("#/agenda", q.to_query_string()),
            OfficeRoute::Changes(q) => with_query_string("#/changes", q.to_query_string()),
            OfficeRoute::Rules => OfficeRoute::RULES.into(),
            OfficeRoute::Sync => "#/sync".into(),
        }
    }

    /// The one district this screen shows, when it is narrowed to one.
    pub fn district(&self) -> Option<District> {
        match self {
            OfficeRoute::People(d) => *d,
            OfficeRoute::Agenda(q) | OfficeRoute::Changes(q) => q.district,
            OfficeRoute::Blockers(f) => f.district,
            OfficeRoute::PrintDistricts(q) => q.only_district(),
            _ => None,
        }
    }

    /// This screen narrowed to `district` (an office's own): what the office
    /// menu links to. Whole-city screens (ranking, exchange) stay whole.
    pub fn scoped(self, district: Option<District>) -> OfficeRoute {
        let Some(d) = district else { return self };
        match self {
            OfficeRoute::People(None) => OfficeRoute::People(Some(d)),
            OfficeRoute::Agenda(q) if q.district.is_none() => OfficeRoute::Agenda(AgendaQuery {
                district: Some(d),
                ..q
            }),
            OfficeRoute::Changes(q) if q.district.is_none() => OfficeRoute::Changes(AgendaQuery {
                district: Some(d),
                ..q
            }),
            OfficeRoute::Blockers(f) if f.district.is_none() => {
                OfficeRoute::Blockers(BlockerFilter {
                    district: Some(d),
                    ..f
                })
            }
            OfficeRoute::PrintDistricts(q) if !q.selected.contains_key(&Facet::District) => {
                OfficeRoute::PrintDistricts(q.toggled(Facet::District, d.key()))
            }
            other => other,
        }
    }

    /// The same screen for the whole city.
    pub fn whole_city(self) -> OfficeRoute {
        match self {
            OfficeRoute::People(_) => OfficeRoute::People(None),
            OfficeRoute::Agenda(q) => OfficeRoute::Agenda(AgendaQuery {
                district: None,
                ..q
            }),
            OfficeRoute::Changes(q) => OfficeRoute::Changes(AgendaQuery {
                district: None,
                ..q
            }),
            OfficeRoute::Blockers(f) => OfficeRoute::Blockers(BlockerFilter {
                district: None,
                ..f
            }),
            OfficeRoute::PrintDistricts(mut q) => {
                q.selected.remove(&Facet::District);
                OfficeRoute::PrintDistricts(q)
            }
            other => other,
        }
    }
}

/// `d=<district key>` of a query string.
fn district_param(query: &str) -> Option<District> {
    crate::domain::codec::params(query)
        .into_iter()
        .find(|(k, _)| k == "d")
        .and_then(|(_, v)| District::from_key(&v))
}

/// The field app's route and what follows from it, shared by context.
#[derive(Clone, Copy)]
pub struct Navigation {
    pub(crate) route: RwSignal<Route>,
    /// The list's query; kept while another screen shows, so "back to list" returns to the same view.
    pub query: Memo<Query>,
    /// History writes not yet made: (hash, replace), oldest first.
    pub(crate) unwritten: StoredValue<Vec<(String, bool)>>,
}

impl Navigation {
    /// Shows the list with this query. `replace` (used while typing) changes the
    /// URL without adding a Back step; every other change adds one.
    ///
    /// The URL follows after the frame that shows the list: a history write
    /// costs about a millisecond, a fifth of a keystroke's work. Writes keep
    /// their order; a replace folds into the write before it.
    pub fn show_list(&self, query: Query, replace: bool) {
        let route = Route::List(query);
        let hash = route.to_hash();
        self.route.set(route);
        let unwritten = self.unwritten;
        let first = unwritten.with_value(Vec::is_empty);
        unwritten.update_value(|w| match w.last_mut() {
            Some(last) if replace => last.0 = hash,
            _ => w.push((hash, replace)),
        });
        if first {
            super::browser::after_paint(move || {
                // Back/Forward in between dropped them (see the hashchange listener).
                let Some(history) = window().history().ok() else {
                    return;
                };
                for (hash, replace) in unwritten
                    .try_update_value(std::mem::take)
                    .unwrap_or_default()
                {
                    let written = if replace {
                        history.replace_state_with_url(&JsValue::NULL, "", Some(&hash))
                    } else {
                        history.push_state_with_url(&JsValue::NULL, "", Some(&hash))
                    };
                    // A refused history write leaves the URL behind the screen; the screen is right.
                    written.ok();
                }
            });
        }
    }
}
