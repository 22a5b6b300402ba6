//! The working rhythm for the office: the dashboard (home), the open-blocker
//! list, the dispatch agenda and the rules page. Numbers come from
//! `domain::workflow` and `domain::summary`, the same functions the field app
//! and the print views use.

use super::field_href;
use super::print::{targets_table, PrintBar};
use crate::domain::agenda::{agenda, light_counts, open_blockers, AgendaQuery, BlockerFilter};
use crate::domain::campaign::campaign_progress;
use crate::domain::edit::CAMPAIGN_SUBJECT;
use crate::domain::fieldwork::{BlockerLevel, CampaignSettings, DispatchLevel, RecordKind};
use crate::domain::light::{light, roles, Light, LightRules};
use crate::domain::summary::{city_figures, percent};
use crate::domain::{Change, Date, District, Project};
use crate::text as t;
use crate::ui::{light_dot, navigate, today, Store};
use leptos::prelude::*;

fn project_link(p: &Project) -> impl IntoView {
    view! { <a href=field_href(&format!("#/p/{}", p.id)) data-project=p.id.clone()>{p.name.clone()}</a> }
}

fn district_options(selected: Option<District>) -> impl IntoView {
    view! {
        <option value="" selected=selected.is_none()>{t::ALL_DISTRICTS}</option>
        {District::ALL.iter().map(|d| view! { <option value=d.key() selected=selected == Some(*d)>{d.name()}</option> }).collect_view()}
    }
}

