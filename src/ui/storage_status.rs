//! The banner that says when storage is not doing its job. Storage errors are
//! always shown here, never only logged.

use super::Store;
use crate::domain::stored::Problem;
use crate::text as t;
use leptos::prelude::*;

#[component]
pub fn StorageStatus(startup: Vec<Problem>) -> impl IntoView {
    let store = expect_context::<Store>();
    let startup: Vec<String> = startup.iter().map(t::storage_problem).collect();
    view! {
        <div class="status" role="alert" aria-live="assertive">
            {startup.into_iter().map(|message| view! { <p class="problem">{message}</p> }).collect_view()}
            {move || store.write_problem.get().map(|p| view! { <p class="problem" data-problem="write">{t::storage_problem(&p)}</p> })}
        </div>
    }
}
