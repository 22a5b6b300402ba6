//! Labelled form controls that commit on `change` and show, beside the field,
//! why a value was refused. A refused value stays in the field to be fixed.
//! A text field someone is typing in is never overwritten by a newer stored
//! value (another tab's edit): it waits beside the field, to take or leave.

use crate::domain::validate::InputError;
use crate::text as t;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

fn error_text(error: RwSignal<Option<String>>) -> impl IntoView {
    super::live(move || error.get())
}

fn value_of(element: &HtmlElement) -> String {
    js_sys::Reflect::get(element, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn set_value_of(element: &HtmlElement, value: &str) {
    js_sys::Reflect::set(element, &"value".into(), &value.into()).ok();
}

/// What the field `id` shows: its stored `value`, except while it has the
/// focus. Then a stored value that changed (and differs from what is typed)
/// waits in `waiting`, and the field keeps what the person typed.
fn shown_value(
    id: String,
    value: Signal<String>,
    waiting: RwSignal<Option<String>>,
) -> impl Fn() -> String {
    let before = std::cell::RefCell::new(None::<String>);
    move || {
        let stored = value.get();
        let previous = before.replace(Some(stored.clone()));
        let typed = document()
            .active_element()
            .filter(|a| a.id() == id)
            .map(|a| value_of(a.unchecked_ref()));
        match typed {
            Some(typed) if typed != stored => {
                if previous.as_ref() != Some(&stored) {
                    waiting.set(Some(stored));
                }
                typed
            }
            _ => {
                waiting.set(None);
                stored
            }
        }
    }
}

/// "另一窗口已修改此项" and the other value, with keep and take. The buttons
/// keep the focus in the field, so choosing does not first commit the field.
fn other_tab_notice(field_id: String, waiting: RwSignal<Option<String>>) -> impl IntoView {
    let keep_focus = |ev: leptos::ev::PointerEvent| ev.prevent_default();
    let take = move |_| {
        if let (Some(value), Some(field)) = (
            waiting.get_untracked(),
            document()
                .get_element_by_id(&field_id)
                .and_then(|e| e.dyn_into::<HtmlElement>().ok()),
        ) {
            set_value_of(&field, &value);
        }
        waiting.set(None);
    };
    move || {
        waiting.get().map(|other| {
            view! {
                <p class="other-tab" role="status">
                    {t::OTHER_TAB_CHANGED} "：" <q>{other}</q> " "
                    <button type="button" on:pointerdown=keep_focus on:click=move |_| waiting.set(None)>{t::KEEP_MINE}</button>
                    <button type="button" on:pointerdown=keep_focus on:click=take.clone()>{t::TAKE_THEIRS}</button>
                </p>
            }
        })
    }
}

/// How a field's typed value is committed: one type for every field, so
/// each control's code is in the wasm once, not once per use.
type Commit = Box<dyn Fn(String) -> Result<(), InputError>>;

#[component]
pub fn InputField(
    label: String,
    field_id: String,
    #[prop(into)] value: Signal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    on_commit: impl Fn(String) -> Result<(), InputError> + 'static,
) -> impl IntoView {
    input_field(
        label,
        field_id,
        value,
        kind,
        inputmode,
        hint,
        Box::new(on_commit),
    )
}

fn input_field(
    label: String,
    field_id: String,
    value: Signal<String>,
    kind: &'static str,
    inputmode: Option<&'static str>,
    hint: Option<&'static str>,
    on_commit: Commit,
) -> AnyView {
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{field_id}-error");
    let waiting = RwSignal::new(None);
    view! {
        <div class="field">
            <label for=field_id.clone()>{label}</label>
            <input
                id=field_id.clone()
                type=kind
                inputmode=inputmode
                prop:value=shown_value(field_id.clone(), value, waiting)
                // WebKitGTK draws today's date, greyed, in an empty date field;
                // main.css hides it by this mark, so an empty date looks empty.
                data-empty=move || value.with(String::is_empty).then_some("")
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=error_id.clone()
                on:change=move |ev| {
                    let input: HtmlInputElement = event_target(&ev);
                    // A half-typed date reads as "" with badInput set: refuse it rather than clear the date.
                    let result = if input.validity().bad_input() {
                        Err(InputError::BadDate)
                    } else {
                        on_commit(input.value())
                    };
                    error.set(result.err().map(t::input_error));
                }
            />
            {other_tab_notice(field_id, waiting)}
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <p class="error" id=error_id>{error_text(error)}</p>
        </div>
    }
    .into_any()
}

#[component]
pub fn TextAreaField(
    label: &'static str,
    field_id: &'static str,
    #[prop(into)] value: Signal<String>,
    on_commit: impl Fn(String) -> Result<(), InputError> + 'static,
) -> impl IntoView {
    text_area_field(label, field_id, value, Box::new(on_commit))
}

fn text_area_field(
    label: &'static str,
    field_id: &'static str,
    value: Signal<String>,
    on_commit: Commit,
) -> AnyView {
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{field_id}-error");
    let waiting = RwSignal::new(None);
    view! {
        <div class="field">
            <label for=field_id>{label}</label>
            <textarea
                id=field_id
                rows="4"
                prop:value=shown_value(field_id.to_owned(), value, waiting)
                aria-describedby=error_id.clone()
                on:change=move |ev| {
                    let input: HtmlTextAreaElement = event_target(&ev);
                    error.set(on_commit(input.value()).err().map(t::input_error));
                }
            ></textarea>
            {other_tab_notice(field_id.to_owned(), waiting)}
            <p class="error" id=error_id>{error_text(error)}</p>
        </div>
    }
    .into_any()
}

/// `options` are (value, label); the empty value means "not filled in".
#[component]
pub fn SelectField(
    label: &'static str,
    field_id: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] value: Signal<String>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    on_commit: impl Fn(String) -> Result<(), InputError> + 'static,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="field">
            <label for=field_id>{label}</label>
            <select
                id=field_id
                on:change=move |ev| {
                    let select: HtmlSelectElement = event_target(&ev);
                    error.set(on_commit(select.value()).err().map(t::input_error));
                }
            >
                // Selectedness lives on the options: a select's value set before its options exist is lost.
                <option value="" prop:selected=move || value.with(String::is_empty)>{t::NONE_SELECTED}</option>
                {options
                    .into_iter()
                    .map(|(key, label)| {
                        view! { <option value=key prop:selected=move || value.with(|v| v == key)>{label}</option> }
                    })
                    .collect_view()}
            </select>
            {hint.map(|h| view! { <p class="hint">{move || h.get()}</p> })}
            <p class="error">{error_text(error)}</p>
        </div>
    }
}
