//! The pictures of the dashboard and the ranking print: lights and shares by
//! district, as two tables that `src/charts.js` draws a bar chart beside,
//! from the tables' own numbers. Markup, not Leptos views: every text in it
//! is this app's (district names, headers, numbers), none a person's, and a
//! view per cell would cost the office wasm several times more.

use crate::domain::agenda::light_counts;
use crate::domain::light::{roles, Light, LightRules};
use crate::domain::summary::{percent, Summary};
use crate::domain::{Date, District, Ledger, Procedure, Project};
use crate::text as t;
use std::fmt::Write;

/// A table for `charts.js`: its caption, its kind of chart, its header
/// (the district's column, then its series as `(series, name)`) and rows.
fn table(caption: &str, chart: &str, series: &[(&str, &str)], rows: &str) -> String {
    let mut head = format!(r#"<th scope="col">{}</th>"#, t::FIELD_DISTRICT);
    for (key, name) in series {
        let _ = write!(head, r#"<th scope="col" data-series="{key}">{name}</th>"#);
    }
    format!(
        r#"<figure class="picture"><figcaption>{caption}</figcaption><table class="print-table" data-chart="{chart}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></figure>"#
    )
}

/// One row: the district, then its numbers, each with `unit` after it.
fn row(out: &mut String, name: &str, numbers: &[usize], unit: &str) {
    let _ = write!(out, r#"<tr><th scope="row">{name}</th>"#);
    for n in numbers {
        let _ = write!(out, r#"<td class="num">{n}{unit}</td>"#);
    }
    out.push_str("</tr>");
}

/// Lights by district and started / procedures-done shares by district,
/// districts in the article's order, then the projects with none stated;
/// a district with no project among `projects` is left out.
pub(super) fn district_pictures(l: &Ledger, projects: &[&Project], day: Date) -> String {
    let (role, rules) = (roles(l), LightRules::default());
    let (mut lights, mut shares) = (String::new(), String::new());
    let districts = District::ALL.iter().copied().map(Some).chain([None]);
    for district in districts {
        let mine: Vec<&Project> = projects
            .iter()
            .copied()
            .filter(|p| p.district == district)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let name = district.map_or(t::DISTRICT_NOT_STATED, District::name);
        row(
            &mut lights,
            name,
            &light_counts(mine.iter().copied(), &role, day, &rules),
            "",
        );
        let s = Summary::of(mine, day);
        let done = s.procedures_done.iter().sum();
        let started = [
            percent(s.started, s.projects),
            percent(done, s.projects * Procedure::ALL.len()),
        ];
        row(&mut shares, name, &started, "%");
    }
    let light_series = Light::ALL.map(|x| (x.key(), x.name()));
    table(t::LIGHTS_BY_DISTRICT, "stack", &light_series, &lights)
        + &table(
            t::SHARES_BY_DISTRICT,
            "share",
            &[
                ("started", t::STARTED_SHARE),
                ("procedures", t::PROCEDURES_SHARE),
            ],
            &shares,
        )
}
