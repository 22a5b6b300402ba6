//! .xlsx out and in (the `ledger-sheets` crate): the workbook's shape, and the
//! exact round trip of the app's own export, as written here and as
//! LibreOffice Calc saves it again (fixtures converted headless, below).

mod common;

use calamine::{Data, Reader, Xlsx};
use ledger_sheets::{read_xlsx, write_xlsx};
use project_ledger::domain::exchange::{plan_csv, plan_sheet, FileError, ImportPlan};
use project_ledger::domain::export::{projects_csv, workbook, ReadSheet, Sheet};
use project_ledger::domain::fieldwork::{BlockerLevel, NewBlocker, Record, RecordKind};
use project_ledger::domain::people::Role;
use project_ledger::domain::{Change, Date, Ledger, Procedure, Project};
use std::io::Read;

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// Texts a spreadsheet round trip could change: spaces at either end, a
/// leading tab or CR, formula-like text, apostrophes of one's own.
const TRICKY: [&str; 9] = [
    "  前后有空格  ",
    "\t=1",
    "\r=1+1",
    "=1+1",
    "'撇号开头",
    "'=不是公式",
    "''两个撇号",
    "-5 吨",
    "末尾制表符\t",
];

/// The ledger every fixture was exported from: tricky text, dates, money,
/// stewards of three roles, a blocker and a visit.
fn fixture_ledger() -> Ledger {
    let mut changes = vec![
        ("p-city", common::person("张市长", Role::CityLeader)),
        ("p-gov", common::person("李区长", Role::DistrictGovernment)),
        ("p-team", common::person("王管家", Role::ServiceTeam)),
        ("hc-07", Change::Assign("p-team".into())),
        ("hc-07", Change::Assign("p-city".into())),
        ("hc-07", Change::Assign("p-gov".into())),
        (
            "hc-07",
            Change::Notes("备注，含逗号和\"引号\"\n第二行".into()),
        ),
        ("hc-02", Change::InvestmentWan(Some(12600.5))),
        ("hc-03", Change::InvestmentWan(Some(80000.0))),
        ("hc-02", Change::SignedOn(Some(d("2024-03-01")))),
        ("hc-02", Change::PlannedStart(Some(d("2024-04-01")))),
        (
            "hc-02",
            Change::Procedure {
                procedure: Procedure::Land,
                done: true,
                date: Some(d("2024-02-29")),
            },
        ),
        (
            "hc-07",
            Change::OpenBlocker(NewBlocker {
                description: "=用地手续未批".into(),
                level: BlockerLevel::District,
                unit: "海城市自然资源局".into(),
                opened: d("2024-03-04"),
                deadline: Some(d("2024-04-30")),
            }),
        ),
        (
            "hc-07",
            Change::AddRecord(Record {
                date: d("2024-03-05"),
                kind: RecordKind::Visit,
                who: Some("p-team".into()),
                notes: "现场走访".into(),
            }),
        ),
    ];
    let projects = [
        "hc-01", "hc-02", "hc-03", "hc-04", "hc-05", "hc-06", "hc-08", "hc-09", "hc-10",
    ];
    for (project, text) in projects.iter().zip(TRICKY) {
        changes.push((*project, Change::Notes(text.into())));
        changes.push((*project, Change::Owner(text.into())));
    }
    common::ledger_with(changes)
}

fn all(ledger: &Ledger) -> Vec<&Project> {
    ledger.projects().collect()
}

/// As the office app exports: the sheets handed to the spreadsheet module
/// serialized, read back there, then written.
fn export_xlsx(ledger: &Ledger) -> Vec<u8> {
    let sheets = workbook(ledger, &all(ledger));
    let handed: Vec<Sheet> =
        serde_json::from_str(&serde_json::to_string(&sheets).unwrap()).unwrap();
    assert_eq!(handed, sheets, "handed over as it was");
    write_xlsx(&handed).unwrap()
}

/// As the office app imports: the sheet the module read, handed back serialized.
fn import_xlsx(ledger: &Ledger, bytes: &[u8]) -> ImportPlan {
    let sheet = read_xlsx(bytes).expect("a workbook");
    let handed: ReadSheet = serde_json::from_str(&serde_json::to_string(&sheet).unwrap()).unwrap();
    assert_eq!(handed, sheet, "handed back as it was");
    plan_sheet(ledger, handed).unwrap()
}

/// Importing into the ledger the file came from changes nothing.
fn assert_unchanged(ledger: &Ledger, plan: &ImportPlan) {
    assert_eq!(plan.rejected, vec![]);
    assert!(plan.added.is_empty(), "{:?}", plan.added);
    assert!(plan.updated.is_empty(), "{:?}", plan.updated);
    assert_eq!(plan.unchanged, ledger.projects().count());
}

