//! Exchange: CSV round trip and import planning (BOM, GB18030, upsert, every
//! refusal), bundles and backups, conflicts, and arbitrary bytes.

mod common;

use project_ledger::domain::edit::Entry;
use project_ledger::domain::exchange::{
    bundle_json, lenient_date, mark_sent, new_entries, plan_csv, read_backup, read_bundle, unsent,
    FileError, RowError, Sent,
};
use project_ledger::domain::export::projects_csv;
use project_ledger::domain::log::journal::Journal;
use project_ledger::domain::registry::shipped;
use project_ledger::domain::validate::InputError;
use project_ledger::domain::{Change, Date, District, Edit, Ledger, Procedure, Project, Stage};
use proptest::prelude::*;

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn export(ledger: &Ledger) -> String {
    let all: Vec<&Project> = ledger.projects().collect();
    projects_csv(ledger, &all)
}

/// Applies a plan's rows as edits, new projects under `u-<line>`.
fn apply(ledger: &mut Ledger, plan: &project_ledger::domain::exchange::ImportPlan) {
    let mut n = 0;
    for row in plan.added.iter().chain(&plan.updated) {
        let subject = row
            .project
            .clone()
            .or_else(|| row.new_id.clone())
            .unwrap_or_else(|| format!("u-{}", row.line));
        for change in &row.changes {
            n += 1;
            let at = ledger.stamp(1_000 + n);
            ledger.add(common::legacy_edit(
                &format!("import:{n}"),
                "import",
                &subject,
                at,
                change.clone(),
            ));
        }
    }
}

fn edited() -> Ledger {
    common::ledger_with(vec![
        ("hc-02", Change::Stage(Some(Stage::Signed))),
        ("hc-02", Change::SignedOn(Some(d("2024-03-01")))),
        ("hc-02", Change::ActualStart(Some(d("2024-04-02")))),
        ("hc-02", Change::PlannedStart(Some(d("2024-04-01")))),
        (
            "hc-02",
            Change::Procedure {
                procedure: Procedure::Land,
                done: true,
                date: Some(d("2024-02-20")),
            },
        ),
        ("hc-02", Change::InvestmentWan(Some(12600.5))),
        ("hc-02", Change::Notes("含逗号,\"引号\"\n和换行".into())),
        ("hc-03", Change::Owner("=HYPERLINK(\"x\")".into())),
        ("hc-03", Change::Cluster(None)),
        (
            "u-1",
            Change::Create {
                name: "名录外项目".into(),
                district: Some(District::Lishan),
            },
        ),
    ])
}

#[test]
fn export_then_import_changes_nothing() {
    let ledger = edited();
    let plan = plan_csv(&ledger, &export(&ledger)).unwrap();
    assert_eq!(plan.rejected, vec![]);
    assert!(plan.added.is_empty(), "{:?}", plan.added);
    assert!(plan.updated.is_empty(), "{:?}", plan.updated);
    assert_eq!(plan.unchanged, ledger.projects().count());
    assert!(plan.unknown_columns.is_empty());
    assert_eq!(
        plan.ignored_columns,
        vec![
            "所在名单",
            "类别",
            "集群来源",
            "包保市级领导",
            "包保区县领导",
            "包保服务专班",
            "出处"
        ]
    );
}

/// Texts a spreadsheet round trip used to change: spaces at either end, a
/// leading tab or CR before formula-like text, apostrophes of one's own.
const TRICKY: [&str; 8] = [
    "  前后有空格  ",
    "\t=1",
    "\r=1+1",
    "'撇号开头",
    "'=不是公式",
    "''两个撇号",
    "-5 吨",
    "末尾制表符\t",
];

#[test]
fn exact_round_trip_of_spaces_tabs_apostrophes_and_formula_like_text() {
    let projects = [
        "hc-01", "hc-02", "hc-03", "hc-04", "hc-05", "hc-06", "hc-07", "hc-08",
    ];
    let mut changes = Vec::new();
    for (project, text) in projects.iter().zip(TRICKY) {
        changes.push((*project, Change::Notes(text.into())));
        changes.push((*project, Change::Owner(text.into())));
    }
    let source = common::ledger_with(changes);
    let csv = export(&source);
    for line in csv.lines().skip(1) {
        // A field starts after a comma, or after the quote that opens it.
        let starts = ["\t", "\r", "=", "-", "+", "@"];
        for formula in starts
            .iter()
            .flat_map(|s| [format!(",{s}"), format!(",\"{s}")])
        {
            assert!(
                !line.contains(&formula),
                "unguarded {formula:?} in {line:?}"
            );
        }
    }
    let again = plan_csv(&source, &csv).unwrap();
    assert_eq!(again.rejected, vec![]);
    assert!(again.updated.is_empty(), "{:?}", again.updated);
    let mut target = common::ledger_with(vec![]);
    let plan = plan_csv(&target, &csv).unwrap();
    apply(&mut target, &plan);
    for (project, text) in projects.iter().zip(TRICKY) {
        let p = target.project(project).unwrap();
        assert_eq!((p.notes.as_str(), p.owner.as_str()), (text, text));
    }
}

