//! One project: view and edit stage, procedures, dates, investment, scale,
//! notes; the article's facts; the project's history.

use super::fields::{InputField, SelectField, TextAreaField};
use super::{format_time, navigate, Navigation, Route, Store};
use crate::domain::registry::SOURCE_ARTICLE;
use crate::domain::validate::{parse_date, parse_investment, InputError};
use crate::domain::{Change, Cluster, ClusterBy, Date, Origin, Procedure, Project, Stage};
use crate::text as t;
use leptos::prelude::*;

#[component]
pub fn ProjectPage(id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let id = StoredValue::new(id);
    let project = Memo::new(move |_| store.ledger().with(|l| l.project(&id.get_value()).cloned()));
    // Only existence decides which view to build, so an edit never rebuilds the form.
    let exists = Memo::new(move |_| project.with(Option::is_some));
    move || {
        if exists.get() {
            view! { <ProjectEditor id=id project=project/> }.into_any()
        } else {
            view! {
                <p><a href=Route::List(Default::default()).to_hash()>{t::BACK_TO_LIST}</a></p>
                <p class="card" role="alert">{t::NOT_FOUND}</p>
            }
            .into_any()
        }
    }
}

/// Said before anything is typed: the server would refuse this person's
/// edits of this project (another district's), as validate.js decides.
/// Edits made anyway stay on the device and are listed as refused.
#[component]
fn ReadOnlyNotice(id: StoredValue<String>) -> impl IntoView {
    let roles = crate::settings::sync_roles();
    let district = crate::domain::District::of_subject(&id.get_value());
    let refused = !roles.is_empty() && !crate::domain::sync::server::may_write(&roles, district);
    refused.then(|| {
        let own: Vec<&str> = crate::domain::sync::server::own_districts(&roles)
            .unwrap_or_default()
            .into_iter()
            .map(|d| d.name())
            .collect();
        view! {
            <p class="problem" role="note" data-testid="read-only">
                {t::read_only_project(t::district_name(district), &own.join("、"))}
            </p>
        }
    })
}

