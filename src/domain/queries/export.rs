//! What an export holds, as sheets of text cells with a type per column: the
//! CSV for Excel writes the projects sheet (UTF-8 with a byte-order mark, so
//! Excel shows Chinese; CRLF line ends), the .xlsx (`crate::sheets`) all three
//! with numbers and dates typed. One model, so both carry the same columns.

use crate::domain::log::ledger::Ledger;
use crate::domain::queries::agenda::open_blockers;
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::RecordKind;
use crate::domain::vocab::people::Role;
use crate::domain::vocab::project::{ClusterBy, Procedure, Project};
use serde::{Deserialize, Serialize};

pub(crate) const BOM: &str = "\u{feff}";

/// What a cell may start with that a spreadsheet could run as a formula
/// (a leading tab or CR is skipped by some before they look), and the
/// guard's own apostrophe, so that text starting with one reads back as it was.
pub(crate) const GUARDED: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Whether a text is written with a leading apostrophe, which the import
/// takes off again. In CSV, all that could run as a formula; in a
/// spreadsheet's text cell nothing runs, so only text whose own apostrophe
/// the import would otherwise take for a guard (`'=x`, `''x`).
pub fn guarded(text: &str, csv: bool) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('\'') => chars.next().is_some_and(|c| GUARDED.contains(&c)),
        Some(c) => csv && GUARDED.contains(&c),
        None => false,
    }
}

/// How a column's cells are typed in a spreadsheet (CSV writes all as text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Text,
    /// Written as it reads (`format_wan`), a number in a spreadsheet.
    Number,
    /// YYYY-MM-DD, a date in a spreadsheet.
    Date,
}

/// One sheet of an export: its name, its columns (Chinese header, type) and
/// a row of text cells per item; an empty cell is an unknown value. The
/// office app hands the export's sheets to the spreadsheet module as these,
/// serialized (`src/bin/sheets.rs`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub columns: Vec<(String, Kind)>,
    pub rows: Vec<Vec<String>>,
}

/// A workbook's sheet as the import reads it (项目, else the first): its name
/// and its rows of cell text, row 1 first, so a row's place is its number in
/// the spreadsheet. What the spreadsheet module hands back, serialized.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadSheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// The projects sheet's name; an imported workbook's sheet of this name is
/// read before its first.
pub const PROJECTS_SHEET: &str = "项目";

/// The stewards' columns: a project's stewards split by role, leaders first.
pub const STEWARD_COLUMNS: [&str; 3] = ["包保市级领导", "包保区县领导", "包保服务专班"];

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn columns(list: &[(&str, Kind)]) -> Vec<(String, Kind)> {
    list.iter().map(|(h, k)| (h.to_string(), *k)).collect()
}

/// A project's stewards' names, one text per `STEWARD_COLUMNS`, joined by 、.
fn steward_groups(ledger: &Ledger, project: &Project) -> [String; 3] {
    let mut groups: [Vec<&str>; 3] = Default::default();
    for person in ledger.stewards_in_order(project) {
        let group = match person.details.role {
            Role::CityLeader => 0,
            Role::ServiceTeam => 2,
            _ => 1,
        };
        groups[group].push(&person.details.name);
    }
    groups.map(|names| names.join("、"))
}

/// One row a project: every field the import reads, and what it shows only.
pub fn projects_sheet(ledger: &Ledger, projects: &[&Project]) -> Sheet {
    use Kind::{Date as D, Number as N, Text as T};
    let mut header = columns(&[
        ("编号", T),
        ("项目名称", T),
        ("业主单位", T),
        ("区县", T),
        ("所在名单", T),
        ("类别", T),
        ("建设规模", T),
        ("产业集群", T),
        ("集群来源", T),
        ("阶段", T),
    ]);
    for p in Procedure::ALL {
        header.push((p.name().to_owned(), T));
        header.push((format!("{}日期", p.name()), D));
    }
    header.extend(columns(&[
        ("签约日期", D),
        ("计划开工日期", D),
        ("实际开工日期", D),
        ("总投资（万元）", N),
    ]));
    header.extend(STEWARD_COLUMNS.map(|c| (c.to_owned(), T)));
    header.extend(columns(&[("备注", T), ("出处", T)]));
    let rows = projects
        .iter()
        .map(|p| {
            let mut fields = vec![
                p.id.clone(),
                p.name.clone(),
                p.owner.clone(),
                p.district.map_or(String::new(), |d| d.name().to_owned()),
                p.list.clone(),
                p.category.clone(),
                p.scale.clone(),
                p.cluster.map_or(String::new(), |c| c.name().to_owned()),
                match p.cluster_by {
                    Some(ClusterBy::Ledger) => "本应用分类".to_owned(),
                    Some(ClusterBy::User) => "用户填写".to_owned(),
                    None => String::new(),
                },
                p.stage.map_or(String::new(), |s| s.name().to_owned()),
            ];
            for state in &p.procedures {
                fields.push(if state.done { "已办" } else { "未办" }.to_owned());
                fields.push(date(state.date));
            }
            fields.extend([
                date(p.signed_on),
                date(p.planned_start),
                date(p.actual_start),
                p.investment_wan
                    .map(crate::domain::rules::validate::format_wan)
                    .unwrap_or_default(),
            ]);
            fields.extend(steward_groups(ledger, p));
            fields.extend([p.notes.clone(), p.source.clone()]);
            fields
        })
        .collect();
    Sheet {
        name: PROJECTS_SHEET.to_owned(),
        columns: header,
        rows,
    }
}

