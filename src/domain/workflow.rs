//! The article's working rhythm as data: visit and dispatch records, blockers
//! on a clock, the traffic light, the 100-day campaign and the dispatch agenda.
//! Every rule and number lives here, in `LightRules` and `CampaignSettings`;
//! "today" is always passed in, so tests inject the clock.

use super::date::Date;
use super::edit::Ledger;
use super::people::{Person, Role};
use super::project::{District, Procedure, Project, Stage};
use serde::{Deserialize, Serialize};

/// The four dispatch levels the article names, with their cadence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DispatchLevel {
    /// 县区领导每周调度.
    District,
    /// 市级领导每半月调度.
    CityLeader,
    /// 市政府每月调度.
    CityGovernment,
    /// 市委每两个月调度.
    PartyCommittee,
}

impl DispatchLevel {
    pub const ALL: [DispatchLevel; 4] = [
        DispatchLevel::District,
        DispatchLevel::CityLeader,
        DispatchLevel::CityGovernment,
        DispatchLevel::PartyCommittee,
    ];

    /// Days between two meetings at this level, from the article.
    pub fn cadence_days(self) -> i64 {
        match self {
            DispatchLevel::District => 7,
            DispatchLevel::CityLeader => 15,
            DispatchLevel::CityGovernment => 30,
            DispatchLevel::PartyCommittee => 60,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DispatchLevel::District => "县区领导每周调度",
            DispatchLevel::CityLeader => "市级领导每半月调度",
            DispatchLevel::CityGovernment => "市政府每月调度",
            DispatchLevel::PartyCommittee => "市委每两个月调度",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            DispatchLevel::District => "district",
            DispatchLevel::CityLeader => "leader",
            DispatchLevel::CityGovernment => "government",
            DispatchLevel::PartyCommittee => "party",
        }
    }

    pub fn from_key(key: &str) -> Option<DispatchLevel> {
        DispatchLevel::ALL.into_iter().find(|l| l.key() == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    /// 走访: a steward at the site.
    Visit,
    /// 调度会 at one of the four levels.
    Dispatch(DispatchLevel),
    /// 督查.
    Inspection,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Visit,
        RecordKind::Dispatch(DispatchLevel::District),
        RecordKind::Dispatch(DispatchLevel::CityLeader),
        RecordKind::Dispatch(DispatchLevel::CityGovernment),
        RecordKind::Dispatch(DispatchLevel::PartyCommittee),
        RecordKind::Inspection,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Visit => "走访",
            RecordKind::Dispatch(DispatchLevel::District) => "调度会（县区）",
            RecordKind::Dispatch(DispatchLevel::CityLeader) => "调度会（市级领导）",
            RecordKind::Dispatch(DispatchLevel::CityGovernment) => "调度会（市政府）",
            RecordKind::Dispatch(DispatchLevel::PartyCommittee) => "调度会（市委）",
            RecordKind::Inspection => "督查",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Visit => "visit",
            RecordKind::Dispatch(level) => level.key(),
            RecordKind::Inspection => "inspection",
        }
    }

    pub fn from_key(key: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// A visit, dispatch meeting or inspection about one project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub date: Date,
    pub kind: RecordKind,
    /// A person of the roster, when one is named.
    pub who: Option<String>,
    pub notes: String,
}

/// Who owns a blocker: the city or the district (市级/区县).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BlockerLevel {
    City,
    District,
}

impl BlockerLevel {
    pub const ALL: [BlockerLevel; 2] = [BlockerLevel::City, BlockerLevel::District];

    pub fn name(self) -> &'static str {
        match self {
            BlockerLevel::City => "市级",
            BlockerLevel::District => "区县",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            BlockerLevel::City => "city",
            BlockerLevel::District => "district",
        }
    }

    pub fn from_key(key: &str) -> Option<BlockerLevel> {
        BlockerLevel::ALL.into_iter().find(|l| l.key() == key)
    }
}

/// A blocker (问题/堵点) as it was opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewBlocker {
    pub description: String,
    pub level: BlockerLevel,
    pub unit: String,
    pub opened: Date,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Blocker {
    /// The id of the edit that opened it.
    pub id: String,
    pub opened_as: NewBlocker,
    /// When and how it was resolved.
    pub resolved: Option<(Date, String)>,
}

impl Blocker {
    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }

    /// Days open: until today while open, until its resolution after.
    pub fn age_days(&self, today: Date) -> i64 {
        let end = self.resolved.as_ref().map_or(today, |(d, _)| *d);
        end.days_since_epoch() - self.opened_as.opened.days_since_epoch()
    }
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Light {
    Red,
    Yellow,
    Green,
}

