//! The sync engine: the CouchDB client both apps load, with its 同步 page, as
//! a wasm of its own (`src/bin/sync_engine.rs`, no Leptos), only once a
//! server is set or the 同步 page is opened. The phone's first download stays
//! small: linked into the field app the client cost 33 KB gzip and its page
//! as a Leptos view 6 KB (ARCHITECTURE.md, "Sync").
//!
//! It runs in the page of the app that loaded it and talks to that app only
//! through storage and two callbacks: it reads the device's edits from
//! IndexedDB in arrival order and pushes them; it stores pulled edits there
//! with their authors and says so on the tabs' channel, so every app folds
//! them as it folds another tab's edits (the same concurrency rule whatever
//! the route); it gives the app the header's status line; and it draws the
//! 同步 page into the element the app gives it (`page`).
//!
//! Two loops per signed-in session, one per lane. Local edits never wait for
//! either. What sync keeps (checkpoint, what the server holds) is saved only
//! once storage has committed what was pulled, so it never runs ahead of
//! what the device holds.

use crate::domain::edit::Entry;
use crate::domain::log::keeper::Backend;
use crate::domain::sync::replicator::{Method, Replicator, Reply, Request, REQUEST_GIVE_UP_MS};
use crate::domain::sync::server::{doc_count, session_user, sign_in_body, Address};
use crate::storage;
use crate::text as t;
use std::cell::RefCell;

mod page;
pub use page::mount as mount_page;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

#[wasm_bindgen(module = "/src/sync_fetch.js")]
extern "C" {
    #[wasm_bindgen(js_name = couchFetch)]
    async fn couch_fetch(method: &str, url: &str, body: Option<String>, give_up_ms: u32)
        -> JsValue;
    #[wasm_bindgen(js_name = couchCancel)]
    fn couch_cancel();
}

async fn send(method: &str, url: &str, body: Option<String>, give_up_ms: u32) -> Reply {
    let answer = couch_fetch(method, url, body, give_up_ms)
        .await
        .as_string()
        .unwrap_or_default();
    let (status, body) = answer.split_once('\n').unwrap_or((&answer, ""));
    match status.parse::<i32>() {
        Ok(-1) => Reply::TimedOut,
        Ok(s @ 1..=999) => Reply::Answer {
            status: s as u16,
            body: body.to_owned(),
        },
        _ => Reply::NoAnswer,
    }
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the engine runs in a page")
}

/// Waits `ms`, or less when `wake` is called (the push lane's pause: an edit
/// leaves as soon as it is stored, with no polling).
async fn pause(ms: i32, wakeable: bool) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .ok();
        if wakeable {
            with(|e| e.wake_push = Some(resolve));
        }
    });
    JsFuture::from(promise).await.ok();
}

fn wake_push() {
    if let Some(resolve) = with(|e| e.wake_push.take()) {
        resolve.call0(&JsValue::NULL).ok();
    }
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}

fn hidden() -> bool {
    window().document().is_some_and(|d| d.hidden())
}

struct Engine {
    address: Option<Address>,
    replicator: Replicator,
    /// Local edits read from storage and not settled with the server.
    waiting: Vec<Entry>,
    /// The storage arrival mark read up to.
    scanned: u64,
    /// Bumped on every sign-in and sign-out: older loops stop.
    run: u32,
    /// Something to save.
    dirty: bool,
    /// Pages of pulled edits on their way into storage: the checkpoint is
    /// ahead of it meanwhile.
    storing: u32,
    /// Pulled edits could not be stored: nothing is saved until this run
    /// ends (the checkpoint is past them).
    hold_saves: bool,
    /// The message shown says storing failed.
    storage_failed: bool,
    /// What the page and the status line show besides the replicator's state.
    shown: Shown,
    /// The app's status line: called with its text and whether it is urgent.
    on_status: Option<js_sys::Function>,
    /// The last status line sent.
    status_line: (String, bool),
    wake_push: Option<js_sys::Function>,
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine {
        address: None,
        replicator: Replicator::default(),
        waiting: Vec::new(),
        scanned: 0,
        run: 0,
        dirty: false,
        storing: 0,
        hold_saves: false,
        storage_failed: false,
        shown: Shown::default(),
        on_status: None,
        status_line: (String::new(), false),
        wake_push: None,
    });
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Shown {
    /// The database URL and the user signed in, as saved.
    url: Option<String>,
    user: Option<String>,
    /// Edits pulled since the engine started.
    pulled: usize,
    /// What the last sign-in attempt (or a storage failure) said.
    message: Option<String>,
    /// How many documents the database held at sign-in (a download's size).
    on_server: Option<u64>,
    /// How many edits this device's storage holds, as read so far.
    held: usize,
}

