//! What is saved, what waits, and what may be written: the write policy
//! between the ledger on screen and the log in storage, as pure logic behind
//! the `Backend` trait. The browser's backend is IndexedDB (`crate::storage`);
//! `MemoryBackend` here injects faults (a full disk at the Nth write, a crash
//! between two writes, a second writer), so the policy is tested natively.
//!
//! The rules:
//! - A change is folded at once and queued; it counts as saved only when its
//!   batch (one transaction: one edit, a CSV import, a bundle) has committed.
//!   A batch is sent at once, even while earlier ones are still being written
//!   (storage keeps their order), so a page closed right after a change has
//!   already handed it over. A refused batch stays queued and is sent again.
//! - Read-only (data of a newer version, a meta this version cannot read, or
//!   another tab that replaced everything) writes nothing; memory-only (no
//!   storage at all) keeps everything in memory and says so.
//! - The ledger is snapshotted only when nothing waits, covering exactly what
//!   storage holds up to a mark: opening reads the snapshot and what came after.

use crate::domain::log::edit::{Edit, Entry};
use crate::domain::log::ledger::{Added, Ledger, ReadMark};
use crate::domain::log::stored::Problem;
use crate::domain::vocab::project::Project;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Why storage did not take a write.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The browser's quota is used up.
    Full,
    /// Another tab replaced everything (a restore): this one must not write back.
    Replaced,
    /// Anything else, with the browser's words.
    Failed(String),
}

impl Fault {
    pub fn problem(&self) -> Problem {
        match self {
            Fault::Full => Problem::Full,
            Fault::Replaced => Problem::Replaced,
            Fault::Failed(why) => Problem::Failed(why.clone()),
        }
    }
}

/// How this page may use storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Nothing is written, settings included.
    ReadOnly,
    /// There is no storage: everything stays in this page's memory.
    MemoryOnly,
}

/// The log in storage: every call is one transaction. Marks are the arrival
/// numbers storage gives entries (`append` order, across tabs).
#[allow(async_fn_in_trait)]
pub trait Backend {
    /// Adds entries as one transaction, all or none, unless the store was
    /// replaced since `generation` (then `Fault::Replaced`, and nothing).
    /// An entry whose id is held already is skipped.
    async fn append(&self, generation: u64, entries: &[Entry]) -> Result<(), Fault>;
    /// Entries that arrived after `mark`, and the newest mark.
    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault>;
    /// Every entry about these subjects (ids as edits write them).
    async fn about(&self, subjects: &[String]) -> Result<Vec<Entry>, Fault>;
    /// Writes the snapshot, covering entries up to `mark`.
    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault>;
    /// Replaces everything with these entries; returns the new generation.
    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault>;
}

/// Fold this many edits past the snapshot before writing a new one.
pub const SNAPSHOT_EVERY: usize = 200;

struct Batch {
    number: u64,
    sent: bool,
    /// Storage refused it last time (what the banner says stays said).
    refused: bool,
    entries: Vec<Entry>,
}

/// One batch handed to storage: `Core::written` is told how it went.
pub struct Write {
    pub batch: u64,
    pub generation: u64,
    pub entries: Vec<Entry>,
}

/// The ledger on screen and the queue of what storage has not taken yet.
pub struct Core {
    registry: Vec<Project>,
    pub ledger: Ledger,
    /// Batches storage has not confirmed, oldest first: (number, sent, entries).
    queue: VecDeque<Batch>,
    next_batch: u64,
    /// Every arrival up to here is folded.
    mark: u64,
    generation: u64,
    mode: Mode,
    problem: Option<Problem>,
    since_snapshot: usize,
    needs_refold: bool,
    /// With no storage, the whole log in memory (history and exports read it).
    memory: Vec<Entry>,
}

