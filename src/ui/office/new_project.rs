//! Adding a project that the published (partial) list does not contain.

use crate::domain::validate::check_name;
use crate::domain::{Change, District};
use crate::text as t;
use crate::ui::browser::hold_target;
use crate::ui::Route;
use crate::ui::Store;
use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

#[component]
pub fn NewProject() -> impl IntoView {
    let store = expect_context::<Store>();
    let name = NodeRef::<leptos::html::Input>::new();
    let district = NodeRef::<leptos::html::Select>::new();
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(held) = hold_target(&ev) else {
            return;
        };
        let name_input: HtmlInputElement = name.get_untracked().expect("mounted");
        let district_select: HtmlSelectElement = district.get_untracked().expect("mounted");
        match check_name(&name_input.value()) {
            Err(e) => {
                held.release();
                error.set(Some(t::input_error(e)));
                let _ = name_input.focus();
            }
            Ok(valid) => {
                let district = District::from_key(&district_select.value());
                let id = store.new_project_id(district);
                let created = store.change(
                    &id,
                    Change::Create {
                        name: valid,
                        district,
                    },
                );
                held.release();
                match created {
                    // The project page is the field app's.
                    Ok(()) => window()
                        .location()
                        .set_href(&Route::Project(id).from_office())
                        .unwrap_or_default(),
                    Err(e) => error.set(Some(t::input_error(e))),
                }
            }
        }
    };
    view! {
        <h1 class="page-title">{t::NEW_HEADING}</h1>
        <p class="hint">{t::NEW_HINT}</p>
        <form class="card" on:submit=submit novalidate>
            <div class="field">
                <label for="new-name">{t::FIELD_NAME}</label>
                <input id="new-name" type="text" node_ref=name aria-describedby="new-name-error" required/>
                <p class="error" id="new-name-error">{move || error.get()}</p>
            </div>
            <div class="field">
                <label for="new-district">{t::FIELD_DISTRICT}</label>
                <select id="new-district" node_ref=district>
                    <option value="">{t::DISTRICT_NOT_STATED}</option>
                    {District::ALL.iter().map(|d| view! { <option value=d.key()>{d.name()}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="primary">{t::NEW_SUBMIT}</button>
        </form>
    }
}
