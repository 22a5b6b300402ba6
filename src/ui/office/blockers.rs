//! Every open blocker across projects, filterable by district, level, age and
//! steward, and printable.

use super::links::{district_options, project_link};
use super::print::PrintBar;
use crate::domain::agenda::{open_blockers, BlockerFilter};
use crate::domain::fieldwork::BlockerLevel;
use crate::domain::District;
use crate::text as t;
use crate::ui::{navigate, today, OfficeRoute, Store};
use leptos::prelude::*;

/// Every open blocker across projects, filterable, printable.
#[component]
pub fn BlockerList(filter: BlockerFilter) -> impl IntoView {
    let store = expect_context::<Store>();
    let filter = StoredValue::new(filter);
    let go = move |change: &dyn Fn(&mut BlockerFilter, String), value: String| {
        let mut f = filter.get_value();
        change(&mut f, value);
        navigate(&OfficeRoute::Blockers(f).to_hash());
    };
    let rows = move || {
        store.ledger().with(|l| {
            let day = today();
            let f = filter.get_value();
            let shown: Vec<_> = open_blockers(l.projects())
                .into_iter()
                .filter(|(p, b)| f.matches(p, b, day))
                .collect();
            let n = shown.len();
            let rows = shown
                .into_iter()
                .map(|(p, b)| {
                    view! {
                        <tr data-blocker=b.id.clone() class:overdue={b.days_overdue(day) > 0}>
                            <td class="name">{project_link(p)}</td>
                            <td>{t::district_name(p.district)}</td>
                            <td>{b.opened_as.description.clone()}
                                <a class="no-print sheet-link" href=OfficeRoute::Blocker(b.id.clone()).to_hash() data-testid="supervision-link">{t::SUPERVISION_LINK}</a></td>
                            <td>{b.level().name()}</td>
                            <td>{b.unit().to_owned()} " " {b.person().to_owned()}</td>
                            <td>{b.opened_as.opened.to_string()}</td>
                            <td>{t::blocker_age(b.age_days(day))}{t::deadline_note(b, day)}</td>
                            <td>{l.steward_names(p).join("、")}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p data-testid="blocker-count">{t::open_blocker_count(n)}</p>
                <table class="print-table blockers" data-testid="blocker-table">
                    <thead><tr>
                        <th>{t::FIELD_NAME}</th><th>{t::FIELD_DISTRICT}</th><th>{t::BLOCKER_DESCRIPTION}</th><th>{t::BLOCKER_LEVEL}</th>
                        <th>{t::BLOCKER_UNIT}</th><th>{t::BLOCKER_OPENED}</th><th>{t::BLOCKER_STATE}</th><th>{t::STEWARD}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    let f = filter.get_value();
    let people = store.ledger().with_untracked(|l| {
        l.people()
            .map(|p| (p.id.clone(), t::person_label(p)))
            .collect::<Vec<_>>()
    });
    view! {
        <PrintBar title=t::OPEN_BLOCKERS_HEADING query=None/>
        <form class="inline-form no-print" data-testid="blocker-filters">
            <div class="field"><label for="bf-district">{t::FIELD_DISTRICT}</label>
                <select id="bf-district" on:change=move |ev| go(&|f, v| f.district = District::from_key(&v), event_target_value(&ev))>
                    {district_options(f.district)}
                </select></div>
            <div class="field"><label for="bf-level">{t::BLOCKER_LEVEL}</label>
                <select id="bf-level" on:change=move |ev| go(&|f, v| f.level = BlockerLevel::from_key(&v), event_target_value(&ev))>
                    <option value="">{t::ALL_LEVELS}</option>
                    {BlockerLevel::ALL.iter().map(|x| view! { <option value=x.key() selected=f.level == Some(*x)>{x.name()}</option> }).collect_view()}
                </select></div>
            <div class="field"><label for="bf-age">{t::MIN_AGE}</label>
                <input id="bf-age" inputmode="numeric" value=f.min_age.map(|n| n.to_string()).unwrap_or_default()
                    on:change=move |ev| go(&|f, v| f.min_age = v.trim().parse().ok().filter(|n: &i64| *n >= 0), event_target_value(&ev))/></div>
            <div class="field"><label for="bf-steward">{t::STEWARD}</label>
                <select id="bf-steward" on:change=move |ev| go(&|f, v| f.steward = Some(v).filter(|v| !v.is_empty()), event_target_value(&ev))>
                    <option value="">{t::ALL_PEOPLE}</option>
                    {people.into_iter().map(|(id, label)| { let chosen = f.steward.as_deref() == Some(id.as_str()); view! { <option value=id selected=chosen>{label}</option> } }).collect_view()}
                </select></div>
        </form>
        <section class="sheet">
            <header class="sheet-head">
                <h2>{t::in_scope(t::OPEN_BLOCKERS_HEADING, f.district.map(|d| d.name()))}</h2>
                <p class="stamp">{t::as_of(&today().to_string())}</p>
            </header>
            {rows}
        </section>
    }
}
