//! The snapshot: the folded ledger written out and read back is the same
//! ledger, and folds what comes after it the same; the id sets it is built
//! on answer like plain sets.

mod common;

use project_ledger::domain::edit::{Change, Edit, EditId, Entry, LEDGER_SUBJECT};
use project_ledger::domain::fieldwork::{
    BlockerLevel, CampaignSettings, NewBlocker, Record, RecordKind, Supervision,
};
use project_ledger::domain::ledger::{Added, Ledger};
use project_ledger::domain::log::ids::IdSet;
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::people::{PersonDetails, Role};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Cluster, Date, District, Procedure, Stage};
use proptest::prelude::*;
use std::collections::BTreeSet;

const PROJECTS: [&str; 4] = ["hc-01", "hc-07", "u-x-1", "u-x-2"];
const PEOPLE: [&str; 2] = ["person-1", "person-2"];

fn day(n: u8) -> Date {
    Date::new(2024, 3, 1 + n % 28).unwrap()
}

/// What a ledger's users do, on a few projects and people, so edits meet.
#[derive(Clone, Debug)]
enum Act {
    Project(usize, u8, u8),
    Person(usize, u8),
    Campaign(u16),
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        6 => (0usize..4, 0u8..18, any::<u8>()).prop_map(|(p, k, v)| Act::Project(p, k, v)),
        2 => (0usize..2, any::<u8>()).prop_map(|(p, v)| Act::Person(p, v)),
        1 => (1u16..300).prop_map(Act::Campaign),
    ]
}

fn change_of(act: &Act, blockers: &[String]) -> (String, Change) {
    match *act {
        Act::Project(p, kind, v) => {
            let subject = PROJECTS[p].to_owned();
            let change = match kind {
                0 => Change::Create {
                    name: format!("自建{v}"),
                    district: Some(District::Haicheng),
                },
                1 => Change::Stage(Some(Stage::ALL[v as usize % Stage::ALL.len()])),
                2 => Change::Notes(format!("备注{}", v % 3)),
                3 => Change::Procedure {
                    procedure: Procedure::ALL[v as usize % 6],
                    done: v % 2 == 0,
                    date: Some(day(v)),
                },
                4 => Change::InvestmentWan(Some(f64::from(v) * 10.5)),
                5 => Change::Assign(PEOPLE[v as usize % 2].into()),
                6 => Change::Unassign(PEOPLE[v as usize % 2].into()),
                7 => Change::Responsible(Some(PEOPLE[v as usize % 2].into())),
                8 => Change::AddRecord(Record {
                    date: day(v),
                    kind: RecordKind::ALL[v as usize % 6],
                    who: None,
                    notes: "走访".into(),
                }),
                9 => Change::OpenBlocker(NewBlocker {
                    description: format!("问题{v}"),
                    level: BlockerLevel::City,
                    unit: String::new(),
                    opened: day(v),
                    deadline: None,
                }),
                10 => match blockers.get(v as usize % blockers.len().max(1)) {
                    Some(b) => Change::ResolveBlocker {
                        blocker: b.clone(),
                        resolved: day(v.saturating_add(20)),
                        how: "已解决".into(),
                    },
                    None => Change::Reset,
                },
                16 => match blockers.get(v as usize % blockers.len().max(1)) {
                    Some(b) if v % 2 == 0 => Change::Supervise {
                        blocker: b.clone(),
                        supervision: Supervision {
                            level: BlockerLevel::ALL[v as usize % 2],
                            unit: format!("单位{}", v % 3),
                            person: "责任人".into(),
                            deadline: (v % 3 == 0).then(|| day(v.saturating_add(30))),
                        },
                    },
                    Some(b) => Change::BlockerProgress {
                        blocker: b.clone(),
                        date: day(v),
                        note: format!("进展{v}"),
                    },
                    None => Change::Reset,
                },
                12 => Change::Campaign(Some(v % 2 == 0)),
                13 => Change::Cluster(Cluster::ALL.get(v as usize % 4).copied()),
                14 => Change::Name(format!("改名{}", v % 3)),
                11 => Change::Reset,
                15 => Change::SignedOn((v % 2 == 0).then(|| day(v))),
                _ => Change::Remove,
            };
            (subject, change)
        }
        Act::Person(p, v) => {
            let change = if v % 7 == 0 {
                Change::RemovePerson {
                    reassign_to: Some(PEOPLE[(p + 1) % 2].into()),
                }
            } else {
                Change::SavePerson(PersonDetails {
                    name: format!("人{v}"),
                    role: [Role::CityLeader, Role::ServiceTeam][v as usize % 2],
                    district: None,
                    unit: String::new(),
                    phone: String::new(),
                    login: String::new(),
                })
            };
            (PEOPLE[p].to_owned(), change)
        }
        Act::Campaign(days) => (
            LEDGER_SUBJECT.to_owned(),
            Change::CampaignSettings(CampaignSettings {
                start: day(0),
                days,
            }),
        ),
    }
}