/// Never held across an await.
fn with<T>(f: impl FnOnce(&mut Engine) -> T) -> T {
    ENGINE.with(|e| f(&mut e.borrow_mut()))
}

fn running(run: u32) -> bool {
    with(|e| e.run == run)
}

fn wake() {
    with(|e| e.replicator.wake());
    wake_push();
}

fn listen(target: &web_sys::EventTarget, event: &str, f: impl Fn() + 'static) {
    let listener = Closure::<dyn Fn()>::new(f);
    target
        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
        .ok();
    listener.forget();
}

/// Starts the engine: `on_status` is called with the header's status line
/// and whether it is urgent, whenever it changes. Signs in again with the
/// saved server and user if the session cookie is still good.
pub async fn start(on_status: js_sys::Function) {
    with(|e| e.on_status = Some(on_status));
    // Another tab or this app stored an edit: it may be there to push.
    if let Err(fault) = storage::open_for_sync(wake_push).await {
        with(|e| e.shown.message = Some(t::storage_problem(&fault.problem())));
    }
    listen(&window(), "online", wake);
    if let Some(document) = window().document() {
        listen(&document, "visibilitychange", || {
            if !hidden() {
                wake()
            }
        });
    }
    if let Some((url, user)) = storage::sync_server() {
        if let Ok(address) = Address::parse(&url) {
            with(|e| {
                e.shown.url = Some(url.clone());
                e.shown.user = (!user.is_empty()).then(|| user.clone());
            });
            if !user.is_empty() {
                spawn_local(resume(address, user));
            }
        }
    }
    publish();
}

/// Opens the saved state of `address` and starts the loops under `user`.
fn begin(address: Address, user: &str, session_good: bool) {
    let replicator = storage::sync_state(&address.database)
        .and_then(|text| Replicator::from_text(&text))
        .unwrap_or_default();
    couch_cancel();
    let run = with(|e| {
        e.replicator = replicator;
        e.replicator.sign_in(user);
        if !session_good {
            e.replicator.session_ended();
        }
        e.address = Some(address);
        e.waiting.clear();
        e.scanned = 0;
        e.shown.held = 0;
        e.hold_saves = false;
        e.run += 1;
        e.shown.on_server = None;
        e.run
    });
    publish();
    spawn_local(count_on_server(run));
    spawn_local(push_loop(run));
    spawn_local(pull_loop(run));
}

/// How many documents the server holds: a first download's progress.
async fn count_on_server(run: u32) {
    let Some(url) = with(|e| e.address.as_ref().map(|a| a.database.clone())) else {
        return;
    };
    if let Reply::Answer { status: 200, body } = send("GET", &url, None, REQUEST_GIVE_UP_MS).await {
        if running(run) {
            with(|e| e.shown.on_server = doc_count(&body));
            publish();
        }
    }
}

/// At start: is the saved session still good?
async fn resume(address: Address, user: String) {
    let reply = send("GET", &address.session(), None, REQUEST_GIVE_UP_MS).await;
    // Only the server saying so ends a session: a server error or no answer
    // goes on as if it were good, and the first answer will tell.
    let good = match &reply {
        Reply::Answer { status: 200, body } => session_user(body).as_deref() == Some(&user),
        Reply::Answer {
            status: 401 | 403, ..
        } => false,
        _ => true,
    };
    begin(address, &user, good);
    if !good {
        message(Some(t::SYNC_LOGIN_AGAIN.to_owned()));
    }
}

fn message(text: Option<String>) {
    with(|e| e.shown.message = text);
    publish();
}

