//! A person withdraws their own visit record or blocker (#30 item 5): the
//! void is an edit; the record leaves the lists, the counts, the light and
//! the digest; both stay in the log.

mod common;

use project_ledger::domain::digest::{as_of, digest};
use project_ledger::domain::edit::{Change, Edit, EditId, Entry, Maker};
use project_ledger::domain::fieldwork::{BlockerLevel, NewBlocker, Record, RecordKind};
use project_ledger::domain::ledger::Added;
use project_ledger::domain::light::{light, roles, Light, LightRules};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::summary::ranking;
use project_ledger::domain::validate::{check_change, InputError};
use project_ledger::domain::{Date, District, Ledger};

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn edit(n: u64, at: i64, change: Change) -> Edit {
    common::legacy_edit(&format!("w:{n}"), "d", "hc-01", at, change)
}

fn visit(date: &str) -> Change {
    Change::AddRecord(Record {
        date: d(date),
        kind: RecordKind::Visit,
        who: None,
        notes: "现场走访".into(),
    })
}

fn blocker() -> Change {
    Change::OpenBlocker(NewBlocker {
        description: "缺电".into(),
        level: BlockerLevel::District,
        unit: "供电公司".into(),
        opened: d("2026-11-01"),
        deadline: Some(d("2026-11-10")),
    })
}

fn void(record: &str) -> Change {
    Change::Void {
        record: record.into(),
        why: "重复录入".into(),
    }
}

#[test]
fn a_voided_visit_leaves_the_project_and_the_ranking_and_the_digest() {
    let today = d("2026-12-07");
    let recorded = |edits: Vec<Edit>| {
        let ledger = Ledger::new(shipped(), edits);
        let haicheng: Vec<_> = ledger
            .projects()
            .filter(|p| p.district == Some(District::Haicheng))
            .collect();
        let row = ranking(&haicheng, today, &LightRules::default())
            .into_iter()
            .find(|r| r.district == District::Haicheng)
            .unwrap();
        (ledger.project("hc-01").unwrap().records.len(), row.recorded)
    };
    let kept = vec![edit(1, 10, visit("2026-12-01"))];
    assert_eq!(recorded(kept.clone()), (1, true));
    let mut voided = kept.clone();
    voided.push(edit(2, 20, void("w:1")));
    assert_eq!(
        recorded(voided.clone()),
        (0, false),
        "no recent record is left to earn points"
    );

    // The digest since before the visit lists nothing for it.
    let ledger = Ledger::new(shipped(), voided.clone());
    let before = as_of(shipped(), &voided, 5);
    assert!(digest(&before, &ledger, &voided, 5)
        .iter()
        .all(|p| p.project.id != "hc-01"));
}

#[test]
fn a_voided_blocker_no_longer_turns_the_light_red() {
    let today = d("2026-12-07");
    let shown = |edits: Vec<Edit>| {
        let ledger = Ledger::new(shipped(), edits);
        let p = ledger.project("hc-01").unwrap();
        let shown = (
            p.blockers.len(),
            light(p, &roles(&ledger), today, &LightRules::default()).0,
        );
        shown
    };
    let opened = vec![edit(1, 10, blocker())];
    assert_eq!(
        shown(opened.clone()),
        (1, Light::Red),
        "overdue since 11-10"
    );
    let mut voided = opened;
    voided.push(edit(2, 20, void("w:1")));
    let (blockers, light) = shown(voided.clone());
    assert_eq!(blockers, 0);
    assert_ne!(light, Light::Red);
    // A progress note or resolution of the voided blocker changes nothing.
    voided.push(edit(
        3,
        30,
        Change::ResolveBlocker {
            blocker: "w:1".into(),
            resolved: d("2026-12-01"),
            how: "".into(),
        },
    ));
    assert_eq!(shown(voided).0, 0);
}

