//! Property tests of the edit log fold: the order edits arrive in never matters.

mod common;

use project_ledger::domain::ledger::Added;
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Change, Date, Edit, Ledger, Procedure, Stage};
use proptest::prelude::*;

const PROJECTS: [&str; 3] = ["hc-01", "hc-07", "ta-01"];

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        proptest::option::of(proptest::sample::select(Stage::ALL.to_vec())).prop_map(Change::Stage),
        proptest::sample::select(vec!["", "甲", "乙", "x"])
            .prop_map(|s| Change::Notes(s.to_owned())),
        (
            proptest::sample::select(Procedure::ALL.to_vec()),
            any::<bool>(),
            1u8..28
        )
            .prop_map(|(procedure, done, day)| {
                Change::Procedure {
                    procedure,
                    done,
                    date: Date::new(2024, 3, day),
                }
            }),
        proptest::option::of(0u32..100_000).prop_map(|v| Change::InvestmentWan(v.map(f64::from))),
        Just(Change::Reset),
    ]
}

/// Edits of one device: ids unique per device, times that may collide across devices.
fn device_edits(device: &'static str) -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec((0usize..3, 0i64..40, change()), 0..25).prop_map(move |items| {
        items
            .into_iter()
            .enumerate()
            .map(|(n, (project, at, change))| {
                common::legacy_edit(
                    &format!("{device}:{n}"),
                    device,
                    PROJECTS[project],
                    at,
                    change,
                )
            })
            .collect()
    })
}

fn same_state(a: &Ledger, b: &Ledger) -> bool {
    a.projects().eq(b.projects())
}

proptest! {
    #[test]
    fn any_interleaving_of_two_devices_folds_to_the_same_state(
        a in device_edits("a"),
        b in device_edits("b"),
        order in proptest::collection::vec(any::<u32>(), 50),
    ) {
        let all: Vec<Edit> = a.iter().chain(b.iter()).cloned().collect();
        let reference = Ledger::new(shipped(), all.clone());
        // Arrival in an arbitrary order, one edit at a time.
        let mut shuffled = all.clone();
        for (i, key) in order.iter().enumerate().take(shuffled.len()) {
            let j = *key as usize % shuffled.len();
            shuffled.swap(i, j);
        }
        // One at a time: every edit the ledger folds itself leaves the same
        // state as folding everything held so far afresh; one it cannot, the
        // whole log is folded again, as storage does.
        let mut incremental = Ledger::new(shipped(), Vec::<Edit>::new());
        let mut held: Vec<Edit> = Vec::new();
        for edit in shuffled {
            held.push(edit.clone());
            match incremental.add(edit) {
                Added::Folded => prop_assert!(same_state(&Ledger::new(shipped(), held.clone()), &incremental)),
                Added::Stale => {
                    prop_assert_eq!(incremental.refold_stale(held.iter().cloned().map(Into::into).collect(), incremental.read_mark()), 1);
                    prop_assert_eq!(incremental.stale_count(), 0);
                    prop_assert!(same_state(&Ledger::new(shipped(), held.clone()), &incremental));
                }
                Added::Refold => incremental = Ledger::new(shipped(), held.clone()),
                Added::Known => prop_assert!(false, "every id is new"),
            }
        }
        prop_assert!(same_state(&reference, &incremental));
        // Device b first, then a: the same again.
        let b_first = Ledger::new(shipped(), b.iter().chain(a.iter()).cloned());
        prop_assert!(same_state(&reference, &b_first));
    }

    #[test]
    fn replaying_a_log_twice_changes_nothing(edits in device_edits("a")) {
        let mut ledger = Ledger::new(shipped(), edits.clone());
        let count = ledger.edit_count();
        let before: Vec<_> = ledger.projects().cloned().collect();
        for edit in edits {
            prop_assert_eq!(ledger.add(edit), Added::Known);
        }
        prop_assert_eq!(ledger.edit_count(), count);
        prop_assert!(ledger.projects().cloned().eq(before));
    }
}

proptest! {
    /// Adding a batch at once folds the same as adding its edits one by one.
    #[test]
    fn a_batch_equals_one_by_one(a in device_edits("A"), b in device_edits("B")) {
        let mut one = Journal::new(shipped(), a.clone());
        let mut batch = Journal::new(shipped(), a);
        for e in b.clone() {
            one.add(e);
        }
        let added = batch.add_all(b.clone().into_iter().chain(b.clone()));
        prop_assert_eq!(added, b.len());
        prop_assert!(same_state(&one, &batch));
        prop_assert_eq!(one.edit_count(), batch.edit_count());
    }
}