/// Importing into a fresh ledger brings every tricky text over as it was.
fn assert_carries_the_text(plan: &ImportPlan) {
    let changes: Vec<(&str, Change)> = plan
        .updated
        .iter()
        .flat_map(|row| {
            row.changes
                .iter()
                .map(|c| (row.project.as_deref().unwrap(), c.clone()))
        })
        .collect();
    let target = common::ledger_with(changes);
    let projects = [
        "hc-01", "hc-02", "hc-03", "hc-04", "hc-05", "hc-06", "hc-08", "hc-09", "hc-10",
    ];
    for (project, text) in projects.iter().zip(TRICKY) {
        let p = target.project(project).unwrap();
        assert_eq!(
            (p.notes.as_str(), p.owner.as_str()),
            (text, text),
            "{project}"
        );
    }
    let hc02 = target.project("hc-02").unwrap();
    assert_eq!(hc02.investment_wan, Some(12600.5));
    assert_eq!(hc02.signed_on, Some(d("2024-03-01")));
    let land = Procedure::ALL
        .iter()
        .position(|p| *p == Procedure::Land)
        .unwrap();
    assert_eq!(hc02.procedures[land].date, Some(d("2024-02-29")));
    assert_eq!(
        target.project("hc-03").unwrap().investment_wan,
        Some(80000.0)
    );
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/{name}")).unwrap()
}

/// The part of the zip named `name`, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_export_is_three_sheets_with_typed_cells_a_frozen_header_and_no_formulas() {
    let ledger = fixture_ledger();
    let bytes = export_xlsx(&ledger);
    // The source of the LibreOffice fixtures (tests/fixtures/README.md).
    std::fs::create_dir_all("target/sheets-fixture").unwrap();
    std::fs::write("target/sheets-fixture/export.xlsx", &bytes).unwrap();
    std::fs::write(
        "target/sheets-fixture/export.csv",
        projects_csv(&ledger, &all(&ledger)),
    )
    .unwrap();

    let mut book = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["项目", "未解决问题", "最近走访"]);
    let projects = book.worksheet_range("项目").unwrap();
    let header: Vec<String> = projects
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row_of = |id: &str| {
        projects
            .rows()
            .find(|r| r[0] == Data::String(id.into()))
            .unwrap()
    };
    let hc02 = row_of("hc-02");
    assert_eq!(
        hc02[col("总投资（万元）")],
        Data::Float(12600.5),
        "万元 as a number"
    );
    for (column, day) in [
        ("签约日期", (2024, 3, 1)),
        ("计划开工日期", (2024, 4, 1)),
        ("土地日期", (2024, 2, 29)),
    ] {
        match &hc02[col(column)] {
            Data::DateTime(date) if date.is_datetime() => {
                let (y, m, d, ..) = date.to_ymd_hms_milli();
                assert_eq!((y, m, d), day, "{column}");
            }
            other => panic!("{column} as a date, not {other:?}"),
        }
    }
    let hc07 = row_of("hc-07");
    assert_eq!(hc07[col("包保市级领导")], Data::String("张市长".into()));
    assert_eq!(hc07[col("包保区县领导")], Data::String("李区长".into()));
    assert_eq!(hc07[col("包保服务专班")], Data::String("王管家".into()));
    assert_eq!(
        row_of("hc-04")[col("备注")],
        Data::String("=1+1".into()),
        "text, not a formula"
    );

    let blockers = book.worksheet_range("未解决问题").unwrap();
    assert_eq!(blockers.height(), 2, "header and hc-07's one open blocker");
    assert_eq!(
        blockers.get((1, 3)),
        Some(&Data::String("=用地手续未批".into()))
    );
    let visits = book.worksheet_range("最近走访").unwrap();
    assert_eq!(visits.height(), 2);
    assert_eq!(visits.get((1, 4)), Some(&Data::String("王管家".into())));

    for sheet in 1..=3 {
        let xml = part(&bytes, &format!("xl/worksheets/sheet{sheet}.xml"));
        assert!(
            xml.contains(r#"state="frozen""#) && xml.contains(r#"ySplit="1""#),
            "frozen header, sheet {sheet}"
        );
        assert!(xml.contains("<cols>"), "column widths, sheet {sheet}");
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "no formula anywhere, sheet {sheet}"
        );
    }
}

