//! The field rhythm: light rules at their boundaries, blocker age, the campaign
//! clock, the agenda. Every test passes its own "today".

mod common;

use project_ledger::domain::agenda::{agenda, open_blockers};
use project_ledger::domain::campaign::{campaign_progress, in_campaign};
use project_ledger::domain::fieldwork::{
    BlockerLevel, CampaignSettings, DispatchLevel, NewBlocker, Record, RecordKind, Supervision,
};
use project_ledger::domain::light::{light, roles, Light, LightRules, Reason};
use project_ledger::domain::people::{PersonDetails, Role};
use project_ledger::domain::summary::overdue_blockers;
use project_ledger::domain::validate::{check_change, InputError};
use project_ledger::domain::{Change, Date, District, Ledger, Procedure, Stage};

fn d(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn visit(date: &str) -> Change {
    Change::AddRecord(Record {
        date: d(date),
        kind: RecordKind::Visit,
        who: None,
        notes: String::new(),
    })
}

fn dispatch(date: &str, level: DispatchLevel) -> Change {
    Change::AddRecord(Record {
        date: d(date),
        kind: RecordKind::Dispatch(level),
        who: None,
        notes: String::new(),
    })
}

fn blocker(opened: &str, level: BlockerLevel) -> Change {
    Change::OpenBlocker(NewBlocker {
        description: "用电未接入".into(),
        level,
        unit: "供电公司".into(),
        opened: d(opened),
        deadline: None,
    })
}

fn light_of(l: &Ledger, id: &str, today: &str) -> (Light, Vec<Reason>) {
    light(
        l.project(id).unwrap(),
        &roles(l),
        d(today),
        &LightRules::default(),
    )
}

/// A project's basic facts, where `changes` do not set them, after them:
/// without a stage, a procedure on record and a planned start (or a start),
/// a project is 待补, never green. Appended, so edit ids (t:N) stay put.
fn known(mut changes: Vec<(&'static str, Change)>) -> Vec<(&'static str, Change)> {
    let has =
        |test: &dyn Fn(&Change) -> bool| changes.iter().any(|(p, c)| *p == "hc-02" && test(c));
    let stage = has(&|c| matches!(c, Change::Stage(Some(_))));
    let procedure = has(&|c| matches!(c, Change::Procedure { done: true, .. }));
    let start = has(&|c| {
        matches!(
            c,
            Change::PlannedStart(Some(_)) | Change::ActualStart(Some(_))
        )
    }) || has(&|c| matches!(c, Change::Stage(Some(s)) if *s >= Stage::Started));
    if !stage {
        changes.push(("hc-02", Change::Stage(Some(Stage::Signed))));
    }
    if !procedure {
        changes.push((
            "hc-02",
            Change::Procedure {
                procedure: Procedure::Land,
                done: true,
                date: Some(d("2024-01-15")),
            },
        ));
    }
    if !start {
        changes.push(("hc-02", Change::PlannedStart(Some(d("2024-12-31")))));
    }
    changes
}

fn all_done(id: &'static str) -> Vec<(&'static str, Change)> {
    Procedure::ALL
        .iter()
        .map(|p| {
            (
                id,
                Change::Procedure {
                    procedure: *p,
                    done: true,
                    date: None,
                },
            )
        })
        .collect()
}

#[test]
fn a_recent_visit_makes_green_and_the_weekly_cadence_turns_it_yellow_after_7_days() {
    let l = common::ledger_with(known(vec![("hc-02", visit("2024-03-01"))]));
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-08").0,
        Light::Green,
        "7 days: still within the week"
    );
    let (light, reasons) = light_of(&l, "hc-02", "2024-03-09");
    assert_eq!(light, Light::Yellow, "8 days");
    assert_eq!(
        reasons,
        vec![Reason::NoRecentRecord {
            cadence: DispatchLevel::District,
            last: Some(d("2024-03-01"))
        }]
    );
    let empty = common::ledger_with(vec![]);
    assert_eq!(
        light_of(&empty, "hc-02", "2024-03-09").0,
        Light::Yellow,
        "never visited"
    );
}

#[test]
fn a_city_leaders_project_keeps_the_half_monthly_cadence() {
    let l = common::ledger_with(known(vec![
        (
            "p",
            Change::SavePerson(PersonDetails {
                name: "市领导".into(),
                role: Role::CityLeader,
                district: None,
                unit: String::new(),
                phone: String::new(),
                login: String::new(),
            }),
        ),
        ("hc-02", Change::Assign("p".into())),
        ("hc-02", visit("2024-03-01")),
    ]));
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-16").0,
        Light::Green,
        "15 days"
    );
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-17").0,
        Light::Yellow,
        "16 days"
    );
}

