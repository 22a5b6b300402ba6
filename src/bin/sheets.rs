//! The spreadsheet wasm (`project_ledger::sheets`): what the office app calls
//! once it has loaded it (`src/sheets_loader.js`). No Leptos here.

#[cfg(target_arch = "wasm32")]
mod exports {
    use project_ledger::domain::exchange::handed_sheet;
    use project_ledger::domain::export::Sheet;
    use wasm_bindgen::prelude::*;

    /// The workbook of `book`, its sheets as `[name, kinds, csv]`
    /// (`handed_sheet`), as .xlsx bytes.
    #[wasm_bindgen(js_name = writeXlsx)]
    pub fn write_xlsx(book: js_sys::Array) -> Result<Vec<u8>, String> {
        let sheets: Option<Vec<Sheet>> = book
            .iter()
            .map(|sheet| {
                let part = |i| {
                    js_sys::Array::from(&sheet)
                        .get(i)
                        .as_string()
                        .unwrap_or_default()
                };
                handed_sheet(&part(0), &part(1), &part(2))
            })
            .collect();
        let sheets = sheets.ok_or("a sheet that is not the export's CSV")?;
        project_ledger::sheets::write_xlsx(&sheets).map_err(|e| e.to_string())
    }

    /// The sheet an import reads, as `[name, [[cell text]]]`; `None` when
    /// the bytes are not a workbook this can read.
    #[wasm_bindgen(js_name = readXlsx)]
    pub fn read_xlsx(bytes: &[u8]) -> Option<js_sys::Array> {
        let (name, rows) = project_ledger::sheets::read_xlsx(bytes)?;
        let rows: js_sys::Array = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| JsValue::from_str(cell))
                    .collect::<js_sys::Array>()
            })
            .collect();
        Some(js_sys::Array::of2(&JsValue::from_str(&name), &rows))
    }
}

fn main() {}
