//! The fold does not care about arrival order, and a late edit costs what its
//! project costs (#29 item 3). A CouchDB cluster's `_changes` feed hands
//! edits over shard by shard, each shard in its own write order and the
//! shards interleaved, in pages: about half arrive after an edit written
//! later. Folded as storage does (pages appended, each folded as another
//! tab's, projects folded again now and then and at the end), the ledger
//! shows what a fold of everything in time order shows: projects, people,
//! heads, conflicts, histories. Only a late edit about people or the
//! campaign folds the whole log.

mod common;

use project_ledger::domain::edit::{Change, Edit, EditId, Entry, Field};
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::log::keeper::{
    refold_if_needed, run_now, Backend, Core, Fault, MemoryBackend, Mode,
};
use project_ledger::domain::people::Role;
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Ledger, Stage};
use proptest::prelude::*;
use std::cell::{Cell, RefCell};

const PROJECTS: [&str; 5] = ["hc-01", "hc-07", "ta-01", "u-new", "u-two"];
const PEOPLE: [&str; 3] = ["p-1", "p-2", "p-3"];

#[derive(Clone, Debug)]
enum Step {
    /// A device edits: what it does, picked by `kind` and `value`.
    Edit {
        device: usize,
        kind: usize,
        value: usize,
        skew: i64,
    },
    /// Device `from` hands `to` the edits a bit mask picks.
    Deliver { from: usize, to: usize, pick: u64 },
}

fn step(shared: bool) -> impl Strategy<Value = Step> {
    let kinds: usize = if shared { 9 } else { 6 };
    prop_oneof![
        4 => (0usize..3, 0usize..kinds, 0usize..12, -3_000i64..3_000).prop_map(|(device, kind, value, skew)| Step::Edit { device, kind, value, skew }),
        1 => (0usize..3, 0usize..3, any::<u64>()).prop_map(|(from, to, pick)| Step::Deliver { from, to, pick }),
    ]
}

/// (subject, change) of a step's edit. Kinds 0–5 are about projects, 6–8
/// about people.
fn what(kind: usize, value: usize) -> (&'static str, Change) {
    let project = PROJECTS[value % PROJECTS.len()];
    let person = PEOPLE[value % PEOPLE.len()];
    let stages = [Stage::Signed, Stage::Started, Stage::Producing];
    match kind {
        0 => (project, Change::Stage(Some(stages[value % 3]))),
        1 => (project, Change::Notes(["甲", "乙", "丙"][value % 3].into())),
        // Two projects someone adds (their order among the projects is
        // their creations' order), created more than once now and then.
        2 => (
            ["u-new", "u-two"][value % 2],
            Change::Create {
                name: ["新建项目", "另一项目"][value % 3 % 2].into(),
                district: None,
            },
        ),
        3 => (project, Change::Assign(person.into())),
        4 => (project, Change::Responsible(Some(person.into()))),
        5 => (project, Change::Unassign(person.into())),
        6 | 7 => (
            person,
            common::person(
                ["甲", "乙"][value % 2],
                [Role::ServiceTeam, Role::CityLeader, Role::LeadershipMember][value % 3],
            ),
        ),
        _ => (
            person,
            Change::RemovePerson {
                reassign_to: Some(PEOPLE[(value + 1) % PEOPLE.len()].into()),
            },
        ),
    }
}

