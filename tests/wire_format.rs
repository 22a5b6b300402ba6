//! The edit as a wire format. Every released format has a fixture holding one
//! edit of every change variant, as that release wrote it; this version must
//! read each back and write it out byte for byte. `edits-format1.json` was
//! written by the first release's own code (36ecce2).

mod common;

use project_ledger::domain::edit::{
    BadEditId, Change, Edit, EditId, Entry, Maker, Subject, FORMAT, MAX_SEQUENCE, MAX_WRITER_CHARS,
};
use project_ledger::domain::exchange::{bundle_json, read_bundle};
use project_ledger::domain::fieldwork::{
    BlockerLevel, CampaignSettings, NewBlocker, Record, RecordKind, Supervision,
};
use project_ledger::domain::log::wire::{read_entries, write_entries};
use project_ledger::domain::people::{PersonDetails, Role};
use project_ledger::domain::registry::shipped;
use project_ledger::domain::{Cluster, Date, District, Ledger, Procedure, Stage};
use proptest::prelude::*;

/// One arm per variant and no wildcard: a new variant does not compile until
/// it is given the next index here, and then the fixtures must hold it.
fn variant(change: &Change) -> usize {
    match change {
        Change::Create { .. } => 0,
        Change::Remove => 1,
        Change::Reset => 2,
        Change::Name(_) => 3,
        Change::Owner(_) => 4,
        Change::Scale(_) => 5,
        Change::Notes(_) => 6,
        Change::Cluster(_) => 7,
        Change::Stage(_) => 8,
        Change::Procedure { .. } => 9,
        Change::SignedOn(_) => 10,
        Change::PlannedStart(_) => 11,
        Change::ActualStart(_) => 12,
        Change::InvestmentWan(_) => 13,
        Change::SavePerson(_) => 14,
        Change::RemovePerson { .. } => 15,
        Change::Assign(_) => 16,
        Change::Unassign(_) => 17,
        Change::Responsible(_) => 18,
        Change::AddRecord(_) => 19,
        Change::OpenBlocker(_) => 20,
        Change::ResolveBlocker { .. } => 21,
        Change::Campaign(_) => 22,
        Change::CampaignSettings(_) => 23,
        Change::Supervise { .. } => 24,
        Change::BlockerProgress { .. } => 25,
        Change::Void { .. } => 26,
    }
}
const VARIANTS: usize = 27;

/// A format gains variants without a new number: an older release keeps an
/// edit it cannot read verbatim. So each fixture holds the variants that
/// existed when its format was last released, the first `n` of them.
const FIXTURES: [(&str, u32, usize); 3] = [
    ("edits-format1.json", 1, 24),
    ("edits-format2.json", 2, 26),
    ("edits-format3.json", 3, VARIANTS),
];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/{name}")).unwrap()
}

fn edits_of(text: &str) -> Vec<Edit> {
    let read = read_entries(text).unwrap();
    assert_eq!(read.garbage, 0);
    read.entries
        .into_iter()
        .map(|e| match e {
            Entry::Edit(edit) => edit,
            Entry::Unreadable(u) => panic!("edit {} does not read", u.id),
        })
        .collect()
}

#[test]
fn every_released_format_has_a_fixture_of_every_variant() {
    assert_eq!(
        FIXTURES.last().unwrap().1,
        FORMAT,
        "the newest format has a fixture"
    );
    for (name, format, variants) in FIXTURES {
        let edits = edits_of(&fixture(name));
        assert!(edits.iter().all(|e| e.format() == format), "{name}");
        let mut held = [false; VARIANTS];
        for e in &edits {
            held[variant(&e.change)] = true;
        }
        let missing: Vec<usize> = (0..variants).filter(|i| !held[*i]).collect();
        assert!(missing.is_empty(), "{name} lacks variants {missing:?}");
    }
}

#[test]
fn every_released_format_is_written_back_byte_for_byte() {
    for (name, _, _) in FIXTURES {
        let text = fixture(name);
        let entries = read_entries(&text).unwrap().entries;
        assert_eq!(write_entries(&entries), text, "{name}");
    }
}

