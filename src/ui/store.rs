//! The store: the folded ledger, read-only to every screen, and the only way
//! to change it. Each change is checked, made an edit, folded at once and
//! queued for storage (`domain::log::keeper`); a refused one changes nothing
//! and says why. Storage opens while the first screen paints; screens wait for `ready`.

use super::browser::{after_paint, announce_ready, commit_focused_field};
use crate::domain::edit::{Edit, EditId, Entry};
use crate::domain::keeper::{self, Backend, Cell, Core, Mode};
use crate::domain::stored::Problem;
use crate::domain::validate::{
    check_batch, check_not_ahead, submission, InputError, REPEAT_WINDOW_MS,
};
use crate::domain::{registry, Change, District, Ledger};
use crate::settings;
use crate::storage::{self, Idb, Message};
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;

impl Cell for RwSignal<Core> {
    fn read<T>(&self, f: impl FnOnce(&Core) -> T) -> T {
        self.with_untracked(f)
    }

    fn change<T>(&self, f: impl FnOnce(&mut Core) -> T) -> T {
        let mut out = None;
        self.update(|c| out = Some(f(c)));
        out.expect("update runs")
    }

    fn keep<T>(&self, f: impl FnOnce(&mut Core) -> T) -> T {
        let mut out = None;
        self.update_untracked(|c| out = Some(f(c)));
        out.expect("update runs")
    }
}

/// The ledger as screens see it: read, tracked or not, never written.
#[derive(Clone, Copy)]
pub struct LedgerView(RwSignal<Core>);

impl LedgerView {
    pub fn with<T>(&self, f: impl FnOnce(&Ledger) -> T) -> T {
        self.0.with(|c| f(&c.ledger))
    }

    pub fn with_untracked<T>(&self, f: impl FnOnce(&Ledger) -> T) -> T {
        self.0.with_untracked(|c| f(&c.ledger))
    }

    pub fn track(&self) {
        self.0.track();
    }
}

/// What the banner and the opening screen show about storage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// Storage is open (or known to be missing): screens may show.
    pub ready: bool,
    /// Storage has not answered within `STORAGE_PATIENCE`: screens show the
    /// shipped registry, read-only, and say so, until it answers.
    pub waiting: bool,
    /// The first release's data is moving into the new store.
    pub migrating: bool,
    /// What storage said at opening.
    pub startup: Vec<Problem>,
    /// The latest storage problem; cleared once a write succeeds.
    pub write: Option<Problem>,
}

impl Status {
    /// Whether screens show: storage is open, or has kept everyone waiting
    /// long enough that the registry shows without it.
    pub fn screens(&self) -> bool {
        self.ready || self.waiting
    }

    /// Screens show, but storage has not answered yet: nothing may change.
    pub fn not_answering(&self) -> bool {
        self.waiting && !self.ready
    }
}

/// How long storage may take to open before the app says it is not
/// answering and shows the shipped registry, read-only (README states it).
pub const STORAGE_PATIENCE: Duration = Duration::from_secs(3);

/// How long after a keystroke in the search box incoming edits wait.
const SEARCH_PAUSE_MS: f64 = 1_000.0;

/// This page load's handles: the device, its writer and last sequence
/// number, and the log's store.
struct Session {
    device: String,
    writer: String,
    seq: u64,
    backend: Option<Idb>,
    /// When the last snapshot was considered (ms), so one is not written per edit.
    snapshot_tried: f64,
    /// When someone last typed a search (ms): see `searching`.
    searched: f64,
    /// Not before then (ms) is the ledger folded again: see `sync`.
    refold_after: f64,
    /// Field drafts whose edits wait for storage: dropped once nothing does.
    drafts_to_drop: Vec<String>,
    /// The last submission and when (ms): the same again soon is a double tap.
    last_submission: (Vec<(Option<String>, Change)>, i64),
}

/// The app's state, shared by context. Copy, because it holds only handles.
#[derive(Clone, Copy)]
pub struct Store {
    core: RwSignal<Core>,
    pub status: RwSignal<Status>,
    /// Projects picked in the list for a bulk action.
    pub selected: RwSignal<std::collections::BTreeSet<String>>,
    session: StoredValue<Session, LocalStorage>,
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}