/// 登录并同步.
pub async fn sign_in(url: String, user: String, password: String) {
    let address = match Address::parse(&url) {
        Ok(a) => a,
        Err(e) => return message(Some(t::sync_address_error(e).to_owned())),
    };
    if user.trim().is_empty() || password.is_empty() {
        return message(Some(t::SYNC_NEED_USER.to_owned()));
    }
    message(Some(t::SYNC_SIGNING_IN.to_owned()));
    let body = sign_in_body(user.trim(), &password);
    let reply = send("POST", &address.session(), Some(body), REQUEST_GIVE_UP_MS).await;
    let said = match reply {
        Reply::Answer { status: 200, body } => match session_user(&body) {
            Some(name) => {
                let saved = storage::set_sync_server(&address.database, &name);
                with(|e| {
                    e.shown.url = Some(address.database.clone());
                    e.shown.user = Some(name.clone());
                });
                begin(address, &name, true);
                saved.err().map(|p| t::storage_problem(&p))
            }
            None => Some(t::SYNC_BAD_PASSWORD.to_owned()),
        },
        Reply::Answer { status: 401, .. } => Some(t::SYNC_BAD_PASSWORD.to_owned()),
        Reply::Answer { status, .. } => Some(t::sync_server_said(status)),
        Reply::NoAnswer | Reply::TimedOut => Some(t::sync_unreachable(&address.database)),
    };
    message(said);
}

/// 退出登录: ends the session on the server (when reachable) and here.
pub async fn sign_out() {
    let address = with(|e| {
        e.run += 1;
        e.replicator.sign_out();
        e.address.clone()
    });
    couch_cancel();
    save();
    if let Some(address) = &address {
        let _ = storage::set_sync_server(&address.database, "");
        send("DELETE", &address.session(), None, REQUEST_GIVE_UP_MS).await;
    }
    with(|e| {
        e.shown.user = None;
        e.shown.message = Some(t::SYNC_SIGNED_OUT.to_owned());
    });
    publish();
}

/// 立即同步: no waiting out a backoff.
pub fn now_please() {
    wake();
}

/// Reads what storage took since the last look.
async fn scan() {
    let mark = with(|e| e.scanned);
    let Ok((entries, next)) = storage::Idb.after(mark).await else {
        return;
    };
    if next == mark {
        return;
    }
    with(|e| {
        let r = &e.replicator;
        e.shown.held += entries.len();
        for entry in entries {
            if !r.settled(entry.id()) && !e.waiting.iter().any(|w| w.id() == entry.id()) {
                e.waiting.push(entry);
            }
        }
        e.scanned = next;
    });
    publish();
}

/// Sends a replicator's request to the database; `None` when this run ended
/// meanwhile (signed out, signed in again): its answer is stale.
async fn exchange(run: u32, request: Request) -> Option<Reply> {
    let (url, session, user) = with(|e| {
        let a = e.address.as_ref()?;
        Some((
            a.url(&request.path),
            a.session(),
            e.replicator.author()?.to_owned(),
        ))
    })?;
    let method = match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let mut reply = send(method, &url, request.body, request.give_up_ms).await;
    // A 401 ends the session only if `_session` agrees: a request can leave
    // with a cookie a moment out of date (responses refresh it, and one in
    // flight across a new sign-in may bring an older one). Then the lane
    // waits its backoff and asks again.
    if matches!(reply, Reply::Answer { status: 401, .. }) {
        if let Reply::Answer { status: 200, body } =
            send("GET", &session, None, REQUEST_GIVE_UP_MS).await
        {
            if session_user(&body).as_deref() == Some(user.as_str()) {
                reply = Reply::Answer {
                    status: 503,
                    body: String::new(),
                };
            }
        }
    }
    running(run).then_some(reply)
}

async fn push_loop(run: u32) {
    while running(run) {
        scan().await;
        let Some(request) = with(|e| e.replicator.next_push(now(), e.waiting.iter())) else {
            if with(|e| e.dirty) {
                save();
            }
            pause(2_000, true).await;
            continue;
        };
        let Some(reply) = exchange(run, request).await else {
            return;
        };
        with(|e| {
            e.replicator.push_reply(now(), reply);
            let r = &e.replicator;
            e.waiting.retain(|x| !r.settled(x.id()));
            e.dirty = true;
        });
        publish();
    }
}

