//! The office screens: dashboard, campaign, agenda, blockers, rules, new project.

#[allow(unused_imports)]
use super::*;

pub const NEW_HEADING: &str = "新增项目";
pub const NEW_HINT: &str = "公布的名录只是部分项目（全市150个重点项目）。名录外的项目可在此添加。";
pub const NEW_SUBMIT: &str = "添加";

pub const DASHBOARD: &str = "总览";
pub const NAV_DASHBOARD: &str = "总览";
pub const I_AM: &str = "我是（本设备的使用人）";
pub const ALL_DISTRICTS: &str = "全部区县";
pub const ALL_LEVELS: &str = "全部层级";
pub const ALL_PEOPLE: &str = "全部人员";
pub const MIN_AGE: &str = "至少已开（天）";
pub const AGE_DAYS: &str = "已开天数";
pub const NO_PLANNED_START: &str = "计划开工日期未填";
pub const CAMPAIGN_HEADING: &str = "开工百日攻坚";
/// Why the campaign starts when it does, from `CampaignSettings::default`.
pub fn campaign_note() -> String {
    let c = crate::domain::fieldwork::CampaignSettings::default();
    format!(
        "文章未给出攻坚的起始日期：2024年2月18日的大会后随即启动，本应用默认以 {} 为第 1 天，共 {} 天。名录中的重点项目默认列入，可在项目页调整。",
        c.start, c.days
    )
}

pub const CAMPAIGN_EDIT_BELOW: &str = "起始日期和天数可在下方修改。";
pub const CAMPAIGN_WAITING: &str = "尚未开工（按计划开工日期）";
pub const CAMPAIGN_START: &str = "起始日期";
pub const CAMPAIGN_DAYS: &str = "天数";
pub const CAMPAIGN_SAVE: &str = "保存攻坚设置";
pub const OLDEST_BLOCKERS: &str = "最久未解决的问题";
pub const ALL_OPEN_BLOCKERS: &str = "全部未解决问题";
pub const OPEN_BLOCKERS_HEADING: &str = "未解决问题清单";
pub const NAV_BLOCKERS: &str = "问题清单";
pub const AGENDA_HEADING: &str = "调度会议程";
/// After each plausibility rule on the rules page.
pub const RULE_PLAUSIBILITY_NOTE: &str = "（只提示，修改照常保存）";
/// The printed agenda's columns left blank to write on at the meeting.
pub const AGREED_ACTION: &str = "议定事项";
pub const RESPONSIBLE_UNIT: &str = "责任单位";
pub const DUE_BY: &str = "完成时限";
pub const NAV_AGENDA: &str = "调度议程";
pub const MEETING_DATE: &str = "会议日期";
pub const MEETING_LEVEL: &str = "调度层级";
pub const LAST_DISPATCH: &str = "本级上次调度";
pub const RULES_HEADING: &str = "红黄绿灯规则";
/// The cadence rule, with the article's cadences.
pub fn rule_cadence() -> String {
    use crate::domain::fieldwork::DispatchLevel;
    format!(
        "最近一次走访、调度或督查记录早于牵头包保人所在层级的调度周期：有市级领导包保的项目为半月（{} 天），其他项目按县区领导每周调度（{} 天）。周期来自文章。",
        DispatchLevel::CityLeader.cadence_days(),
        DispatchLevel::District.cadence_days()
    )
}
pub const RULE_GREEN: &str = "不符合以上任何一条。";
pub const RULES_SOURCE: &str = "调度周期（县区每周、市级领导每半月、市政府每月、市委每两个月）来自文章；红灯和手续的天数是本应用的默认值（文章未规定），目前不能在页面上修改。";

pub fn my_projects(name: &str) -> String {
    format!("{name} 包保的项目")
}

pub fn campaign_clock(start: crate::domain::Date, days: u16, left: i64, ended: bool) -> String {
    if ended {
        format!("自 {start} 起共 {days} 天，已结束。")
    } else {
        format!("自 {start} 起共 {days} 天，还剩 {left} 天。")
    }
}

pub fn campaign_share(started: usize, total: usize, percent: usize) -> String {
    format!("攻坚项目 {total} 个，已开工 {started} 个（{percent}%）。")
}

pub fn open_blocker_count(n: usize) -> String {
    format!("共 {n} 个未解决问题（按提出日期，最早的在前）。")
}

pub fn agenda_count(n: usize) -> String {
    format!("本次应调度 {n} 个项目。")
}

pub fn agenda_title(district: Option<&str>, level: &str) -> String {
    match district {
        Some(d) => format!("{d} · {level} · 议程"),
        None => format!("{level} · 议程"),
    }
}

pub fn meeting_on(date: &str) -> String {
    format!("会议日期 {date}")
}

pub fn agenda_rule(level: crate::domain::fieldwork::DispatchLevel) -> String {
    use crate::domain::fieldwork::DispatchLevel;
    match level {
        DispatchLevel::District => format!(
            "列入规则：所选区县（未选则全部）的项目中，近 {} 天内未在县区调度会上调度过的；另加有未解决问题的项目。",
            level.cadence_days()
        ),
        DispatchLevel::CityLeader => format!(
            "列入规则：有市级领导包保的项目中，近 {} 天内未在市级领导调度会上调度过的；另加有市级未解决问题的项目。",
            level.cadence_days()
        ),
        DispatchLevel::CityGovernment | DispatchLevel::PartyCommittee => {
            "列入规则：亮红灯的项目，以及有市级未解决问题的项目。".to_owned()
        }
    }
}

pub fn rule_late(days: i64) -> String {
    format!("计划开工日期已过 {days} 天以上仍未开工（阶段未到开工，且无实际开工日期）。")
}

pub fn rule_blocker(district: i64, city: i64) -> String {
    format!("有问题超过时限未解决：区县问题 {district} 天，市级问题 {city} 天。")
}

pub fn rule_procedures(days: i64) -> String {
    format!("尚未开工、距计划开工不足 {days} 天（或已过）时，立项、土地、环评、能评、规划许可、施工许可仍有未办的。")
}