fn district_name(p: &Project) -> String {
    p.district.map_or(String::new(), |d| d.name().to_owned())
}

/// Every open blocker of the projects, oldest first, with who answers for it now.
pub fn open_blockers_sheet(projects: &[&Project]) -> Sheet {
    use Kind::{Date as D, Text as T};
    let rows = open_blockers(projects.iter().copied())
        .into_iter()
        .map(|(p, b)| {
            vec![
                p.id.clone(),
                p.name.clone(),
                district_name(p),
                b.opened_as.description.clone(),
                b.level().name().to_owned(),
                b.unit().to_owned(),
                b.person().to_owned(),
                b.opened_as.opened.to_string(),
                date(b.deadline()),
                b.progress
                    .last()
                    .map_or(String::new(), |(day, note)| format!("{day} {note}")),
            ]
        })
        .collect();
    Sheet {
        name: "未解决问题".to_owned(),
        columns: columns(&[
            ("编号", T),
            ("项目名称", T),
            ("区县", T),
            ("问题", T),
            ("层级", T),
            ("责任单位", T),
            ("责任人", T),
            ("提出日期", D),
            ("完成时限", D),
            ("最新进展", T),
        ]),
        rows,
    }
}

/// Each project's latest visit (走访), for those that had one.
pub fn latest_visits_sheet(ledger: &Ledger, projects: &[&Project]) -> Sheet {
    use Kind::{Date as D, Text as T};
    let rows = projects
        .iter()
        .filter_map(|p| {
            let visit = p
                .records
                .iter()
                .map(|(_, r)| r)
                .filter(|r| r.kind == RecordKind::Visit)
                // The latest date; of one day, the one recorded last.
                .reduce(|a, b| if b.date >= a.date { b } else { a })?;
            let who = visit
                .who
                .as_deref()
                .map(|id| ledger.person_name(id).unwrap_or(id).to_owned())
                .unwrap_or_default();
            Some(vec![
                p.id.clone(),
                p.name.clone(),
                district_name(p),
                visit.date.to_string(),
                who,
                visit.notes.clone(),
            ])
        })
        .collect();
    Sheet {
        name: "最近走访".to_owned(),
        columns: columns(&[
            ("编号", T),
            ("项目名称", T),
            ("区县", T),
            ("走访日期", D),
            ("人员", T),
            ("情况", T),
        ]),
        rows,
    }
}

/// The .xlsx export: projects, their open blockers, their latest visits.
pub fn workbook(ledger: &Ledger, projects: &[&Project]) -> Vec<Sheet> {
    vec![
        projects_sheet(ledger, projects),
        open_blockers_sheet(projects),
        latest_visits_sheet(ledger, projects),
    ]
}

/// Quotes a field when it needs it; text that a spreadsheet would run as a
/// formula gets a leading apostrophe, as Excel itself writes.
fn field(text: &str, out: &mut String) {
    let guarded = guarded(text, true);
    let quoted = guarded || text.contains([',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

fn row<'a>(fields: impl Iterator<Item = &'a str>, out: &mut String) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(f, out);
    }
    out.push_str("\r\n");
}

/// A sheet as CSV: its header, then its rows.
fn sheet_csv(sheet: &Sheet) -> String {
    let mut out = String::from(BOM);
    row(sheet.columns.iter().map(|(h, _)| h.as_str()), &mut out);
    for r in &sheet.rows {
        row(r.iter().map(String::as_str), &mut out);
    }
    out
}

/// The projects as CSV.
pub fn projects_csv(ledger: &Ledger, projects: &[&Project]) -> String {
    sheet_csv(&projects_sheet(ledger, projects))
}
