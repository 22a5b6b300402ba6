//! Sync through CouchDB in the browser: the driver that sends what
//! `domain::sync::replicator` asks for, the 同步 page and the header's status.
//! The office app starts it (`start_sync`; the field app's waits for the
//! engine's own wasm, ARCHITECTURE.md "Sync"); with no server set it does
//! nothing.
//!
//! Two loops per signed-in session, one per lane: push (local edits, read
//! from storage in arrival order once stored) and pull (merged like a bundle:
//! `Store::import`, so the concurrency rule is the same whatever the route).
//! Local edits never wait for either. What sync keeps (checkpoint, what the
//! server holds) is saved only when storage has taken everything pulled, so
//! it never runs ahead of what the device holds.

use crate::domain::edit::Entry;
use crate::domain::sync::replicator::{
    Method, Replicator, Reply, Request, Status, REQUEST_GIVE_UP_MS,
};
use crate::domain::sync::server::{doc_count, session_user, sign_in_body, Address};
use crate::storage;
use crate::text as t;
use crate::ui::browser::format_time;
use crate::ui::Store;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

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

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .ok();
    });
    JsFuture::from(promise).await.ok();
}

thread_local! {
    /// Ends the push loop's pause early (see `pause_push`).
    static WAKE_PUSH: std::cell::RefCell<Option<js_sys::Function>> = const { std::cell::RefCell::new(None) };
}

/// The push loop's pause when it has nothing to send: until `wake_push`
/// (storage has taken an edit, the network is back) or `ms`, whichever is
/// first. An edit leaves as soon as it is stored, with no polling.
async fn pause_push(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .ok();
        WAKE_PUSH.with(|w| *w.borrow_mut() = Some(resolve));
    });
    JsFuture::from(promise).await.ok();
}

fn wake_push() {
    if let Some(resolve) = WAKE_PUSH.with(|w| w.borrow_mut().take()) {
        resolve.call0(&JsValue::NULL).ok();
    }
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}

/// What the header and the sync page show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncView {
    /// The database URL, when one is set.
    pub url: Option<String>,
    pub user: Option<String>,
    /// `None`: sync is off (no server, or signed out).
    pub status: Option<Status>,
    /// Edits pulled since the page opened.
    pub pulled: usize,
    /// What the last sign-in attempt said.
    pub message: Option<String>,
    /// Refused edits: id, subject id, the server's reason.
    pub refused: Vec<(String, String, String)>,
    pub collisions: Vec<(String, String)>,
    /// While pulling towards the server's newest change: the edits this
    /// device holds and the documents the server holds.
    pub downloading: Option<(usize, u64)>,
}

struct Driver {
    address: Option<Address>,
    replicator: Replicator,
    /// Local edits read from storage and not settled with the server.
    waiting: Vec<Entry>,
    /// The storage mark read up to, and the ledger's edit count then.
    scanned: (u64, usize),
    /// Bumped on every sign-in and sign-out: older loops stop.
    run: u32,
    /// Something to save once storage holds everything.
    dirty: bool,
    /// How many documents the database held at sign-in (a download's size).
    on_server: Option<u64>,
}

#[derive(Clone, Copy)]
pub struct Sync {
    pub view: RwSignal<SyncView>,
    driver: StoredValue<Driver>,
    store: Store,
}

/// Starts sync for this page: signs in again with the saved server and user
/// if its session cookie is still good.
pub(crate) fn start_sync(store: Store) -> Sync {
    let sync = Sync {
        view: RwSignal::new(SyncView::default()),
        driver: StoredValue::new(Driver {
            address: None,
            replicator: Replicator::default(),
            waiting: Vec::new(),
            scanned: (0, usize::MAX),
            run: 0,
            dirty: false,
            on_server: None,
        }),
        store,
    };
    provide_context(sync);
    let wake = move || {
        sync.driver.update_value(|d| d.replicator.wake());
        wake_push();
    };
    // Storage has taken everything: a new edit may be there to push.
    Effect::new(move |_| {
        if store.unsaved() == 0 {
            wake_push();
        }
    });
    let _ = window_event_listener(leptos::ev::online, move |_| wake());
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !document().hidden() {
            wake();
        }
    });
    // The saved server is read once storage is open (settings are read
    // through it), and sync starts with the ledger it merges into.
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || !store.status.with(|s| s.ready) {
            return started.unwrap_or(false);
        }
        if let Some((url, user)) = storage::sync_server() {
            if let Ok(address) = Address::parse(&url) {
                sync.view.update(|v| {
                    v.url = Some(url.clone());
                    v.user = (!user.is_empty()).then(|| user.clone());
                });
                if !user.is_empty() {
                    leptos::task::spawn_local(async move { sync.resume(address, user).await });
                }
            }
        }
        true
    });
    sync
}

