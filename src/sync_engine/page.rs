//! The 同步 page, drawn by the engine into the element the app gives it: the
//! server, signing in and out, what the server refused. It lives here, not in
//! the apps' Leptos views, so that a phone that never syncs never downloads
//! it (as a Leptos view it cost the field app 6 KB gzip). Every text is set
//! as text (`set_text_content`, attributes), never as HTML.

use super::{downloading, now_please, sign_in, sign_out, with};
use project_ledger::text as t;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

/// What the page shows; drawn again only when it changes.
#[derive(Clone, Debug, Default, PartialEq)]
struct Model {
    url: String,
    user: String,
    message: String,
    details: String,
    signed_in: bool,
    downloading: Option<(usize, u64)>,
    /// Subject id, the server's reason, the edit's id.
    refused: Vec<(String, String, String)>,
    /// Subject id, why this device did not take it, the edit's id.
    rejected: Vec<(String, String, String)>,
    /// The edit's id, the author of the server's copy.
    collisions: Vec<(String, String)>,
}

struct Page {
    url: HtmlInputElement,
    user: HtmlInputElement,
    message: Element,
    details: Element,
    now: Element,
    sign_out: Element,
    progress: Element,
    progress_text: Element,
    progress_bar: Element,
    refused: Element,
    refused_list: Element,
    rejected: Element,
    rejected_list: Element,
    collisions: Element,
    collisions_list: Element,
    /// The app's lookup of a project's or person's name by id.
    name_of: js_sys::Function,
    shown: Model,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
}

fn model() -> Model {
    with(|e| {
        let r = &e.replicator;
        let status = super::sync_status(e);
        let mut details = Vec::new();
        if let (Some(user), Some(s)) = (&e.shown.user, &status) {
            details.push(t::sync_signed_in_as(user));
            details.push(t::sync_pending(s.pending));
        }
        details.extend(t::sync_counts(&t::SyncCounts {
            uploaded: r.pushed().stored,
            on_server_already: r.pushed().already_there,
            downloaded: e.shown.pulled,
            here_already: e.shown.pulled_held,
            refused: r.refused().len() + r.collisions().len(),
            not_taken: r.rejected().len(),
        }));
        Model {
            url: e.shown.url.clone().unwrap_or_default(),
            user: e.shown.user.clone().unwrap_or_default(),
            message: e.shown.message.clone().unwrap_or_default(),
            details: details.join(" · "),
            signed_in: status.is_some_and(|s| s.signed_in),
            downloading: downloading(e),
            refused: listed(r.refused()),
            rejected: listed(r.rejected()),
            collisions: r
                .collisions()
                .iter()
                .map(|c| (c.id.to_string(), c.theirs.author.clone()))
                .collect(),
        }
    })
}

fn listed(
    refusals: &[project_ledger::domain::sync::replicator::Refusal],
) -> Vec<(String, String, String)> {
    refusals
        .iter()
        .map(|x| (x.subject.clone(), x.reason.clone(), x.id.to_string()))
        .collect()
}

