//! Small helpers over the browser: the clock and calendar, frames, focus,
//! navigation, downloads.

use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Runs `f` once the next frame has been painted, behind whatever else that
/// frame queued: work the user does not see waits until the screen is drawn.
pub(crate) fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || {
        set_timeout(move || set_timeout(f, Duration::ZERO), Duration::ZERO)
    });
}

/// Tells the page the app has shown its first screen with the device's
/// ledger (event `ledger-ready`): the release build registers the service
/// worker then, so its downloads do not share a slow link with the app's own.
pub(crate) fn announce_ready() {
    if let Ok(event) = web_sys::Event::new("ledger-ready") {
        let _ = window().dispatch_event(&event);
    }
}

/// Blurring the focused field fires its `change` event, so a value typed but
/// not yet committed is stored before the page goes away.
pub(crate) fn commit_focused_field() {
    if let Some(element) = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        element.blur().ok();
    }
}

/// Goes to a hash route of this app (`#/…`).
pub fn navigate(hash: &str) {
    window().location().set_hash(hash).ok();
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let href = format!(
        "data:{mime};charset=utf-8,{}",
        crate::domain::codec::percent_encode(text)
    );
    if let Ok(link) = document().create_element("a") {
        let _ = link.set_attribute("href", &href);
        let _ = link.set_attribute("download", name);
        if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
    }
}

/// How long a control that made something stays held after its work.
const HOLD: Duration = Duration::from_millis(1_000);

/// A control that makes something (a project, a record, a file) is held
/// from its first tap until `Held::release` and `HOLD` after, so a double
/// tap makes one: a form's submit button or the button itself is disabled.
/// `None` when it is held already.
pub(crate) fn hold(control: &web_sys::Element) -> Option<Held> {
    if control.has_attribute("data-held") {
        return None;
    }
    let _ = control.set_attribute("data-held", "");
    let button = if control.tag_name() == "FORM" {
        control.query_selector("[type=submit]").ok().flatten()
    } else {
        Some(control.clone())
    };
    if let Some(b) = &button {
        let _ = b.set_attribute("disabled", "");
    }
    Some(Held(control.clone(), button))
}

/// See `hold`.
pub(crate) struct Held(web_sys::Element, Option<web_sys::Element>);

impl Held {
    /// The work is done: the control is free again after `HOLD`.
    pub(crate) fn release(self) {
        set_timeout(
            move || {
                let _ = self.0.remove_attribute("data-held");
                if let Some(b) = &self.1 {
                    let _ = b.remove_attribute("disabled");
                }
            },
            HOLD,
        );
    }
}

/// `hold` for the control an event is handled on (a form, a button).
pub(crate) fn hold_target(ev: &web_sys::Event) -> Option<Held> {
    let control: web_sys::Element = ev.current_target()?.dyn_into().ok()?;
    hold(&control)
}
