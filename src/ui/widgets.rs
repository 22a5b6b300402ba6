//! Small views both apps share.

use crate::domain::light::Light;
use leptos::prelude::*;

/// A project's traffic light: colour and shape, named for screen readers.
pub(crate) fn light_dot(light: Light) -> impl IntoView {
    view! { <span class=format!("light {}", light.key()) role="img" aria-label=light.name() data-light=light.key()></span> }
}

/// A reactive part of a view, boxed. tachys builds one renderer for each
/// closure it is given; boxed, every part with the same output shares one.
/// (Most of the view code in the wasm is these renderers.)
pub(crate) fn live<V: 'static>(
    f: impl FnMut() -> V + Send + 'static,
) -> Box<dyn FnMut() -> V + Send> {
    Box::new(f)
}
