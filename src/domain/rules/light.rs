//! The traffic light: its rules in one place (`LightRules`), its colours and
//! the reasons for them. "Today" is always passed in, so tests inject the clock.

use crate::domain::log::ledger::Ledger;
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{Blocker, BlockerLevel, DispatchLevel};
use crate::domain::vocab::people::{Person, Role};
use crate::domain::vocab::project::{Procedure, Project, Stage};

/// The traffic light's rules in one place. The cadences come from the
/// article; the day limits are this app's defaults (the article sets none) and
/// the rules page says so.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LightRules {
    /// Red when the planned start has passed by more than this without a start.
    pub late_start_days: i64,
    /// Red when a blocker is open longer than this (district-owned)…
    pub district_blocker_days: i64,
    /// …or this (city-owned).
    pub city_blocker_days: i64,
    /// Yellow when a procedure is missing and the planned start is this close (or past).
    pub procedure_due_days: i64,
}

impl Default for LightRules {
    fn default() -> LightRules {
        LightRules {
            late_start_days: 7,
            district_blocker_days: 7,
            city_blocker_days: 15,
            procedure_due_days: 30,
        }
    }
}

/// Green means known and on track: a project whose basic facts are not in
/// the ledger is 待补, never green (status must never flatter).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Light {
    Red,
    Yellow,
    /// 待补: nothing is known to be wrong, but what the light needs is missing.
    Unknown,
    Green,
}

impl Light {
    pub const ALL: [Light; 4] = [Light::Red, Light::Yellow, Light::Unknown, Light::Green];

    pub fn key(self) -> &'static str {
        match self {
            Light::Red => "red",
            Light::Yellow => "yellow",
            Light::Unknown => "unknown",
            Light::Green => "green",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Light::Red => "红灯",
            Light::Yellow => "黄灯",
            Light::Unknown => "待补",
            Light::Green => "绿灯",
        }
    }
}

/// A basic fact the light needs that the ledger does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// No stage recorded.
    Stage,
    /// No procedure recorded as done or dated: 0/6 says nothing.
    Procedures,
    /// Not started and no planned start: lateness cannot be judged.
    PlannedStart,
}

impl Missing {
    pub const ALL: [Missing; 3] = [Missing::Stage, Missing::Procedures, Missing::PlannedStart];

    pub fn holds_for(self, p: &Project) -> bool {
        match self {
            Missing::Stage => p.stage.is_none(),
            Missing::Procedures => p.procedures.iter().all(|x| !x.done && x.date.is_none()),
            Missing::PlannedStart => p.planned_start.is_none() && !is_started(p),
        }
    }
}

/// How long after a missed deadline was moved an open blocker keeps its
/// project's light yellow: a month, so the next 调度 sees it.
pub const MISSED_SHOWN_DAYS: i64 = 30;

/// Why a light is not green.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Planned start passed `days` ago and the project has not started.
    LateStart { days: i64 },
    /// A blocker with no deadline open `days`, over its level's `limit`.
    OldBlocker { days: i64, limit: i64 },
    /// A blocker open `days` past its deadline.
    OverdueBlocker { days: i64 },
    /// An open blocker whose deadline passed `days` before it was moved on
    /// `moved_on`, within `MISSED_SHOWN_DAYS`.
    MissedDeadline { days: i64, moved_on: Date },
    /// No record within the lead steward's cadence; `last` is the newest record.
    NoRecentRecord {
        cadence: DispatchLevel,
        last: Option<Date>,
    },
    /// Missing procedures with the planned start `days_left` away (negative: past).
    ProcedureDue {
        missing: Vec<Procedure>,
        days_left: i64,
    },
    /// What the ledger says does not fit together: a warning, never a refusal.
    Implausible(Implausible),
    /// Basic facts not in the ledger (待补).
    Missing(Vec<Missing>),
}

/// Plausibility rules, all in one place (the rules page lists `Implausible::ALL`):
/// a stage ahead of its procedures, dates in the wrong order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implausible {
    /// 竣工, 投产 or 达产 with 施工许可 not done.
    FinishedWithoutPermit,
    /// 开工 or later with 土地 not done.
    StartedWithoutLand,
    /// The actual start is before the signing.
    StartedBeforeSigning,
}

impl Implausible {
    pub const ALL: [Implausible; 3] = [
        Implausible::FinishedWithoutPermit,
        Implausible::StartedWithoutLand,
        Implausible::StartedBeforeSigning,
    ];

    pub fn holds_for(self, p: &Project) -> bool {
        match self {
            Implausible::FinishedWithoutPermit => {
                p.stage.is_some_and(|s| s >= Stage::Completed)
                    && !p.procedure(Procedure::ConstructionPermit).done
            }
            Implausible::StartedWithoutLand => is_started(p) && !p.procedure(Procedure::Land).done,
            Implausible::StartedBeforeSigning => {
                matches!((p.actual_start, p.signed_on), (Some(start), Some(signed)) if start < signed)
            }
        }
    }
}