/// Two devices act and swap edits now and then; times now and then far ahead.
fn history() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(
        (
            0usize..2,
            act(),
            prop_oneof![4 => Just(0i64), 1 => Just(1i64 << 40)],
            any::<bool>(),
        ),
        1..60,
    )
    .prop_map(|steps| {
        let mut devices = [
            Journal::new(shipped(), Vec::<Edit>::new()),
            Journal::new(shipped(), Vec::<Edit>::new()),
        ];
        let mut all = Vec::new();
        let mut clock = 1_700_000_000_000i64;
        for (n, (d, act, ahead, swap)) in steps.into_iter().enumerate() {
            clock += 1000;
            let blockers: Vec<String> = devices[d]
                .projects()
                .flat_map(|p| p.blockers.iter().map(|b| b.id.clone()))
                .collect();
            let (subject, change) = change_of(&act, &blockers);
            let edit = devices[d].prepare(
                EditId::new(["a", "b"][d], n as u64 + 1),
                ["dev-a", "dev-b"][d],
                &subject,
                change,
                clock + ahead,
            );
            devices[d].add(edit.clone());
            all.push(edit);
            if swap {
                let theirs: Vec<Entry> = devices[1 - d].entries().to_vec();
                devices[d].add_all(theirs);
            }
        }
        all
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Written out and read back, the ledger is the same (its own snapshot
    /// again, byte for byte), and what comes after folds the same on both.
    #[test]
    fn a_snapshot_is_the_same_ledger(edits in history(), split in any::<prop::sample::Index>(), shuffle in any::<u64>()) {
        // Edits arrive in any order: a child before its parent, an old one late.
        let mut edits = edits;
        let mut seed = shuffle;
        for i in (1..edits.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            edits.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let at = split.index(edits.len() + 1);
        let (before, after) = edits.split_at(at);
        let original = Journal::new(shipped(), before.to_vec());
        let text = original.snapshot();
        let mut restored = Ledger::from_snapshot(shipped(), &text).expect("reads back");
        prop_assert_eq!(restored.snapshot(), text);
        prop_assert!(restored.projects().eq(original.projects()));
        prop_assert!(restored.people().eq(original.people()));
        let mut reference = original;
        let mut log: Vec<Entry> = before.iter().cloned().map(Entry::from).collect();
        for edit in after {
            reference.add(edit.clone());
            log.push(edit.clone().into());
            match restored.add(edit.clone()) {
                // Storage folds its whole log again, or the project's edits.
                Added::Refold => restored = Ledger::new(shipped(), log.clone()),
                Added::Stale => {
                    prop_assert_eq!(restored.refold_stale(log.clone(), restored.read_mark()), 1);
                    prop_assert_eq!(restored.stale_count(), 0);
                }
                Added::Known | Added::Folded => {}
            }
            prop_assert!(restored.projects().eq(reference.projects()));
        }
        prop_assert_eq!(restored.snapshot(), reference.snapshot());
        prop_assert_eq!(restored.conflicts().len(), reference.conflicts().len());
        prop_assert_eq!(restored.stamp(1_800_000_000_000), reference.stamp(1_800_000_000_000));
    }
}

#[test]
fn a_snapshot_remembers_what_was_replaced_before_it_arrived() {
    // A device set a note with its clock years ahead; another device saw it
    // and replaced it. The replacement reached us first, then we restarted
    // (from the snapshot), then the far-ahead note arrived: it must not show.
    let mut there = Journal::new(shipped(), Vec::<Edit>::new());
    let ahead = there.prepare(
        EditId::new("f", 1),
        "far",
        "hc-01",
        Change::Notes("来自未来".into()),
        1 << 50,
    );
    there.add(ahead.clone());
    let fix = there.prepare(
        EditId::new("g", 1),
        "near",
        "hc-01",
        Change::Notes("改正".into()),
        1_700_000_000_000,
    );
    assert_eq!(fix.replaces, Some(vec![ahead.id.clone()]));
    let here = Ledger::new(shipped(), vec![fix]);
    let mut restored = Ledger::from_snapshot(shipped(), &here.snapshot()).unwrap();
    assert_eq!(restored.add(ahead), Added::Folded);
    assert_eq!(restored.project("hc-01").unwrap().notes, "改正");
}

#[test]
fn a_snapshot_of_another_registry_or_format_is_not_used() {
    let ledger = common::ledger_with(vec![("hc-01", Change::Notes("甲".into()))]);
    let text = ledger.snapshot();
    let mut other = shipped();
    other[0].name.push('改');
    assert!(
        Ledger::from_snapshot(other, &text).is_none(),
        "an update shipped other data"
    );
    assert!(text.starts_with("[6,"), "{}", &text[..20]);
    assert!(Ledger::from_snapshot(shipped(), &text.replacen("[6,", "[99,", 1)).is_none());
    // Format 5 kept no missed deadlines, format 4 no creation order of the
    // projects people added: folded afresh.
    assert!(Ledger::from_snapshot(shipped(), &text.replacen("[6,", "[5,", 1)).is_none());
    assert!(Ledger::from_snapshot(shipped(), &text.replacen("[6,", "[4,", 1)).is_none());
    assert!(Ledger::from_snapshot(shipped(), "{}").is_none());
    assert!(Ledger::from_snapshot(shipped(), &text[..text.len() / 2]).is_none());
    assert_eq!(
        Ledger::from_snapshot(shipped(), &text)
            .unwrap()
            .project("hc-01")
            .unwrap()
            .notes,
        "甲"
    );
}

#[test]
fn a_snapshot_cut_at_a_line_is_not_used() {
    let ledger = common::ledger_with(vec![
        ("hc-01", Change::Notes("甲".into())),
        ("hc-02", Change::Notes("乙\n丙".into())),
    ]);
    let text = ledger.snapshot();
    assert_eq!(
        text.lines().count(),
        3,
        "a header and one line per touched project"
    );
    let cut = &text[..text.rfind('\n').unwrap()];
    assert!(Ledger::from_snapshot(shipped(), cut).is_none());
    let restored = Ledger::from_snapshot(shipped(), &text).unwrap();
    assert_eq!(restored.project("hc-02").unwrap().notes, "乙\n丙");
}

#[test]
fn an_unreadable_edit_stays_verbatim_in_the_snapshot() {
    let raw =
        r#"{"v":9,"i":"n:1","d":"x","p":"hc-01","t":1,"c":{"Teleport":{"to":"月球"}},"z":[3,1]}"#;
    let entries = project_ledger::domain::log::wire::read_entries(&format!("[{raw}]"))
        .unwrap()
        .entries;
    let ledger = Ledger::new(shipped(), entries);
    let restored = Ledger::from_snapshot(shipped(), &ledger.snapshot()).unwrap();
    assert_eq!(restored.unreadable()[0].raw.get(), raw);
}

#[test]
fn untouched_shipped_projects_are_not_written() {
    let empty = Ledger::new(shipped(), Vec::<Edit>::new()).snapshot();
    let one = common::ledger_with(vec![("hc-01", Change::Notes("甲".into()))]).snapshot();
    assert!(empty.len() < 1_000, "{} bytes", empty.len());
    assert!(one.len() < 2_500, "{} bytes", one.len());
}

proptest! {
    /// An id set answers like a set of ids, and reads back from its text.
    #[test]
    fn an_id_set_is_a_set(ids in proptest::collection::vec((0usize..3, 0u64..40), 0..120), mark in 0u64..40) {
        let writers = ["w", "x", "yy"];
        let mut set = IdSet::default();
        let mut model = BTreeSet::new();
        for (w, seq) in ids {
            let id = EditId::new(writers[w], seq);
            prop_assert_eq!(set.insert(&id), model.insert((w, seq)));
        }
        prop_assert_eq!(set.len(), model.len());
        for (w, writer) in writers.iter().enumerate() {
            for seq in 0..40 {
                prop_assert_eq!(set.contains(&EditId::new(writer, seq)), model.contains(&(w, seq)));
            }
            let above = model.iter().filter(|(mw, s)| *mw == w && *s > mark).count();
            prop_assert_eq!(set.count_above(writer, mark), above);
        }
        let back = IdSet::from_text(&set.to_text()).unwrap();
        for (w, writer) in writers.iter().enumerate() {
            for seq in 0..40 {
                prop_assert_eq!(back.contains(&EditId::new(writer, seq)), model.contains(&(w, seq)));
            }
        }
        prop_assert_eq!(back.len(), model.len());
    }
}

#[test]
fn id_set_text_that_is_not_one_is_refused() {
    for text in [
        "w", "w:", "w:3-1", "w:1.1", "w:1-3.2", "w:1 w:2", ":1", "w:x",
    ] {
        assert!(IdSet::from_text(text).is_none(), "{text:?}");
    }
    assert_eq!(IdSet::from_text("").unwrap().len(), 0);
}

#[test]
fn stewards_the_responsible_member_and_resolutions_survive_a_snapshot() {
    let member = |name: &str| {
        Change::SavePerson(PersonDetails {
            name: name.into(),
            role: Role::ServiceTeam,
            district: None,
            unit: String::new(),
            phone: String::new(),
            login: String::new(),
        })
    };
    let ledger = common::ledger_with(vec![
        ("person-1", member("甲")),
        ("person-2", member("乙")),
        ("hc-01", Change::Assign("person-2".into())),
        ("hc-01", Change::Assign("person-1".into())),
        ("hc-01", Change::Responsible(Some("person-1".into()))),
        (
            "hc-01",
            Change::OpenBlocker(NewBlocker {
                description: "缺电".into(),
                level: BlockerLevel::City,
                unit: String::new(),
                opened: day(1),
                deadline: None,
            }),
        ),
        (
            "hc-01",
            Change::ResolveBlocker {
                blocker: "t:5".into(),
                resolved: day(9),
                how: "已通电".into(),
            },
        ),
        ("hc-01", Change::Cluster(None)),
    ]);
    let restored = Ledger::from_snapshot(shipped(), &ledger.snapshot()).unwrap();
    let (before, after) = (
        ledger.project("hc-01").unwrap(),
        restored.project("hc-01").unwrap(),
    );
    assert_eq!(after.stewards, ["person-2", "person-1"]);
    assert_eq!(after.responsible.as_deref(), Some("person-1"));
    assert_eq!(
        after.blockers[0].resolved,
        Some((day(9), "已通电".to_owned()))
    );
    assert_eq!(after.cluster_by, None);
    assert_eq!(before, after);
}
