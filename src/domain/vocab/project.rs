//! What a project is, in the users' terms: district, stage, procedures, cluster.
//! Enums carry the article's own Chinese names as their canonical spelling; the
//! stored edit log and URLs use their short ASCII keys, written out, so renames
//! of labels or variants never break stored data.

use crate::domain::vocab::date::Date;

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $key:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

            /// Stable ASCII key: the wire name in the edit log, and the spelling in
            /// URLs. Written out, so renaming a variant never changes stored data.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
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
        Haicheng = "Haicheng" => "海城市",
        Taian = "Taian" => "台安县",
        Xiuyan = "Xiuyan" => "岫岩县",
        Tiedong = "Tiedong" => "铁东区",
        Tiexi = "Tiexi" => "铁西区",
        Lishan = "Lishan" => "立山区",
        Qianshan = "Qianshan" => "千山区",
        HighTech = "HighTech" => "鞍山高新区",
        EconomicZone = "EconomicZone" => "鞍山经济开发区",
    }
);

impl District {
    /// The two letters that begin the ids of its projects: the registry's
    /// (`hc-07`), and those a person adds or enters in it (`u-hc-…`,
    /// `person-hc-…`). A server's access rule reads a subject's district from
    /// its id alone, so the letters are data: written out, never renamed
    /// (`server/couchdb/validate.js` holds the same table).
    pub fn code(self) -> &'static str {
        match self {
            District::Haicheng => "hc",
            District::Taian => "ta",
            District::Xiuyan => "xy",
            District::Tiedong => "td",
            District::Tiexi => "tx",
            District::Lishan => "ls",
            District::Qianshan => "qs",
            District::HighTech => "gx",
            District::EconomicZone => "jk",
        }
    }

    pub fn from_code(code: &str) -> Option<District> {
        District::ALL.iter().copied().find(|d| d.code() == code)
    }

    /// The district a subject's id names: a registry project's prefix, or the
    /// code a user-added project or a person gained when made. `None` for the
    /// registry's projects of no stated district (`wz-…`), the ledger itself,
    /// and ids made before ids carried a district.
    pub fn of_subject(id: &str) -> Option<District> {
        let (head, rest) = id.split_once('-')?;
        let code = match head {
            "u" | "person" => rest.split_once('-')?.0,
            _ => head,
        };
        District::from_code(code)
    }
}

named_enum!(
    /// The lifecycle the article names: 谋划即招商、洽谈即入库、签约即帮办、拿地即开工、竣工即交证, then 投产, 达产.
    Stage {
        Planning = "Planning" => "谋划",
        Negotiating = "Negotiating" => "招商洽谈",
        Listed = "Listed" => "入库",
        Signed = "Signed" => "签约",
        LandAcquired = "LandAcquired" => "拿地",
        Started = "Started" => "开工",
        Completed = "Completed" => "竣工",
        Producing = "Producing" => "投产",
        FullCapacity = "FullCapacity" => "达产",
    }
);

named_enum!(
    /// 立项, 土地, 环评, 能评 are named in the article; the two permits complete the usual checklist.
    Procedure {
        Approval = "Approval" => "立项",
        Land = "Land" => "土地",
        Environment = "Environment" => "环评",
        Energy = "Energy" => "能评",
        PlanningPermit = "PlanningPermit" => "规划许可",
        ConstructionPermit = "ConstructionPermit" => "施工许可",
    }
);

named_enum!(
    /// The "8+1+4" industry direction: 8 advantage clusters, 1 emerging, 4 key clusters.
    Cluster {
        Steel = "Steel" => "钢铁及深加工",
        Magnesite = "Magnesite" => "菱镁",
        IronOre = "IronOre" => "铁矿",
        Equipment = "Equipment" => "装备制造",
        ConsumerGoods = "ConsumerGoods" => "消费品",
        FineChemicals = "FineChemicals" => "精细化工",
        NewEnergy = "NewEnergy" => "新能源",
        ResourceUse = "ResourceUse" => "综合资源利用",
        Emerging = "Emerging" => "新兴产业",
        CultureSportsTourism = "CultureSportsTourism" => "文体旅",
        FoodProcessing = "FoodProcessing" => "食品深加工",
        TextilesApparel = "TextilesApparel" => "纺织服装",
        LaserInformation = "LaserInformation" => "激光信息",
    }
);

/// The list name the article gives the 46 key social-investment projects.
pub const KEY_LIST: &str = "今年新开工社会投资类部分重点项目名录";

/// Where a project's row came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Shipped with the app, taken from the article.
    Registry,
    /// Added by a user of this ledger.
    UserAdded,
}

/// Who put a project in its 8+1+4 cluster. The article classifies no project,
/// so every shipped cluster is the ledger's own guess and says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClusterBy {
    Ledger,
    User,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcedureState {
    pub done: bool,
    pub date: Option<Date>,
}

impl ProcedureState {
    /// Done as of `today`: marked done, and its 办结日期 (if any) not after
    /// today. A future date typed here is refused; one that arrives from a
    /// file or another device counts from that day on, never before.
    pub fn done_by(&self, today: Date) -> bool {
        self.done && self.date.is_none_or(|d| d <= today)
    }

    /// Marked done with a 办结日期 still to come: shown with a warning.
    pub fn done_ahead(&self, today: Date) -> bool {
        self.done && !self.done_by(today)
    }
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

    /// Procedures done as of `today` (`ProcedureState::done_by`).
    pub fn procedures_done(&self, today: Date) -> usize {
        self.procedures.iter().filter(|p| p.done_by(today)).count()
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
