//! Labelled form controls that commit on `change` and show, beside the field,
//! why a value was refused. A refused value stays in the field to be fixed.

use crate::domain::validate::InputError;
use crate::text as t;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

fn error_text(error: RwSignal<Option<String>>) -> impl IntoView {
    move || error.get()
}

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
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{field_id}-error");
    view! {
        <div class="field">
            <label for=field_id.clone()>{label}</label>
            <input
                id=field_id
                type=kind
                inputmode=inputmode
                prop:value=move || value.get()
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
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <p class="error" id=error_id>{error_text(error)}</p>
        </div>
    }
}

#[component]
pub fn TextAreaField(
    label: &'static str,
    field_id: &'static str,
    #[prop(into)] value: Signal<String>,
    on_commit: impl Fn(String) -> Result<(), InputError> + 'static,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{field_id}-error");
    view! {
        <div class="field">
            <label for=field_id>{label}</label>
            <textarea
                id=field_id
                rows="4"
                prop:value=move || value.get()
                aria-describedby=error_id.clone()
                on:change=move |ev| {
                    let input: HtmlTextAreaElement = event_target(&ev);
                    error.set(on_commit(input.value()).err().map(t::input_error));
                }
            ></textarea>
            <p class="error" id=error_id>{error_text(error)}</p>
        </div>
    }
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
