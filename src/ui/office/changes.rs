//! What changed since a date (by default the last recorded meeting of the
//! chosen level), project by project, from the edit log: each field old →
//! new with who and when, new and resolved blockers, new visits and records.
//! On screen and on paper.

use super::links::{district_options, project_link};
use super::print::PrintBar;
use crate::domain::agenda::AgendaQuery;
use crate::domain::digest::{as_of, digest, FieldChange, ProjectDigest};
use crate::domain::edit::Authored;
use crate::domain::fieldwork::{DispatchLevel, RecordKind};
use crate::domain::{Change, Date, District, Edit, Ledger};
use crate::text as t;
use crate::ui::{format_time, local_midnight_ms, navigate, today, OfficeRoute, Store};
use leptos::prelude::*;

/// The newest meeting of `level` recorded for a project of `district` (or
/// any), on or before `day`.
pub(super) fn last_meeting(
    l: &Ledger,
    level: DispatchLevel,
    district: Option<District>,
    day: Date,
) -> Option<Date> {
    l.projects()
        .filter(|p| district.is_none() || p.district == district)
        .flat_map(|p| p.records.iter())
        .filter(|(_, r)| r.kind == RecordKind::Dispatch(level) && r.date <= day)
        .map(|(_, r)| r.date)
        .max()
}

/// "阶段：签约 → 开工", "填写阶段：签约", "删除了阶段（原为 签约）": a
/// field's change in the history's words.
fn old_to_new(f: &FieldChange, name_of: &dyn Fn(&str) -> String) -> String {
    let describe = |c: Option<&crate::domain::Change>| {
        c.map(|c| t::describe_change(c, name_of))
            .unwrap_or_default()
    };
    let (old, new) = (describe(f.old.as_ref()), describe(f.new.as_ref()));
    let (label, new_value) = new.split_once('：').unwrap_or(("", &new));
    let label = if label.is_empty() {
        old.split_once('：').map_or("", |(l, _)| l)
    } else {
        label
    };
    let old_value = old.split_once('：').map_or(old.as_str(), |(_, v)| v);
    match (f.old_empty, f.new_empty) {
        (true, false) => t::field_filled(label, new_value),
        (false, true) => t::field_deleted(label, old_value),
        _ => t::field_change(label, old_value, new_value),
    }
}

pub(super) fn digest_lines(
    d: &ProjectDigest,
    l: &Ledger,
    author: &dyn Fn(&Edit) -> String,
) -> Vec<String> {
    let name_of = |id: &str| l.person_name(id).unwrap_or(t::UNKNOWN_PERSON).to_owned();
    let mut lines: Vec<String> = Vec::new();
    if d.created {
        lines.push(t::project_created(
            &d.project.name,
            t::district_name(d.project.district),
        ));
    }
    lines.extend(d.fields.iter().map(|f| {
        let by =
            f.by.map(|e| t::by_whom(&author(e), &format_time(e.at)))
                .unwrap_or_default();
        old_to_new(f, &name_of) + &by
    }));
    lines.extend(
        d.stewards_added
            .iter()
            .map(|p| t::steward_added(&name_of(p))),
    );
    lines.extend(
        d.stewards_removed
            .iter()
            .map(|p| t::steward_removed(&name_of(p))),
    );
    lines.extend(
        d.new_blockers
            .iter()
            .map(|b| t::blocker_new(&b.opened_as.description, b.level().name())),
    );
    lines.extend(d.resolved_blockers.iter().map(|b| {
        let how = b.resolved.as_ref().map_or("", |(_, how)| how.as_str());
        t::blocker_closed(&b.opened_as.description, how)
    }));
    lines.extend(d.supervised.iter().map(|s| t::supervision_changed(s)));
    lines.extend(d.new_progress.iter().map(|(b, (date, note))| {
        t::progress_new(&b.opened_as.description, &date.to_string(), note)
    }));
    lines.extend(
        d.new_records
            .iter()
            .map(|r| t::record_new(r.kind.name(), &r.date.to_string(), &r.notes)),
    );
    lines
}

