//! The office's home: who uses this device, the lights, the oldest blockers,
//! the campaign clock and its settings, the article's targets. Numbers come
//! from the same domain functions the field app and the print views use.

use super::links::project_link;
use super::print::targets_table;
use crate::domain::agenda::{light_counts, open_blockers, AgendaQuery, BlockerFilter};
use crate::domain::campaign::campaign_progress;
use crate::domain::edit::LEDGER_SUBJECT;
use crate::domain::fieldwork::CampaignSettings;
use crate::domain::filter::{Facet, Query};
use crate::domain::light::{light, roles, Light, LightRules};
use crate::domain::summary::{city_figures, percent};
use crate::domain::{Change, Date, District};
use crate::text as t;
use crate::ui::{light_dot, today, OfficeRoute, Route, Store};
use leptos::prelude::*;

/// The field app's list of the projects showing one light (in one district).
fn light_list(light: Light, district: Option<District>) -> String {
    let q = Query::default().toggled(Facet::Light, light.key());
    let q = match district {
        Some(d) => q.toggled(Facet::District, d.key()),
        None => q,
    };
    Route::List(q).from_office()
}

/// The office's home: targets, lights, oldest blockers, the campaign clock,
/// and the projects of whoever uses this device.
#[component]
pub fn Dashboard() -> impl IntoView {
    let store = expect_context::<Store>();
    let me = RwSignal::new(crate::settings::me());
    let choose_me = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if let Err(problem) = crate::settings::set_me(&id) {
            store.report(Err(problem));
        }
        me.set(Some(id).filter(|id| !id.is_empty()));
    };
    let scope = expect_context::<super::Scope>().0;
    let choose_scope = move |ev: leptos::ev::Event| {
        let district = District::from_key(&event_target_value(&ev));
        store.report(crate::settings::set_office_district(district));
        scope.set(district);
    };
    let body = move || {
        let district = scope.get();
        let within =
            move |p: &&crate::domain::Project| district.is_none() || p.district == district;
        store.ledger().with(|l| {
            let day = today();
            let rules = LightRules::default();
            let role = roles(l);
            let counts = light_counts(l.projects().filter(within), &role, day, &rules);
            let lights = Light::ALL
                .iter()
                .map(|x| {
                    view! {
                        <li><a href=light_list(*x, district) data-count=x.key()>
                            {light_dot(*x)} {x.name()} " " <strong>{counts[*x as usize]}</strong>
                        </a></li>
                    }
                })
                .collect_view();
            let oldest = open_blockers(l.projects().filter(within))
                .into_iter()
                .take(5)
                .map(|(p, b)| {
                    view! {
                        <li>{project_link(p)} " · " {b.opened_as.description.clone()} " · "
                            <strong>{t::blocker_age(b.age_days(day))}</strong></li>
                    }
                })
                .collect_view();
            let campaign = l.campaign();
            let progress = campaign_progress(l.projects().filter(within));
            let waiting = progress
                .waiting
                .iter()
                .take(10)
                .map(|p| {
                    view! {
                        <li>{project_link(p)} " · " {p.planned_start.map_or_else(|| t::NO_PLANNED_START.to_owned(), |d| d.to_string())}</li>
                    }
                })
                .collect_view();
            let mine = crate::ui::sync::me_or_signed_in(me.get(), l)
                .and_then(|id| l.person(&id).map(|p| (id, p.details.name.clone())));
            let my_projects = mine.map(|(id, name)| {
                let rows = l
                    .projects_of(&id)
                    .map(|p| view! { <li>{light_dot(light(p, &role, day, &rules).0)} {project_link(p)}</li> })
                    .collect_view();
                view! {
                    <section class="card" data-testid="my-projects">
                        <h2>{t::my_projects(&name)}</h2>
                        <ul class="plain">{rows}</ul>
                        <p><a href=OfficeRoute::PrintPerson(id).to_hash()>{t::PRINT_STEWARD_SHEET}</a></p>
                    </section>
                }
            });
            view! {
                {my_projects}
                <div class="dashboard">
                    <section class="card">
                        <h2>{t::LIGHT_HEADING}</h2>
                        <ul class="plain lights">{lights}</ul>
                        <p class="hint"><a href=OfficeRoute::Rules.to_hash()>{t::RULES_LINK}</a></p>
                    </section>
                    <section class="card">
                        <h2>{t::OLDEST_BLOCKERS}</h2>
                        <ul class="plain">{oldest}</ul>
                        <p><a href=OfficeRoute::Blockers(BlockerFilter { district, ..BlockerFilter::default() }).to_hash()>{t::ALL_OPEN_BLOCKERS}</a></p>
                    </section>
                    <section class="card wide" data-testid="campaign">
                        <h2>{t::CAMPAIGN_HEADING}</h2>
                        <p data-testid="campaign-clock">{t::campaign_clock(campaign.start, campaign.days, campaign.days_left(day), campaign.has_ended(day))}</p>
                        <p>{t::campaign_share(progress.started, progress.projects, percent(progress.started, progress.projects))}</p>
                        <p class="hint">{t::campaign_note()} {t::CAMPAIGN_EDIT_BELOW}</p>
                        <h3>{t::CAMPAIGN_WAITING}</h3>
                        <ol>{waiting}</ol>
                        <CampaignForm settings=campaign/>
                    </section>
                    <section class="card wide" data-testid="pictures">
                        <h2>{t::PICTURES_HEADING}</h2>
                        <div class="pictures">{super::pictures::district_pictures_view(l, &l.projects().filter(within).collect::<Vec<_>>(), day)}</div>
                    </section>
                    <section class="card wide">
                        <h2>{t::PRINT_TARGETS}</h2>
                        <p class="hint">{t::ledger_scope(l.projects().count())}</p>
                        {targets_table(&city_figures(l.projects()))}
                    </section>
                </div>
            }
        })
    };
    let people = move || {
        store.ledger().with(|l| {
            let chosen = crate::ui::sync::me_or_signed_in(me.get(), l);
            l.people()
                .map(|p| view! { <option value=p.id.clone() selected=chosen.as_deref() == Some(p.id.as_str())>{t::person_label(p)}</option> })
                .collect_view()
        })
    };
    view! {
        <h1 class="page-title">{move || t::in_scope(t::DASHBOARD, scope.get().map(|d| d.name()))}</h1>
        <div class="device-settings">
            <div class="field me">
                <label for="me">{t::I_AM}</label>
                <select id="me" on:change=choose_me aria-describedby="me-hint">
                    <option value="">{t::NOBODY}</option>
                    {people}
                </select>
                // An empty roster says where names come from, not just （无）.
                <small id="me-hint" data-testid="me-hint">{move || store.ledger().with(|l| l.people().next().is_none()).then_some(t::ME_EMPTY_HINT)}</small>
            </div>
            <div class="field me">
                <label for="office-district">{t::OFFICE_DISTRICT}</label>
                <select id="office-district" on:change=choose_scope>
                    <option value="" prop:selected=move || scope.get().is_none()>{t::WHOLE_CITY}</option>
                    {District::ALL.iter().map(|d| { let d = *d; view! { <option value=d.key() prop:selected=move || scope.get() == Some(d)>{d.name()}</option> } }).collect_view()}
                </select>
            </div>
        </div>
        {body}
        <ul class="card office-home">
            <li><a href=move || OfficeRoute::Agenda(AgendaQuery::default()).scoped(scope.get()).to_hash()>{t::AGENDA_HEADING}</a></li>
            <li><a href=move || OfficeRoute::People(None).scoped(scope.get()).to_hash()>{t::PEOPLE_HEADING}</a></li>
            <li><a href=move || OfficeRoute::PrintDistricts(Query::default()).scoped(scope.get()).to_hash()>{t::PRINT_DISTRICTS}</a></li>
            <li><a href=OfficeRoute::PrintCity(Query::default(), super::RankingDates::default()).to_hash()>{t::PRINT_CITY}</a></li>
            <li><a href=OfficeRoute::Exchange(Query::default()).to_hash()>{t::EXCHANGE_HEADING}</a></li>
            <li><a href=OfficeRoute::New.to_hash()>{t::NAV_NEW}</a></li>
        </ul>
    }
}

