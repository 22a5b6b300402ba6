//! A missed deadline stays missed (#30 item 1): a blocker's deadline moved
//! after it passed, the blocker open, is kept with the day it moved and
//! where to; the light says so for `MISSED_SHOWN_DAYS`, and a snapshot
//! keeps it.

mod common;

use project_ledger::domain::edit::{Change, Edit};
use project_ledger::domain::fieldwork::{BlockerLevel, MissedDeadline, NewBlocker, Supervision};
use project_ledger::domain::light::{light, LightRules, Reason, MISSED_SHOWN_DAYS};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Date, Ledger};

fn day(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

/// Noon of a day in Anshan, as ms.
fn noon(s: &str) -> i64 {
    (day(s).days_since_epoch() * 86_400_000) + 4 * 3_600_000
}

fn opened(deadline: &str) -> Edit {
    common::legacy_edit(
        "w:1",
        "w",
        "hc-01",
        noon("2024-04-01"),
        Change::OpenBlocker(NewBlocker {
            description: "施工用电未接入".into(),
            level: BlockerLevel::District,
            unit: "供电公司".into(),
            opened: day("2024-04-01"),
            deadline: Some(day(deadline)),
        }),
    )
}

fn supervised(n: u32, on: &str, deadline: &str) -> Edit {
    common::legacy_edit(
        &format!("w:{n}"),
        "w",
        "hc-01",
        noon(on),
        Change::Supervise {
            blocker: "w:1".into(),
            supervision: Supervision {
                level: BlockerLevel::District,
                unit: "供电公司".into(),
                person: "张三".into(),
                deadline: Some(day(deadline)),
            },
        },
    )
}

fn missed(ledger: &Ledger) -> Vec<MissedDeadline> {
    ledger.project("hc-01").expect("shipped").blockers[0]
        .missed
        .clone()
}

#[test]
fn a_deadline_moved_after_it_passed_stays_missed_with_its_days() {
    let ledger = Ledger::new(
        shipped(),
        vec![
            opened("2024-04-12"),
            supervised(2, "2024-04-15", "2024-04-19"),
        ],
    );
    let kept = missed(&ledger);
    assert_eq!(
        kept,
        vec![MissedDeadline {
            deadline: day("2024-04-12"),
            moved_on: day("2024-04-15"),
            moved_to: Some(day("2024-04-19")),
        }]
    );
    assert_eq!(kept[0].days_over(), 3);
    let p = ledger.project("hc-01").expect("shipped");
    assert_eq!(p.blockers[0].deadline(), Some(day("2024-04-19")));
    // On time by its new deadline, yet the light says it was missed, for a month.
    let no_roles = |_: &str| None;
    let (_, reasons) = light(p, &no_roles, day("2024-04-16"), &LightRules::default());
    assert!(reasons.contains(&Reason::MissedDeadline {
        days: 3,
        moved_on: day("2024-04-15")
    }));
    assert!(!reasons
        .iter()
        .any(|r| matches!(r, Reason::OverdueBlocker { .. })));
    let later =
        Date::from_days_since_epoch(day("2024-04-15").days_since_epoch() + MISSED_SHOWN_DAYS + 1);
    let (_, reasons) = light(p, &no_roles, later, &LightRules::default());
    assert!(!reasons
        .iter()
        .any(|r| matches!(r, Reason::MissedDeadline { .. })));
    // Missed again and moved again: both misses are kept.
    let twice = Ledger::new(
        shipped(),
        vec![
            opened("2024-04-12"),
            supervised(2, "2024-04-15", "2024-04-19"),
            supervised(3, "2024-04-22", "2024-04-30"),
        ],
    );
    assert_eq!(missed(&twice).len(), 2);
    assert_eq!(missed(&twice)[1].days_over(), 3);
}

#[test]
fn a_deadline_moved_before_it_passed_or_a_person_named_is_no_miss() {
    let early = Ledger::new(
        shipped(),
        vec![
            opened("2024-04-12"),
            supervised(2, "2024-04-10", "2024-04-19"),
        ],
    );
    assert_eq!(missed(&early), vec![]);
    // Past the deadline, the deadline kept (only the person named): still
    // overdue, as the light's red says; nothing moved.
    let kept = Ledger::new(
        shipped(),
        vec![
            opened("2024-04-12"),
            supervised(2, "2024-04-15", "2024-04-12"),
        ],
    );
    assert_eq!(missed(&kept), vec![]);
}

#[test]
fn a_snapshot_keeps_what_was_missed_and_the_fold_in_any_order_gives_the_same() {
    let edits = vec![
        opened("2024-04-12"),
        supervised(2, "2024-04-15", "2024-04-19"),
    ];
    let ledger = Ledger::new(shipped(), edits.clone());
    let text = ledger.snapshot();
    let restored = Ledger::from_snapshot(shipped(), &text).expect("reads back");
    assert_eq!(missed(&restored), missed(&ledger));
    assert_eq!(restored.snapshot(), text);
    // The supervision arriving before the blocker it supervises.
    let mut late = Ledger::new(shipped(), vec![edits[1].clone()]);
    late.add(edits[0].clone());
    if late.stale_count() > 0 {
        let now = late.read_mark();
        late.refold_stale(edits.iter().cloned().map(Into::into).collect(), now);
    }
    assert_eq!(missed(&late), missed(&ledger));
}
