//! Small views both apps share.

use crate::domain::light::Light;
use leptos::prelude::*;

/// A project's traffic light: colour and shape, named for screen readers.
pub(crate) fn light_dot(light: Light) -> impl IntoView {
    view! { <span class=format!("light {}", light.key()) role="img" aria-label=light.name() data-light=light.key()></span> }
}
