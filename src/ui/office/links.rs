//! Links and choices the office screens share.

use crate::domain::light::{light, LightRules};
use crate::domain::people::Role;
use crate::domain::{Date, District, Project};
use crate::text as t;
use crate::ui::{light_dot, Route};
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

/// A project's light for paper: the dot, the light in words (a black-and-white
/// printer loses the colour) and its reasons.
pub(super) fn light_cell(
    p: &Project,
    role: &dyn Fn(&str) -> Option<Role>,
    date: Date,
    rules: &LightRules,
) -> impl IntoView {
    let (shade, reasons) = light(p, role, date, rules);
    let why = reasons
        .iter()
        .map(t::light_reason)
        .collect::<Vec<_>>()
        .join("；");
    view! { <td class="light-cell">{light_dot(shade)}<strong>{shade.name()}</strong><small>{why}</small></td> }
}
