use project_ledger::domain::filter::{run, Facet, FacetIndex, Query, SortKey, NONE_KEY};
mod common;

use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Change, Date, District, Ledger, Procedure, Project, Stage};
use std::collections::BTreeSet;

/// The lights are computed for this day.
fn today() -> Date {
    Date::new(2024, 3, 1).unwrap()
}

fn fixture() -> Ledger {
    let mut edits = Vec::new();
    let mut add = |project: &str, change: Change| {
        let n = edits.len() as i64 + 1;
        edits.push(common::legacy_edit(
            &format!("f:{n}"),
            "d",
            project,
            n * 86_400_000,
            change,
        ));
    };
    add("hc-01", Change::Stage(Some(Stage::Started)));
    add("hc-02", Change::Stage(Some(Stage::Signed)));
    add("ta-01", Change::Stage(Some(Stage::Started)));
    add(
        "ta-01",
        Change::Procedure {
            procedure: Procedure::Land,
            done: true,
            date: None,
        },
    );
    add("hc-02", Change::Notes("Steel beam 钢梁 delivery".into()));
    add(
        "u-1",
        Change::Create {
            name: "用户新增的镁质项目".into(),
            district: Some(District::Taian),
        },
    );
    add("ta-02", Change::InvestmentWan(Some(500.0)));
    add("ta-03", Change::InvestmentWan(Some(9000.0)));
    Ledger::new(shipped(), edits)
}

fn query(ledger: &Ledger, q: &Query) -> (Vec<String>, project_ledger::domain::filter::Results) {
    let projects: Vec<&Project> = ledger.projects().collect();
    let index = index_for(ledger, &projects);
    let since = q.changed_since.map(|d| d.days_since_epoch() * 86_400_000);
    let results = run(&projects, &index, q, since, &|a, b| {
        projects[a].name.cmp(&projects[b].name)
    });
    (
        results
            .matching
            .iter()
            .map(|&i| projects[i].id.clone())
            .collect(),
        results,
    )
}

fn index_for(ledger: &Ledger, projects: &[&Project]) -> FacetIndex {
    FacetIndex::new(projects, &|id| ledger.person(id), today(), ledger.version())
}

fn select(pairs: &[(Facet, &str)]) -> Query {
    pairs
        .iter()
        .fold(Query::default(), |q, (f, v)| q.toggled(*f, v))
}

#[test]
fn no_filter_matches_everything_in_registry_order() {
    let ledger = fixture();
    let (ids, _) = query(&ledger, &Query::default());
    assert_eq!(ids.len(), 52);
    assert_eq!(ids[0], "hc-01");
}

#[test]
fn facets_and_across_or_within() {
    let ledger = fixture();
    let q = select(&[(Facet::District, "Haicheng"), (Facet::Stage, "Started")]);
    assert_eq!(query(&ledger, &q).0, vec!["hc-01", "hc-07"]);
    let q = select(&[
        (Facet::District, "Haicheng"),
        (Facet::District, "Taian"),
        (Facet::Stage, "Started"),
    ]);
    assert_eq!(query(&ledger, &q).0, vec!["hc-01", "hc-07", "ta-01"]);
    let q = select(&[(Facet::Stage, NONE_KEY), (Facet::District, "Taian")]);
    assert_eq!(query(&ledger, &q).0, vec!["ta-02", "ta-03", "ta-04", "u-1"]);
}

#[test]
fn missing_procedure_facet_finds_projects_without_land() {
    let ledger = fixture();
    let q = select(&[(Facet::District, "Taian"), (Facet::Missing, "Land")]);
    assert_eq!(
        query(&ledger, &q).0,
        vec!["ta-02", "ta-03", "ta-04", "u-1"],
        "ta-01 has land"
    );
    let q = select(&[(Facet::Missing, "Approval")]);
    assert!(
        !query(&ledger, &q).0.contains(&"hc-07".to_owned()),
        "海城华宇 has 立项"
    );
}

#[test]
fn origin_and_list_facets() {
    let ledger = fixture();
    assert_eq!(
        query(&ledger, &select(&[(Facet::Origin, "user")])).0,
        vec!["u-1"]
    );
    let q = select(&[(Facet::List, "确保竣工投产的188个项目之一")]);
    assert_eq!(query(&ledger, &q).0, vec!["wz-03", "wz-04", "wz-05"]);
}

