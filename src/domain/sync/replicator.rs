//! What to ask a CouchDB database next, and what its answers mean: the sync
//! protocol as a state machine with no transport of its own (the browser
//! sends its requests; the native tests answer them with a fake server that
//! drops, repeats and reorders).
//!
//! Two lanes run side by side, each with one request in flight at most:
//! - **push**: local edits the server does not hold yet, create-only
//!   `_bulk_docs` of at most [`BATCH`] (halved on 413); rows read by id; a row
//!   saying the document exists is checked with `_all_docs` against our edit
//!   (same: it is there; different: two writers shared an id, listed, never
//!   dropped);
//! - **pull**: `_changes` from the checkpoint, pages of [`PAGE`], then
//!   `feed=longpoll` with a timeout of our own (a server may ignore its own).
//!   A pulled edit passes the bounds an edit from a file does
//!   (`validate::check_entry`); one that does not is listed with its reason,
//!   left on the server and never stored or shown.
//!
//! - **the database's identity**: with a marker set (`set_marker`), before
//!   either lane runs the pull lane reads this device's `_local` document
//!   (`_local/ledger-sync-<marker>`), which CouchDB never replicates. Missing,
//!   the database is not the one the saved state describes (recreated,
//!   restored from a backup, another copy): the checkpoint and what the
//!   server was known to hold are forgotten, so every edit is pulled again
//!   and every local edit the server lacks is pushed again (ids make both
//!   idempotent); then the marker is written. Any failure asks again, and so
//!   do `wake`, a longpoll that ran out with nothing, and every
//!   [`RECHECK_EVERY_MS`] of a busy feed.
//!
//! A lane that fails waits, doubling from 1 s to 60 s; `wake` (the browser is
//! online again, the tab is visible) ends the wait. 401 or 403 for a whole
//! request pauses both lanes until `sign_in`. Local edits never wait for any
//! of this: the replicator only reads them.
//!
//! Merging is idempotent (edits are held by id), so losing the saved state
//! (`to_text`) only means pulling again and re-pushing what the server then
//! answers "exists" for.

use crate::domain::codec::percent_encode;
use crate::domain::log::edit::{EditId, Entry};
use crate::domain::log::ids::IdSet;
use crate::domain::log::wire;
use crate::domain::rules::validate::{check_entry, EditFault};
use crate::domain::sync::document::{
    bulk_body, fields, keys_body, read_bulk_reply, read_changes, read_keys_reply, same_edit,
    since_param, subject_of, text, Held, Pulled, Pushed,
};
use serde_json::value::RawValue;

/// Most documents in one `_bulk_docs`.
pub const BATCH: usize = 200;
/// Most changes asked for at once.
pub const PAGE: usize = 500;
/// What a longpoll asks the server to wait before an empty answer.
pub const LONGPOLL_MS: u32 = 25_000;
/// How long the client waits for a longpoll: past the server's own timeout,
/// because some servers ignore it.
pub const LONGPOLL_GIVE_UP_MS: u32 = 35_000;
/// How long the client waits for any other request.
pub const REQUEST_GIVE_UP_MS: u32 = 30_000;
/// How often a device that stays in touch asks again whether the database
/// is still the one it synced with (a restore may replace it unseen).
pub const RECHECK_EVERY_MS: i64 = 5 * 60_000;
pub const FIRST_RETRY_MS: i64 = 1_000;
pub const LAST_RETRY_MS: i64 = 60_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
}

/// One request, its path relative to the database URL (`_bulk_docs`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub body: Option<String>,
    /// The client gives up after this long and reports [`Reply::TimedOut`].
    pub give_up_ms: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Answer {
        status: u16,
        body: String,
    },
    /// No answer: offline, the server down, the connection cut.
    NoAnswer,
    TimedOut,
}

#[derive(Clone, Debug, Default)]
struct Lane {
    busy: bool,
    failures: u32,
    not_before: i64,
    /// Woken while its request was out: if that request fails (it may have
    /// left while the network was down), the lane goes again at once.
    woken: bool,
}

impl Lane {
    fn ready(&self, now: i64) -> bool {
        !self.busy && now >= self.not_before
    }