fn date_text(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

#[component]
fn ProjectEditor(id: StoredValue<String>, project: Memo<Option<Project>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let commit = move |change: Change| store.change(&id.get_value(), change);
    let read = move |f: fn(&Project) -> String| {
        Signal::derive(move || project.with(|p| p.as_ref().map(f).unwrap_or_default()))
    };
    let origin = project.with_untracked(|p| p.as_ref().map(|p| p.origin));
    let action_error = RwSignal::new(None::<String>);

    let stage_options: Vec<_> = Stage::ALL.iter().map(|s| (s.key(), s.name())).collect();
    let cluster_options: Vec<_> = Cluster::ALL.iter().map(|c| (c.key(), c.name())).collect();
    let cluster_hint = Signal::derive(move || {
        project.with(|p| match p.as_ref().and_then(|p| p.cluster_by) {
            Some(ClusterBy::Ledger) => t::CLUSTER_BY_LEDGER,
            Some(ClusterBy::User) => t::CLUSTER_BY_USER,
            None => "",
        })
    });
    let date_field = move |label: &'static str,
                           field_id: &'static str,
                           get: fn(&Project) -> Option<Date>,
                           make: fn(Option<Date>) -> Change| {
        view! {
            <InputField
                label=label.to_owned()
                field_id=field_id.to_owned()
                kind="date"
                value=Signal::derive(move || project.with(|p| date_text(p.as_ref().and_then(get))))
                on_commit=move |v| commit(make(parse_date(&v)?))
            />
        }
    };

    let navigation = expect_context::<Navigation>();
    let text_field = move |label: &'static str,
                           field_id: &'static str,
                           get: fn(&Project) -> String,
                           make: fn(String) -> Change| {
        view! {
            <InputField
                label=label.to_owned()
                field_id=field_id.to_owned()
                value=read(get)
                on_commit=move |v| commit(make(v.trim().to_owned()))
            />
        }
    };
    view! {
        <p><a href=move || Route::List(navigation.query.get()).to_hash()>{t::BACK_TO_LIST}</a></p>
        <h1 class="page-title" data-testid="project-name">{move || read(|p| p.name.clone()).get()}</h1>
        <p class="subtitle">
            {move || project.with(|p| p.as_ref().map(|p| t::district_name(p.district)))}
            {(origin == Some(Origin::UserAdded)).then(|| view! { " " <span class="badge">{t::USER_ADDED_BADGE}</span> })}
        </p>
        <ReadOnlyNotice id=id/>
        <p class="hint">{t::SAVED_AUTOMATICALLY}</p>
        <JumpLinks/>

        <section class="card">
            <SelectField
                label=t::FIELD_STAGE
                field_id="stage"
                options=stage_options
                value=read(|p| p.stage.map(|s| s.key().to_owned()).unwrap_or_default())
                on_commit=move |v| commit(Change::Stage(Stage::from_key(&v)))
            />
            <fieldset class="procedures" id="procedures">
                <legend>{t::PROCEDURES_HEADING}</legend>
                {Procedure::ALL.iter().copied().map(|procedure| view! { <ProcedureRow procedure project commit/> }).collect_view()}
            </fieldset>
        </section>

        <super::field_work::LightSection project=project/>
        <super::stewards::StewardsSection id=id project=project/>
        <super::field_work::FieldWork id=id project=project/>

        <section class="card two-columns">
            <h2>{t::DATES_HEADING}</h2>
            {date_field(t::FIELD_SIGNED_ON, "signed-on", |p| p.signed_on, Change::SignedOn)}
            {date_field(t::FIELD_PLANNED_START, "planned-start", |p| p.planned_start, Change::PlannedStart)}
            {date_field(t::FIELD_ACTUAL_START, "actual-start", |p| p.actual_start, Change::ActualStart)}
            <InputField
                label=t::FIELD_INVESTMENT.to_owned()
                field_id="investment".to_owned()
                inputmode="decimal"
                value=read(|p| p.investment_wan.map(t::format_wan).unwrap_or_default())
                on_commit=move |v| commit(Change::InvestmentWan(parse_investment(&v)?))
            />
        </section>

        <section class="card">
            <h2>{t::DETAILS_HEADING}</h2>
            {text_field(t::FIELD_NAME, "name", |p| p.name.clone(), Change::Name)}
            {text_field(t::FIELD_OWNER, "owner", |p| p.owner.clone(), Change::Owner)}
            {text_field(t::FIELD_SCALE, "scale", |p| p.scale.clone(), Change::Scale)}
            <SelectField
                label=t::FIELD_CLUSTER
                field_id="cluster"
                options=cluster_options
                value=read(|p| p.cluster.map(|c| c.key().to_owned()).unwrap_or_default())
                hint=cluster_hint
                on_commit=move |v| commit(Change::Cluster(Cluster::from_key(&v)))
            />
            <TextAreaField
                label=t::FIELD_NOTES
                field_id="notes"
                value=read(|p| p.notes.clone())
                on_commit=move |v| commit(Change::Notes(v))
            />
        </section>

        {move || project.with(|p| p.as_ref().filter(|p| p.origin == Origin::Registry).map(article_facts))}

        <History id=id/>

        <div class="actions">
            {match origin {
                Some(Origin::Registry) => view! {
                    <button type="button" on:click=move |_| {
                        if window().confirm_with_message(t::RESET_CONFIRM).unwrap_or(false) {
                            action_error.set(commit(Change::Reset).err().map(t::input_error));
                        }
                    }>{t::RESET}</button>
                }.into_any(),
                _ => view! {
                    <button type="button" class="danger" on:click=move |_| {
                        if window().confirm_with_message(t::REMOVE_CONFIRM).unwrap_or(false) {
                            match commit(Change::Remove) {
                                Ok(()) => navigate(&Route::List(Default::default()).to_hash()),
                                Err(e) => action_error.set(Some(t::input_error(e))),
                            }
                        }
                    }>{t::REMOVE}</button>
                }.into_any(),
            }}
            <p class="error" role="alert">{super::live(move || action_error.get())}</p>
        </div>
    }
}

#[component]
fn ProcedureRow(
    procedure: Procedure,
    project: Memo<Option<Project>>,
    commit: impl Fn(Change) -> Result<(), InputError> + Copy + 'static,
) -> impl IntoView {
    let state = move || {
        project.with(|p| {
            p.as_ref()
                .map(|p| p.procedure(procedure))
                .unwrap_or_default()
        })
    };
    let check_id = format!("proc-{}", procedure.key());
    let error = RwSignal::new(None::<String>);
    let date_label = format!("{} {}", procedure.name(), t::PROCEDURE_DATE);
    view! {
        <div class="procedure">
            <input
                type="checkbox"
                id=check_id.clone()
                prop:checked=move || state().done
                on:change=move |ev| {
                    let result = commit(Change::Procedure { procedure, done: event_target_checked(&ev), date: state().date });
                    error.set(result.err().map(t::input_error));
                }
            />
            <label for=check_id>{procedure.name()}</label>
            <InputField
                label=date_label
                field_id=format!("proc-{}-date", procedure.key())
                kind="date"
                value=Signal::derive(move || date_text(state().date))
                on_commit=move |v| {
                    let date = parse_date(&v)?;
                    // A completion date means the procedure is done.
                    commit(Change::Procedure { procedure, done: state().done || date.is_some(), date })
                }
            />
            <p class="error" role="alert">{super::live(move || error.get())}</p>
            // From a file or another device: marked done with a date to come.
            {move || state().done_ahead(super::today()).then(|| view! {
                <p class="problem" data-testid="done-ahead">{t::done_ahead(&date_text(state().date))}</p>
            })}
        </div>
    }
}

fn article_facts(p: &Project) -> impl IntoView {
    let area = |label: &'static str, value: Option<u32>| {
        value.map(|v| view! { <dt>{label}</dt> <dd>{v} " " {t::SQUARE_METRES}</dd> })
    };
    view! {
        <section class="card facts">
            <h2>{t::FACTS_HEADING}</h2>
            <dl>
                <dt>{t::FIELD_LIST}</dt>
                <dd>{p.list.clone()}</dd>
                {(!p.category.is_empty()).then(|| view! { <dt>{t::FIELD_CATEGORY}</dt> <dd>{p.category.clone()}</dd> })}
                {area(t::FIELD_SITE_AREA, p.site_area_m2)}
                {area(t::FIELD_FLOOR_AREA, p.floor_area_m2)}
            </dl>
            {(!p.facts.is_empty()).then(|| view! {
                <ul>{p.facts.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
            })}
            <p class="source">{t::source_line(&p.source, SOURCE_ARTICLE)}</p>
        </section>
    }
}

/// Newest edits first, read from storage when the page opens and after each
/// change of the ledger; long histories show the latest few until asked for
/// all, so an edit does not re-render thousands of rows.
#[component]
fn History(id: StoredValue<String>) -> impl IntoView {
    const SHOWN: usize = 20;
    let store = expect_context::<Store>();
    let show_all = RwSignal::new(false);
    let history = RwSignal::new(None::<Vec<crate::domain::edit::Authored>>);
    Effect::new(move |_| {
        store.ledger().track();
        // Read now: by the time the history is read, the page may be gone.
        let subject = id.get_value();
        leptos::task::spawn_local(async move {
            let edits = store.history(&subject).await;
            history.try_set(Some(edits));
        });
    });
    let total = move || history.with(|h| h.as_ref().map_or(0, Vec::len));
    let some_hidden = move || !show_all.get() && total() > SHOWN;
    view! {
        <section class="card">
            <h2>{t::HISTORY_HEADING}</h2>
            {move || {
                history.with(|h| {
                    let Some(history) = h.as_ref() else {
                        return view! { <p class="hint">{t::OPENING}</p> }.into_any();
                    };
                    if history.is_empty() {
                        return view! { <p class="hint">{t::HISTORY_EMPTY}</p> }.into_any();
                    }
                    let limit = if show_all.get() { usize::MAX } else { SHOWN };
                    store.ledger().with_untracked(|l| {
                        let describe = |c: &Change| t::describe_change(c, &|id| l.person_name(id).unwrap_or(t::UNKNOWN_PERSON).to_owned());
                        // A void names what it withdrew: the record's own line.
                        let voided = |c: &Change| match c {
                            Change::Void { record, .. } => history
                                .iter()
                                .find(|(e, _)| e.id.to_string() == *record)
                                .map(|(e, _)| format!(" ← {}", describe(&e.change))),
                            _ => None,
                        };
                        view! {
                            <ol class="history">
                                {history
                                    .iter()
                                    .take(limit)
                                    .map(|(e, person)| view! { <li><time>{format_time(e.at)}</time> " " {t::attributed(e.attribution(person.as_deref())).map(|p| p + " · ")} {describe(&e.change)} {voided(&e.change)}</li> })
                                    .collect_view()}
                            </ol>
                        }
                        .into_any()
                    })
                })
            }}
            <Show when=some_hidden>
                <button type="button" on:click=move |_| show_all.set(true)>{move || t::show_all_history(total())}</button>
            </Show>
        </section>
    }
}

/// A short row near the top to the parts a phone scrolls far for: the
/// visit and blocker forms are over a thousand pixels down the page.
#[component]
fn JumpLinks() -> impl IntoView {
    let jump = |target: &'static str| {
        move |_| {
            if let Some(section) = document().get_element_by_id(target) {
                section.scroll_into_view();
            }
        }
    };
    view! {
        <nav class="jump" aria-label=t::JUMP_LABEL>
            <button type="button" on:click=jump("records")>{t::JUMP_RECORD}</button>
            <button type="button" on:click=jump("blockers")>{t::JUMP_BLOCKER}</button>
            <button type="button" on:click=jump("procedures")>{t::JUMP_PROCEDURES}</button>
            <button type="button" on:click=jump("stewards")>{t::JUMP_STEWARDS}</button>
        </nav>
    }
}
