//! The write policy, natively, against an in-memory store that injects
//! faults: a full disk at the Nth write, a crash between two writes, a second
//! writer, a restore in another tab. Whatever happens, an edit storage took is
//! never lost, one it refused stays on screen and waits, and nothing is
//! written where nothing may be.

mod common;

use project_ledger::domain::edit::{Change, EditId, Entry};
use project_ledger::domain::ledger::Ledger;
use project_ledger::domain::log::keeper::{
    catch_up, flush, refold_if_needed, run_now, snapshot_if_due, write, Backend, Core,
    MemoryBackend, Mode, Write, SNAPSHOT_EVERY,
};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::stored::Problem;
use project_ledger::domain::Stage;
use proptest::prelude::*;
use std::cell::RefCell;

/// A page: its core over a shared store, and its writer's next number.
struct Page {
    core: RefCell<Core>,
    writer: &'static str,
    n: u64,
    /// Batches handed to storage that it has not answered yet.
    flying: Vec<Write>,
}

impl Page {
    fn open(backend: &MemoryBackend, writer: &'static str) -> Page {
        let core = RefCell::new(backend.open(shipped()));
        run_now(refold_if_needed(&core, backend)).unwrap();
        Page {
            core,
            writer,
            n: 0,
            flying: Vec::new(),
        }
    }

    /// A person's edit on this page, then a try at saving it.
    fn edit(&mut self, backend: &MemoryBackend, project: &str, notes: &str) -> EditId {
        self.n += 1;
        let id = EditId::new(self.writer, self.n);
        let edit = self.core.borrow().ledger.prepare(
            id.clone(),
            self.writer,
            project,
            Change::Notes(notes.into()),
            1_700_000_000_000 + self.n as i64,
        );
        self.core.borrow_mut().local(vec![edit]);
        run_now(flush(&self.core, backend));
        id
    }

    fn notes(&self, project: &str) -> String {
        self.core
            .borrow()
            .ledger
            .project(project)
            .unwrap()
            .notes
            .clone()
    }
}

fn stored_ids(backend: &MemoryBackend) -> Vec<String> {
    backend
        .disk
        .borrow()
        .log
        .iter()
        .map(|e| e.id().to_string())
        .collect()
}

#[test]
fn a_full_disk_at_the_nth_write_keeps_the_edit_on_screen_and_saves_it_later() {
    let backend = MemoryBackend::default();
    backend.disk.borrow_mut().full_from = Some(3);
    let mut page = Page::open(&backend, "w");
    page.edit(&backend, "hc-01", "一");
    page.edit(&backend, "hc-01", "二");
    page.edit(&backend, "hc-01", "三");
    page.edit(&backend, "hc-02", "四");
    assert_eq!(
        stored_ids(&backend),
        ["w:1", "w:2"],
        "storage took the first two"
    );
    assert_eq!(
        page.core.borrow().problem(),
        Some(&Problem::Full),
        "said at once"
    );
    assert_eq!(page.core.borrow().unsaved(), 2, "the refused ones wait");
    assert_eq!(page.notes("hc-01"), "三", "and show");
    // Space is freed: the next try saves both, in order.
    backend.disk.borrow_mut().full_from = None;
    assert!(run_now(flush(&page.core, &backend)));
    assert_eq!(stored_ids(&backend), ["w:1", "w:2", "w:3", "w:4"]);
    assert_eq!(page.core.borrow().problem(), None);
    let reopened = Page::open(&backend, "x");
    assert_eq!(reopened.notes("hc-01"), "三");
    assert_eq!(reopened.notes("hc-02"), "四");
}