/// An element with attributes (and text), added to `parent`.
fn add(
    document: &Document,
    parent: &Element,
    tag: &str,
    attributes: &[(&str, &str)],
    text: &str,
) -> Element {
    let element = document.create_element(tag).expect("a known tag");
    for (name, value) in attributes {
        element.set_attribute(name, value).ok();
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    parent.append_child(&element).ok();
    element
}

fn on(element: &Element, event: &str, f: impl Fn(web_sys::Event) + 'static) {
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(f);
    element
        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
        .ok();
    listener.forget();
}

fn input(element: Element) -> HtmlInputElement {
    element.unchecked_into()
}

/// Draws the page into `root` (emptied first). The app calls it each time
/// its 同步 page opens; `name_of` gives a subject's name for an id.
pub fn mount(root: Element, name_of: js_sys::Function) {
    let Some(document) = root.owner_document() else {
        return;
    };
    root.set_text_content(None);
    let d = &document;
    add(d, &root, "h1", &[("class", "page-title")], t::SYNC_TITLE);
    add(d, &root, "p", &[], t::SYNC_INTRO);
    let form = add(
        d,
        &root,
        "form",
        &[("class", "sync-form"), ("novalidate", "")],
        "",
    );
    add(d, &form, "label", &[("for", "sync-url")], t::SYNC_URL);
    let url = input(add(
        d,
        &form,
        "input",
        &[
            ("id", "sync-url"),
            ("type", "url"),
            ("inputmode", "url"),
            ("autocomplete", "url"),
            ("aria-describedby", "sync-url-hint"),
        ],
        "",
    ));
    add(
        d,
        &form,
        "small",
        &[("id", "sync-url-hint")],
        t::SYNC_URL_HINT,
    );
    add(d, &form, "label", &[("for", "sync-user")], t::SYNC_USER);
    let user = input(add(
        d,
        &form,
        "input",
        &[("id", "sync-user"), ("autocomplete", "username")],
        "",
    ));
    add(
        d,
        &form,
        "label",
        &[("for", "sync-password")],
        t::SYNC_PASSWORD,
    );
    let password_input = input(add(
        d,
        &form,
        "input",
        &[
            ("id", "sync-password"),
            ("type", "password"),
            ("autocomplete", "current-password"),
        ],
        "",
    ));
    let password = password_input.clone();
    let message = add(
        d,
        &form,
        "p",
        &[
            ("class", "message"),
            ("role", "alert"),
            ("data-testid", "sync-message"),
        ],
        "",
    );
    let actions = add(d, &form, "div", &[("class", "actions")], "");
    add(
        d,
        &actions,
        "button",
        &[("type", "submit")],
        t::SYNC_SIGN_IN,
    );
    let now = add(d, &actions, "button", &[("type", "button")], t::SYNC_NOW);
    let sign_out_button = add(
        d,
        &actions,
        "button",
        &[("type", "button")],
        t::SYNC_SIGN_OUT,
    );
    let details = add(d, &root, "p", &[("data-testid", "sync-details")], "");
    receive_section(d, &root);
    let progress = add(
        d,
        &root,
        "label",
        &[("class", "sync-progress"), ("hidden", "")],
        "",
    );
    let progress_text = add(d, &progress, "span", &[], "");
    let progress_bar = add(d, &progress, "progress", &[], "");
    let refused = add(d, &root, "div", &[("hidden", "")], "");
    add(d, &refused, "h2", &[], t::SYNC_REFUSED_TITLE);
    add(d, &refused, "p", &[], t::SYNC_REFUSED_NOTE);
    let refused_list = add(d, &refused, "ul", &[("data-testid", "sync-refused")], "");
    let rejected = add(d, &root, "div", &[("hidden", "")], "");
    add(d, &rejected, "h2", &[], t::SYNC_REJECTED_TITLE);
    add(d, &rejected, "p", &[], t::SYNC_REJECTED_NOTE);
    let rejected_list = add(d, &rejected, "ul", &[("data-testid", "sync-rejected")], "");
    let collisions = add(d, &root, "div", &[("hidden", "")], "");
    add(d, &collisions, "h2", &[], t::SYNC_COLLISIONS_TITLE);
    add(d, &collisions, "p", &[], t::SYNC_COLLISIONS_NOTE);
    let collisions_list = add(
        d,
        &collisions,
        "ul",
        &[("data-testid", "sync-collisions")],
        "",
    );

    {
        let (url, user, password) = (url.clone(), user.clone(), password.clone());
        on(&form, "submit", move |event| {
            event.prevent_default();
            let (u, n, p) = (url.value(), user.value(), password.value());
            password.set_value("");
            wasm_bindgen_futures::spawn_local(sign_in(u, n, p));
        });
    }
    on(&now, "click", |_| now_please());
    on(&sign_out_button, "click", |_| {
        wasm_bindgen_futures::spawn_local(sign_out())
    });
    PAGE.with(|p| {
        *p.borrow_mut() = Some(Page {
            url,
            user,
            message,
            details,
            now,
            sign_out: sign_out_button,
            progress,
            progress_text,
            progress_bar,
            refused,
            refused_list,
            rejected,
            rejected_list,
            collisions,
            collisions_list,
            name_of,
            // Differs from any real model: the first update draws everything.
            shown: Model {
                signed_in: true,
                url: "\n".into(),
                user: "\n".into(),
                ..Model::default()
            },
        })
    });
    update();
    fill_from_link(&password_input);
}

/// Without a server: the office's 修改包 (its roster, its edits) taken in
/// here, so a phone that never syncs gets the names for 我是 and its records.
fn receive_section(d: &Document, root: &Element) {
    let section = add(
        d,
        root,
        "section",
        &[("class", "card"), ("data-testid", "receive")],
        "",
    );
    add(d, &section, "h2", &[], t::RECEIVE_TITLE);
    add(d, &section, "p", &[("class", "hint")], t::RECEIVE_HINT);
    add(
        d,
        &section,
        "label",
        &[("for", "receive-bundle")],
        t::IMPORT_BUNDLE,
    );
    let file = input(add(
        d,
        &section,
        "input",
        &[
            ("id", "receive-bundle"),
            ("type", "file"),
            ("accept", ".json,.txt,application/json,text/plain"),
        ],
        "",
    ));
    let said = add(
        d,
        &section,
        "p",
        &[("role", "status"), ("data-testid", "receive-said")],
        "",
    );
    let chosen = file.clone();
    on(&file, "change", move |_| {
        let Some(picked) = chosen.files().and_then(|files| files.get(0)) else {
            return;
        };
        let (said, chosen) = (said.clone(), chosen.clone());
        wasm_bindgen_futures::spawn_local(async move {
            said.set_text_content(Some(t::RECEIVING));
            let text = wasm_bindgen_futures::JsFuture::from(picked.text()).await;
            let line = match text.ok().and_then(|t| t.as_string()) {
                Some(text) => super::hand_over::receive(text).await,
                None => t::FILE_UNREADABLE.to_owned(),
            };
            said.set_text_content(Some(&line));
            // The same file can be chosen again.
            chosen.set_value("");
        });
    });
}

/// A sign-in link (`#/sync?server=…&user=…`, from an account card) fills
/// the server and user, unless this device is signed in as them already:
/// the person types the password only. The message names the server, so a
/// link to a stranger's server is seen before a password is typed.
fn fill_from_link(password: &HtmlInputElement) {
    let hash = super::window().location().hash().unwrap_or_default();
    let Some(link) = project_ledger::domain::sync::accounts::SignInLink::from_hash(&hash) else {
        return;
    };
    PAGE.with(|p| {
        let p = p.borrow();
        let Some(page) = p.as_ref() else {
            return;
        };
        let shown = &page.shown;
        if shown.signed_in && shown.url == link.server && shown.user == link.login {
            return;
        }
        page.url.set_value(&link.server);
        page.user.set_value(&link.login);
        page.message
            .set_text_content(Some(&t::sync_link_filled(&link.server, &link.login)));
        password.focus().ok();
    });
}

fn show(element: &Element, shown: bool) {
    if shown {
        element.remove_attribute("hidden").ok();
    } else {
        element.set_attribute("hidden", "").ok();
    }
}

fn enable(element: &Element, enabled: bool) {
    if enabled {
        element.remove_attribute("disabled").ok();
    } else {
        element.set_attribute("disabled", "").ok();
    }
}

/// Draws what changed since the page was last drawn.
pub fn update() {
    let next = model();
    PAGE.with(|p| {
        let mut p = p.borrow_mut();
        let Some(page) = p.as_mut() else {
            return;
        };
        let was = std::mem::replace(&mut page.shown, next.clone());
        if was == next {
            return;
        }
        // The saved server and user fill the form only when they change, so
        // typing is never overwritten by a status.
        if was.url != next.url {
            page.url.set_value(&next.url);
        }
        if was.user != next.user {
            page.user.set_value(&next.user);
        }
        if was.message != next.message {
            page.message.set_text_content(Some(&next.message));
        }
        if was.details != next.details {
            page.details.set_text_content(Some(&next.details));
        }
        if was.signed_in != next.signed_in {
            enable(&page.now, next.signed_in);
            enable(&page.sign_out, next.signed_in);
        }
        if was.downloading != next.downloading {
            show(&page.progress, next.downloading.is_some());
            if let Some((held, of)) = next.downloading {
                page.progress_text
                    .set_text_content(Some(&t::sync_downloading(held, of)));
                page.progress_bar.set_attribute("max", &of.to_string()).ok();
                page.progress_bar
                    .set_attribute("value", &held.min(of as usize).to_string())
                    .ok();
            }
        }
        let document = page.refused_list.owner_document();
        for (section, list, was, next) in [
            (
                &page.refused,
                &page.refused_list,
                &was.refused,
                &next.refused,
            ),
            (
                &page.rejected,
                &page.rejected_list,
                &was.rejected,
                &next.rejected,
            ),
        ] {
            if was == next {
                continue;
            }
            show(section, !next.is_empty());
            list.set_text_content(None);
            if let Some(d) = &document {
                for (subject, reason, id) in next {
                    let name = page
                        .name_of
                        .call1(&JsValue::NULL, &subject.into())
                        .ok()
                        .and_then(|n| n.as_string())
                        .unwrap_or_else(|| subject.clone());
                    let item = add(d, list, "li", &[], "");
                    add(d, &item, "strong", &[], &name);
                    item.append_with_str_1(&format!("：{reason} ")).ok();
                    add(d, &item, "code", &[], id);
                }
            }
        }
        if was.collisions != next.collisions {
            show(&page.collisions, !next.collisions.is_empty());
            page.collisions_list.set_text_content(None);
            if let Some(d) = &document {
                for (id, author) in &next.collisions {
                    let item = add(d, &page.collisions_list, "li", &[], "");
                    add(d, &item, "code", &[], id);
                    item.append_with_str_1(&format!(" {author}")).ok();
                }
            }
        }
    });
}
