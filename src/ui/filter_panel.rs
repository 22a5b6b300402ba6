//! Facets: AND across facets, OR within one. Each value shows how many projects
//! it would match given the other active filters; values with none are greyed,
//! not hidden.

use super::{Navigation, Store};
use crate::domain::filter::{self, Facet, NONE_KEY, OPEN_KEY};
use crate::domain::light::Light;
use crate::domain::people::Role;
use crate::domain::quotas::Gap;
use crate::domain::{Cluster, District, Procedure, Stage};
use crate::text as t;
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn facet_values(
    facet: Facet,
    lists: &[String],
    roster: &[(String, String)],
) -> Vec<(String, String)> {
    let none = |label: &str| (NONE_KEY.to_owned(), label.to_owned());
    let named = |key: &str, name: &str| (key.to_owned(), name.to_owned());
    match facet {
        Facet::District => District::ALL
            .iter()
            .map(|d| named(d.key(), d.name()))
            .chain([none(t::DISTRICT_NOT_STATED)])
            .collect(),
        Facet::Stage => Stage::ALL
            .iter()
            .map(|s| named(s.key(), s.name()))
            .chain([none(t::NOT_FILLED)])
            .collect(),
        Facet::Cluster => Cluster::ALL
            .iter()
            .map(|c| named(c.key(), c.name()))
            .chain([none(t::NOT_FILLED)])
            .collect(),
        Facet::List => lists
            .iter()
            .map(|l| named(l, l))
            .chain([none(t::NOT_FILLED)])
            .collect(),
        Facet::Missing => Procedure::ALL
            .iter()
            .map(|p| named(p.key(), p.name()))
            .collect(),
        Facet::Origin => vec![
            named(
                filter::origin_key(crate::domain::Origin::Registry),
                t::ORIGIN_REGISTRY,
            ),
            named(
                filter::origin_key(crate::domain::Origin::UserAdded),
                t::ORIGIN_USER,
            ),
        ],
        Facet::Steward => roster
            .iter()
            .cloned()
            .chain([none(t::STEWARD_NONE)])
            .collect(),
        Facet::Role => Role::ALL
            .iter()
            .map(|r| named(r.key(), r.name()))
            .chain([none(t::STEWARD_NONE)])
            .collect(),
        Facet::Gap => Gap::ALL
            .iter()
            .map(|g| named(g.key(), t::gap_label(*g)))
            .collect(),
        Facet::Light => Light::ALL
            .iter()
            .map(|l| named(l.key(), l.name()))
            .collect(),
        Facet::Blockers => vec![
            named(OPEN_KEY, t::HAS_OPEN_BLOCKERS),
            none(t::NO_OPEN_BLOCKERS),
        ],
    }
}

#[component]
pub fn FilterPanel(counts: RwSignal<filter::Counts>) -> impl IntoView {
    let store = expect_context::<Store>();
    let navigation = expect_context::<Navigation>();
    let query = navigation.query;
    let chosen = Memo::new(move |_| query.with(|q| q.selected.clone()));
    // The article's lists, in the order they first appear.
    let lists = Memo::new(move |_| {
        store.ledger().with(|l| {
            let mut lists: Vec<String> = Vec::new();
            for p in l.projects().filter(|p| !p.list.is_empty()) {
                if !lists.contains(&p.list) {
                    lists.push(p.list.clone());
                }
            }
            lists
        })
    });
    let roster = Memo::new(move |_| {
        store.ledger().with(|l| {
            l.people()
                .map(|p| (p.id.clone(), t::person_label(p)))
                .collect::<Vec<_>>()
        })
    });
    let active = move || {
        query.with(|q| {
            q.selected.values().map(|v| v.len()).sum::<usize>()
                + usize::from(q.changed_since.is_some())
        })
    };
    // Open beside the list on a desk, folded away on a phone.
    let open = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w >= 1000.0);
    // Folded, its facets are drawn when first opened: on a phone they were
    // two fifths of the list screen's elements, built before the first row.
    let unfolded = RwSignal::new(open);
    let facets = move || {
        unfolded.get().then(|| {
            view! {
                {Facet::ALL
                    .into_iter()
                    .map(|facet| {
                        // Steward facets are absent, not empty, until the roster has people.
                        move || {
                            (!facet.needs_roster() || roster.with(|r| !r.is_empty())).then(|| {
                                view! {
                                    <fieldset class="facet">
                                        <legend>{t::facet_label(facet)}</legend>
                                        {move || {
                                            lists.with(|lists| {
                                                roster.with(|roster| {
                                                    facet_values(facet, lists, roster)
                                                        .into_iter()
                                                        .map(|(key, label)| facet_value(facet, key, label, counts, chosen))
                                                        .collect_view()
                                                })
                                            })
                                        }}
                                    </fieldset>
                                }
                            })
                        }
                    })
                    .collect_view()}
                <div class="field">
                    <label for="changed-since">{t::CHANGED_SINCE}</label>
                    <input
                        id="changed-since"
                        type="date"
                        prop:value=move || query.with(|q| q.changed_since.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| {
                            let mut q = query.get_untracked();
                            q.changed_since = crate::domain::Date::parse(&event_target_value(&ev));
                            q.page = 0;
                            navigation.show_list(q, false);
                        }
                    />
                </div>
            }
        })
    };
    view! {
        <details
            class="filters"
            open=open
            on:toggle=move |ev| {
                let unfolding = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                if unfolding && !unfolded.get_untracked() {
                    unfolded.set(true);
                }
            }
        >
            <summary>{move || t::filters_summary(active())}</summary>
            {facets}
        </details>
    }
}

fn facet_value(
    facet: Facet,
    key: String,
    label: String,
    counts: RwSignal<filter::Counts>,
    chosen: Memo<BTreeMap<Facet, BTreeSet<String>>>,
) -> impl IntoView {
    let navigation = expect_context::<Navigation>();
    let query = navigation.query;
    let count_key = key.clone();
    let count = Memo::new(move |_| {
        counts.with(|c| {
            c.get(&facet)
                .and_then(|c| c.get(&count_key))
                .copied()
                .unwrap_or(0)
        })
    });
    let checked_key = key.clone();
    // From the chosen values only, so a keystroke in the search touches no checkbox.
    let checked = Memo::new(move |_| {
        chosen.with(|c| c.get(&facet).is_some_and(|v| v.contains(&checked_key)))
    });
    view! {
        <label class="facet-value" class:zero=move || count.get() == 0>
            <input
                type="checkbox"
                data-facet=facet.param()
                value=key.clone()
                prop:checked=checked
                on:change=move |_| navigation.show_list(query.get_untracked().toggled(facet, &key), false)
            />
            <span class="facet-label">{label}</span>
            <span class="n">{count}</span>
        </label>
    }
}