#[test]
fn batches_sent_together_are_confirmed_each_on_its_own() {
    let backend = MemoryBackend::default();
    let page = Page::open(&backend, "w");
    let mut sent = Vec::new();
    for (n, notes) in ["一", "二", "三"].into_iter().enumerate() {
        let edit = page.core.borrow().ledger.prepare(
            EditId::new("w", n as u64 + 1),
            "w",
            "hc-01",
            Change::Notes(notes.into()),
            1_700_000_000_000 + n as i64,
        );
        page.core.borrow_mut().local(vec![edit]);
        // Each is handed over at once, before storage answered the one before.
        sent.push(page.core.borrow_mut().next_write().expect("sent at once"));
    }
    assert!(
        page.core.borrow_mut().next_write().is_none(),
        "each sent once"
    );
    let [first, second, third]: [Write; 3] = sent.try_into().ok().unwrap();
    // The second lands first; the first is refused (the disk filled); the third lands.
    assert!(run_now(write(&page.core, &backend, second)));
    backend.disk.borrow_mut().full_from = Some(1);
    assert!(!run_now(write(&page.core, &backend, first)));
    backend.disk.borrow_mut().full_from = None;
    assert!(run_now(write(&page.core, &backend, third)));
    assert_eq!(page.core.borrow().unsaved(), 1, "the refused one waits");
    assert_eq!(
        page.core.borrow().problem(),
        Some(&Problem::Full),
        "still said: one edit waits"
    );
    let retry = page.core.borrow_mut().next_write().expect("sent again");
    assert_eq!(retry.entries[0].id().to_string(), "w:1");
    assert!(run_now(write(&page.core, &backend, retry)));
    assert_eq!(page.core.borrow().unsaved(), 0);
    assert_eq!(
        page.core.borrow().problem(),
        None,
        "cleared once all is taken"
    );
    assert_eq!(stored_ids(&backend), ["w:2", "w:3", "w:1"]);
    assert_eq!(Page::open(&backend, "x").notes("hc-01"), "三");
}

#[test]
fn a_crash_between_two_writes_loses_nothing_that_was_taken() {
    let backend = MemoryBackend::default();
    let mut page = Page::open(&backend, "w");
    for n in 0..SNAPSHOT_EVERY + 5 {
        page.edit(&backend, "hc-01", &format!("第{n}次"));
    }
    // Edits written (write one), the snapshot never (the page dies first).
    assert!(backend.disk.borrow().snapshot.is_none());
    drop(page);
    let reopened = Page::open(&backend, "x");
    assert_eq!(
        reopened.notes("hc-01"),
        format!("第{}次", SNAPSHOT_EVERY + 4)
    );
    // The snapshot written, then more edits, then a crash before they are flushed.
    run_now(snapshot_if_due(&reopened.core, &backend)).unwrap();
    assert!(backend.disk.borrow().snapshot.is_some());
    let mut reopened = reopened;
    reopened.edit(&backend, "hc-02", "快照之后");
    let writes = backend.disk.borrow().writes;
    backend.disk.borrow_mut().full_from = Some(writes + 1);
    reopened.edit(&backend, "hc-02", "未被接收");
    drop(reopened);
    backend.disk.borrow_mut().full_from = None;
    let again = Page::open(&backend, "y");
    assert_eq!(
        again.notes("hc-02"),
        "快照之后",
        "the taken edit, from after the snapshot"
    );
    assert_eq!(again.notes("hc-01"), format!("第{}次", SNAPSHOT_EVERY + 4));
}

#[test]
fn a_second_writer_sees_the_first_and_neither_overwrites_the_other() {
    let backend = MemoryBackend::default();
    let mut a = Page::open(&backend, "a");
    let mut b = Page::open(&backend, "b");
    a.edit(&backend, "hc-01", "甲写的");
    b.edit(&backend, "hc-02", "乙写的");
    b.edit(&backend, "hc-01", "乙也写了");
    run_now(catch_up(&a.core, &backend)).unwrap();
    run_now(catch_up(&b.core, &backend)).unwrap();
    for page in [&a, &b] {
        assert_eq!(page.notes("hc-02"), "乙写的");
        assert_eq!(page.notes("hc-01"), "乙也写了");
    }
    assert_eq!(stored_ids(&backend).len(), 3, "each edit once");
}

/// A backup that holds one edit: hc-03 signed.
fn backup() -> Vec<Entry> {
    vec![Entry::from(common::legacy_edit(
        "bk:1",
        "old",
        "hc-03",
        5,
        Change::Stage(Some(Stage::Signed)),
    ))]
}

