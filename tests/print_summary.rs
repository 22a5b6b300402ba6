//! The numbers the print views show: district sheets, stewards by slot, the
//! city figures next to the article's targets, percentages, ranking by coverage.

mod common;

use project_ledger::domain::filter::{self, Facet, Query};
use project_ledger::domain::light::LightRules;
use project_ledger::domain::people::{PersonDetails, Role};
use project_ledger::domain::project::KEY_LIST;
use project_ledger::domain::quotas::{Quota, QuotaRules};
use project_ledger::domain::summary::{
    city_figures, district_sheets, missing_procedures, percent, ranking, slots,
};
use project_ledger::domain::{Change, Date, District, Procedure, Project, Stage};

fn person(name: &str, role: Role, district: Option<District>) -> Change {
    Change::SavePerson(PersonDetails {
        name: name.into(),
        role,
        district,
        unit: String::new(),
        phone: String::new(),
        login: String::new(),
    })
}

#[test]
fn percent_rounds_half_up_and_survives_zero() {
    assert_eq!(percent(0, 0), 0);
    assert_eq!(percent(1, 3), 33);
    assert_eq!(percent(2, 3), 67);
    assert_eq!(percent(1, 8), 13, "12.5 rounds up");
    assert_eq!(percent(5, 5), 100);
}

#[test]
fn district_sheets_follow_the_query_and_list_the_districts_stewards() {
    let l = common::ledger_with(vec![
        ("city", person("市领导甲", Role::CityLeader, None)),
        (
            "hc-main",
            person("海城书记", Role::DistrictParty, Some(District::Haicheng)),
        ),
        (
            "ta-main",
            person("台安县长", Role::DistrictGovernment, Some(District::Taian)),
        ),
        ("team", person("管家乙", Role::ServiceTeam, None)),
        ("hc-01", Change::Assign("city".into())),
        ("hc-01", Change::Assign("team".into())),
        ("hc-01", Change::Responsible(Some("team".into()))),
        ("hc-02", Change::Assign("hc-main".into())),
        ("ta-01", Change::Assign("city".into())),
    ]);
    let query = Query::default().toggled(Facet::District, District::Haicheng.key());
    let projects = filter::select(&l, &query, None, Date::new(2024, 3, 1).unwrap(), &|_| {
        Vec::new()
    });
    assert_eq!(projects.len(), 10);
    let sheets = district_sheets(
        &l,
        &projects,
        &QuotaRules::default(),
        Date::parse("2026-12-07").unwrap(),
    );
    assert_eq!(sheets.len(), 1, "only the district the filter selects");
    let sheet = &sheets[0];
    assert_eq!(sheet.district, Some(District::Haicheng));
    assert_eq!(sheet.summary.projects, 10);
    assert_eq!(sheet.summary.uncovered, 8, "hc-01 and hc-02 have stewards");
    let names: Vec<(&str, usize, usize)> = sheet
        .stewards
        .iter()
        .map(|s| (s.person.details.name.as_str(), s.here, s.total))
        .collect();
    assert_eq!(
        names,
        vec![("市领导甲", 1, 2), ("海城书记", 1, 1), ("管家乙", 1, 1)],
        "the 台安 leader is not on 海城's sheet"
    );
    assert_eq!(sheet.stewards[0].quota, Quota::Under { rule: 10 });
    assert_eq!(sheet.stewards[1].quota, Quota::Under { rule: 5 });
    assert_eq!(sheet.stewards[2].quota, Quota::CountOnly);

    let hc01 = l.project("hc-01").unwrap();
    let s = slots(&l, hc01);
    assert_eq!(s.city_leader.map(|p| p.id.as_str()), Some("city"));
    assert!(s.district_leaders.is_empty());
    assert_eq!(s.service_team.len(), 1);
    assert!(s.service_team[0].1, "the responsible member is marked");
}

#[test]
fn every_district_gets_a_sheet_and_a_district_leader_with_none_still_shows() {
    let l = common::ledger_with(vec![(
        "x",
        person(
            "千山区长",
            Role::DistrictGovernment,
            Some(District::Qianshan),
        ),
    )]);
    let projects: Vec<&Project> = l.projects().collect();
    let sheets = district_sheets(
        &l,
        &projects,
        &QuotaRules::default(),
        Date::parse("2026-12-07").unwrap(),
    );
    let districts: Vec<Option<District>> = sheets.iter().map(|s| s.district).collect();
    let mut expected: Vec<Option<District>> = District::ALL.iter().copied().map(Some).collect();
    expected.push(None);
    assert_eq!(districts, expected, "9 districts then the unstated group");
    let qianshan = &sheets[6];
    assert_eq!(qianshan.district, Some(District::Qianshan));
    assert_eq!(qianshan.stewards.len(), 1);
    assert_eq!(qianshan.stewards[0].quota, Quota::Under { rule: 5 });
    let total: usize = sheets.iter().map(|s| s.summary.projects).sum();
    assert_eq!(total, projects.len());
    assert!(
        sheets
            .windows(2)
            .all(|w| w[0].fingerprint != w[1].fingerprint),
        "different districts, different fingerprints"
    );
}

