//! Who stewards one project: lead city leader, district leaders, service team
//! with its responsible member. Every change is one edit in the log.

use super::{OfficeRoute, Store};
use crate::domain::people::Role;
use crate::domain::{Change, Project};
use crate::text as t;
use leptos::prelude::*;

#[component]
pub fn StewardsSection(id: StoredValue<String>, project: Memo<Option<Project>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let commit = move |change: Change| {
        error.set(
            store
                .change(&id.get_value(), change)
                .err()
                .map(t::input_error),
        );
    };
    // (person id, name, role) of the project's stewards, in assignment order.
    let stewards = Memo::new(move |_| {
        project.with(|p| {
            store.ledger().with(|l| {
                p.as_ref()
                    .map(|p| {
                        p.stewards
                            .iter()
                            .filter_map(|s| l.person(s))
                            .map(|person| {
                                (
                                    person.id.clone(),
                                    person.details.name.clone(),
                                    person.details.role,
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
        })
    });
    let responsible =
        Memo::new(move |_| project.with(|p| p.as_ref().and_then(|p| p.responsible.clone())));
    let candidates = Memo::new(move |_| {
        store.ledger().with(|l| {
            let on: Vec<String> = stewards.with(|s| s.iter().map(|(id, ..)| id.clone()).collect());
            l.people()
                .filter(|p| !on.contains(&p.id))
                .map(|p| (p.id.clone(), t::person_label(p)))
                .collect::<Vec<_>>()
        })
    });
    let roster_empty = move || store.ledger().with(|l| l.people().next().is_none());
    let slot = move |label: &'static str, keep: fn(Role) -> bool, team: bool| {
        view! {
            <div class="slot">
                <h3>{label}</h3>
                <ul class="stewards">
                    {move || {
                        let people: Vec<_> = stewards.get().into_iter().filter(|(_, _, role)| keep(*role)).collect();
                        if people.is_empty() {
                            return view! { <li class="hint">{t::NOBODY}</li> }.into_any();
                        }
                        people
                            .into_iter()
                            .map(|(pid, name, _)| {
                                let radio_id = pid.clone();
                                let is_responsible = responsible.get().as_deref() == Some(pid.as_str());
                                let unassign_id = pid.clone();
                                view! {
                                    <li data-steward=pid.clone()>
                                        <a href=OfficeRoute::field_link(&OfficeRoute::person_hash(&pid))>{name.clone()}</a>
                                        {team.then(|| view! {
                                            <label class="responsible">
                                                <input type="radio" name="responsible" prop:checked=is_responsible
                                                    on:change=move |_| commit(Change::Responsible(Some(radio_id.clone())))/>
                                                {t::RESPONSIBLE}
                                            </label>
                                        })}
                                        <button type="button" class="link" aria-label=format!("{} {}", t::UNASSIGN, name)
                                            on:click=move |_| commit(Change::Unassign(unassign_id.clone()))>{t::UNASSIGN}</button>
                                    </li>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </ul>
            </div>
        }
    };
    view! {
        <section class="card" id="stewards">
            <h2>{t::STEWARDS_HEADING}</h2>
            <p class="error" role="alert">{super::live(move || error.get())}</p>
            {slot(t::CITY_LEADER_SLOT, |r| r == Role::CityLeader, false)}
            {slot(t::DISTRICT_LEADERS_SLOT, Role::is_district_leader, false)}
            {slot(t::SERVICE_TEAM_SLOT, |r| r == Role::ServiceTeam, true)}
            <Show when=roster_empty fallback=move || view! {
                <div class="field">
                    <label for="add-steward">{t::ADD_STEWARD}</label>
                    <select id="add-steward" on:change=move |ev| {
                        let person = event_target_value(&ev);
                        if !person.is_empty() {
                            commit(Change::Assign(person));
                        }
                    }>
                        <option value="" prop:selected=true>{t::CHOOSE_PERSON}</option>
                        {move || candidates.get().into_iter().map(|(pid, label)| view! { <option value=pid>{label}</option> }).collect_view()}
                    </select>
                </div>
            }>
                <p class="hint"><a href=OfficeRoute::field_link(OfficeRoute::PEOPLE)>{t::ROSTER_NEEDED}</a></p>
            </Show>
        </section>
    }
}