/// The log a server ends up with: three devices editing, handing edits on
/// now and then (so some edits replace others and some conflict), in the
/// order they were written.
fn written(steps: &[Step]) -> Vec<Entry> {
    let mut devices: Vec<Journal> = (0..3)
        .map(|_| Journal::new(shipped(), Vec::<Edit>::new()))
        .collect();
    let writers = ["a", "b", "c"];
    let mut seq = [0u64; 3];
    let mut clock = 1_700_000_000_000i64;
    let mut log: Vec<Entry> = Vec::new();
    for step in steps {
        match *step {
            Step::Edit {
                device,
                kind,
                value,
                skew,
            } => {
                clock += 1_000;
                seq[device] += 1;
                let (subject, change) = what(kind, value);
                let edit = devices[device].prepare(
                    EditId::new(writers[device], seq[device]),
                    writers[device],
                    subject,
                    change,
                    clock + skew,
                );
                devices[device].add(edit.clone());
                log.push(Entry::Edit(edit));
            }
            Step::Deliver { from, to, pick } => {
                let chosen: Vec<Entry> = devices[from]
                    .entries()
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| pick >> (i % 64) & 1 == 1)
                    .map(|(_, e)| e.clone())
                    .collect();
                devices[to].add_all(chosen);
            }
        }
    }
    log
}

/// A pseudo-random number from a seed, moving it on.
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

/// The feed of `shards` shards: each edit in the shard its id hashes to,
/// each shard in write order, the shards interleaved at random.
fn feed(log: &[Entry], shards: usize, mut seed: u64) -> Vec<Entry> {
    let mut queues: Vec<std::collections::VecDeque<Entry>> = vec![Default::default(); shards];
    for entry in log {
        let hash = entry
            .id()
            .to_string()
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        queues[hash as usize % shards].push_back(entry.clone());
    }
    let mut out = Vec::with_capacity(log.len());
    while out.len() < log.len() {
        let open: Vec<usize> = (0..shards).filter(|s| !queues[*s].is_empty()).collect();
        let shard = open[next(&mut seed) as usize % open.len()];
        // A shard answers a run of its edits at a time.
        for _ in 0..=next(&mut seed) % 3 {
            if let Some(e) = queues[shard].pop_front() {
                out.push(e);
            }
        }
    }
    out
}

/// Storage in memory that counts how often the whole log is read (a whole
/// refold) and how many entries projects' refolds read.
#[derive(Default)]
struct Counting {
    inner: MemoryBackend,
    whole_reads: Cell<usize>,
    subject_reads: Cell<usize>,
    /// The most entries one projects' read returned.
    largest_read: Cell<usize>,
    reads: Cell<usize>,
}

impl Backend for Counting {
    async fn append(&self, generation: u64, entries: &[Entry]) -> Result<(), Fault> {
        self.inner.append(generation, entries).await
    }
    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault> {
        if mark == 0 {
            self.whole_reads.set(self.whole_reads.get() + 1);
        }
        self.inner.after(mark).await
    }
    async fn about(&self, subjects: &[String]) -> Result<Vec<Entry>, Fault> {
        let found = self.inner.about(subjects).await?;
        self.subject_reads
            .set(self.subject_reads.get() + found.len());
        self.largest_read
            .set(self.largest_read.get().max(found.len()));
        self.reads.set(self.reads.get() + 1);
        Ok(found)
    }
    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        self.inner.save_snapshot(generation, mark, text).await
    }
    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault> {
        self.inner.replace_all(entries).await
    }
}

/// Everything a screen may show of a ledger, as plain data.
fn shown(ledger: &Ledger) -> String {
    let mut out = String::new();
    // The projects edited (the others show the registry as it ships).
    for p in ledger
        .projects()
        .filter(|p| PROJECTS.contains(&p.id.as_str()))
    {
        out.push_str(&format!("{p:?}\n"));
        for field in [Field::Stage, Field::Notes, Field::Responsible] {
            let heads: Vec<String> = ledger
                .heads(&p.id, &field)
                .iter()
                .map(|h| format!("{}@{}:{:?}", h.id, h.at, h.change))
                .collect();
            out.push_str(&format!("  {field:?} {heads:?}\n"));
        }
    }
    for person in ledger.people() {
        out.push_str(&format!("{person:?}\n"));
    }
    for c in ledger.conflicts() {
        out.push_str(&format!("{c:?}\n"));
    }
    out.push_str(&format!(
        "{:?} {}\n",
        ledger.campaign(),
        ledger.edit_count()
    ));
    out
}

