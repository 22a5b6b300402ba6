//! Exchange with Excel and other devices: CSV export of the list's current
//! filter (every page of it).

use super::field_href;
use crate::domain::filter::{self, Facet, Query};
use crate::domain::{District, Project};
use crate::text as t;
use crate::ui::{list_hash, local_midnight_ms, today, Store};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let href = format!("data:{mime};charset=utf-8,{}", filter::percent_encode(text));
    if let Ok(link) = document().create_element("a") {
        let _ = link.set_attribute("href", &href);
        let _ = link.set_attribute("download", name);
        if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
    }
}

fn steward_names(ledger: &crate::domain::Ledger, project: &Project) -> String {
    project
        .stewards
        .iter()
        .filter_map(|id| ledger.person(id))
        .map(|p| p.details.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

#[component]
pub fn ExchangePage(query: Query) -> impl IntoView {
    let store = expect_context::<Store>();
    let query = StoredValue::new(query);
    let count = move || {
        store.ledger.with(|l| {
            query.with_value(|q| {
                filter::select(l, q, q.changed_since.map(local_midnight_ms), today()).len()
            })
        })
    };
    let export = move |_| {
        let q = query.get_value();
        let csv = store.ledger.with_untracked(|l| {
            let shown = filter::select(l, &q, q.changed_since.map(local_midnight_ms), today());
            crate::domain::export::projects_csv(&shown, &|p| steward_names(l, p))
        });
        let districts: Vec<&str> = q
            .selected
            .get(&Facet::District)
            .map(|keys| {
                keys.iter()
                    .map(|k| District::from_key(k).map_or(t::DISTRICT_NOT_STATED, |d| d.name()))
                    .collect()
            })
            .unwrap_or_default();
        let name = t::export_file_name(&districts, q.is_filtered(), &today().to_string());
        download(&name, "text/csv", &csv);
    };
    let back = field_href(&query.with_value(list_hash));
    view! {
        <h1 class="page-title">{t::EXCHANGE_HEADING}</h1>
        <section class="card">
            <h2>{t::EXPORT_CSV}</h2>
            <p>{move || t::export_scope(count())} " " <a href=back>{t::PRINT_CHANGE_FILTER}</a></p>
            <p class="hint">{t::EXPORT_HINT}</p>
            <button type="button" class="primary" on:click=export>{t::EXPORT_CSV}</button>
        </section>
    }
}
