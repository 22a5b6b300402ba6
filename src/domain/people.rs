//! Stewardship (包保): the roster, who covers which project, and the article's
//! quota rules. The rules live here, in one place.

use super::project::{District, Project};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 市级领导: each personally handles 10 key projects.
    CityLeader,
    /// The four main district leaders (党委, 人大, 政府, 政协): at least 5 each.
    DistrictParty,
    DistrictCongress,
    DistrictGovernment,
    DistrictCppcc,
    /// Other members of a district's leadership: "some" projects each.
    LeadershipMember,
    /// 包保服务专班 / 项目管家: the team that serves a project door to door.
    ServiceTeam,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::CityLeader,
        Role::DistrictParty,
        Role::DistrictCongress,
        Role::DistrictGovernment,
        Role::DistrictCppcc,
        Role::LeadershipMember,
        Role::ServiceTeam,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::CityLeader => "市级领导",
            Role::DistrictParty => "区县党委主要领导",
            Role::DistrictCongress => "区县人大主要领导",
            Role::DistrictGovernment => "区县政府主要领导",
            Role::DistrictCppcc => "区县政协主要领导",
            Role::LeadershipMember => "区县班子成员",
            Role::ServiceTeam => "项目管家/服务专班成员",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Role::CityLeader => "city",
            Role::DistrictParty => "party",
            Role::DistrictCongress => "congress",
            Role::DistrictGovernment => "government",
            Role::DistrictCppcc => "cppcc",
            Role::LeadershipMember => "member",
            Role::ServiceTeam => "service",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn is_district_main(self) -> bool {
        matches!(
            self,
            Role::DistrictParty
                | Role::DistrictCongress
                | Role::DistrictGovernment
                | Role::DistrictCppcc
        )
    }

    /// District leaders (main or other members) belong to one district.
    pub fn is_district_leader(self) -> bool {
        self.is_district_main() || self == Role::LeadershipMember
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonDetails {
    pub name: String,
    pub role: Role,
    pub district: Option<District>,
    pub unit: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: String,
    pub details: PersonDetails,
}

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