#[test]
fn refusals_suggest_the_value_meant_or_list_the_valid_ones() {
    let ledger = common::ledger_with(vec![]);
    let csv = "编号,区县,阶段,产业集群\r\n\
               hc-01,海城,,\r\n\
               hc-01,,在建,\r\n\
               hc-01,,,钢铁\r\n";
    let reasons: Vec<String> = plan_csv(&ledger, csv)
        .unwrap()
        .rejected
        .iter()
        .map(|r| project_ledger::text::row_error(&r.error))
        .collect();
    assert_eq!(reasons[0], "区县无法识别：海城，是否应为“海城市”？");
    let stages: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(
        reasons[1],
        format!("阶段无法识别：在建，可填：{}、阶段未填", stages.join("、"))
    );
    assert!(
        reasons[2].starts_with("产业集群无法识别：钢铁，"),
        "{}",
        reasons[2]
    );
}

#[test]
fn the_preview_knows_each_field_before_the_import() {
    let ledger = common::ledger_with(vec![("hc-01", Change::Notes("旧备注".into()))]);
    let plan = plan_csv(&ledger, "编号,备注\r\nhc-01,新备注\r\n").unwrap();
    let row = &plan.updated[0];
    assert_eq!(row.changes, vec![Change::Notes("新备注".into())]);
    assert_eq!(
        row.old_values(&ledger),
        vec![Some(Change::Notes("旧备注".into()))]
    );
    assert_eq!(
        project_ledger::text::old_to_new("备注：旧备注", "备注：新备注"),
        "备注：旧备注 → 新备注"
    );
    assert_eq!(
        project_ledger::text::old_to_new("备注：清空", "备注：新"),
        "备注：（空） → 新"
    );
    assert_eq!((plan.row_count(), plan.change_count()), (1, 1));
}

#[test]
fn an_exported_file_brings_another_ledger_to_the_same_state() {
    let source = edited();
    let mut target = common::ledger_with(vec![]);
    let plan = plan_csv(&target, &export(&source)).unwrap();
    assert_eq!(plan.rejected, vec![]);
    assert_eq!(plan.updated.len(), 2, "hc-02 and hc-03");
    assert_eq!(
        plan.added.len(),
        1,
        "the user-added project, matched by neither id nor name"
    );
    assert_eq!(plan.added[0].new_id.as_deref(), Some("u-1"), "keeps its id");
    apply(&mut target, &plan);
    assert_eq!(
        target.project("u-1").unwrap().district,
        Some(District::Lishan)
    );
    for id in ["hc-02", "hc-03"] {
        let (a, b) = (source.project(id).unwrap(), target.project(id).unwrap());
        assert_eq!(
            (
                &a.stage,
                &a.procedures,
                a.signed_on,
                a.actual_start,
                a.investment_wan,
                &a.notes,
                &a.owner,
                a.cluster
            ),
            (
                &b.stage,
                &b.procedures,
                b.signed_on,
                b.actual_start,
                b.investment_wan,
                &b.notes,
                &b.owner,
                b.cluster
            )
        );
    }
    assert_eq!(
        target.project("hc-03").unwrap().owner,
        "=HYPERLINK(\"x\")",
        "formula guard undone"
    );
    let again = plan_csv(&target, &export(&source)).unwrap();
    assert!(
        again.updated.is_empty() && again.added.is_empty(),
        "importing twice adds nothing"
    );
}

