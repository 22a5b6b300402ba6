mod common;

use project_ledger::domain::light::LightRules;
use project_ledger::domain::summary::{
    fingerprint, places, ranking, targets, tied, unranked, Summary, WEIGHT_NO_OVERDUE,
    WEIGHT_PROCEDURES, WEIGHT_STARTED, WEIGHT_STEWARDED,
};
use project_ledger::domain::{Change, Date, District, Ledger, Procedure, Project, Stage};

fn ledger(changes: &[(&str, Change)]) -> Ledger {
    common::ledger_with(changes.to_vec())
}

#[test]
fn summary_counts_stages_procedures_and_started() {
    let l = ledger(&[
        ("hc-01", Change::Stage(Some(Stage::Completed))),
        ("hc-02", Change::Stage(Some(Stage::Signed))),
        (
            "hc-02",
            Change::Procedure {
                procedure: Procedure::Land,
                done: true,
                date: None,
            },
        ),
    ]);
    let haicheng: Vec<&Project> = l
        .projects()
        .filter(|p| p.district == Some(District::Haicheng))
        .collect();
    let s = Summary::of(haicheng.iter().copied(), Date::parse("2026-12-07").unwrap());
    assert_eq!(s.projects, 10);
    assert_eq!(
        s.by_stage[Stage::Started as usize],
        1,
        "海城华宇 from the article"
    );
    assert_eq!(s.by_stage[Stage::Completed as usize], 1);
    assert_eq!(s.by_stage[Stage::Signed as usize], 1);
    assert_eq!(s.by_stage[Stage::ALL.len()], 7, "not filled in");
    assert_eq!(
        s.started, 2,
        "开工 and 竣工 count as started, 签约 does not"
    );
    assert_eq!(s.procedures_done[Procedure::Land as usize], 2);
    assert_eq!(s.procedures_done[Procedure::Approval as usize], 1);
    assert!((s.started_share() - 0.2).abs() < 1e-9);
    assert!(
        (s.procedures_share() - 5.0 / 60.0).abs() < 1e-9,
        "海城华宇 4 + hc-02 土地 1, of 10 × 6"
    );
    assert_eq!(
        Summary::of([], Date::parse("2026-12-07").unwrap()).started_share(),
        0.0
    );
}

#[test]
fn ranking_orders_by_rates_not_by_how_many_projects_the_article_listed() {
    let l = ledger(&[
        // One project started in 台安县 and one in 铁西区 (4 projects each); 铁西's has land too.
        ("td-01", Change::Stage(Some(Stage::Started))),
        ("tx-01", Change::Stage(Some(Stage::Started))),
        (
            "tx-01",
            Change::Procedure {
                procedure: Procedure::Land,
                done: true,
                date: None,
            },
        ),
    ]);
    let projects: Vec<&Project> = l.projects().collect();
    let today = Date::new(2026, 6, 1).unwrap();
    let rows = ranking(&projects, today, &LightRules::default());
    let order: Vec<District> = rows.iter().map(|r| r.district).collect();
    let pos = |d: District| order.iter().position(|x| *x == d).unwrap();
    assert!(
        pos(District::Tiexi) < pos(District::Haicheng),
        "10 listed projects do not outrank a quarter started"
    );
    assert!(
        pos(District::Taian) < pos(District::EconomicZone),
        "nor do 6 with none started"
    );
    assert!(
        pos(District::Tiexi) < pos(District::Taian),
        "same share started: 铁西 has more procedures done"
    );
    // The points are the weighted rates, highest first; equal points keep the article's order.
    for row in &rows {
        let s = &row.summary;
        // No district has a record here: "no overdue blockers" earns nothing.
        assert!(!row.recorded);
        let expected = WEIGHT_STARTED * s.started_share()
            + WEIGHT_PROCEDURES * s.procedures_share()
            + WEIGHT_STEWARDED * row.stewarded_share();
        assert!(
            (row.score.unwrap() - expected).abs() < 1e-9,
            "{:?}",
            row.district
        );
    }
    for pair in rows.windows(2) {
        let (a, b) = (pair[0].score.unwrap(), pair[1].score.unwrap());
        assert!(a > b || (a == b && pair[0].district < pair[1].district));
    }
    assert_eq!(
        WEIGHT_STARTED + WEIGHT_PROCEDURES + WEIGHT_STEWARDED + WEIGHT_NO_OVERDUE,
        100.0
    );
}

#[test]
fn projects_with_no_district_are_left_out_by_name_and_empty_districts_come_last() {
    let l = ledger(&[]);
    let projects: Vec<&Project> = l.projects().collect();
    let left_out = unranked(&projects);
    assert_eq!(left_out.len(), 5, "the article's five with 区县未说明");
    assert!(left_out.iter().all(|p| p.district.is_none()));
    let only_haicheng: Vec<&Project> = projects
        .iter()
        .copied()
        .filter(|p| p.district == Some(District::Haicheng))
        .collect();
    let rows = ranking(
        &only_haicheng,
        Date::new(2026, 6, 1).unwrap(),
        &LightRules::default(),
    );
    assert_eq!(rows[0].district, District::Haicheng);
    assert!(rows[1..].iter().all(|r| r.score.is_none()));
    assert_eq!(
        rows[1].district,
        District::Taian,
        "the rest in the article's order"
    );
}