impl Core {
    /// From what storage held at open: a snapshot (covering `mark`) or none,
    /// and the entries after it.
    pub fn open(
        registry: Vec<Project>,
        snapshot: Option<&str>,
        later: Vec<Entry>,
        mark: u64,
        generation: u64,
        mode: Mode,
    ) -> Core {
        let from_snapshot = snapshot.and_then(|s| Ledger::from_snapshot(registry.clone(), s));
        let fresh = from_snapshot.is_none();
        let mut core = Core {
            ledger: from_snapshot
                .unwrap_or_else(|| Ledger::new(registry.clone(), Vec::<Entry>::new())),
            registry,
            queue: VecDeque::new(),
            next_batch: 0,
            mark,
            generation,
            mode,
            problem: None,
            since_snapshot: 0,
            needs_refold: fresh && snapshot.is_some(),
            memory: Vec::new(),
        };
        core.fold_stored(later);
        core
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn mark(&self) -> u64 {
        self.mark
    }

    /// Edits folded here that storage has not taken yet.
    pub fn unsaved(&self) -> usize {
        self.queue.iter().map(|b| b.entries.len()).sum()
    }

    /// The ledger cannot fold what it holds by itself: fold the whole log
    /// (`refolded`) before the next snapshot.
    pub fn needs_refold(&self) -> bool {
        self.needs_refold
    }

    /// Some projects wait to be folded again from their own edits
    /// (`refold_stale`); a whole refold does it too.
    pub fn has_stale(&self) -> bool {
        self.ledger.stale().next().is_some()
    }

    fn fold(&mut self, entries: Vec<Entry>) {
        let n = entries.len();
        if !self.needs_refold && self.ledger.add_all(entries) == Added::Refold {
            self.needs_refold = true;
        }
        self.since_snapshot += n;
    }

    /// Entries storage holds that this page had not folded (another tab's,
    /// read at open or on catching up): folded; their ids make repeats no-ops.
    pub fn fold_stored(&mut self, entries: Vec<Entry>) {
        if !entries.is_empty() {
            self.fold(entries);
        }
    }

    /// Caught up to `mark`: every arrival up to it is folded now.
    pub fn caught_up(&mut self, entries: Vec<Entry>, mark: u64) {
        self.fold_stored(entries);
        self.mark = self.mark.max(mark);
    }

    /// This page's own edits (one action): folded now, queued for storage.
    pub fn local(&mut self, edits: Vec<Edit>) {
        let entries: Vec<Entry> = edits.into_iter().map(Entry::Edit).collect();
        self.fold(entries.clone());
        self.keep_for_storage(entries);
    }

    /// Entries from a file or another device: folded, queued like local ones.
    pub fn imported(&mut self, entries: Vec<Entry>) {
        let fresh: Vec<Entry> = entries
            .into_iter()
            .filter(|e| !self.ledger.contains_edit(e.id()))
            .collect();
        if fresh.is_empty() {
            return;
        }
        self.fold(fresh.clone());
        self.keep_for_storage(fresh);
    }

    /// Entries no storage holds (the first release's log when there is no
    /// IndexedDB): folded, and held like edits made in memory.
    pub fn held(&mut self, entries: Vec<Entry>) {
        self.fold(entries.clone());
        self.memory.extend(entries);
    }

    fn keep_for_storage(&mut self, entries: Vec<Entry>) {
        match self.mode {
            Mode::Normal => {
                self.next_batch += 1;
                self.queue.push_back(Batch {
                    number: self.next_batch,
                    sent: false,
                    refused: false,
                    entries,
                });
            }
            // Never written: held here, so a fold of everything keeps them.
            Mode::MemoryOnly | Mode::ReadOnly => self.memory.extend(entries),
        }
    }

    /// Entries this page holds that storage does not: what waits, and with no
    /// storage at all, everything.
    pub fn unstored(&self) -> Vec<Entry> {
        let mut all = self.memory.clone();
        all.extend(self.queued());
        all
    }

    /// The oldest batch not yet sent, if storage may be written.
    pub fn next_write(&mut self) -> Option<Write> {
        if self.mode != Mode::Normal {
            return None;
        }
        let batch = self.queue.iter_mut().find(|b| !b.sent)?;
        batch.sent = true;
        Some(Write {
            batch: batch.number,
            generation: self.generation,
            entries: batch.entries.clone(),
        })
    }

    /// What storage said about a batch `next_write` gave.
    pub fn written(&mut self, batch: u64, result: Result<(), Fault>) {
        let Some(at) = self.queue.iter().position(|b| b.number == batch) else {
            // A batch of a log this page replaced since (its own restore):
            // what storage said of it is of a log no longer here.
            return;
        };
        match result {
            Ok(()) => {
                self.queue.remove(at);
                if !self.queue.iter().any(|b| b.refused) {
                    self.problem = None;
                }
            }
            Err(fault) => {
                self.queue[at].sent = false;
                self.queue[at].refused = true;
                if fault == Fault::Replaced {
                    self.mode = Mode::ReadOnly;
                }
                self.problem = Some(fault.problem());
            }
        }
    }

    /// Everything queued and not yet taken, for a fold of the whole log.
    pub fn queued(&self) -> Vec<Entry> {
        self.queue
            .iter()
            .flat_map(|b| b.entries.iter().cloned())
            .collect()
    }

    /// The whole log as storage held it up to `mark`: folded afresh with what
    /// is still queued.
    pub fn refolded(&mut self, stored: Vec<Entry>, mark: u64) {
        let mut all = stored;
        all.extend(self.unstored());
        self.ledger = Ledger::new(self.registry.clone(), all);
        self.mark = mark;
        self.needs_refold = false;
        self.since_snapshot = SNAPSHOT_EVERY;
    }

    /// Folds stale projects again from what storage holds about
    /// `refold_needs` and what waits; returns how many (one whose edit
    /// arrived meanwhile stays stale).
    pub fn refolded_stale(&mut self, stored: Vec<Entry>, asked: ReadMark) -> usize {
        let mut all = stored;
        all.extend(self.unstored());
        self.ledger.refold_stale(all, asked)
    }

    /// Whether to write a snapshot now: enough was folded since the last,
    /// nothing waits, and the ledger folds by itself.
    pub fn snapshot_due(&self) -> bool {
        self.mode == Mode::Normal
            && self.since_snapshot >= SNAPSHOT_EVERY
            && self.queue.is_empty()
            && !self.needs_refold
            && !self.has_stale()
    }

    /// The snapshot to write: (generation, the mark it covers, its text).
    pub fn snapshot(&self) -> (u64, u64, String) {
        (self.generation, self.mark, self.ledger.snapshot())
    }

    pub fn snapshot_written(&mut self) {
        self.since_snapshot = 0;
    }

    /// Everything was replaced (a restore by this page): start from these.
    pub fn replaced(&mut self, entries: Vec<Entry>, generation: u64) {
        self.ledger = Ledger::new(self.registry.clone(), entries);
        self.queue.clear();
        self.generation = generation;
        self.mark = 0;
        self.needs_refold = false;
        self.since_snapshot = SNAPSHOT_EVERY;
    }

    /// Another tab replaced everything: this one writes nothing more.
    pub fn replaced_elsewhere(&mut self) {
        self.mode = Mode::ReadOnly;
        self.problem = Some(Problem::Replaced);
    }
}

/// Where a core lives: a `RefCell` here, a reactive signal on screen. A
/// driver below holds it only between awaits, never across one.
pub trait Cell {
    fn read<T>(&self, f: impl FnOnce(&Core) -> T) -> T;
    /// A change of what the ledger shows: whoever watches it is told.
    fn change<T>(&self, f: impl FnOnce(&mut Core) -> T) -> T;
    /// A change of the queue's bookkeeping only.
    fn keep<T>(&self, f: impl FnOnce(&mut Core) -> T) -> T;
}

impl Cell for RefCell<Core> {
    fn read<T>(&self, f: impl FnOnce(&Core) -> T) -> T {
        f(&self.borrow())
    }

