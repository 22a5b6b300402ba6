//! What an export holds, as sheets of text cells with a type per column: the
//! CSV for Excel writes the projects sheet (UTF-8 with a byte-order mark, so
//! Excel shows Chinese; CRLF line ends), the .xlsx (`src/sheets`) all three
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
/// serialized (`src/sheets/main.rs`).
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

/// The projects sheet's columns, in order: one table for the export, which
/// writes them, and the import, which reads a file's headers against them
/// (`exchange`), so each Chinese header is written once. A field that goes
/// to spreadsheets is a variant here; the compiler then asks for its header,
/// kind and cell, and `tests/export.rs` walks the table through export,
/// import, digest and history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectColumn {
    Id,
    Name,
    Owner,
    District,
    List,
    Category,
    Scale,
    Cluster,
    /// Who classified the cluster: the article, this app, a person.
    ClusterBy,
    Stage,
    /// 已办 or 未办.
    Procedure(Procedure),
    /// The procedure's 办结日期.
    ProcedureDate(Procedure),
    SignedOn,
    PlannedStart,
    ActualStart,
    Investment,
    /// The stewards of one group (`Stewards::ALL`), names joined by 、.
    Stewards(Stewards),
    Notes,
    Source,
}

/// A project's stewards split by role for the sheet, leaders first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stewards {
    CityLeaders,
    DistrictLeaders,
    ServiceTeam,
}

impl Stewards {
    pub const ALL: [Stewards; 3] = [
        Stewards::CityLeaders,
        Stewards::DistrictLeaders,
        Stewards::ServiceTeam,
    ];

    fn of(role: Role) -> Stewards {
        match role {
            Role::CityLeader => Stewards::CityLeaders,
            Role::ServiceTeam => Stewards::ServiceTeam,
            _ => Stewards::DistrictLeaders,
        }
    }
}

impl ProjectColumn {
    /// Every column, in the sheet's order.
    pub fn all() -> Vec<ProjectColumn> {
        use ProjectColumn::*;
        let mut all = vec![
            Id, Name, Owner, District, List, Category, Scale, Cluster, ClusterBy, Stage,
        ];
        for &p in self::Procedure::ALL {
            all.extend([Procedure(p), ProcedureDate(p)]);
        }
        // Signing before the actual start: an import sets the earlier date
        // first, so the pair stays valid.
        all.extend([SignedOn, PlannedStart, ActualStart, Investment]);
        all.extend(self::Stewards::ALL.map(Stewards));
        all.extend([Notes, Source]);
        all
    }

    /// Its header, as exported and as the import knows it.
    pub fn header(self) -> String {
        use ProjectColumn::*;
        match self {
            Id => "编号",
            Name => "项目名称",
            Owner => "业主单位",
            District => "区县",
            List => "所在名单",
            Category => "类别",
            Scale => "建设规模",
            Cluster => "产业集群",
            ClusterBy => "集群来源",
            Stage => "阶段",
            Procedure(p) => p.name(),
            ProcedureDate(p) => return format!("{}日期", p.name()),
            SignedOn => "签约日期",
            PlannedStart => "计划开工日期",
            ActualStart => "实际开工日期",
            Investment => "总投资（万元）",
            Stewards(self::Stewards::CityLeaders) => "包保市级领导",
            Stewards(self::Stewards::DistrictLeaders) => "包保区县领导",
            Stewards(self::Stewards::ServiceTeam) => "包保服务专班",
            Notes => "备注",
            Source => "出处",
        }
        .to_owned()
    }

    /// Other headers an import takes for it: hand-made sheets, and the
    /// single 包保 column of earlier exports.
    fn also(self) -> &'static [&'static str] {
        match self {
            ProjectColumn::Investment => &["总投资(万元)", "总投资"],
            ProjectColumn::Stewards(Stewards::CityLeaders) => &["包保"],
            _ => &[],
        }
    }

    /// The column a file's header names, if any.
    pub fn from_header(header: &str) -> Option<ProjectColumn> {
        let header = header.trim();
        ProjectColumn::all()
            .into_iter()
            .find(|c| c.header() == header || c.also().contains(&header))
    }

    pub fn kind(self) -> Kind {
        use ProjectColumn::*;
        match self {
            ProcedureDate(_) | SignedOn | PlannedStart | ActualStart => Kind::Date,
            Investment => Kind::Number,
            _ => Kind::Text,
        }
    }

    /// An import reads it back (the rest it shows and leaves: the article's
    /// facts, what others decide, who stewards, which the 包保 screens change).
    pub fn imported(self) -> bool {
        use ProjectColumn::*;
        !matches!(self, List | Category | ClusterBy | Stewards(_) | Source)
    }

    /// The project's cell in this column; an empty cell is an unknown value.
    pub fn cell(self, ledger: &Ledger, p: &Project) -> String {
        use ProjectColumn::*;
        match self {
            Id => p.id.clone(),
            Name => p.name.clone(),
            Owner => p.owner.clone(),
            District => district_name(p),
            List => p.list.clone(),
            Category => p.category.clone(),
            Scale => p.scale.clone(),
            Cluster => p.cluster.map_or(String::new(), |c| c.name().to_owned()),
            ClusterBy => match p.cluster_by {
                Some(self::ClusterBy::Ledger) => "本应用分类".to_owned(),
                Some(self::ClusterBy::User) => "用户填写".to_owned(),
                None => String::new(),
            },
            Stage => p.stage.map_or(String::new(), |s| s.name().to_owned()),
            Procedure(procedure) => if p.procedure(procedure).done {
                "已办"
            } else {
                "未办"
            }
            .to_owned(),
            ProcedureDate(procedure) => date(p.procedure(procedure).date),
            SignedOn => date(p.signed_on),
            PlannedStart => date(p.planned_start),
            ActualStart => date(p.actual_start),
            Investment => p
                .investment_wan
                .map(crate::domain::rules::validate::format_wan)
                .unwrap_or_default(),
            Stewards(group) => ledger
                .stewards_in_order(p)
                .into_iter()
                .filter(|person| self::Stewards::of(person.details.role) == group)
                .map(|person| person.details.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            Notes => p.notes.clone(),
            Source => p.source.clone(),
        }
    }
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn columns(list: &[(&str, Kind)]) -> Vec<(String, Kind)> {
    list.iter().map(|(h, k)| (h.to_string(), *k)).collect()
}

/// One row a project: every field the import reads, and what it shows only.
pub fn projects_sheet(ledger: &Ledger, projects: &[&Project]) -> Sheet {
    let table = ProjectColumn::all();
    Sheet {
        name: PROJECTS_SHEET.to_owned(),
        columns: table.iter().map(|c| (c.header(), c.kind())).collect(),
        rows: projects
            .iter()
            .map(|p| table.iter().map(|c| c.cell(ledger, p)).collect())
            .collect(),
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
