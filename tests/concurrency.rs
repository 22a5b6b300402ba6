//! Concurrency you can explain, clocks that cannot be poisoned, imports that
//! are bounded. An edit records the edits of its field it replaces (its causal
//! parents); two edits of one field that neither replaces, down its chain, are
//! a conflict, listed alike on every device that holds both.

mod common;

use project_ledger::domain::edit::{Change, Edit, EditId, Entry, Field};
use project_ledger::domain::exchange::{bundle_json, read_bundle, FileError};
use project_ledger::domain::ledger::CLOCK_MARGIN_MS;
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::registry::shipped;
use project_ledger::domain::validate::{check_batch, EditFault, InputError, MAX_DEVICE_CHARS};
use project_ledger::domain::{Ledger, Stage};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A local edit on `ledger`'s device, added to it.
fn local(
    ledger: &mut Journal,
    writer: &str,
    seq: u64,
    subject: &str,
    change: Change,
    now: i64,
) -> Edit {
    let edit = ledger.prepare(EditId::new(writer, seq), writer, subject, change, now);
    assert!(ledger.add(edit.clone()));
    edit
}

#[test]
fn an_edit_that_saw_the_other_replaces_it_and_one_that_did_not_conflicts() {
    let mut office = Journal::new(shipped(), Vec::<Edit>::new());
    let mut phone = Journal::new(shipped(), Vec::<Edit>::new());
    let o1 = local(
        &mut office,
        "o",
        1,
        "hc-07",
        Change::Stage(Some(Stage::Completed)),
        100,
    );
    let o2 = local(
        &mut office,
        "o",
        2,
        "hc-07",
        Change::Stage(Some(Stage::Started)),
        200,
    );
    assert_eq!(
        o2.replaces,
        Some(vec![o1.id.clone()]),
        "a sequential edit names its predecessor"
    );
    let p1 = local(
        &mut phone,
        "p",
        1,
        "hc-07",
        Change::Stage(Some(Stage::Producing)),
        150,
    );
    assert_eq!(p1.replaces, Some(vec![]), "the phone saw no stage edit");
    // Either route, either order: the same conflict, the same value shown.
    phone.add_all([o1.clone(), o2.clone()]);
    office.add(p1.clone());
    for ledger in [&office, &phone] {
        let conflicts = ledger.conflicts();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].field, Field::Stage);
        let sides: Vec<&EditId> = conflicts[0].sides.iter().map(|s| s.id).collect();
        assert_eq!(
            sides,
            vec![&o2.id, &p1.id],
            "newest first: what shows, then what it hides"
        );
        assert_eq!(ledger.project("hc-07").unwrap().stage, Some(Stage::Started));
    }
    // A bundle carrying the office's own edits back changes nothing about it.
    let reply = bundle_json("p", 0, phone.entries().to_vec());
    for entry in read_bundle(&reply).unwrap().edits {
        office.add(entry);
    }
    assert_eq!(office.conflicts().len(), 1);
    // Taking the phone's value replaces both heads: settled on every device.
    let settle = local(
        &mut office,
        "o",
        3,
        "hc-07",
        Change::Stage(Some(Stage::Producing)),
        300,
    );
    assert_eq!(
        settle
            .replaces
            .as_ref()
            .map(|r| r.iter().collect::<BTreeSet<_>>()),
        Some([&o2.id, &p1.id].into_iter().collect())
    );
    phone.add(settle);
    for ledger in [&office, &phone] {
        assert!(ledger.conflicts().is_empty());
        assert_eq!(
            ledger.project("hc-07").unwrap().stage,
            Some(Stage::Producing)
        );
    }
}

#[test]
fn edits_stored_before_parents_existed_keep_their_last_writer_wins() {
    let ledger = common::ledger_with(vec![
        ("hc-01", Change::Notes("甲".into())),
        ("hc-01", Change::Notes("乙".into())),
    ]);
    assert_eq!(ledger.project("hc-01").unwrap().notes, "乙");
    assert!(
        ledger.conflicts().is_empty(),
        "a format-1 edit replaces what came before it"
    );
    // A new edit after them replaces the one that shows.
    let edit = ledger.prepare(
        EditId::new("n", 1),
        "n",
        "hc-01",
        Change::Notes("丙".into()),
        10,
    );
    assert_eq!(edit.replaces, Some(vec![EditId::new("t", 1)]));
}

const YEAR_9999: i64 = 253_402_300_799_999;
const NOW: i64 = 1_733_000_000_000;

