//! Field-work vocabulary: dispatch levels and records, blockers, the campaign's
//! settings. Types only; the rules that read them live in `domain::rules`.

use crate::domain::vocab::date::Date;

/// The four dispatch levels the article names, with their cadence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DispatchLevel {
    /// 区县领导每周调度.
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
            DispatchLevel::District => "区县领导每周调度",
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
            RecordKind::Dispatch(DispatchLevel::District) => "调度会（区县）",
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
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub date: Date,
    pub kind: RecordKind,
    /// A person of the roster, when one is named.
    pub who: Option<String>,
    pub notes: String,
}

/// Who owns a blocker: the city or the district (市级/区县).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Clone, Debug, PartialEq)]
pub struct NewBlocker {
    pub description: String,
    pub level: BlockerLevel,
    /// The unit responsible for solving it.
    pub unit: String,
    pub opened: Date,
    /// Solve by this day (完成时限), when one was set.
    pub deadline: Option<Date>,
}

/// How a blocker is supervised (督办), as the office last set it: the level
/// that owns it (escalation moves it 区县 → 市级), who answers for it, by when.
#[derive(Clone, Debug, PartialEq)]
pub struct Supervision {
    pub level: BlockerLevel,
    pub unit: String,
    pub person: String,
    pub deadline: Option<Date>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Blocker {
    /// The id of the edit that opened it.
    pub id: String,
    pub opened_as: NewBlocker,
    /// When and how it was resolved.
    pub resolved: Option<(Date, String)>,
    /// Set by the office after it was opened; overrides what it was opened with.
    pub supervision: Option<Supervision>,
    /// Progress notes (进展), in the order they were folded.
    pub progress: Vec<(Date, String)>,
    /// Deadlines it missed while open, then moved: a later deadline never
    /// turns a miss into none.
    pub missed: Vec<MissedDeadline>,
}

/// A deadline that passed with the blocker open and was moved afterwards
/// (延期). The day it moved is the day of the edit that moved it, in
/// Anshan's time (UTC+8).
#[derive(Clone, Debug, PartialEq)]
pub struct MissedDeadline {
    pub deadline: Date,
    pub moved_on: Date,
    pub moved_to: Option<Date>,
}

impl MissedDeadline {
    /// Days the deadline had passed when it was moved.
    pub fn days_over(&self) -> i64 {
        self.moved_on.days_since_epoch() - self.deadline.days_since_epoch()
    }
}

/// The calendar day in Anshan (UTC+8, no daylight saving) of a time in ms.
pub fn day_in_anshan(ms: i64) -> Date {
    const OFFSET_MS: i64 = 8 * 3_600_000;
    Date::from_days_since_epoch((ms + OFFSET_MS).div_euclid(86_400_000))
}

impl Blocker {
    pub fn new(id: String, opened_as: NewBlocker) -> Blocker {
        Blocker {
            id,
            opened_as,
            resolved: None,
            supervision: None,
            progress: Vec::new(),
            missed: Vec::new(),
        }
    }

    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }

    /// The level that owns it now.
    pub fn level(&self) -> BlockerLevel {
        self.supervision
            .as_ref()
            .map_or(self.opened_as.level, |s| s.level)
    }

    /// The unit responsible now.
    pub fn unit(&self) -> &str {
        self.supervision
            .as_ref()
            .map_or(&self.opened_as.unit, |s| &s.unit)
    }

    /// The person responsible, when the office named one.
    pub fn person(&self) -> &str {
        self.supervision.as_ref().map_or("", |s| &s.person)
    }

    pub fn deadline(&self) -> Option<Date> {
        match &self.supervision {
            Some(s) => s.deadline,
            None => self.opened_as.deadline,
        }
    }

    /// Days past its deadline while open (0 when on time or none is set).
    pub fn days_overdue(&self, today: Date) -> i64 {
        match (self.is_open(), self.deadline()) {
            (true, Some(d)) => (today.days_since_epoch() - d.days_since_epoch()).max(0),
            _ => 0,
        }
    }

    /// How it is supervised now, as a change would set it.
    pub fn supervision_now(&self) -> Supervision {
        self.supervision.clone().unwrap_or_else(|| Supervision {
            level: self.opened_as.level,
            unit: self.opened_as.unit.clone(),
            person: String::new(),
            deadline: self.opened_as.deadline,
        })
    }

    /// Days open: until today while open, until its resolution after.
    pub fn age_days(&self, today: Date) -> i64 {
        let end = self.resolved.as_ref().map_or(today, |(d, _)| *d);
        end.days_since_epoch() - self.opened_as.opened.days_since_epoch()
    }
}

/// The 100-day start campaign (开工百日攻坚). The article gives no start date;
/// its campaign was launched right after 2024-02-18, which is the default.
#[derive(Clone, Copy, Debug, PartialEq)]
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