#[test]
fn counts_ignore_their_own_facet_but_respect_the_others() {
    let ledger = fixture();
    let q = select(&[(Facet::District, "Haicheng"), (Facet::Stage, "Started")]);
    let (_, results) = query(&ledger, &q);
    let districts = &results.counts[&Facet::District];
    assert_eq!(
        districts.get("Haicheng"),
        Some(&2),
        "hc-01 and hc-07 are started"
    );
    assert_eq!(
        districts.get("Taian"),
        Some(&1),
        "ta-01 would match if chosen"
    );
    assert_eq!(
        districts.get("Tiexi"),
        None,
        "no started project in 铁西区: zero, shown greyed"
    );
    let stages = &results.counts[&Facet::Stage];
    assert_eq!(stages.get("Signed"), Some(&1), "within 海城市");
    assert_eq!(stages.get(NONE_KEY), Some(&7));
}

#[test]
fn every_pair_of_facets_agrees_with_a_brute_force_filter() {
    let ledger = fixture();
    let projects: Vec<&Project> = ledger.projects().collect();
    let mut values: Vec<(Facet, String)> = Vec::new();
    for facet in Facet::ALL {
        let mut seen = BTreeSet::new();
        for p in &projects {
            facet.values(p, &|id| ledger.person(id), today(), |v| {
                seen.insert(v.to_owned());
            });
        }
        values.extend(seen.into_iter().map(|v| (facet, v)));
    }
    for (fa, va) in &values {
        for (fb, vb) in values.iter().filter(|other| *other != &(*fa, va.clone())) {
            let q = select(&[(*fa, va), (*fb, vb)]);
            let expected: Vec<String> = projects
                .iter()
                .filter(|p| {
                    q.selected.iter().all(|(f, wanted)| {
                        let mut hit = false;
                        f.values(p, &|id| ledger.person(id), today(), |v| {
                            hit |= wanted.contains(v)
                        });
                        hit
                    })
                })
                .map(|p| p.id.clone())
                .collect();
            let mut got = query(&ledger, &q).0;
            got.sort();
            let mut expected = expected;
            expected.sort();
            assert_eq!(got, expected, "{fa:?}={va} & {fb:?}={vb}");
        }
    }
}

#[test]
fn search_is_substring_all_terms_case_insensitive() {
    let ledger = fixture();
    let search = |text: &str| {
        query(
            &ledger,
            &Query {
                text: text.into(),
                ..Query::default()
            },
        )
        .0
    };
    let magnesium = search("镁");
    assert!(magnesium.contains(&"hc-07".to_owned()) && magnesium.contains(&"u-1".to_owned()));
    assert!(magnesium
        .iter()
        .all(|id| ledger.project(id).unwrap().name.contains('镁')));
    assert_eq!(
        search("steel BEAM"),
        vec!["hc-02"],
        "notes, Latin case-insensitive"
    );
    assert_eq!(search("海城 不烧砖"), vec!["hc-07"], "all terms required");
    assert_eq!(
        search("台安县 用户"),
        vec!["u-1"],
        "district name is searched"
    );
    assert_eq!(search("华宇镁砖有限公司"), vec!["hc-07"], "owner");
    assert!(search("不存在的项目").is_empty());
    assert_eq!(search("   ").len(), 52);
}

#[test]
fn changed_since_keeps_recently_edited_projects() {
    let ledger = fixture();
    let q = Query {
        changed_since: project_ledger::domain::Date::from_days_since_epoch(6).into(),
        ..Query::default()
    };
    let (ids, _) = query(&ledger, &q);
    assert_eq!(ids, vec!["ta-02", "ta-03", "u-1"]);
}

