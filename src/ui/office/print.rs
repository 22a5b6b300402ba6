//! Print views: district summaries, the city summary with the district
//! ranking, and a steward's sheet. Each is a page of its own (own URL) with a
//! Print button; `style/print.css` lays it out on A4. Every number comes from
//! `domain::summary`, the same functions the screens use.

use crate::domain::filter::{self, Query};
use crate::domain::light::{light, roles, LightRules};
use crate::domain::quotas::QuotaRules;
use crate::domain::summary::{
    self, city_figures, district_sheets, missing_procedures, percent, ranking, slots, targets,
    CityFigures, DistrictSheet, Summary,
};
use crate::domain::Date;
use crate::domain::{Ledger, Procedure, Project, Stage};
use crate::text as t;
use crate::ui::collation::pinyin_initials;
use crate::ui::{light_dot, local_midnight_ms, navigate, today, OfficeRoute, Route, Store};
use leptos::prelude::*;

/// "2026-11-28 14:05", the moment the view was drawn.
/// When a print was made, as its heading states it (2024年4月15日 09:30).
fn as_of() -> String {
    t::formal_time(&crate::ui::format_time(js_sys::Date::now() as i64))
}

fn selected<'a>(ledger: &'a Ledger, query: &Query) -> Vec<&'a Project> {
    filter::select(
        ledger,
        query,
        query.changed_since.map(local_midnight_ms),
        today(),
        &pinyin_initials,
    )
}

fn print_page() {
    let _ = window().print();
}

/// The bar above every print view (never printed): what is printed, the Print
/// button, and the way back to the list's filter.
#[component]
pub fn PrintBar(title: &'static str, query: Option<Query>) -> impl IntoView {
    let filter_note = query.map(|q| {
        let href = Route::List(q.clone()).from_office();
        let note = if q.is_filtered() {
            t::PRINT_FILTERED
        } else {
            t::PRINT_ALL
        };
        view! { <p class="hint">{note} " " <a href=href>{t::PRINT_CHANGE_FILTER}</a></p> }
    });
    // The title stays a heading on paper too (screen readers read PDFs and
    // print previews), where each sheet's own heading shows instead.
    view! {
        <h1 class="page-title print-title">{title}</h1>
        <div class="print-bar no-print">
            {filter_note}
            <button type="button" class="primary" on:click=move |_| print_page()>{t::PRINT}</button>
        </div>
    }
}

