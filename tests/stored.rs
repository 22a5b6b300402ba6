//! The stored format: every released schema has a fixture of real stored data
//! that must keep loading (the migration test of schema 1 is that it loads as is).

mod common;

use project_ledger::domain::registry::shipped;
use project_ledger::domain::stored::{
    decode_segment, is_quota_error, parse_segment_key, Meta, SavedView, SCHEMA,
};
use project_ledger::domain::{Ledger, Procedure, Stage};
use std::collections::BTreeMap;

fn fixture_v1() -> BTreeMap<String, String> {
    serde_json::from_str(include_str!("fixtures/storage-v1.json")).unwrap()
}

#[test]
fn schema_1_fixture_loads_into_the_current_version() {
    let stored = fixture_v1();
    let meta: Meta = serde_json::from_str(&stored["ledger.v1.meta"]).unwrap();
    assert_eq!(meta.schema, 1);
    assert!(meta.schema <= SCHEMA);
    let edits: Vec<_> = stored
        .iter()
        .filter(|(k, _)| parse_segment_key(k).is_some())
        .flat_map(|(_, v)| decode_segment(v).unwrap().entries)
        .collect();
    assert_eq!(edits.len(), 8);
    let ledger = Ledger::new(shipped(), edits);
    let huayu = ledger.project("hc-07").unwrap();
    assert_eq!(huayu.stage, Some(Stage::Completed));
    assert_eq!(huayu.notes, "第一版写入的备注");
    assert!(huayu.procedure(Procedure::PlanningPermit).done);
    assert_eq!(
        ledger.project("u-fixtw1-4").unwrap().name,
        "第一版新增的项目"
    );
    assert_eq!(
        ledger.project("hc-02").unwrap().investment_wan,
        Some(12600.5)
    );
    let views: Vec<SavedView> = serde_json::from_str(&stored["ledger.v1.views"]).unwrap();
    assert_eq!(views[0].query, "d=Haicheng&m=Land");
}

#[test]
fn unreadable_segments_are_errors_not_panics() {
    for raw in ["", "[", "{\"not\":\"a list\"}"] {
        assert!(decode_segment(raw).is_err(), "{raw}");
    }
    // An element with no edit id is no edit: counted, so the segment is copied aside.
    assert_eq!(decode_segment("[{\"i\":1}, 7]").unwrap().garbage, 2);
}

#[test]
fn an_unknown_change_is_kept_and_its_neighbours_load() {
    let raw = r#"[{"i":"a:1","d":"x","p":"hc-01","t":1,"c":{"Notes":"甲"}},{"i":"a:2","d":"x","p":"hc-01","t":2,"c":{"Teleport":1}},{"i":"a:3","d":"x","p":"hc-02","t":3,"c":{"Notes":"乙"}}]"#;
    let segment = decode_segment(raw).unwrap();
    assert_eq!(segment.garbage, 0);
    assert_eq!(segment.entries.len(), 3);
    let ledger = Ledger::new(shipped(), segment.entries);
    assert_eq!(ledger.project("hc-01").unwrap().notes, "甲");
    assert_eq!(ledger.project("hc-02").unwrap().notes, "乙");
    assert_eq!(ledger.unreadable().len(), 1);
    assert_eq!(
        ledger.unreadable()[0].raw.get(),
        r#"{"i":"a:2","d":"x","p":"hc-01","t":2,"c":{"Teleport":1}}"#,
        "kept verbatim"
    );
}

#[test]
fn every_browser_spelling_of_a_full_storage_is_recognised() {
    assert!(is_quota_error("QuotaExceededError", None));
    assert!(is_quota_error("NS_ERROR_DOM_QUOTA_REACHED", None));
    assert!(is_quota_error("Error", Some(22)));
    assert!(is_quota_error("Error", Some(1014)));
    assert!(!is_quota_error("SecurityError", Some(18)));
}

#[test]
fn storage_warns_at_eighty_percent() {
    use project_ledger::domain::stored::nearly_full;
    assert!(!nearly_full(79.0, 100.0));
    assert!(nearly_full(80.0, 100.0));
    assert!(!nearly_full(10.0, 0.0), "an unknown quota warns of nothing");
    assert_eq!(project_ledger::text::megabytes(1_572_864.0), "1.5 MB");
    assert_eq!(
        project_ledger::text::storage_usage(80.0 * 1_048_576.0, 100.0 * 1_048_576.0),
        "本机存储已用 80.0 MB / 100.0 MB（80%）"
    );
}

#[test]
fn a_batch_writes_each_segment_once_with_the_same_content() {
    use project_ledger::domain::stored::{SegmentWriter, SEGMENT_CAPACITY};
    use project_ledger::domain::{Change, Edit};
    let edits: Vec<Edit> = (0..SEGMENT_CAPACITY + 10)
        .map(|n| {
            common::legacy_edit(
                &format!("x:{n}"),
                "d",
                "hc-01",
                n as i64,
                Change::Notes(n.to_string()),
            )
        })
        .collect();
    let mut one = SegmentWriter::new("w".into());
    let mut last = std::collections::BTreeMap::new();
    for e in edits.clone() {
        for (k, v) in one.push_all([e]) {
            last.insert(k, v);
        }
    }
    let mut batch = SegmentWriter::new("w".into());
    let touched = batch.push_all(edits);
    assert_eq!(touched.len(), 2);
    assert_eq!(
        touched
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
        last
    );
}
