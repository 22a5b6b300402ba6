//! What a steward does on site: the traffic light with its reasons, campaign
//! membership, visit and dispatch records, blockers and their resolution.
//! Each action is one edit; a refused one shows its reason and changes nothing.

use super::browser::{hold, Held};
use super::{today, OfficeRoute, Store};
use crate::domain::fieldwork::{BlockerLevel, NewBlocker, Record, RecordKind};
use crate::domain::filter::sort_indices;
use crate::domain::light::{light, roles, LightRules};
use crate::domain::validate::{parse_date, InputError};
use crate::domain::{Change, Date, Project};
use crate::text as t;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{FormData, HtmlFormElement};

/// What is typed into a form, kept on this device until the form is
/// submitted or the draft discarded, and put back when the form shows again
/// (as the fields' values; their defaults stay what `reset` goes back to).
#[derive(Clone, Copy)]
struct Draft {
    key: StoredValue<String>,
    names: &'static [&'static str],
    values: StoredValue<Vec<String>>,
    kept: RwSignal<bool>,
}

impl Draft {
    fn read(key: String, names: &'static [&'static str]) -> Draft {
        let values: Vec<String> = crate::settings::draft(&key)
            .and_then(|text| match serde_json::from_str(&text) {
                Ok(serde_json::Value::Array(values)) => Some(
                    values
                        .iter()
                        .map(|v| v.as_str().unwrap_or_default().to_owned())
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default();
        Draft {
            key: StoredValue::new(key),
            names,
            kept: RwSignal::new(!values.is_empty()),
            values: StoredValue::new(values),
        }
    }

    /// The draft's value of field `n`, or `default`.
    fn value(self, n: usize, default: &str) -> String {
        self.values
            .with_value(|v| v.get(n).cloned())
            .unwrap_or_else(|| default.to_owned())
    }

    /// After each keystroke or choice: the form's values, kept.
    fn keep(self, ev: &leptos::ev::Event, store: Store) {
        let Some(form) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let data = FormData::new_with_form(&form).ok();
        let mut text = String::from("[");
        for (i, name) in self.names.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            let value = data
                .as_ref()
                .and_then(|d| d.get(name).as_string())
                .unwrap_or_default();
            crate::domain::log::wire::string(&mut text, &value);
        }
        text.push(']');
        let result = crate::settings::keep_draft(&self.key.get_value(), &text);
        self.kept.set(result.is_ok());
        store.report(result);
    }

    fn drop(self) {
        crate::settings::drop_draft(&self.key.get_value());
        self.kept.set(false);
    }

    /// "Draft kept" and a button that discards it and resets the form.
    fn notice(self) -> impl IntoView {
        move || {
            self.kept.get().then(|| {
                view! {
                    <p class="hint draft">{t::DRAFT_KEPT} " "
                        <button type="button" on:click=move |ev| {
                            let form = event_target::<web_sys::Element>(&ev).closest("form").ok().flatten();
                            if let Some(form) = form {
                                form.unchecked_ref::<HtmlFormElement>().reset();
                            }
                            self.drop();
                        }>{t::DISCARD_DRAFT}</button>
                    </p>
                }
            })
        }
    }
}

fn required_date(text: &str) -> Result<Date, InputError> {
    parse_date(text)?.ok_or(InputError::BadDate)
}

/// The project's light and why.
#[component]
pub fn LightSection(project: Memo<Option<Project>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let state = Memo::new(move |_| {
        project.with(|p| {
            store.ledger().with(|l| {
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
                    <p class="hint"><a href=OfficeRoute::field_link(OfficeRoute::RULES)>{t::RULES_LINK}</a></p>
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
        move || project.with(|p| p.as_ref().is_some_and(crate::domain::campaign::in_campaign));
    let error = RwSignal::new(None::<String>);
    let own = own_records(store, id);
    view! {
        <section class="card">
            <label class="check">
                <input type="checkbox" id="campaign" prop:checked=in_campaign
                    on:change=move |ev| error.set(commit(Change::Campaign(Some(event_target_checked(&ev)))).err().map(t::input_error))/>
                {t::CAMPAIGN_MEMBER}
            </label>
            <p class="error" role="alert">{super::live(move || error.get())}</p>
        </section>
        <Records id=id project=project own=own/>
        <Blockers id=id project=project own=own/>
    }
}

/// The ids of the project's records and blockers that the person using this
/// device made (`Edit::is_by`): the ones they may void. Read from history
/// after each change of the ledger.
fn own_records(store: Store, id: StoredValue<String>) -> RwSignal<Vec<String>> {
    let own = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        store.ledger().track();
        let subject = id.get_value();
        leptos::task::spawn_local(async move {
            let me = store.maker_now();
            let device = store.device();
            let mine: Vec<String> = store
                .history(&subject)
                .await
                .into_iter()
                .filter(|(e, _)| matches!(e.change, Change::AddRecord(_) | Change::OpenBlocker(_)))
                .filter(|(e, uploader)| e.is_by(&me, uploader.as_deref(), &device))
                .map(|(e, _)| e.id.to_string())
                .collect();
            own.try_set(mine);
        });
    });
    own
}

/// 作废: withdraws one's own record or blocker, with a reason, as an edit.
#[component]
fn Void(id: StoredValue<String>, record: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let suffix = record.replace(':', "-");
    let draft = Draft::read(format!("void.{}.{record}", id.get_value()), &["why"]);
    let record = StoredValue::new(record);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        let Some((form, field, held)) = submitted(&ev) else {
            return;
        };
        let result = store.change(
            &id.get_value(),
            Change::Void {
                record: record.get_value(),
                why: field("why").trim().to_owned(),
            },
        );
        settle(&form, result, error, draft, held);
    };
    view! {
        <details class="void" open=move || draft.kept.get()>
            <summary>{t::VOID}</summary>
            <form class="inline-form" on:submit=confirm on:input=move |ev| draft.keep(&ev, store) novalidate>
                <p class="hint">{t::VOID_HINT}</p>
                <div class="field wide"><label for=format!("void-{suffix}")>{t::VOID_WHY}</label>
                    <textarea id=format!("void-{suffix}") name="why" rows="2" prop:value=draft.value(0, "")></textarea></div>
                <p class="error" role="alert">{super::live(move || error.get())}</p>
                <button type="submit">{t::CONFIRM_VOID}</button>
                {draft.notice()}
            </form>
        </details>
    }
}

/// Roster choices for "who": (id, label).
fn roster_options(store: Store) -> Vec<(String, String)> {
    store.ledger().with(|l| {
        l.people()
            .map(|p| (p.id.clone(), t::person_label(p)))
            .collect()
    })
}

#[component]
fn Records(
    id: StoredValue<String>,
    project: Memo<Option<Project>>,
    own: RwSignal<Vec<String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let draft = Draft::read(
        format!("record.{}", id.get_value()),
        &["date", "kind", "who", "notes"],
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let Some((form, field, held)) = submitted(&ev) else {
            return;
        };
        let result = required_date(&field("date")).and_then(|date| {
            store.change(
                &id.get_value(),
                Change::AddRecord(Record {
                    date,
                    kind: RecordKind::from_key(&field("kind")).unwrap_or(RecordKind::Visit),
                    who: Some(field("who")).filter(|w| !w.is_empty()),
                    notes: field("notes").trim().to_owned(),
                }),
            )
        });
        settle(&form, result, error, draft, held);
    };
    let mine = move |rid: &String| own.with(|o| o.contains(rid));
    let list = move || {
        project.with(|p| {
            store.ledger().with(|l| {
                let Some(p) = p else { return Vec::new() };
                // Newest first; same day: the later entry first.
                let mut order: Vec<usize> = (0..p.records.len()).rev().collect();
                sort_indices(&mut order, &|a, b| {
                    p.records[b].1.date.cmp(&p.records[a].1.date)
                });
                order
                    .into_iter()
                    .map(|i| {
                        let (rid, r) = &p.records[i];
                        let who = r
                            .who
                            .as_deref()
                            .and_then(|w| l.person_name(w))
                            .unwrap_or_default()
                            .to_owned();
                        view! {
                            <li data-record=rid.clone()>
                                <strong>{format!("{} {} {who}", r.date, r.kind.name())}</strong>
                                <br/>{r.notes.clone()}
                                {mine(rid).then(|| view! { <Void id=id record=rid.clone()/> })}
                            </li>
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let today = today().to_string();
    let me = store
        .ledger()
        .with_untracked(|l| crate::ui::sync::me_or_signed_in(crate::settings::me(), l))
        .unwrap_or_default();
    view! {
        <section class="card" id="records" data-testid="records">
            <h2>{t::RECORDS_HEADING}</h2>
            <form class="inline-form" on:submit=submit on:input=move |ev| draft.keep(&ev, store) novalidate>
                <div class="field"><label for="record-date">{t::RECORD_DATE}</label>
                    <input id="record-date" name="date" type="date" value=today.clone() prop:value=draft.value(0, &today)/></div>
                <div class="field"><label for="record-kind">{t::RECORD_KIND}</label>
                    <select id="record-kind" name="kind">
                        {RecordKind::ALL.iter().map(|k| view! { <option value=k.key() prop:selected=draft.value(1, "") == k.key()>{k.name()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="record-who">{t::RECORD_WHO}</label>
                    <select id="record-who" name="who">
                        <option value="">{t::NOBODY}</option>
                        // 我是: a record is this person's unless the draft says otherwise.
                        {move || roster_options(store).into_iter().map(|(id, label)| view! { <option selected=draft.value(2, &me) == id value=id>{label}</option> }).collect_view()}
                    </select></div>
                <div class="field wide"><label for="record-notes">{t::RECORD_NOTES}</label>
                    <textarea id="record-notes" name="notes" rows="3" prop:value=draft.value(3, "")></textarea></div>
                <p class="error" role="alert">{super::live(move || error.get())}</p>
                <button type="submit" class="primary">{t::ADD_RECORD}</button>
                {draft.notice()}
            </form>
            <ul class="log">{list}</ul>
            <Show when=move || project.with(|p| p.as_ref().is_none_or(|p| p.records.is_empty()))>
                <p class="hint">{t::NO_RECORDS}</p>
            </Show>
        </section>
    }
}

#[component]
fn Blockers(
    id: StoredValue<String>,
    project: Memo<Option<Project>>,
    own: RwSignal<Vec<String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let draft = Draft::read(
        format!("blocker.{}", id.get_value()),
        &["description", "level", "unit", "opened", "deadline"],
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let Some((form, field, held)) = submitted(&ev) else {
            return;
        };
        let result = required_date(&field("opened")).and_then(|opened| {
            let deadline = parse_date(&field("deadline"))?;
            store.change(
                &id.get_value(),
                Change::OpenBlocker(NewBlocker {
                    description: field("description").trim().to_owned(),
                    level: BlockerLevel::from_key(&field("level"))
                        .unwrap_or(BlockerLevel::District),
                    unit: field("unit").trim().to_owned(),
                    opened,
                    deadline,
                }),
            )
        });
        settle(&form, result, error, draft, held);
    };
    let list = move || {
        project.with(|p| {
            let Some(p) = p else { return Vec::new() };
            // Open ones first, oldest first.
            let mut order: Vec<usize> = (0..p.blockers.len()).collect();
            let key = |i: usize| (!p.blockers[i].is_open(), p.blockers[i].opened_as.opened);
            sort_indices(&mut order, &|a, b| key(a).cmp(&key(b)));
            let today = today();
            order
                .into_iter()
                .map(|i| {
                    let b = &p.blockers[i];
                    // Red when past its deadline, or, with none, once a day has passed.
                    let late = match b.deadline() {
                        Some(_) => b.days_overdue(today) > 0,
                        None => b.is_open() && b.age_days(today) > 0,
                    };
                    let status = match &b.resolved {
                        None => t::blocker_age(b.age_days(today)) + &t::deadline_note(b, today),
                        Some((d, how)) => t::blocker_resolved(d, how, t::DateStyle::Iso),
                    };
                    view! {
                        <li data-blocker=b.id.clone() class:open=b.is_open()>
                            <strong>{b.opened_as.description.clone()}</strong>
                            <br/>
                            {format!("{} · {} · {} · ", b.level().name(), b.unit(), b.opened_as.opened)}
                            <span class:age=late>{status}</span>
                            {b.is_open().then(|| view! { <Resolve id=id blocker=b.id.clone()/> })}
                            {own.with(|o| o.contains(&b.id)).then(|| view! { <Void id=id record=b.id.clone()/> })}
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let today = today().to_string();
    view! {
        <section class="card" id="blockers" data-testid="blockers">
            <h2>{t::BLOCKERS_HEADING}</h2>
            <form class="inline-form" on:submit=submit on:input=move |ev| draft.keep(&ev, store) novalidate>
                <div class="field wide"><label for="blocker-description">{t::BLOCKER_DESCRIPTION}</label>
                    <textarea id="blocker-description" name="description" rows="2" prop:value=draft.value(0, "")></textarea></div>
                <div class="field"><label for="blocker-level">{t::BLOCKER_LEVEL}</label>
                    <select id="blocker-level" name="level">
                        <option value="district">{t::BLOCKER_DISTRICT}</option>
                        <option value="city" prop:selected=draft.value(1, "") == "city">{t::BLOCKER_CITY}</option>
                    </select></div>
                <div class="field"><label for="blocker-unit">{t::BLOCKER_UNIT}</label>
                    <input id="blocker-unit" name="unit" prop:value=draft.value(2, "")/></div>
                <div class="field"><label for="blocker-opened">{t::BLOCKER_OPENED}</label>
                    <input id="blocker-opened" name="opened" type="date" value=today.clone() prop:value=draft.value(3, &today)/></div>
                <div class="field"><label for="blocker-deadline">{t::BLOCKER_DEADLINE}</label>
                    <input id="blocker-deadline" name="deadline" type="date" prop:value=draft.value(4, "")
                        data-empty=draft.value(4, "").is_empty().then_some("")/></div>
                <p class="error" role="alert" data-testid="blocker-error">{super::live(move || error.get())}</p>
                <button type="submit" class="primary">{t::OPEN_BLOCKER}</button>
                {draft.notice()}
            </form>
            <ul class="log">{list}</ul>
            <Show when=move || project.with(|p| p.as_ref().is_none_or(|p| p.blockers.is_empty()))>
                <p class="hint">{t::NO_BLOCKERS}</p>
            </Show>
        </section>
    }
}

#[component]
fn Resolve(id: StoredValue<String>, blocker: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let suffix = blocker.replace(':', "-");
    let draft = Draft::read(
        format!("resolve.{}.{blocker}", id.get_value()),
        &["resolved", "how"],
    );
    let blocker = StoredValue::new(blocker);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        let Some((form, field, held)) = submitted(&ev) else {
            return;
        };
        let result = required_date(&field("resolved")).and_then(|resolved| {
            store.change(
                &id.get_value(),
                Change::ResolveBlocker {
                    blocker: blocker.get_value(),
                    resolved,
                    how: field("how").trim().to_owned(),
                },
            )
        });
        settle(&form, result, error, draft, held);
    };
    // A closed <details> costs nothing until the steward opens it.
    view! {
        <details class="resolve" open=move || draft.kept.get()>
            <summary>{t::RESOLVE}</summary>
            <form class="inline-form" on:submit=confirm on:input=move |ev| draft.keep(&ev, store) novalidate>
                <div class="field"><label for=format!("resolved-{suffix}")>{t::RESOLVED_ON}</label>
                    <input id=format!("resolved-{suffix}") name="resolved" type="date" value=today().to_string() prop:value=draft.value(0, &today().to_string())/></div>
                <div class="field wide"><label for=format!("how-{suffix}")>{t::RESOLVED_HOW}</label>
                    <textarea id=format!("how-{suffix}") name="how" rows="2" prop:value=draft.value(1, "")></textarea></div>
                <p class="error" role="alert" data-testid="resolve-error">{super::live(move || error.get())}</p>
                <button type="submit" class="primary">{t::CONFIRM_RESOLVE}</button>
                {draft.notice()}
            </form>
        </details>
    }
}

/// The submitted form, a reader of its fields by name, and the form held
/// (`browser::hold`); `None` for a second tap while it is held. Reading the
/// form once on submit keeps the inputs free of per-keystroke bindings.
fn submitted(
    ev: &leptos::ev::SubmitEvent,
) -> Option<(HtmlFormElement, impl Fn(&str) -> String, Held)> {
    ev.prevent_default();
    let form: HtmlFormElement = event_target(ev);
    let held = hold(&form)?;
    let data = FormData::new_with_form(&form).ok();
    let field = move |name: &str| {
        data.as_ref()
            .and_then(|d| d.get(name).as_string())
            .unwrap_or_default()
    };
    Some((form, field, held))
}

/// A stored change clears the form back to its defaults (and its draft); a
/// refused one keeps what was typed and says why.
fn settle(
    form: &HtmlFormElement,
    result: Result<(), InputError>,
    error: RwSignal<Option<String>>,
    draft: Draft,
    held: Held,
) {
    held.release();
    match result {
        Ok(()) => {
            form.reset();
            draft.drop();
            error.set(None);
        }
        Err(e) => error.set(Some(t::input_error(e))),
    }
}
