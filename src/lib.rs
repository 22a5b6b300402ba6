//! 项目台账 (Project Ledger). See ARCHITECTURE.md for the map.

pub mod domain;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod ui;
