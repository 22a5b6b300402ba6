//! What a steward does on site: the traffic light with its reasons, campaign
//! membership, visit and dispatch records, blockers and their resolution.
//! Each action is one edit; a refused one shows its reason and changes nothing.

use super::{today, Store};
use crate::domain::validate::{parse_date, InputError};
use crate::domain::workflow::{
    light, roles, BlockerLevel, LightRules, NewBlocker, Record, RecordKind,
};
use crate::domain::{Change, Date, Project};
use crate::text as t;
use leptos::prelude::*;

fn required_date(text: &str) -> Result<Date, InputError> {
    parse_date(text)?.ok_or(InputError::BadDate)
}

/// The project's light and why.
#[component]
pub fn LightSection(project: Memo<Option<Project>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let state = Memo::new(move |_| {
        project.with(|p| {
            store.ledger.with(|l| {
                p.as_ref()
                    .map(|p| light(p, &roles(l), today(), &LightRules::default()))
            })
        })
    });
    move || {
        state.get().map(|(light, reasons)| {
            view! {
                <section class="card light-card" data-light=light.key()>
                    <h2><span class=format!("light {}", light.key())></span>{light.name()}</h2>
                    {if reasons.is_empty() {
                        view! { <p>{t::LIGHT_GREEN_NOTE}</p> }.into_any()
                    } else {
                        view! { <ul>{reasons.iter().map(|r| view! { <li>{t::light_reason(r)}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    <p class="hint"><a href="office/#/rules">{t::RULES_LINK}</a></p>
                </section>
            }
        })
    }
}

#[component]
pub fn FieldWork(id: StoredValue<String>, project: Memo<Option<Project>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let commit = move |change: Change| store.change(&id.get_value(), change);
    let in_campaign =
        move || project.with(|p| p.as_ref().is_some_and(crate::domain::workflow::in_campaign));
    view! {
        <section class="card">
            <label class="check">
                <input type="checkbox" id="campaign" prop:checked=in_campaign
                    on:change=move |ev| { let _ = commit(Change::Campaign(Some(event_target_checked(&ev)))); }/>
                {t::CAMPAIGN_MEMBER}
            </label>
        </section>
        <Records id=id project=project/>
        <Blockers id=id project=project/>
    }
}

/// Roster choices for "who": (id, label).
fn roster_options(store: Store) -> Vec<(String, String)> {
    store.ledger.with(|l| {
        l.people()
            .map(|p| (p.id.clone(), t::person_label(p)))
            .collect()
    })
}

#[component]
fn Records(id: StoredValue<String>, project: Memo<Option<Project>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let commit = move |change: Change| store.change(&id.get_value(), change);
    let date = RwSignal::new(today().to_string());
    let kind = RwSignal::new(RecordKind::Visit);
    let who = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = required_date(&date.get_untracked()).and_then(|d| {
            commit(Change::AddRecord(Record {
                date: d,
                kind: kind.get_untracked(),
                who: Some(who.get_untracked()).filter(|w| !w.is_empty()),
                notes: notes.get_untracked().trim().to_owned(),
            }))
        });
        match result {
            Ok(()) => {
                notes.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(t::input_error(e))),
        }
    };
    let list = move || {
        project.with(|p| {
            store.ledger.with(|l| {
                let Some(p) = p else { return Vec::new() };
                let mut records: Vec<_> = p.records.iter().collect();
                // Newest first; same day: the later entry first.
                records.sort_by(|a, b| b.1.date.cmp(&a.1.date));
                records
                    .into_iter()
                    .map(|(rid, r)| {
                        let who = r
                            .who
                            .as_deref()
                            .and_then(|w| l.person_name(w))
                            .unwrap_or_default()
                            .to_owned();
                        view! {
                            <li data-record=rid.clone()>
                                <strong>{r.date.to_string()} " " {r.kind.name()}</strong>
                                " " {who} <br/> {r.notes.clone()}
                            </li>
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="card" data-testid="records">
            <h2>{t::RECORDS_HEADING}</h2>
            <form class="inline-form" on:submit=submit novalidate>
                <div class="field"><label for="record-date">{t::RECORD_DATE}</label>
                    <input id="record-date" type="date" prop:value=date on:change=move |ev| date.set(event_target_value(&ev))/></div>
                <div class="field"><label for="record-kind">{t::RECORD_KIND}</label>
                    <select id="record-kind" on:change=move |ev| { if let Some(k) = RecordKind::from_key(&event_target_value(&ev)) { kind.set(k) } }>
                        {RecordKind::ALL.iter().map(|k| view! { <option value=k.key() prop:selected=move || kind.get() == *k>{k.name()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="record-who">{t::RECORD_WHO}</label>
                    <select id="record-who" on:change=move |ev| who.set(event_target_value(&ev))>
                        <option value="">{t::NOBODY}</option>
                        {move || roster_options(store).into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                    </select></div>
                <div class="field wide"><label for="record-notes">{t::RECORD_NOTES}</label>
                    <input id="record-notes" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))/></div>
                <p class="error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary">{t::ADD_RECORD}</button>
            </form>
            <Show when=move || project.with(|p| p.as_ref().is_some_and(|p| !p.records.is_empty())) fallback=|| view! { <p class="hint">{t::NO_RECORDS}</p> }>
                <ul class="log">{list}</ul>
            </Show>
        </section>
    }
}

#[component]
fn Blockers(id: StoredValue<String>, project: Memo<Option<Project>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let commit = move |change: Change| store.change(&id.get_value(), change);
    let description = RwSignal::new(String::new());
    let level = RwSignal::new(BlockerLevel::District);
    let unit = RwSignal::new(String::new());
    let opened = RwSignal::new(today().to_string());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = required_date(&opened.get_untracked()).and_then(|d| {
            commit(Change::OpenBlocker(NewBlocker {
                description: description.get_untracked().trim().to_owned(),
                level: level.get_untracked(),
                unit: unit.get_untracked().trim().to_owned(),
                opened: d,
            }))
        });
        match result {
            Ok(()) => {
                description.set(String::new());
                unit.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(t::input_error(e))),
        }
    };
    let list = move || {
        project.with(|p| {
            let Some(p) = p else { return Vec::new() };
            let mut blockers: Vec<_> = p.blockers.iter().collect();
            // Open ones first, oldest first.
            blockers.sort_by_key(|b| (!b.is_open(), b.opened_as.opened));
            let today = today();
            blockers
                .into_iter()
                .map(|b| {
                    let status = match &b.resolved {
                        None => t::blocker_age(b.age_days(today)),
                        Some((d, how)) => t::blocker_resolved(d, how),
                    };
                    view! {
                        <li data-blocker=b.id.clone() class:open=b.is_open()>
                            <strong>{b.opened_as.description.clone()}</strong>
                            <br/>
                            {format!("{} · {} · {} · ", b.opened_as.level.name(), b.opened_as.unit, b.opened_as.opened)}
                            <span class="age">{status}</span>
                            {b.is_open().then(|| view! { <Resolve id=id blocker=b.id.clone()/> })}
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" data-testid="blockers">
            <h2>{t::BLOCKERS_HEADING}</h2>
            <form class="inline-form" on:submit=submit novalidate>
                <div class="field wide"><label for="blocker-description">{t::BLOCKER_DESCRIPTION}</label>
                    <input id="blocker-description" prop:value=description on:input=move |ev| description.set(event_target_value(&ev))/></div>
                <div class="field"><label for="blocker-level">{t::BLOCKER_LEVEL}</label>
                    <select id="blocker-level" on:change=move |ev| { if let Some(l) = BlockerLevel::from_key(&event_target_value(&ev)) { level.set(l) } }>
                        {BlockerLevel::ALL.iter().map(|l| view! { <option value=l.key() prop:selected=move || level.get() == *l>{l.name()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="blocker-unit">{t::BLOCKER_UNIT}</label>
                    <input id="blocker-unit" prop:value=unit on:input=move |ev| unit.set(event_target_value(&ev))/></div>
                <div class="field"><label for="blocker-opened">{t::BLOCKER_OPENED}</label>
                    <input id="blocker-opened" type="date" prop:value=opened on:change=move |ev| opened.set(event_target_value(&ev))/></div>
                <p class="error" role="alert" data-testid="blocker-error">{move || error.get()}</p>
                <button type="submit" class="primary">{t::OPEN_BLOCKER}</button>
            </form>
            <Show when=move || project.with(|p| p.as_ref().is_some_and(|p| !p.blockers.is_empty())) fallback=|| view! { <p class="hint">{t::NO_BLOCKERS}</p> }>
                <ul class="log">{list}</ul>
            </Show>
        </section>
    }
}

#[component]
fn Resolve(id: StoredValue<String>, blocker: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let commit = move |change: Change| store.change(&id.get_value(), change);
    let open = RwSignal::new(false);
    let date = RwSignal::new(today().to_string());
    let how = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let blocker = StoredValue::new(blocker);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = required_date(&date.get_untracked()).and_then(|d| {
            commit(Change::ResolveBlocker {
                blocker: blocker.get_value(),
                resolved: d,
                how: how.get_untracked().trim().to_owned(),
            })
        });
        error.set(result.err().map(t::input_error));
    };
    let field_id = move |name: &str| format!("{name}-{}", blocker.get_value().replace(':', "-"));
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="resolve" on:click=move |_| open.set(true)>{t::RESOLVE}</button>
        }>
            <form class="inline-form" on:submit=confirm novalidate>
                <div class="field"><label for=field_id("resolved")>{t::RESOLVED_ON}</label>
                    <input id=field_id("resolved") type="date" prop:value=date on:change=move |ev| date.set(event_target_value(&ev))/></div>
                <div class="field wide"><label for=field_id("how")>{t::RESOLVED_HOW}</label>
                    <input id=field_id("how") prop:value=how on:input=move |ev| how.set(event_target_value(&ev))/></div>
                <p class="error" role="alert" data-testid="resolve-error">{move || error.get()}</p>
                <button type="submit" class="primary">{t::CONFIRM_RESOLVE}</button>
            </form>
        </Show>
    }
}