fn names(people: &[&crate::domain::people::Person]) -> String {
    people
        .iter()
        .map(|p| p.details.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn missing_text(project: &Project) -> String {
    let missing: Vec<&str> = missing_procedures(project, today())
        .into_iter()
        .map(Procedure::name)
        .collect();
    if missing.is_empty() {
        t::NOTHING_MISSING.to_owned()
    } else {
        missing.join("、")
    }
}

/// Counts by stage and by procedure: two compact tables, one column a stage or procedure.
fn counts_tables(summary: &Summary) -> impl IntoView {
    let stage_names = Stage::ALL
        .iter()
        .map(|s| s.name())
        .chain([t::STAGE_EMPTY])
        .map(|name| view! { <th scope="col">{name}</th> })
        .collect_view();
    let stage_counts = summary
        .by_stage
        .iter()
        .map(|n| view! { <td class="num">{*n}</td> })
        .collect_view();
    let procedure_names = Procedure::ALL
        .iter()
        .map(|x| view! { <th scope="col">{x.name()}</th> })
        .collect_view();
    let done = summary
        .procedures_done
        .iter()
        .map(|n| view! { <td class="num">{*n}</td> })
        .collect_view();
    let not_done = summary
        .procedures_done
        .iter()
        .map(|n| view! { <td class="num">{summary.projects - n}</td> })
        .collect_view();
    view! {
        <table class="print-table counts" data-testid="stage-counts">
            <thead><tr><th scope="col">{t::FIELD_STAGE}</th>{stage_names}</tr></thead>
            <tbody><tr><th scope="row">{t::PROJECT_COUNT}</th>{stage_counts}</tr></tbody>
        </table>
        <table class="print-table counts" data-testid="procedure-counts">
            <thead><tr><th scope="col">{t::PROCEDURES}</th>{procedure_names}</tr></thead>
            <tbody>
                <tr><th scope="row">{t::DONE}</th>{done}</tr>
                <tr><th scope="row">{t::NOT_DONE}</th>{not_done}</tr>
            </tbody>
        </table>
    }
}

fn sheet_view(ledger: &Ledger, sheet: DistrictSheet, stamp: &str) -> impl IntoView {
    let name = t::district_name(sheet.district);
    let s = &sheet.summary;
    let headline = t::district_headline(
        s.projects,
        s.started,
        percent(
            s.procedures_done.iter().sum(),
            s.projects * Procedure::ALL.len(),
        ),
        s.uncovered,
        s.open_blockers,
    );
    let (role, day, rules) = (roles(ledger), today(), LightRules::default());
    let rows = sheet
        .projects
        .iter()
        .map(|p| {
            let slots = slots(ledger, p);
            let team = slots
                .service_team
                .iter()
                .map(|(person, responsible)| {
                    if *responsible {
                        format!("{}（{}）", person.details.name, t::RESPONSIBLE)
                    } else {
                        person.details.name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("、");
            let light = light(p, &role, day, &rules).0;
            let blockers = t::open_blockers(p, day);
            view! {
                <tr data-project=p.id.clone()>
                    <td class="name">{light_dot(light)}{light.name()} " " {p.name.clone()}</td>
                    <td>{p.owner.clone()}</td>
                    <td>{p.stage.map_or(t::STAGE_EMPTY, |s| s.name())}</td>
                    <td>{missing_text(p)}</td>
                    <td>{slots.city_leader.map(|c| c.details.name.clone()).unwrap_or_default()}</td>
                    <td>{names(&slots.district_leaders)}</td>
                    <td>{team}</td>
                    <td>{blockers}</td>
                </tr>
            }
        })
        .collect_view();
    let stewards = if sheet.stewards.is_empty() {
        view! { <p class="hint">{t::PRINT_NO_STEWARDS}</p> }.into_any()
    } else {
        let lines = sheet
            .stewards
            .iter()
            .map(|line| {
                view! {
                    <tr>
                        <td>{line.person.details.name.clone()}</td>
                        <td>{line.person.details.role.name()}</td>
                        <td class="num">{line.here}</td>
                        <td class="num">{line.total}</td>
                        <td>{t::quota_text(line.quota, line.person.details.role)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="print-table" data-testid="district-stewards">
                <thead><tr>
                    <th>{t::PERSON_NAME}</th><th>{t::PERSON_ROLE}</th><th>{t::PRINT_HERE}</th>
                    <th>{t::WORKLOAD_COUNT}</th><th>{t::QUOTA}</th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="sheet" data-district=sheet.district.map_or("none", |d| d.key())>
            <header class="sheet-head">
                <h2>{name} " · " {t::PRINT_DISTRICT_TITLE}</h2>
                <p class="stamp">{t::as_of(stamp)} " · " {t::fingerprint(&sheet.fingerprint)}</p>
            </header>
            <p data-testid="headline">{headline}</p>
            {counts_tables(s)}
            <h3>{t::PRINT_PROJECTS}</h3>
            <table class="print-table projects">
                // Widths by column, since the first row is the running head.
                <colgroup><col class="name"/><col/><col/><col class="missing"/><col/><col/><col/><col/></colgroup>
                // Repeated atop every printed page the table runs onto: which
                // district and when, for a stack of paper with no page numbers.
                <thead><tr class="running-head"><th colspan="8">{name} " · " {t::PRINT_DISTRICT_TITLE} " · " {t::as_of(stamp)}</th></tr><tr>
                    <th>{t::FIELD_NAME}</th><th>{t::FIELD_OWNER}</th><th>{t::FIELD_STAGE}</th><th>{t::PRINT_MISSING}</th>
                    <th>{t::CITY_LEADER_SLOT}</th><th>{t::DISTRICT_LEADERS_SLOT}</th><th>{t::SERVICE_TEAM_SLOT}</th>
                    <th>{t::OPEN_BLOCKERS}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <h3>{t::PRINT_STEWARDS}</h3>
            {stewards}
        </section>
    }
}

/// The article's city targets next to what the ledger holds (screen and paper).
pub fn targets_table(f: &CityFigures) -> impl IntoView {
    let rows = [
        (
            t::TARGET_700,
            targets::PROJECTS_OVER_50M_STARTED_OR_RESUMED.to_string(),
            t::holds_700(f.started_over_50m, f.investment_unknown),
        ),
        (
            t::TARGET_150,
            targets::CAMPAIGN_KEY_PROJECTS.to_string(),
            t::holds_150(f.key_listed, f.key_listed_started),
        ),
        (
            t::TARGET_188,
            targets::COMPLETED_AND_PRODUCING.to_string(),
            t::holds_188(f.producing),
        ),
        (
            t::TARGET_INVESTMENT,
            format!("{} 亿元", targets::FIXED_ASSET_INVESTMENT_YI),
            t::holds_investment(f.investment_wan, f.projects - f.investment_unknown),
        ),
    ]
    .into_iter()
    .map(|(what, target, holds)| {
        view! { <tr><th scope="row">{what}</th><td class="num">{target}</td><td>{holds}</td></tr> }
    })
    .collect_view();
    view! {
        <table class="print-table" data-testid="targets">
            <thead><tr><th>{t::TARGET}</th><th>{t::TARGET_NUMBER}</th><th>{t::LEDGER_HOLDS}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One district per page, for the projects the list's query selects.
#[component]
pub fn DistrictSummaries(query: Query) -> impl IntoView {
    let store = expect_context::<Store>();
    let stamp = as_of();
    let sheets = {
        let query = query.clone();
        move || {
            store.ledger().with(|l| {
                let projects = selected(l, &query);
                let sheets = district_sheets(l, &projects, &QuotaRules::default(), today());
                if sheets.is_empty() {
                    return view! { <p class="card">{t::PRINT_NOTHING}</p> }.into_any();
                }
                sheets
                    .into_iter()
                    .map(|sheet| sheet_view(l, sheet, &stamp))
                    .collect_view()
                    .into_any()
            })
        }
    };
    view! {
        <PrintBar title=t::PRINT_DISTRICTS query=Some(query)/>
        <div class="sheets">{sheets}</div>
    }
}

/// The ranking as of a date (`asof`, today when not given) and against an
/// earlier one (`vs`, by default the end of the quarter before), as the
/// city summary's URL carries them next to the list query.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RankingDates {
    pub as_of: Option<Date>,
    pub against: Option<Date>,
}

impl RankingDates {
    pub fn from_query_string(text: &str) -> RankingDates {
        let mut dates = RankingDates::default();
        for (key, value) in crate::domain::codec::params(text) {
            match key.as_str() {
                "asof" => dates.as_of = Date::parse(&value),
                "vs" => dates.against = Date::parse(&value),
                _ => {}
            }
        }
        dates
    }

    /// Appended to the list query's string.
    pub fn to_query_string(self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.as_of {
            parts.push(format!("asof={d}"));
        }
        if let Some(d) = self.against {
            parts.push(format!("vs={d}"));
        }
        parts.join("&")
    }
}

/// The ledger as the log stood at the end of `day` (the device's calendar).
fn ledger_at(registry: &[Project], edits: &[crate::domain::Edit], day: Date) -> Ledger {
    let next = Date::from_days_since_epoch(day.days_since_epoch() + 1);
    crate::domain::digest::as_of(registry.to_vec(), edits, local_midnight_ms(next))
}

/// The article's targets next to what the ledger holds, and the ranking, as
/// of a date and against an earlier one (both folded from the edit log).
#[component]
pub fn CitySummary(query: Query, dates: RankingDates) -> impl IntoView {
    let store = expect_context::<Store>();
    let stamp = as_of();
    let day = dates.as_of.unwrap_or_else(today);
    let against = dates
        .against
        .unwrap_or_else(|| summary::previous_quarter_end(day));
    let log =
        RwSignal::new(None::<Result<Vec<crate::domain::Edit>, crate::domain::stored::Problem>>);
    leptos::task::spawn_local(async move {
        let all = store.all_authored().await;
        log.set(Some(all.map(|a| a.into_iter().map(|(e, _)| e).collect())));
    });
    let go = move |dates: RankingDates| {
        navigate(&OfficeRoute::PrintCity(Query::default(), dates).to_hash());
    };
    let body = {
        let query = query.clone();
        move || {
            let loaded = log.get();
            let edits = match &loaded {
                Some(Ok(edits)) => Some(edits.as_slice()),
                Some(Err(problem)) => {
                    return view! { <p class="error" role="alert">{t::storage_problem(problem)}</p> }.into_any();
                }
                None => None,
            };
            // The live ledger for today; a past date waits for the log.
            let registry = store.ledger().with_untracked(|l| l.registry().to_vec());
            let then = edits.map(|e| ledger_at(&registry, e, against));
            let past = dates.as_of.filter(|d| *d != today());
            match (past, edits) {
                (Some(_), None) => view! { <p class="hint">{t::READING_LOG}</p> }.into_any(),
                (Some(d), Some(e)) => city_sheet(
                    &ledger_at(&registry, e, d),
                    &query,
                    d,
                    against,
                    then.as_ref(),
                    &stamp,
                )
                .into_any(),
                (None, _) => store
                    .ledger()
                    .with(|l| city_sheet(l, &query, today(), against, then.as_ref(), &stamp))
                    .into_any(),
            }
        }
    };
    view! {
        <PrintBar title=t::PRINT_CITY query=Some(query)/>
        <form class="inline-form no-print" data-testid="ranking-dates">
            <div class="field"><label for="ranking-asof">{t::RANKING_AS_OF}</label>
                <input id="ranking-asof" type="date" value=day.to_string()
                    on:change=move |ev| { if let Some(d) = Date::parse(&event_target_value(&ev)) { go(RankingDates { as_of: Some(d), against: dates.against }) } }/></div>
            <div class="field"><label for="ranking-vs">{t::RANKING_AGAINST}</label>
                <input id="ranking-vs" type="date" value=against.to_string()
                    on:change=move |ev| { if let Some(d) = Date::parse(&event_target_value(&ev)) { go(RankingDates { as_of: dates.as_of, against: Some(d) }) } }/></div>
        </form>
        <div class="sheets">{body}</div>
    }
}

/// "+2", "−1", "0": a change as printed.
fn signed(n: i64) -> String {
    match n {
        n if n > 0 => format!("+{n}"),
        n if n < 0 => format!("−{}", -n),
        _ => "0".to_owned(),
    }
}

fn city_sheet(
    l: &Ledger,
    query: &Query,
    day: Date,
    against: Date,
    then: Option<&Ledger>,
    stamp: &str,
) -> impl IntoView {
    let projects = selected(l, query);
    let f = city_figures(projects.iter().copied());
    let rules = LightRules::default();
    let rows = ranking(&projects, day, &rules);
    let earlier = then.map(|then| ranking(&selected(then, query), against, &rules));
    let moved = earlier.as_ref().map(|e| summary::movements(&rows, e));
    let standing = summary::places(&rows);
    let ranked = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let s = &row.summary;
            // Integers only: float formatting would cost the wasm 8 KB.
            let tenths = row.score.map(|x| (x * 10.0).round() as i64);
            let m = moved.as_ref().and_then(|m| m[i]);
            let (was, places, points) = match m {
                Some(m) => (
                    m.earlier_place.to_string(),
                    signed(m.places_up),
                    m.tenths_gained.map_or("—".to_owned(), |g| {
                        let sign = if g < 0 { "−" } else if g > 0 { "+" } else { "" };
                        format!("{sign}{}.{}", g.abs() / 10, g.abs() % 10)
                    }),
                ),
                None => ("…".to_owned(), String::new(), String::new()),
            };
            // Every number as text in one loop: one view type instead of one per column.
            let place = if summary::tied(&standing, i) {
                t::tied_place(standing[i])
            } else {
                standing[i].to_string()
            };
            let overdue = if row.recorded || s.projects == 0 {
                row.overdue_blockers.to_string()
            } else {
                t::RANKING_NO_RECORDS.to_owned()
            };
            let numbers = [
                place,
                s.projects.to_string(),
                format!("{}%", percent(s.started, s.projects)),
                format!("{}%", percent(s.procedures_done.iter().sum(), s.projects * Procedure::ALL.len())),
                format!("{}%", percent(s.projects - s.uncovered, s.projects)),
                overdue,
                tenths.map_or("—".to_owned(), |x| format!("{}.{}", x / 10, x % 10)),
                was,
                places,
                points,
            ];
            let tests = ["place", "", "", "", "", "overdue", "", "earlier-place", "places-up", "points-gained"];
            let cells = numbers
                .into_iter()
                .zip(tests)
                .map(|(text, test)| view! { <td class="num" data-testid=(!test.is_empty()).then_some(test)>{text}</td> })
                .collect::<Vec<_>>();
            let mut cells = cells.into_iter();
            let first = cells.next();
            view! {
                <tr data-district=row.district.key()>
                    {first}
                    <th scope="row">{row.district.name()}</th>
                    {cells.collect_view()}
                </tr>
            }
        })
        .collect_view();
    let left_out: Vec<&str> = summary::unranked(&projects)
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let left_out = (!left_out.is_empty())
        .then(|| view! { <p class="rule" data-testid="unranked">{t::unranked(&left_out)}</p> });
    let whole = Summary::of(projects.iter().copied(), day);
    view! {
        <section class="sheet">
            <header class="sheet-head">
                <h2>{t::city_title(&t::formal_date(day))}</h2>
                <p class="stamp">{t::as_of(stamp)} " · " {t::fingerprint(&summary::fingerprint(projects.iter().copied()))}</p>
            </header>
            <p class="hint" data-testid="ledger-scope">{t::ledger_scope(f.projects)}</p>
            <h3>{t::PRINT_TARGETS}</h3>
            {targets_table(&f)}
            {counts_tables(&whole)}
            <h3>{t::PRINT_RANKING}</h3>
            <p class="rule" data-testid="ranking-rule">{t::ranking_rule(&rules)}</p>
            <p class="rule" data-testid="ranking-comparison">{t::ranking_comparison(&t::formal_date(day), &t::formal_date(against))}</p>
            <table class="print-table ranking" data-testid="ranking">
                <thead><tr>
                    <th>{t::RANK}</th><th>{t::FIELD_DISTRICT}</th><th>{t::PROJECT_COUNT}</th><th>{t::STARTED_SHARE}</th>
                    <th>{t::PROCEDURES_SHARE}</th><th>{t::STEWARDED_SHARE}</th><th>{t::OVERDUE_BLOCKERS}</th><th>{t::SCORE}</th>
                    <th>{t::earlier_rank(&against.to_string())}</th><th>{t::PLACES_UP}</th><th>{t::POINTS_GAINED}</th>
                </tr></thead>
                <tbody>{ranked}</tbody>
            </table>
            {left_out}
            <h3>{t::PICTURES_HEADING}</h3>
            <div class="pictures">{super::pictures::district_pictures_view(l, &projects, day)}</div>
        </section>
    }
}

/// One person's projects on paper, for the field.
#[component]
pub fn StewardSheet(id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let stamp = as_of();
    let body = move || {
        store.ledger().with(|l| {
            let Some(person) = l.person(&id) else {
                return view! { <p class="card" role="alert">{t::PERSON_NOT_FOUND}</p> }.into_any();
            };
            let projects: Vec<&Project> = l.projects_of(&person.id).collect();
            let (role, date, rules) = (roles(l), today(), LightRules::default());
            let rows = projects
                .iter()
                .map(|p| {
                    let others: Vec<String> = p
                        .stewards
                        .iter()
                        .filter(|s| **s != person.id)
                        .filter_map(|s| l.person(s))
                        .map(|o| o.details.name.clone())
                        .collect();
                    view! {
                        <tr data-project=p.id.clone()>
                            <td class="name">{p.name.clone()}</td>
                            <td>{t::district_name(p.district)}</td>
                            <td>{p.stage.map_or(t::STAGE_EMPTY, |s| s.name())}</td>
                            {super::links::light_cell(p, &role, date, &rules)}
                            <td>{missing_text(p)}</td>
                            <td>{t::open_blockers(p, date)}</td>
                            <td>{others.join("、")}</td>
                            <td class="write-in"></td>
                        </tr>
                    }
                })
                .collect_view();
            let quota = QuotaRules::default().check(person.details.role, projects.len());
            view! {
                <section class="sheet">
                    <header class="sheet-head">
                        <h2>{person.details.name.clone()} " · " {t::PRINT_STEWARD_TITLE}</h2>
                        <p class="stamp">{t::as_of(&stamp)} " · " {t::fingerprint(&summary::fingerprint(projects.iter().copied()))}</p>
                    </header>
                    <p>{[t::person_label(person), person.details.unit.clone(), person.details.phone.clone()]
                        .into_iter()
                        .filter(|part| !part.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ")}</p>
                    <p data-testid="steward-quota">{t::gap_count(projects.len())} " · " {t::quota_text(quota, person.details.role)}</p>
                    <table class="print-table projects steward-sheet">
                        <thead><tr>
                            <th>{t::FIELD_NAME}</th><th>{t::FIELD_DISTRICT}</th><th>{t::FIELD_STAGE}</th><th>{t::LIGHT_HEADING}</th><th>{t::PRINT_MISSING}</th>
                            <th>{t::BLOCKERS_HEADING}</th><th>{t::PRINT_CO_STEWARDS}</th><th>{t::PRINT_FIELD_NOTES}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
            .into_any()
        })
    };
    view! {
        <PrintBar title=t::PRINT_STEWARD_TITLE query=None/>
        <div class="sheets">{body}</div>
    }
}