#[test]
fn a_late_start_is_red_after_seven_days() {
    let l = common::ledger_with(known(vec![
        ("hc-02", Change::PlannedStart(Some(d("2024-03-01")))),
        ("hc-02", visit("2024-03-08")),
    ]));
    let (light, reasons) = light_of(&l, "hc-02", "2024-03-08");
    assert_eq!(
        light,
        Light::Yellow,
        "7 days late: procedures due, not yet red"
    );
    assert!(matches!(
        reasons[0],
        Reason::ProcedureDue { days_left: -7, .. }
    ));
    let (light, reasons) = light_of(&l, "hc-02", "2024-03-09");
    assert_eq!(light, Light::Red);
    assert_eq!(reasons[0], Reason::LateStart { days: 8 });
    let mut started = vec![
        ("hc-02", Change::PlannedStart(Some(d("2024-03-01")))),
        ("hc-02", Change::Stage(Some(Stage::Started))),
        ("hc-02", visit("2024-03-08")),
    ];
    started.extend(all_done("hc-02"));
    let l = common::ledger_with(known(started));
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-09").0,
        Light::Green,
        "started: no longer late"
    );
}

#[test]
fn procedures_due_within_30_days_of_the_planned_start_make_yellow() {
    let l = common::ledger_with(known(vec![
        ("hc-02", Change::PlannedStart(Some(d("2024-04-30")))),
        ("hc-02", visit("2024-03-30")),
    ]));
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-30").0,
        Light::Green,
        "31 days ahead"
    );
    let (light, reasons) = light_of(&l, "hc-02", "2024-03-31");
    assert_eq!(light, Light::Yellow, "30 days ahead");
    assert!(
        matches!(&reasons[0], Reason::ProcedureDue { missing, days_left: 30 } if missing.len() == 5)
    );
    let mut done = vec![
        ("hc-02", Change::PlannedStart(Some(d("2024-04-30")))),
        ("hc-02", visit("2024-03-30")),
    ];
    done.extend(all_done("hc-02"));
    let l = common::ledger_with(known(done));
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-31").0,
        Light::Green,
        "nothing missing"
    );
}

