//! The spreadsheet wasm (this crate's library): what the office app calls
//! once it has loaded it (`src/sheets_loader.js`). No Leptos here. The two
//! wasm share no memory, so the sheets cross as the domain's own types,
//! serialized (`export::Sheet` in, `export::ReadSheet` out).

#[cfg(target_arch = "wasm32")]
mod exports {
    use project_ledger::domain::export::Sheet;
    use wasm_bindgen::prelude::*;

    /// The workbook of `book` (the export's sheets, `Vec<Sheet>` as JSON),
    /// as .xlsx bytes.
    #[wasm_bindgen(js_name = writeXlsx)]
    pub fn write_xlsx(book: &str) -> Result<Vec<u8>, String> {
        let sheets: Vec<Sheet> = serde_json::from_str(book).map_err(|e| e.to_string())?;
        ledger_sheets::write_xlsx(&sheets).map_err(|e| e.to_string())
    }

    /// The sheet an import reads (`ReadSheet` as JSON); `None` when the bytes
    /// are not a workbook this can read.
    #[wasm_bindgen(js_name = readXlsx)]
    pub fn read_xlsx(bytes: &[u8]) -> Option<String> {
        let sheet = ledger_sheets::read_xlsx(bytes)?;
        serde_json::to_string(&sheet).ok()
    }
}

fn main() {}
