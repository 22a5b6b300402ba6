//! Leptos components, one file per screen or widget, around four rooms: the
//! store (`store`: the only way to change data), the routes (`routes`), the
//! browser helpers (`browser`) and the field app (`app`; the office app is `office`).

mod app;
pub(crate) mod browser;
pub(crate) mod collation;
mod field_work;
mod fields;
mod filter_panel;
mod menu;
pub mod office;
mod project_list;
mod project_page;
mod routes;
mod rows_dom;
mod saved_views;
mod stewards;
pub(crate) mod storage_status;
mod store;
pub(crate) mod sync;
mod welcome;
mod widgets;
pub(crate) use widgets::live;

pub(crate) use crate::clock::{format_time, local_midnight_ms, today};
pub use app::App;
pub(crate) use browser::{after_paint, commit_focused_field, navigate};
pub use menu::{Menu, MenuItem, Place};
pub use routes::{with_query, AccountCards, Navigation, OfficeRoute, Route};
pub(crate) use store::start_store;
pub use store::{Status, Store};
pub(crate) use widgets::light_dot;
