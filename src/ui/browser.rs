//! Small helpers over the browser: the clock and calendar, frames, focus,
//! navigation, downloads.

use crate::domain::Date;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

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

/// The range of times a JavaScript `Date` can show (±100,000,000 days).
const JS_DATE_LIMIT_MS: i64 = 8_640_000_000_000_000;

/// "2024-03-01 09:30" in the device's time zone; a time no calendar can show
/// (an edit stamped beyond year 275,760) as its raw number.
pub(crate) fn format_time(ms: i64) -> String {
    if !(-JS_DATE_LIMIT_MS..=JS_DATE_LIMIT_MS).contains(&ms) {
        return crate::text::time_out_of_range(ms);
    }
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Today in the device's time zone: what lights, ages and the campaign count from.
pub(crate) fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
    )
    .unwrap_or_else(|| Date::from_days_since_epoch((js_sys::Date::now() / 86_400_000.0) as i64))
}

/// The start of a day in the device's time zone (the list's "changed since").
pub(crate) fn local_midnight_ms(date: Date) -> i64 {
    js_sys::Date::new_with_year_month_day(
        date.year() as u32,
        i32::from(date.month()) - 1,
        i32::from(date.day()),
    )
    .get_time() as i64
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