/// Changes the campaign's start and length: one edit for the whole ledger.
#[component]
fn CampaignForm(settings: CampaignSettings) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let start = NodeRef::<leptos::html::Input>::new();
    let days = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(held) = crate::ui::browser::hold_target(&ev) else {
            return;
        };
        held.release();
        let start = start.get_untracked().map(|i| i.value()).unwrap_or_default();
        let days = days.get_untracked().map(|i| i.value()).unwrap_or_default();
        let result = match (Date::parse(&start), days.trim().parse::<u16>()) {
            (None, _) => Err(crate::domain::validate::InputError::BadDate),
            (_, Err(_)) => Err(crate::domain::validate::InputError::CampaignTooLong),
            (Some(start), Ok(days)) => store.change(
                LEDGER_SUBJECT,
                Change::CampaignSettings(CampaignSettings { start, days }),
            ),
        };
        error.set(result.err().map(t::input_error));
    };
    view! {
        <form class="inline-form" on:submit=submit novalidate>
            <div class="field"><label for="campaign-start">{t::CAMPAIGN_START}</label>
                <input id="campaign-start" type="date" node_ref=start value=settings.start.to_string()/></div>
            <div class="field"><label for="campaign-days">{t::CAMPAIGN_DAYS}</label>
                <input id="campaign-days" inputmode="numeric" node_ref=days value=settings.days.to_string()/></div>
            <p class="error" role="alert">{crate::ui::live(move || error.get())}</p>
            <button type="submit">{t::CAMPAIGN_SAVE}</button>
        </form>
    }
}
