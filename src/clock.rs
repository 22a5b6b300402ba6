//! The device's clock and calendar, through the browser's `Date`: for the
//! apps' screens and for the sync engine, which has no Leptos.

use crate::domain::Date;
use wasm_bindgen::JsValue;

/// The range of times a JavaScript `Date` can show (±100,000,000 days).
const JS_DATE_LIMIT_MS: i64 = 8_640_000_000_000_000;

/// "2024-03-01 09:30" in the device's time zone; a time no calendar can show
/// (an edit stamped beyond year 275,760) as its raw number.
pub fn format_time(ms: i64) -> String {
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
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
    )
    .unwrap_or_else(|| Date::from_days_since_epoch((js_sys::Date::now() / 86_400_000.0) as i64))
}

/// The start of a day in the device's time zone (the list's "changed since").
pub fn local_midnight_ms(date: Date) -> i64 {
    js_sys::Date::new_with_year_month_day(
        date.year() as u32,
        i32::from(date.month()) - 1,
        i32::from(date.day()),
    )
    .get_time() as i64
}
