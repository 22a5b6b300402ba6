//! What changed since a date, and the ledger as of a date, from the edit log.

mod common;

use project_ledger::domain::digest::{as_of, digest};
use project_ledger::domain::edit::{Change, Edit, Field};
use project_ledger::domain::fieldwork::{BlockerLevel, NewBlocker, Record, RecordKind};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Date, Ledger, Stage};

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn edit(n: usize, project: &str, at: i64, change: Change) -> Edit {
    common::legacy_edit(&format!("w:{n}"), "d", project, at, change)
}

fn log() -> Vec<Edit> {
    vec![
        edit(1, "hc-01", 100, Change::Stage(Some(Stage::Signed))),
        edit(
            2,
            "hc-01",
            110,
            Change::OpenBlocker(NewBlocker {
                description: "缺电".into(),
                level: BlockerLevel::District,
                unit: "供电公司".into(),
                opened: d("2024-03-01"),
                deadline: None,
            }),
        ),
        edit(3, "hc-02", 120, Change::Notes("旧备注".into())),
        // The meeting of `since` = 150.
        edit(4, "hc-01", 200, Change::Stage(Some(Stage::Started))),
        edit(
            5,
            "hc-01",
            210,
            Change::ResolveBlocker {
                blocker: "w:2".into(),
                resolved: d("2024-03-09"),
                how: "已接入".into(),
            },
        ),
        edit(
            6,
            "hc-01",
            220,
            Change::AddRecord(Record {
                date: d("2024-03-10"),
                kind: RecordKind::Visit,
                who: None,
                notes: "现场".into(),
            }),
        ),
        // Changed and changed back since: no change to report.
        edit(7, "hc-02", 230, Change::Notes("新备注".into())),
        edit(8, "hc-02", 240, Change::Notes("旧备注".into())),
        edit(
            9,
            "ta-01",
            250,
            Change::OpenBlocker(NewBlocker {
                description: "用地未摘牌".into(),
                level: BlockerLevel::City,
                unit: "自然资源局".into(),
                opened: d("2024-03-11"),
                deadline: Some(d("2024-03-20")),
            }),
        ),
    ]
}

#[test]
fn the_ledger_as_of_a_moment_folds_only_the_edits_before_it() {
    let edits = log();
    let then = as_of(shipped(), &edits, 150);
    assert_eq!(then.project("hc-01").unwrap().stage, Some(Stage::Signed));
    assert!(then.project("hc-01").unwrap().blockers[0].is_open());
    assert!(then.project("ta-01").unwrap().blockers.is_empty());
    let now = Ledger::new(shipped(), edits.clone());
    assert_eq!(now.project("hc-01").unwrap().stage, Some(Stage::Started));
    assert_eq!(
        as_of(shipped(), &edits, i64::MAX).project("hc-01"),
        now.project("hc-01")
    );
}

#[test]
fn a_digest_lists_old_and_new_values_with_the_edit_that_made_them_blockers_and_visits() {
    let edits = log();
    let before = as_of(shipped(), &edits, 150);
    let now = Ledger::new(shipped(), edits.clone());
    let changed = digest(&before, &now, &edits, 150);
    let ids: Vec<&str> = changed.iter().map(|c| c.project.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["hc-01", "ta-01"],
        "hc-02 changed and changed back"
    );

    let hc01 = &changed[0];
    assert_eq!(hc01.fields.len(), 1);
    let stage = &hc01.fields[0];
    assert_eq!(stage.field, Field::Stage);
    assert_eq!(stage.old, Some(Change::Stage(Some(Stage::Signed))));
    assert_eq!(stage.new, Some(Change::Stage(Some(Stage::Started))));
    assert_eq!(stage.by.map(|e| e.id.to_string()), Some("w:4".into()));
    assert!(hc01.new_blockers.is_empty(), "opened before the moment");
    assert_eq!(hc01.resolved_blockers.len(), 1);
    assert_eq!(hc01.new_records.len(), 1);
    assert_eq!(hc01.new_records[0].notes, "现场");

    let ta01 = &changed[1];
    assert!(ta01.fields.is_empty());
    assert_eq!(ta01.new_blockers[0].opened_as.description, "用地未摘牌");
    assert!(ta01.resolved_blockers.is_empty());

    // Since after everything: nothing.
    let later = as_of(shipped(), &edits, 1_000);
    assert!(digest(&later, &now, &edits, 1_000).is_empty());
}