impl Sync {
    fn running(&self, run: u32) -> bool {
        self.driver.with_value(|d| d.run == run)
    }

    /// Opens the saved state of `address` and starts the loops under `user`.
    fn begin(&self, address: Address, user: &str, session_good: bool) {
        let replicator = storage::sync_state(&address.database)
            .and_then(|text| Replicator::from_text(&text))
            .unwrap_or_default();
        let run = self.driver.with_value(|d| d.run) + 1;
        couch_cancel();
        self.driver.update_value(|d| {
            d.replicator = replicator;
            d.replicator.sign_in(user);
            if !session_good {
                d.replicator.session_ended();
            }
            d.address = Some(address);
            d.waiting.clear();
            d.scanned = (0, usize::MAX);
            d.run = run;
            d.on_server = None;
        });
        self.publish();
        let sync = *self;
        leptos::task::spawn_local(async move { sync.count_on_server(run).await });
        leptos::task::spawn_local(async move { sync.push_loop(run).await });
        leptos::task::spawn_local(async move { sync.pull_loop(run).await });
    }

    /// How many documents the server holds: a first download's progress.
    async fn count_on_server(self, run: u32) {
        let Some(url) = self
            .driver
            .with_value(|d| d.address.as_ref().map(|a| a.database.clone()))
        else {
            return;
        };
        if let Reply::Answer { status: 200, body } =
            send("GET", &url, None, REQUEST_GIVE_UP_MS).await
        {
            if self.running(run) {
                self.driver.update_value(|d| d.on_server = doc_count(&body));
                self.publish();
            }
        }
    }

    /// At start: is the saved session still good?
    async fn resume(self, address: Address, user: String) {
        let reply = send("GET", &address.session(), None, REQUEST_GIVE_UP_MS).await;
        // Only the server saying so ends a session: a server error or no
        // answer goes on as if it were good, and the first answer will tell.
        let good = match &reply {
            Reply::Answer { status: 200, body } => session_user(body).as_deref() == Some(&user),
            Reply::Answer {
                status: 401 | 403, ..
            } => false,
            _ => true,
        };
        self.begin(address, &user, good);
        if !good {
            self.view
                .update(|v| v.message = Some(t::SYNC_LOGIN_AGAIN.to_owned()));
        }
    }

    /// 登录并同步.
    pub async fn sign_in(self, url: String, user: String, password: String) {
        let address = match Address::parse(&url) {
            Ok(a) => a,
            Err(e) => {
                return self
                    .view
                    .update(|v| v.message = Some(t::sync_address_error(e).to_owned()))
            }
        };
        if user.trim().is_empty() || password.is_empty() {
            return self
                .view
                .update(|v| v.message = Some(t::SYNC_NEED_USER.to_owned()));
        }
        self.view
            .update(|v| v.message = Some(t::SYNC_SIGNING_IN.to_owned()));
        let body = sign_in_body(user.trim(), &password);
        let reply = send("POST", &address.session(), Some(body), REQUEST_GIVE_UP_MS).await;
        let message = match reply {
            Reply::Answer { status: 200, body } => match session_user(&body) {
                Some(name) => {
                    let saved = storage::set_sync_server(&address.database, &name);
                    self.view.update(|v| {
                        v.url = Some(address.database.clone());
                        v.user = Some(name.clone());
                    });
                    self.begin(address, &name, true);
                    saved.err().map(|p| t::storage_problem(&p))
                }
                None => Some(t::SYNC_BAD_PASSWORD.to_owned()),
            },
            Reply::Answer { status: 401, .. } => Some(t::SYNC_BAD_PASSWORD.to_owned()),
            Reply::Answer { status, .. } => Some(t::sync_server_said(status)),
            Reply::NoAnswer | Reply::TimedOut => Some(t::sync_unreachable(&address.database)),
        };
        self.view.update(|v| v.message = message);
    }