    fn failed(&mut self, now: i64) {
        self.failures = self.failures.saturating_add(1);
        let wait = FIRST_RETRY_MS.saturating_mul(1 << (self.failures - 1).min(6));
        self.not_before = if std::mem::take(&mut self.woken) {
            0
        } else {
            now.saturating_add(wait.min(LAST_RETRY_MS))
        };
    }

    fn worked(&mut self) {
        self.failures = 0;
        self.not_before = 0;
        self.woken = false;
    }

    fn wake(&mut self) {
        self.not_before = 0;
        self.woken = self.busy;
    }
}

/// An edit the server refused, with the server's reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub id: EditId,
    /// What the edit was about (`p`), for the list of refusals.
    pub subject: String,
    pub reason: String,
}

/// Two writers used one id: the server holds another edit under ours.
#[derive(Clone, Debug, PartialEq)]
pub struct Collision {
    pub id: EditId,
    pub theirs: Held,
}

/// What a sync status line needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub signed_in: bool,
    /// A session ended (401/403): sign in again.
    pub needs_login: bool,
    pub refused: usize,
    pub collisions: usize,
    /// The last request got no answer.
    pub offline: bool,
    pub pending: usize,
    /// When the server last answered, local milliseconds.
    pub last_contact: Option<i64>,
    /// Pulled to the server's newest change.
    pub caught_up: bool,
}

impl Status {
    /// The person should look: signed out, the session ended, or edits refused.
    pub fn asks_attention(&self) -> bool {
        self.needs_login || !self.signed_in || self.refused + self.collisions > 0
    }
}

/// What the sync engine tells an app about sync: where it stands (`None`: no
/// server set) and, during a first download, how far it is. Engine and app
/// are two wasm with no memory in common; a report crosses between them as
/// numbers (`to_numbers`, `from_numbers`), never as words: the app words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub status: Option<Status>,
    pub downloaded_percent: Option<u32>,
}

impl Report {
    /// Its numbers, in the order `from_numbers` reads them. Times are whole
    /// milliseconds, exact in an f64.
    pub fn to_numbers(&self) -> Vec<f64> {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let optional = |v: Option<f64>| [flag(v.is_some()), v.unwrap_or(0.0)];
        let mut out = vec![flag(self.status.is_some())];
        if let Some(s) = &self.status {
            out.extend([
                flag(s.signed_in),
                flag(s.needs_login),
                s.refused as f64,
                s.collisions as f64,
                flag(s.offline),
                s.pending as f64,
                flag(s.caught_up),
            ]);
            out.extend(optional(s.last_contact.map(|t| t as f64)));
        }
        out.extend(optional(self.downloaded_percent.map(f64::from)));
        out
    }

    /// Reads `to_numbers`; `None` for numbers it did not write.
    pub fn from_numbers(numbers: &[f64]) -> Option<Report> {
        let mut n = Numbers(numbers.iter());
        let status = if n.flag()? {
            Some(Status {
                signed_in: n.flag()?,
                needs_login: n.flag()?,
                refused: n.count()? as usize,
                collisions: n.count()? as usize,
                offline: n.flag()?,
                pending: n.count()? as usize,
                caught_up: n.flag()?,
                last_contact: n.optional()?.map(|t| t as i64),
            })
        } else {
            None
        };
        let downloaded_percent = n.optional()?.map(|p| p as u32);
        n.0.next().is_none().then_some(Report {
            status,
            downloaded_percent,
        })
    }
}

/// Reads a report's numbers in order.
struct Numbers<'a>(std::slice::Iter<'a, f64>);

impl Numbers<'_> {
    /// A whole number, 0 up to 2^53 (exact in an f64).
    fn count(&mut self) -> Option<u64> {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        let n = *self.0.next()?;
        (n.fract() == 0.0 && (0.0..=EXACT).contains(&n)).then_some(n as u64)
    }

    fn flag(&mut self) -> Option<bool> {
        match self.count()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// A flag, then the value it says is there (0 when it is not).
    fn optional(&mut self) -> Option<Option<u64>> {
        let present = self.flag()?;
        let value = self.count()?;
        Some(present.then_some(value))
    }
}

#[derive(Clone, Debug, PartialEq)]
enum InFlight {
    None,
    Push(Vec<Entry>),
    Check(Vec<Entry>),
}