#[test]
fn the_first_format_folds_as_it_did() {
    let ledger = Ledger::new(shipped(), edits_of(&fixture("edits-format1.json")));
    let huayu = ledger.project("hc-07").unwrap();
    assert_eq!(huayu.name, "海城华宇镁砖（改名）");
    assert_eq!(huayu.owner, "业主\\单位\n第二行\t制表");
    assert_eq!(huayu.notes, "备注 \u{1} 控制字符 / 斜杠");
    assert_eq!(huayu.stage, Some(Stage::Completed));
    assert!(huayu.procedure(Procedure::PlanningPermit).done);
    assert_eq!(huayu.records.len(), 3);
    assert_eq!(huayu.blockers.len(), 1);
    assert!(
        !huayu.blockers[0].is_open(),
        "resolved by the edit that names it"
    );
    assert_eq!(
        ledger.project("hc-02").unwrap().investment_wan,
        Some(12600.5)
    );
    assert_eq!(
        ledger.project("hc-01").unwrap().investment_wan,
        Some(12600.0)
    );
    assert_eq!(
        ledger.project("u-fw1-1").unwrap().name,
        "第一版新增的项目 \"引号\""
    );
    assert!(ledger.project("u-fw1-2").is_none(), "created, then removed");
    assert_eq!(
        ledger.person("person-fw1-3").unwrap().details.name,
        "王晓明"
    );
    assert!(ledger.person("person-fw1-4").is_none(), "removed");
    assert_eq!(ledger.campaign().days, 100);
    assert!(
        ledger.conflicts().is_empty(),
        "format 1 knew no concurrency: no conflicts"
    );
}

#[test]
fn the_second_format_records_what_each_edit_replaced() {
    let edits = edits_of(&fixture("edits-format2.json"));
    let settled = edits.iter().find(|e| e.id.to_string() == "fw2:37").unwrap();
    assert_eq!(
        settled.replaces,
        Some(vec![EditId::new("fw2", 11), EditId::new("other", 9)])
    );
    let ledger = Ledger::new(shipped(), edits);
    assert_eq!(
        ledger.project("hc-07").unwrap().stage,
        Some(Stage::Producing)
    );
}

