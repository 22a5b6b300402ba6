//! Stewardship (包保) rules: the article's quotas (10 for a city leader, at
//! least 5 for a district main leader), coverage gaps, the phone check.

use crate::domain::vocab::people::{Person, Role};
use crate::domain::vocab::project::Project;

/// The article's numbers, as defaults that an office can change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuotaRules {
    /// 市级领导每人重点抓10个项目.
    pub city_leader_projects: usize,
    /// 主要领导每人至少包保5个项目.
    pub district_main_min_projects: usize,
}

impl Default for QuotaRules {
    fn default() -> QuotaRules {
        QuotaRules {
            city_leader_projects: 10,
            district_main_min_projects: 5,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quota {
    /// Holds exactly (city leader) or at least (district main leader) the number.
    Met {
        rule: usize,
    },
    Under {
        rule: usize,
    },
    /// Only city leaders can be over: their number is exact.
    Over {
        rule: usize,
    },
    /// No number applies (班子成员, service team): count only.
    CountOnly,
}

impl QuotaRules {
    pub fn check(&self, role: Role, count: usize) -> Quota {
        match role {
            Role::CityLeader => {
                let rule = self.city_leader_projects;
                match count.cmp(&rule) {
                    std::cmp::Ordering::Less => Quota::Under { rule },
                    std::cmp::Ordering::Equal => Quota::Met { rule },
                    std::cmp::Ordering::Greater => Quota::Over { rule },
                }
            }
            r if r.is_district_main() => {
                let rule = self.district_main_min_projects;
                if count >= rule {
                    Quota::Met { rule }
                } else {
                    Quota::Under { rule }
                }
            }
            _ => Quota::CountOnly,
        }
    }
}

/// Ways a project's coverage falls short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gap {
    NoSteward,
    NoCityLeader,
    NoServiceTeam,
    /// A district leader of another district covers it.
    ForeignDistrictLeader,
}

impl Gap {
    pub const ALL: [Gap; 4] = [
        Gap::NoSteward,
        Gap::NoCityLeader,
        Gap::NoServiceTeam,
        Gap::ForeignDistrictLeader,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Gap::NoSteward => "none",
            Gap::NoCityLeader => "no_city",
            Gap::NoServiceTeam => "no_team",
            Gap::ForeignDistrictLeader => "foreign",
        }
    }
}

/// Coverage gaps of one project; `person` finds a steward by id.
pub fn gaps<'a>(project: &Project, person: impl Fn(&str) -> Option<&'a Person>) -> Vec<Gap> {
    let stewards: Vec<&Person> = project
        .stewards
        .iter()
        .filter_map(|id| person(id))
        .collect();
    let mut gaps = Vec::new();
    if stewards.is_empty() {
        gaps.push(Gap::NoSteward);
    }
    if !stewards.iter().any(|p| p.details.role == Role::CityLeader) {
        gaps.push(Gap::NoCityLeader);
    }
    if !stewards.iter().any(|p| p.details.role == Role::ServiceTeam) {
        gaps.push(Gap::NoServiceTeam);
    }
    let foreign = stewards.iter().any(|p| {
        p.details.role.is_district_leader()
            && project.district.is_some()
            && p.details.district != project.district
    });
    if foreign {
        gaps.push(Gap::ForeignDistrictLeader);
    }
    gaps
}

/// Phone numbers as offices write them: mobile (11 digits from 1), or a
/// landline with area code (0xx-xxxxxxxx); spaces, dashes and +86 allowed.
pub fn valid_phone(text: &str) -> bool {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits.strip_prefix("+86").unwrap_or(&digits);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match digits.as_bytes().first() {
        Some(b'1') => digits.len() == 11,
        Some(b'0') => (10..=12).contains(&digits.len()),
        _ => false,
    }
}