    fn change<T>(&self, f: impl FnOnce(&mut Core) -> T) -> T {
        f(&mut self.borrow_mut())
    }

    fn keep<T>(&self, f: impl FnOnce(&mut Core) -> T) -> T {
        f(&mut self.borrow_mut())
    }
}

/// Hands one batch to storage and notes how it went; whether it was taken.
pub async fn write<C: Cell, B: Backend>(core: &C, backend: &B, write: Write) -> bool {
    let result = backend.append(write.generation, &write.entries).await;
    let taken = result.is_ok();
    core.keep(|c| c.written(write.batch, result));
    taken
}

/// Writes what waits, batch after batch, until storage refuses one or
/// nothing is left. Returns whether everything is saved. (The page sends
/// every batch at once instead, each its own task: `write`.)
pub async fn flush<C: Cell, B: Backend>(core: &C, backend: &B) -> bool {
    while let Some(next) = core.keep(Core::next_write) {
        if !write(core, backend, next).await {
            return false;
        }
    }
    core.read(|c| c.unsaved() == 0 || c.mode() != Mode::Normal)
}

/// Folds what storage holds beyond this page's mark (another tab's edits).
pub async fn catch_up<C: Cell, B: Backend>(core: &C, backend: &B) -> Result<(), Fault> {
    let mark = core.read(Core::mark);
    let (entries, newest) = backend.after(mark).await?;
    if entries
        .iter()
        .all(|e| core.read(|c| c.ledger.contains_edit(e.id())))
    {
        core.keep(|c| c.caught_up(Vec::new(), newest));
    } else {
        core.change(|c| c.caught_up(entries, newest));
    }
    Ok(())
}

/// Folds the whole log again when the ledger asked for it, else its stale
/// projects from their own edits and the shared ones.
pub async fn refold_if_needed<C: Cell, B: Backend>(core: &C, backend: &B) -> Result<(), Fault> {
    if core.read(Core::needs_refold) {
        let (all, mark) = backend.after(0).await?;
        core.change(|c| c.refolded(all, mark));
        // What arrived while the log was read.
        return catch_up(core, backend).await;
    }
    // A turn reads some stale projects' edits and folds them; the page
    // answers a keystroke between turns, and memory holds one turn's edits,
    // not the log's. One pass over the projects stale now: what goes stale
    // meanwhile (a first sync's next pages) waits for the next call. An edit
    // of a project may arrive while storage is read: the project stays
    // stale; three turns that fold nothing end the pass. So does a turn
    // during which edits arrived: a download is still storing pages, which
    // leave projects stale again, so the pass goes on once it has ended (a
    // pass read whole records of storage for minutes while a 1,000,000-edit
    // download waited).
    let mut left = core.read(|c| c.ledger.stale_count());
    let mut limit = FIRST_TURN;
    let mut fruitless = 0;
    let begun = core.read(|c| c.ledger.read_mark());
    while left > 0 && fruitless < 3 && core.read(|c| c.ledger.read_mark()) == begun {
        let asked = limit.min(core.read(|c| c.ledger.stale_count()));
        if asked == 0 {
            break;
        }
        let (needs, mark) = core.read(|c| (c.ledger.refold_needs(asked), c.ledger.read_mark()));
        let about = backend.about(&needs).await?;
        let read = about.len();
        if core.change(|c| c.refolded_stale(about, mark)) == 0 {
            fruitless += 1;
        }
        left = left.saturating_sub(asked);
        limit = (asked * EDITS_PER_TURN / read.max(1)).clamp(1, MAX_TURN);
    }
    Ok(())
}

/// Stale projects read in a refold's first turn; later turns take as many
/// as make about `EDITS_PER_TURN` edits, judged by the turn before (tens of
/// milliseconds of reading and folding on a phone).
const FIRST_TURN: usize = 8;
const EDITS_PER_TURN: usize = 20_000;
const MAX_TURN: usize = 4_096;

/// Writes a snapshot when one is due: after catching up, so it covers a mark.
pub async fn snapshot_if_due<C: Cell, B: Backend>(core: &C, backend: &B) -> Result<(), Fault> {
    if !core.read(Core::snapshot_due) {
        return Ok(());
    }
    catch_up(core, backend).await?;
    refold_if_needed(core, backend).await?;
    if !core.read(Core::snapshot_due) {
        return Ok(());
    }
    let (generation, mark, text) = core.read(Core::snapshot);
    backend.save_snapshot(generation, mark, &text).await?;
    core.keep(Core::snapshot_written);
    Ok(())
}

// ------------------------------------------------------------ in memory

/// What an in-memory store holds: the log in arrival order, the snapshot.
#[derive(Clone, Debug, Default)]
pub struct Disk {
    pub log: Vec<Entry>,
    pub snapshot: Option<(u64, String)>,
    pub generation: u64,
    /// Writes taken so far (appends and snapshots).
    pub writes: usize,
    /// Refuse as full from this write on (counting from 1).
    pub full_from: Option<usize>,
}

/// A store in memory that several pages may share; faults are set on its `Disk`.
#[derive(Clone, Debug, Default)]
pub struct MemoryBackend {
    pub disk: Rc<RefCell<Disk>>,
}

impl MemoryBackend {
    fn take_write(&self) -> Result<(), Fault> {
        let mut disk = self.disk.borrow_mut();
        let n = disk.writes + 1;
        if disk.full_from.is_some_and(|from| n >= from) {
            return Err(Fault::Full);
        }
        disk.writes = n;
        Ok(())
    }