/// What the pull lane's request in flight asks.
#[derive(Clone, Copy, Debug, PartialEq)]
enum PullAsk {
    /// Is this device's marker there?
    Marker,
    /// Write it.
    Mark,
    Changes,
}

/// Whether the database is known to be the one the saved state describes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Known {
    Unchecked,
    /// It was not: the marker is to be written.
    Marking,
    Yes,
}

#[derive(Clone, Copy)]
enum LaneName {
    Push,
    Pull,
}

/// What pushing did, counted: see `Replicator::pushed`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PushCounts {
    pub stored: usize,
    pub already_there: usize,
}

#[derive(Clone, Debug)]
pub struct Replicator {
    author: Option<String>,
    needs_login: bool,
    on_server: IdSet,
    refused: Vec<Refusal>,
    /// Edits pulled that break the bounds (`check_entry`): not taken.
    rejected: Vec<Refusal>,
    collisions: Vec<Collision>,
    /// Edits the server says it holds a document for: compared before
    /// they count as pushed.
    to_check: Vec<Entry>,
    /// What pushing did since sign-in, for the sync page's counts.
    pushed: PushCounts,
    checkpoint: Option<String>,
    caught_up: bool,
    /// This device's mark on the server (its `_local` document's name).
    marker: Option<String>,
    known: Known,
    /// When the pull lane asks again (`RECHECK_EVERY_MS`; `wake` brings it on).
    recheck_at: i64,
    pull_ask: PullAsk,
    /// How often the database turned out to be another one.
    restarts: u32,
    batch_limit: usize,
    push: Lane,
    pull: Lane,
    in_flight: InFlight,
    longpolling: bool,
    offline: bool,
    last_contact: Option<i64>,
}

impl Default for Replicator {
    fn default() -> Self {
        Replicator {
            author: None,
            needs_login: false,
            on_server: IdSet::default(),
            refused: Vec::new(),
            rejected: Vec::new(),
            collisions: Vec::new(),
            to_check: Vec::new(),
            pushed: PushCounts::default(),
            checkpoint: None,
            caught_up: false,
            marker: None,
            known: Known::Unchecked,
            recheck_at: 0,
            pull_ask: PullAsk::Changes,
            restarts: 0,
            batch_limit: BATCH,
            push: Lane::default(),
            pull: Lane::default(),
            in_flight: InFlight::None,
            longpolling: false,
            offline: false,
            last_contact: None,
        }
    }
}

impl Replicator {
    /// Pushes go out under this CouchDB user from now on, also of edits made
    /// before (the person signing in answers for this device's edits).
    pub fn sign_in(&mut self, author: &str) {
        self.author = Some(author.to_owned());
        self.needs_login = false;
        if self.known == Known::Yes {
            self.known = Known::Unchecked;
        }
        // A request still out from before is the driver's to drop.
        self.push = Lane::default();
        self.pull = Lane::default();
        self.in_flight = InFlight::None;
    }

    /// The session is over (found at start, before any request): sign in
    /// again to go on.
    pub fn session_ended(&mut self) {
        self.needs_login = true;
    }

    /// Stops both lanes; what the server holds and the checkpoint stay.
    pub fn sign_out(&mut self) {
        self.author = None;
        self.needs_login = false;
    }

    pub fn author(&self) -> Option<&str> {
        self.author.as_deref()
    }

    /// Names this device's mark on the server; from then on the database's
    /// identity is checked before syncing (module docs). Kept in `to_text`.
    /// A new marker is on no server yet: it is written first, and what the
    /// state says so far is trusted (a state saved before markers were).
    pub fn set_marker(&mut self, marker: &str) {
        self.marker = Some(marker.to_owned());
        self.known = Known::Marking;
    }

    pub fn marker(&self) -> Option<&str> {
        self.marker.as_deref()
    }

    /// How often the database turned out not to be the one synced with
    /// before (since this state was loaded).
    pub fn restarts(&self) -> u32 {
        self.restarts
    }

    /// Whether the database is known to be the one the saved state
    /// describes (always, with no marker set).
    pub fn identity_known(&self) -> bool {
        self.marker.is_none() || self.known == Known::Yes
    }

