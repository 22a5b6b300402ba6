use project_ledger::domain::registry::shipped;
use project_ledger::domain::stored::{
    parse_segment_key, segment_key, SegmentWriter, SEGMENT_CAPACITY,
};
use project_ledger::domain::{Change, Date, District, Edit, Procedure, Stage};

mod common;

use project_ledger::domain::edit::Entry;
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::log::wire::{read_entries, write_entries};

fn edit(id: &str, at: i64, project: &str, change: Change) -> Edit {
    common::legacy_edit(id, "dev", project, at, change)
}

fn huayu() -> &'static str {
    "hc-07"
}

#[test]
fn fold_applies_edits_over_the_registry() {
    let ledger = Journal::new(
        shipped(),
        vec![
            edit("a:1", 10, huayu(), Change::Stage(Some(Stage::Completed))),
            edit(
                "a:2",
                11,
                huayu(),
                Change::Procedure {
                    procedure: Procedure::PlanningPermit,
                    done: true,
                    date: Date::parse("2024-03-01"),
                },
            ),
            edit("a:3", 12, huayu(), Change::InvestmentWan(Some(12600.5))),
        ],
    );
    let p = ledger.project(huayu()).unwrap();
    assert_eq!(p.stage, Some(Stage::Completed));
    assert!(p.procedure(Procedure::PlanningPermit).done);
    assert_eq!(
        p.procedure(Procedure::PlanningPermit)
            .date
            .unwrap()
            .to_string(),
        "2024-03-01"
    );
    assert_eq!(p.investment_wan, Some(12600.5));
    assert_eq!(p.changed_at, Some(12));
    assert_eq!(ledger.history(huayu()).len(), 3);
    assert_eq!(
        ledger.history(huayu())[0].id.to_string(),
        "a:3",
        "newest first"
    );
}

#[test]
fn order_of_arrival_does_not_matter() {
    let edits = vec![
        edit("a:1", 10, huayu(), Change::Stage(Some(Stage::Completed))),
        edit("b:1", 20, huayu(), Change::Stage(Some(Stage::Producing))),
        edit("a:2", 20, huayu(), Change::Notes("甲".into())),
        edit("b:2", 5, "ta-01", Change::Notes("乙".into())),
    ];
    let forward = Journal::new(shipped(), edits.clone());
    let mut incremental = Journal::new(shipped(), Vec::<Edit>::new());
    for e in edits.iter().rev() {
        assert!(incremental.add(e.clone()));
    }
    for p in forward.projects() {
        assert_eq!(Some(p), incremental.project(&p.id));
    }
    assert_eq!(
        forward.project(huayu()).unwrap().stage,
        Some(Stage::Producing),
        "later edit wins"
    );
}

#[test]
fn same_edit_twice_changes_nothing() {
    let e = edit("a:1", 10, huayu(), Change::Notes("x".into()));
    let mut ledger = Journal::new(shipped(), vec![e.clone(), e.clone()]);
    assert_eq!(ledger.edit_count(), 1);
    assert!(!ledger.add(e));
    assert_eq!(ledger.edit_count(), 1);
}

#[test]
fn user_added_projects_can_be_created_and_removed_registry_ones_cannot() {
    let create = Change::Create {
        name: "新项目".into(),
        district: Some(District::Taian),
    };
    let mut ledger = Journal::new(shipped(), vec![edit("a:1", 1, "u-a-1", create)]);
    assert_eq!(ledger.projects().count(), 52);
    assert_eq!(
        ledger.project("u-a-1").unwrap().district,
        Some(District::Taian)
    );
    ledger.add(edit("a:2", 2, "hc-01", Change::Remove));
    assert!(ledger.project("hc-01").is_some(), "registry projects stay");
    ledger.add(edit("a:3", 3, "u-a-1", Change::Remove));
    assert!(ledger.project("u-a-1").is_none());
    assert_eq!(ledger.projects().count(), 51);
    ledger.add(edit("a:4", 4, "u-a-1", Change::Notes("too late".into())));
    assert!(
        ledger.project("u-a-1").is_none(),
        "a removed project stays removed"
    );
}