    /// What a page opening now would start from.
    pub fn open(&self, registry: Vec<Project>) -> Core {
        let disk = self.disk.borrow();
        let (mark, text) = match &disk.snapshot {
            Some((mark, text)) => (*mark, Some(text.as_str())),
            None => (0, None),
        };
        let later: Vec<Entry> = disk.log.iter().skip(mark as usize).cloned().collect();
        let newest = disk.log.len() as u64;
        Core::open(registry, text, later, newest, disk.generation, Mode::Normal)
    }
}

impl Backend for MemoryBackend {
    async fn append(&self, generation: u64, entries: &[Entry]) -> Result<(), Fault> {
        if self.disk.borrow().generation != generation {
            return Err(Fault::Replaced);
        }
        self.take_write()?;
        let mut disk = self.disk.borrow_mut();
        for entry in entries {
            if !disk.log.iter().any(|e| e.id() == entry.id()) {
                disk.log.push(entry.clone());
            }
        }
        Ok(())
    }

    async fn after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Fault> {
        let disk = self.disk.borrow();
        Ok((
            disk.log.iter().skip(mark as usize).cloned().collect(),
            disk.log.len() as u64,
        ))
    }

    async fn about(&self, subjects: &[String]) -> Result<Vec<Entry>, Fault> {
        Ok(self
            .disk
            .borrow()
            .log
            .iter()
            .filter(|e| match e {
                Entry::Edit(edit) => subjects.iter().any(|s| s == edit.subject.id()),
                Entry::Unreadable(_) => false,
            })
            .cloned()
            .collect())
    }

    async fn save_snapshot(&self, generation: u64, mark: u64, text: &str) -> Result<(), Fault> {
        if self.disk.borrow().generation != generation {
            return Err(Fault::Replaced);
        }
        self.take_write()?;
        self.disk.borrow_mut().snapshot = Some((mark, text.to_owned()));
        Ok(())
    }

    async fn replace_all(&self, entries: &[Entry]) -> Result<u64, Fault> {
        self.take_write()?;
        let mut disk = self.disk.borrow_mut();
        disk.log = entries.to_vec();
        disk.snapshot = None;
        disk.generation += 1;
        Ok(disk.generation)
    }
}

/// Runs a future that never waits on anything outside it (the in-memory
/// store's), for tests and tools.
pub fn run_now<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = std::task::Waker::noop();
    let mut context = std::task::Context::from_waker(waker);
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut context) {
            return out;
        }
    }
}
