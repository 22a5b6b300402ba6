//! Field-work vocabulary: dispatch levels and records, blockers, the campaign's
//! settings. Types only; the rules that read them live in `domain::rules`.

use crate::domain::vocab::date::Date;

/// The four dispatch levels the article names, with their cadence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