fn check_fixture(text: &str) {
    let ledger = common::ledger_with(vec![]);
    let plan = plan_csv(&ledger, text).unwrap();
    assert_eq!(plan.rejected, vec![]);
    assert_eq!(
        plan.unknown_columns,
        vec!["来源说明"],
        "reported, not dropped"
    );
    assert_eq!(plan.updated.len(), 1);
    let hc07 = &plan.updated[0];
    assert_eq!(hc07.project.as_deref(), Some("hc-07"));
    assert!(hc07
        .changes
        .contains(&Change::Stage(Some(Stage::Completed))));
    assert!(
        hc07.changes.contains(&Change::Procedure {
            procedure: Procedure::Approval,
            done: true,
            date: Some(d("2023-06-01"))
        }),
        "2023/6/1 as a spreadsheet writes it"
    );
    assert!(hc07
        .changes
        .contains(&Change::Notes("天然气管线已接入".into())));
    assert_eq!(plan.added.len(), 1);
    let new = &plan.added[0];
    assert_eq!(
        new.changes[0],
        Change::Create {
            name: "鞍山市名录外补录项目".into(),
            district: Some(District::Taian)
        }
    );
    assert!(new
        .changes
        .contains(&Change::Notes("含逗号,和\"引号\"的备注".into())));
}

#[test]
fn utf8_with_bom_imports() {
    let bytes = std::fs::read("tests/fixtures/import-utf8-bom.csv").unwrap();
    assert_eq!(&bytes[..3], b"\xef\xbb\xbf");
    check_fixture(std::str::from_utf8(&bytes).unwrap());
}

#[test]
fn gb18030_as_chinese_excel_saves_it_imports_once_decoded() {
    let bytes = std::fs::read("tests/fixtures/import-gb18030.csv").unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "really GB18030, not UTF-8"
    );
    let (text, _, errors) = encoding_rs::GB18030.decode(&bytes);
    assert!(!errors);
    check_fixture(&text);
}

#[test]
fn rows_update_by_id_or_by_name_and_district_and_never_duplicate() {
    let mut ledger = common::ledger_with(vec![(
        "u-9",
        Change::Create {
            name: "补录项目".into(),
            district: Some(District::Tiexi),
        },
    )]);
    let csv = "编号,项目名称,区县,阶段\r\n\
               ,补录项目,铁西区,开工\r\n\
               ,补录项目,铁东区,开工\r\n\
               ta-02,,,签约\r\n";
    let plan = plan_csv(&ledger, csv).unwrap();
    assert_eq!(
        plan.rejected.len(),
        1,
        "ta-02 with an empty name: {:?}",
        plan.rejected
    );
    assert_eq!(plan.updated.len(), 1);
    assert_eq!(
        plan.updated[0].project.as_deref(),
        Some("u-9"),
        "matched by name and district"
    );
    assert_eq!(
        plan.added.len(),
        1,
        "same name, other district: a new project"
    );
    apply(&mut ledger, &plan);
    let count = ledger.projects().filter(|p| p.name == "补录项目").count();
    assert_eq!(count, 2);
}

#[test]
fn every_refusal_has_its_line_and_reason() {
    let ledger = common::ledger_with(vec![]);
    let csv = "编号,项目名称,区县,阶段,产业集群,土地,签约日期,实际开工日期,总投资（万元）\r\n\
               nope-1,x,,,,,,,\r\n\
               ,,海城市,,,,,,\r\n\
               ,新项目甲,火星区,,,,,,\r\n\
               ,新项目乙,,半开工,,,,,\r\n\
               ,新项目丙,,,航天,,,,\r\n\
               ,新项目丁,,,,办了,,,\r\n\
               ,新项目戊,,,,,2024-13-01,,\r\n\
               ,新项目己,,,,,,,-5\r\n\
               ,新项目庚,,,,,2024-03-02,2024-03-01,\r\n\
               hc-01,华能集团“生态治理+新能源开发+新能源高端装备制造产业”融合发展项目,海城市,开工,,,,,\r\n\
               hc-01,华能集团“生态治理+新能源开发+新能源高端装备制造产业”融合发展项目,海城市,签约,,,,,\r\n";
    let plan = plan_csv(&ledger, csv).unwrap();
    let reasons: Vec<(usize, RowError)> = plan
        .rejected
        .iter()
        .map(|r| (r.line, r.error.clone()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (2, RowError::UnknownId("nope-1".into())),
            (3, RowError::EmptyName),
            (4, RowError::UnknownDistrict("火星区".into())),
            (5, RowError::UnknownStage("半开工".into())),
            (6, RowError::UnknownCluster("航天".into())),
            (
                7,
                RowError::BadProcedureState {
                    procedure: Procedure::Land,
                    text: "办了".into()
                }
            ),
            (
                8,
                RowError::BadDate {
                    column: "签约日期".into(),
                    text: "2024-13-01".into()
                }
            ),
            (
                9,
                RowError::Invalid {
                    column: "总投资（万元）".into(),
                    error: InputError::Negative
                }
            ),
            (
                10,
                RowError::Invalid {
                    column: "实际开工日期".into(),
                    error: InputError::StartBeforeSigning
                }
            ),
            (12, RowError::DuplicateRow { first_line: 11 }),
        ]
    );
    assert_eq!(plan.updated.len(), 1, "line 11 stands");
}