#[test]
fn a_void_that_arrives_before_its_record_still_voids_it() {
    // Sync delivers in any order; the fold orders by time.
    let edits = vec![edit(2, 20, void("w:1")), edit(1, 10, visit("2026-12-01"))];
    let ledger = Ledger::new(shipped(), edits);
    assert!(ledger.project("hc-01").unwrap().records.is_empty());
    // Added one by one in arrival order: the earlier record makes the
    // project stale, and folding it again from its edits voids it.
    let mut ledger = Ledger::new(shipped(), Vec::<Edit>::new());
    assert_eq!(ledger.add(edit(2, 20, void("w:1"))), Added::Folded);
    assert_eq!(ledger.add(edit(1, 10, visit("2026-12-01"))), Added::Stale);
    let held: Vec<Entry> = vec![
        edit(2, 20, void("w:1")).into(),
        edit(1, 10, visit("2026-12-01")).into(),
    ];
    assert_eq!(ledger.refold_stale(held, ledger.read_mark()), 1);
    assert!(ledger.project("hc-01").unwrap().records.is_empty());
}

#[test]
fn only_a_record_of_the_project_can_be_voided() {
    let ledger = Ledger::new(shipped(), vec![edit(1, 10, visit("2026-12-01"))]);
    let p = ledger.project("hc-01").unwrap();
    assert_eq!(check_change(p, &void("w:1")), Ok(()));
    assert_eq!(check_change(p, &void("w:9")), Err(InputError::NoSuchRecord));
    let long = Change::Void {
        record: "w:1".into(),
        why: "长".repeat(5001),
    };
    assert!(matches!(
        check_change(p, &long),
        Err(InputError::TooLong { .. })
    ));
}

#[test]
fn a_person_may_void_only_what_they_made() {
    let maker = |login: Option<&str>, person: Option<&str>| Maker {
        login: login.map(str::to_owned),
        person: person.map(str::to_owned),
    };
    let made = |by: Option<Maker>, device: &str| Edit {
        id: EditId::new("w", 1),
        device: device.into(),
        made_by: by.map(Box::new),
        ..edit(1, 10, visit("2026-12-01"))
    };
    let sun = maker(Some("district-Haicheng-1"), Some("孙立新"));
    let cases: [(Edit, Option<&str>, Maker, &str, bool); 10] = [
        // The same login, on any device.
        (
            made(Some(sun.clone()), "a"),
            None,
            maker(Some("district-Haicheng-1"), None),
            "b",
            true,
        ),
        (
            made(Some(sun.clone()), "a"),
            None,
            maker(Some("city-office-1"), Some("孙立新")),
            "a",
            false,
        ),
        // Not signed in: the same 我是 person.
        (
            made(Some(maker(None, Some("孙立新"))), "a"),
            None,
            maker(None, Some("孙立新")),
            "b",
            true,
        ),
        (
            made(Some(maker(None, Some("孙立新"))), "a"),
            None,
            maker(None, Some("王晓明")),
            "a",
            false,
        ),
        // 未署名: only on the device that made it, by someone unnamed there.
        (
            made(Some(Maker::default()), "a"),
            None,
            Maker::default(),
            "a",
            true,
        ),
        (
            made(Some(Maker::default()), "a"),
            None,
            Maker::default(),
            "b",
            false,
        ),
        (made(Some(sun), "a"), None, Maker::default(), "a", false),
        // An older edit: by its uploader, else its device.
        (
            made(None, "a"),
            Some("district-Haicheng-1"),
            maker(Some("district-Haicheng-1"), None),
            "b",
            true,
        ),
        (
            made(None, "a"),
            Some("district-Haicheng-1"),
            maker(Some("city-office-1"), None),
            "a",
            false,
        ),
        (made(None, "a"), None, Maker::default(), "a", true),
    ];
    for (n, (edit, uploader, me, device, expected)) in cases.iter().enumerate() {
        assert_eq!(edit.is_by(me, *uploader, device), *expected, "case {n}");
    }
}