#[test]
fn a_clock_far_ahead_never_drags_local_stamps_and_loses_to_later_real_edits() {
    for future in [YEAR_9999, i64::MAX, NOW + CLOCK_MARGIN_MS + 60_000] {
        let mut ledger = Journal::new(
            shipped(),
            vec![common::legacy_edit(
                "far:1",
                "wrongclock",
                "hc-01",
                future,
                Change::Notes("未来".into()),
            )],
        );
        assert_eq!(ledger.stamp(NOW), NOW, "{future}: not dragged forward");
        assert_eq!(ledger.time_anomalies(NOW).len(), 1, "{future}: listed");
        assert_eq!(
            ledger.project("hc-01").unwrap().notes,
            "未来",
            "merged and shown"
        );
        let mine = local(
            &mut ledger,
            "me",
            1,
            "hc-01",
            Change::Notes("本机".into()),
            NOW,
        );
        let other = local(
            &mut ledger,
            "me",
            2,
            "hc-02",
            Change::Notes("别处".into()),
            NOW + 1,
        );
        assert_eq!((mine.at, other.at), (NOW, NOW + 1));
        assert_eq!(
            ledger.project("hc-01").unwrap().notes,
            "本机",
            "{future}: the later real edit wins"
        );
        // After a reload (a fresh fold of everything stored) too.
        let reloaded = Ledger::new(shipped(), ledger.entries().to_vec());
        assert_eq!(reloaded.project("hc-01").unwrap().notes, "本机");
        assert_eq!(reloaded.project("hc-02").unwrap().notes, "别处");
    }
}

#[test]
fn a_clock_a_little_ahead_is_followed() {
    let ahead = NOW + 60_000;
    let ledger = Ledger::new(
        shipped(),
        vec![common::legacy_edit(
            "b:1",
            "b",
            "hc-01",
            ahead,
            Change::Notes("稍快".into()),
        )],
    );
    assert_eq!(
        ledger.stamp(NOW),
        ahead + 1,
        "within the margin: the newest edit still wins"
    );
    assert!(ledger.time_anomalies(NOW).is_empty());
}

#[test]
fn no_time_overflows() {
    for at in [i64::MIN, -5, 0, i64::MAX] {
        let ledger = Ledger::new(
            shipped(),
            vec![common::legacy_edit(
                "x:1",
                "x",
                "hc-01",
                at,
                Change::Notes("x".into()),
            )],
        );
        for now in [i64::MIN, -1, 0, NOW, i64::MAX - 1, i64::MAX] {
            let stamp = ledger.stamp(now);
            assert!(stamp >= now, "{at} {now}");
            let _ = ledger.time_anomalies(now);
        }
    }
    let mut ledger = Journal::new(shipped(), Vec::<Edit>::new());
    let a = local(
        &mut ledger,
        "m",
        1,
        "hc-01",
        Change::Notes("a".into()),
        i64::MAX,
    );
    let b = local(
        &mut ledger,
        "m",
        2,
        "hc-01",
        Change::Notes("b".into()),
        i64::MAX,
    );
    assert_eq!((a.at, b.at), (i64::MAX, i64::MAX));
    assert_eq!(
        ledger.project("hc-01").unwrap().notes,
        "b",
        "the id breaks the tie, and b replaced a"
    );
}

#[test]
fn every_field_of_an_imported_edit_is_bounded() {
    let ok = common::legacy_edit("w:1", "d", "hc-01", 1, Change::Notes("好".into()));
    let faults = [
        (
            Edit {
                device: "x".repeat(MAX_DEVICE_CHARS + 1),
                ..ok.clone()
            },
            EditFault::DeviceTooLong,
        ),
        (
            Edit {
                device: "x".repeat(6_000_000),
                ..ok.clone()
            },
            EditFault::DeviceTooLong,
        ),
        (
            common::legacy_edit("w:1", "d", &"p".repeat(101), 1, Change::Notes("x".into())),
            EditFault::SubjectTooLong,
        ),
        (
            common::legacy_edit("w:1", "d", "", 1, Change::Notes("x".into())),
            EditFault::SubjectEmpty,
        ),
        (
            common::legacy_edit("w:1", "d", "hc-01", 1, Change::Notes("长".repeat(5_001))),
            EditFault::Input(InputError::TooLong { max: 5_000 }),
        ),
        (
            common::legacy_edit("w:1", "d", "hc-01", 1, Change::Name("名".repeat(501))),
            EditFault::Input(InputError::TooLong { max: 500 }),
        ),
        (
            common::legacy_edit("w:1", "d", "hc-01", 1, Change::InvestmentWan(Some(1e12))),
            EditFault::Input(InputError::NotANumber),
        ),
        (
            common::legacy_edit("w:1", "d", "hc-01", 1, Change::Assign("p".repeat(101))),
            EditFault::ReferenceTooLong,
        ),
        (
            Edit {
                replaces: Some((0..65).map(|n| EditId::new("r", n)).collect()),
                made_by: None,
                ..ok.clone()
            },
            EditFault::TooManyReplaced,
        ),
    ];
    for (edit, fault) in faults {
        let text = bundle_json("d", 0, vec![ok.clone().into(), edit.into()]);
        assert_eq!(
            read_bundle(&text),
            Err(FileError::BadEdit {
                position: 2,
                id: "w:1".into(),
                fault: fault.clone()
            }),
            "{fault:?}"
        );
    }
    let big = format!(
        r#"{{"v":9,"i":"n:1","d":"x","p":"hc-01","t":1,"c":{{"New":"{}"}}}}"#,
        "x".repeat(20_001)
    );
    let text = format!(
        r#"{{"format":"project-ledger-bundle","version":1,"device":"x","created":0,"edits":[{big}]}}"#
    );
    assert!(matches!(
        read_bundle(&text),
        Err(FileError::BadEdit {
            fault: EditFault::UnreadableTooLarge,
            ..
        })
    ));
    assert!(read_bundle(&bundle_json("d", 0, vec![ok.into()])).is_ok());
}