/// Folds `arrivals` page by page as the device does (the first `alone` one
/// per page, the rest in pages of random sizes), refolding stale projects
/// after a page now and then and at the end. Storage's counts are of the
/// reads after the first `alone`.
fn fold_as_stored(arrivals: &[Entry], alone: usize, mut seed: u64) -> (Core, Counting) {
    let backend = Counting::default();
    let core = RefCell::new(Core::open(shipped(), None, Vec::new(), 0, 0, Mode::Normal));
    let mut at = 0;
    while at < arrivals.len() {
        let size = if at < alone {
            1
        } else {
            1 + next(&mut seed) as usize % 12
        };
        let page: Vec<Entry> = arrivals[at..(at + size).min(arrivals.len())].to_vec();
        at += page.len();
        run_now(backend.append(0, &page)).expect("memory takes it");
        core.borrow_mut().fold_stored(page);
        if next(&mut seed).is_multiple_of(3) {
            run_now(refold_if_needed(&core, &backend)).expect("memory reads");
        }
        if at == alone {
            // The counts are of what came after the first `alone`.
            run_now(refold_if_needed(&core, &backend)).expect("memory reads");
            backend.whole_reads.set(0);
            backend.subject_reads.set(0);
        }
    }
    run_now(refold_if_needed(&core, &backend)).expect("memory reads");
    (core.into_inner(), backend)
}