#[test]
fn a_restore_in_one_tab_stops_the_other_from_writing_back() {
    let backend = MemoryBackend::default();
    let mut a = Page::open(&backend, "a");
    let b = Page::open(&backend, "b");
    a.edit(&backend, "hc-01", "被替换的");
    // Tab b restores a backup that holds one edit of its own.
    let backup = backup();
    let generation = run_now(backend.replace_all(&backup)).unwrap();
    b.core.borrow_mut().replaced(backup.clone(), generation);
    // Tab a, not told, edits again: nothing of it reaches storage.
    a.edit(&backend, "hc-01", "想写回");
    assert_eq!(a.core.borrow().mode(), Mode::ReadOnly);
    assert_eq!(a.core.borrow().problem(), Some(&Problem::Replaced));
    assert_eq!(stored_ids(&backend), ["bk:1"]);
    let reopened = Page::open(&backend, "c");
    assert_eq!(
        reopened.notes("hc-01"),
        "",
        "what was replaced stays replaced"
    );
    assert_eq!(
        reopened
            .core
            .borrow()
            .ledger
            .project("hc-03")
            .unwrap()
            .stage,
        Some(Stage::Signed)
    );
}

/// A batch handed to storage before this tab's own restore, answered after
/// it: storage refuses the old generation, and that refusal is of a log the
/// tab has replaced, so the tab goes on writing.
#[test]
fn a_write_out_across_this_tabs_own_restore_is_refused_and_the_tab_writes_on() {
    let backend = MemoryBackend::default();
    let mut a = Page::open(&backend, "a");
    a.n += 1;
    let edit = a.core.borrow().ledger.prepare(
        EditId::new("a", a.n),
        "a",
        "hc-01",
        Change::Notes("恢复前".into()),
        1_700_000_000_000,
    );
    a.core.borrow_mut().local(vec![edit]);
    let out = a.core.borrow_mut().next_write().expect("a batch goes");
    let backup = backup();
    let generation = run_now(backend.replace_all(&backup)).unwrap();
    a.core.borrow_mut().replaced(backup, generation);
    assert!(
        !run_now(write(&a.core, &backend, out)),
        "the old generation is refused"
    );
    assert_eq!(a.core.borrow().mode(), Mode::Normal);
    assert_eq!(a.core.borrow().problem(), None);
    a.edit(&backend, "hc-02", "恢复后");
    assert_eq!(stored_ids(&backend), ["bk:1", "a:2"]);
}

#[test]
fn read_only_and_memory_only_write_nothing() {
    for mode in [Mode::ReadOnly, Mode::MemoryOnly] {
        let backend = MemoryBackend::default();
        let core = RefCell::new(Core::open(shipped(), None, vec![], 0, 0, mode));
        let edit = core.borrow().ledger.prepare(
            EditId::new("w", 1),
            "d",
            "hc-01",
            Change::Notes("只在内存".into()),
            1,
        );
        core.borrow_mut().local(vec![edit]);
        run_now(flush(&core, &backend));
        assert_eq!(
            core.borrow().ledger.project("hc-01").unwrap().notes,
            "只在内存"
        );
        assert_eq!(backend.disk.borrow().writes, 0, "{mode:?}");
        assert!(!core.borrow().snapshot_due());
    }
}

#[test]
fn opening_reads_the_snapshot_and_what_came_after_it() {
    let backend = MemoryBackend::default();
    let mut page = Page::open(&backend, "w");
    for n in 0..SNAPSHOT_EVERY {
        page.edit(
            &backend,
            if n % 2 == 0 { "hc-01" } else { "hc-02" },
            &format!("{n}"),
        );
    }
    run_now(snapshot_if_due(&page.core, &backend)).unwrap();
    let (mark, _) = backend.disk.borrow().snapshot.clone().unwrap();
    assert_eq!(mark as usize, SNAPSHOT_EVERY);
    page.edit(&backend, "hc-03", "之后");
    let reopened = Page::open(&backend, "x");
    let full = Ledger::new(shipped(), backend.disk.borrow().log.clone());
    assert!(reopened.core.borrow().ledger.projects().eq(full.projects()));
    // A snapshot that does not read (another version's) falls back to the whole log.
    backend.disk.borrow_mut().snapshot = Some((mark, "不是快照".into()));
    let fallback = Page::open(&backend, "y");
    assert!(fallback.core.borrow().ledger.projects().eq(full.projects()));
}