#[test]
fn a_batch_is_checked_as_one_action_against_a_scratch_of_its_own_changes() {
    use project_ledger::domain::Date;
    let ledger = common::ledger_with(vec![]);
    let d = |s: &str| Date::parse(s);
    let fine = vec![
        ("hc-01".to_owned(), Change::SignedOn(d("2024-03-01"))),
        ("hc-01".to_owned(), Change::ActualStart(d("2024-03-02"))),
    ];
    assert_eq!(check_batch(&ledger, &fine), Ok(()));
    let refused = vec![
        ("hc-01".to_owned(), Change::SignedOn(d("2024-03-05"))),
        ("hc-02".to_owned(), Change::Notes("无关".into())),
        ("hc-01".to_owned(), Change::ActualStart(d("2024-03-02"))),
    ];
    assert_eq!(
        check_batch(&ledger, &refused),
        Err((2, InputError::StartBeforeSigning)),
        "checked against the batch's own earlier change"
    );
    let new_project = vec![
        (
            "u-x-1".to_owned(),
            Change::Create {
                name: "新".into(),
                district: None,
            },
        ),
        ("u-x-1".to_owned(), Change::SignedOn(d("2024-03-05"))),
        ("u-x-1".to_owned(), Change::ActualStart(d("2024-03-01"))),
    ];
    assert_eq!(
        check_batch(&ledger, &new_project),
        Err((2, InputError::StartBeforeSigning))
    );
    // The edits of a batch: later than each other, and a second edit of a field replaces the first.
    let edits = ledger.prepare_all(
        {
            let mut n = 0;
            move || {
                n += 1;
                EditId::new("b", n)
            }
        },
        "b",
        &Default::default(),
        vec![
            ("hc-01".into(), Change::Notes("一".into())),
            ("hc-02".into(), Change::Notes("二".into())),
            ("hc-01".into(), Change::Notes("三".into())),
        ],
        NOW,
    );
    assert!(edits.windows(2).all(|w| w[0].at < w[1].at));
    assert_eq!(edits[2].replaces, Some(vec![EditId::new("b", 1)]));
}

// ------------------------------------------------------------ three devices

const SUBJECTS: [&str; 2] = ["hc-01", "hc-07"];

#[derive(Clone, Debug)]
enum Step {
    /// Device makes an edit of a field (0: stage, 1: notes) with a value, its clock skewed by `skew`.
    Edit {
        device: usize,
        subject: usize,
        field: usize,
        value: usize,
        skew: i64,
    },
    /// Device `from` hands `to` some of its entries (a bit mask picks them), in an order.
    Deliver {
        from: usize,
        to: usize,
        pick: u64,
        shuffle: u64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        // Clocks a few seconds apart, and now and then one years ahead.
        (
            0usize..3,
            0usize..2,
            0usize..2,
            0usize..3,
            prop_oneof![9 => -5_000i64..5_000, 1 => Just(YEAR_9999)]
        )
            .prop_map(|(device, subject, field, value, skew)| Step::Edit {
                device,
                subject,
                field,
                value,
                skew
            }),
        (0usize..3, 0usize..3, any::<u64>(), any::<u64>()).prop_map(|(from, to, pick, shuffle)| {
            Step::Deliver {
                from,
                to,
                pick,
                shuffle,
            }
        }),
    ]
}

fn change_of(field: usize, value: usize) -> Change {
    let stages = [Stage::Signed, Stage::Started, Stage::Producing];
    match field {
        0 => Change::Stage(Some(stages[value])),
        _ => Change::Notes(["甲", "乙", "丙"][value].into()),
    }
}

/// A device's conflicts as plain data: (subject, field, side ids in order).
fn conflict_list(ledger: &Ledger) -> Vec<(String, Field, Vec<String>)> {
    ledger
        .conflicts()
        .into_iter()
        .map(|c| {
            (
                c.subject.id().to_owned(),
                c.field,
                c.sides.iter().map(|e| e.id.to_string()).collect(),
            )
        })
        .collect()
}