/// Whether an edit of `arrivals` about people arrives after one later in
/// fold order.
fn needs_whole(arrivals: &[Entry]) -> bool {
    let key = |e: &Edit| (e.at, e.id.clone());
    let mut newest: Option<(i64, EditId)> = None;
    for entry in arrivals {
        let Entry::Edit(e) = entry else { continue };
        let late = newest.as_ref().is_some_and(|n| *n > key(e));
        if late && e.subject.project().is_none() {
            return true;
        }
        if newest.as_ref().is_none_or(|n| *n < key(e)) {
            newest = Some(key(e));
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Edits of projects and people in a feed of 1, 2 or 8 shards, pages
    /// of random sizes: the same state as the fold in time order.
    #[test]
    fn any_shard_interleaving_folds_to_the_fold_in_time_order(
        steps in proptest::collection::vec(step(true), 1..60),
        shards in prop_oneof![Just(1usize), Just(2), Just(8)],
        seed in any::<u64>(),
    ) {
        let log = written(&steps);
        let reference = Ledger::new(shipped(), log.clone());
        let arrivals = feed(&log, shards, seed);
        let (core, _) = fold_as_stored(&arrivals, 0, seed ^ 0x5eed);
        prop_assert!(!core.needs_refold() && !core.has_stale());
        let (ours, theirs) = (shown(&core.ledger), shown(&reference));
        for (a, b) in ours.lines().zip(theirs.lines()) {
            prop_assert_eq!(a, b);
        }
        prop_assert_eq!(ours, theirs);
        // Histories come from storage by subject: the same edits whatever the order.
        let journal = Journal::new(shipped(), arrivals.clone());
        let in_order = Journal::new(shipped(), log.clone());
        for subject in PROJECTS.iter().chain(PEOPLE.iter()) {
            let ids = |j: &Journal| j.history(subject).iter().map(|e| e.id.to_string()).collect::<Vec<_>>();
            prop_assert_eq!(ids(&journal), ids(&in_order));
        }
        prop_assert_eq!(shown(journal.ledger()), shown(&reference));
    }

    /// With only projects' edits arriving late, creations included, the
    /// whole log is never read again: each late edit costs its project's
    /// edits (and the shared ones).
    #[test]
    fn a_late_edit_of_a_project_folds_only_its_project(
        people in proptest::collection::vec(step(true), 0..10),
        steps in proptest::collection::vec(step(false), 1..60),
        shards in prop_oneof![Just(2usize), Just(8)],
        seed in any::<u64>(),
    ) {
        // People first, in the order written, one at a time (they may fold
        // the whole log: a person's edit that replaces what shows and is not
        // applied itself, a removed person saved, leaves a value only the log
        // holds); then projects' edits from the shards, counted.
        let people: Vec<Step> = people.into_iter().filter(|s| matches!(s, Step::Edit { kind, .. } if *kind >= 6)).collect();
        let log = written(&people.iter().cloned().chain(steps).collect::<Vec<_>>());
        let first = log.len() - log.iter().filter(|e| matches!(e, Entry::Edit(x) if x.subject.project().is_some())).count();
        let mut arrivals = log[..first].to_vec();
        arrivals.extend(feed(&log[first..], shards, seed));
        prop_assume!(!needs_whole(&arrivals));
        let (core, backend) = fold_as_stored(&arrivals, first, seed);
        prop_assert_eq!(backend.whole_reads.get(), 0);
        prop_assert_eq!(shown(&core.ledger), shown(&Ledger::new(shipped(), log)));
    }
}

/// The figures behind "costs its project": 10,000 edits of 40 projects
/// from 8 shards in pages of 500. Refolded after every page, projects'
/// refolds read about what whole refolds would (every project goes stale in
/// every page: why the app paces its refolds, `ui::store`); once synced, one
/// late edit reads its project's edits, not the log.
#[test]
fn a_late_edit_after_a_first_sync_reads_its_project_not_the_log() {
    let projects: Vec<String> = shipped().iter().take(40).map(|p| p.id.clone()).collect();
    let edit = |n: u64, at: i64| {
        Entry::Edit(common::legacy_edit(
            &format!("w:{}", n + 1),
            "w",
            &projects[n as usize % projects.len()],
            at,
            Change::Notes(format!("第{n}条")),
        ))
    };
    let log: Vec<Entry> = (0..10_000u64)
        .map(|n| edit(n, 1_700_000_000_000 + n as i64 * 1_000))
        .collect();
    let arrivals = feed(&log, 8, 29);
    let late = arrivals
        .windows(2)
        .filter(|w| w[1].id().to_string() < w[0].id().to_string())
        .count();
    assert!(
        late > 1_000,
        "a sharded feed delivers many edits late: {late}"
    );
    let backend = Counting::default();
    let core = RefCell::new(Core::open(shipped(), None, Vec::new(), 0, 0, Mode::Normal));
    let mut pages = 0;
    for page in arrivals.chunks(500) {
        run_now(backend.append(0, page)).expect("memory takes it");
        core.borrow_mut().fold_stored(page.to_vec());
        run_now(refold_if_needed(&core, &backend)).expect("memory reads");
        pages += 1;
    }
    assert_eq!(backend.whole_reads.get(), 0);
    let per_page = backend.subject_reads.get();
    // One edit of hc-01 made before its newest, arriving now.
    let straggler = edit(40 * 1_000, 1_700_000_000_000 + 5_000_500);
    backend.subject_reads.set(0);
    run_now(backend.append(0, std::slice::from_ref(&straggler))).expect("memory takes it");
    core.borrow_mut().fold_stored(vec![straggler.clone()]);
    assert!(core.borrow().has_stale());
    run_now(refold_if_needed(&core, &backend)).expect("memory reads");
    let one = backend.subject_reads.get();
    println!(
        "8-shard first sync of 10,000 edits, 40 projects, {pages} pages refolded after each: {per_page} entries read again (whole refolds: {}); then one late edit: {one} read (the log: 10,001)",
        (1..=pages).map(|p| (p * 500).min(10_000)).sum::<usize>()
    );
    assert_eq!(backend.whole_reads.get(), 0);
    assert!(one <= 10_001 / 40 + 1, "its project's edits only: {one}");
    let mut all = log;
    all.push(straggler);
    assert_eq!(
        shown(&core.into_inner().ledger),
        shown(&Ledger::new(shipped(), all))
    );
}

/// A late edit of each of the 51 shipped projects, each holding 1,000 edits:
/// the refold reads them a few projects at a time (a phone holds one turn's
/// edits, not 51,000, and answers a keystroke between turns), and the
/// ledger is the fold in time order after it.
#[test]
fn projects_are_folded_again_a_turn_at_a_time() {
    let projects: Vec<String> = shipped().iter().map(|p| p.id.clone()).collect();
    let edit = |n: u64, at: i64| {
        Entry::Edit(common::legacy_edit(
            &format!("w:{}", n + 1),
            "w",
            &projects[n as usize % projects.len()],
            at,
            Change::Notes(format!("第{n}条")),
        ))
    };
    let total = projects.len() as u64 * 1_000;
    let mut log: Vec<Entry> = (0..total)
        .map(|n| edit(n, 1_700_000_000_000 + n as i64 * 1_000))
        .collect();
    let backend = Counting::default();
    let core = RefCell::new(Core::open(shipped(), None, Vec::new(), 0, 0, Mode::Normal));
    run_now(backend.append(0, &log)).expect("memory takes it");
    core.borrow_mut().fold_stored(log.clone());
    // One edit of every project made before its newest, arriving now.
    let late: Vec<Entry> = (0..projects.len() as u64)
        .map(|n| edit(total + n, 1_700_000_000_000 + n as i64 * 1_000 + 500))
        .collect();
    run_now(backend.append(0, &late)).expect("memory takes it");
    core.borrow_mut().fold_stored(late.clone());
    assert_eq!(core.borrow().ledger.stale_count(), projects.len());
    run_now(refold_if_needed(&core, &backend)).expect("memory reads");
    let (largest, reads) = (backend.largest_read.get(), backend.reads.get());
    println!(
        "{} late edits of {} projects holding {} edits: {reads} reads, the largest {largest} entries",
        late.len(),
        projects.len(),
        log.len()
    );
    assert_eq!(backend.whole_reads.get(), 0);
    assert!(reads >= 3, "a few projects a turn: {reads} reads");
    assert!(
        largest <= 21_000,
        "about 20,000 edits a turn at most: {largest}"
    );
    assert_eq!(core.borrow().ledger.stale_count(), 0);
    log.extend(late);
    assert_eq!(
        shown(&core.into_inner().ledger),
        shown(&Ledger::new(shipped(), log))
    );
}

/// Storage whose first projects' read misses an edit that arrives while it
/// runs (the device folds it from another tab meanwhile).
struct ArrivingDuringRead<'a> {
    inner: MemoryBackend,
    core: &'a RefCell<Core>,
    arriving: RefCell<Option<Entry>>,
}

impl Backend for ArrivingDuringRead<'_> {
    async fn append(&self, generation: u64, entries: &[Entry]) -> Result<(), Fault> {
        self.inner.append(generation, entries).await
    }
    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault> {
        self.inner.after(mark).await
    }
    async fn about(&self, subjects: &[String]) -> Result<Vec<Entry>, Fault> {
        let found = self.inner.about(subjects).await?;
        let arriving = self.arriving.borrow_mut().take();
        if let Some(entry) = arriving {
            self.inner.append(0, std::slice::from_ref(&entry)).await?;
            self.core.borrow_mut().fold_stored(vec![entry]);
        }
        Ok(found)
    }
    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        self.inner.save_snapshot(generation, mark, text).await
    }
    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault> {
        self.inner.replace_all(entries).await
    }
}