#[derive(Clone, Debug)]
enum Op {
    Edit {
        page: usize,
        project: usize,
        value: u8,
    },
    Flush(usize),
    CatchUp(usize),
    Snapshot(usize),
    /// The page dies (unsaved edits with it) and opens again.
    Crash(usize),
    Full(bool),
    /// A batch handed over; storage answers later, in any order.
    Send(usize),
    Land {
        page: usize,
        newest: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..2, 0usize..3, any::<u8>()).prop_map(|(page, project, value)| Op::Edit { page, project, value }),
        2 => (0usize..2).prop_map(Op::Flush),
        2 => (0usize..2).prop_map(Op::CatchUp),
        1 => (0usize..2).prop_map(Op::Snapshot),
        1 => (0usize..2).prop_map(Op::Crash),
        1 => any::<bool>().prop_map(Op::Full),
        2 => (0usize..2).prop_map(Op::Send),
        2 => (0usize..2, any::<bool>()).prop_map(|(page, newest)| Op::Land { page, newest }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Two pages on one store, with crashes and a disk that fills and frees:
    /// storage ends holding exactly the edits it acknowledged, and a page
    /// opened afterwards shows their fold.
    #[test]
    fn nothing_acknowledged_is_ever_lost(ops in proptest::collection::vec(op(), 1..80)) {
        let backend = MemoryBackend::default();
        let writers = ["a", "b"];
        let mut pages = vec![Page::open(&backend, "a"), Page::open(&backend, "b")];
        let mut generation = [0u64; 2];
        let projects = ["hc-01", "hc-02", "hc-07"];
        for op in ops {
            match op {
                Op::Edit { page, project, value } => {
                    pages[page].edit(&backend, projects[project], &format!("{value}"));
                }
                Op::Flush(page) => { run_now(flush(&pages[page].core, &backend)); }
                Op::CatchUp(page) => { let _ = run_now(catch_up(&pages[page].core, &backend)); }
                Op::Snapshot(page) => { let _ = run_now(snapshot_if_due(&pages[page].core, &backend)); }
                Op::Crash(page) => {
                    // A new page load is a new writer.
                    generation[page] += 1;
                    let name: &'static str = Box::leak(format!("{}{}", writers[page], generation[page]).into_boxed_str());
                    pages[page] = Page::open(&backend, name);
                }
                Op::Full(full) => {
                    let writes = backend.disk.borrow().writes;
                    backend.disk.borrow_mut().full_from = full.then_some(writes + 1);
                }
                Op::Send(page) => {
                    let next = pages[page].core.borrow_mut().next_write();
                    pages[page].flying.extend(next);
                }
                Op::Land { page, newest } => {
                    let flying = &mut pages[page].flying;
                    if !flying.is_empty() {
                        let w = flying.remove(if newest { flying.len() - 1 } else { 0 });
                        run_now(write(&pages[page].core, &backend, w));
                    }
                }
            }
        }
        let log = backend.disk.borrow().log.clone();
        let mut ids: Vec<String> = log.iter().map(|e| e.id().to_string()).collect();
        ids.sort();
        let len = ids.len();
        ids.dedup();
        prop_assert_eq!(ids.len(), len, "each edit stored once");
        backend.disk.borrow_mut().full_from = None;
        let reopened = Page::open(&backend, "z");
        let full = Ledger::new(shipped(), log);
        prop_assert!(reopened.core.borrow().ledger.projects().eq(full.projects()));
        // Every page still alive, once storage answered and it flushed and caught up, agrees.
        for page in &mut pages {
            for w in std::mem::take(&mut page.flying) {
                run_now(write(&page.core, &backend, w));
            }
            run_now(flush(&page.core, &backend));
        }
        for page in &pages {
            let _ = run_now(catch_up(&page.core, &backend));
            let _ = run_now(refold_if_needed(&page.core, &backend));
        }
        let full = Ledger::new(shipped(), backend.disk.borrow().log.clone());
        for page in &pages {
            prop_assert_eq!(page.core.borrow().unsaved(), 0);
            prop_assert!(page.core.borrow().ledger.projects().eq(full.projects()));
        }
    }
}