impl Light {
    pub const ALL: [Light; 3] = [Light::Red, Light::Yellow, Light::Green];

    pub fn key(self) -> &'static str {
        match self {
            Light::Red => "red",
            Light::Yellow => "yellow",
            Light::Green => "green",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Light::Red => "红灯",
            Light::Yellow => "黄灯",
            Light::Green => "绿灯",
        }
    }
}

/// Why a light is not green.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Planned start passed `days` ago and the project has not started.
    LateStart { days: i64 },
    /// A blocker open `days`, over its level's `limit`.
    OldBlocker { days: i64, limit: i64 },
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
        let limit = match blocker.opened_as.level {
            BlockerLevel::City => rules.city_blocker_days,
            BlockerLevel::District => rules.district_blocker_days,
        };
        let days = blocker.age_days(today);
        if days > limit {
            red.push(Reason::OldBlocker { days, limit });
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
            .filter(|x| !project.procedure(*x).done)
            .collect();
        if days_left <= rules.procedure_due_days && !missing.is_empty() {
            yellow.push(Reason::ProcedureDue { missing, days_left });
        }
    }
    if !red.is_empty() {
        red.extend(yellow);
        (Light::Red, red)
    } else if !yellow.is_empty() {
        (Light::Yellow, yellow)
    } else {
        (Light::Green, Vec::new())
    }
}

/// A ledger's role lookup, for `light` and `cadence_level`.
pub fn roles(ledger: &Ledger) -> impl Fn(&str) -> Option<Role> + '_ {
    move |id| ledger.person(id).map(|p: &Person| p.details.role)
}

/// The 100-day start campaign (开工百日攻坚). The article gives no start date;
/// its campaign was launched right after 2024-02-18, which is the default.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignSettings {
    pub start: Date,
    pub days: u16,
}

impl Default for CampaignSettings {
    fn default() -> CampaignSettings {
        CampaignSettings {
            start: Date::new(2024, 2, 18).expect("a valid date"),
            days: 100,
        }
    }
}

impl CampaignSettings {
    /// The last day of the campaign (day `days`, counting the start as day 1).
    pub fn last_day(&self) -> Date {
        Date::from_days_since_epoch(self.start.days_since_epoch() + i64::from(self.days) - 1)
    }

    /// Days left, today included: the whole length up to the first day, 1 on
    /// the last day, 0 after it.
    pub fn days_left(&self, today: Date) -> i64 {
        let last = self.last_day().days_since_epoch();
        let from = today.days_since_epoch().max(self.start.days_since_epoch());
        (last - from + 1).clamp(0, i64::from(self.days))
    }

    pub fn has_ended(&self, today: Date) -> bool {
        today > self.last_day()
    }
}

/// Whether a project belongs to the campaign: its own setting, else whether it
/// is on the article's list of key social-investment projects.
pub fn in_campaign(project: &Project) -> bool {
    project
        .in_campaign
        .unwrap_or(project.list == super::summary::KEY_LIST)
}

#[derive(Clone, Debug, PartialEq)]
pub struct CampaignProgress<'a> {
    pub projects: usize,
    pub started: usize,
    /// Not yet started, by planned start (unknown dates last), then registry order.
    pub waiting: Vec<&'a Project>,
}

pub fn campaign_progress<'a>(
    projects: impl IntoIterator<Item = &'a Project>,
) -> CampaignProgress<'a> {
    let mut progress = CampaignProgress {
        projects: 0,
        started: 0,
        waiting: Vec::new(),
    };
    for p in projects.into_iter().filter(|p| in_campaign(p)) {
        progress.projects += 1;
        if is_started(p) {
            progress.started += 1;
        } else {
            progress.waiting.push(p);
        }
    }
    progress
        .waiting
        .sort_by_key(|p| (p.planned_start.is_none(), p.planned_start));
    progress
}