impl Store {
    /// The folded ledger. Screens read it; only the methods below change it.
    pub fn ledger(&self) -> LedgerView {
        LedgerView(self.core)
    }

    fn backend(&self) -> Option<Idb> {
        self.session.with_value(|s| s.backend)
    }

    /// Edits on screen that storage has not taken yet.
    pub fn unsaved(&self) -> usize {
        self.core.with(Core::unsaved)
    }

    pub fn read_only(&self) -> bool {
        self.core.with_untracked(|c| c.mode() == Mode::ReadOnly)
    }

    fn next_edit_id(&self) -> EditId {
        let mut id = None;
        self.session.update_value(|s| {
            s.seq = s.seq.saturating_add(1);
            id = Some(EditId::new(&s.writer, s.seq));
        });
        id.expect("set above")
    }

    /// Validates a change against its subject as it is now, then appends it
    /// to the log and stores it. A refused change changes nothing.
    pub fn change(&self, subject: &str, change: Change) -> Result<(), InputError> {
        self.change_all(vec![(subject.to_owned(), change)])
            .map(|_| ())
    }

    /// Several changes as one action: all are checked first (`check_batch`,
    /// each against its project as the earlier ones leave it), then folded and
    /// stored as one transaction. One refused change refuses them all.
    pub fn change_all(&self, changes: Vec<(String, Change)>) -> Result<usize, InputError> {
        // Made now, it would live only until storage answers and its log
        // replaces this registry-only ledger.
        if self.status.with_untracked(Status::not_answering) {
            return Err(InputError::StorageNotAnswering);
        }
        check_not_ahead(&changes, crate::clock::today())?;
        self.core
            .with_untracked(|c| check_batch(&c.ledger, &changes))
            .map_err(|(_, e)| e)?;
        let submitted = self
            .core
            .with_untracked(|c| submission(&c.ledger, &changes));
        let at = now();
        let repeated = self.session.with_value(|s| {
            s.last_submission.0 == submitted && at - s.last_submission.1 < REPEAT_WINDOW_MS
        });
        if repeated {
            return Err(InputError::Repeated);
        }
        self.session
            .update_value(|s| s.last_submission = (submitted, at));
        let store = *self;
        let device = self.device();
        let edits: Vec<Edit> = self.core.with_untracked(|c| {
            let maker = maker_now(&c.ledger);
            c.ledger
                .prepare_all(|| store.next_edit_id(), &device, &maker, changes, now())
        });
        let count = edits.len();
        self.core.change(|c| c.local(edits));
        self.save();
        Ok(count)
    }

    /// Who is making edits on this device now (see `maker_now`).
    pub fn maker_now(&self) -> crate::domain::edit::Maker {
        self.core.with_untracked(|c| maker_now(&c.ledger))
    }

    /// Entries from another device (a bundle): kept with their ids, so
    /// importing the same bundle again adds nothing. Returns how many were
    /// new and how many this device held already: counted by id, not by what
    /// the fold shows (an edit older than one held here is kept all the same).
    pub fn import(&self, entries: Vec<Entry>) -> Result<(usize, usize), Problem> {
        if self.status.with_untracked(Status::not_answering) {
            return Err(Problem::NotAnswering);
        }
        let added = self
            .core
            .with_untracked(|c| crate::domain::exchange::new_entries(&c.ledger, &entries).len());
        let held = entries.len() - added;
        self.core.change(|c| c.imported(entries));
        self.save();
        Ok((added, held))
    }

