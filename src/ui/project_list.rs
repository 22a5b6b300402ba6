//! The list: search, facets, sort, pages, selection. Its whole state is the
//! URL's query (see `Navigation`), so a copied link opens the same view and
//! Back/Forward step through filter changes.

use super::collation::{collation_ranks, pinyin_initials};
use super::filter_panel::FilterPanel;
use super::rows_dom::{RowGroup, RowText, RowsDom};
use super::saved_views::SavedViews;
use super::{after_paint, local_midnight_ms, today, Navigation, OfficeRoute, Store};
use crate::domain::filter::{self, FacetIndex, Query, SortKey};
use crate::domain::light::{light, roles, LightRules};
use crate::domain::{Change, Origin, Project};
use crate::text as t;
use leptos::prelude::*;
use std::cmp::Ordering;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// Rows per page: the DOM never holds more than this many project rows.
pub const PAGE_SIZE: usize = 25;

#[component]
pub fn ProjectList() -> impl IntoView {
    let store = expect_context::<Store>();
    let navigation = expect_context::<Navigation>();
    let query = navigation.query;
    // Both rebuilt only when the ledger changes, not per keystroke; both lazy.
    let index = Memo::new(move |_| {
        store.ledger().with(|l| {
            FacetIndex::new(
                &l.projects().collect::<Vec<_>>(),
                &|id| l.person(id),
                today(),
                l.version(),
            )
            .with_name_initials(pinyin_initials(
                &l.projects().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ))
        })
    });
    let name_ranks = Memo::new(move |_| {
        store
            .ledger()
            .with(|l| collation_ranks(&l.projects().map(|p| p.name.as_str()).collect::<Vec<_>>()))
    });
    // Per keystroke only the matches are computed before the frame; the facet
    // counts follow right after it is painted (`deferred_counts`). Typing
    // narrows the last answer, and Backspace finds its answer kept.
    let recent = StoredValue::new(filter::RecentMatches::default());
    let results = Memo::new(move |_| {
        let q = query.get();
        let since = q.changed_since.map(local_midnight_ms);
        store.ledger().with(|l| {
            let projects: Vec<&Project> = l.projects().collect();
            index.with(|index| {
                let find = |name_order: &dyn Fn(usize, usize) -> Ordering| {
                    recent
                        .try_update_value(|r| r.matching(&projects, index, &q, since, name_order))
                        .unwrap_or_default()
                };
                // Names are ranked (all 10,000 through Intl.Collator) only once sorted by.
                if q.sort == SortKey::Name {
                    name_ranks.with(|ranks| find(&|a, b| ranks[a].cmp(&ranks[b])))
                } else {
                    find(&|_, _| Ordering::Equal)
                }
            })
        })
    });
    let counts = deferred_counts(index, query);
    let total = Memo::new(move |_| store.ledger().with(|l| l.projects().count()));
    let matching = Memo::new(move |_| results.with(Vec::len));
    let pages = Memo::new(move |_| matching.get().div_ceil(PAGE_SIZE).max(1));

    let results_start = NodeRef::<leptos::html::Div>::new();
    // 我的项目: the person's own projects come first; finding and the tools
    // for many projects are folded away until asked for.
    let me = crate::settings::me();
    let mine = Memo::new(move |_| {
        me.as_deref()
            .is_some_and(|me| query.with(|q| q.is_projects_of(me)))
    });
    let tools = move || {
        view! {
            <ExportCsv/>
            <p class="count" data-testid="project-count">{move || store.ledger().with(|l| project_origin_counts(l.projects()))}</p>
            <SelectionBar results=results/>
        }
    };
    view! {
        <h1 class="page-title">{move || if mine.get() { t::NAV_MINE } else { t::NAV_LIST }}</h1>
        // A newcomer's word, not on a steward's own projects (their home screen).
        {move || (!mine.get()).then(|| view! { <super::welcome::Welcome/> })}
        <button type="button" class="skip" on:click=move |_| {
            if let Some(target) = results_start.get_untracked() {
                let _ = target.focus();
            }
        }>{t::SKIP_TO_RESULTS}</button>
        <div class="finder">
            <aside class="finder-side">
                <details class="finder-tools" class:folded=mine prop:open=move || !mine.get()>
                    <summary>{t::FIND_AND_FILTER}</summary>
                    <SearchAndSort/>
                    <FilterPanel counts=counts/>
                    <SavedViews/>
                </details>
            </aside>
            <div class="finder-main" tabindex="-1" node_ref=results_start>
                <p class="count" data-testid="result-count" aria-live="polite">
                    {move || t::result_count(matching.get(), total.get())}
                    <Show when=move || query.with(Query::is_filtered)>
                        " "
                        <button type="button" class="link" on:click=move |_| {
                            let q = query.get_untracked();
                            navigation.show_list(Query { sort: q.sort, descending: q.descending, ..Query::default() }, false);
                        }>{t::CLEAR_ALL}</button>
                    </Show>
                </p>
                {move || (!mine.get()).then(tools)}
                {move || results.with(Vec::is_empty).then(|| view! { <p class="card">{t::NO_MATCH}</p> })}
                <ResultRows results=results/>
                <Pager pages=pages/>
                {move || mine.get().then(tools)}
            </div>
        </div>
    }
}

