//! All projects, grouped by district, with stage, procedure progress and steward at a glance.

use super::Store;
use crate::domain::{by_district, Origin, Procedure, Project};
use crate::text as t;
use leptos::prelude::*;

#[component]
pub fn ProjectList() -> impl IntoView {
    let store = expect_context::<Store>();
    let summary = move || {
        store.ledger.with(|l| {
            let (mut listed, mut in_text, mut added) = (0, 0, 0);
            for p in l.projects() {
                match (p.origin, p.district) {
                    (Origin::UserAdded, _) => added += 1,
                    (Origin::Registry, Some(_)) => listed += 1,
                    (Origin::Registry, None) => in_text += 1,
                }
            }
            t::project_count(listed + in_text + added, listed, in_text, added)
        })
    };
    view! {
        <h1 class="page-title">{t::NAV_LIST}</h1>
        <p class="count" data-testid="project-count">{summary}</p>
        {move || {
            store.ledger.with(|l| {
                by_district(l.projects())
                    .into_iter()
                    .map(|(district, projects)| {
                        let name = district.map_or(t::DISTRICT_NOT_STATED, |d| d.name());
                        district_section(name, projects)
                    })
                    .collect_view()
            })
        }}
    }
}

fn district_section(name: &'static str, projects: Vec<&Project>) -> impl IntoView {
    let count = projects.len();
    let rows = projects.into_iter().map(project_row).collect_view();
    view! {
        <section class="district">
            <h2>{name} <span class="n">{count}</span></h2>
            <ul class="rows">{rows}</ul>
        </section>
    }
}

fn project_row(project: &Project) -> impl IntoView {
    let stage = project.stage.map(|s| s.name());
    view! {
        <li>
            <a class="row" href=format!("#/p/{}", project.id) data-project=project.id.clone()>
                <span class="row-name">{project.name.clone()}</span>
                <span class="row-meta">
                    <span class="chip" class:empty=stage.is_none()>{stage.unwrap_or(t::STAGE_EMPTY)}</span>
                    <span>{t::procedures_progress(project.procedures_done(), Procedure::ALL.len())}</span>
                    <span>{t::STEWARD} " " {t::STEWARD_NONE}</span>
                    {(project.origin == Origin::UserAdded).then(|| view! { <span class="badge">{t::USER_ADDED_BADGE}</span> })}
                </span>
            </a>
        </li>
    }
}
