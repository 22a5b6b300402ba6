//! Native micro-benchmark of the filter alone (not a test): how its cost grows
//! from 10,000 to 100,000 projects. Run: `cargo bench --bench filter`.

use project_ledger::domain::edit::{EditId, Subject};
use project_ledger::domain::filter::{matching, run, FacetIndex, Query, RecentMatches};
use project_ledger::domain::{Change, Date, District, Edit, Ledger, Procedure, Project, Stage};
use std::time::Instant;

/// The lights are computed for this day.
fn today() -> Date {
    Date::new(2024, 3, 1).unwrap()
}

fn generated(projects: usize) -> Ledger {
    let places = ["鞍山", "辽宁", "海城", "台安", "岫岩", "千山"];
    let trades = [
        "镁制品",
        "耐火材料",
        "新材料科技",
        "钢结构",
        "精细化工",
        "新能源科技",
    ];
    let mut edits = Vec::with_capacity(projects * 3);
    let mut at = 1_708_000_000_000i64;
    let mut next = |project: String, change: Change, edits: &mut Vec<Edit>| {
        at += 1000;
        edits.push(Edit {
            id: EditId::new("g", edits.len() as u64),
            device: "g".into(),
            subject: Subject::of(&project, &change),
            at,
            replaces: None,
            made_by: None,
            change,
        });
    };
    for n in 0..projects {
        let id = format!("u-gen-{n}");
        let name = format!(
            "{}{}有限公司年产{}万吨项目",
            places[n % 6],
            trades[(n / 6) % 6],
            n % 97
        );
        let district = District::ALL.get(n % 10).copied();
        next(id.clone(), Change::Create { name, district }, &mut edits);
        next(
            id.clone(),
            Change::Stage(Stage::ALL.get(n % 11).copied()),
            &mut edits,
        );
        let procedure = Procedure::ALL[n % 6];
        next(
            id,
            Change::Procedure {
                procedure,
                done: true,
                date: None,
            },
            &mut edits,
        );
    }
    Ledger::new(Vec::new(), edits)
}

fn time(label: &str, repeat: usize, mut f: impl FnMut() -> usize) {
    let mut samples: Vec<f64> = (0..repeat)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    println!(
        "  {label:<44} median {:>8.3} ms   p95 {:>8.3} ms",
        samples[repeat / 2],
        samples[repeat * 95 / 100]
    );
}

fn main() {
    for size in [10_000, 100_000] {
        let ledger = generated(size);
        let projects: Vec<&Project> = ledger.projects().collect();
        let index = FacetIndex::new(
            &projects,
            &|id| ledger.person(id),
            today(),
            ledger.version(),
        );
        let names = |a: usize, b: usize| projects[a].name.cmp(&projects[b].name);
        println!("{size} projects:");
        let query = |q: &str| Query::from_query_string(q);
        for (label, q) in [
            ("no filter (counts for every facet)", query("")),
            ("search 鞍山 镁", query("q=%E9%9E%8D%E5%B1%B1%20%E9%95%81")),
            ("district + stage", query("d=Haicheng&s=Started")),
            (
                "district + missing land, sorted by name",
                query("d=Haicheng,Taian&m=Land&sort=name"),
            ),
        ] {
            time(label, 30, || {
                run(&projects, &index, &q, None, &names).matching.len()
            });
            // What a keystroke waits for; the counts follow after the frame.
            time("  of which the sorted matches alone", 30, || {
                matching(&projects, &index, &q, None, &names).len()
            });
        }
        // What the list does per keystroke (`RecentMatches`): typing a second
        // character checks only the first one's matches; Backspace finds its
        // answer kept. Each sample starts from a fresh store holding `鞍`.
        let first = query("q=%E9%9E%8D");
        let second = query("q=%E9%9E%8D%E5%B1%B1");
        time("search 鞍山, scanning every project", 30, || {
            matching(&projects, &index, &second, None, &names).len()
        });
        for (label, backspace) in [
            ("typing 鞍 → 鞍山 (narrows 鞍's matches)", false),
            ("Backspace 鞍山 → 鞍 (answer kept)", true),
        ] {
            let mut samples: Vec<f64> = (0..30)
                .map(|_| {
                    let mut recent = RecentMatches::default();
                    recent.matching(&projects, &index, &first, None, &names);
                    if backspace {
                        recent.matching(&projects, &index, &second, None, &names);
                    }
                    let next = if backspace { &first } else { &second };
                    let start = Instant::now();
                    std::hint::black_box(recent.matching(&projects, &index, next, None, &names));
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            samples.sort_by(f64::total_cmp);
            println!(
                "  {label:<44} median {:>8.3} ms   p95 {:>8.3} ms",
                samples[15], samples[28]
            );
        }
        time(
            "building the facet index (once per ledger change)",
            10,
            || {
                FacetIndex::new(
                    &projects,
                    &|id| ledger.person(id),
                    today(),
                    ledger.version(),
                )
                .len()
            },
        );
    }
}
