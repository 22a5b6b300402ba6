//! The sync engine: the CouchDB client both apps load, with its 同步 page, as
//! a crate and a wasm of its own (`main.rs`, no Leptos), only once a
//! server is set or the 同步 page is opened. The phone's first download stays
//! small: linked into the field app the client cost 33 KB gzip and its page
//! as a Leptos view 6 KB (docs/sync.md, "Where it runs").
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

// Browser-only: natively this crate is empty (the domain it drives tests natively).
#![cfg(target_arch = "wasm32")]

use project_ledger::domain::edit::Entry;
use project_ledger::domain::sync::replicator::{
    Method, Replicator, Reply, Report, Request, REQUEST_GIVE_UP_MS,
};
use project_ledger::domain::sync::server::{
    doc_count, has_ledger_role, ledger_roles, session_roles, session_user, sign_in_body, Address,
};
use project_ledger::settings;
use project_ledger::storage;
use project_ledger::text as t;
use std::cell::RefCell;

mod hand_over;
mod page;
pub use hand_over::hand_over;
pub use page::mount as mount_page;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

#[wasm_bindgen(module = "/sync_fetch.js")]
extern "C" {
    /// What `couchFetch` answers: `{status, body}`.
    type FetchReply;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchReply) -> i32;
    #[wasm_bindgen(method, getter)]
    fn body(this: &FetchReply) -> String;
    #[wasm_bindgen(js_name = couchFetch)]
    async fn couch_fetch(
        method: &str,
        url: &str,
        body: Option<String>,
        give_up_ms: u32,
    ) -> FetchReply;
    #[wasm_bindgen(js_name = couchCancel)]
    fn couch_cancel();
    #[wasm_bindgen(js_name = couchEndLongpoll)]
    fn couch_end_longpoll();
}

async fn send(method: &str, url: &str, body: Option<String>, give_up_ms: u32) -> Reply {
    let reply = couch_fetch(method, url, body, give_up_ms).await;
    match reply.status() {
        -1 => Reply::TimedOut,
        s @ 1..=999 => Reply::Answer {
            status: s as u16,
            body: reply.body(),
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
    /// The app's status line: called with a `Report`'s numbers.
    on_status: Option<js_sys::Function>,
    /// The last report sent.
    reported: Option<Report>,
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
        reported: None,
        wake_push: None,
    });
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Shown {
    /// The database URL and the user signed in, as saved.
    url: Option<String>,
    user: Option<String>,
    /// Edits pulled since the engine started: new to this device, and
    /// held already (this device's own, or pulled before).
    pulled: usize,
    pulled_held: usize,
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
    couch_end_longpoll();
    wake_push();
}

fn listen(target: &web_sys::EventTarget, event: &str, f: impl Fn() + 'static) {
    let listener = Closure::<dyn Fn()>::new(f);
    target
        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
        .ok();
    listener.forget();
}

/// Starts the engine: `on_status(numbers)` is called with a `Report` of
/// where sync stands, as numbers (`Report::to_numbers`), whenever it changes;
/// the app words it. Signs in again with the
/// saved server and user if the session cookie is still good.
pub async fn start(on_status: js_sys::Function) {
    with(|e| e.on_status = Some(on_status));
    // Another tab or this app stored an edit: it may be there to push.
    if let Err(fault) = storage::open_for_sync(wake_push).await {
        with(|e| e.shown.message = Some(t::storage_problem(&fault.problem())));
    }
    listen(&window(), "online", wake);
    listen_to_other_tabs();
    if let Some(document) = window().document() {
        listen(&document, "visibilitychange", || {
            if !hidden() {
                wake()
            }
        });
    }
    if let Some((url, user)) = settings::sync_server() {
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

/// The engines of the device's other tabs (a field and an office tab each
/// run one) hear of a sign-in or sign-out here.
const SIGN_IN_CHANNEL: &str = "project-ledger-sync";

thread_local! {
    static OTHER_TABS: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

fn listen_to_other_tabs() {
    let Ok(channel) = web_sys::BroadcastChannel::new(SIGN_IN_CHANNEL) else {
        return;
    };
    let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|m: web_sys::MessageEvent| {
        spawn_local(follow_other_tab(m.data().as_string().unwrap_or_default()))
    });
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    OTHER_TABS.with(|c| *c.borrow_mut() = Some(channel));
}

/// Tells the other tabs' engines that this one signed in to `url` as
/// `user`, or out (no user). Said in the message, not left to them to read
/// from localStorage: another tab may see that write later than this.
fn tell_other_tabs(url: &str, user: &str) {
    OTHER_TABS.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            channel.post_message(&format!("{url}\n{user}").into()).ok();
        }
    });
}

