use project_ledger::domain::people::{PersonDetails, Role};
mod common;

use project_ledger::domain::edit::Entry;
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::quotas::{gaps, valid_phone, Gap, Quota, QuotaRules};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::validate::{check_person, InputError};
use project_ledger::domain::{Change, District, Edit, Ledger};

struct Log {
    ledger: Journal,
    n: i64,
}

impl Log {
    fn new() -> Log {
        Log {
            ledger: Journal::new(shipped(), Vec::<Edit>::new()),
            n: 0,
        }
    }
    fn add(&mut self, subject: &str, change: Change) {
        self.n += 1;
        let edit = common::legacy_edit(&format!("t:{}", self.n), "d", subject, self.n, change);
        assert!(self.ledger.add(edit));
    }
    fn person(&mut self, id: &str, name: &str, role: Role, district: Option<District>) {
        let details = PersonDetails {
            name: name.into(),
            role,
            district,
            unit: String::new(),
            phone: String::new(),
            login: String::new(),
        };
        self.add(id, Change::SavePerson(details));
    }
    fn count(&self, person: &str) -> usize {
        self.ledger.projects_of(person).count()
    }
}

fn ids(n: usize) -> Vec<String> {
    shipped().into_iter().take(n).map(|p| p.id).collect()
}

#[test]
fn city_leader_quota_is_exactly_ten() {
    let rules = QuotaRules::default();
    assert_eq!(rules.check(Role::CityLeader, 10), Quota::Met { rule: 10 });
    assert_eq!(rules.check(Role::CityLeader, 9), Quota::Under { rule: 10 });
    assert_eq!(rules.check(Role::CityLeader, 11), Quota::Over { rule: 10 });
    let mut log = Log::new();
    log.person("p1", "甲", Role::CityLeader, None);
    for id in ids(10) {
        log.add(&id, Change::Assign("p1".into()));
    }
    assert_eq!(
        rules.check(Role::CityLeader, log.count("p1")),
        Quota::Met { rule: 10 }
    );
}

#[test]
fn district_main_leaders_need_at_least_five() {
    let rules = QuotaRules::default();
    assert_eq!(
        rules.check(Role::DistrictGovernment, 4),
        Quota::Under { rule: 5 }
    );
    assert_eq!(rules.check(Role::DistrictParty, 5), Quota::Met { rule: 5 });
    assert_eq!(rules.check(Role::DistrictCppcc, 12), Quota::Met { rule: 5 });
    assert_eq!(rules.check(Role::LeadershipMember, 0), Quota::CountOnly);
    assert_eq!(rules.check(Role::ServiceTeam, 3), Quota::CountOnly);
    let custom = QuotaRules {
        city_leader_projects: 8,
        district_main_min_projects: 3,
    };
    assert_eq!(custom.check(Role::CityLeader, 8), Quota::Met { rule: 8 });
}

#[test]
fn coverage_gaps_on_fixtures() {
    let mut log = Log::new();
    log.person("city", "市领导", Role::CityLeader, None);
    log.person(
        "hc",
        "海城区长",
        Role::DistrictGovernment,
        Some(District::Haicheng),
    );
    log.person("ta", "台安书记", Role::DistrictParty, Some(District::Taian));
    log.person("team", "管家", Role::ServiceTeam, Some(District::Haicheng));
    log.add("hc-01", Change::Assign("city".into()));
    log.add("hc-01", Change::Assign("hc".into()));
    log.add("hc-01", Change::Assign("team".into()));
    log.add("hc-02", Change::Assign("ta".into()));
    let l = &log.ledger;
    let gaps_of = |id: &str| gaps(l.project(id).unwrap(), |p| l.person(p));
    assert_eq!(gaps_of("hc-01"), vec![]);
    assert_eq!(
        gaps_of("hc-02"),
        vec![
            Gap::NoCityLeader,
            Gap::NoServiceTeam,
            Gap::ForeignDistrictLeader
        ]
    );
    assert_eq!(
        gaps_of("hc-03"),
        vec![Gap::NoSteward, Gap::NoCityLeader, Gap::NoServiceTeam]
    );
}

#[test]
fn one_lead_city_leader_and_a_responsible_from_the_team() {
    let mut log = Log::new();
    log.person("a", "甲", Role::CityLeader, None);
    log.person("b", "乙", Role::CityLeader, None);
    log.person("m", "管家", Role::ServiceTeam, None);
    log.add("hc-01", Change::Assign("a".into()));
    log.add("hc-01", Change::Assign("b".into()));
    assert_eq!(log.ledger.project("hc-01").unwrap().stewards, vec!["b"]);
    log.add("hc-01", Change::Responsible(Some("b".into())));
    assert_eq!(
        log.ledger.project("hc-01").unwrap().responsible,
        None,
        "only a service-team member"
    );
    log.add("hc-01", Change::Assign("m".into()));
    log.add("hc-01", Change::Responsible(Some("m".into())));
    assert_eq!(
        log.ledger.project("hc-01").unwrap().responsible.as_deref(),
        Some("m")
    );
    log.add("hc-01", Change::Unassign("m".into()));
    assert_eq!(log.ledger.project("hc-01").unwrap().responsible, None);
    log.add("hc-01", Change::Assign("ghost".into()));
    assert_eq!(
        log.ledger.project("hc-01").unwrap().stewards,
        vec!["b"],
        "unknown people are never assigned"
    );
}