#[test]
fn blockers_turn_red_past_their_levels_limit_and_resolving_clears_it() {
    let l = common::ledger_with(known(vec![
        ("hc-02", visit("2024-03-10")),
        ("hc-02", blocker("2024-03-01", BlockerLevel::District)),
    ]));
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-08").0,
        Light::Green,
        "7 days open"
    );
    let (light, reasons) = light_of(&l, "hc-02", "2024-03-09");
    assert_eq!(light, Light::Red, "8 days open");
    assert_eq!(reasons, vec![Reason::OldBlocker { days: 8, limit: 7 }]);

    let city = common::ledger_with(known(vec![
        ("hc-02", visit("2024-03-10")),
        ("hc-02", blocker("2024-03-01", BlockerLevel::City)),
    ]));
    assert_eq!(
        light_of(&city, "hc-02", "2024-03-16").0,
        Light::Green,
        "15 days, city limit"
    );
    assert_eq!(
        light_of(&city, "hc-02", "2024-03-17").0,
        Light::Red,
        "16 days"
    );

    let id = "t:1"; // the edit that opened it
    let resolved = common::ledger_with(known(vec![
        ("hc-02", visit("2024-03-10")),
        ("hc-02", blocker("2024-03-01", BlockerLevel::District)),
        (
            "hc-02",
            Change::ResolveBlocker {
                blocker: id.into(),
                resolved: d("2024-03-12"),
                how: "协调供电公司接入".into(),
            },
        ),
    ]));
    let p = resolved.project("hc-02").unwrap();
    assert!(!p.blockers[0].is_open());
    assert_eq!(
        p.blockers[0].age_days(d("2024-06-01")),
        11,
        "age stops at resolution"
    );
    assert_eq!(light_of(&resolved, "hc-02", "2024-03-13").0, Light::Green);
    assert_eq!(
        check_change(
            p,
            &Change::ResolveBlocker {
                blocker: id.into(),
                resolved: d("2024-02-29"),
                how: String::new()
            }
        ),
        Err(InputError::ResolvedBeforeOpened)
    );
    assert_eq!(
        check_change(
            p,
            &blocker("2024-03-01", BlockerLevel::City).clone_with_description("  ")
        ),
        Err(InputError::EmptyDescription)
    );
}

trait Describe {
    fn clone_with_description(&self, text: &str) -> Change;
}

impl Describe for Change {
    fn clone_with_description(&self, text: &str) -> Change {
        match self {
            Change::OpenBlocker(b) => Change::OpenBlocker(NewBlocker {
                description: text.into(),
                ..b.clone()
            }),
            other => other.clone(),
        }
    }
}

#[test]
fn open_blockers_are_listed_oldest_first_and_survive_reset() {
    let l = common::ledger_with(vec![
        ("ta-01", blocker("2024-03-05", BlockerLevel::City)),
        ("hc-02", blocker("2024-03-01", BlockerLevel::District)),
        ("hc-02", Change::Reset),
    ]);
    let list = open_blockers(l.projects());
    let ids: Vec<&str> = list.iter().map(|(p, _)| p.id.as_str()).collect();
    assert_eq!(ids, vec!["hc-02", "ta-01"]);
}

#[test]
fn campaign_clock_counts_down_to_its_last_day() {
    let c = CampaignSettings::default();
    assert_eq!(c.start, d("2024-02-18"));
    assert_eq!(
        c.last_day(),
        d("2024-05-27"),
        "day 100 (2024 is a leap year)"
    );
    assert_eq!(
        c.days_left(d("2024-02-10")),
        100,
        "before the start: all of it"
    );
    assert_eq!(c.days_left(d("2024-02-18")), 100, "day 1 counts");
    assert_eq!(c.days_left(d("2024-02-19")), 99);
    assert_eq!(c.days_left(d("2024-05-26")), 2);
    assert_eq!(c.days_left(d("2024-05-27")), 1, "the last day");
    assert_eq!(c.days_left(d("2024-05-28")), 0);
    assert!(!c.has_ended(d("2024-05-27")));
    assert!(c.has_ended(d("2024-05-28")));
    assert_eq!(c.days_left(d("2025-01-01")), 0);
    let year_end = CampaignSettings {
        start: d("2024-12-01"),
        days: 100,
    };
    assert_eq!(year_end.last_day(), d("2025-03-10"), "across the year end");
    assert_eq!(year_end.days_left(d("2025-01-01")), 69);
}

#[test]
fn campaign_membership_defaults_to_the_key_list_and_progress_orders_the_waiting() {
    let l = common::ledger_with(vec![
        ("hc-02", Change::PlannedStart(Some(d("2024-04-01")))),
        ("hc-03", Change::PlannedStart(Some(d("2024-03-01")))),
        ("hc-04", Change::Campaign(Some(false))),
        ("wz-01", Change::Campaign(Some(true))),
    ]);
    let in_it = l.projects().filter(|p| in_campaign(p)).count();
    assert_eq!(
        in_it,
        46 - 1 + 1,
        "46 listed, one taken out, one text project put in"
    );
    let progress = campaign_progress(l.projects());
    assert_eq!(progress.projects, 46);
    assert_eq!(progress.started, 1, "海城华宇 from the article");
    assert_eq!(
        progress.waiting[0].id, "hc-03",
        "earliest planned start first"
    );
    assert_eq!(progress.waiting[1].id, "hc-02");
    assert!(progress.waiting.last().unwrap().planned_start.is_none());
}

