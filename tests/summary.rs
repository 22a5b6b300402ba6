mod common;

use project_ledger::domain::summary::{fingerprint, ranking, targets, Summary};
use project_ledger::domain::{Change, District, Ledger, Procedure, Project, Stage};

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
    let s = Summary::of(haicheng.iter().copied());
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
    assert_eq!(Summary::of([]).started_share(), 0.0);
}

#[test]
fn ranking_orders_by_number_then_progress_then_quality() {
    let l = ledger(&[
        // 台安县 and 铁东区 and 铁西区 and 千山区 and 岫岩县 all have 4 projects: progress decides.
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
    let order: Vec<District> = ranking(&projects).into_iter().map(|r| r.district).collect();
    assert_eq!(order[0], District::Haicheng, "10 projects");
    assert_eq!(order[1], District::EconomicZone, "6");
    assert_eq!(
        &order[2..4],
        &[District::Lishan, District::HighTech],
        "5 each, tie kept in the article's order"
    );
    assert_eq!(
        &order[4..6],
        &[District::Tiexi, District::Tiedong],
        "4 each: same share started, 铁西 has more procedures"
    );
    assert_eq!(
        &order[6..],
        &[District::Taian, District::Xiuyan, District::Qianshan]
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
