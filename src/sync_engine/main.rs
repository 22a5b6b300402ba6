//! The sync engine's wasm (this crate's library): what an app calls
//! once it has loaded it (`src/sync_engine_loader.js`). No Leptos here.

#[cfg(target_arch = "wasm32")]
mod exports {
    use ledger_sync_engine as engine;
    use wasm_bindgen::prelude::*;

    /// Starts sync; `on_status(numbers)` gets each new `Report` of where sync stands.
    #[wasm_bindgen]
    pub async fn start(on_status: js_sys::Function) {
        engine::start(on_status).await
    }

    /// 报送: hands this device's edits not yet carried off over as the file
    /// `name`; the line to show.
    #[wasm_bindgen(js_name = handOver)]
    pub async fn hand_over(device: String, name: String) -> String {
        engine::hand_over(device, name).await
    }

    /// Draws the 同步 page into `root`; `name_of(id)` names a subject.
    #[wasm_bindgen(js_name = mountPage)]
    pub fn mount_page(root: web_sys::Element, name_of: js_sys::Function) {
        engine::mount_page(root, name_of)
    }
}

fn main() {}
