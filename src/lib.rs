//! 项目台账 (Project Ledger). See ARCHITECTURE.md for the map.

pub mod domain;
pub mod text;

/// The device's clock and calendar (the browser's `Date`).
#[cfg(target_arch = "wasm32")]
pub mod clock;
#[cfg(target_arch = "wasm32")]
pub mod storage;
/// The device's settings: the one way a screen reaches storage.
#[cfg(target_arch = "wasm32")]
pub use storage::settings;
#[cfg(target_arch = "wasm32")]
pub mod ui;

// Talc instead of the default dlmalloc: smaller in the wasm and faster, which
// counts when opening a city's year allocates a few hundred thousand values.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