fn project_origin_counts<'a>(projects: impl Iterator<Item = &'a Project>) -> String {
    let (mut listed, mut in_text, mut added) = (0, 0, 0);
    for p in projects {
        match (p.origin, p.district) {
            (Origin::UserAdded, _) => added += 1,
            (Origin::Registry, Some(_)) => listed += 1,
            (Origin::Registry, None) => in_text += 1,
        }
    }
    t::project_count(listed + in_text + added, listed, in_text, added)
}

#[component]
fn SearchAndSort() -> impl IntoView {
    let navigation = expect_context::<Navigation>();
    let store = expect_context::<Store>();
    let query = navigation.query;
    // The first keystroke of a search adds a Back step; the rest replace it.
    let typing = StoredValue::new(false);
    // Write the box only when the URL's text differs (Back, a link, clear all):
    // re-setting a focused input's value on every keystroke forces a layout.
    let search_box = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let text = query.with(|q| q.text.clone());
        if let Some(input) = search_box.get() {
            if input.value() != text {
                input.set_value(&text);
            }
        }
    });
    let update = move |change: &dyn Fn(&mut Query), replace: bool| {
        let mut q = query.get_untracked();
        change(&mut q);
        q.page = 0;
        navigation.show_list(q, replace);
    };
    view! {
        <div class="search">
            <input
                type="search"
                aria-label=t::SEARCH_LABEL
                placeholder=t::SEARCH_PLACEHOLDER
                enterkeyhint="search"
                node_ref=search_box
                on:input=move |ev| {
                    store.searching();
                    let text = event_target_value(&ev);
                    let replace = typing.get_value();
                    typing.set_value(true);
                    update(&|q| q.text = text.clone(), replace);
                }
                on:blur=move |_| typing.set_value(false)
            />
        </div>
        <div class="sort">
            <label for="sort">{t::SORT_LABEL}</label>
            <select id="sort" on:change=move |ev| {
                let key = event_target_value(&ev);
                let sort = SortKey::ALL.into_iter().find(|k| k.param() == key).unwrap_or_default();
                update(&|q| q.sort = sort, false);
            }>
                {SortKey::ALL
                    .into_iter()
                    .map(|key| {
                        view! { <option value=key.param() prop:selected=move || query.with(|q| q.sort == key)>{t::sort_label(key)}</option> }
                    })
                    .collect_view()}
            </select>
            <button
                type="button"
                aria-pressed=move || if query.with(|q| q.descending) { "true" } else { "false" }
                on:click=move |_| update(&|q| q.descending = !q.descending, false)
            >{t::SORT_DESCENDING}</button>
        </div>
    }
}