#[test]
fn the_third_format_names_who_made_each_edit() {
    let edits = edits_of(&fixture("edits-format3.json"));
    let makers: Vec<Option<&Maker>> = edits.iter().take(4).map(|e| e.made_by.as_deref()).collect();
    let maker = |login: Option<&str>, person: Option<&str>| Maker {
        login: login.map(str::to_owned),
        person: person.map(str::to_owned),
    };
    assert_eq!(
        makers,
        [
            Some(&maker(Some("district-Haicheng-1"), Some("孙立新"))),
            Some(&maker(Some("city-office-1"), None)),
            Some(&maker(None, Some("王晓明 \"甲\""))),
            Some(&maker(None, None)),
        ]
    );
    // A maker that is no object, an empty name or one too long: not this
    // format's edit, so kept verbatim as one a newer version may read.
    let long = "长".repeat(201);
    for a in [
        r#""孙立新""#,
        r#"{"n":""}"#,
        &format!(r#"{{"n":"{long}"}}"#),
        "null",
    ] {
        let text =
            format!(r#"[{{"v":3,"i":"m:1","d":"x","p":"hc-01","t":5,"a":{a},"c":"Reset"}}]"#);
        let entries = read_entries(&text).unwrap().entries;
        assert!(matches!(&entries[0], Entry::Unreadable(_)), "{a}");
    }
}

#[test]
fn an_edit_names_its_maker_and_whoever_else_uploaded_it() {
    let [signed, chosen, nobody] = [
        Maker {
            login: Some("city-office-1".into()),
            person: Some("孙立新".into()),
        },
        Maker {
            login: None,
            person: Some("孙立新".into()),
        },
        Maker::default(),
    ];
    let edit = |made_by: Option<Maker>| Edit {
        made_by: made_by.map(Box::new),
        id: EditId::new("w", 1),
        device: "d".into(),
        subject: Subject::Project("hc-01".into()),
        at: 0,
        replaces: Some(Vec::new()),
        change: Change::Reset,
    };
    let cases = [
        // Made signed in, uploaded by the same login: the maker alone.
        (
            edit(Some(signed.clone())),
            Some("city-office-1"),
            Some("孙立新"),
            None,
        ),
        // Carried in a bundle and uploaded by a steward: both.
        (
            edit(Some(signed)),
            Some("district-Haicheng-1"),
            Some("孙立新"),
            Some("district-Haicheng-1"),
        ),
        (
            edit(Some(chosen.clone())),
            Some("district-Haicheng-1"),
            Some("孙立新"),
            Some("district-Haicheng-1"),
        ),
        (edit(Some(chosen)), None, Some("孙立新"), None),
        (
            edit(Some(nobody.clone())),
            Some("district-Haicheng-1"),
            None,
            Some("district-Haicheng-1"),
        ),
        (edit(Some(nobody)), None, None, None),
        // An older edit: named by its uploader, as before.
        (
            edit(None),
            Some("district-Haicheng-1"),
            Some("district-Haicheng-1"),
            None,
        ),
        (edit(None), None, None, None),
    ];
    for (edit, uploader, maker, also) in &cases {
        let a = edit.attribution(*uploader);
        assert_eq!(
            (a.maker, a.uploader),
            (*maker, *also),
            "{:?} {uploader:?}",
            edit.made_by
        );
        assert_eq!(a.known, edit.made_by.is_some() || uploader.is_some());
    }
}

#[test]
fn edit_ids_read_and_write_as_writer_and_sequence() {
    for text in ["a:0", "w1:7", "zzzz1111:9007199254740991"] {
        let id: EditId = text.parse().unwrap();
        assert_eq!(id.to_string(), text);
    }
    let too_long = format!("{}:1", "a".repeat(MAX_WRITER_CHARS + 1));
    let too_big = format!("a:{}", MAX_SEQUENCE + 1);
    for text in [
        "", "a", ":1", "a:", "a:-1", "a b:1", "a:1.5", "a:+1", "a:01", "é:1", "a:1:2", &too_long,
        &too_big,
    ] {
        assert_eq!(text.parse::<EditId>(), Err(BadEditId), "{text:?}");
    }
}

#[test]
fn an_edit_of_a_newer_version_travels_on_verbatim() {
    let unknown = r#"{"v":4,"i":"n:1","d":"x","p":"hc-01","t":5,"c":{"Teleport":1},"extra":[1,2]}"#;
    let text =
        format!(r#"[{unknown},{{"i":"n:2","d":"x","p":"hc-01","t":6,"c":{{"Notes":"旁边"}}}}]"#);
    let entries = read_entries(&text).unwrap().entries;
    assert!(matches!(&entries[0], Entry::Unreadable(u) if u.raw.get() == unknown));
    let bundle = bundle_json("d", 0, entries.clone());
    assert!(bundle.contains(unknown));
    assert_eq!(read_bundle(&bundle).unwrap().edits, entries);
    assert_eq!(write_entries(&entries), text);
}

fn text() -> impl Strategy<Value = String> {
    // Quotes, backslashes, control characters, CJK, emoji: everything a person may type.
    proptest::collection::vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('\n'),
            Just('\u{1}'),
            Just('\u{7f}'),
            Just('/'),
            Just('海'),
            Just('😀'),
            proptest::char::range(' ', '~'),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn date() -> impl Strategy<Value = Date> {
    (1900i32..2200, 1u8..13, 1u8..29).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn pick<T: Clone + std::fmt::Debug + 'static>(all: &[T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all.to_vec())
}

/// Every variant, with every field generated.
fn change() -> impl Strategy<Value = Change> {
    let district = || proptest::option::of(pick(District::ALL));
    prop_oneof![
        (text(), district()).prop_map(|(name, district)| Change::Create { name, district }),
        Just(Change::Remove),
        Just(Change::Reset),
        text().prop_map(Change::Name),
        text().prop_map(Change::Owner),
        text().prop_map(Change::Scale),
        text().prop_map(Change::Notes),
        proptest::option::of(pick(Cluster::ALL)).prop_map(Change::Cluster),
        proptest::option::of(pick(Stage::ALL)).prop_map(Change::Stage),
        (
            pick(Procedure::ALL),
            any::<bool>(),
            proptest::option::of(date())
        )
            .prop_map(|(procedure, done, date)| Change::Procedure {
                procedure,
                done,
                date
            }),
        proptest::option::of(date()).prop_map(Change::SignedOn),
        proptest::option::of(date()).prop_map(Change::PlannedStart),
        proptest::option::of(date()).prop_map(Change::ActualStart),
        // 万元 with at most four decimals, as `parse_investment` makes them.
        proptest::option::of(0u64..10_000_000_000_000)
            .prop_map(|v| Change::InvestmentWan(v.map(|v| v as f64 / 10_000.0))),
        (text(), pick(&Role::ALL), district(), text(), text(), text()).prop_map(
            |(name, role, district, unit, phone, login)| Change::SavePerson(PersonDetails {
                name,
                role,
                district,
                unit,
                phone,
                login
            })
        ),
        proptest::option::of(text()).prop_map(|reassign_to| Change::RemovePerson { reassign_to }),
        text().prop_map(Change::Assign),
        text().prop_map(Change::Unassign),
        proptest::option::of(text()).prop_map(Change::Responsible),
        (
            date(),
            pick(&RecordKind::ALL),
            proptest::option::of(text()),
            text()
        )
            .prop_map(|(date, kind, who, notes)| Change::AddRecord(Record {
                date,
                kind,
                who,
                notes
            })),
        (
            text(),
            pick(&BlockerLevel::ALL),
            text(),
            date(),
            proptest::option::of(date())
        )
            .prop_map(
                |(description, level, unit, opened, deadline)| Change::OpenBlocker(NewBlocker {
                    description,
                    level,
                    unit,
                    opened,
                    deadline
                })
            ),
        (
            text(),
            pick(&BlockerLevel::ALL),
            text(),
            text(),
            proptest::option::of(date())
        )
            .prop_map(
                |(blocker, level, unit, person, deadline)| Change::Supervise {
                    blocker,
                    supervision: Supervision {
                        level,
                        unit,
                        person,
                        deadline
                    }
                }
            ),
        (text(), date(), text()).prop_map(|(blocker, date, note)| Change::BlockerProgress {
            blocker,
            date,
            note
        }),
        (text(), text()).prop_map(|(record, why)| Change::Void { record, why }),
        (text(), date(), text()).prop_map(|(blocker, resolved, how)| Change::ResolveBlocker {
            blocker,
            resolved,
            how
        }),
        proptest::option::of(any::<bool>()).prop_map(Change::Campaign),
        (date(), any::<u16>())
            .prop_map(|(start, days)| Change::CampaignSettings(CampaignSettings { start, days })),
    ]
}

fn edit_id() -> impl Strategy<Value = EditId> {
    ("[a-z0-9]{1,32}", 0..=MAX_SEQUENCE).prop_map(|(writer, seq)| EditId { writer, seq })
}

fn maker() -> impl Strategy<Value = Maker> {
    (
        proptest::option::of("[a-zA-Z0-9_-]{1,40}"),
        proptest::option::of("\\PC{1,20}"),
    )
        .prop_map(|(login, person)| Maker { login, person })
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        edit_id(),
        text(),
        "[a-z0-9-]{1,20}",
        any::<i64>(),
        proptest::option::of(proptest::collection::vec(edit_id(), 0..4)),
        proptest::option::of(maker().prop_map(Box::new)),
        change(),
    )
        .prop_map(
            |(id, device, subject, at, replaces, made_by, change)| Edit {
                id,
                device,
                subject: Subject::of(&subject, &change),
                at,
                // Format 3 holds what format 2 does: a maker implies the list.
                replaces: if made_by.is_some() {
                    Some(replaces.unwrap_or_default())
                } else {
                    replaces
                },
                made_by,
                change,
            },
        )
}

#[test]
fn the_generators_make_every_variant() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = change();
    let mut held = [false; VARIANTS];
    for _ in 0..5_000 {
        held[variant(&strategy.new_tree(&mut runner).unwrap().current())] = true;
    }
    assert!(held.iter().all(|h| *h), "{held:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Every variant with any content reads back as written, and writes the same again.
    #[test]
    fn any_edit_round_trips(edits in proptest::collection::vec(edit(), 0..8)) {
        let entries: Vec<Entry> = edits.into_iter().map(Entry::from).collect();
        let text = write_entries(&entries);
        let read = read_entries(&text).unwrap();
        prop_assert_eq!(read.garbage, 0);
        prop_assert_eq!(&read.entries, &entries);
        prop_assert_eq!(write_entries(&read.entries), text);
    }

    /// The bundle written by hand is byte for byte what serde writes of a `Bundle`.
    #[test]
    fn a_bundle_is_written_as_serde_writes_it(edits in proptest::collection::vec(edit(), 0..8), device in text(), created: i64) {
        let entries: Vec<Entry> = edits.into_iter().map(Entry::from).collect();
        let by_serde = serde_json::to_string(&project_ledger::domain::exchange::Bundle {
            format: "project-ledger-bundle".into(),
            version: 1,
            device: device.clone(),
            created,
            edits: entries.clone(),
        })
        .unwrap();
        prop_assert_eq!(bundle_json(&device, created, entries), by_serde);
    }

    /// Ids read back from their text.
    #[test]
    fn any_id_round_trips(id in edit_id()) {
        prop_assert_eq!(id.to_string().parse::<EditId>(), Ok(id));
    }
}
