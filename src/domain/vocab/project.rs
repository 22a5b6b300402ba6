//! What a project is, in the users' terms: district, stage, procedures, cluster.
//! Enums carry the article's own Chinese names as their canonical spelling; the
//! stored edit log uses the short ASCII serde names so renames of labels never
//! break stored data.

use crate::domain::vocab::date::Date;
use serde::{Deserialize, Serialize};

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The article's name for it.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_name(text: &str) -> Option<$name> {
                let text = text.trim();
                $name::ALL.iter().copied().find(|v| v.name() == text)
            }

            /// Stable ASCII key: the serde name in the edit log, and the spelling in URLs.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.key() == key)
            }
        }
    };
}

named_enum!(
    /// The nine districts and counties of the article's list.
    District {
        Haicheng => "海城市",
        Taian => "台安县",
        Xiuyan => "岫岩县",
        Tiedong => "铁东区",
        Tiexi => "铁西区",
        Lishan => "立山区",
        Qianshan => "千山区",
        HighTech => "鞍山高新区",
        EconomicZone => "鞍山经济开发区",
    }
);

named_enum!(
    /// The lifecycle the article names: 谋划即招商、洽谈即入库、签约即帮办、拿地即开工、竣工即交证, then 投产, 达产.
    Stage {
        Planning => "谋划",
        Negotiating => "招商洽谈",
        Listed => "入库",
        Signed => "签约",
        LandAcquired => "拿地",
        Started => "开工",
        Completed => "竣工",
        Producing => "投产",
        FullCapacity => "达产",
    }
);

named_enum!(
    /// 立项, 土地, 环评, 能评 are named in the article; the two permits complete the usual checklist.
    Procedure {
        Approval => "立项",
        Land => "土地",
        Environment => "环评",
        Energy => "能评",
        PlanningPermit => "规划许可",
        ConstructionPermit => "施工许可",
    }
);

named_enum!(
    /// The "8+1+4" industry direction: 8 advantage clusters, 1 emerging, 4 key clusters.
    Cluster {
        Steel => "钢铁及深加工",
        Magnesite => "菱镁",
        IronOre => "铁矿",
        Equipment => "装备制造",
        ConsumerGoods => "消费品",
        FineChemicals => "精细化工",
        NewEnergy => "新能源",
        ResourceUse => "综合资源利用",
        Emerging => "新兴产业",
        CultureSportsTourism => "文体旅",
        FoodProcessing => "食品深加工",
        TextilesApparel => "纺织服装",
        LaserInformation => "激光信息",
    }
);

/// The list name the article gives the 46 key social-investment projects.
pub const KEY_LIST: &str = "今年新开工社会投资类部分重点项目名录";

/// Where a project's row came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// Shipped with the app, taken from the article.
    Registry,
    /// Added by a user of this ledger.
    UserAdded,
}

/// Who put a project in its 8+1+4 cluster. The article classifies no project,
/// so every shipped cluster is the ledger's own guess and says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClusterBy {
    Ledger,
    User,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureState {
    pub done: bool,
    pub date: Option<Date>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    pub id: String,
    pub origin: Origin,
    pub name: String,
    pub owner: String,
    pub district: Option<District>,
    /// The list or role the article gives the project.
    pub list: String,
    pub category: String,
    pub scale: String,
    pub cluster: Option<Cluster>,
    pub cluster_by: Option<ClusterBy>,
    pub stage: Option<Stage>,
    /// Indexed like `Procedure::ALL`.
    pub procedures: [ProcedureState; 6],
    pub signed_on: Option<Date>,
    pub planned_start: Option<Date>,
    pub actual_start: Option<Date>,
    pub investment_wan: Option<f64>,
    pub site_area_m2: Option<u32>,
    pub floor_area_m2: Option<u32>,
    /// Facts the article states about this project, in its words.
    pub facts: Vec<String>,
    /// Where in the article the project appears.
    pub source: String,
    pub notes: String,
    /// Time of the newest edit applied, milliseconds since 1970.
    pub changed_at: Option<i64>,
    /// Person ids, in order of assignment; slots follow from each person's role.
    pub stewards: Vec<String>,
    /// The service-team member answerable for the project.
    pub responsible: Option<String>,
    /// Visits, dispatch meetings and inspections: (edit id, record), oldest first.
    pub records: Vec<(String, crate::domain::vocab::fieldwork::Record)>,
    /// Blockers, in the order they were opened.
    pub blockers: Vec<crate::domain::vocab::fieldwork::Blocker>,
    /// In the 100-day campaign; `None`: the default (`workflow::in_campaign`).
    pub in_campaign: Option<bool>,
}

impl Project {
    pub fn new_user_added(id: String, name: String, district: Option<District>) -> Project {
        Project {
            id,
            origin: Origin::UserAdded,
            name,
            owner: String::new(),
            district,
            list: String::new(),
            category: String::new(),
            scale: String::new(),
            cluster: None,
            cluster_by: None,
            stage: None,
            procedures: Default::default(),
            signed_on: None,
            planned_start: None,
            actual_start: None,
            investment_wan: None,
            site_area_m2: None,
            floor_area_m2: None,
            facts: Vec::new(),
            source: String::new(),
            notes: String::new(),
            changed_at: None,
            stewards: Vec::new(),
            responsible: None,
            records: Vec::new(),
            blockers: Vec::new(),
            in_campaign: None,
        }
    }

    pub fn procedure(&self, procedure: Procedure) -> ProcedureState {
        self.procedures[procedure as usize]
    }

    pub fn procedures_done(&self) -> usize {
        self.procedures.iter().filter(|p| p.done).count()
    }
}

/// Projects grouped under the article's districts in the article's order; the
/// group without a district comes last.
pub fn by_district<'a>(
    projects: impl Iterator<Item = &'a Project>,
) -> Vec<(Option<District>, Vec<&'a Project>)> {
    let mut groups: Vec<(Option<District>, Vec<&'a Project>)> = District::ALL
        .iter()
        .map(|d| (Some(*d), Vec::new()))
        .chain([(None, Vec::new())])
        .collect();
    for project in projects {
        let slot = project.district.map_or(District::ALL.len(), |d| d as usize);
        groups[slot].1.push(project);
    }
    groups.retain(|(_, projects)| !projects.is_empty());
    groups
}