#[test]
fn fingerprint_changes_with_what_is_printed_and_only_with_it() {
    let a = ledger(&[]);
    let b = ledger(&[("hc-01", Change::Notes("备注不印".into()))]);
    let c = ledger(&[("hc-01", Change::Stage(Some(Stage::Signed)))]);
    let fp = |l: &Ledger| fingerprint(l.projects());
    assert_eq!(fp(&a), fp(&b));
    assert_ne!(fp(&a), fp(&c));
    assert_eq!(fp(&a).len(), 8);
}

#[test]
fn the_article_targets_are_the_articles() {
    let article = include_str!("../data/source-article.txt");
    assert!(article.contains(&format!(
        "开复工{}个5000万元以上项目",
        targets::PROJECTS_OVER_50M_STARTED_OR_RESUMED
    )));
    assert!(article.contains(&format!(
        "实施{}个重点项目开工百日攻坚行动",
        targets::CAMPAIGN_KEY_PROJECTS
    )));
    assert!(article.contains(&format!(
        "等{}个项目竣工投产",
        targets::COMPLETED_AND_PRODUCING
    )));
    assert!(article.contains(&format!(
        "固投突破{}亿元",
        targets::FIXED_ASSET_INVESTMENT_YI
    )));
}

#[test]
fn tied_points_share_a_place_and_no_records_earn_no_points_for_no_overdue_blockers() {
    use project_ledger::domain::fieldwork::{Record, RecordKind};
    let today = Date::new(2026, 6, 1).unwrap();
    let visit = |date: Date| {
        Change::AddRecord(Record {
            date,
            kind: RecordKind::Visit,
            who: None,
            notes: String::new(),
        })
    };
    let tenths =
        |r: &project_ledger::domain::summary::Ranked| r.score.map(|x| (x * 10.0).round() as i64);
    // Nothing recorded anywhere: no district earns "no overdue blockers".
    let l = ledger(&[]);
    let projects: Vec<&Project> = l.projects().collect();
    let before = ranking(&projects, today, &LightRules::default());
    assert!(before.iter().all(|r| !r.recorded));
    // Equal points (as printed) share a place; the next place counts every row above.
    let standing = places(&before);
    for i in 1..before.len() {
        if tenths(&before[i]) == tenths(&before[i - 1]) {
            assert_eq!(standing[i], standing[i - 1]);
            assert!(tied(&standing, i));
        } else {
            assert_eq!(standing[i], i + 1);
        }
    }
    assert!(
        (1..before.len()).any(|i| standing[i] == standing[i - 1]),
        "the shipped registry has ties: {standing:?}"
    );
    // A recent visit in 台安县 earns it exactly those 10 points; one older
    // than 30 days in 岫岩县 earns nothing.
    let l = ledger(&[
        ("ta-01", visit(Date::new(2026, 5, 20).unwrap())),
        ("xy-01", visit(Date::new(2026, 4, 1).unwrap())),
    ]);
    let projects: Vec<&Project> = l.projects().collect();
    let after = ranking(&projects, today, &LightRules::default());
    let of = |rows: &[project_ledger::domain::summary::Ranked], d: District| {
        rows.iter().find(|r| r.district == d).unwrap().clone()
    };
    let (ta0, ta1) = (of(&before, District::Taian), of(&after, District::Taian));
    assert!(ta1.recorded);
    assert!((ta1.score.unwrap() - ta0.score.unwrap() - WEIGHT_NO_OVERDUE).abs() < 1e-9);
    let (xy0, xy1) = (of(&before, District::Xiuyan), of(&after, District::Xiuyan));
    assert!(!xy1.recorded);
    assert_eq!(xy1.score, xy0.score);
}

#[test]
fn a_procedure_dated_ahead_counts_as_done_only_from_that_day() {
    // From a file or another device (typed here, it is refused): 施工许可
    // 办结 2026-05-20, known on 04-10.
    let l = common::ledger_with(vec![(
        "hc-02",
        Change::Procedure {
            procedure: Procedure::ConstructionPermit,
            done: true,
            date: Date::parse("2026-05-20"),
        },
    )]);
    let p = l.project("hc-02").unwrap();
    let [before, on] = ["2026-04-10", "2026-05-20"].map(|d| Date::parse(d).unwrap());
    let state = p.procedure(Procedure::ConstructionPermit);
    assert!(state.done_ahead(before) && !state.done_by(before));
    assert!(state.done_by(on) && !state.done_ahead(on));
    assert_eq!((p.procedures_done(before), p.procedures_done(on)), (0, 1));
    let count = |day| Summary::of([p], day).procedures_done[Procedure::ConstructionPermit as usize];
    assert_eq!(
        (count(before), count(on)),
        (0, 1),
        "the ranking's 手续办结率 too"
    );
    assert!(
        project_ledger::domain::summary::missing_procedures(p, before)
            .contains(&Procedure::ConstructionPermit)
    );
}