#[test]
fn files_that_are_not_ledger_csv_are_refused_whole() {
    let ledger = common::ledger_with(vec![]);
    assert_eq!(plan_csv(&ledger, ""), Err(FileError::Empty));
    assert_eq!(plan_csv(&ledger, "\u{feff}  \r\n"), Err(FileError::Empty));
    assert_eq!(
        plan_csv(&ledger, "a,b,c\r\n1,2,3\r\n"),
        Err(FileError::NotALedgerCsv)
    );
    assert_eq!(
        plan_csv(
            &ledger,
            "编号,项目名称,备注\r\nhc-01,x,\"没有闭合的引号\r\nhc-02,y,z\r\n"
        ),
        Err(FileError::Malformed { line: 2 })
    );
    let huge = format!("编号,项目名称\r\n{}", "x".repeat(11 * 1024 * 1024));
    assert_eq!(plan_csv(&ledger, &huge), Err(FileError::TooLarge));
    // Script text is only text: it goes into a field as typed.
    let plan = plan_csv(
        &ledger,
        "编号,备注\r\nhc-01,<script>alert(1)</script> onerror=x javascript:y\r\n",
    )
    .unwrap();
    assert_eq!(
        plan.updated[0].changes,
        vec![Change::Notes(
            "<script>alert(1)</script> onerror=x javascript:y".into()
        )]
    );
}

#[test]
fn spreadsheet_dates() {
    assert_eq!(lenient_date("2024-03-01"), Some(d("2024-03-01")));
    assert_eq!(lenient_date("2024/3/1"), Some(d("2024-03-01")));
    assert_eq!(lenient_date("2024.03.01"), Some(d("2024-03-01")));
    assert_eq!(lenient_date("3/1/2024"), None);
    assert_eq!(lenient_date("2024-02-30"), None);
    assert_eq!(lenient_date("2024-1-1-1"), None);
}

fn edit(id: &str, device: &str, project: &str, at: i64, change: Change) -> Edit {
    common::legacy_edit(id, device, project, at, change)
}

#[test]
fn a_bundle_round_trips_and_importing_it_twice_changes_nothing() {
    let edits = [
        edit(
            "a1:1",
            "A",
            "hc-01",
            10,
            Change::Stage(Some(Stage::Started)),
        ),
        edit("a1:2", "A", "hc-01", 11, Change::Notes("甲".into())),
    ];
    let entries: Vec<Entry> = edits.iter().cloned().map(Entry::from).collect();
    let text = bundle_json("A", 99, entries.clone());
    let bundle = read_bundle(&text).unwrap();
    assert_eq!(bundle.edits, entries);
    assert_eq!(bundle.device, "A");
    let mut ledger = Journal::new(shipped(), Vec::<Entry>::new());
    assert_eq!(new_entries(&ledger, &bundle.edits).len(), 2);
    for e in bundle.edits.clone() {
        ledger.add(e);
    }
    let before: Vec<Project> = ledger.projects().cloned().collect();
    assert!(new_entries(&ledger, &bundle.edits).is_empty());
    for e in bundle.edits {
        assert!(!ledger.add(e), "already held");
    }
    assert!(ledger.projects().eq(before.iter()));
}

#[test]
fn bad_bundles_get_a_reason() {
    assert_eq!(read_bundle(""), Err(FileError::Empty));
    assert_eq!(read_bundle("\u{0}\u{1}garbage"), Err(FileError::NotABundle));
    assert_eq!(
        read_bundle("{\"format\":\"other\",\"version\":1}"),
        Err(FileError::NotABundle)
    );
    assert_eq!(
        read_bundle("{\"format\":\"project-ledger-bundle\",\"version\":9,\"device\":\"x\",\"created\":0,\"edits\":[]}"),
        Err(FileError::NewerVersion { version: 9 })
    );
    assert_eq!(
        read_bundle("{\"format\":\"project-ledger-bundle\",\"version\":1,\"device\":\"x\",\"created\":0,\"edits\":[{\"i\":1}]}"),
        Err(FileError::NotABundle),
        "an element that is no edit at all refuses the whole bundle"
    );
    assert_eq!(
        read_backup("{\"format\":\"project-ledger-bundle\",\"version\":1}"),
        Err(FileError::NotABundle)
    );
}

