//! Exchange with Excel and other devices, as pure logic: a CSV import planned
//! against the ledger before anything changes, edit bundles that merge by edit
//! id, full backups, and the conflicts a merge reveals. Files are untrusted:
//! every function here returns an error rather than panicking, whatever the bytes.

use crate::domain::log::edit::{Change, Edit, EditId, Entry};
use crate::domain::log::ledger::{apply_change, shown_in, Ledger};
use crate::domain::log::stored::SavedView;
use crate::domain::queries::export::{ProjectColumn as Column, ReadSheet, GUARDED};
use crate::domain::rules::validate::{
    check_change, check_entry, check_length, check_name, parse_investment, EditFault, InputError,
    MAX_TEXT_CHARS,
};
use crate::domain::vocab::date::Date;
use crate::domain::vocab::project::{Cluster, District, Procedure, Project, Stage};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

// ---------------------------------------------------------------- CSV import

/// Why a file cannot be imported at all.
#[derive(Clone, Debug, PartialEq)]
pub enum FileError {
    Empty,
    TooLarge,
    /// Not a CSV with the ledger's columns: neither 编号 nor 项目名称.
    NotALedgerCsv,
    /// A spreadsheet whose sheet read (项目, else the first) has neither column.
    NotALedgerSheet {
        sheet: String,
    },
    /// Not a spreadsheet this app can read (not .xlsx, or damaged).
    NotASpreadsheet,
    /// The CSV itself is malformed (e.g. an unclosed quote) at this line.
    Malformed {
        line: usize,
    },
    /// Not a bundle or backup of this app.
    NotABundle,
    /// Written by a newer version of the app.
    NewerVersion {
        version: u32,
    },
    /// A bundle or backup edit that this app would have refused as input
    /// (a name of thousands of characters, a device name of millions): the
    /// whole file is refused. `position` counts from 1.
    BadEdit {
        position: usize,
        id: String,
        fault: EditFault,
    },
}

/// Why one row is refused; the rest of the file can still be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowError {
    UnknownId(String),
    DuplicateRow { first_line: usize },
    EmptyName,
    UnknownDistrict(String),
    UnknownStage(String),
    UnknownCluster(String),
    BadProcedureState { procedure: Procedure, text: String },
    BadDate { column: String, text: String },
    Invalid { column: String, error: InputError },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub error: RowError,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRow {
    pub line: usize,
    /// The project to update; `None`: a new user-added project.
    pub project: Option<String>,
    /// For a new project that another ledger created (a user-added id it
    /// exported): keep that id, so the next import of the same file updates it.
    pub new_id: Option<String>,
    pub name: String,
    /// For a new project, its `Create` comes first.
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    pub added: Vec<PlannedRow>,
    pub updated: Vec<PlannedRow>,
    pub unchanged: usize,
    pub rejected: Vec<Rejected>,
    /// Columns this app does not know: reported, never silently dropped.
    pub unknown_columns: Vec<String>,
    /// Columns it knows but does not take from a file (名单, 出处, 包保, …).
    pub ignored_columns: Vec<String>,
    /// The ledger version the plan was made against; applying checks it.
    pub version: u64,
}

impl PlannedRow {
    /// For each change, what the project holds now in that field (`None` for
    /// a new project, or a change that is not a field's value).
    pub fn old_values(&self, ledger: &Ledger) -> Vec<Option<Change>> {
        let project = self.project.as_deref().and_then(|id| ledger.project(id));
        self.changes
            .iter()
            .map(|c| shown_in(project?, &c.field()?))
            .collect()
    }
}

impl ImportPlan {
    /// Rows that change something: the new and the updated.
    pub fn row_count(&self) -> usize {
        self.added.len() + self.updated.len()
    }

    pub fn change_count(&self) -> usize {
        self.added
            .iter()
            .chain(&self.updated)
            .map(|r| r.changes.len())
            .sum()
    }
}

/// Undoes the export's guard (`export::guarded`): `'=x` was written for
/// `=x`, `''x` for `'x`. The same for CSV and .xlsx: a spreadsheet that
/// opens the CSV keeps the apostrophe as text, and may save it so.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(GUARDED) => rest,
        _ => text,
    }
}

