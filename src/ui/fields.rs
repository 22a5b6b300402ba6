//! Labelled form controls that commit on `change` and show, beside the field,
//! why a value was refused. A refused value stays in the field to be fixed.
//! A text field someone is typing in is never overwritten by a newer stored
//! value (another tab's edit): it waits beside the field, to take or leave.
//! What is being typed is kept on the device as it is typed (`FieldDraft`),
//! so a browser that quits before the field is left loses at most the last
//! `DRAFT_EVERY` of typing.

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

/// At most this much typing is lost when the browser quits while a field
/// still has the focus (README, "Nothing typed is lost").
pub const DRAFT_EVERY: std::time::Duration = std::time::Duration::from_millis(300);

/// What is typed into one field of one page, kept on the device (a draft,
/// not an edit) while it is typed, at most every `DRAFT_EVERY`, and at once
/// when it is committed. It goes once the edit it became is in storage
/// (`Store::drop_draft_once_stored`): a quit before that commit lands finds
/// it still there. A draft that differs from the stored value when the field
/// shows again is offered beside it, to save or discard.
#[derive(Clone, Copy)]
struct FieldDraft {
    store: super::Store,
    key: StoredValue<String>,
    field_id: StoredValue<String>,
    value: Signal<String>,
    /// A write is scheduled.
    pending: StoredValue<bool>,
    /// A draft found when the field showed, not yet saved or discarded.
    found: RwSignal<Option<String>>,
}

impl FieldDraft {
    fn new(field_id: &str, value: Signal<String>) -> FieldDraft {
        let location = window().location();
        let hash = location.hash().unwrap_or_default();
        let route = hash.split('?').next().unwrap_or_default();
        let key = format!(
            "field:{}{route}:{field_id}",
            location.pathname().unwrap_or_default()
        );
        let stored = value.get_untracked();
        let found = crate::settings::draft(&key).filter(|typed| {
            if *typed == stored {
                crate::settings::drop_draft(&key);
            }
            *typed != stored
        });
        FieldDraft {
            store: expect_context(),
            key: StoredValue::new(key),
            field_id: StoredValue::new(field_id.to_owned()),
            value,
            pending: StoredValue::new(false),
            found: RwSignal::new(found),
        }
    }

    /// Keeps what the field holds now, if it differs from what is stored.
    fn write_now(self) {
        // `try_set_value` gives the value back when the field is gone.
        if self.pending.try_set_value(false).is_some() {
            return;
        }
        let (Some(field_id), Some(key), Some(stored)) = (
            self.field_id.try_get_value(),
            self.key.try_get_value(),
            self.value.try_get_untracked(),
        ) else {
            return;
        };
        let typed = document()
            .get_element_by_id(&field_id)
            .map(|e| value_of(e.unchecked_ref()));
        if let Some(typed) = typed.filter(|t| *t != stored) {
            self.store.report(crate::settings::keep_draft(&key, &typed));
        }
    }

    /// After a keystroke: a write within `DRAFT_EVERY`, unless one is due.
    fn typed(self) {
        if self.pending.try_get_value() == Some(false) {
            self.pending.set_value(true);
            // Unless a commit wrote (or dropped) it meanwhile; gone with the field.
            set_timeout(
                move || {
                    if self.pending.try_get_value() == Some(true) {
                        self.write_now();
                    }
                },
                DRAFT_EVERY,
            );
        }
    }

    /// The field commits `typed`: the draft holds it until it is stored. A
    /// value refused as bad input stays in the field to be fixed and leaves
    /// storage as it was, no draft of it either; one refused because storage
    /// has not answered yet stays a draft, offered once it has.
    fn commit(self, typed: String, on_commit: &Commit) -> Result<(), InputError> {
        self.write_now();
        match on_commit(typed) {
            Err(InputError::StorageNotAnswering) => Err(InputError::StorageNotAnswering),
            Err(error) => {
                crate::settings::drop_draft(&self.key.get_value());
                Err(error)
            }
            Ok(()) => {
                self.found.set(None);
                self.store.drop_draft_once_stored(self.key.get_value());
                Ok(())
            }
        }
    }

    /// "未保存的输入" with the text, save and discard.
    fn notice(
        self,
        on_commit: StoredValue<std::rc::Rc<Commit>, LocalStorage>,
        error: RwSignal<Option<String>>,
    ) -> impl IntoView {
        let save = move |_| {
            // Refused, the draft stays offered: it is all that is left of it.
            if let Some(typed) = self.found.get_untracked() {
                let result = on_commit.get_value()(typed);
                if result.is_ok() {
                    self.found.set(None);
                    self.store.drop_draft_once_stored(self.key.get_value());
                }
                error.set(result.err().map(t::input_error));
            }
        };
        let discard = move |_| {
            crate::settings::drop_draft(&self.key.get_value());
            self.found.set(None);
        };
        move || {
            self.found.get().map(|typed| {
                view! {
                    <p class="other-tab" role="status" data-testid="unsaved-input">
                        {t::UNSAVED_INPUT} "：" <q>{typed}</q> " "
                        <button type="button" on:click=save>{t::SAVE_UNSAVED_INPUT}</button>
                        <button type="button" on:click=discard>{t::DISCARD_DRAFT}</button>
                    </p>
                }
            })
        }
    }
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
    let draft = FieldDraft::new(&field_id, value);
    let on_commit = StoredValue::new_local(std::rc::Rc::new(on_commit));
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
                        draft.commit(input.value(), &on_commit.get_value())
                    };
                    error.set(result.err().map(t::input_error));
                }
                on:input=move |_| draft.typed()
            />
            {other_tab_notice(field_id, waiting)}
            {draft.notice(on_commit, error)}
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
    let draft = FieldDraft::new(field_id, value);
    let on_commit = StoredValue::new_local(std::rc::Rc::new(on_commit));
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
                    let result = draft.commit(input.value(), &on_commit.get_value());
                    error.set(result.err().map(t::input_error));
                }
                on:input=move |_| draft.typed()
            ></textarea>
            {other_tab_notice(field_id.to_owned(), waiting)}
            {draft.notice(on_commit, error)}
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