    /// 退出登录: ends the session on the server (when reachable) and here.
    pub async fn sign_out(self) {
        let address = self.driver.with_value(|d| d.address.clone());
        self.driver.update_value(|d| {
            d.run += 1;
            d.replicator.sign_out();
        });
        couch_cancel();
        self.save();
        if let Some(address) = &address {
            let _ = storage::set_sync_server(&address.database, "");
            send("DELETE", &address.session(), None, REQUEST_GIVE_UP_MS).await;
        }
        self.view.update(|v| {
            v.user = None;
            v.status = None;
            v.message = Some(t::SYNC_SIGNED_OUT.to_owned());
        });
    }

    /// 立即同步: no waiting out a backoff.
    pub fn now(&self) {
        self.driver.update_value(|d| d.replicator.wake());
        wake_push();
    }

    /// Reads what storage took since the last look, when the ledger changed.
    async fn scan(&self) {
        let count = self.store.ledger().with_untracked(|l| l.edit_count());
        let (mark, seen) = self.driver.with_value(|d| d.scanned);
        if count == seen || self.store.unsaved() > 0 {
            return;
        }
        let Ok((entries, next)) = self.store.entries_after(mark).await else {
            return;
        };
        self.driver.update_value(|d| {
            let r = &d.replicator;
            for entry in entries {
                if !r.settled(entry.id()) && !d.waiting.iter().any(|w| w.id() == entry.id()) {
                    d.waiting.push(entry);
                }
            }
            d.scanned = (next, count);
        });
        self.publish();
    }

    /// Sends a replicator's request to the database; `None` when this run
    /// ended meanwhile (signed out, signed in again): its answer is stale.
    async fn exchange(&self, run: u32, request: Request) -> Option<Reply> {
        let (url, session, user) = self.driver.with_value(|d| {
            let a = d.address.as_ref()?;
            Some((
                a.url(&request.path),
                a.session(),
                d.replicator.author()?.to_owned(),
            ))
        })?;
        let mut reply = send(
            method(request.method),
            &url,
            request.body,
            request.give_up_ms,
        )
        .await;
        // A 401 ends the session only if `_session` agrees: a request can
        // leave with a cookie a moment out of date (responses refresh it,
        // and one in flight across a new sign-in may bring an older one).
        // Then the lane waits its backoff and asks again.
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
        self.running(run).then_some(reply)
    }

    async fn push_loop(self, run: u32) {
        while self.running(run) {
            self.scan().await;
            let request = self
                .driver
                .try_update_value(|d| d.replicator.next_push(now(), d.waiting.iter()))
                .flatten();
            let Some(request) = request else {
                self.save_when_stored();
                pause_push(2_000).await;
                continue;
            };
            let Some(reply) = self.exchange(run, request).await else {
                return;
            };
            self.driver.update_value(|d| {
                d.replicator.push_reply(now(), reply);
                let r = &d.replicator;
                d.waiting.retain(|e| !r.settled(e.id()));
                d.dirty = true;
            });
            self.publish();
        }
    }

    async fn pull_loop(self, run: u32) {
        while self.running(run) {
            // A hidden page holds no longpoll open (a phone in a pocket):
            // it asks again when shown. Pushing goes on meanwhile.
            let caught_up = self.driver.with_value(|d| d.replicator.caught_up());
            if caught_up && document().hidden() {
                sleep(1_000).await;
                continue;
            }
            // A download gives way to someone typing a search on this
            // device, in any tab: its next page waits for a still search box.
            if !caught_up && now() - storage::typed_at() < 1_000 {
                sleep(250).await;
                continue;
            }
            let request = self
                .driver
                .try_update_value(|d| d.replicator.next_pull(now()))
                .flatten();
            let Some(request) = request else {
                sleep(400).await;
                continue;
            };
            let Some(reply) = self.exchange(run, request).await else {
                return;
            };
            let pulled = self
                .driver
                .try_update_value(|d| {
                    d.dirty = true;
                    d.replicator.pull_reply(now(), reply)
                })
                .unwrap_or_default();
            let fresh: Vec<_> = self.store.ledger().with_untracked(|l| {
                pulled
                    .into_iter()
                    .filter(|p| !l.contains_edit(p.entry.id()))
                    .collect()
            });
            if !fresh.is_empty() {
                let n = fresh.len();
                // Their records will name who pushed them.
                storage::note_authors(
                    fresh
                        .iter()
                        .map(|p| (p.entry.id().to_string(), p.author.clone())),
                );
                let _ = self
                    .store
                    .import(fresh.into_iter().map(|p| p.entry).collect());
                self.view.update(|v| v.pulled += n);
            }
            self.publish();
        }
    }