/// Dates as spreadsheets write them back: 2024-03-01, 2024/3/1, 2024.3.1.
pub fn lenient_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let number = |s: &str| -> Option<u32> {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, m, d) = (number(parts[0])?, number(parts[1])?, number(parts[2])?);
    if parts[0].len() != 4 || m > 12 || d > 31 {
        return None;
    }
    Date::new(y as i32, m as u8, d as u8)
}

/// Plans an import of decoded CSV text (a leading BOM is ignored) against the
/// ledger. Nothing changes here; `changes` of each row are what applying adds.
pub fn plan_csv(ledger: &Ledger, text: &str) -> Result<ImportPlan, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    if text.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    plan_rows(ledger, csv_records(text)?, FileError::NotALedgerCsv)
}

/// CSV records (RFC 4180, any line end; a line with nothing on it is no
/// record), each with the line it starts on. An unclosed quote is refused
/// at the line it opens: read on, it would swallow the rest of the file.
/// Written here rather than with the csv crate, which the tests compare it
/// with on well-formed files: the crate reads an unclosed quote to the end
/// of the file without an error (BurntSushi/rust-csv#289, open), so one
/// stray `"` in a 备注 cell would silently turn every later row into that
/// note, and the import would look complete.
pub fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    let (mut records, mut fields, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut line, mut starts_on, mut quote_opened_on) = (1, 1, 0);
    let (mut quoted, mut at_field_start, mut record_empty) = (false, true, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
                line += 1;
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                (quoted, quote_opened_on) = (true, line);
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                (at_field_start, record_empty) = (true, false);
                continue;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if !record_empty || !field.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    records.push((starts_on, std::mem::take(&mut fields)));
                }
                line += 1;
                (starts_on, at_field_start, record_empty) = (line, true, true);
                continue;
            }
            _ => field.push(c),
        }
        (at_field_start, record_empty) = (false, false);
    }
    if quoted {
        return Err(FileError::Malformed {
            line: quote_opened_on,
        });
    }
    if !record_empty || !field.is_empty() {
        fields.push(field);
        records.push((starts_on, fields));
    }
    Ok(records)
}

/// Plans an import of a spreadsheet's sheet read as text (the spreadsheet module, `src/sheets`),
/// row by row from its first.
pub fn plan_sheet(ledger: &Ledger, sheet: ReadSheet) -> Result<ImportPlan, FileError> {
    let rows: Vec<(usize, Vec<String>)> = sheet
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| (i + 1, cells))
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(FileError::Empty);
    }
    plan_rows(
        ledger,
        rows,
        FileError::NotALedgerSheet { sheet: sheet.name },
    )
}