#[component]
pub fn Changes(query: AgendaQuery) -> impl IntoView {
    let store = expect_context::<Store>();
    let (level, district) = (query.level, query.district);
    let since = query.date.unwrap_or_else(|| {
        store
            .ledger()
            .with_untracked(|l| last_meeting(l, level, district, today()))
            .unwrap_or_else(|| {
                Date::from_days_since_epoch(today().days_since_epoch() - level.cadence_days())
            })
    });
    let log = RwSignal::new(None::<Result<Vec<Authored>, crate::domain::stored::Problem>>);
    leptos::task::spawn_local(async move { log.set(Some(store.all_authored().await)) });
    let go = move |since: Date, level: DispatchLevel, district: Option<District>| {
        navigate(
            &OfficeRoute::Changes(AgendaQuery {
                date: Some(since),
                level,
                district,
            })
            .to_hash(),
        );
    };
    let body = move || {
        let Some(result) = log.get() else {
            return view! { <p class="hint" data-testid="changes-loading">{t::READING_LOG}</p> }
                .into_any();
        };
        let authored = match result {
            Ok(all) => all,
            Err(problem) => {
                return view! { <p class="error" role="alert">{t::storage_problem(&problem)}</p> }
                    .into_any()
            }
        };
        let (edits, authors): (Vec<Edit>, Vec<Option<String>>) = authored.into_iter().unzip();
        // Since the meeting of that day, when one was recorded: its own
        // records are what the digest starts from, not news.
        let from = edits
            .iter()
            .filter(|e| matches!(&e.change, Change::AddRecord(r) if r.kind == RecordKind::Dispatch(level) && r.date == since))
            .map(|e| e.at + 1)
            .max()
            .unwrap_or(i64::MIN)
            .max(local_midnight_ms(since));
        let author = |e: &Edit| {
            edits
                .iter()
                .position(|x| x.id == e.id)
                .and_then(|i| t::attributed(e.attribution(authors[i].as_deref())))
                .unwrap_or_else(|| t::UNNAMED_AUTHOR.to_owned())
        };
        store.ledger().with(|l| {
            let before = as_of(l.registry().to_vec(), &edits, from);
            let changed: Vec<ProjectDigest> = digest(&before, l, &edits, from)
                .into_iter()
                .filter(|d| district.is_none() || d.project.district == district)
                .collect();
            let n = changed.len();
            let items = changed
                .iter()
                .map(|d| {
                    let lines = digest_lines(d, l, &author).into_iter().map(|line| view! { <li>{line}</li> }).collect_view();
                    view! {
                        <li class="digest-project" data-project=d.project.id.clone()>
                            <strong>{project_link(d.project)}</strong> " · " {t::district_name(d.project.district)}
                            <ul>{lines}</ul>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p data-testid="changes-count">{t::changed_projects(n)}</p>
                <ol class="digest" data-testid="changes">{items}</ol>
            }
            .into_any()
        })
    };
    view! {
        <PrintBar title=t::CHANGES_HEADING query=None/>
        <form class="inline-form no-print">
            <div class="field"><label for="changes-since">{t::CHANGES_SINCE}</label>
                <input id="changes-since" type="date" value=since.to_string()
                    on:change=move |ev| { if let Some(d) = Date::parse(&event_target_value(&ev)) { go(d, level, district) } }/></div>
            <div class="field"><label for="changes-level">{t::MEETING_LEVEL}</label>
                <select id="changes-level" on:change=move |ev| {
                    let level = DispatchLevel::from_key(&event_target_value(&ev)).unwrap_or(level);
                    navigate(&OfficeRoute::Changes(AgendaQuery { date: None, level, district }).to_hash());
                }>
                    {DispatchLevel::ALL.iter().map(|x| view! { <option value=x.key() selected=*x == level>{x.name()}</option> }).collect_view()}
                </select></div>
            <div class="field"><label for="changes-district">{t::FIELD_DISTRICT}</label>
                <select id="changes-district" on:change=move |ev| go(since, level, District::from_key(&event_target_value(&ev)))>
                    {district_options(district)}
                </select></div>
        </form>
        <section class="sheet">
            <header class="sheet-head">
                <h2>{t::changes_title(district.map(|d| d.name()), &since.to_string())}</h2>
                <p class="stamp">{t::as_of(&format_time(js_sys::Date::now() as i64))}</p>
            </header>
            <p class="rule">{t::changes_rule(level.name())}</p>
            {body}
        </section>
    }
}
