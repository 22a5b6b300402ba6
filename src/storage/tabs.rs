//! The device's other tabs: told of each write and of a restore.

use super::*;

/// What one tab tells the others of the same browser. Only that something
/// happened: each reads what was stored from storage itself, in arrival order.
#[derive(Clone, Copy)]
pub enum Message {
    /// It stored edits.
    Edits,
    /// It replaced everything (a restore): stop writing.
    Replaced,
}

pub(super) fn broadcast(message: Message) {
    let text = match message {
        Message::Edits => "E",
        Message::Replaced => "R",
    };
    with_state(|s| {
        if let Some(channel) = &s.channel {
            channel.post_message(&text.into()).ok();
        }
    });
}

/// Calls `f` with each message another tab sends.
pub fn on_message(f: impl Fn(Message) + 'static) {
    let Ok(channel) = web_sys::BroadcastChannel::new(BROADCAST) else {
        return;
    };
    let listener =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            match e.data().as_string().as_deref() {
                Some("E") => f(Message::Edits),
                Some("R") => f(Message::Replaced),
                _ => {}
            }
        });
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    with_state(|s| s.channel = Some(channel));
}
