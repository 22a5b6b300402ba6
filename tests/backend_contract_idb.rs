//! The promises of `keeper::Backend` (`domain::log::contract::check`) kept
//! by IndexedDB's backend, `storage::Idb`, in a real browser: headless
//! Chromium through wasm-bindgen-test-runner (tools/test.sh runs it with
//! tests/wasm/webdriver.json; each run is a fresh profile, so the database
//! starts empty).
#![cfg(target_arch = "wasm32")]

use project_ledger::domain::edit::{Change, EditId, Entry};
use project_ledger::domain::ledger::Ledger;
use project_ledger::domain::log::contract::check;
use project_ledger::domain::registry::shipped;
use project_ledger::storage;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn edits() -> [Entry; 4] {
    let ledger = Ledger::new(shipped(), Vec::<Entry>::new());
    let edit = |n: u64, project: &str| {
        Entry::Edit(ledger.prepare(
            EditId::new("w", n),
            "w",
            project,
            Change::Notes(format!("第{n}条")),
            1_700_000_000_000 + n as i64,
        ))
    };
    [
        edit(1, "hc-01"),
        edit(2, "hc-02"),
        edit(3, "ta-01"),
        edit(4, "hc-01"),
    ]
}

#[wasm_bindgen_test]
async fn indexeddb_keeps_every_promise() {
    let opened = storage::open(shipped(), &|_| {}).await;
    assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    let backend = opened.backend.expect("IndexedDB opens");
    let generation = opened.core.generation();
    let [a, b, c, d] = edits();
    assert_eq!(check(&backend, generation, [&a, &b, &c, &d]).await, Ok(()));
}