#[test]
fn since_the_last_export_sends_only_what_is_new() {
    let edits = [
        edit("w1:1", "A", "hc-01", 1, Change::Notes("1".into())),
        edit("w1:2", "A", "hc-01", 2, Change::Notes("2".into())),
        edit("w2:1", "A", "hc-01", 3, Change::Notes("3".into())),
    ];
    let entries = || edits.iter().cloned().map(Entry::from);
    let mut sent = Sent::new();
    assert_eq!(unsent(entries(), &sent).len(), 3);
    mark_sent(&mut sent, edits[..2].iter().map(|e| &e.id));
    let rest = unsent(entries(), &sent);
    assert_eq!(
        rest.iter().map(|e| e.id().to_string()).collect::<Vec<_>>(),
        vec!["w2:1"]
    );
}

const PROJECTS: [&str; 3] = ["hc-01", "hc-07", "ta-01"];

fn device_edits(device: &'static str) -> impl Strategy<Value = Vec<Edit>> {
    let change = prop_oneof![
        proptest::option::of(proptest::sample::select(Stage::ALL.to_vec())).prop_map(Change::Stage),
        proptest::sample::select(vec!["", "甲", "乙"]).prop_map(|s| Change::Notes(s.to_owned())),
        (
            proptest::sample::select(Procedure::ALL.to_vec()),
            any::<bool>()
        )
            .prop_map(|(procedure, done)| Change::Procedure {
                procedure,
                done,
                date: None
            }),
        Just(Change::Reset),
    ];
    proptest::collection::vec((0usize..3, 0i64..30, change), 0..20).prop_map(move |items| {
        items
            .into_iter()
            .enumerate()
            .map(|(n, (p, at, change))| {
                edit(&format!("{device}:{n}"), device, PROJECTS[p], at, change)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Three devices exchange bundles in any order, some twice: all end the same.
    #[test]
    fn three_devices_converge(
        a in device_edits("A"),
        b in device_edits("B"),
        c in device_edits("C"),
        order in proptest::collection::vec((0usize..3, 0usize..3), 0..12),
    ) {
        let own = [a, b, c];
        let mut ledgers: Vec<Journal> = own.iter().map(|e| Journal::new(shipped(), e.clone())).collect();
        let names = ["A", "B", "C"];
        // Random exchanges first (duplicates welcome), then everyone gets everything.
        let finish: Vec<(usize, usize)> = (0..3).flat_map(|from| (0..3).map(move |to| (from, to))).collect();
        for (from, to) in order.into_iter().chain(finish) {
            let all: Vec<Entry> = ledgers[from].entries().to_vec();
            let text = bundle_json(names[from], 0, all);
            let bundle = read_bundle(&text).unwrap();
            for e in bundle.edits {
                ledgers[to].add(e);
            }
        }
        prop_assert!(ledgers[0].projects().eq(ledgers[1].projects()));
        prop_assert!(ledgers[1].projects().eq(ledgers[2].projects()));
        prop_assert_eq!(ledgers[0].edit_count(), own.iter().map(Vec::len).sum::<usize>());
    }

    /// Whatever the bytes, the importers answer without panicking.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let ledger = common::ledger_with(vec![]);
        let text = String::from_utf8_lossy(&bytes);
        let _ = plan_csv(&ledger, &text);
        let _ = read_bundle(&text);
        let _ = read_backup(&text);
        let with_header = format!("编号,项目名称,区县,阶段,土地,签约日期,总投资（万元）\n{text}");
        let _ = plan_csv(&ledger, &with_header);
    }
}

#[test]
fn a_file_exported_here_and_resaved_by_libreoffice_imports_as_unchanged() {
    use project_ledger::domain::people::{PersonDetails, Role};
    // The edits the exported ledger held (tests/browser/print-sample-like data).
    let ledger = common::ledger_with(vec![
        (
            "s-team",
            Change::SavePerson(PersonDetails {
                name: "示例管家".into(),
                role: Role::ServiceTeam,
                district: Some(District::Haicheng),
                unit: String::new(),
                phone: String::new(),
                login: String::new(),
            }),
        ),
        ("hc-07", Change::Assign("s-team".into())),
        (
            "hc-07",
            Change::Notes("备注，含逗号和\"引号\"\n第二行".into()),
        ),
        ("hc-02", Change::InvestmentWan(Some(12600.5))),
        ("hc-02", Change::SignedOn(Some(d("2024-03-01")))),
    ]);
    let text = std::fs::read_to_string("tests/fixtures/libreoffice-resaved.csv").unwrap();
    let plan = plan_csv(&ledger, &text).unwrap();
    assert_eq!(plan.rejected, vec![]);
    assert!(plan.updated.is_empty(), "{:?}", plan.updated);
    assert_eq!(plan.unchanged, 10, "海城市's ten projects, Chinese intact");
}

#[test]
fn what_was_exported_survives_its_text_form() {
    let edits = [
        edit("w1:1", "A", "hc-01", 1, Change::Notes("1".into())),
        edit("w1:7", "A", "hc-01", 2, Change::Notes("2".into())),
        edit("x:2", "A", "hc-01", 3, Change::Notes("3".into())),
    ];
    let mut sent = Sent::new();
    mark_sent(&mut sent, edits[..2].iter().map(|e| &e.id));
    let text = project_ledger::domain::exchange::sent_to_text(&sent);
    assert_eq!(
        project_ledger::domain::exchange::sent_from_text(&text),
        sent
    );
    assert_eq!(
        project_ledger::domain::exchange::sent_from_text("garbage\nw1:x\n"),
        Sent::new()
    );
    assert_eq!(
        project_ledger::domain::exchange::count_unsent(edits.iter().map(|e| &e.id), &sent),
        1
    );
    // The field app's scan reads the same marks as the map.
    use project_ledger::domain::exchange::exported_mark;
    assert_eq!(exported_mark(&text, "w1"), 7);
    assert_eq!(exported_mark(&text, "x"), 0);
    assert_eq!(exported_mark("w1:3\nw1:x\nw1:5\nw10:9\n", "w1"), 5);
}

/// Text made of what CSV is made of: separators, quotes, every line end, a
/// leading guard, Chinese.
fn csv_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just(","),
            Just("\""),
            Just("\"\""),
            Just("\r\n"),
            Just("\n"),
            Just("\r"),
            Just("a"),
            Just("镁"),
            Just(" "),
            Just("'="),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    /// The import's own CSV reader reads what the csv crate reads, record by
    /// record, field by field; where a quote is never closed it refuses.
    #[test]
    fn the_csv_reader_agrees_with_the_csv_crate(text in csv_text()) {
        use project_ledger::domain::exchange::csv_records;
        let theirs: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        match csv_records(&text) {
            Ok(ours) => {
                let ours: Vec<Vec<String>> = ours.into_iter().map(|(_, fields)| fields).collect();
                prop_assert_eq!(ours, theirs);
            }
            Err(FileError::Malformed { .. }) => {
                // A quote opened at a field's start and never closed: one
                // more quote at the end closes it.
                prop_assert!(csv_records(&format!("{text}\"")).is_ok(), "refused {:?}", text);
            }
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }
}

#[test]
fn each_record_knows_the_line_it_starts_on() {
    use project_ledger::domain::exchange::csv_records;
    let text = "编号,备注\r\n\r\nhc-01,\"两\r\n行\"\nhc-02,x\rhc-03,\"\"\"引\"\"\"";
    let records = csv_records(text).unwrap();
    let lines: Vec<usize> = records.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, vec![1, 3, 5, 6]);
    assert_eq!(records[1].1, vec!["hc-01", "两\r\n行"]);
    assert_eq!(records[3].1, vec!["hc-03", "\"引\""]);
    assert_eq!(
        csv_records("a,b\nc,\"open\nd,e\n"),
        Err(FileError::Malformed { line: 2 })
    );
}

/// Why the import keeps its own reader: the csv crate reads a stray quote in a
/// note to the end of the file with no error, so the rows after it vanish into
/// that note (BurntSushi/rust-csv#289). When this fails, the crate refuses such
/// a file and can replace `csv_records`.
#[test]
fn the_csv_crate_swallows_the_rows_after_an_unclosed_quote() {
    use project_ledger::domain::exchange::csv_records;
    let text = "编号,备注\nhc-01,\"少了右引号\nhc-02,x\nhc-03,y\n";
    let theirs: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("the crate reports no error");
    assert_eq!(
        theirs.len(),
        1,
        "hc-02 and hc-03 became part of hc-01's note"
    );
    assert_eq!(&theirs[0][1], "少了右引号\nhc-02,x\nhc-03,y\n");
    assert_eq!(csv_records(text), Err(FileError::Malformed { line: 2 }));
}