#[test]
fn removing_a_person_reassigns_or_uncovers_and_leaves_no_dangling_id() {
    let mut log = Log::new();
    log.person("old", "旧", Role::ServiceTeam, None);
    log.person("new", "新", Role::ServiceTeam, None);
    log.person("gone", "走", Role::CityLeader, None);
    for id in ids(3) {
        log.add(&id, Change::Assign("old".into()));
        log.add(&id, Change::Assign("gone".into()));
    }
    log.add("hc-01", Change::Responsible(Some("old".into())));
    log.add(
        "old",
        Change::RemovePerson {
            reassign_to: Some("new".into()),
        },
    );
    log.add("gone", Change::RemovePerson { reassign_to: None });
    for id in ids(3) {
        assert_eq!(
            log.ledger.project(&id).unwrap().stewards,
            vec!["new"],
            "{id}"
        );
    }
    assert_eq!(
        log.ledger.project("hc-01").unwrap().responsible.as_deref(),
        Some("new")
    );
    assert_eq!(log.count("new"), 3);
    assert!(log.ledger.person("old").is_none());
    let every_steward_exists = log
        .ledger
        .projects()
        .all(|p| p.stewards.iter().all(|s| log.ledger.person(s).is_some()));
    assert!(every_steward_exists);
    log.add("hc-05", Change::Assign("old".into()));
    assert!(
        log.ledger.project("hc-05").unwrap().stewards.is_empty(),
        "a removed person cannot be assigned"
    );
    assert_eq!(
        log.ledger.person_name("old"),
        Some("旧"),
        "history still names them"
    );
}

#[test]
fn stewards_are_named_leaders_first() {
    let mut log = Log::new();
    log.person("s", "管家甲", Role::ServiceTeam, Some(District::Haicheng));
    log.person(
        "d",
        "区长乙",
        Role::DistrictGovernment,
        Some(District::Haicheng),
    );
    log.person("c", "市领导丙", Role::CityLeader, None);
    log.person("t", "管家丁", Role::ServiceTeam, Some(District::Haicheng));
    for id in ["s", "d", "c", "t"] {
        log.add("hc-01", Change::Assign(id.into()));
    }
    let l = &log.ledger;
    assert_eq!(
        l.steward_names(l.project("hc-01").unwrap()),
        vec!["市领导丙", "区长乙", "管家甲", "管家丁"]
    );
}

#[test]
fn a_blocker_opened_today_is_not_late() {
    assert_eq!(project_ledger::text::blocker_age(0), "今天提出");
    assert_eq!(project_ledger::text::blocker_age(3), "已 3 天");
}

#[test]
fn renaming_changes_every_place_at_once() {
    let mut log = Log::new();
    log.person("p", "张三", Role::ServiceTeam, None);
    log.add("hc-01", Change::Assign("p".into()));
    log.add("ta-01", Change::Assign("p".into()));
    log.person("p", "张三丰", Role::ServiceTeam, None);
    let l = &log.ledger;
    assert_eq!(l.people().count(), 1);
    for id in ["hc-01", "ta-01"] {
        let steward = &l.project(id).unwrap().stewards[0];
        assert_eq!(l.person(steward).unwrap().details.name, "张三丰");
    }
}

#[test]
fn reset_keeps_stewardship_and_history_shows_it() {
    let mut log = Log::new();
    log.person("p", "张三", Role::ServiceTeam, None);
    log.add("hc-07", Change::Assign("p".into()));
    log.add("hc-07", Change::Reset);
    assert_eq!(log.ledger.project("hc-07").unwrap().stewards, vec!["p"]);
    let history: Vec<_> = log
        .ledger
        .history("hc-07")
        .into_iter()
        .map(|e| e.change.clone())
        .collect();
    assert!(history.contains(&Change::Assign("p".into())));
}

#[test]
fn assignments_fold_the_same_in_any_order() {
    let mut log = Log::new();
    log.person("a", "甲", Role::CityLeader, None);
    log.person("b", "乙", Role::ServiceTeam, None);
    for id in ids(5) {
        log.add(&id, Change::Assign("a".into()));
        log.add(&id, Change::Assign("b".into()));
    }
    log.add("hc-02", Change::Unassign("a".into()));
    log.add(
        "a",
        Change::RemovePerson {
            reassign_to: Some("b".into()),
        },
    );
    let edits: Vec<Edit> = (1..=log.n)
        .rev()
        .map(|n| {
            let e = log
                .ledger
                .entries()
                .iter()
                .find(|e| e.id().to_string() == format!("t:{n}"))
                .unwrap();
            match e {
                Entry::Edit(e) => e.clone(),
                Entry::Unreadable(_) => unreachable!("all readable"),
            }
        })
        .collect();
    let replayed = Ledger::new(shipped(), edits);
    for p in log.ledger.projects() {
        assert_eq!(Some(p), replayed.project(&p.id));
    }
}

#[test]
fn roster_entries_are_validated() {
    let ok = PersonDetails {
        name: "李四".into(),
        role: Role::DistrictCppcc,
        district: Some(District::Lishan),
        unit: "立山区政协".into(),
        phone: "0412-5551234".into(),
        login: String::new(),
    };
    assert_eq!(check_person(&ok), Ok(()));
    assert_eq!(
        check_person(&PersonDetails {
            district: None,
            ..ok.clone()
        }),
        Err(InputError::DistrictRequired)
    );
    assert_eq!(
        check_person(&PersonDetails {
            name: " ".into(),
            ..ok.clone()
        }),
        Err(InputError::EmptyPersonName)
    );
    assert_eq!(
        check_person(&PersonDetails {
            phone: "12345".into(),
            ..ok.clone()
        }),
        Err(InputError::BadPhone)
    );
    assert!(
        valid_phone("138 0412 5678")
            && valid_phone("+86 13804125678")
            && valid_phone("0412-5551234")
    );
    assert!(!valid_phone("2804125678") && !valid_phone("1380412567") && !valid_phone("abc"));
}
