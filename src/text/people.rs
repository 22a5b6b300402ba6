//! The roster, stewards and quotas.

#[allow(unused_imports)]
use super::*;

pub fn gap_label(gap: crate::domain::quotas::Gap) -> &'static str {
    use crate::domain::quotas::Gap;
    match gap {
        Gap::NoSteward => "无人包保",
        Gap::NoCityLeader => "无市级领导包保",
        Gap::NoServiceTeam => "无服务专班",
        Gap::ForeignDistrictLeader => "有外区县领导包保",
    }
}

pub const NAV_PEOPLE: &str = "包保";
pub const PEOPLE_HEADING: &str = "包保人员与工作量";
pub const PEOPLE_EMPTY: &str =
    "名单还是空的。请先添加人员（文章未列出任何姓名，本应用不预置人员）。";
pub const ADD_PERSON: &str = "添加人员";
pub const SAVE_PERSON: &str = "保存";
pub const EDIT_PERSON: &str = "修改人员信息";
pub const PERSON_NAME: &str = "姓名";
pub const PERSON_ROLE: &str = "职务类别";
pub const PERSON_DISTRICT: &str = "所在区县";
pub const PERSON_UNIT: &str = "单位";
pub const PERSON_PHONE: &str = "电话（可不填）";
pub const DISTRICT_NONE: &str = "（不属于某区县）";
pub const WORKLOAD_COUNT: &str = "包保项目数";
pub const QUOTA: &str = "任务要求";
pub const COVERAGE_HEADING: &str = "覆盖检查";
/// The article's quotas, from `QuotaRules`.
pub fn rules_note() -> String {
    let q = crate::domain::quotas::QuotaRules::default();
    format!(
        "规则（据文章）：市级领导每人重点抓{}个项目；各地区党委、人大、政府、政协主要领导每人至少包保{}个项目；班子成员和服务专班只计数。",
        q.city_leader_projects, q.district_main_min_projects
    )
}
pub const MY_PROJECTS: &str = "包保的项目";
pub const NO_PROJECTS: &str = "尚未包保任何项目。";
pub const REMOVE_PERSON: &str = "移除此人";
pub const REMOVE_PERSON_CONFIRM: &str = "确认移除";
pub const REASSIGN_TO: &str = "把此人的项目转给";
pub const LEAVE_UNCOVERED: &str = "不转给别人（这些项目将少一名包保人）";
pub const CANCEL: &str = "取消";
pub const STEWARDS_HEADING: &str = "包保";
pub const CITY_LEADER_SLOT: &str = "市级领导（牵头）";
pub const DISTRICT_LEADERS_SLOT: &str = "区县领导";
pub const SERVICE_TEAM_SLOT: &str = "服务专班 / 项目管家";
pub const RESPONSIBLE: &str = "责任人";
pub const ADD_STEWARD: &str = "添加包保人";
pub const UNASSIGN: &str = "移出";
pub const ASSIGN_SELECTED: &str = "指派给所选项目";
pub const UNASSIGN_SELECTED: &str = "从所选项目移出";
pub const CHOOSE_PERSON: &str = "选择人员";
pub const NOBODY: &str = "（无）";
pub const ROSTER_NEEDED: &str = "先在“包保”页添加人员，才能指派。";

pub fn quota_text(
    quota: crate::domain::quotas::Quota,
    role: crate::domain::people::Role,
) -> String {
    use crate::domain::people::Role;
    use crate::domain::quotas::Quota;
    let rule = |n: usize| {
        if role == Role::CityLeader {
            format!("应为 {n} 个")
        } else {
            format!("至少 {n} 个")
        }
    };
    match quota {
        Quota::Met { rule: n } => format!("达标（{}）", rule(n)),
        Quota::Under { rule: n } => format!("不足（{}）", rule(n)),
        Quota::Over { rule: n } => format!("超出（{}）", rule(n)),
        Quota::CountOnly => "只计数".to_owned(),
    }
}

pub fn person_label(person: &crate::domain::people::Person) -> String {
    match person.details.district {
        Some(d) => format!(
            "{}（{}·{}）",
            person.details.name,
            d.name(),
            person.details.role.name()
        ),
        None => format!("{}（{}）", person.details.name, person.details.role.name()),
    }
}

pub fn stewards_summary(names: &[&str]) -> String {
    if names.is_empty() {
        steward_none()
    } else {
        format!("{STEWARD} {}", names.join("、"))
    }
}

pub fn projects_of_count(n: usize) -> String {
    format!("此人包保 {n} 个项目。")
}

pub fn gap_count(n: usize) -> String {
    format!("{n} 个项目")
}