    /// Hands what waits to storage, each batch its own transaction, at once.
    pub fn save(&self) {
        let store = *self;
        // An edit the ledger could not fold by itself shows once the whole
        // log (or its project) is folded again: from storage, or from memory
        // without one.
        if self
            .core
            .with_untracked(|c| c.needs_refold() || c.has_stale())
        {
            if self.backend().is_some() {
                leptos::task::spawn_local(async move {
                    let result = store.refold_paced().await;
                    store.show(result.err().map(|f| f.problem()));
                });
            } else if self.core.with_untracked(Core::needs_refold) {
                self.core.change(|c| c.refolded(Vec::new(), c.mark()));
            } else {
                self.core.change(|c| {
                    let now = c.ledger.read_mark();
                    c.refolded_stale(Vec::new(), now)
                });
            }
        }
        if self.backend().is_none() {
            return;
        }
        // Sent now, not after the one before is answered: a page closed
        // right after a change has already handed it over.
        while let Some(next) = self.core.keep(Core::next_write) {
            leptos::task::spawn_local(async move {
                keeper::write(&store.core, &Idb, next).await;
                store.drop_stored_drafts();
                store.show(None);
                store.snapshot_now_and_then().await;
            });
        }
    }

    /// A field's draft became an edit: it goes once storage holds every
    /// edit made so far (a quit before then finds the draft still there).
    pub fn drop_draft_once_stored(&self, key: String) {
        self.session.update_value(|s| s.drafts_to_drop.push(key));
        self.drop_stored_drafts();
    }

    fn drop_stored_drafts(&self) {
        if self.core.with_untracked(Core::unsaved) == 0 && self.backend().is_some() {
            for key in self
                .session
                .try_update_value(|s| std::mem::take(&mut s.drafts_to_drop))
                .unwrap_or_default()
            {
                settings::drop_draft(&key);
            }
        }
    }

    /// Saves, then folds what other tabs stored and, if the ledger asked,
    /// the whole log again.
    pub fn sync(&self) {
        self.save();
        // Folding what came in (another tab's edits, a page pulled from a
        // sync server) and the snapshot after it cost a frame: they wait
        // while a search is being typed. The next message or the 2 s tick
        // brings them, at most a few seconds late.
        if now() as f64 - self.session.with_value(|s| s.searched) < SEARCH_PAUSE_MS {
            return;
        }
        let store = *self;
        leptos::task::spawn_local(async move {
            if store.backend().is_none() {
                return;
            }
            let mut result = keeper::catch_up(&store.core, &Idb).await;
            if result.is_ok() {
                result = store.refold_paced().await;
            }
            store.show(result.err().map(|f| f.problem()));
            store.snapshot_now_and_then().await;
        });
    }

    /// Folds again (stale projects, or the whole log) when the ledger asks,
    /// waiting four times as long as the last fold took: a first sync from
    /// a sharded server, whose every page leaves projects stale, folds a few
    /// times rather than once per page; the last pages' fold comes with the
    /// next message or the 2 s tick.
    async fn refold_paced(&self) -> Result<(), keeper::Fault> {
        let start = now() as f64;
        if start < self.session.with_value(|s| s.refold_after)
            || !self
                .core
                .with_untracked(|c| c.needs_refold() || c.has_stale())
        {
            return Ok(());
        }
        let result = keeper::refold_if_needed(&self.core, &Idb).await;
        let took = now() as f64 - start;
        self.session
            .update_value(|s| s.refold_after = now() as f64 + 4.0 * took);
        result
    }

    /// Someone typed in the search box: what other tabs stored waits a
    /// moment here, and a sync download in any tab gives way.
    pub fn searching(&self) {
        let at = now();
        self.session.update_value(|s| s.searched = at as f64);
        settings::note_typing(at);
    }

    /// A snapshot when one is due, at most one every few seconds: each
    /// costs a walk of the whole ledger.
    async fn snapshot_now_and_then(&self) {
        let due = self
            .session
            .with_value(|s| now() as f64 - s.snapshot_tried > 3000.0)
            && self.core.with_untracked(Core::snapshot_due);
        if due {
            self.session
                .update_value(|s| s.snapshot_tried = now() as f64);
            keeper::snapshot_if_due(&self.core, &Idb).await.ok();
        }
    }

    /// Shows the core's problem, or `other` when the core has none.
    fn show(&self, other: Option<Problem>) {
        let problem = self.core.with_untracked(|c| c.problem().cloned()).or(other);
        if problem != self.status.with_untracked(|s| s.write.clone()) {
            self.status.update(|s| s.write = problem);
        }
    }