#[test]
fn reset_restores_shipped_values_and_keeps_history() {
    let mut ledger = Journal::new(shipped(), Vec::<Edit>::new());
    ledger.add(edit("a:1", 1, huayu(), Change::Stage(None)));
    ledger.add(edit("a:2", 2, huayu(), Change::Notes("改".into())));
    ledger.add(edit("a:3", 3, huayu(), Change::Reset));
    let p = ledger.project(huayu()).unwrap();
    assert_eq!(p.stage, Some(Stage::Started));
    assert_eq!(p.notes, "");
    ledger.add(edit("a:4", 4, huayu(), Change::Notes("之后".into())));
    assert_eq!(ledger.project(huayu()).unwrap().notes, "之后");
    assert_eq!(ledger.history(huayu()).len(), 4);
}

#[test]
fn editing_a_cluster_marks_it_as_the_users() {
    use project_ledger::domain::{Cluster, ClusterBy};
    let mut ledger = Journal::new(shipped(), Vec::<Edit>::new());
    assert_eq!(
        ledger.project(huayu()).unwrap().cluster_by,
        Some(ClusterBy::Ledger)
    );
    ledger.add(edit(
        "a:1",
        1,
        huayu(),
        Change::Cluster(Some(Cluster::Steel)),
    ));
    assert_eq!(
        ledger.project(huayu()).unwrap().cluster_by,
        Some(ClusterBy::User)
    );
}

#[test]
fn edits_round_trip_through_json() {
    let e = edit(
        "w1:7",
        1_700_000_000_000,
        huayu(),
        Change::Procedure {
            procedure: Procedure::Land,
            done: true,
            date: Date::parse("2024-02-29"),
        },
    );
    let json = write_entries([&Entry::Edit(e.clone())]);
    assert_eq!(read_entries(&json).unwrap().entries, vec![Entry::Edit(e)]);
    assert!(json.contains("\"2024-02-29\""), "{json}");
}

#[test]
fn segment_writer_rewrites_only_a_bounded_segment() {
    let mut writer = SegmentWriter::new("w1".into());
    let mut longest = 0;
    let mut keys = std::collections::BTreeSet::new();
    for i in 0..(SEGMENT_CAPACITY * 3 + 1) {
        let id = writer.next_edit_id();
        let written = writer.push_all([edit(
            &id.to_string(),
            i as i64,
            huayu(),
            Change::Notes("备注".into()),
        )]);
        assert_eq!(written.len(), 1, "one edit touches one segment");
        let (key, json) = written.into_iter().next().unwrap();
        longest = longest.max(json.len());
        let stored = read_entries(&json).unwrap().entries;
        assert!(stored.len() <= SEGMENT_CAPACITY);
        assert_eq!(stored.last().unwrap().id(), &id);
        keys.insert(key);
    }
    assert_eq!(keys.len(), 4);
    assert!(
        longest < SEGMENT_CAPACITY * 120,
        "a segment stays small: {longest} bytes"
    );
}

#[test]
fn segment_keys_parse_back() {
    assert_eq!(
        parse_segment_key(&segment_key("ab12", 3)),
        Some(("ab12", 3))
    );
    assert_eq!(parse_segment_key("ledger.v1.meta"), None);
    assert_eq!(parse_segment_key("ledger.v1.log..3"), None);
    assert_eq!(parse_segment_key("other.key"), None);
}

#[test]
fn a_new_local_edit_is_stamped_after_everything_held() {
    let ledger = Journal::new(
        shipped(),
        vec![edit("b:1", 5_000, huayu(), Change::Notes("ahead".into()))],
    );
    assert_eq!(
        ledger.stamp(4_000),
        5_001,
        "another device's clock ran ahead"
    );
    assert_eq!(ledger.stamp(9_000), 9_000);
    assert_eq!(Journal::new(shipped(), Vec::<Edit>::new()).stamp(7), 7);
}