    /// The database is another one: start over with it.
    fn forget_the_server(&mut self) {
        self.checkpoint = None;
        self.on_server = IdSet::default();
        self.to_check.clear();
        self.caught_up = false;
        self.batch_limit = BATCH;
        self.restarts += 1;
    }

    /// The network is back, or the person is looking: retry now.
    pub fn wake(&mut self) {
        self.push.wake();
        self.pull.wake();
        self.recheck_at = 0;
    }

    /// When a waiting lane may go again (for the driver's timer).
    pub fn next_retry(&self) -> Option<i64> {
        [&self.push, &self.pull]
            .into_iter()
            .filter(|l| !l.busy && l.failures > 0)
            .map(|l| l.not_before)
            .min()
    }

    fn active(&self) -> bool {
        self.author.is_some() && !self.needs_login
    }

    /// Whether the server is known to hold this edit.
    pub fn on_server(&self, id: &EditId) -> bool {
        self.on_server.contains(id)
    }

    /// Whether nothing more will be done with this edit: the server holds
    /// it, refused it, or holds another under its id.
    pub fn settled(&self, id: &EditId) -> bool {
        self.on_server.contains(id)
            || self.refused.iter().any(|r| &r.id == id)
            || self.collisions.iter().any(|c| &c.id == id)
    }

    fn waiting(&self, id: &EditId) -> bool {
        !self.on_server.contains(id)
            && !self.refused.iter().any(|r| &r.id == id)
            && !self.collisions.iter().any(|c| &c.id == id)
            && !self.to_check.iter().any(|e| e.id() == id)
    }

