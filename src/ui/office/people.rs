//! The roster (包保人员), workload against the article's quotas, coverage
//! checks, and one person's own page ("my projects").

use crate::domain::filter::{Facet, Query};
use crate::domain::light::{light, roles, LightRules};
use crate::domain::people::{Person, PersonDetails, Role};
use crate::domain::quotas::{gaps, Gap, Quota, QuotaRules};
use crate::domain::validate::{check_login, check_login_free, InputError};
use crate::domain::{Change, District, Procedure};
use crate::text as t;
use crate::ui::fields::{InputField, SelectField};
use crate::ui::{light_dot, navigate, today, OfficeRoute, Route, Store};
use leptos::prelude::*;

/// The field app's list filtered to one facet value.
fn hash_for(facet: Facet, value: &str) -> String {
    Route::List(Query::default().toggled(facet, value)).from_office()
}

/// The roster with workloads and coverage: of one district (its people, and
/// anyone stewarding one of its projects) or of the whole city.
#[component]
pub fn RosterPage(district: Option<District>) -> impl IntoView {
    let store = expect_context::<Store>();
    let rules = QuotaRules::default();
    let within = move |p: &crate::domain::Project| district.is_none() || p.district == district;
    let narrowed = move |q: Query| match district {
        Some(d) => q.toggled(Facet::District, d.key()),
        None => q,
    };
    let workload = move || {
        store.ledger().with(|l| {
            let people: Vec<&Person> = l
                .people()
                .filter(|p| district.is_none() || p.details.district == district || l.projects_of(&p.id).any(within))
                .collect();
            let key = |p: &&Person| (p.details.role, p.details.district);
            let people = crate::domain::order::sorted(people, &|a, b| key(a).cmp(&key(b)));
            people
                .into_iter()
                .map(|p| {
                    let count = l.projects_of(&p.id).count();
                    let quota = rules.check(p.details.role, count);
                    let flagged = matches!(quota, Quota::Under { .. } | Quota::Over { .. });
                    view! {
                        <tr class:flagged=flagged data-person=p.id.clone()>
                            <td><a href=OfficeRoute::Person(p.id.clone()).to_hash()>{p.details.name.clone()}</a></td>
                            <td>{p.details.role.name()}</td>
                            <td>{p.details.district.map_or("", |d| d.name())}</td>
                            <td class="num"><a href=hash_for(Facet::Steward, &p.id)>{count}</a></td>
                            <td data-testid="quota">{t::quota_text(quota, p.details.role)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let coverage = move || {
        store.ledger().with(|l| {
            Gap::ALL
                .into_iter()
                .map(|gap| {
                    let n = l
                        .projects()
                        .filter(|p| within(p) && gaps(p, |id| l.person(id)).contains(&gap))
                        .count();
                    let href =
                        Route::List(narrowed(Query::default().toggled(Facet::Gap, gap.key())))
                            .from_office();
                    view! {
                        <li data-gap=gap.key()>
                            <a href=href>{t::gap_label(gap)} "：" {t::gap_count(n)}</a>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let empty = move || store.ledger().with(|l| l.people().next().is_none());
    view! {
        <h1 class="page-title">{t::in_scope(t::PEOPLE_HEADING, district.map(|d| d.name()))}</h1>
        <p class="hint">{t::rules_note()}</p>
        <section class="card">
            <h2>{t::ADD_PERSON}</h2>
            <PersonForm person=None/>
        </section>
        <Show when=empty fallback=move || view! {
            <section class="card">
                <div class="table-scroll">
                    <table class="workload">
                        <thead><tr>
                            <th>{t::PERSON_NAME}</th><th>{t::PERSON_ROLE}</th><th>{t::PERSON_DISTRICT}</th>
                            <th>{t::WORKLOAD_COUNT}</th><th>{t::QUOTA}</th>
                        </tr></thead>
                        <tbody>{workload}</tbody>
                    </table>
                </div>
            </section>
        }>
            <p class="card">{t::PEOPLE_EMPTY}</p>
        </Show>
        <section class="card">
            <h2>{t::COVERAGE_HEADING}</h2>
            <ul class="coverage">{coverage}</ul>
        </section>
        <super::accounts::AccountTools district=district/>
    }
}

/// Adds a person (`person` is `None`) or edits one.
#[component]
fn PersonForm(person: Option<Person>) -> impl IntoView {
    let store = expect_context::<Store>();
    let editing = person.as_ref().map(|p| p.id.clone());
    let initial = person.map(|p| p.details);
    let name = RwSignal::new(initial.as_ref().map(|d| d.name.clone()).unwrap_or_default());
    let role = RwSignal::new(initial.as_ref().map_or(Role::ServiceTeam, |d| d.role));
    // A new person starts in the device's own district (本机区县), never in
    // the last one typed: a city leader added after a district's people
    // was saved in that district.
    let own = use_context::<super::Scope>().and_then(|s| s.0.get_untracked());
    let district = RwSignal::new(initial.as_ref().map_or(own, |d| d.district));
    let unit = RwSignal::new(initial.as_ref().map(|d| d.unit.clone()).unwrap_or_default());
    let phone = RwSignal::new(
        initial
            .as_ref()
            .map(|d| d.phone.clone())
            .unwrap_or_default(),
    );
    let login = RwSignal::new(
        initial
            .as_ref()
            .map(|d| d.login.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    let is_edit = editing.is_some();
    let prefix = if is_edit { "edit" } else { "add" };
    let keep = |signal: RwSignal<String>| {
        move |v: String| -> Result<(), InputError> {
            signal.set(v.trim().to_owned());
            Ok(())
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(held) = crate::ui::browser::hold_target(&ev) else {
            return;
        };
        let details = PersonDetails {
            name: name.get_untracked(),
            role: role.get_untracked(),
            district: district.get_untracked(),
            unit: unit.get_untracked(),
            phone: phone.get_untracked(),
            login: login.get_untracked(),
        };
        let id = editing
            .clone()
            .unwrap_or_else(|| store.new_person_id(details.district));
        held.release();
        let free = store
            .ledger()
            .with_untracked(|l| check_login_free(l, &id, &details.login));
        match free.and_then(|()| store.change(&id, Change::SavePerson(details))) {
            Err(e) => error.set(Some(t::input_error(e))),
            Ok(()) => {
                error.set(None);
                if editing.is_none() {
                    name.set(String::new());
                    unit.set(String::new());
                    phone.set(String::new());
                    login.set(String::new());
                    role.set(Role::ServiceTeam);
                    district.set(own);
                }
            }
        }
    };
    let roles: Vec<_> = Role::ALL.iter().map(|r| (r.key(), r.name())).collect();
    let districts: Vec<_> = District::ALL.iter().map(|d| (d.key(), d.name())).collect();
    view! {
        <form class="person-form" on:submit=submit novalidate>
            <InputField label=t::PERSON_NAME.to_owned() field_id=format!("{prefix}-person-name") value=name on_commit=keep(name)/>
            <SelectField label=t::PERSON_ROLE field_id=if is_edit { "edit-person-role" } else { "add-person-role" }
                options=roles value=Signal::derive(move || role.get().key().to_owned())
                on_commit=move |v| {
                    if let Some(r) = Role::from_key(&v) {
                        role.set(r);
                        // 市级领导 are the city's: no district unless one is chosen after.
                        if r == Role::CityLeader { district.set(None) }
                    }
                    Ok(())
                }/>
            <SelectField label=t::PERSON_DISTRICT field_id=if is_edit { "edit-person-district" } else { "add-person-district" }
                options=districts value=Signal::derive(move || district.get().map(|d| d.key().to_owned()).unwrap_or_default())
                on_commit=move |v| { district.set(District::from_key(&v)); Ok(()) }/>
            <InputField label=t::PERSON_UNIT.to_owned() field_id=format!("{prefix}-person-unit") value=unit on_commit=keep(unit)/>
            <InputField label=t::PERSON_PHONE.to_owned() field_id=format!("{prefix}-person-phone") kind="tel" value=phone on_commit=keep(phone)/>
            <InputField label=t::PERSON_LOGIN.to_owned() field_id=format!("{prefix}-person-login") value=login hint=t::PERSON_LOGIN_HINT
                on_commit=move |v: String| { let v = v.trim().to_owned(); check_login(&v)?; login.set(v); Ok(()) }/>
            <p class="error" role="alert" data-testid="person-error">{move || error.get()}</p>
            <button type="submit" class="primary">{if is_edit { t::SAVE_PERSON } else { t::ADD_PERSON }}</button>
        </form>
    }
}

/// One person: their details, their projects (what a steward opens in the field), removal.
#[component]
pub fn PersonPage(id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let id = StoredValue::new(id);
    let person = Memo::new(move |_| store.ledger().with(|l| l.person(&id.get_value()).cloned()));
    let exists = Memo::new(move |_| person.with(Option::is_some));
    move || {
        if !exists.get() {
            return view! {
                <p><a href=OfficeRoute::People(None).to_hash()>{t::NAV_PEOPLE}</a></p>
                <p class="card" role="alert">{t::NOT_FOUND}</p>
            }
            .into_any();
        }
        let current = person.get_untracked();
        view! {
            <p><a href=OfficeRoute::People(None).to_hash()>"← " {t::PEOPLE_HEADING}</a></p>
            <h1 class="page-title" data-testid="person-name">{move || person.with(|p| p.as_ref().map(|p| p.details.name.clone()))}</h1>
            <p class="subtitle">{move || person.with(|p| p.as_ref().map(t::person_label))}</p>
            <p class="links">
                <a href=OfficeRoute::PrintPerson(id.get_value()).to_hash() data-testid="steward-sheet">{t::PRINT_STEWARD_SHEET}</a>
                {move || person.with(|p| p.as_ref().is_some_and(|p| !p.details.login.is_empty())).then(|| view! {
                    " · " <a href=OfficeRoute::PrintAccounts(crate::ui::AccountCards::Person(id.get_value())).to_hash() data-testid="account-card">{t::ACCOUNT_CARD}</a>
                })}
            </p>
            <section class="card">
                <h2>{t::MY_PROJECTS}</h2>
                <PersonProjects id=id/>
            </section>
            <section class="card">
                <h2>{t::EDIT_PERSON}</h2>
                <PersonForm person=current/>
            </section>
            <RemovePerson id=id/>
        }
        .into_any()
    }
}

#[component]
fn PersonProjects(id: StoredValue<String>) -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        store.ledger().with(|l| {
            let person = id.get_value();
            let projects: Vec<_> = l.projects_of(&person).collect();
            let (role, day, rules) = (roles(l), today(), LightRules::default());
            if projects.is_empty() {
                return view! { <p class="hint">{t::NO_PROJECTS}</p> }.into_any();
            }
            view! {
                <ul class="rows">
                    {projects
                        .into_iter()
                        .map(|p| {
                            let missing: Vec<&str> = Procedure::ALL.iter().filter(|x| !p.procedure(**x).done).map(|x| x.name()).collect();
                            let light = light(p, &role, day, &rules).0;
                            let open = t::open_blockers(p, day);
                            view! {
                                <li>
                                    <a class="row" href=Route::Project(p.id.clone()).from_office() data-project=p.id.clone()>
                                        <span class="row-name">{p.name.clone()}</span>
                                        <span class="row-meta">
                                            {light_dot(light)}
                                            <span class="chip" class:empty=p.stage.is_none()>{p.stage.map_or(t::STAGE_EMPTY, |s| s.name())}</span>
                                            {format!("{} · 未办：{}", t::district_name(p.district), if missing.is_empty() { t::NOBODY.to_owned() } else { missing.join("、") })}
                                        </span>
                                        {(!open.is_empty()).then(|| view! { <span class="row-meta blockers">{t::BLOCKERS_HEADING} "：" {open}</span> })}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        })
    }
}

#[component]
fn RemovePerson(id: StoredValue<String>) -> impl IntoView {
    let store = expect_context::<Store>();
    let asking = RwSignal::new(false);
    let heir = RwSignal::new(String::new());
    let count = Memo::new(move |_| {
        store
            .ledger()
            .with(|l| l.projects_of(&id.get_value()).count())
    });
    let others = Memo::new(move |_| {
        store.ledger().with(|l| {
            l.people()
                .filter(|p| p.id != id.get_value())
                .map(|p| (p.id.clone(), t::person_label(p)))
                .collect::<Vec<_>>()
        })
    });
    let confirm = move |_| {
        let reassign_to = Some(heir.get_untracked()).filter(|h| !h.is_empty());
        if store
            .change(&id.get_value(), Change::RemovePerson { reassign_to })
            .is_ok()
        {
            navigate(&OfficeRoute::People(None).to_hash());
        }
    };
    view! {
        <div class="actions">
            <Show when=move || !asking.get()>
                <button type="button" class="danger" on:click=move |_| asking.set(true)>{t::REMOVE_PERSON}</button>
            </Show>
        </div>
        <Show when=move || asking.get()>
            <section class="card" role="dialog" aria-label=t::REMOVE_PERSON>
                <p>{move || t::projects_of_count(count.get())}</p>
                <Show when=move || { count.get() > 0 }>
                    <div class="field">
                        <label for="heir">{t::REASSIGN_TO}</label>
                        <select id="heir" on:change=move |ev| heir.set(event_target_value(&ev))>
                            <option value="">{t::LEAVE_UNCOVERED}</option>
                            {move || others.get().into_iter().map(|(pid, label)| view! { <option value=pid>{label}</option> }).collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="actions">
                    <button type="button" class="danger" on:click=confirm>{t::REMOVE_PERSON_CONFIRM}</button>
                    <button type="button" on:click=move |_| asking.set(false)>{t::CANCEL}</button>
                </div>
            </section>
        </Show>
    }
}
