//! The first screen's word to a newcomer: what this app is, and for each
//! kind of user the first two steps. Shown until put away on this device.

use crate::text as t;
use crate::ui::Store;
use leptos::prelude::*;

#[component]
pub fn Welcome() -> impl IntoView {
    let store = expect_context::<Store>();
    let shown = RwSignal::new(!crate::settings::welcomed());
    let put_away = move |_| {
        store.report(crate::settings::set_welcomed());
        shown.set(false);
    };
    move || {
        shown.get().then(|| {
            view! {
                <section class="card welcome" data-testid="welcome" aria-labelledby="welcome-title">
                    <h2 id="welcome-title">{t::WELCOME_TITLE}</h2>
                    <p>{t::WELCOME_WHAT}</p>
                    <dl class="first-steps">
                        {t::FIRST_STEPS
                            .iter()
                            .map(|(who, steps)| view! { <dt>{*who}</dt><dd>{*steps}</dd> })
                            .collect_view()}
                    </dl>
                    <button type="button" on:click=put_away>{t::WELCOME_DONE}</button>
                </section>
            }
        })
    }
}