fn shuffled<T>(mut items: Vec<T>, mut seed: u64) -> Vec<T> {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        items.swap(i, (seed >> 33) as usize % (i + 1));
    }
    items
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// Three devices edit concurrently and in sequence and hand edits on in
    /// random orders, some twice. Once all hold everything, all show the same
    /// state and list the same conflicts, and those are exactly the edits that
    /// no device made after seeing them.
    #[test]
    fn three_devices_list_the_same_conflicts_and_show_the_same_state(
        steps in proptest::collection::vec(step(), 1..40),
        finish in any::<u64>(),
    ) {
        let mut ledgers: Vec<Journal> = (0..3).map(|_| Journal::new(shipped(), Vec::<Edit>::new())).collect();
        let writers = ["a", "b", "c"];
        let mut seq = [0u64; 3];
        let mut clock = 1_700_000_000_000i64;
        // What each edit's device held when it was made: the ground truth of "saw".
        let mut knew: BTreeMap<EditId, BTreeSet<EditId>> = BTreeMap::new();
        let mut fields: BTreeMap<EditId, (usize, usize)> = BTreeMap::new();
        for step in steps {
            match step {
                Step::Edit { device, subject, field, value, skew } => {
                    clock += 1_000;
                    seq[device] += 1;
                    let held: BTreeSet<EditId> = ledgers[device].entries().iter().map(|e| e.id().clone()).collect();
                    let edit = local(&mut ledgers[device], writers[device], seq[device], SUBJECTS[subject], change_of(field, value), clock + skew);
                    knew.insert(edit.id.clone(), held);
                    fields.insert(edit.id, (subject, field));
                }
                Step::Deliver { from, to, pick, shuffle } => {
                    let chosen: Vec<Entry> = ledgers[from].entries().iter().enumerate().filter(|(i, _)| pick >> (i % 64) & 1 == 1).map(|(_, e)| e.clone()).collect();
                    for entry in shuffled(chosen, shuffle) {
                        ledgers[to].add(entry);
                    }
                }
            }
        }
        for (k, to) in (0..3).enumerate() {
            let all: Vec<Entry> = (0..3).flat_map(|from| ledgers[from].entries().to_vec()).collect();
            ledgers[to].add_all(shuffled(all, finish.wrapping_add(k as u64)));
        }
        let reference = conflict_list(ledgers[0].ledger());
        for ledger in &ledgers[1..] {
            prop_assert!(ledger.projects().eq(ledgers[0].projects()), "same state");
            prop_assert_eq!(conflict_list(ledger.ledger()), reference.clone());
        }
        // A fresh fold of the same edits agrees too.
        let fresh = Ledger::new(shipped(), ledgers[0].entries().to_vec());
        prop_assert!(fresh.projects().eq(ledgers[0].projects()));
        prop_assert_eq!(conflict_list(&fresh), reference.clone());
        // The heads of each field are exactly the edits no later edit of it saw.
        for (subject, name) in SUBJECTS.iter().enumerate() {
            for (field, key) in [(0, Field::Stage), (1, Field::Notes)] {
                let of_field: Vec<&EditId> = fields.iter().filter(|(_, f)| **f == (subject, field)).map(|(id, _)| id).collect();
                let truth: BTreeSet<&EditId> = of_field.iter().copied()
                    .filter(|e| !of_field.iter().any(|f| knew[*f].contains(*e)))
                    .collect();
                let heads: BTreeSet<&EditId> = ledgers[0].heads(name, &key).iter().map(|h| &h.id).collect();
                prop_assert_eq!(heads, truth);
            }
        }
    }
}

/// A double tap submits the same thing twice; a creation names a fresh
/// subject each time, so what is compared leaves a subject that does not
/// exist yet unnamed (#30 item 5).
#[test]
fn a_repeated_submission_is_the_same_submission_even_when_it_creates() {
    use project_ledger::domain::validate::submission;
    let ledger = common::ledger_with(vec![]);
    let create = |id: &str| {
        vec![(
            id.to_owned(),
            Change::Create {
                name: "双击".into(),
                district: None,
            },
        )]
    };
    assert_eq!(
        submission(&ledger, &create("u-a-1")),
        submission(&ledger, &create("u-a-2"))
    );
    let note = |id: &str, text: &str| vec![(id.to_owned(), Change::Notes(text.into()))];
    assert_eq!(
        submission(&ledger, &note("hc-01", "一")),
        submission(&ledger, &note("hc-01", "一"))
    );
    assert_ne!(
        submission(&ledger, &note("hc-01", "一")),
        submission(&ledger, &note("hc-02", "一")),
        "the same change of another project is another submission"
    );
    assert_ne!(
        submission(&ledger, &note("hc-01", "一")),
        submission(&ledger, &note("hc-01", "二"))
    );
}