    /// Saves what sync keeps once storage holds everything it was given.
    fn save_when_stored(&self) {
        if self.driver.with_value(|d| d.dirty) && self.store.unsaved() == 0 {
            self.save();
        }
    }

    fn save(&self) {
        let saved = self.driver.try_update_value(|d| {
            d.dirty = false;
            d.address
                .as_ref()
                .map(|a| storage::keep_sync_state(&a.database, &d.replicator.to_text()))
        });
        if let Some(Some(Err(problem))) = saved {
            self.store.report(Err(problem));
        }
    }

    fn publish(&self) {
        let held = self.store.ledger().with_untracked(|l| l.edit_count());
        let (status, refused, collisions, downloading) = self.driver.with_value(|d| {
            let r = &d.replicator;
            let status = r.author().map(|_| r.status(d.waiting.len()));
            let downloading = status
                .as_ref()
                .filter(|s| !s.caught_up)
                .and(d.on_server)
                .map(|n| (held, n));
            (
                status,
                r.refused()
                    .iter()
                    .map(|x| (x.id.to_string(), x.subject.clone(), x.reason.clone()))
                    .collect::<Vec<_>>(),
                r.collisions()
                    .iter()
                    .map(|c| (c.id.to_string(), c.theirs.author.clone()))
                    .collect::<Vec<_>>(),
                downloading,
            )
        });
        let changed = self.view.with_untracked(|v| {
            v.status != status
                || v.refused != refused
                || v.collisions != collisions
                || v.downloading != downloading
        });
        if changed {
            self.view.update(|v| {
                v.status = status;
                v.refused = refused;
                v.collisions = collisions;
                v.downloading = downloading;
            });
        }
    }
}

/// 我是: the person chosen on this device, else the roster's person named
/// as the user signed in to sync.
pub fn me_or_signed_in(chosen: Option<String>, ledger: &crate::domain::Ledger) -> Option<String> {
    chosen.or_else(|| {
        let user = storage::local_author()?;
        ledger
            .people()
            .find(|p| p.details.name == user)
            .map(|p| p.id.clone())
    })
}

/// A project's or person's name, else the id itself.
fn subject_name(ledger: &crate::domain::Ledger, id: &str) -> String {
    ledger
        .project(id)
        .map(|p| p.name.clone())
        .or_else(|| ledger.person_name(id).map(str::to_owned))
        .unwrap_or_else(|| id.to_owned())
}

fn method(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
    }
}

/// The header's sync status, always shown; a link to the sync page.
#[component]
pub fn SyncStatusLine(href: String) -> impl IntoView {
    let sync = expect_context::<Sync>();
    let text = move || {
        sync.view.with(|v| {
            let percent = v
                .downloading
                .and_then(|(held, of)| t::download_percent(held, of));
            t::sync_status(v.status.as_ref(), percent, |ms| {
                format_time(ms)[11..].to_owned()
            })
        })
    };
    let urgent = move || {
        sync.view.with(|v| {
            v.status
                .as_ref()
                .is_some_and(|s| s.needs_login || !s.signed_in || s.refused + s.collisions > 0)
        })
    };
    view! {
        <a class="sync-status" class:urgent=urgent href=href role="status" data-testid="sync-status">{text}</a>
    }
}