/// Two stale projects; a late edit of one arrives while their edits are
/// read: the other is folded in that turn, the first in the next.
#[test]
fn an_edit_arriving_during_a_refold_leaves_only_its_project_stale() {
    let edit = |n: u64, project: &str, at: i64| {
        Entry::Edit(common::legacy_edit(
            &format!("w:{n}"),
            "w",
            project,
            1_700_000_000_000 + at,
            Change::Notes(format!("第{n}条")),
        ))
    };
    let mut log = vec![
        edit(1, "hc-01", 2_000),
        edit(2, "hc-07", 2_000),
        // Late: each before its project's newest.
        edit(3, "hc-01", 1_000),
        edit(4, "hc-07", 1_000),
    ];
    let core = RefCell::new(Core::open(shipped(), None, Vec::new(), 0, 0, Mode::Normal));
    // Another field than the others': a fold without it shows otherwise.
    let arriving = Entry::Edit(common::legacy_edit(
        "w:5",
        "w",
        "hc-01",
        1_700_000_000_000 + 500,
        Change::Stage(Some(Stage::Started)),
    ));
    let backend = ArrivingDuringRead {
        inner: MemoryBackend::default(),
        core: &core,
        arriving: RefCell::new(Some(arriving.clone())),
    };
    run_now(backend.append(0, &log)).expect("memory takes it");
    core.borrow_mut().fold_stored(log[..2].to_vec());
    core.borrow_mut().fold_stored(log[2..].to_vec());
    assert_eq!(core.borrow().ledger.stale_count(), 2);
    let (needs, mark) = {
        let core = core.borrow();
        (core.ledger.refold_needs(2), core.ledger.read_mark())
    };
    let about = run_now(backend.about(&needs)).expect("memory reads");
    assert_eq!(core.borrow_mut().refolded_stale(about, mark), 1);
    assert_eq!(core.borrow().ledger.stale().collect::<Vec<_>>(), ["hc-01"]);
    run_now(refold_if_needed(&core, &backend)).expect("memory reads");
    assert_eq!(core.borrow().ledger.stale_count(), 0);
    log.push(arriving);
    assert_eq!(
        shown(&core.into_inner().ledger),
        shown(&Ledger::new(shipped(), log))
    );
}