/// The plausibility warnings a project raises.
pub fn implausible(p: &Project) -> impl Iterator<Item = Implausible> + '_ {
    Implausible::ALL.into_iter().filter(|x| x.holds_for(p))
}

pub fn is_started(project: &Project) -> bool {
    project.actual_start.is_some() || project.stage.is_some_and(|s| s >= Stage::Started)
}

/// The dispatch level whose cadence a project's records must keep: its lead
/// steward's. A city leader's projects are dispatched half-monthly; every other
/// project falls to its district, weekly.
pub fn cadence_level(project: &Project, person: &dyn Fn(&str) -> Option<Role>) -> DispatchLevel {
    if project
        .stewards
        .iter()
        .any(|s| person(s) == Some(Role::CityLeader))
    {
        DispatchLevel::CityLeader
    } else {
        DispatchLevel::District
    }
}

/// Days a blocker with no deadline may stay open at its level.
fn age_limit(blocker: &Blocker, rules: &LightRules) -> i64 {
    match blocker.level() {
        BlockerLevel::City => rules.city_blocker_days,
        BlockerLevel::District => rules.district_blocker_days,
    }
}

/// Open past its deadline, or, with none set, longer than its level allows.
/// The light and the ranking count the same blockers.
pub fn is_overdue(blocker: &Blocker, today: Date, rules: &LightRules) -> bool {
    blocker.is_open()
        && match blocker.deadline() {
            Some(_) => blocker.days_overdue(today) > 0,
            None => blocker.age_days(today) > age_limit(blocker, rules),
        }
}

/// The light and every reason for it (empty when green).
pub fn light(
    project: &Project,
    person: &dyn Fn(&str) -> Option<Role>,
    today: Date,
    rules: &LightRules,
) -> (Light, Vec<Reason>) {
    let today_n = today.days_since_epoch();
    let mut red = Vec::new();
    let mut yellow = Vec::new();
    let started = is_started(project);
    if let (Some(planned), false) = (project.planned_start, started) {
        let late = today_n - planned.days_since_epoch();
        if late > rules.late_start_days {
            red.push(Reason::LateStart { days: late });
        }
    }
    for blocker in project.blockers.iter().filter(|b| b.is_open()) {
        if blocker.deadline().is_some() {
            let days = blocker.days_overdue(today);
            if days > 0 {
                red.push(Reason::OverdueBlocker { days });
            }
        } else if is_overdue(blocker, today, rules) {
            let (days, limit) = (blocker.age_days(today), age_limit(blocker, rules));
            red.push(Reason::OldBlocker { days, limit });
        }
    }
    for blocker in project.blockers.iter().filter(|b| b.is_open()) {
        let mut recent = blocker
            .missed
            .iter()
            .filter(|m| today_n - m.moved_on.days_since_epoch() <= MISSED_SHOWN_DAYS);
        if let Some(m) = recent.next_back() {
            yellow.push(Reason::MissedDeadline {
                days: m.days_over(),
                moved_on: m.moved_on,
            });
        }
    }
    let cadence = cadence_level(project, person);
    let last = project.records.iter().map(|(_, r)| r.date).max();
    if last.is_none_or(|d| today_n - d.days_since_epoch() > cadence.cadence_days()) {
        yellow.push(Reason::NoRecentRecord { cadence, last });
    }
    if let (Some(planned), false) = (project.planned_start, started) {
        let days_left = planned.days_since_epoch() - today_n;
        let missing: Vec<Procedure> = Procedure::ALL
            .iter()
            .copied()
            .filter(|x| !project.procedure(*x).done_by(today))
            .collect();
        if days_left <= rules.procedure_due_days && !missing.is_empty() {
            yellow.push(Reason::ProcedureDue { missing, days_left });
        }
    }
    yellow.extend(implausible(project).map(Reason::Implausible));
    let missing: Vec<Missing> = Missing::ALL
        .into_iter()
        .filter(|m| m.holds_for(project))
        .collect();
    // Red and yellow already say "not fine"; 待补 is what would be green.
    if !red.is_empty() {
        red.extend(yellow);
        (Light::Red, red)
    } else if !yellow.is_empty() {
        (Light::Yellow, yellow)
    } else if !missing.is_empty() {
        (Light::Unknown, vec![Reason::Missing(missing)])
    } else {
        (Light::Green, Vec::new())
    }
}

/// A ledger's role lookup, for `light` and `cadence_level`.
pub fn roles(ledger: &Ledger) -> impl Fn(&str) -> Option<Role> + '_ {
    move |id| ledger.person(id).map(|p: &Person| p.details.role)
}
