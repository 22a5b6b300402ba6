//! The projects due at one dispatch meeting, with their lights, last dispatch
//! and open blockers; printable.

use super::links::{district_options, light_cell, project_link};
use super::print::PrintBar;
use crate::domain::agenda::{agenda, AgendaQuery};
use crate::domain::fieldwork::{DispatchLevel, RecordKind};
use crate::domain::light::{roles, LightRules};
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