/// A refold pass gives way to a download: once edits arrived during one of
/// its turns, the pass ends after that turn (the pages still coming leave
/// projects stale again) and the next call goes on. Every project is folded
/// in the end, as the fold in time order.
#[test]
fn a_refold_pass_ends_after_a_turn_during_which_edits_arrived() {
    let projects: Vec<String> = shipped().iter().map(|p| p.id.clone()).collect();
    let edit = |n: u64, project: &str, at: i64| {
        Entry::Edit(common::legacy_edit(
            &format!("w:{}", n + 1),
            "w",
            project,
            1_700_000_000_000 + at,
            Change::Notes(format!("第{n}条")),
        ))
    };
    // Each project's newest edit, then one of each made before it: all stale.
    let newest: Vec<Entry> = (0..projects.len() as u64)
        .map(|n| edit(n, &projects[n as usize], 2_000))
        .collect();
    let late: Vec<Entry> = (0..projects.len() as u64)
        .map(|n| edit(100 + n, &projects[n as usize], 1_000))
        .collect();
    let core = RefCell::new(Core::open(shipped(), None, Vec::new(), 0, 0, Mode::Normal));
    let arriving = edit(500, &projects[0], 3_000);
    let backend = ArrivingDuringRead {
        inner: MemoryBackend::default(),
        core: &core,
        arriving: RefCell::new(Some(arriving.clone())),
    };
    run_now(backend.append(0, &newest)).expect("memory takes it");
    run_now(backend.append(0, &late)).expect("memory takes it");
    core.borrow_mut().fold_stored(newest.clone());
    core.borrow_mut().fold_stored(late.clone());
    let stale = core.borrow().ledger.stale_count();
    assert_eq!(stale, projects.len());
    run_now(refold_if_needed(&core, &backend)).expect("memory reads");
    let after_first = core.borrow().ledger.stale_count();
    assert!(
        after_first > stale / 2,
        "one turn, then the pass gave way: {after_first} of {stale} still stale"
    );
    run_now(refold_if_needed(&core, &backend)).expect("memory reads");
    assert_eq!(core.borrow().ledger.stale_count(), 0);
    let mut log = newest;
    log.extend(late);
    log.push(arriving);
    assert_eq!(
        shown(&core.into_inner().ledger),
        shown(&Ledger::new(shipped(), log))
    );
}