    /// What storage took after `mark` (its arrival order), and the mark to
    /// go on from; with no storage, what waits in memory.
    pub async fn entries_after(&self, mark: u64) -> Result<(Vec<Entry>, u64), Problem> {
        match self.backend() {
            Some(backend) => backend.after(mark).await.map_err(|f| f.problem()),
            None => Ok((self.core.with_untracked(Core::unstored), mark)),
        }
    }

    /// Every entry held, readable or not: what storage has, and what waits.
    pub async fn all_entries(&self) -> Result<Vec<Entry>, Problem> {
        let mut all = match self.backend() {
            Some(backend) => backend.after(0).await.map_err(|f| f.problem())?.0,
            None => Vec::new(),
        };
        let unstored = self.core.with_untracked(Core::unstored);
        for entry in unstored {
            if !all.iter().any(|e| e.id() == entry.id()) {
                all.push(entry);
            }
        }
        Ok(all)
    }

    /// One subject's edits, newest first, each with the person its record
    /// names: from storage, and what waits.
    pub async fn history(&self, subject: &str) -> Vec<crate::domain::edit::Authored> {
        let mut edits = match self.backend() {
            Some(_) => storage::history(subject).await.unwrap_or_default(),
            None => Vec::new(),
        };
        let unstored = self.core.with_untracked(Core::unstored);
        let mine = settings::local_author();
        for entry in unstored {
            if let Entry::Edit(e) = entry {
                if e.subject.id() == subject && !edits.iter().any(|h| h.0.id == e.id) {
                    edits.push((e, mine.clone()));
                }
            }
        }
        crate::domain::order::sorted(edits, &|a, b| b.0.order_key().cmp(&a.0.order_key()))
    }

    /// Every readable edit, each with the person it is by when known: from
    /// storage, and what waits.
    pub async fn all_authored(&self) -> Result<Vec<crate::domain::edit::Authored>, Problem> {
        let mut all = match self.backend() {
            Some(_) => storage::all_authored().await.map_err(|f| f.problem())?,
            None => Vec::new(),
        };
        let mine = settings::local_author();
        for entry in self.core.with_untracked(Core::unstored) {
            if let Entry::Edit(e) = entry {
                if !all.iter().any(|(held, _)| held.id == e.id) {
                    all.push((e, mine.clone()));
                }
            }
        }
        Ok(all)
    }

    /// An edit by id, from storage (a conflict's side kept only by id).
    pub async fn edit(&self, id: EditId) -> Option<crate::domain::edit::Authored> {
        self.backend()?;
        storage::edit_by_id(&id).await
    }

    /// Replaces everything with a backup; another tab then stops writing.
    pub async fn restore(&self, backup: &crate::domain::exchange::Backup) -> Result<(), Problem> {
        if self.status.with_untracked(Status::not_answering) {
            return Err(Problem::NotAnswering);
        }
        let backend = self.backend().ok_or(Problem::Unavailable)?;
        let generation = storage::restore(&backend, backup).await?;
        let entries = backup.edits.clone();
        self.core.change(|c| c.replaced(entries, generation));
        Ok(())
    }

    pub fn device(&self) -> String {
        self.session.with_value(|s| s.device.clone())
    }

    /// A fresh id for a user-added project, naming its district so that a
    /// server's access rule can read it (`District::of_subject`).
    pub fn new_project_id(&self, district: Option<District>) -> String {
        subject_id("u", district, &self.next_edit_id())
    }

    /// A fresh id for a person of the roster, naming their district.
    pub fn new_person_id(&self, district: Option<District>) -> String {
        subject_id("person", district, &self.next_edit_id())
    }

    /// Shows what storage said about a settings write: a problem in the
    /// banner, or clears it once a write succeeds.
    pub fn report(&self, result: Result<(), Problem>) {
        match result {
            Ok(()) => self.show(None),
            // Shown once from start-up already.
            Err(Problem::Unavailable | Problem::Newer) => {}
            Err(problem) => self.status.update(|s| s.write = Some(problem)),
        }
    }
}

