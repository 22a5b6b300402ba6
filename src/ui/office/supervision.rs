//! One blocker under supervision (督办): its printable 督办单, and the
//! office's actions on it: deadline, responsible unit and person, escalation
//! 区县 → 市级, progress notes, closing.

use super::links::project_link;
use super::print::PrintBar;
use crate::domain::fieldwork::{Blocker, BlockerLevel, Supervision};
use crate::domain::validate::{parse_date, InputError};
use crate::domain::{Change, Date, Project};
use crate::text as t;
use crate::ui::{today, Store};
use leptos::prelude::*;
use web_sys::{FormData, HtmlFormElement};

/// The blocker with this id and its project.
fn find<'a>(
    projects: impl Iterator<Item = &'a Project>,
    id: &str,
) -> Option<(&'a Project, &'a Blocker)> {
    projects
        .flat_map(|p| p.blockers.iter().map(move |b| (p, b)))
        .find(|(_, b)| b.id == id)
}

/// "hc-07-2": the project's id and the blocker's place among its blockers
/// in the order they were opened; what the 督办单 is numbered by.
pub(super) fn blocker_number(project: &Project, blocker: &Blocker) -> String {
    let place = project
        .blockers
        .iter()
        .position(|b| b.id == blocker.id)
        .unwrap_or(0)
        + 1;
    format!("{}-{place}", project.id)
}

/// The submitted form's fields by name; `None` for a second tap while the
/// form is held (`browser::hold`, released at once: a change is made now).
fn fields(ev: &leptos::ev::SubmitEvent) -> Option<(HtmlFormElement, impl Fn(&str) -> String)> {
    ev.prevent_default();
    crate::ui::browser::hold_target(ev)?.release();
    let form: HtmlFormElement = event_target(ev);
    let data = FormData::new_with_form(&form).ok();
    let field = move |name: &str| {
        data.as_ref()
            .and_then(|d| d.get(name).as_string())
            .unwrap_or_default()
    };
    Some((form, field))
}

#[component]
pub fn BlockerPage(id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let id = StoredValue::new(id);
    let found = Memo::new(move |_| {
        store
            .ledger()
            .with(|l| find(l.projects(), &id.get_value()).map(|(p, b)| (p.clone(), b.clone())))
    });
    move || {
        let Some((project, blocker)) = found.get() else {
            return view! { <p class="card">{t::NO_SUCH_BLOCKER}</p> }.into_any();
        };
        let scope = expect_context::<super::Scope>().0.get_untracked();
        view! {
            <PrintBar title=t::SUPERVISION_TITLE query=None/>
            {supervision_sheet(&project, &blocker, scope.map(|d| d.name()))}
            {blocker.is_open().then(|| view! { <SuperviseForm project=project.id.clone() blocker=blocker.clone()/> })}
            <ProgressForm project=project.id.clone() blocker=blocker.id.clone() open=blocker.is_open()/>
        }
        .into_any()
    }
}

/// The 督办单 on paper: number, issue date, issuing office, content,
/// responsible unit and person, deadline, progress so far, and a box for the
/// responsible unit's written feedback.
/// A 督办单 is a 公文: its dates are written 2024年4月15日.
const FORMAL: t::DateStyle = t::DateStyle::Formal;

fn formal(d: Date) -> String {
    FORMAL.write(d)
}

fn supervision_sheet(project: &Project, b: &Blocker, office: Option<&str>) -> impl IntoView {
    let day = today();
    let progress = b
        .progress
        .iter()
        .map(|(d, note)| view! { <li>{format!("{} {note}", formal(*d))}</li> })
        .collect_view();
    let status = match &b.resolved {
        Some((d, how)) => t::blocker_resolved(d, how, FORMAL),
        None => t::blocker_age(b.age_days(day)) + &t::deadline_now(b, day, FORMAL),
    };
    view! {
        <section class="sheet supervision" data-testid="supervision-sheet">
            <header class="sheet-head">
                <h2>{t::SUPERVISION_TITLE}</h2>
                <p class="stamp">{t::supervision_number(&blocker_number(project, b))}</p>
            </header>
            <table class="print-table form-table">
                <tbody>
                    <tr><th>{t::ISSUED_ON}</th><td>{formal(day)}</td><th>{t::ISSUED_BY}</th><td>{t::issuing_office(office, b.level())}</td></tr>
                    <tr><th>{t::FIELD_NAME}</th><td colspan="3">{project_link(project)} " · " {t::district_name(project.district)}</td></tr>
                    <tr><th>{t::BLOCKER_DESCRIPTION}</th><td colspan="3">{b.opened_as.description.clone()}</td></tr>
                    <tr><th>{t::BLOCKER_OPENED}</th><td>{formal(b.opened_as.opened)}</td><th>{t::BLOCKER_LEVEL}</th><td data-testid="supervision-level">{b.level().name()}</td></tr>
                    <tr><th>{t::RESPONSIBLE_UNIT}</th><td>{b.unit().to_owned()}</td><th>{t::RESPONSIBLE_PERSON}</th><td>{b.person().to_owned()}</td></tr>
                    <tr><th>{t::DUE_BY}</th><td data-testid="supervision-deadline">{b.deadline().map(formal).unwrap_or_default()}{t::missed_deadlines(b, FORMAL)}</td><th>{t::STATUS}</th><td>{status}</td></tr>
                    <tr><th>{t::PROGRESS}</th><td colspan="3"><ul class="plain" data-testid="progress">{progress}</ul></td></tr>
                    <tr class="feedback"><th>{t::FEEDBACK}</th><td colspan="3"></td></tr>
                </tbody>
            </table>
        </section>
    }
}

