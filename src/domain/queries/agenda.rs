//! The office's working lists: the dispatch agenda, open blockers and their
//! URL filters, light counts.

use crate::domain::codec::{params, percent_encode};
use crate::domain::log::ledger::Ledger;
use crate::domain::rules::light::{cadence_level, light, roles, Light, LightRules};
use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{Blocker, BlockerLevel, DispatchLevel, RecordKind};
use crate::domain::vocab::people::Role;
use crate::domain::vocab::project::{District, Project};

/// Projects due for review at a dispatch meeting of `level` on `date`
/// (`district` narrows any level to one district). Rules, as the agenda prints them
/// (`text::agenda_rule`):
/// - 区县每周: the district's projects not dispatched at this level in the last 7 days;
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
        _ => b.level() == BlockerLevel::City,
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
    let all: Vec<(&Project, &Blocker)> = projects
        .into_iter()
        .flat_map(|p| {
            p.blockers
                .iter()
                .filter(|b| b.is_open())
                .map(move |b| (p, b))
        })
        .collect();
    let key = |(p, b): &(&'a Project, &'a Blocker)| (b.opened_as.opened, p.id.as_str());
    crate::domain::order::sorted(all, &|a, b| key(a).cmp(&key(b)))
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
        for (key, value) in params(text) {
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
            parts.push(format!("p={}", percent_encode(p)));
        }
        parts.join("&")
    }

    pub fn matches(&self, project: &Project, blocker: &Blocker, today: Date) -> bool {
        self.district.is_none_or(|d| project.district == Some(d))
            && self.level.is_none_or(|l| blocker.level() == l)
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
        for (key, value) in params(text) {
            match key.as_str() {
                "date" => q.date = Date::parse(&value),
                "lv" => q.level = DispatchLevel::from_key(&value).unwrap_or(q.level),
                "d" => q.district = District::from_key(&value),
                _ => {}
            }
        }
        q
    }

    /// The query as its URL carries it; the default level is left out.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.date {
            parts.push(format!("date={d}"));
        }
        if self.level != DispatchLevel::District {
            parts.push(format!("lv={}", self.level.key()));
        }
        if let Some(d) = self.district {
            parts.push(format!("d={}", d.key()));
        }
        parts.join("&")
    }
}

impl Default for AgendaQuery {
    fn default() -> AgendaQuery {
        AgendaQuery::from_query_string("")
    }
}

/// How many projects show each light today.
pub fn light_counts<'a>(
    projects: impl IntoIterator<Item = &'a Project>,
    person: &dyn Fn(&str) -> Option<Role>,
    today: Date,
    rules: &LightRules,
) -> [usize; Light::ALL.len()] {
    let mut counts = [0; Light::ALL.len()];
    for p in projects {
        counts[light(p, person, today, rules).0 as usize] += 1;
    }
    counts
}
