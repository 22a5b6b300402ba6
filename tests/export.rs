mod common;

use project_ledger::domain::export::projects_csv;
use project_ledger::domain::people::Role;
use project_ledger::domain::{Change, Date, Ledger, Procedure, Project};

fn exported(changes: Vec<(&str, Change)>) -> (Ledger, String) {
    // hc-07's stewards, assigned service team first: the export lists each
    // role's own column, leaders first within one.
    let mut all = vec![
        ("p-team", common::person("王五", Role::ServiceTeam)),
        ("p-gov", common::person("赵六", Role::DistrictGovernment)),
        ("p-party", common::person("李四", Role::DistrictParty)),
        ("p-city", common::person("张三", Role::CityLeader)),
    ];
    for id in ["p-team", "p-gov", "p-party", "p-city"] {
        all.push(("hc-07", Change::Assign(id.into())));
    }
    all.extend(changes);
    let ledger = common::ledger_with(all);
    let projects: Vec<&Project> = ledger.projects().collect();
    let csv = projects_csv(&ledger, &projects);
    (ledger, csv)
}

#[test]
fn excel_gets_a_bom_chinese_headers_and_one_row_a_project() {
    let (ledger, csv) = exported(vec![]);
    assert!(csv.starts_with('\u{feff}'), "UTF-8 byte-order mark");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    for name in [
        "编号",
        "项目名称",
        "区县",
        "阶段",
        "立项",
        "立项日期",
        "施工许可",
        "计划开工日期",
        "总投资（万元）",
        "包保市级领导",
        "包保区县领导",
        "包保服务专班",
    ] {
        assert!(header.iter().any(|h| h == name), "{name}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), ledger.projects().count());
    let huayu = rows.iter().find(|r| &r[0] == "hc-07").unwrap();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        &huayu[col("项目名称")],
        "海城华宇镁砖有限公司年产12.5万吨无碳低镁质不烧砖建设项目"
    );
    assert_eq!(&huayu[col("阶段")], "开工");
    assert_eq!(&huayu[col("立项")], "已办");
    assert_eq!(&huayu[col("规划许可")], "未办");
    assert_eq!(&huayu[col("包保市级领导")], "张三");
    assert_eq!(&huayu[col("包保区县领导")], "李四、赵六");
    assert_eq!(&huayu[col("包保服务专班")], "王五");
    assert_eq!(&huayu[col("集群来源")], "本应用分类");
    assert!(csv.contains("\r\n"), "CRLF line ends");
}

#[test]
fn dates_money_quotes_and_formulas() {
    let (_, csv) = exported(vec![
        (
            "hc-01",
            Change::Procedure {
                procedure: Procedure::Land,
                done: true,
                date: Date::parse("2024-03-05"),
            },
        ),
        ("hc-01", Change::PlannedStart(Date::parse("2024-04-01"))),
        ("hc-01", Change::InvestmentWan(Some(12600.5))),
        ("hc-01", Change::Notes("含逗号,和\"引号\"\n换行".into())),
        ("hc-02", Change::Name("=HYPERLINK(\"x\")".into())),
    ]);
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let hc01 = rows.iter().find(|r| &r[0] == "hc-01").unwrap();
    assert_eq!(&hc01[col("土地日期")], "2024-03-05");
    assert_eq!(&hc01[col("计划开工日期")], "2024-04-01");
    assert_eq!(&hc01[col("总投资（万元）")], "12600.5");
    assert_eq!(
        &hc01[col("备注")],
        "含逗号,和\"引号\"\n换行",
        "quoted and read back intact"
    );
    let hc02 = rows.iter().find(|r| &r[0] == "hc-02").unwrap();
    assert_eq!(
        &hc02[col("项目名称")],
        "'=HYPERLINK(\"x\")",
        "Excel will not run it as a formula"
    );
}

/// The column table walked (`ProjectColumn`): for every column an import
/// reads, a changed cell is one change of that field; the export of the
/// changed ledger shows the cell so; the digest lists the field and history
/// describes the change with the value. A field added to the table and missed
/// by one of them fails here.
#[test]
fn every_imported_column_goes_through_export_import_digest_and_history() {
    use project_ledger::domain::digest::digest;
    use project_ledger::domain::exchange::plan_csv;
    use project_ledger::domain::export::ProjectColumn as C;
    use project_ledger::domain::{Cluster, Stage};
    let before = common::ledger_with(vec![]);
    let id = "hc-01";
    let mut walked = 0;
    for column in C::all() {
        if !column.imported() || matches!(column, C::Id | C::District) {
            continue;
        }
        let value = match column {
            C::Name => "鞍山表格测试项目".to_owned(),
            C::Owner => "表格测试业主".to_owned(),
            C::Scale => "年产十万吨".to_owned(),
            C::Cluster => Cluster::ALL.last().unwrap().name().to_owned(),
            C::Stage => Stage::ALL.last().unwrap().name().to_owned(),
            C::Procedure(_) => "已办".to_owned(),
            C::ProcedureDate(_) | C::SignedOn | C::PlannedStart | C::ActualStart => {
                "2025-04-01".to_owned()
            }
            C::Investment => "12345.5".to_owned(),
            C::Notes => "表格测试备注".to_owned(),
            other => panic!("{other:?} is imported: give it a value here"),
        };
        assert_ne!(
            column.cell(&before, before.project(id).unwrap()),
            value,
            "{column:?}"
        );
        let csv = format!("编号,{}\r\n{id},{value}\r\n", column.header());
        let plan = plan_csv(&before, &csv).unwrap();
        assert_eq!(plan.rejected, vec![], "{column:?}");
        assert_eq!(plan.updated.len(), 1, "{column:?}");
        let changes = &plan.updated[0].changes;
        assert_eq!(changes.len(), 1, "{column:?}: {changes:?}");
        let change = changes[0].clone();
        let after = common::ledger_with(vec![(id, change.clone())]);
        assert_eq!(
            column.cell(&after, after.project(id).unwrap()),
            value,
            "{column:?}"
        );
        let digested = digest(&before, &after, &[], 0);
        let fields: Vec<_> = digested
            .iter()
            .filter(|d| d.project.id == id)
            .flat_map(|d| d.fields.iter().map(|f| f.field.clone()))
            .collect();
        assert_eq!(
            fields,
            vec![change.field().unwrap()],
            "{column:?}: the digest"
        );
        let told = project_ledger::text::describe_change(&change, &|p: &str| p.to_owned());
        assert!(told.contains(&value), "{column:?}: history says {told:?}");
        walked += 1;
    }
    assert_eq!(
        walked,
        10 + 2 * Procedure::ALL.len(),
        "every imported column walked"
    );
}