/// Export lives in the office app (its CSV code stays out of the phone's
/// download); the link carries the list's query.
#[component]
fn ExportCsv() -> impl IntoView {
    let navigation = expect_context::<Navigation>();
    let href = move || {
        OfficeRoute::field_link(&super::with_query(
            OfficeRoute::EXCHANGE,
            &navigation.query.get(),
        ))
    };
    view! { <a class="export button" href=href>{t::EXPORT_LIST}</a> }
}

/// Facet counts for the query, computed after the frame that shows the rows:
/// typing and clicking paint the list first. A newer query drops an older
/// pending computation.
fn deferred_counts(index: Memo<FacetIndex>, query: Memo<Query>) -> RwSignal<filter::Counts> {
    let store = expect_context::<Store>();
    let compute = move |q: &Query| {
        let since = q.changed_since.map(local_midnight_ms);
        store.ledger().with_untracked(|l| {
            let projects: Vec<&Project> = l.projects().collect();
            index.with_untracked(|index| filter::counts(&projects, index, q, since))
        })
    };
    let counts = RwSignal::new(query.with_untracked(|q| compute(q)));
    let generation = StoredValue::new(0u64);
    Effect::new(move |first: Option<()>| {
        let q = query.get();
        index.track();
        if first.is_none() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        after_paint(move || {
            // The list may be gone by the next frame (a project opened, a
            // sync's page of edits folded meanwhile): its values with it.
            if generation.try_get_value() == Some(mine) {
                counts.set(compute(&q));
            }
        });
    });
    counts
}

#[component]
fn SelectionBar(results: Memo<Vec<usize>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let count = move || store.selected.with(|s| s.len());
    let select_all = move |_| {
        // A list, inserted one by one: collecting a set would bring in a sort of its own.
        let ids: Vec<String> = store.ledger().with_untracked(|l| {
            let projects: Vec<&Project> = l.projects().collect();
            results.with_untracked(|r| r.iter().map(|&i| projects[i].id.clone()).collect())
        });
        store.selected.update(|s| s.extend(ids));
    };
    view! {
        <div class="selection" data-testid="selection">
            <span>{move || t::selected_count(count())}</span>
            <button type="button" on:click=select_all>{move || t::select_all_matching(results.with(Vec::len))}</button>
            <Show when=move || { count() > 0 }>
                <button type="button" on:click=move |_| store.selected.set(Default::default())>{t::CLEAR_SELECTION}</button>
                <BulkAssign/>
            </Show>
        </div>
    }
}

