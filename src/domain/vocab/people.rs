//! The roster's vocabulary: roles as the article names them, a person's details.
//! The quotas and coverage rules live in `domain::rules::quotas`.

use crate::domain::vocab::project::District;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

#[derive(Clone, Debug, PartialEq)]
pub struct PersonDetails {
    pub name: String,
    pub role: Role,
    pub district: Option<District>,
    pub unit: String,
    pub phone: String,
    /// The person's sign-in name on the sync server (CouchDB's user name),
    /// empty until the office gives one: the accounts command creates the
    /// account from it, and 我是 finds the person signed in by it.
    pub login: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: String,
    pub details: PersonDetails,
}
