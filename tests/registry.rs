use project_ledger::domain::registry::{parse, shipped};
use project_ledger::domain::{District, Origin, Procedure, Stage};
use std::collections::{BTreeMap, HashSet};

const SEED: &str = include_str!("../data/source-article.txt");

#[test]
fn district_counts_match_the_article_list() {
    let list = "今年新开工社会投资类部分重点项目名录";
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in shipped().iter().filter(|p| p.list == list) {
        *counts
            .entry(
                p.district
                    .expect("every list project has a district")
                    .name(),
            )
            .or_default() += 1;
    }
    let expected = [
        ("海城市", 10),
        ("台安县", 4),
        ("岫岩县", 4),
        ("铁东区", 4),
        ("铁西区", 4),
        ("立山区", 5),
        ("千山区", 4),
        ("鞍山高新区", 5),
        ("鞍山经济开发区", 6),
    ];
    for (district, n) in expected {
        assert_eq!(counts.get(district), Some(&n), "{district}");
    }
    assert_eq!(counts.values().sum::<usize>(), 46);
}

#[test]
fn ids_are_unique_and_every_row_parses() {
    let projects = shipped();
    assert_eq!(projects.len(), 51, "46 listed + 5 named in the text");
    let ids: HashSet<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), projects.len());
    assert!(projects.iter().all(|p| p.origin == Origin::Registry));
}

#[test]
fn every_project_name_is_in_the_article() {
    // Nothing invented: each name, owner and scale is quoted from the article.
    for p in shipped() {
        assert!(SEED.contains(&p.name), "name not in article: {}", p.name);
        for owner in p.owner.split('、').filter(|s| !s.is_empty()) {
            assert!(SEED.contains(owner), "owner not in article: {owner}");
        }
        assert!(
            SEED.contains(&p.scale) || p.name.contains(&p.scale),
            "scale: {}",
            p.scale
        );
    }
}

#[test]
fn projects_named_in_the_text_are_shipped_with_their_role() {
    let projects = shipped();
    let find = |needle: &str| {
        projects
            .iter()
            .find(|p| p.name.contains(needle))
            .unwrap_or_else(|| panic!("{needle}"))
    };
    assert!(find("中国电气装备与辽宁紫竹").list.contains("68"));
    assert!(find("新能源+生态修复").list.contains("5000万元以上"));
    for name in ["赛拉美克电力装备", "布顿特种金属制品", "六方化学"] {
        let p = find(name);
        assert!(p.list.contains("188"), "{name}");
        assert_eq!(p.district, None, "the article gives no district for {name}");
    }
}

#[test]
fn huayu_magnesia_brick_carries_the_article_facts() {
    let projects = shipped();
    let p = projects
        .iter()
        .find(|p| p.name.starts_with("海城华宇镁砖"))
        .unwrap();
    assert_eq!(p.district, Some(District::Haicheng));
    assert_eq!(p.stage, Some(Stage::Started));
    assert_eq!(p.site_area_m2, Some(14504));
    assert_eq!(p.floor_area_m2, Some(11525));
    for done in [
        Procedure::Approval,
        Procedure::Land,
        Procedure::Environment,
        Procedure::Energy,
    ] {
        assert!(p.procedure(done).done, "{done:?}");
    }
    assert!(!p.procedure(Procedure::PlanningPermit).done);
    let facts = p.facts.join("\n");
    for needle in ["11165", "360", "1.26亿元", "天然气管道", "项目管家"] {
        assert!(facts.contains(needle), "{needle}");
        assert!(SEED.contains(needle), "{needle}");
    }
}

#[test]
fn unknown_stays_empty() {
    for p in shipped()
        .iter()
        .filter(|p| !p.name.starts_with("海城华宇镁砖"))
    {
        assert_eq!(p.stage, None, "{}", p.name);
        assert_eq!(p.investment_wan, None);
        assert_eq!(p.planned_start, None);
        assert_eq!(
            p.procedures_done(project_ledger::domain::Date::parse("2026-12-07").unwrap()),
            0
        );
    }
}

#[test]
fn bad_rows_are_refused_with_their_line() {
    let header = "id,name,owner,district,list,category,scale,cluster,cluster_by,stage,procedures_done,site_area_m2,floor_area_m2,facts,source\n";
    let ok = format!("{header}a-1,甲项目,,海城市,,,,,,,,,,,\n");
    assert_eq!(parse(&ok).unwrap().len(), 1);
    let bad_district = format!("{header}a-1,甲,,火星区,,,,,,,,,,,\n");
    assert_eq!(parse(&bad_district).unwrap_err().line, 2);
    let bad_stage = format!("{header}a-1,甲,,,,,,,,造好了,,,,,\n");
    assert!(parse(&bad_stage).unwrap_err().message.contains("stage"));
    let duplicate = format!("{header}a-1,甲,,,,,,,,,,,,,\na-1,乙,,,,,,,,,,,,,\n");
    assert!(parse(&duplicate).unwrap_err().message.contains("duplicate"));
    let cluster_unmarked = format!("{header}a-1,甲,,,,,,菱镁,,,,,,,\n");
    assert!(
        parse(&cluster_unmarked).is_err(),
        "a cluster must say who classified it"
    );
    assert!(parse("id,name\n").is_err(), "missing columns");
}

#[test]
fn the_compiled_table_matches_the_csv() {
    let csv = include_str!("../data/registry.csv");
    assert_eq!(parse(csv).unwrap(), shipped());
}