#[test]
fn weekly_district_agenda_lists_the_districts_projects_not_dispatched_this_week() {
    let l = common::ledger_with(vec![
        ("hc-01", dispatch("2024-03-05", DispatchLevel::District)),
        ("hc-02", dispatch("2024-02-20", DispatchLevel::District)),
        ("hc-03", visit("2024-03-06")),
        ("ta-01", blocker("2024-03-01", BlockerLevel::District)),
    ]);
    let rules = LightRules::default();
    let due = agenda(
        &l,
        DispatchLevel::District,
        d("2024-03-08"),
        Some(District::Haicheng),
        &rules,
    );
    let ids: Vec<&str> = due.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), 9, "hc-01 was dispatched 3 days ago");
    assert!(!ids.contains(&"hc-01"));
    assert!(
        ids.contains(&"hc-02") && ids.contains(&"hc-03"),
        "a visit is not a dispatch"
    );
    let next_week = agenda(
        &l,
        DispatchLevel::District,
        d("2024-03-12"),
        Some(District::Haicheng),
        &rules,
    );
    assert_eq!(next_week.len(), 10, "7 days later hc-01 is due again");
    let taian = agenda(
        &l,
        DispatchLevel::District,
        d("2024-03-08"),
        Some(District::Taian),
        &rules,
    );
    assert_eq!(taian.len(), 4);
    let city = agenda(
        &l,
        DispatchLevel::CityGovernment,
        d("2024-03-08"),
        None,
        &rules,
    );
    assert!(city.is_empty(), "no red light, no open city-level blocker");
    let later = agenda(
        &l,
        DispatchLevel::CityGovernment,
        d("2024-03-20"),
        None,
        &rules,
    );
    assert_eq!(
        later.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec!["ta-01"],
        "its district blocker is 19 days old: red"
    );
}

#[test]
fn a_stage_ahead_of_its_procedures_or_dates_out_of_order_warn_yellow_and_keep_the_edit() {
    use project_ledger::domain::light::Implausible;
    let undone = |procedure| Change::Procedure {
        procedure,
        done: false,
        date: None,
    };
    let project = |changes: Vec<(&'static str, Change)>| {
        let mut all = vec![("hc-02", visit("2024-03-08"))];
        all.extend(all_done("hc-02"));
        all.extend(changes);
        common::ledger_with(known(all))
    };
    let fine = project(vec![("hc-02", Change::Stage(Some(Stage::Producing)))]);
    assert_eq!(light_of(&fine, "hc-02", "2024-03-09").0, Light::Green);

    let cases = [
        (
            vec![
                ("hc-02", Change::Stage(Some(Stage::Producing))),
                ("hc-02", undone(Procedure::ConstructionPermit)),
            ],
            Implausible::FinishedWithoutPermit,
        ),
        (
            vec![
                ("hc-02", Change::Stage(Some(Stage::Started))),
                ("hc-02", undone(Procedure::Land)),
            ],
            Implausible::StartedWithoutLand,
        ),
        (
            vec![
                ("hc-02", Change::SignedOn(Some(d("2024-02-01")))),
                ("hc-02", Change::ActualStart(Some(d("2024-01-15")))),
            ],
            Implausible::StartedBeforeSigning,
        ),
    ];
    for (changes, warning) in cases {
        let l = project(changes);
        let (shade, reasons) = light_of(&l, "hc-02", "2024-03-09");
        assert_eq!(shade, Light::Yellow, "{warning:?}");
        assert_eq!(reasons, vec![Reason::Implausible(warning)]);
    }
    // A project started on its signing day, or after it, is fine.
    let same_day = project(vec![
        ("hc-02", Change::SignedOn(Some(d("2024-02-01")))),
        ("hc-02", Change::ActualStart(Some(d("2024-02-01")))),
    ]);
    assert_eq!(light_of(&same_day, "hc-02", "2024-03-09").0, Light::Green);
}

