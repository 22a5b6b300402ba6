//! Named list views saved on this device.

use super::{Navigation, Route};
use crate::domain::stored::SavedView;
use crate::settings;
use crate::text as t;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

#[component]
pub fn SavedViews() -> impl IntoView {
    let navigation = expect_context::<Navigation>();
    // Unreadable stored views are kept aside and said at once; the list starts empty.
    let (stored, unreadable) = match settings::load_views() {
        Ok(views) => (views, None),
        Err(problem) => (Vec::new(), Some(t::storage_problem(&problem))),
    };
    let views = RwSignal::new(stored);
    let error = RwSignal::new(unreadable);
    let name_input = NodeRef::<leptos::html::Input>::new();
    let store_views = move |next: Vec<SavedView>| match settings::save_views(&next) {
        Ok(()) => views.set(next),
        Err(problem) => error.set(Some(t::storage_problem(&problem))),
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input: HtmlInputElement = name_input.get_untracked().expect("mounted");
        let name = input.value().trim().to_owned();
        if name.is_empty() {
            error.set(Some(t::VIEW_NAME_EMPTY.to_owned()));
            return;
        }
        error.set(None);
        let query = navigation.query.get_untracked().to_query_string();
        let mut next: Vec<SavedView> = views
            .get_untracked()
            .into_iter()
            .filter(|v| v.name != name)
            .collect();
        next.push(SavedView { name, query });
        store_views(next);
        input.set_value("");
    };
    view! {
        <details class="views">
            <summary>{t::SAVED_VIEWS} " (" {move || views.with(Vec::len)} ")"</summary>
            <ul class="view-list">
                {move || {
                    views
                        .get()
                        .into_iter()
                        .map(|view| {
                            let name = view.name.clone();
                            let href = Route::List(crate::domain::filter::Query::from_query_string(&view.query)).to_hash();
                            view! {
                                <li>
                                    <a href=href>{view.name.clone()}</a>
                                    <button type="button" class="link" aria-label=format!("{} {}", t::DELETE_VIEW, view.name) on:click=move |_| {
                                        store_views(views.get_untracked().into_iter().filter(|v| v.name != name).collect());
                                    }>{t::DELETE_VIEW}</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <form on:submit=save class="save-view">
                <input type="text" node_ref=name_input aria-label=t::SAVE_VIEW_NAME placeholder=t::SAVE_VIEW_NAME maxlength="60"/>
                <button type="submit">{t::SAVE_VIEW}</button>
            </form>
            <p class="error" role="alert">{super::live(move || error.get())}</p>
        </details>
    }
}