    /// How many of these local edits the server does not hold yet (refused
    /// ones and collisions are counted apart).
    pub fn pending<'a>(&self, local: impl IntoIterator<Item = &'a Entry>) -> usize {
        local
            .into_iter()
            .filter(|e| self.waiting(e.id()) || self.to_check.iter().any(|c| c.id() == e.id()))
            .count()
    }

    pub fn refused(&self) -> &[Refusal] {
        &self.refused
    }

    /// What pushing did since the replicator started: edits the server
    /// stored, and edits it held already (the same edit, by id and text).
    pub fn pushed(&self) -> PushCounts {
        self.pushed
    }

    pub fn collisions(&self) -> &[Collision] {
        &self.collisions
    }

    /// Edits on the server this device did not take: they break the bounds
    /// any edit is held to (a 10 MB note), each with why.
    pub fn rejected(&self) -> &[Refusal] {
        &self.rejected
    }

    /// Pulled to the server's newest change (pulls are longpolls now).
    pub fn caught_up(&self) -> bool {
        self.caught_up
    }

    /// The sequence pulled to, as the server wrote it.
    pub fn checkpoint(&self) -> Option<&str> {
        self.checkpoint.as_deref()
    }

    pub fn status(&self, pending: usize) -> Status {
        Status {
            signed_in: self.author.is_some(),
            needs_login: self.needs_login,
            refused: self.refused.len(),
            collisions: self.collisions.len(),
            offline: self.offline,
            pending,
            last_contact: self.last_contact,
            caught_up: self.caught_up,
        }
    }

    /// What to keep on the device per server and database: the checkpoint,
    /// what the server holds, refusals and collisions. Lines of text.
    pub fn to_text(&self) -> String {
        let mut out = String::from("sync 1\n");
        out.push_str("seq ");
        out.push_str(self.checkpoint.as_deref().unwrap_or(""));
        out.push_str("\nheld ");
        out.push_str(&self.on_server.to_text());
        if let Some(marker) = &self.marker {
            out.push_str("\nmark [");
            wire::string(&mut out, marker);
            out.push(']');
        }
        for (kind, r) in self
            .refused
            .iter()
            .map(|r| ("refused", r))
            .chain(self.rejected.iter().map(|r| ("rejected", r)))
        {
            out.push('\n');
            out.push_str(kind);
            out.push_str(" [");
            for (i, part) in [r.id.to_string(), r.reason.clone(), r.subject.clone()]
                .iter()
                .enumerate()
            {
                if i > 0 {
                    out.push(',');
                }
                wire::string(&mut out, part);
            }
            out.push(']');
        }
        for c in &self.collisions {
            out.push_str("\ncollision [");
            wire::string(&mut out, &c.id.to_string());
            out.push(',');
            wire::string(&mut out, &c.theirs.author);
            out.push(',');
            out.push_str(&c.theirs.edit);
            out.push(']');
        }
        out
    }

    /// Reads `to_text` (signed out: sign in to go on). `None` for text that
    /// is not one; starting afresh then costs a pull, nothing else.
    pub fn from_text(text: &str) -> Option<Replicator> {
        let mut lines = text.lines();
        if lines.next()? != "sync 1" {
            return None;
        }
        let seq = lines.next()?.strip_prefix("seq ")?;
        if !seq.is_empty() && serde_json::from_str::<&RawValue>(seq).is_err() {
            return None;
        }
        let mut sync = Replicator {
            checkpoint: (!seq.is_empty()).then(|| seq.to_owned()),
            on_server: IdSet::from_text(lines.next()?.strip_prefix("held ")?)?,
            ..Replicator::default()
        };
        for line in lines {
            let (kind, rest) = line.split_once(' ')?;
            let parts: Vec<&RawValue> = serde_json::from_str(rest).ok()?;
            let text = |n: usize| serde_json::from_str::<String>(parts.get(n)?.get()).ok();
            if kind == "mark" {
                sync.marker = Some(text(0)?);
                continue;
            }
            let id = text(0)?.parse().ok()?;
            match kind {
                "refused" | "rejected" => {
                    let refusal = Refusal {
                        id,
                        reason: text(1)?,
                        subject: text(2)?,
                    };
                    match kind {
                        "refused" => sync.refused.push(refusal),
                        _ => sync.rejected.push(refusal),
                    }
                }
                "collision" => sync.collisions.push(Collision {
                    id,
                    theirs: Held {
                        author: text(1)?,
                        edit: parts.get(2)?.get().to_owned(),
                    },
                }),
                _ => return None,
            }
        }
        Some(sync)
    }

    /// The next push request, if one may go: checks first, then new edits
    /// (in the order given; the driver gives them oldest first).
    pub fn next_push<'a>(
        &mut self,
        now: i64,
        local: impl IntoIterator<Item = &'a Entry>,
    ) -> Option<Request> {
        // Pushes do not wait for the database's identity: on another
        // database they are wanted all the same, and a hidden page, whose
        // pull lane rests, must still push.
        if !self.active() || !self.push.ready(now) {
            return None;
        }
        let author = self.author.clone()?;
        let request = if !self.to_check.is_empty() {
            let check: Vec<Entry> = self.to_check.iter().take(BATCH).cloned().collect();
            let body = keys_body(check.iter().map(Entry::id));
            self.in_flight = InFlight::Check(check);
            post("_all_docs?include_docs=true", body)
        } else {
            let batch: Vec<Entry> = local
                .into_iter()
                .filter(|e| self.waiting(e.id()))
                .take(self.batch_limit)
                .cloned()
                .collect();
            if batch.is_empty() {
                return None;
            }
            let body = bulk_body(&batch, &author);
            self.in_flight = InFlight::Push(batch);
            post("_bulk_docs", body)
        };
        self.push.busy = true;
        Some(request)
    }

    /// Takes the answer to the push lane's request.
    pub fn push_reply(&mut self, now: i64, reply: Reply) {
        self.push.busy = false;
        let in_flight = std::mem::replace(&mut self.in_flight, InFlight::None);
        let Some((status, body)) = self.answered(now, &reply, LaneName::Push) else {
            return;
        };
        match in_flight {
            InFlight::None => {}
            InFlight::Push(batch) if status == 413 => {
                if batch.len() == 1 {
                    self.refused.push(Refusal {
                        id: batch[0].id().clone(),
                        subject: subject_of(&batch[0]).unwrap_or_default(),
                        reason: format!("413 {}", reason_of(&body)).trim().to_owned(),
                    });
                } else {
                    self.batch_limit = (batch.len() / 2).max(1);
                }
                self.push.worked();
            }
            InFlight::Push(batch) => match read_bulk_reply(&body).filter(|_| ok(status)) {
                None => self.push.failed(now),
                Some(rows) => {
                    self.push.worked();
                    for entry in batch {
                        // An id with no row stays waiting: it goes again.
                        match rows.iter().find(|(id, _)| id == entry.id()).map(|r| &r.1) {
                            Some(Pushed::Stored) => {
                                self.on_server.insert(entry.id());
                                self.pushed.stored += 1;
                            }
                            Some(Pushed::Exists) => self.to_check.push(entry),
                            Some(Pushed::Refused(reason)) => self.refused.push(Refusal {
                                id: entry.id().clone(),
                                subject: subject_of(&entry).unwrap_or_default(),
                                reason: reason.clone(),
                            }),
                            Some(Pushed::Unauthorized) => self.needs_login = true,
                            None => {}
                        }
                    }
                }
            },
            InFlight::Check(checked) => match read_keys_reply(&body).filter(|_| ok(status)) {
                None => self.push.failed(now),
                Some(rows) => {
                    self.push.worked();
                    for entry in checked {
                        self.to_check.retain(|e| e.id() != entry.id());
                        match rows.iter().find(|(id, _)| id == entry.id()).map(|r| &r.1) {
                            Some(Some(held)) if same_edit(held, &entry) => {
                                self.on_server.insert(entry.id());
                                self.pushed.already_there += 1;
                            }
                            Some(Some(held)) => self.collisions.push(Collision {
                                id: entry.id().clone(),
                                theirs: held.clone(),
                            }),
                            // Gone (deleted by an admin) or not answered: push it again.
                            _ => {}
                        }
                    }
                }
            },
        }
    }

    /// The next pull request, if one may go: pages until the newest change,
    /// then a longpoll.
    pub fn next_pull(&mut self, now: i64) -> Option<Request> {
        if !self.active() || !self.pull.ready(now) {
            return None;
        }
        // Asked only when the pull lane is free: pushes never wait on a longpoll.
        if self.marker.is_some() && self.known == Known::Yes && now >= self.recheck_at {
            self.known = Known::Unchecked;
        }
        if let (Some(marker), false) = (&self.marker, self.identity_known()) {
            let path = format!("_local/ledger-sync-{}", percent_encode(marker));
            self.pull.busy = true;
            self.longpolling = false;
            return Some(if self.known == Known::Marking {
                self.pull_ask = PullAsk::Mark;
                Request {
                    method: Method::Put,
                    path,
                    body: Some(
                        r#"{"what":"项目台账: this device synced with this database"}"#.to_owned(),
                    ),
                    give_up_ms: REQUEST_GIVE_UP_MS,
                }
            } else {
                self.pull_ask = PullAsk::Marker;
                Request {
                    method: Method::Get,
                    path,
                    body: None,
                    give_up_ms: REQUEST_GIVE_UP_MS,
                }
            });
        }
        self.pull_ask = PullAsk::Changes;
        let since = self
            .checkpoint
            .as_deref()
            .map_or_else(|| "0".to_owned(), since_param);
        let mut path = format!(
            "_changes?include_docs=true&since={}&limit={PAGE}",
            percent_encode(&since)
        );
        self.longpolling = self.caught_up;
        if self.caught_up {
            path.push_str(&format!("&feed=longpoll&timeout={LONGPOLL_MS}"));
        }
        self.pull.busy = true;
        Some(Request {
            method: Method::Get,
            path,
            body: None,
            give_up_ms: if self.caught_up {
                LONGPOLL_GIVE_UP_MS
            } else {
                REQUEST_GIVE_UP_MS
            },
        })
    }

    /// Takes the answer to the pull lane's request: the edits to merge. The
    /// driver stores them before it saves `to_text`, so a checkpoint never
    /// runs ahead of what the device holds. An edit past the bounds is kept
    /// out and listed, its reason in the words `describe` gives.
    pub fn pull_reply(
        &mut self,
        now: i64,
        reply: Reply,
        describe: &dyn Fn(&EditFault) -> String,
    ) -> Vec<Pulled> {
        self.pull.busy = false;
        if self.longpolling && reply == Reply::TimedOut {
            // A quiet server that ignored the longpoll's timeout: ask again,
            // whether it is the same database first (as below).
            self.longpoll_ran_out();
            return Vec::new();
        }
        let Some((status, body)) = self.answered(now, &reply, LaneName::Pull) else {
            return Vec::new();
        };
        match self.pull_ask {
            PullAsk::Marker => {
                match status {
                    200 => {
                        self.known = Known::Yes;
                        self.recheck_at = now.saturating_add(RECHECK_EVERY_MS);
                    }
                    404 => {
                        // A fresh state has nothing to forget.
                        if self.checkpoint.is_some() || !self.on_server.is_empty() {
                            self.forget_the_server();
                        }
                        self.known = Known::Marking;
                    }
                    _ => return self.pull_failed(now),
                }
                self.pull.worked();
                return Vec::new();
            }
            PullAsk::Mark => {
                // 409: another tab of this device wrote it first.
                if !(ok(status) || status == 409) {
                    return self.pull_failed(now);
                }
                self.known = Known::Yes;
                self.recheck_at = now.saturating_add(RECHECK_EVERY_MS);
                self.pull.worked();
                return Vec::new();
            }
            PullAsk::Changes => {}
        }
        let Some(page) = read_changes(&body).filter(|_| ok(status)) else {
            // A database missing for a moment, or made anew: which, the marker tells.
            return self.pull_failed(now);
        };
        self.pull.worked();
        if self.longpolling && page.rows == 0 {
            self.longpoll_ran_out();
        }
        for p in &page.edits {
            self.on_server.insert(p.entry.id());
        }
        self.checkpoint = Some(page.last_seq);
        self.caught_up = page.rows < PAGE;
        let mut taken = page.edits;
        taken.retain(|p| match check_entry(&p.entry) {
            Ok(()) => true,
            Err(fault) => {
                if !self.rejected.iter().any(|r| r.id == *p.entry.id()) {
                    self.rejected.push(Refusal {
                        id: p.entry.id().clone(),
                        subject: subject_of(&p.entry).unwrap_or_default(),
                        reason: describe(&fault),
                    });
                }
                false
            }
        });
        taken
    }

    /// A quiet database's longpoll ran out: whether it is still the same
    /// one is asked before the next (one small `_local` read per longpoll at
    /// most), so a restore done while the device waited, unseen by any
    /// failed request, is noticed within one longpoll, not at the recheck.
    fn longpoll_ran_out(&mut self) {
        if self.marker.is_some() && self.known == Known::Yes {
            self.known = Known::Unchecked;
        }
    }

    fn pull_failed(&mut self, now: i64) -> Vec<Pulled> {
        self.pull.failed(now);
        self.ask_again();
        Vec::new()
    }

    /// After a failure: whether the database is still the same is asked
    /// again (a marker still to be written is still to be written).
    fn ask_again(&mut self) {
        if self.known == Known::Yes {
            self.known = Known::Unchecked;
        }
    }

    /// Common handling of an answer: `None` when it was no answer, a server
    /// error or a session's end (each handled here). After a server that did
    /// not answer or failed, its identity is asked again.
    fn answered(&mut self, now: i64, reply: &Reply, lane: LaneName) -> Option<(u16, String)> {
        let lane = match lane {
            LaneName::Push => &mut self.push,
            LaneName::Pull => &mut self.pull,
        };
        match reply {
            Reply::Answer { status, body } => {
                self.offline = false;
                self.last_contact = Some(now);
                if *status == 401 || *status == 403 {
                    self.needs_login = true;
                    lane.worked();
                    return None;
                }
                if *status >= 500 {
                    lane.failed(now);
                    self.ask_again();
                    return None;
                }
                lane.woken = false;
                Some((*status, body.clone()))
            }
            Reply::NoAnswer | Reply::TimedOut => {
                self.offline = true;
                lane.failed(now);
                self.ask_again();
                None
            }
        }
    }
}

fn post(path: &str, body: String) -> Request {
    Request {
        method: Method::Post,
        path: path.to_owned(),
        body: Some(body),
        give_up_ms: REQUEST_GIVE_UP_MS,
    }
}

fn ok(status: u16) -> bool {
    (200..300).contains(&status)
}

fn reason_of(body: &str) -> String {
    fields(body)
        .and_then(|f| text(&f, "reason"))
        .unwrap_or_default()
}