fn supervise(blocker: &str, level: BlockerLevel, deadline: Option<&str>) -> Change {
    Change::Supervise {
        blocker: blocker.into(),
        supervision: Supervision {
            level,
            unit: "市自然资源局".into(),
            person: "责任人".into(),
            deadline: deadline.map(d),
        },
    }
}

#[test]
fn a_deadline_replaces_the_age_limit_and_an_overdue_blocker_turns_the_light_red() {
    let due = Change::OpenBlocker(NewBlocker {
        deadline: Some(d("2024-03-20")),
        ..match blocker("2024-03-01", BlockerLevel::District) {
            Change::OpenBlocker(b) => b,
            _ => unreachable!(),
        }
    });
    let l = common::ledger_with(known(vec![("hc-02", visit("2024-03-15")), ("hc-02", due)]));
    // 19 days open, over the district's 7 days, but before its deadline.
    assert_eq!(light_of(&l, "hc-02", "2024-03-20").0, Light::Green);
    let (light, reasons) = light_of(&l, "hc-02", "2024-03-22");
    assert_eq!(light, Light::Red);
    assert_eq!(reasons, vec![Reason::OverdueBlocker { days: 2 }]);
    let p = l.project("hc-02").unwrap();
    assert_eq!(
        overdue_blockers(p, d("2024-03-22"), &LightRules::default()),
        1,
        "the ranking counts the blocker the light counts"
    );
    assert_eq!(
        overdue_blockers(p, d("2024-03-20"), &LightRules::default()),
        0
    );
}

#[test]
fn supervision_escalates_sets_a_deadline_keeps_progress_and_moves_the_blocker_to_the_city_agenda() {
    let l = common::ledger_with(known(vec![
        ("hc-02", visit("2024-03-15")),
        ("hc-02", blocker("2024-03-01", BlockerLevel::District)),
        (
            "hc-02",
            supervise("t:1", BlockerLevel::City, Some("2024-04-01")),
        ),
        (
            "hc-02",
            Change::BlockerProgress {
                blocker: "t:1".into(),
                date: d("2024-03-05"),
                note: "已上会研究".into(),
            },
        ),
        (
            "hc-02",
            Change::BlockerProgress {
                blocker: "t:1".into(),
                date: d("2024-03-12"),
                note: "供地方案已报市政府".into(),
            },
        ),
    ]));
    let b = &l.project("hc-02").unwrap().blockers[0];
    assert_eq!(b.level(), BlockerLevel::City, "escalated 区县 → 市级");
    assert_eq!(b.unit(), "市自然资源局");
    assert_eq!(b.person(), "责任人");
    assert_eq!(b.deadline(), Some(d("2024-04-01")));
    assert_eq!(
        b.opened_as.level,
        BlockerLevel::District,
        "what it was opened as stays"
    );
    assert_eq!(b.progress.len(), 2);
    // 20 days open, past the 7 and 14 day limits, yet before the deadline: green.
    assert_eq!(light_of(&l, "hc-02", "2024-03-21").0, Light::Green);
    // The city government's monthly meeting takes open city-level blockers.
    let due = agenda(
        &l,
        DispatchLevel::CityGovernment,
        d("2024-03-21"),
        None,
        &LightRules::default(),
    );
    assert!(
        due.iter().any(|p| p.id == "hc-02"),
        "an escalated blocker is on the city's agenda"
    );
}