/// An edit id as part of another id (`w:5` → `w-5`).
fn subject_id(kind: &str, district: Option<District>, id: &EditId) -> String {
    match district {
        Some(d) => format!("{kind}-{}-{}-{}", d.code(), id.writer, id.seq),
        None => format!("{kind}-{}-{}", id.writer, id.seq),
    }
}

/// Shares the `Store` by context, opens storage behind the first paint, and
/// keeps the store in step with other tabs and the page's life cycle. Both
/// apps (field and office) start here.
pub(crate) fn start_store() -> Store {
    let registry = registry::shipped();
    let store = Store {
        core: RwSignal::new(Core::open(
            registry.clone(),
            None,
            Vec::new(),
            0,
            0,
            Mode::MemoryOnly,
        )),
        status: RwSignal::new(Status::default()),
        selected: RwSignal::new(Default::default()),
        session: StoredValue::new_local(Session {
            device: String::new(),
            writer: storage::new_writer(),
            seq: 0,
            backend: None,
            snapshot_tried: 0.0,
            searched: 0.0,
            refold_after: 0.0,
            drafts_to_drop: Vec::new(),
            last_submission: (Vec::new(), 0),
        }),
    };
    provide_context(store);
    leptos::task::spawn_local(async move {
        let progress = move |_| store.status.update(|s| s.migrating = true);
        let opened = storage::open(registry, &progress).await;
        store.session.update_value(|s| {
            s.device = opened.device;
            s.backend = opened.backend;
        });
        store.core.set(opened.core);
        store.status.set(Status {
            ready: true,
            waiting: false,
            migrating: false,
            startup: opened.problems,
            write: None,
        });
        store.sync();
        after_paint(announce_ready);
    });
    // A storage that does not answer (an IndexedDB open left hanging by a
    // blocked upgrade or a browser bug) is named, and the registry shows
    // meanwhile; once it answers, the open above goes on as usual.
    set_timeout(
        move || {
            if !store.status.with_untracked(|s| s.ready) {
                store.status.update(|s| s.waiting = true);
            }
        },
        STORAGE_PATIENCE,
    );
    // Another tab stored edits: fold them in here too; one replaced
    // everything: write nothing more here.
    storage::on_message(move |message| match message {
        Message::Edits => store.sync(),
        Message::Replaced => {
            store.core.change(Core::replaced_elsewhere);
            store.show(None);
        }
    });
    // Listeners and the retry timer live as long as the page: their handles go unused.
    // A route change (Back, a link, a typed hash) first commits the field
    // being typed in, while its page is still there: registered before the
    // apps' own hashchange listeners, so it runs first.
    let _ = window_event_listener(ev::hashchange, move |_| commit_focused_field());
    let _ = window_event_listener(ev::visibilitychange, move |_| {
        if document().hidden() {
            commit_focused_field();
            store.save();
        } else {
            // Back from the background: what other tabs stored meanwhile.
            store.sync();
        }
    });
    let _ = window_event_listener(ev::pagehide, move |_| {
        commit_focused_field();
        store.save();
    });
    // Every 2 s: retry what waits, and, while the tab is seen, read what other
    // tabs stored (a tab closed right after an edit may not get its message out).
    let _ = set_interval_with_handle(
        move || {
            if !document().hidden() {
                store.sync();
            } else if store.core.with_untracked(|c| c.unsaved() > 0) {
                store.save();
            }
        },
        Duration::from_secs(2),
    );
    store
}

/// Who is making an edit now: the person signed in to sync on this device and
/// the person of 我是 (chosen, else the roster's person of that login), by
/// name as the roster has it at this moment.
fn maker_now(ledger: &crate::domain::Ledger) -> crate::domain::edit::Maker {
    crate::domain::edit::Maker {
        login: settings::local_author(),
        person: crate::ui::sync::me_or_signed_in(settings::me(), ledger)
            .and_then(|id| ledger.person_name(&id).map(str::to_owned)),
    }
}
