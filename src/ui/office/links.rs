//! Links and choices the office screens share.

use crate::domain::{District, Project};
use crate::text as t;
use crate::ui::Route;
use leptos::prelude::*;

/// A project's name, linking to its page in the field app.
pub(super) fn project_link(p: &Project) -> impl IntoView {
    view! { <a href=Route::Project(p.id.clone()).from_office() data-project=p.id.clone()>{p.name.clone()}</a> }
}

/// "All districts" and each district, as select options.
pub(super) fn district_options(selected: Option<District>) -> impl IntoView {
    view! {
        <option value="" selected=selected.is_none()>{t::ALL_DISTRICTS}</option>
        {District::ALL.iter().map(|d| view! { <option value=d.key() selected=selected == Some(*d)>{d.name()}</option> }).collect_view()}
    }
}