#[test]
fn columns_are_as_wide_as_their_text() {
    let bytes = export_xlsx(&fixture_ledger());
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    let widths: Vec<f64> = xml
        .split("<col ")
        .skip(1)
        .map(|c| {
            c.split(r#"width=""#)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    // 编号 (hc-07: 5 wide, at least 6), 项目名称 (long Chinese names: the cap, 60).
    assert!(widths[0] < 10.0, "{widths:?}");
    assert!(widths[1] > 55.0, "{widths:?}");
}

#[test]
fn exporting_then_importing_the_xlsx_changes_nothing() {
    let ledger = fixture_ledger();
    let bytes = export_xlsx(&ledger);
    assert_unchanged(&ledger, &import_xlsx(&ledger, &bytes));
    assert_carries_the_text(&import_xlsx(&common::ledger_with(vec![]), &bytes));
}

#[test]
fn exporting_then_importing_the_csv_changes_nothing() {
    let ledger = fixture_ledger();
    let csv = projects_csv(&ledger, &all(&ledger));
    assert_unchanged(&ledger, &plan_csv(&ledger, &csv).unwrap());
    assert_carries_the_text(&plan_csv(&common::ledger_with(vec![]), &csv).unwrap());
}

#[test]
fn the_xlsx_as_libreoffice_saves_it_again_changes_nothing() {
    let ledger = fixture_ledger();
    let bytes = fixture("libreoffice-resaved.xlsx");
    assert_unchanged(&ledger, &import_xlsx(&ledger, &bytes));
    assert_carries_the_text(&import_xlsx(&common::ledger_with(vec![]), &bytes));
}

#[test]
fn the_xlsx_converted_to_csv_by_libreoffice_changes_nothing() {
    let ledger = fixture_ledger();
    let text = String::from_utf8(fixture("libreoffice-from-xlsx.csv")).unwrap();
    assert_unchanged(&ledger, &plan_csv(&ledger, &text).unwrap());
    assert_carries_the_text(&plan_csv(&common::ledger_with(vec![]), &text).unwrap());
}

/// LibreOffice's CSV import turns a CR inside a field into LF (seen in the
/// fixture), so of the tricky texts the CR-led one alone comes back changed,
/// by LibreOffice; everything else, the guard's apostrophes included, exactly.
#[test]
fn the_csv_converted_to_xlsx_by_libreoffice_changes_only_what_libreoffice_changed() {
    let ledger = fixture_ledger();
    let bytes = fixture("libreoffice-from-csv.xlsx");
    let plan = import_xlsx(&ledger, &bytes);
    assert_eq!(plan.rejected, vec![]);
    assert!(plan.added.is_empty());
    let changed: Vec<(&str, &[Change])> = plan
        .updated
        .iter()
        .map(|r| (r.project.as_deref().unwrap(), r.changes.as_slice()))
        .collect();
    let lf = "'\n=1+1".to_owned();
    assert_eq!(
        changed,
        vec![("hc-03", &[Change::Owner(lf.clone()), Change::Notes(lf)][..])]
    );
    assert_eq!(plan.unchanged, ledger.projects().count() - 1);
    let carried = import_xlsx(&common::ledger_with(vec![]), &bytes);
    let texts: Vec<(String, Change)> = carried
        .updated
        .iter()
        .flat_map(|r| {
            r.changes
                .iter()
                .map(|c| (r.project.clone().unwrap(), c.clone()))
        })
        .collect();
    let projects = [
        "hc-01", "hc-02", "hc-03", "hc-04", "hc-05", "hc-06", "hc-08", "hc-09", "hc-10",
    ];
    for (project, text) in projects.iter().zip(TRICKY).filter(|(p, _)| **p != "hc-03") {
        assert!(
            texts.contains(&(project.to_string(), Change::Notes(text.into()))),
            "{project} {text:?}"
        );
    }
}

#[test]
fn a_workbook_without_the_ledger_columns_or_no_workbook_at_all_is_refused() {
    use rust_xlsxwriter::Workbook;
    let mut other = Workbook::new();
    other
        .add_worksheet()
        .set_name("Sheet1")
        .unwrap()
        .write_string(0, 0, "姓名")
        .unwrap();
    let bytes = other.save_to_buffer().unwrap();
    let sheet = read_xlsx(&bytes).unwrap();
    assert_eq!(
        plan_sheet(&common::ledger_with(vec![]), sheet),
        Err(FileError::NotALedgerSheet {
            sheet: "Sheet1".into()
        })
    );
    assert_eq!(read_xlsx(b"PK\x03\x04 not really a zip"), None);
    assert_eq!(read_xlsx(&[]), None);
    let empty = Workbook::new().save_to_buffer().unwrap();
    let sheet = read_xlsx(&empty).unwrap();
    assert_eq!(
        plan_sheet(&common::ledger_with(vec![]), sheet),
        Err(FileError::Empty)
    );
}

#[test]
fn the_projects_sheet_is_read_wherever_it_is_and_rows_keep_their_numbers() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "本表由区县填报")
        .unwrap();
    let sheet = book.add_worksheet().set_name("项目").unwrap();
    // The table starts at C3: two empty rows and columns before it.
    sheet.write_string(2, 2, "编号").unwrap();
    sheet.write_string(2, 3, "阶段").unwrap();
    sheet.write_string(3, 2, "hc-01").unwrap();
    sheet.write_string(3, 3, "在建").unwrap();
    let sheet = read_xlsx(&book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(sheet.name, "项目");
    let plan = plan_sheet(&common::ledger_with(vec![]), sheet).unwrap();
    assert_eq!(plan.rejected.len(), 1);
    assert_eq!(
        plan.rejected[0].line, 4,
        "the row as the spreadsheet numbers it"
    );
}
