//! The promises of `keeper::Backend` (`domain::log::contract::check`) kept
//! by IndexedDB's backend, `storage::Idb`, in a real browser: headless
//! Chromium through wasm-bindgen-test-runner (tools/test.sh runs it with
//! tests/wasm/webdriver.json; each run is a fresh profile, so the database
//! starts empty).
#![cfg(target_arch = "wasm32")]

use project_ledger::domain::log::contract::{check, four_edits};
use project_ledger::domain::registry::shipped;
use project_ledger::storage;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn indexeddb_keeps_every_promise() {
    let opened = storage::open(shipped(), &|_| {}).await;
    assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    let backend = opened.backend.expect("IndexedDB opens");
    let generation = opened.core.generation();
    let [a, b, c, d] = four_edits();
    assert_eq!(check(&backend, generation, [&a, &b, &c, &d]).await, Ok(()));
}