/// Plans the rows of a file, its header first, each with its line (or row) number.
fn plan_rows(
    ledger: &Ledger,
    rows: Vec<(usize, Vec<String>)>,
    not_ledger: FileError,
) -> Result<ImportPlan, FileError> {
    let mut rows = rows.into_iter();
    let headers = rows.next().map(|(_, h)| h).unwrap_or_default();
    let columns: Vec<Option<Column>> = headers.iter().map(|h| Column::from_header(h)).collect();
    if !columns
        .iter()
        .any(|c| matches!(c, Some(Column::Id | Column::Name)))
    {
        return Err(not_ledger);
    }
    let mut plan = ImportPlan {
        version: ledger.version(),
        ..ImportPlan::default()
    };
    for (header, c) in headers.iter().zip(&columns) {
        match c {
            None if !header.trim().is_empty() => plan.unknown_columns.push(header.to_owned()),
            Some(c) if !c.imported() => plan.ignored_columns.push(header.to_owned()),
            _ => {}
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (line, record) in rows {
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let cells: Vec<(Column, &str)> = columns
            .iter()
            .zip(&record)
            // Text as it is (a round trip changes nothing) but for the export's
            // guard; `plan_row` trims what it parses (ids, names of districts
            // and stages, dates, numbers).
            .filter_map(|(c, v)| Some((*c.as_ref()?, unguard(v))))
            .collect();
        match plan_row(ledger, &cells) {
            Err(error) => plan.rejected.push(Rejected { line, error }),
            Ok((key, row)) => {
                if let Some(&first_line) = seen.get(&key) {
                    plan.rejected.push(Rejected {
                        line,
                        error: RowError::DuplicateRow { first_line },
                    });
                    continue;
                }
                seen.insert(key, line);
                let row = PlannedRow { line, ..row };
                match (&row.project, row.changes.is_empty()) {
                    (None, _) => plan.added.push(row),
                    (Some(_), true) => plan.unchanged += 1,
                    (Some(_), false) => plan.updated.push(row),
                }
            }
        }
    }
    Ok(plan)
}

/// One row → the project it names (or a new one) and the changes that make
/// the project match the row. The key identifies the row for duplicates.
fn plan_row(ledger: &Ledger, cells: &[(Column, &str)]) -> Result<(String, PlannedRow), RowError> {
    let text_of = |c: Column| cells.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
    let get = |c: Column| text_of(c).map(str::trim);
    let name = text_of(Column::Name).unwrap_or("");
    let district = match get(Column::District).unwrap_or("") {
        "" | "区县未说明" => None,
        text => Some(
            District::from_name(text).ok_or_else(|| RowError::UnknownDistrict(text.to_owned()))?,
        ),
    };
    let id = get(Column::Id).unwrap_or("");
    let mut new_id = None;
    let existing: Option<&Project> = if !id.is_empty() {
        match ledger.project(id) {
            Some(p) => Some(p),
            // Another ledger's user-added project, never seen (nor removed) here.
            None if is_user_id(id) && !ledger.knows_subject(id) => {
                new_id = Some(id.to_owned());
                None
            }
            None => return Err(RowError::UnknownId(id.to_owned())),
        }
    } else {
        if name.trim().is_empty() {
            return Err(RowError::EmptyName);
        }
        ledger
            .projects()
            .find(|p| p.name == name && p.district == district)
    };
    let key = match (existing, &new_id) {
        (Some(p), _) => p.id.clone(),
        (None, Some(id)) => id.clone(),
        (None, None) => format!("new\u{1}{name}\u{1}{district:?}"),
    };
    // What the project is now, or a blank new one to compare against.
    let blank;
    let current = match existing {
        Some(p) => p,
        None => {
            let name = check_name(name).map_err(|error| RowError::Invalid {
                column: Column::Name.header(),
                error,
            })?;
            blank = Project::new_user_added(String::new(), name, district);
            &blank
        }
    };
    let mut changes = Vec::new();
    let mut working = current.clone();
    let mut push = |change: Change, column: Column| -> Result<(), RowError> {
        check_change(&working, &change).map_err(|error| RowError::Invalid {
            column: column.header(),
            error,
        })?;
        // Later changes of the row are checked against the earlier ones.
        apply_change(&mut working, &change);
        changes.push(change);
        Ok(())
    };
    let text_field = |c: Column| text_of(c).map(str::to_owned);
    if existing.is_some() {
        if let Some(n) = text_field(Column::Name).filter(|n| *n != current.name) {
            let n = check_name(&n).map_err(|error| RowError::Invalid {
                column: Column::Name.header(),
                error,
            })?;
            push(Change::Name(n), Column::Name)?;
        }
    }
    if let Some(v) = text_field(Column::Owner).filter(|v| *v != current.owner) {
        push(Change::Owner(v), Column::Owner)?;
    }
    if let Some(v) = text_field(Column::Scale).filter(|v| *v != current.scale) {
        push(Change::Scale(v), Column::Scale)?;
    }
    if let Some(text) = get(Column::Cluster) {
        let cluster = match text {
            "" => None,
            t => Some(Cluster::from_name(t).ok_or_else(|| RowError::UnknownCluster(t.to_owned()))?),
        };
        if cluster != current.cluster {
            push(Change::Cluster(cluster), Column::Cluster)?;
        }
    }
    if let Some(text) = get(Column::Stage) {
        let stage = match text {
            "" | "阶段未填" => None,
            t => Some(Stage::from_name(t).ok_or_else(|| RowError::UnknownStage(t.to_owned()))?),
        };
        if stage != current.stage {
            push(Change::Stage(stage), Column::Stage)?;
        }
    }
    for procedure in Procedure::ALL.iter().copied() {
        let state = get(Column::Procedure(procedure));
        let date_text = get(Column::ProcedureDate(procedure));
        if state.is_none() && date_text.is_none() {
            continue;
        }
        let now = current.procedure(procedure);
        let done = match state {
            None => now.done,
            Some("已办") => true,
            Some("未办" | "") => false,
            Some(other) => {
                return Err(RowError::BadProcedureState {
                    procedure,
                    text: other.to_owned(),
                })
            }
        };
        let date = match date_text {
            None => now.date,
            Some(text) => optional_date(text, Column::ProcedureDate(procedure))?,
        };
        if (done, date) != (now.done, now.date) {
            push(
                Change::Procedure {
                    procedure,
                    done,
                    date,
                },
                Column::Procedure(procedure),
            )?;
        }
    }
    // Signing before the actual start: set the earlier date first so the pair stays valid.
    let dates = [
        (
            Column::SignedOn,
            current.signed_on,
            Change::SignedOn as fn(_) -> _,
        ),
        (
            Column::PlannedStart,
            current.planned_start,
            Change::PlannedStart,
        ),
        (
            Column::ActualStart,
            current.actual_start,
            Change::ActualStart,
        ),
    ];
    for (c, now, make) in dates {
        if let Some(text) = get(c) {
            let date = optional_date(text, c)?;
            if date != now {
                push(make(date), c)?;
            }
        }
    }
    if let Some(text) = get(Column::Investment) {
        let value = parse_investment(text).map_err(|error| RowError::Invalid {
            column: Column::Investment.header(),
            error,
        })?;
        if value != current.investment_wan {
            push(Change::InvestmentWan(value), Column::Investment)?;
        }
    }
    if let Some(v) = text_field(Column::Notes).filter(|v| *v != current.notes) {
        check_length(&v, MAX_TEXT_CHARS).map_err(|error| RowError::Invalid {
            column: Column::Notes.header(),
            error,
        })?;
        push(Change::Notes(v), Column::Notes)?;
    }
    if existing.is_none() {
        changes.insert(
            0,
            Change::Create {
                name: current.name.clone(),
                district,
            },
        );
    }
    Ok((
        key,
        PlannedRow {
            line: 0,
            project: existing.map(|p| p.id.clone()),
            new_id,
            name: current.name.clone(),
            changes,
        },
    ))
}

/// Ids this app gives user-added projects: `u-` and letters, digits, dashes.
fn is_user_id(id: &str) -> bool {
    id.strip_prefix("u-").is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 64
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

fn optional_date(text: &str, column: Column) -> Result<Option<Date>, RowError> {
    if text.is_empty() {
        return Ok(None);
    }
    lenient_date(text)
        .map(Some)
        .ok_or_else(|| RowError::BadDate {
            column: column.header(),
            text: text.to_owned(),
        })
}

// ----------------------------------------------------- bundles and backups

pub const BUNDLE_FORMAT: &str = "project-ledger-bundle";
pub const BACKUP_FORMAT: &str = "project-ledger-backup";
/// The version this app writes; it reads this and older.
pub const FILE_VERSION: u32 = 1;

/// Edits handed from one device to another. `edits` may hold edits this
/// version cannot read: they travel on verbatim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    #[serde(rename = "format")]
    pub format: String,
    #[serde(rename = "version")]
    pub version: u32,
    /// The device that made the bundle.
    #[serde(rename = "device")]
    pub device: String,
    /// Milliseconds since 1970.
    #[serde(rename = "created")]
    pub created: i64,
    #[serde(rename = "edits")]
    pub edits: Vec<Entry>,
}

/// Everything local: edits, saved views, who uses the device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    #[serde(rename = "format")]
    pub format: String,
    #[serde(rename = "version")]
    pub version: u32,
    #[serde(rename = "device")]
    pub device: String,
    #[serde(rename = "created")]
    pub created: i64,
    #[serde(rename = "edits")]
    pub edits: Vec<Entry>,
    #[serde(rename = "views", default)]
    pub views: Vec<SavedView>,
    #[serde(rename = "me", default)]
    pub me: Option<String>,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

fn check_header(text: &str, format: &str) -> Result<(), FileError> {
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    if text.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    let header: Header = serde_json::from_str(text).map_err(|_| FileError::NotABundle)?;
    if header.format != format {
        return Err(FileError::NotABundle);
    }
    if header.version > FILE_VERSION {
        return Err(FileError::NewerVersion {
            version: header.version,
        });
    }
    Ok(())
}

/// A bundle's file, as `Bundle` serializes, written by the edits' own writer:
/// serde's path (each edit re-read as a raw value) would cost the field app
/// 9 KB of its download for the same bytes.
pub fn bundle_json(device: &str, created: i64, edits: Vec<Entry>) -> String {
    let mut out =
        format!("{{\"format\":\"{BUNDLE_FORMAT}\",\"version\":{FILE_VERSION},\"device\":");
    crate::domain::log::wire::string(&mut out, device);
    out.push_str(&format!(",\"created\":{created},\"edits\":"));
    out.push_str(&crate::domain::log::wire::write_entries(&edits));
    out.push('}');
    out
}

pub fn read_bundle(text: &str) -> Result<Bundle, FileError> {
    check_header(text, BUNDLE_FORMAT)?;
    let bundle: Bundle = serde_json::from_str(text).map_err(|_| FileError::NotABundle)?;
    check_entries(&bundle.edits)?;
    Ok(bundle)
}

/// Every edit of a file must be one this app could have made, within the
/// limits a person typing meets; one that is not refuses the whole file.
fn check_entries(entries: &[Entry]) -> Result<(), FileError> {
    for (i, entry) in entries.iter().enumerate() {
        check_entry(entry).map_err(|fault| FileError::BadEdit {
            position: i + 1,
            id: entry.id().to_string(),
            fault,
        })?;
    }
    Ok(())
}

pub fn backup_json(backup: &Backup) -> String {
    serde_json::to_string(backup).unwrap_or_default()
}

pub fn read_backup(text: &str) -> Result<Backup, FileError> {
    check_header(text, BACKUP_FORMAT)?;
    let backup: Backup = serde_json::from_str(text).map_err(|_| FileError::NotABundle)?;
    check_entries(&backup.edits)?;
    Ok(backup)
}

/// What a bundle would add: the entries not yet held, each once.
pub fn new_entries<'a>(ledger: &Ledger, entries: &'a [Entry]) -> Vec<&'a Entry> {
    let mut seen = BTreeSet::new();
    entries
        .iter()
        .filter(|e| !ledger.contains_edit(e.id()) && seen.insert(e.id()))
        .collect()
}