#[test]
fn sorting_is_stable_and_puts_empty_last() {
    let ledger = fixture();
    let sorted = |sort, descending| {
        query(
            &ledger,
            &Query {
                sort,
                descending,
                ..Query::default()
            },
        )
        .0
    };
    let by_investment = sorted(SortKey::Investment, false);
    assert_eq!(
        &by_investment[..3],
        &["ta-02", "ta-03", "hc-01"],
        "500, 9000, then the rest in registry order"
    );
    let by_investment_desc = sorted(SortKey::Investment, true);
    assert_eq!(&by_investment_desc[..2], &["ta-03", "ta-02"]);
    let by_stage = sorted(SortKey::Stage, false);
    assert_eq!(
        &by_stage[..4],
        &["hc-02", "hc-01", "hc-07", "ta-01"],
        "签约 before 开工, stable within"
    );
    let by_district_desc = sorted(SortKey::District, true);
    assert_eq!(by_district_desc[0], "jk-01");
    assert_eq!(
        by_district_desc.last().unwrap(),
        "wz-05",
        "no district stays last"
    );
    let by_changed = sorted(SortKey::Changed, true);
    assert_eq!(by_changed[0], "ta-03");
}

#[test]
fn queries_round_trip_through_the_url() {
    let mut q = select(&[
        (Facet::District, "Haicheng"),
        (Facet::District, "Taian"),
        (Facet::Missing, "Land"),
        (Facet::List, "确保竣工投产的188个项目之一"),
    ]);
    q.text = "镁 砖&x=1".into();
    q.changed_since = project_ledger::domain::Date::parse("2024-03-01");
    q.sort = SortKey::Name;
    q.descending = true;
    q.page = 2;
    let url = q.to_query_string();
    assert!(url.is_ascii(), "{url}");
    assert_eq!(Query::from_query_string(&url), q);
    assert_eq!(Query::default().to_query_string(), "");
    let junk = Query::from_query_string("zzz=1&page=abc&sort=nope&d=&q=%E9%95%81%");
    assert_eq!(junk.text, "镁%");
    assert_eq!(junk.page, 0);
    assert!(junk.selected.is_empty());
}

/// Typing, Backspace, ticking and unticking, sorting and paging in any order:
/// the remembered and narrowed answers equal a full scan every time.
#[test]
fn recent_matches_answer_as_a_full_scan_would() {
    use project_ledger::domain::filter::{matching, RecentMatches};
    let ledger = fixture();
    let projects: Vec<&Project> = ledger.projects().collect();
    let index = index_for(&ledger, &projects)
        .with_name_initials(projects.iter().map(|p| some_initials(&p.name)).collect());
    let name_order = |a: usize, b: usize| projects[a].name.cmp(&projects[b].name);
    let toggles = [
        (Facet::District, "Haicheng"),
        (Facet::District, "Taian"),
        (Facet::Stage, "Started"),
        (Facet::Stage, NONE_KEY),
        (Facet::Missing, "Land"),
        (Facet::Origin, "user"),
    ];
    let typed = [
        "镁", "钢", "海", "项目", "s", "S", " ", "城", "e", "h", "c", "m", "z",
    ];
    let mut recent = RecentMatches::default();
    let mut q = Query::default();
    // A fixed pseudo-random walk (xorshift), long enough to revisit queries.
    let mut seed = 0x9e37_79b9_u32;
    let mut narrowed = 0;
    for step in 0..3000 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let pick = (seed >> 8) as usize;
        let before = q.clone();
        match pick % 7 {
            0 | 1 if q.text.chars().count() < 3 => q.text.push_str(typed[pick / 7 % typed.len()]),
            0..=2 => {
                q.text.pop();
            }
            3 | 4 => {
                let (facet, value) = toggles[pick / 7 % toggles.len()];
                q = q.toggled(facet, value);
            }
            5 => q.page = pick / 7 % 3,
            _ => match pick / 7 % 4 {
                0 => q.sort = SortKey::ALL[pick / 28 % SortKey::ALL.len()],
                1 => q.descending = !q.descending,
                2 => q.changed_since = Some(Date::new(1970, 1, 2 + (pick / 28 % 8) as u8).unwrap()),
                _ => q.changed_since = None,
            },
        }
        let since = q.changed_since.map(|d| d.days_since_epoch() * 86_400_000);
        let expected = matching(&projects, &index, &q, since, &name_order);
        if project_ledger::domain::filter::narrows(&q, &before) && !expected.is_empty() {
            narrowed += 1;
        }
        let got = recent.matching(&projects, &index, &q, since, &name_order);
        assert_eq!(got, expected, "step {step}: {q:?} after {before:?}");
    }
    assert!(
        narrowed > 100,
        "the walk narrows to some matches often enough to test it ({narrowed})"
    );
}

