//! The office app (`office/`): roster, workload, print views. See `ui::office`.

#[cfg(target_arch = "wasm32")]
fn main() {
    leptos::mount::mount_to_body(project_ledger::ui::office::OfficeApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("项目台账 runs in the browser: see README.md (serve command).");
}