#[test]
fn missing_procedures_in_checklist_order() {
    let l = common::ledger_with(vec![(
        "hc-02",
        Change::Procedure {
            procedure: Procedure::Land,
            done: true,
            date: None,
        },
    )]);
    let missing = missing_procedures(
        l.project("hc-02").unwrap(),
        Date::parse("2026-12-07").unwrap(),
    );
    assert_eq!(missing.len(), 5);
    assert_eq!(missing[0], Procedure::Approval);
    assert!(!missing.contains(&Procedure::Land));
}

#[test]
fn city_figures_count_what_the_ledger_holds() {
    let l = common::ledger_with(vec![
        ("hc-02", Change::Stage(Some(Stage::Started))),
        ("hc-02", Change::InvestmentWan(Some(5000.0))),
        ("hc-03", Change::Stage(Some(Stage::Started))),
        ("hc-03", Change::InvestmentWan(Some(4999.0))),
        ("hc-04", Change::Stage(Some(Stage::Producing))),
    ]);
    let all: Vec<&Project> = l.projects().collect();
    let f = city_figures(all.iter().copied());
    assert_eq!(f.projects, all.len());
    assert_eq!(f.started_over_50m, 1, "5000 万 counts, 4999 does not");
    assert_eq!(f.investment_wan, 9999.0);
    assert_eq!(
        f.key_listed,
        all.iter().filter(|p| p.list == KEY_LIST).count()
    );
    assert_eq!(f.key_listed, 46, "the article's list");
    assert!(
        f.key_listed_started >= 3,
        "hc-02, hc-03, hc-04 and 海城华宇"
    );
    assert_eq!(f.producing, 1);
    assert_eq!(f.investment_unknown, all.len() - 2);
}

#[test]
fn a_steward_raises_a_districts_rank_when_all_else_is_equal() {
    let l = common::ledger_with(vec![
        ("p", person("管家", Role::ServiceTeam, None)),
        // 铁东区 and 铁西区: 4 projects each, nothing started, no procedures.
        ("tx-01", Change::Assign("p".into())),
    ]);
    let all: Vec<&Project> = l.projects().collect();
    let rows = ranking(&all, Date::new(2026, 6, 1).unwrap(), &LightRules::default());
    let pos = |d: District| rows.iter().position(|r| r.district == d).unwrap();
    assert_eq!(rows[pos(District::Tiexi)].summary.uncovered, 3);
    assert_eq!(rows[pos(District::Tiedong)].summary.uncovered, 4);
    assert!(pos(District::Tiexi) < pos(District::Tiedong));
}

#[test]
fn only_overdue_blockers_lower_a_rank_logging_one_costs_nothing() {
    use project_ledger::domain::fieldwork::{BlockerLevel, NewBlocker};
    let blocker = |opened: Date| {
        Change::OpenBlocker(NewBlocker {
            description: "用地指标未落实".into(),
            level: BlockerLevel::City,
            unit: "自然资源局".into(),
            opened,
            deadline: None,
        })
    };
    let today = Date::new(2026, 6, 1).unwrap();
    let long_ago = Date::new(2024, 3, 1).unwrap();
    let with = |blockers: Vec<(&'static str, Change)>| {
        let visit = Change::AddRecord(project_ledger::domain::fieldwork::Record {
            date: today,
            kind: project_ledger::domain::fieldwork::RecordKind::Visit,
            who: None,
            notes: String::new(),
        });
        let mut changes = vec![
            ("p", person("管家", Role::ServiceTeam, None)),
            // 铁西区 has a steward on one project: ahead of 铁东区 by that.
            ("tx-01", Change::Assign("p".into())),
            // Both are looked at: blockers can be known overdue there.
            ("tx-01", visit.clone()),
            ("td-01", visit),
        ];
        changes.extend(blockers);
        let l = common::ledger_with(changes);
        let all: Vec<&Project> = l.projects().collect();
        let rows = ranking(&all, today, &LightRules::default());
        let pos = |d: District| rows.iter().position(|r| r.district == d).unwrap();
        let tiexi = &rows[pos(District::Tiexi)];
        (
            pos(District::Tiexi) < pos(District::Tiedong),
            tiexi.summary.open_blockers,
            tiexi.overdue_blockers,
        )
    };
    assert_eq!(
        with(vec![("tx-02", blocker(today)), ("tx-03", blocker(today))]),
        (true, 2, 0),
        "blockers logged today are not held against the district"
    );
    assert_eq!(
        with(vec![
            ("tx-02", blocker(long_ago)),
            ("tx-03", blocker(long_ago)),
            ("tx-04", blocker(long_ago)),
        ]),
        (false, 3, 3),
        "three overdue blockers over four projects outweigh the steward"
    );
}
