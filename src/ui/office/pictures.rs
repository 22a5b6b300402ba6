//! The pictures of the dashboard and the ranking print: lights and shares by
//! district, each a table and a bar chart drawn in SVG from the same numbers
//! (`Picture`), so the two cannot disagree. The chart is hidden from screen
//! readers: the table beside it says it all.

use crate::domain::agenda::light_counts;
use crate::domain::light::{roles, Light, LightRules};
use crate::domain::summary::{percent, Summary};
use crate::domain::{Date, District, Ledger, Procedure, Project};
use crate::text as t;
use leptos::prelude::*;

/// How a picture's rows are drawn.
#[derive(Clone, Copy, PartialEq)]
enum Chart {
    /// One bar a row, its series stacked, scaled to the largest row, with
    /// "红2 黄1 待0 绿7" at its end.
    Stack,
    /// One bar a series a row: a percentage of the full width, with the
    /// percentage at its end.
    Share,
}

impl Chart {
    fn key(self) -> &'static str {
        match self {
            Chart::Stack => "stack",
            Chart::Share => "share",
        }
    }
}

/// A series: its class (office.css tells them apart without colour too:
/// dark, light with a dashed edge, white with a solid edge) and its name.
type Series = (&'static str, &'static str);

/// One picture: a caption, its series, and a row of numbers a district.
struct Picture {
    caption: &'static str,
    chart: Chart,
    series: Vec<Series>,
    rows: Vec<(&'static str, Vec<usize>)>,
}

/// The chart's units: row names, then bars of at most `SPAN`, then their numbers.
const WIDTH: usize = 392;
const LABELS: usize = 84;
const SPAN: usize = 190;
const BAR: usize = 12;
const PITCH: usize = 16;
const KEY: usize = 24;
/// Room for one character of a key's name.
const CHARACTER: usize = 11;

/// Lights by district and started / procedures-done shares by district,
/// districts in the article's order, then the projects with none stated;
/// a district with no project among `projects` is left out.
fn district_pictures(l: &Ledger, projects: &[&Project], day: Date) -> [Picture; 2] {
    let (role, rules) = (roles(l), LightRules::default());
    let (mut lights, mut shares) = (Vec::new(), Vec::new());
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
        let counts = light_counts(mine.iter().copied(), &role, day, &rules);
        lights.push((name, counts.to_vec()));
        let s = Summary::of(mine, day);
        let done = s.procedures_done.iter().sum();
        shares.push((
            name,
            vec![
                percent(s.started, s.projects),
                percent(done, s.projects * Procedure::ALL.len()),
            ],
        ));
    }
    [
        Picture {
            caption: t::LIGHTS_BY_DISTRICT,
            chart: Chart::Stack,
            series: Light::ALL.map(|x| (x.key(), x.name())).to_vec(),
            rows: lights,
        },
        Picture {
            caption: t::SHARES_BY_DISTRICT,
            chart: Chart::Share,
            series: vec![
                ("started", t::STARTED_SHARE),
                ("procedures", t::PROCEDURES_SHARE),
            ],
            rows: shares,
        },
    ]
}

/// Both pictures of `projects`, as of `day`.
pub(super) fn district_pictures_view(l: &Ledger, projects: &[&Project], day: Date) -> AnyView {
    district_pictures(l, projects, day)
        .into_iter()
        .map(picture)
        .collect_view()
        .into_any()
}

fn picture(p: Picture) -> impl IntoView {
    let unit = if p.chart == Chart::Share { "%" } else { "" };
    let head = p
        .series
        .iter()
        .map(|&(key, name)| view! { <th scope="col" data-series=key>{name}</th> })
        .collect_view();
    let body = p
        .rows
        .iter()
        .map(|(name, numbers)| {
            let cells = numbers
                .iter()
                .map(|n| view! { <td class="num">{format!("{n}{unit}")}</td> })
                .collect_view();
            view! { <tr><th scope="row">{*name}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="picture">
            <figcaption>{p.caption}</figcaption>
            {chart(&p)}
            <table class="print-table" data-chart=p.chart.key()>
                <thead><tr><th scope="col">{t::FIELD_DISTRICT}</th>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </figure>
    }
}

/// A text of the chart, its baseline level with a bar at `y`.
fn label(x: usize, y: usize, text: String) -> impl IntoView {
    view! { <text x=x y={y + BAR - 2}>{text}</text> }
}

fn bar(x: usize, y: usize, width: usize, series: &'static str) -> impl IntoView {
    view! { <rect x=x y=y width=width height=BAR class=series></rect> }
}

fn chart(p: &Picture) -> impl IntoView {
    let share = p.chart == Chart::Share;
    let mut shapes: Vec<AnyView> = Vec::new();
    // The key: each name after its swatch, the next one after the name.
    let mut x = LABELS;
    for &(series, name) in &p.series {
        shapes.push(bar(x, 4, BAR, series).into_any());
        shapes.push(label(x + BAR + 4, 4, name.to_owned()).into_any());
        x += BAR + 4 + name.chars().count() * CHARACTER + 12;
    }
    let most = p
        .rows
        .iter()
        .map(|(_, values)| values.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = if share { 100 } else { most };
    let mut y = KEY;
    for (name, values) in &p.rows {
        shapes.push(label(0, y, (*name).to_owned()).into_any());
        let mut x = LABELS;
        for (value, &(series, _)) in values.iter().zip(&p.series) {
            // To the nearest unit, a half up.
            let width = (value * SPAN * 2 + scale) / (scale * 2);
            if width > 0 {
                shapes.push(bar(x, y, width, series).into_any());
            }
            if share {
                shapes.push(label(x + width + 4, y, format!("{value}%")).into_any());
                y += PITCH;
            } else {
                x += width;
            }
        }
        if !share {
            let words = values
                .iter()
                .zip(&p.series)
                .map(|(value, (_, name))| format!("{}{value}", name.chars().next().unwrap_or(' ')))
                .collect::<Vec<_>>()
                .join(" ");
            shapes.push(label(x + 4, y, words).into_any());
            y += PITCH;
        }
        y += 6;
    }
    let rows_height = p.rows.len() * ((if share { p.series.len() } else { 1 }) * PITCH + 6);
    let view_box = format!("0 0 {WIDTH} {}", KEY + rows_height);
    view! { <svg class="chart" viewBox=view_box aria-hidden="true">{shapes}</svg> }
}