/// The office's home: targets, lights, oldest blockers, the campaign clock,
/// and the projects of whoever uses this device.
#[component]
pub fn Dashboard() -> impl IntoView {
    let store = expect_context::<Store>();
    let me = RwSignal::new(crate::storage::me());
    let choose_me = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if let Err(problem) = crate::storage::set_me(&id) {
            store.report(Err(problem));
        }
        me.set(Some(id).filter(|id| !id.is_empty()));
    };
    let body = move || {
        store.ledger.with(|l| {
            let day = today();
            let rules = LightRules::default();
            let role = roles(l);
            let counts = light_counts(l.projects(), &role, day, &rules);
            let lights = Light::ALL
                .iter()
                .map(|x| {
                    view! {
                        <li><a href=field_href(&format!("#/?t={}", x.key())) data-count=x.key()>
                            {light_dot(*x)} {x.name()} " " <strong>{counts[*x as usize]}</strong>
                        </a></li>
                    }
                })
                .collect_view();
            let oldest = open_blockers(l.projects())
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
            let progress = campaign_progress(l.projects());
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
            let mine = me.get().and_then(|id| l.person(&id).map(|p| (id, p.details.name.clone())));
            let my_projects = mine.map(|(id, name)| {
                let rows = l
                    .projects_of(&id)
                    .map(|p| view! { <li>{light_dot(light(p, &role, day, &rules).0)} {project_link(p)}</li> })
                    .collect_view();
                view! {
                    <section class="card" data-testid="my-projects">
                        <h2>{t::my_projects(&name)}</h2>
                        <ul class="plain">{rows}</ul>
                        <p><a href=format!("#/print/people/{id}")>{t::PRINT_STEWARD_SHEET}</a></p>
                    </section>
                }
            });
            view! {
                {my_projects}
                <div class="dashboard">
                    <section class="card">
                        <h2>{t::LIGHT_HEADING}</h2>
                        <ul class="plain lights">{lights}</ul>
                        <p class="hint"><a href="#/rules">{t::RULES_LINK}</a></p>
                    </section>
                    <section class="card">
                        <h2>{t::OLDEST_BLOCKERS}</h2>
                        <ul class="plain">{oldest}</ul>
                        <p><a href="#/blockers">{t::ALL_OPEN_BLOCKERS}</a></p>
                    </section>
                    <section class="card wide" data-testid="campaign">
                        <h2>{t::CAMPAIGN_HEADING}</h2>
                        <p data-testid="campaign-clock">{t::campaign_clock(campaign.start, campaign.days, campaign.days_left(day), campaign.has_ended(day))}</p>
                        <p>{t::campaign_share(progress.started, progress.projects, percent(progress.started, progress.projects))}</p>
                        <p class="hint">{t::CAMPAIGN_NOTE}</p>
                        <h3>{t::CAMPAIGN_WAITING}</h3>
                        <ol>{waiting}</ol>
                        <CampaignForm settings=campaign/>
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
        store.ledger.with(|l| {
            let chosen = me.get();
            l.people()
                .map(|p| view! { <option value=p.id.clone() selected=chosen.as_deref() == Some(p.id.as_str())>{t::person_label(p)}</option> })
                .collect_view()
        })
    };
    view! {
        <h1 class="page-title">{t::DASHBOARD}</h1>
        <div class="field me">
            <label for="me">{t::I_AM}</label>
            <select id="me" on:change=choose_me>
                <option value="">{t::NOBODY}</option>
                {people}
            </select>
        </div>
        {body}
        <ul class="card office-home">
            <li><a href="#/agenda">{t::AGENDA_HEADING}</a></li>
            <li><a href="#/people">{t::PEOPLE_HEADING}</a></li>
            <li><a href="#/print/districts">{t::PRINT_DISTRICTS}</a></li>
            <li><a href="#/print/city">{t::PRINT_CITY}</a></li>
            <li><a href="#/exchange">{t::EXCHANGE_HEADING}</a></li>
            <li><a href="#/new">{t::NAV_NEW}</a></li>
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
        let start = start.get_untracked().map(|i| i.value()).unwrap_or_default();
        let days = days.get_untracked().map(|i| i.value()).unwrap_or_default();
        let result = match (Date::parse(&start), days.trim().parse::<u16>()) {
            (None, _) => Err(crate::domain::validate::InputError::BadDate),
            (_, Err(_)) => Err(crate::domain::validate::InputError::CampaignTooLong),
            (Some(start), Ok(days)) => store.change(
                CAMPAIGN_SUBJECT,
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
            <p class="error" role="alert">{move || error.get()}</p>
            <button type="submit">{t::CAMPAIGN_SAVE}</button>
        </form>
    }
}

/// Every open blocker across projects, filterable, printable.
#[component]
pub fn BlockerList(filter: BlockerFilter) -> impl IntoView {
    let store = expect_context::<Store>();
    let filter = StoredValue::new(filter);
    let go = move |change: &dyn Fn(&mut BlockerFilter, String), value: String| {
        let mut f = filter.get_value();
        change(&mut f, value);
        navigate(&format!("/blockers?{}", f.to_query_string()));
    };
    let rows = move || {
        store.ledger.with(|l| {
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
                        <tr data-blocker=b.id.clone()>
                            <td class="name">{project_link(p)}</td>
                            <td>{t::district_name(p.district)}</td>
                            <td>{b.opened_as.description.clone()}</td>
                            <td>{b.opened_as.level.name()}</td>
                            <td>{b.opened_as.unit.clone()}</td>
                            <td>{b.opened_as.opened.to_string()}</td>
                            <td class="num">{b.age_days(day)}</td>
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
                        <th>{t::BLOCKER_UNIT}</th><th>{t::BLOCKER_OPENED}</th><th>{t::AGE_DAYS}</th><th>{t::STEWARD}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    let f = filter.get_value();
    let people = store.ledger.with_untracked(|l| {
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
                <h2>{t::OPEN_BLOCKERS_HEADING}</h2>
                <p class="stamp">{t::as_of(&today().to_string())}</p>
            </header>
            {rows}
        </section>
    }
}

/// The projects due at one dispatch meeting, with their open blockers.
#[component]
pub fn Agenda(query: AgendaQuery) -> impl IntoView {
    let store = expect_context::<Store>();
    let date = query.date.unwrap_or_else(today);
    let (level, district) = (query.level, query.district);
    let go = move |date: Date, level: DispatchLevel, district: Option<District>| {
        let d = district
            .map(|d| format!("&d={}", d.key()))
            .unwrap_or_default();
        navigate(&format!("/agenda?date={date}&lv={}{d}", level.key()));
    };
    let rows = move || {
        store.ledger.with(|l| {
            let rules = LightRules::default();
            let role = roles(l);
            let due = agenda(l, level, date, district, &rules);
            let n = due.len();
            let rows = due
                .into_iter()
                .map(|p| {
                    let last = p
                        .records
                        .iter()
                        .filter(|(_, r)| r.kind == RecordKind::Dispatch(level))
                        .map(|(_, r)| r.date)
                        .max();
                    let blockers = t::open_blockers(p, date);
                    view! {
                        <tr data-project=p.id.clone()>
                            <td>{light_dot(light(p, &role, date, &rules).0)}</td>
                            <td class="name">{project_link(p)}</td>
                            <td>{t::district_name(p.district)}</td>
                            <td>{p.stage.map_or(t::STAGE_EMPTY, |s| s.name())}</td>
                            <td>{last.map(|d| d.to_string()).unwrap_or_default()}</td>
                            <td>{blockers}</td>
                            <td>{l.steward_names(p).join("、")}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p data-testid="agenda-count">{t::agenda_count(n)}</p>
                <table class="print-table agenda" data-testid="agenda-table">
                    <thead><tr>
                        <th>{t::LIGHT_HEADING}</th><th>{t::FIELD_NAME}</th><th>{t::FIELD_DISTRICT}</th><th>{t::FIELD_STAGE}</th>
                        <th>{t::LAST_DISPATCH}</th><th>{t::BLOCKERS_HEADING}</th><th>{t::STEWARD}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    view! {
        <PrintBar title=t::AGENDA_HEADING query=None/>
        <form class="inline-form no-print">
            <div class="field"><label for="agenda-date">{t::MEETING_DATE}</label>
                <input id="agenda-date" type="date" value=date.to_string()
                    on:change=move |ev| { if let Some(d) = Date::parse(&event_target_value(&ev)) { go(d, level, district) } }/></div>
            <div class="field"><label for="agenda-level">{t::MEETING_LEVEL}</label>
                <select id="agenda-level" on:change=move |ev| go(date, DispatchLevel::from_key(&event_target_value(&ev)).unwrap_or(level), district)>
                    {DispatchLevel::ALL.iter().map(|x| view! { <option value=x.key() selected=*x == level>{x.name()}</option> }).collect_view()}
                </select></div>
            <div class="field"><label for="agenda-district">{t::FIELD_DISTRICT}</label>
                <select id="agenda-district" on:change=move |ev| go(date, level, District::from_key(&event_target_value(&ev)))>
                    {district_options(district)}
                </select></div>
        </form>
        <section class="sheet">
            <header class="sheet-head">
                <h2>{t::agenda_title(district.map(|d| d.name()), level.name())}</h2>
                <p class="stamp">{t::meeting_on(&date.to_string())}</p>
            </header>
            <p class="rule">{t::agenda_rule(level)}</p>
            {rows}
        </section>
    }
}

/// The traffic light's rules and where their numbers come from.
#[component]
pub fn Rules() -> impl IntoView {
    let r = LightRules::default();
    let c = CampaignSettings::default();
    view! {
        <h1 class="page-title">{t::RULES_HEADING}</h1>
        <section class="card rules">
            <h2><span class="light red"></span>{Light::Red.name()}</h2>
            <ul>
                <li>{t::rule_late(r.late_start_days)}</li>
                <li>{t::rule_blocker(r.district_blocker_days, r.city_blocker_days)}</li>
            </ul>
            <h2><span class="light yellow"></span>{Light::Yellow.name()}</h2>
            <ul>
                <li>{t::RULE_CADENCE}</li>
                <li>{t::rule_procedures(r.procedure_due_days)}</li>
            </ul>
            <h2><span class="light green"></span>{Light::Green.name()}</h2>
            <p>{t::RULE_GREEN}</p>
            <h2>{t::CAMPAIGN_HEADING}</h2>
            <p>{t::campaign_clock(c.start, c.days, i64::from(c.days), false)}</p>
            <p>{t::CAMPAIGN_NOTE}</p>
            <p class="hint">{t::RULES_SOURCE}</p>
        </section>
    }
}
