//! Excel and WPS workbooks (.xlsx), written with `rust_xlsxwriter` and read
//! with `calamine`. A crate and a wasm of its own (`main.rs`), which
//! the office app loads only when a spreadsheet is exported or imported: the
//! two crates weigh more than the office app. No browser types here, so the
//! round trips test natively.

use calamine::{Data, Reader, Xlsx};
use project_ledger::domain::export::{guarded, Kind, ReadSheet, Sheet, PROJECTS_SHEET};
use project_ledger::domain::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// How wide a column is drawn: its widest cell, a Chinese character counting
/// two, within bounds that keep a long note from pushing the rest off screen.
fn width(texts: impl Iterator<Item = usize>) -> f64 {
    texts.max().unwrap_or(0).clamp(6, 60) as f64 + 1.0
}

fn display_width(text: &str) -> usize {
    let widest_line = text
        .lines()
        .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum());
    widest_line.max().unwrap_or(0)
}

/// The sheets as one workbook: a bold, frozen header row; text as text cells
/// (never formulas, whatever they start with; `'=x` written `''=x`, as the
/// import reads it), numbers as numbers, dates as dates.
pub fn write_xlsx(book: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in book {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name)?;
        for (col, (title, kind)) in sheet.columns.iter().enumerate() {
            let col = col as u16;
            worksheet.write_string_with_format(0, col, title, &header)?;
            let widest = match kind {
                Kind::Date => 10,
                _ => display_width(title).max(
                    sheet
                        .rows
                        .iter()
                        .map(|r| r.get(col as usize).map_or(0, |t| display_width(t)))
                        .max()
                        .unwrap_or(0),
                ),
            };
            worksheet.set_column_width(
                col,
                width(std::iter::once(widest.max(display_width(title)))),
            )?;
        }
        for (i, cells) in sheet.rows.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, (text, (_, kind))) in cells.iter().zip(&sheet.columns).enumerate() {
                let col = col as u16;
                if text.is_empty() {
                    continue;
                }
                let number = (*kind == Kind::Number)
                    .then(|| text.parse::<f64>().ok())
                    .flatten();
                let date = (*kind == Kind::Date).then(|| Date::parse(text)).flatten();
                if let Some(n) = number {
                    worksheet.write_number(row, col, n)?;
                } else if let Some(d) = date {
                    let d = ExcelDateTime::from_ymd(d.year() as u16, d.month(), d.day())?;
                    worksheet.write_datetime_with_format(row, col, &d, &day)?;
                } else if guarded(text, false) {
                    worksheet.write_string(row, col, format!("'{text}"))?;
                } else {
                    worksheet.write_string(row, col, text)?;
                }
            }
        }
        worksheet.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}

/// A cell as the text the import reads: text as it is, a number as it reads
/// shortest, a date as YYYY-MM-DD.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) => s
            .get(..10)
            .filter(|d| Date::parse(d).is_some())
            .unwrap_or(s)
            .to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// The sheet an import reads (项目, else the first). `None`: not a workbook
/// this can read.
pub fn read_xlsx(bytes: &[u8]) -> Option<ReadSheet> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).ok()?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.trim() == PROJECTS_SHEET)
        .or(names.first())?
        .clone();
    let range = book.worksheet_range(&name).ok()?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); top as usize];
    for cells in range.rows() {
        let mut row = vec![String::new(); left as usize];
        row.extend(cells.iter().map(cell_text));
        rows.push(row);
    }
    Some(ReadSheet { name, rows })
}