#[test]
fn the_ranking_as_of_an_earlier_date_and_the_movement_since() {
    use project_ledger::domain::light::LightRules;
    use project_ledger::domain::summary::{movements, places, previous_quarter_end, ranking};
    assert_eq!(previous_quarter_end(d("2026-12-03")), d("2026-09-30"));
    assert_eq!(previous_quarter_end(d("2026-01-01")), d("2025-12-31"));
    assert_eq!(previous_quarter_end(d("2026-06-30")), d("2026-03-31"));

    // Every 鞍山经济开发区 project starts after the quarter ended.
    let started: Vec<Edit> = shipped()
        .iter()
        .filter(|p| p.id.starts_with("jk-"))
        .enumerate()
        .map(|(n, p)| {
            edit(
                100 + n,
                &p.id,
                5_000 + n as i64,
                Change::Stage(Some(Stage::Started)),
            )
        })
        .collect();
    assert!(!started.is_empty());
    let today = d("2026-12-03");
    let rules = LightRules::default();
    let rank = |l: &Ledger| {
        let projects: Vec<_> = l.projects().collect();
        ranking(&projects, today, &rules)
    };
    let then = rank(&as_of(shipped(), &started, 5_000));
    let now = rank(&Ledger::new(shipped(), started.clone()));
    let place = |rows: &[project_ledger::domain::summary::Ranked]| {
        rows.iter()
            .position(|r| r.district.key() == "EconomicZone")
            .unwrap()
    };
    assert!(
        place(&now) < place(&then),
        "starting every project raises the district"
    );
    let moved = movements(&now, &then);
    let m = moved[place(&now)].unwrap();
    // Places, not positions: districts tied on points share one.
    let (was, is) = (places(&then)[place(&then)], places(&now)[place(&now)]);
    assert_eq!(m.earlier_place, was);
    assert!(
        was < place(&then) + 1,
        "then tied with others: a shared place"
    );
    assert_eq!(m.places_up, was as i64 - is as i64);
    assert_eq!(
        m.tenths_gained,
        Some(400),
        "40 points for a share started going from none to all"
    );
}

/// #30 item 3: a new project is one entry with only what was filled in; a
/// field filled for the first time or emptied says so; a 督办 (deadline
/// moved after it passed, a person named) and a progress note are listed.
#[test]
fn a_digest_lists_a_new_project_once_filled_and_emptied_fields_supervision_and_progress() {
    use project_ledger::domain::fieldwork::Supervision;
    let noon = |s: &str| d(s).days_since_epoch() * 86_400_000 + 4 * 3_600_000;
    let blocker = NewBlocker {
        description: "缺电".into(),
        level: BlockerLevel::District,
        unit: "供电公司".into(),
        opened: d("2024-04-01"),
        deadline: Some(d("2024-04-12")),
    };
    let edits = vec![
        edit(1, "hc-01", noon("2024-04-01"), Change::OpenBlocker(blocker)),
        edit(
            2,
            "hc-02",
            noon("2024-04-01"),
            Change::Owner("鞍山某公司".into()),
        ),
        // The moment: 2024-04-10.
        edit(
            3,
            "u-x-1",
            noon("2024-04-14"),
            Change::Create {
                name: "新项目".into(),
                district: None,
            },
        ),
        edit(
            4,
            "u-x-1",
            noon("2024-04-14"),
            Change::Stage(Some(Stage::Signed)),
        ),
        edit(5, "hc-02", noon("2024-04-14"), Change::Owner(String::new())),
        edit(
            6,
            "hc-03",
            noon("2024-04-14"),
            Change::Stage(Some(Stage::LandAcquired)),
        ),
        edit(
            7,
            "hc-01",
            noon("2024-04-15"),
            Change::Supervise {
                blocker: "w:1".into(),
                supervision: Supervision {
                    level: BlockerLevel::District,
                    unit: "供电公司".into(),
                    person: "张三".into(),
                    deadline: Some(d("2024-04-19")),
                },
            },
        ),
        edit(
            8,
            "hc-01",
            noon("2024-04-16"),
            Change::BlockerProgress {
                blocker: "w:1".into(),
                date: d("2024-04-16"),
                note: "已报市政府".into(),
            },
        ),
    ];
    let since = noon("2024-04-10");
    let before = as_of(shipped(), &edits, since);
    let now = Ledger::new(shipped(), edits.clone());
    let changed = digest(&before, &now, &edits, since);
    let of = |id: &str| changed.iter().find(|c| c.project.id == id).expect(id);

    let new = of("u-x-1");
    assert!(new.created);
    let fields: Vec<&Field> = new.fields.iter().map(|f| &f.field).collect();
    assert_eq!(
        fields,
        vec![&Field::Stage],
        "only what was filled in, not every empty field"
    );
    assert!(new.fields[0].old_empty && !new.fields[0].new_empty);

    let emptied = &of("hc-02").fields[0];
    assert_eq!(emptied.field, Field::Owner);
    assert!(!emptied.old_empty && emptied.new_empty);
    let filled = &of("hc-03").fields[0];
    assert!(
        filled.old_empty && !filled.new_empty,
        "清空 → 拿地 is a first filling"
    );

    let hc01 = of("hc-01");
    assert_eq!(hc01.supervised.len(), 1);
    let s = &hc01.supervised[0];
    assert_eq!(
        (s.old.deadline, s.new.deadline),
        (Some(d("2024-04-12")), Some(d("2024-04-19")))
    );
    assert_eq!(s.new.person, "张三");
    assert_eq!(s.missed, vec![(3, d("2024-04-12"))]);
    assert_eq!(hc01.new_progress.len(), 1);
    assert_eq!(hc01.new_progress[0].1 .1, "已报市政府");
}