/// The readable edits among entries.
pub fn readable(entries: &[Entry]) -> Vec<Edit> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Edit(edit) => Some(edit.clone()),
            Entry::Unreadable(_) => None,
        })
        .collect()
}

/// Per writer, the highest edit sequence number sent to a recipient: what a
/// "since the last export to them" bundle leaves out.
pub type Sent = BTreeMap<String, u64>;

fn covered(id: &EditId, sent: &Sent) -> bool {
    sent.get(&id.writer).is_some_and(|max| id.seq <= *max)
}

/// The entries a recipient has not been sent yet.
pub fn unsent(entries: impl IntoIterator<Item = Entry>, sent: &Sent) -> Vec<Entry> {
    entries
        .into_iter()
        .filter(|e| !covered(e.id(), sent))
        .collect()
}

/// How many of `ids` are not covered by `sent` (no copies made).
pub fn count_unsent<'a>(ids: impl IntoIterator<Item = &'a EditId>, sent: &Sent) -> usize {
    ids.into_iter().filter(|id| !covered(id, sent)).count()
}

/// The highest sequence of `writer` that the stored `sent_to_text` says was
/// carried off (0: none). For the field app's counts: a scan of the lines
/// instead of a map keeps its download small.
pub fn exported_mark(exported: &str, writer: &str) -> u64 {
    exported
        .lines()
        .filter_map(writer_and_sequence)
        .filter(|(w, _)| *w == writer)
        .map(|(_, n)| n)
        .max()
        .unwrap_or(0)
}

fn writer_and_sequence(line: &str) -> Option<(&str, u64)> {
    let (writer, n) = line.rsplit_once(':')?;
    Some((writer, n.parse().ok()?))
}

/// `writer:n` lines: how `Sent` is stored where a JSON reader would cost the
/// field app's download.
pub fn sent_to_text(sent: &Sent) -> String {
    sent.iter()
        .map(|(writer, n)| format!("{writer}:{n}\n"))
        .collect()
}

/// Reads `sent_to_text`; lines that do not parse are skipped.
pub fn sent_from_text(text: &str) -> Sent {
    // Inserted one by one: collecting a map would bring in a sort of its own.
    let mut sent = Sent::new();
    for (w, n) in text.lines().filter_map(writer_and_sequence) {
        sent.insert(w.to_owned(), n);
    }
    sent
}

/// `sent` after also sending `ids`.
pub fn mark_sent<'a>(sent: &mut Sent, ids: impl IntoIterator<Item = &'a EditId>) {
    for id in ids {
        let max = sent.entry(id.writer.clone()).or_insert(0);
        *max = (*max).max(id.seq);
    }
}