/// Projects due for review at a dispatch meeting of `level` on `date`
/// (`district` narrows any level to one district). Rules, as the agenda prints them
/// (`text::agenda_rule`):
/// - 县区每周: the district's projects not dispatched at this level in the last 7 days;
/// - 市级领导每半月: projects a city leader stewards, not dispatched at this level in the last 15 days;
/// - 市政府每月 and 市委每两个月: projects with a red light or an open city-level blocker;
/// - at every level, any project with an open blocker its level owns.
pub fn agenda<'a>(
    ledger: &'a Ledger,
    level: DispatchLevel,
    date: Date,
    district: Option<District>,
    rules: &LightRules,
) -> Vec<&'a Project> {
    let role = roles(ledger);
    let today = date.days_since_epoch();
    let owns = |b: &Blocker| match level {
        DispatchLevel::District => true,
        _ => b.opened_as.level == BlockerLevel::City,
    };
    ledger
        .projects()
        .filter(|p| district.is_none() || p.district == district)
        .filter(|p| {
            if p.blockers.iter().any(|b| b.is_open() && owns(b)) {
                return true;
            }
            let recently_dispatched = || {
                p.records.iter().any(|(_, r)| {
                    r.kind == RecordKind::Dispatch(level)
                        && r.date <= date
                        && today - r.date.days_since_epoch() < level.cadence_days()
                })
            };
            match level {
                DispatchLevel::District => !recently_dispatched(),
                DispatchLevel::CityLeader => {
                    cadence_level(p, &role) == DispatchLevel::CityLeader && !recently_dispatched()
                }
                DispatchLevel::CityGovernment | DispatchLevel::PartyCommittee => {
                    light(p, &role, date, rules).0 == Light::Red
                }
            }
        })
        .collect()
}

/// Every open blocker with its project, oldest first.
pub fn open_blockers<'a>(
    projects: impl IntoIterator<Item = &'a Project>,
) -> Vec<(&'a Project, &'a Blocker)> {
    let mut all: Vec<(&Project, &Blocker)> = projects
        .into_iter()
        .flat_map(|p| {
            p.blockers
                .iter()
                .filter(|b| b.is_open())
                .map(move |b| (p, b))
        })
        .collect();
    all.sort_by_key(|(p, b)| (b.opened_as.opened, p.id.clone()));
    all
}

/// The open-blocker list's filters, as its URL carries them
/// (`d=Haicheng&lv=city&age=7&p=<person>`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockerFilter {
    pub district: Option<District>,
    pub level: Option<BlockerLevel>,
    /// Open at least this many days.
    pub min_age: Option<i64>,
    /// Projects this person stewards.
    pub steward: Option<String>,
}

impl BlockerFilter {
    pub fn from_query_string(text: &str) -> BlockerFilter {
        let mut f = BlockerFilter::default();
        for (key, value) in super::filter::params(text) {
            match key.as_str() {
                "d" => f.district = District::from_key(&value),
                "lv" => f.level = BlockerLevel::from_key(&value),
                "age" => f.min_age = value.parse().ok().filter(|n| *n >= 0),
                "p" => f.steward = Some(value).filter(|v| !v.is_empty()),
                _ => {}
            }
        }
        f
    }

    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.district {
            parts.push(format!("d={}", d.key()));
        }
        if let Some(l) = self.level {
            parts.push(format!("lv={}", l.key()));
        }
        if let Some(n) = self.min_age {
            parts.push(format!("age={n}"));
        }
        if let Some(p) = &self.steward {
            parts.push(format!("p={}", super::filter::percent_encode(p)));
        }
        parts.join("&")
    }

    pub fn matches(&self, project: &Project, blocker: &Blocker, today: Date) -> bool {
        self.district.is_none_or(|d| project.district == Some(d))
            && self.level.is_none_or(|l| blocker.opened_as.level == l)
            && self.min_age.is_none_or(|n| blocker.age_days(today) >= n)
            && self
                .steward
                .as_ref()
                .is_none_or(|p| project.stewards.contains(p))
    }
}

/// The agenda's choice: meeting date, level, district (`date=2024-03-08&lv=district&d=Haicheng`).
#[derive(Clone, Debug, PartialEq)]
pub struct AgendaQuery {
    pub date: Option<Date>,
    pub level: DispatchLevel,
    pub district: Option<District>,
}

impl AgendaQuery {
    pub fn from_query_string(text: &str) -> AgendaQuery {
        let mut q = AgendaQuery {
            date: None,
            level: DispatchLevel::District,
            district: None,
        };
        for (key, value) in super::filter::params(text) {
            match key.as_str() {
                "date" => q.date = Date::parse(&value),
                "lv" => q.level = DispatchLevel::from_key(&value).unwrap_or(q.level),
                "d" => q.district = District::from_key(&value),
                _ => {}
            }
        }
        q
    }
}

/// How many projects show each light today.
pub fn light_counts<'a>(
    projects: impl IntoIterator<Item = &'a Project>,
    person: &dyn Fn(&str) -> Option<Role>,
    today: Date,
    rules: &LightRules,
) -> [usize; 3] {
    let mut counts = [0; 3];
    for p in projects {
        counts[light(p, person, today, rules).0 as usize] += 1;
    }
    counts
}