#[test]
fn narrowing_follows_typing_and_ticking_not_widening() {
    use project_ledger::domain::filter::narrows;
    let text = |t: &str| Query {
        text: t.into(),
        ..Query::default()
    };
    assert!(narrows(&text("鞍山"), &text("鞍")));
    assert!(narrows(&text("鞍 山"), &text("鞍")));
    assert!(narrows(&text("PVC"), &text("pv")), "case folds");
    assert!(!narrows(&text("鞍"), &text("鞍山")), "Backspace widens");
    assert!(!narrows(&text("山鞍"), &text("鞍山")));
    let haicheng = select(&[(Facet::District, "Haicheng")]);
    let both = select(&[(Facet::District, "Haicheng"), (Facet::District, "Taian")]);
    assert!(narrows(&haicheng, &Query::default()));
    assert!(
        narrows(&haicheng, &both),
        "unticking one of two values narrows"
    );
    assert!(!narrows(&both, &haicheng), "ticking a second value widens");
    let by_name = Query {
        sort: SortKey::Name,
        ..haicheng.clone()
    };
    assert!(
        !narrows(&by_name, &Query::default()),
        "another order is not a subsequence"
    );
}

/// Pinyin initials for a few characters, as the browser's collator gives them
/// (the app asks `Intl.Collator`; native tests have none).
fn some_initials(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            '海' | '华' => Some('h'),
            '城' | '产' => Some('c'),
            '镁' | '目' => Some('m'),
            '砖' | '制' => Some('z'),
            '宇' | '有' => Some('y'),
            '项' => Some('x'),
            _ => None,
        })
        .collect()
}

#[test]
fn latin_letters_find_names_by_their_pinyin_initials_in_order() {
    let ledger = fixture();
    let projects: Vec<&Project> = ledger.projects().collect();
    let plain = index_for(&ledger, &projects);
    let index = index_for(&ledger, &projects)
        .with_name_initials(projects.iter().map(|p| some_initials(&p.name)).collect());
    let found = |index: &FacetIndex, text: &str| -> Vec<String> {
        let q = Query {
            text: text.into(),
            ..Query::default()
        };
        let mut ids: Vec<String> =
            project_ledger::domain::filter::matching(&projects, index, &q, None, &|_, _| {
                std::cmp::Ordering::Equal
            })
            .iter()
            .map(|&i| projects[i].id.clone())
            .collect();
        ids.sort();
        ids
    };
    let with_initials = |text: &str| -> Vec<String> {
        let mut ids: Vec<String> = projects
            .iter()
            .filter(|p| {
                let initials = some_initials(&p.name);
                let mut rest = initials.chars();
                text.chars().all(|c| rest.any(|i| i == c))
            })
            .map(|p| p.id.clone())
            .collect();
        ids.sort();
        ids
    };
    // 海城华宇镁砖…项目 (hc-07): h, c, m, z in that order, not next to each other.
    let hcmz = found(&index, "hcmz");
    assert!(hcmz.contains(&"hc-07".to_owned()), "{hcmz:?}");
    assert_eq!(hcmz, with_initials("hcmz"));
    assert!(
        hcmz.len() < projects.len() / 4,
        "{} of {}",
        hcmz.len(),
        projects.len()
    );
    // Typed in capitals too; out of order it does not find that name.
    assert_eq!(found(&index, "HCMZ"), hcmz);
    assert!(!found(&index, "zmch").contains(&"hc-07".to_owned()));
    // Without initials, or for terms that are not all Latin letters, only the text counts.
    assert_eq!(found(&plain, "hcmz"), Vec::<String>::new());
    assert_eq!(found(&index, "h2"), found(&plain, "h2"));
    let both: Vec<String> = found(&index, "海城")
        .into_iter()
        .filter(|id| hcmz.contains(id))
        .collect();
    assert_eq!(found(&index, "海城 hcmz"), both);
}