/// Deadline, responsible unit and person, level: one edit (escalation is
/// choosing 市级).
#[component]
fn SuperviseForm(project: String, blocker: Blocker) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let now = blocker.supervision_now();
    let (project, blocker_id) = (
        StoredValue::new(project),
        StoredValue::new(blocker.id.clone()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let Some((_, field)) = fields(&ev) else {
            return;
        };
        let result = parse_date(&field("deadline")).and_then(|deadline| {
            store.change(
                &project.get_value(),
                Change::Supervise {
                    blocker: blocker_id.get_value(),
                    supervision: Supervision {
                        level: BlockerLevel::from_key(&field("level"))
                            .unwrap_or(BlockerLevel::District),
                        unit: field("unit").trim().to_owned(),
                        person: field("person").trim().to_owned(),
                        deadline,
                    },
                },
            )
        });
        error.set(result.err().map(t::input_error));
    };
    view! {
        <section class="card no-print">
            <h2>{t::SUPERVISE}</h2>
            <form class="inline-form" on:submit=submit novalidate data-testid="supervise-form">
                <div class="field"><label for="sv-level">{t::BLOCKER_LEVEL}</label>
                    <select id="sv-level" name="level">
                        {BlockerLevel::ALL.iter().map(|l| view! { <option value=l.key() selected=*l == now.level>{l.name()}</option> }).collect_view()}
                    </select></div>
                <div class="field"><label for="sv-unit">{t::RESPONSIBLE_UNIT}</label>
                    <input id="sv-unit" name="unit" value=now.unit.clone()/></div>
                <div class="field"><label for="sv-person">{t::RESPONSIBLE_PERSON}</label>
                    <input id="sv-person" name="person" value=now.person.clone()/></div>
                <div class="field"><label for="sv-deadline">{t::DUE_BY}</label>
                    <input id="sv-deadline" name="deadline" type="date" value=now.deadline.map(|d| d.to_string()).unwrap_or_default()
                        data-empty=now.deadline.is_none().then_some("")/></div>
                <p class="error" role="alert" data-testid="supervise-error">{crate::ui::live(move || error.get())}</p>
                <button type="submit" class="primary">{t::SAVE_SUPERVISION}</button>
            </form>
        </section>
    }
}

/// A progress note, or the closing of the blocker.
#[component]
fn ProgressForm(project: String, blocker: String, open: bool) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(None::<String>);
    let (project, blocker) = (StoredValue::new(project), StoredValue::new(blocker));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let Some((form, field)) = fields(&ev) else {
            return;
        };
        let date = Date::parse(&field("date")).ok_or(InputError::BadDate);
        let note = field("note").trim().to_owned();
        let change = |date| match field("close").as_str() {
            "" => Change::BlockerProgress {
                blocker: blocker.get_value(),
                date,
                note: note.clone(),
            },
            _ => Change::ResolveBlocker {
                blocker: blocker.get_value(),
                resolved: date,
                how: note.clone(),
            },
        };
        let result = date.and_then(|d| store.change(&project.get_value(), change(d)));
        if result.is_ok() {
            form.reset();
        }
        error.set(result.err().map(t::input_error));
    };
    open.then(|| {
        view! {
            <section class="card no-print">
                <h2>{t::ADD_PROGRESS}</h2>
                <form class="inline-form" on:submit=submit novalidate data-testid="progress-form">
                    <div class="field"><label for="pg-date">{t::PROGRESS_DATE}</label>
                        <input id="pg-date" name="date" type="date" value=today().to_string()/></div>
                    <div class="field wide"><label for="pg-note">{t::PROGRESS}</label>
                        <textarea id="pg-note" name="note" rows="2"></textarea></div>
                    <label class="check"><input type="checkbox" name="close" value="1"/>{t::CLOSE_BLOCKER}</label>
                    <p class="error" role="alert" data-testid="progress-error">{crate::ui::live(move || error.get())}</p>
                    <button type="submit" class="primary">{t::SAVE_PROGRESS}</button>
                </form>
            </section>
        }
    })
}