/// 同步: the server, signing in and out, and what the server refused.
#[component]
pub fn SyncPage() -> impl IntoView {
    let sync = expect_context::<Sync>();
    // The saved server and user fill the form, and change it only when they
    // change (not on every status), so typing is never overwritten.
    let saved_url = Memo::new(move |_| sync.view.with(|v| v.url.clone().unwrap_or_default()));
    let saved_user = Memo::new(move |_| sync.view.with(|v| v.user.clone().unwrap_or_default()));
    let url = NodeRef::<leptos::html::Input>::new();
    let user = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |n: NodeRef<leptos::html::Input>| {
            n.get_untracked().map(|i| i.value()).unwrap_or_default()
        };
        let (u, n, p) = (value(url), value(user), value(password));
        if let Some(input) = password.get_untracked() {
            input.set_value("");
        }
        leptos::task::spawn_local(sync.sign_in(u, n, p));
    };
    let signed_in = move || {
        sync.view
            .with(|v| v.status.as_ref().is_some_and(|s| s.signed_in))
    };
    let details = move || {
        sync.view.with(|v| {
            let mut lines = Vec::new();
            if let (Some(user), Some(s)) = (&v.user, &v.status) {
                lines.push(t::sync_signed_in_as(user));
                lines.push(t::sync_pending(s.pending));
            }
            if v.pulled > 0 {
                lines.push(t::sync_pulled(v.pulled));
            }
            lines.join(" · ")
        })
    };
    view! {
        <section class="sync-page">
            <h1 class="page-title">{t::SYNC_TITLE}</h1>
            <p>{t::SYNC_INTRO}</p>
            <form class="sync-form" on:submit=submit novalidate>
                <label for="sync-url">{t::SYNC_URL}</label>
                <input id="sync-url" type="url" inputmode="url" autocomplete="url" node_ref=url
                    prop:value=saved_url aria-describedby="sync-url-hint"/>
                <small id="sync-url-hint">{t::SYNC_URL_HINT}</small>
                <label for="sync-user">{t::SYNC_USER}</label>
                <input id="sync-user" autocomplete="username" node_ref=user prop:value=saved_user/>
                <label for="sync-password">{t::SYNC_PASSWORD}</label>
                <input id="sync-password" type="password" autocomplete="current-password" node_ref=password/>
                <p class="message" role="alert" data-testid="sync-message">{move || sync.view.with(|v| v.message.clone())}</p>
                <div class="actions">
                    <button type="submit">{t::SYNC_SIGN_IN}</button>
                    <button type="button" on:click=move |_| sync.now() disabled=move || !signed_in()>{t::SYNC_NOW}</button>
                    <button type="button" on:click=move |_| leptos::task::spawn_local(sync.sign_out()) disabled=move || !signed_in()>{t::SYNC_SIGN_OUT}</button>
                </div>
            </form>
            <p data-testid="sync-details">{details}</p>
            {move || sync.view.with(|v| v.downloading).map(|(held, of)| view! {
                <label class="sync-progress">{t::sync_downloading(held, of)}
                    <progress max=of.to_string() value=held.min(of as usize).to_string()></progress>
                </label>
            })}
            <Show when=move || sync.view.with(|v| !v.refused.is_empty())>
                <h2>{t::SYNC_REFUSED_TITLE}</h2>
                <p>{t::SYNC_REFUSED_NOTE}</p>
                <ul data-testid="sync-refused">
                    {move || sync.view.with(|v| {
                        sync.store.ledger().with_untracked(|l| {
                            v.refused
                                .iter()
                                .map(|(id, subject, reason)| view! {
                                    <li><strong>{subject_name(l, subject)}</strong> "：" {reason.clone()} " " <code>{id.clone()}</code></li>
                                })
                                .collect_view()
                        })
                    })}
                </ul>
            </Show>
            <Show when=move || sync.view.with(|v| !v.collisions.is_empty())>
                <h2>{t::SYNC_COLLISIONS_TITLE}</h2>
                <p>{t::SYNC_COLLISIONS_NOTE}</p>
                <ul data-testid="sync-collisions">
                    {move || sync.view.with(|v| {
                        v.collisions
                            .iter()
                            .map(|(id, author)| view! { <li><code>{id.clone()}</code>" "{author.clone()}</li> })
                            .collect_view()
                    })}
                </ul>
            </Show>
        </section>
    }
}