/// Another tab signed in or out (`said`: its server and user, or no user):
/// the browser's session cookie is new, so this engine cancels what it has
/// out (an answer to a request sent with the old cookie would bring that
/// cookie back over the new one) and goes on as that tab did.
async fn follow_other_tab(said: String) {
    couch_cancel();
    let saved = said
        .split_once('\n')
        .filter(|(_, user)| !user.is_empty())
        .and_then(|(url, user)| Some((Address::parse(url).ok()?, user.to_owned())));
    match saved {
        Some((address, user)) => {
            with(|e| {
                e.shown.url = Some(address.database.clone());
                e.shown.user = Some(user.clone());
                e.shown.message = None;
            });
            begin(address, &user, true);
        }
        None => {
            with(|e| {
                e.run += 1;
                e.replicator.sign_out();
                e.shown.user = None;
            });
            publish();
        }
    }
}

/// Opens the saved state of `address` and starts the loops under `user`.
fn begin(address: Address, user: &str, session_good: bool) {
    let replicator = settings::sync_state(&address.database)
        .and_then(|text| Replicator::from_text(&text))
        .unwrap_or_default();
    couch_cancel();
    let run = with(|e| {
        e.replicator = replicator;
        // The device's mark on this database: whether the database is still
        // the one the saved state describes (a restore makes another).
        if e.replicator.marker().is_none() {
            e.replicator.set_marker(&storage::random_id(16));
        }
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
        Reply::Answer { status: 200, body } => {
            let same = session_user(body).as_deref() == Some(&user);
            // Roles change on the server (the accounts command moves a
            // person to another district): the pages follow at each start.
            if same {
                let _ = settings::set_sync_roles(&session_roles(body));
            }
            same
        }
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
            // Signed in, but the rules would refuse every edit: say so, and
            // end the session rather than sync into refusals (or report
            // it as a wrong password).
            Some(name) if !has_ledger_role(&session_roles(&body)) => {
                send("DELETE", &address.session(), None, REQUEST_GIVE_UP_MS).await;
                Some(t::sync_no_ledger_role(
                    &name,
                    &session_roles(&body),
                    &ledger_roles(),
                ))
            }
            Some(name) => {
                let saved = settings::set_sync_server(&address.database, &name)
                    .and_then(|()| settings::set_sync_roles(&session_roles(&body)));
                with(|e| {
                    e.shown.url = Some(address.database.clone());
                    e.shown.user = Some(name.clone());
                });
                tell_other_tabs(&address.database, &name);
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
    with(|e| {
        e.shown.user = None;
        e.shown.message = Some(t::SYNC_SIGNED_OUT.to_owned());
    });
    publish();
    if let Some(address) = &address {
        let _ = settings::set_sync_server(&address.database, "");
        let _ = settings::set_sync_roles(&[]);
        tell_other_tabs(&address.database, "");
        // The server ends the session when reachable; here it has ended.
        send("DELETE", &address.session(), None, REQUEST_GIVE_UP_MS).await;
    }
}

/// 立即同步: no waiting out a backoff.
pub fn now_please() {
    wake();
}

/// Reads what storage took since the last look: the edits to push (those
/// the server holds, such as every pulled one, are not even parsed).
async fn scan() {
    let mark = with(|e| e.scanned);
    let Ok((count, entries, next)) =
        storage::stored_after(mark, |id| with(|e| !e.replicator.settled(id))).await
    else {
        return;
    };
    if next == mark {
        return;
    }
    with(|e| {
        e.shown.held += count;
        for entry in entries {
            if !e.replicator.settled(entry.id()) && !e.waiting.iter().any(|w| w.id() == entry.id())
            {
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
        Method::Put => "PUT",
    };
    let mut reply = send(method, &url, request.body, request.give_up_ms).await;
    // A 401 ends the session only if `_session` agrees: a request can leave
    // with a cookie a moment out of date (responses refresh it, and one in
    // flight across a new sign-in may bring an older one). Then the lane
    // waits its backoff and asks again.
    // 403 too: a database made anew is closed to members until its
    // security object is back, which is no reason to sign in again.
    if matches!(
        reply,
        Reply::Answer {
            status: 401 | 403,
            ..
        }
    ) {
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
        if !caught_up && now() - settings::typed_at() < 1_000 {
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
        let (pulled, restarted) = with(|e| {
            e.dirty = true;
            let restarts = e.replicator.restarts();
            let pulled = e.replicator.pull_reply(now(), reply, &t::edit_fault);
            let restarted = e.replicator.restarts() != restarts;
            if restarted {
                // Another database (a restore): every record is looked at
                // again for what it lacks.
                e.scanned = 0;
                e.shown.held = 0;
                e.waiting.clear();
            }
            (pulled, restarted)
        });
        if restarted {
            wake_push();
        }
        if !pulled.is_empty() {
            // Stored while the next page is fetched; the checkpoint is saved
            // once storage has committed every page before it.
            with(|e| e.storing += 1);
            spawn_local(store_page(run, pulled));
        }
        publish();
        // At most two pages wait for storage: memory stays flat when the
        // network outruns the disk.
        while with(|e| e.storing >= 2) && running(run) {
            pause(20, false).await;
        }
    }
}

/// Stores one page of pulled edits. If storage refuses, the checkpoint is
/// past edits the device does not hold: nothing more is saved in this run,
/// which starts again from what was saved, after a pause.
async fn store_page(run: u32, pulled: Vec<project_ledger::domain::sync::document::Pulled>) {
    let n = pulled.len();
    let stored =
        storage::store_pulled(pulled.into_iter().map(|p| (p.entry, p.author)).collect()).await;
    with(|e| e.storing = e.storing.saturating_sub(1));
    match stored {
        Ok(added) => {
            with(|e| {
                e.shown.pulled += added;
                e.shown.pulled_held += n.saturating_sub(added);
                // Storage works again: what its failure said is over.
                if std::mem::take(&mut e.storage_failed) {
                    e.shown.message = None;
                }
            });
            // The scan counts them in what the device holds.
            wake_push();
            save();
            publish();
        }
        // A page of a run that has ended: the new run reads storage afresh.
        Err(_) if !running(run) => {}
        Err(fault) => {
            let first = with(|e| {
                e.storage_failed = true;
                !std::mem::replace(&mut e.hold_saves, true)
            });
            message(Some(t::storage_problem(&fault.problem())));
            if !first {
                return;
            }
            pause(5_000, false).await;
            if running(run) {
                if let Some((address, user)) =
                    with(|e| Some((e.address.clone()?, e.replicator.author()?.to_owned())))
                {
                    begin(address, &user, true);
                }
            }
        }
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
            .map(|a| settings::keep_sync_state(&a.database, &e.replicator.to_text()))
    });
    if let Some(Err(problem)) = saved {
        message(Some(t::storage_problem(&problem)));
    }
}

/// Shows what changed: the report (to the app, when it changed) and the 同步
/// page, if open.
fn publish() {
    let (report, callback) = with(|e| {
        let report = report(e);
        if e.reported.as_ref() == Some(&report) {
            return (None, None);
        }
        e.reported = Some(report.clone());
        (Some(report), e.on_status.clone())
    });
    if let (Some(report), Some(callback)) = (report, callback) {
        let numbers = js_sys::Float64Array::from(&report.to_numbers()[..]);
        callback.call1(&JsValue::NULL, &numbers).ok();
    }
    page::update();
}

/// Where sync stands; caught up only once every page pulled is stored.
fn sync_status(e: &Engine) -> Option<project_ledger::domain::sync::replicator::Status> {
    let r = &e.replicator;
    r.author().map(|_| {
        let mut status = r.status(e.waiting.len());
        status.caught_up &= e.storing == 0;
        status
    })
}

/// What the app's header shows of sync: where it stands (`None`: no server
/// set, the app says what the device holds alone) and how far a first
/// download is.
fn report(e: &Engine) -> Report {
    Report {
        status: sync_status(e),
        downloaded_percent: downloading(e).and_then(|(held, of)| t::download_percent(held, of)),
    }
}

/// While a first download runs: the edits this device holds and the
/// documents the server holds.
fn downloading(e: &Engine) -> Option<(usize, u64)> {
    sync_status(e)
        .filter(|s| !s.caught_up)
        .and(e.shown.on_server)
        .map(|n| (e.shown.held, n))
}