async fn pull_loop(run: u32) {
    while running(run) {
        // A hidden page holds no longpoll open (a phone in a pocket): it
        // asks again when shown. Pushing goes on meanwhile.
        let caught_up = with(|e| e.replicator.caught_up());
        if caught_up && hidden() {
            pause(1_000, false).await;
            continue;
        }
        // A download gives way to someone typing a search on this device,
        // in any tab: its next page waits for a still search box.
        if !caught_up && now() - storage::typed_at() < 1_000 {
            pause(250, false).await;
            continue;
        }
        let Some(request) = with(|e| e.replicator.next_pull(now())) else {
            pause(400, false).await;
            continue;
        };
        let Some(reply) = exchange(run, request).await else {
            return;
        };
        let pulled = with(|e| {
            e.dirty = true;
            e.replicator.pull_reply(now(), reply)
        });
        if !pulled.is_empty() {
            with(|e| e.storing += 1);
            let n = pulled.len();
            let stored =
                storage::store_pulled(pulled.into_iter().map(|p| (p.entry, p.author)).collect())
                    .await;
            with(|e| e.storing = e.storing.saturating_sub(1));
            if let Err(fault) = stored {
                // The checkpoint moved past edits the device does not hold:
                // start again from what was saved, after a pause.
                with(|e| {
                    e.hold_saves = true;
                    e.storage_failed = true;
                });
                message(Some(t::storage_problem(&fault.problem())));
                pause(5_000, false).await;
                if running(run) {
                    if let Some((address, user)) =
                        with(|e| Some((e.address.clone()?, e.replicator.author()?.to_owned())))
                    {
                        begin(address, &user, true);
                    }
                }
                return;
            }
            with(|e| {
                e.shown.pulled += n;
                // Storage works again: what its failure said is over.
                if std::mem::take(&mut e.storage_failed) {
                    e.shown.message = None;
                }
            });
            // The scan counts them in what the device holds.
            wake_push();
            save();
        }
        publish();
    }
}

/// Keeps what sync knows, unless pulled edits are still on their way into
/// storage (then the next save does).
fn save() {
    let saved = with(|e| {
        if e.storing > 0 || e.hold_saves {
            return None;
        }
        e.dirty = false;
        e.address
            .as_ref()
            .map(|a| storage::keep_sync_state(&a.database, &e.replicator.to_text()))
    });
    if let Some(Err(problem)) = saved {
        message(Some(t::storage_problem(&problem)));
    }
}

/// Shows what changed: the status line (to the app, when it changed) and
/// the 同步 page, if open.
fn publish() {
    let (line, callback) = with(|e| {
        let line = status_line(e);
        if line == e.status_line {
            return (None, None);
        }
        e.status_line = line.clone();
        (Some(line), e.on_status.clone())
    });
    if let (Some((text, urgent)), Some(callback)) = (line, callback) {
        callback
            .call2(&JsValue::NULL, &text.into(), &urgent.into())
            .ok();
    }
    page::update();
}

/// The header's one line, and whether it asks for the person's attention.
fn status_line(e: &Engine) -> (String, bool) {
    let r = &e.replicator;
    let status = r.author().map(|_| r.status(e.waiting.len()));
    let percent = downloading(e).and_then(|(held, of)| t::download_percent(held, of));
    let text = t::sync_status(status.as_ref(), percent, |ms| {
        crate::ui::browser::format_time(ms)[11..].to_owned()
    });
    let urgent = status
        .as_ref()
        .is_some_and(|s| s.needs_login || !s.signed_in || s.refused + s.collisions > 0);
    (text, urgent)
}

/// While a first download runs: the edits this device holds and the
/// documents the server holds.
fn downloading(e: &Engine) -> Option<(usize, u64)> {
    let r = &e.replicator;
    (r.author().is_some() && !r.caught_up())
        .then_some(e.shown.on_server)
        .flatten()
        .map(|n| (e.shown.held, n))
}
