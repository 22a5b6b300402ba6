//! The projects due at one dispatch meeting, with their lights, last dispatch
//! and open blockers; printable.

use super::links::{district_options, light_cell, project_link};
use super::print::PrintBar;
use crate::domain::agenda::{agenda, AgendaQuery};
use crate::domain::fieldwork::{DispatchLevel, Record, RecordKind};
use crate::domain::light::{roles, LightRules};
use crate::domain::Change;
use crate::domain::{Date, District};
use crate::text as t;
use crate::ui::{navigate, today, OfficeRoute, Store};
use leptos::prelude::*;

/// The projects due at one dispatch meeting, with their open blockers.
#[component]
pub fn Agenda(query: AgendaQuery) -> impl IntoView {
    let store = expect_context::<Store>();
    let date = query.date.unwrap_or_else(today);
    let (level, district) = (query.level, query.district);
    let go = move |date: Date, level: DispatchLevel, district: Option<District>| {
        navigate(
            &OfficeRoute::Agenda(AgendaQuery {
                date: Some(date),
                level,
                district,
            })
            .to_hash(),
        );
    };
    let rows = move || {
        store.ledger().with(|l| {
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
                            {light_cell(p, &role, date, &rules)}
                            <td class="name">{project_link(p)}</td>
                            <td>{t::district_name(p.district)}</td>
                            <td>{p.stage.map_or(t::STAGE_EMPTY, |s| s.name())}</td>
                            <td>{last.map(|d| d.to_string()).unwrap_or_default()}</td>
                            <td>{blockers}</td>
                            <td>{l.steward_names(p).join("、")}</td>
                            <td class="write-in"></td><td class="write-in"></td><td class="write-in"></td>
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
                        <th class="write-in">{t::AGREED_ACTION}</th><th class="write-in">{t::RESPONSIBLE_UNIT}</th><th class="write-in">{t::DUE_BY}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    // The meeting form lists the agenda as it was when the page opened: a
    // record added by the meeting itself must not take its item away.
    let items: Vec<(String, String)> = store.ledger().with_untracked(|l| {
        agenda(l, level, date, district, &LightRules::default())
            .into_iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect()
    });
    let meeting =
        (!items.is_empty()).then(|| view! { <MeetingForm query=query.clone() projects=items/> });
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
            <p class="no-print"><a href=OfficeRoute::Changes(AgendaQuery { date: None, level, district }).to_hash() data-testid="changes-link">{t::CHANGES_SINCE_LAST}</a></p>
            {rows}
        </section>
        {meeting}
    }
}

/// The form's field names for one agenda item.
fn item_fields(project: &str) -> [String; 3] {
    [
        format!("action-{project}"),
        format!("unit-{project}"),
        format!("due-{project}"),
    ]
}

/// The item's choice of the open blocker its 完成时限 also becomes the
/// deadline of, so the date is typed once.
fn blocker_field(project: &str) -> String {
    format!("blocker-{project}")
}

/// A project's open blockers: (id, description).
fn open_blockers(store: Store, project: &str) -> Vec<(String, String)> {
    store.ledger().with_untracked(|l| {
        l.project(project)
            .map(|p| {
                p.blockers
                    .iter()
                    .filter(|b| b.is_open())
                    .map(|b| (b.id.clone(), b.opened_as.description.clone()))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Records one dispatch meeting for every project on its agenda at once:
/// each item becomes that project's dispatch record, with the meeting's
/// chair and attendees and the item's 议定事项 / 责任单位 / 完成时限 in its notes
/// (plain text, so every version of the app shows it). What is typed is
/// kept on this device until it is recorded.
#[component]
pub(super) fn MeetingForm(query: AgendaQuery, projects: Vec<(String, String)>) -> impl IntoView {
    let store = expect_context::<Store>();
    let date = query.date.unwrap_or_else(today);
    let level = query.level;
    let key = format!("meeting.{}", query.to_query_string());
    let mut names = vec!["chair".to_owned(), "attendees".to_owned()];
    names.extend(
        projects
            .iter()
            .flat_map(|(id, _)| item_fields(id).into_iter().chain([blocker_field(id)])),
    );
    // Kept as a JSON object of field name → text, read as a `Value` (a
    // derived deserializer would cost the wasm more).
    let kept = crate::settings::draft(&key)
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .unwrap_or_default();
    // A choice kept in the draft (even "none") stands over the default.
    let drafted: Vec<String> = kept
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let value = move |name: &str| {
        kept.get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let (key, names) = (StoredValue::new(key), StoredValue::new(names));
    let ids = StoredValue::new(
        projects
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let read = |form: &web_sys::HtmlFormElement| {
        let data = web_sys::FormData::new_with_form(form).ok();
        move |name: &str| {
            data.as_ref()
                .and_then(|d| d.get(name).as_string())
                .unwrap_or_default()
                .trim()
                .to_owned()
        }
    };
    let keep = move |ev: leptos::ev::Event| {
        let form: web_sys::HtmlFormElement = event_target::<web_sys::Element>(&ev)
            .closest("form")
            .ok()
            .flatten()
            .map(wasm_bindgen::JsCast::unchecked_into)
            .expect("inside the form");
        let field = read(&form);
        let mut text = String::from("{");
        names.with_value(|names| {
            for (i, name) in names.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                crate::domain::log::wire::string(&mut text, name);
                text.push(':');
                crate::domain::log::wire::string(&mut text, &field(name));
            }
        });
        text.push('}');
        store.report(crate::settings::keep_draft(&key.get_value(), &text));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(held) = crate::ui::browser::hold_target(&ev) else {
            return;
        };
        held.release();
        let form: web_sys::HtmlFormElement = event_target(&ev);
        let field = read(&form);
        let (chair, attendees) = (field("chair"), field("attendees"));
        let mut changes = Vec::new();
        for id in ids.get_value() {
            let [action, unit, due] = item_fields(&id).map(|n| field(&n));
            if !due.is_empty() && Date::parse(&due).is_none() {
                error.set(Some(t::input_error(
                    crate::domain::validate::InputError::BadDate,
                )));
                return;
            }
            let notes = t::meeting_notes(&chair, &attendees, &action, &unit, &due);
            changes.push((
                id.clone(),
                Change::AddRecord(Record {
                    date,
                    kind: RecordKind::Dispatch(level),
                    who: None,
                    notes,
                }),
            ));
            // The 完成时限 becomes the chosen blocker's deadline: a 督办 edit,
            // so a deadline it moves past keeps its 曾超期.
            let blocker = field(&blocker_field(&id));
            if let (Some(deadline), false) = (Date::parse(&due), blocker.is_empty()) {
                let now = store.ledger().with_untracked(|l| {
                    l.project(&id)?
                        .blockers
                        .iter()
                        .find(|b| b.id == blocker)
                        .map(|b| b.supervision_now())
                });
                if let Some(mut supervision) = now.filter(|s| s.deadline != Some(deadline)) {
                    supervision.deadline = Some(deadline);
                    changes.push((
                        id,
                        Change::Supervise {
                            blocker,
                            supervision,
                        },
                    ));
                }
            }
        }
        let records = ids.with_value(Vec::len);
        match store.change_all(changes) {
            Ok(_) => {
                let n = records;
                crate::settings::drop_draft(&key.get_value());
                form.reset();
                error.set(None);
                done.set(Some(t::meeting_recorded(n, &date.to_string())));
            }
            Err(e) => error.set(Some(t::input_error(e))),
        }
    };
    let rows = projects
        .iter()
        .map(|(id, name)| {
            let [a, u, d] = item_fields(id);
            let (va, vu, vd) = (value(&a), value(&u), value(&d));
            let b = blocker_field(id);
            let open = open_blockers(store, id);
            // One open blocker is offered at once; with several, the person picks.
            let kept_choice = value(&b);
            let chosen = if kept_choice.is_empty() && open.len() == 1 && !drafted.contains(&b) {
                open[0].0.clone()
            } else {
                kept_choice
            };
            let choice = (!open.is_empty()).then(|| {
                let options = open
                    .into_iter()
                    .map(|(bid, description)| {
                        let selected = bid == chosen;
                        view! { <option value=bid selected=selected>{t::also_blocker_deadline(&description)}</option> }
                    })
                    .collect_view();
                view! {
                    <select name=b.clone() aria-label=format!("{name} {}", t::ALSO_BLOCKER_DEADLINE_LABEL)>
                        <option value="">{t::NOT_BLOCKER_DEADLINE}</option>
                        {options}
                    </select>
                }
            });
            view! {
                <tr data-project=id.clone()>
                    <th scope="row">{name.clone()}</th>
                    <td><input name=a.clone() aria-label=format!("{name} {}", t::AGREED_ACTION) value=va/></td>
                    <td><input name=u.clone() aria-label=format!("{name} {}", t::RESPONSIBLE_UNIT) value=vu/></td>
                    <td><input name=d.clone() type="date" aria-label=format!("{name} {}", t::DUE_BY) data-empty=vd.is_empty().then_some("") value=vd/>{choice}</td>
                </tr>
            }
        })
        .collect_view();
    let (chair, attendees) = (value("chair"), value("attendees"));
    view! {
        <section class="card no-print" data-testid="meeting">
            <h2>{t::RECORD_MEETING}</h2>
            <p class="hint">{t::meeting_hint(&date.to_string(), level.name())}</p>
            <form on:submit=submit on:input=keep novalidate>
                <div class="inline-form">
                    <div class="field"><label for="meeting-chair">{t::MEETING_CHAIR}</label>
                        <input id="meeting-chair" name="chair" value=chair/></div>
                    <div class="field wide"><label for="meeting-attendees">{t::MEETING_ATTENDEES}</label>
                        <input id="meeting-attendees" name="attendees" value=attendees/></div>
                </div>
                <div class="table-scroll">
                    <table class="meeting-items">
                        <thead><tr><th>{t::FIELD_NAME}</th><th>{t::AGREED_ACTION}</th><th>{t::RESPONSIBLE_UNIT}</th><th>{t::DUE_BY}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p class="error" role="alert" data-testid="meeting-error">{crate::ui::live(move || error.get())}</p>
                <p class="done" role="status" data-testid="meeting-done">{move || done.get()}</p>
                <button type="submit" class="primary">{t::RECORD_MEETING_SUBMIT}</button>
            </form>
        </section>
    }
}