/// Assigns or unassigns one person on every selected project, one edit each.
#[component]
fn BulkAssign() -> impl IntoView {
    let store = expect_context::<Store>();
    let person = RwSignal::new(String::new());
    let people = Memo::new(move |_| {
        store.ledger().with(|l| {
            l.people()
                .map(|p| (p.id.clone(), t::person_label(p)))
                .collect::<Vec<_>>()
        })
    });
    let error = RwSignal::new(None::<String>);
    // All selected projects or none: one refused assignment refuses the batch.
    let apply = move |ev: leptos::ev::MouseEvent, make: fn(String) -> Change| {
        let who = person.get_untracked();
        if who.is_empty() {
            return;
        }
        let Some(held) = super::browser::hold_target(&ev) else {
            return;
        };
        held.release();
        let changes = store
            .selected
            .get_untracked()
            .into_iter()
            .map(|project| (project, make(who.clone())))
            .collect();
        error.set(store.change_all(changes).err().map(t::input_error));
    };
    view! {
        <Show when=move || people.with(|p| !p.is_empty()) fallback=|| view! { <a href=OfficeRoute::field_link(OfficeRoute::PEOPLE)>{t::ROSTER_NEEDED}</a> }>
            <select aria-label=t::CHOOSE_PERSON on:change=move |ev| person.set(event_target_value(&ev))>
                <option value="">{t::CHOOSE_PERSON}</option>
                {move || people.get().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
            </select>
            <button type="button" on:click=move |ev| apply(ev, Change::Assign)>{t::ASSIGN_SELECTED}</button>
            <button type="button" on:click=move |ev| apply(ev, Change::Unassign)>{t::UNASSIGN_SELECTED}</button>
            <span class="error" role="alert">{super::live(move || error.get())}</span>
        </Show>
    }
}

#[component]
fn ResultRows(results: Memo<Vec<usize>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let navigation = expect_context::<Navigation>();
    let toggle = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(id) = input.get_attribute("data-id") else {
            return;
        };
        let on = input.checked();
        store.selected.update(|s| {
            if on {
                s.insert(id);
            } else {
                s.remove(&id);
            }
        });
    };
    // The rows are written straight into the DOM (`RowsDom`), not through a
    // view: they are most of a keystroke's work, and a view would rewrite every
    // attribute of every row where this writes only what differs (nothing, when
    // a keystroke leaves the page as it was).
    let results_box = NodeRef::<leptos::html::Div>::new();
    let drawn = StoredValue::new_local(RowsDom::default());
    Effect::new(move |_| {
        let Some(results_box) = results_box.get() else {
            return;
        };
        let (page, sort) = navigation.query.with(|q| (q.page, q.sort));
        let grouped = sort == SortKey::District;
        let groups = results.with(|r| {
            store.selected.with(|selected| {
                store.ledger().with(|l| {
                    let projects: Vec<&Project> = l.projects().collect();
                    let (role, day, rules) = (roles(l), today(), LightRules::default());
                    let start = page.min(r.len().saturating_sub(1) / PAGE_SIZE) * PAGE_SIZE;
                    let mut groups: Vec<RowGroup> = Vec::new();
                    let mut district = None;
                    for &i in r.iter().skip(start).take(PAGE_SIZE) {
                        let p = projects[i];
                        // Sorted by district: a heading, with the district's matches, wherever it changes.
                        if groups.is_empty() || grouped && district != Some(p.district) {
                            district = Some(p.district);
                            let heading = grouped.then(|| {
                                let n = r
                                    .iter()
                                    .filter(|&&j| projects[j].district == p.district)
                                    .count();
                                (t::district_name(p.district).to_owned(), n)
                            });
                            groups.push((heading, Vec::new()));
                        }
                        let stage = p.stage.map(|s| s.name());
                        if let Some((_, rows)) = groups.last_mut() {
                            rows.push(RowText {
                                id: p.id.clone(),
                                name: p.name.clone(),
                                light: light(p, &role, day, &rules).0,
                                stage: stage.unwrap_or(t::STAGE_EMPTY),
                                staged: stage.is_some(),
                                facts: t::row_facts(p, !grouped, &l.steward_names(p), today()),
                                selected: selected.contains(&p.id),
                            });
                        }
                    }
                    groups
                })
            })
        });
        drawn.update_value(|drawn| drawn.draw(&results_box, groups));
    });
    view! { <div class="results" on:change=toggle node_ref=results_box></div> }
}

#[component]
fn Pager(pages: Memo<usize>) -> impl IntoView {
    let navigation = expect_context::<Navigation>();
    let page = move || navigation.query.with(|q| q.page).min(pages.get() - 1);
    let more_than_one_page = move || pages.get() > 1;
    let at_first = move || page() == 0;
    let at_last = move || page() + 1 >= pages.get();
    let go = move |delta: isize| {
        let mut q = navigation.query.get_untracked();
        q.page = page().saturating_add_signed(delta);
        navigation.show_list(q, false);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    };
    view! {
        <Show when=more_than_one_page>
            <nav class="pager" aria-label=t::page_of(page() + 1, pages.get())>
                <button type="button" disabled=at_first on:click=move |_| go(-1)>{t::PREVIOUS_PAGE}</button>
                <span>{move || t::page_of(page() + 1, pages.get())}</span>
                <button type="button" disabled=at_last on:click=move |_| go(1)>{t::NEXT_PAGE}</button>
            </nav>
        </Show>
    }
}