#[test]
fn a_deadline_before_the_blocker_was_opened_and_an_empty_progress_note_are_refused() {
    let l = common::ledger_with(vec![(
        "hc-02",
        blocker("2024-03-01", BlockerLevel::District),
    )]);
    let p = l.project("hc-02").unwrap();
    assert_eq!(
        check_change(
            p,
            &supervise("t:0", BlockerLevel::District, Some("2024-02-28"))
        ),
        Err(InputError::DeadlineBeforeOpened)
    );
    assert_eq!(
        check_change(p, &supervise("nope:1", BlockerLevel::District, None)),
        Err(InputError::NoSuchBlocker)
    );
    let empty = Change::BlockerProgress {
        blocker: "t:0".into(),
        date: d("2024-03-02"),
        note: "  ".into(),
    };
    assert_eq!(check_change(p, &empty), Err(InputError::EmptyNote));
    assert_eq!(
        check_change(p, &supervise("t:0", BlockerLevel::City, Some("2024-03-01"))),
        Ok(())
    );
}

#[test]
fn a_project_with_no_stage_procedures_or_planned_start_is_unknown_never_green() {
    use project_ledger::domain::light::Missing;
    // A recent visit and nothing else: nothing is known to be wrong, and
    // nothing is known to be right.
    let l = common::ledger_with(vec![("hc-02", visit("2024-03-08"))]);
    let (shade, reasons) = light_of(&l, "hc-02", "2024-03-09");
    assert_eq!(shade, Light::Unknown);
    assert_eq!(
        reasons,
        vec![Reason::Missing(vec![
            Missing::Stage,
            Missing::Procedures,
            Missing::PlannedStart
        ])]
    );
    // Each fact filled in takes its reason away; all three make it green.
    let l = common::ledger_with(vec![
        ("hc-02", visit("2024-03-08")),
        ("hc-02", Change::Stage(Some(Stage::Signed))),
    ]);
    assert_eq!(
        light_of(&l, "hc-02", "2024-03-09").1,
        vec![Reason::Missing(vec![
            Missing::Procedures,
            Missing::PlannedStart
        ])]
    );
    let l = common::ledger_with(known(vec![("hc-02", visit("2024-03-08"))]));
    assert_eq!(light_of(&l, "hc-02", "2024-03-09").0, Light::Green);
    // A start replaces the planned start: a started project is not late.
    let l = common::ledger_with(vec![
        ("hc-02", visit("2024-03-08")),
        ("hc-02", Change::Stage(Some(Stage::Started))),
        (
            "hc-02",
            Change::Procedure {
                procedure: Procedure::Land,
                done: true,
                date: None,
            },
        ),
    ]);
    assert_eq!(light_of(&l, "hc-02", "2024-03-09").0, Light::Green);
    // Red and yellow say "not fine" on their own: no 待补 beside them.
    let l = common::ledger_with(vec![]);
    assert_eq!(light_of(&l, "hc-02", "2024-03-09").0, Light::Yellow);
}

#[test]
fn a_person_cannot_record_as_done_what_has_not_happened_yet() {
    use project_ledger::domain::validate::{check_not_ahead, InputError};
    let today = d("2024-04-10");
    let done_on = |date: &str| {
        vec![(
            "hc-02".to_owned(),
            Change::Procedure {
                procedure: Procedure::ConstructionPermit,
                done: true,
                date: Some(d(date)),
            },
        )]
    };
    assert_eq!(
        check_not_ahead(&done_on("2024-05-20"), today),
        Err(InputError::FutureDate)
    );
    assert_eq!(check_not_ahead(&done_on("2024-04-10"), today), Ok(()));
    let started = vec![(
        "hc-02".to_owned(),
        Change::ActualStart(Some(d("2024-04-11"))),
    )];
    assert_eq!(
        check_not_ahead(&started, today),
        Err(InputError::FutureDate)
    );
    // A planned start is a plan: any date.
    let planned = vec![(
        "hc-02".to_owned(),
        Change::PlannedStart(Some(d("2025-01-01"))),
    )];
    assert_eq!(check_not_ahead(&planned, today), Ok(()));
}
