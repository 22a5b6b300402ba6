//! Print views: district summaries, the city summary and ranking, a steward's sheet.

#[allow(unused_imports)]
use super::*;

// The office app and its print views.
pub const OFFICE_SUBTITLE: &str = "办公室 · 汇总与打印";
pub const NAV_OFFICE: &str = "办公室";
pub const NAV_PRINT: &str = "区县汇总";
pub const NAV_RANKING: &str = "全市排名";
pub const OFFICE_HOME: &str = "办公室";
pub const PERSON_NOT_FOUND: &str = "找不到这个人。可能已被移出名单，或链接有误。";
pub const PRINT: &str = "打印";
pub const PRINT_DISTRICTS: &str = "区县汇总（打印）";
pub const PRINT_CITY: &str = "全市汇总与区县排名（晾晒比拼）";
pub const PRINT_DISTRICT_TITLE: &str = "重点项目汇总";
pub const PRINT_STEWARD_TITLE: &str = "包保项目清单";
pub const PRINT_STEWARD_SHEET: &str = "打印包保清单";
pub const PRINT_FILTERED: &str = "只打印项目列表当前筛选出的项目。";
pub const PRINT_ALL: &str = "打印全部项目；在项目列表中筛选后再来，只打印筛选出的项目。";
pub const PRINT_CHANGE_FILTER: &str = "回到列表改筛选";
pub const PRINT_NOTHING: &str = "当前筛选没有项目可打印。";
pub const PRINT_PROJECTS: &str = "项目";
pub const PRINT_MISSING: &str = "未办手续";
pub const PRINT_STEWARDS: &str = "本区县包保人员";
pub const PRINT_NO_STEWARDS: &str = "尚无包保人员。";
pub const PRINT_HERE: &str = "本区县项目";
pub const PRINT_CO_STEWARDS: &str = "同组包保人";
pub const PRINT_FIELD_NOTES: &str = "现场记录";
pub const PRINT_TARGETS: &str = "全年目标与台账收录";
pub const PRINT_RANKING: &str = "区县排名";
pub const NOTHING_MISSING: &str = "已全部办结";
pub const PROJECT_COUNT: &str = "项目数";
pub const TARGET: &str = "目标（据文章）";
pub const TARGET_NUMBER: &str = "目标数";
pub const LEDGER_HOLDS: &str = "本台账中";
pub const TARGET_700: &str = "开复工5000万元以上项目";
pub const TARGET_150: &str = "重点社会投资项目开工百日攻坚";
pub const TARGET_188: &str = "竣工投产项目";
pub const TARGET_INVESTMENT: &str = "固定资产投资";
pub const RANK: &str = "名次";
pub const STARTED_SHARE: &str = "已开工占比";
/// A place shared with another district.
pub fn tied_place(place: usize) -> String {
    format!("{place}（并列）")
}
/// The overdue-blocker cell of a district with no recent record.
pub const RANKING_NO_RECORDS: &str = "无记录";
pub const LIGHTS_BY_DISTRICT: &str = "各区县红黄绿灯及待补";
pub const SHARES_BY_DISTRICT: &str = "各区县已开工占比与手续办结率";
pub const PICTURES_HEADING: &str = "各区县对比";
pub const PROCEDURES_SHARE: &str = "手续办结率";
pub const UNCOVERED: &str = "无人包保";
pub const OPEN_BLOCKERS: &str = "未解决问题";
pub const STEWARDED_SHARE: &str = "有人包保";
pub const OVERDUE_BLOCKERS: &str = "超期问题";
pub const SCORE: &str = "得分";

/// The ranking's rule as printed, its numbers from the weights themselves.
pub fn ranking_rule(rules: &crate::domain::light::LightRules) -> String {
    use crate::domain::summary::{
        RECENT_RECORD_DAYS, WEIGHT_NO_OVERDUE, WEIGHT_PROCEDURES, WEIGHT_STARTED, WEIGHT_STEWARDED,
    };
    format!(
        "排序规则：按比率而不按数量比较，满分 100 分：已开工占比 {} 分；手续办结率（立项、土地、环评、能评、规划许可、施工许可六项）{} 分；有人包保的项目占比 {} 分；没有超期问题 {} 分，按每个项目的超期问题数扣减（区县级问题超过 {} 天、市级超过 {} 天未解决为超期），只计近 {} 天内有走访或调度记录的区县：没有记录就无从知道有无超期，这一项记“无记录”、不得分，该区县在这一项上不可比。分数（保留一位小数）相同的区县名次并列，按文章名录顺序列出，下一名次跳过并列的个数；没有项目的区县列在最后。各项权重是本应用的设定，文章未规定。",
        // Whole points: no float formatting in the wasm.
        WEIGHT_STARTED as u32,
        WEIGHT_PROCEDURES as u32,
        WEIGHT_STEWARDED as u32,
        WEIGHT_NO_OVERDUE as u32,
        rules.district_blocker_days,
        rules.city_blocker_days,
        RECENT_RECORD_DAYS
    )
}

/// The projects the ranking leaves out, by name.
pub fn unranked(names: &[&str]) -> String {
    format!(
        "未计入排名（文章未写明区县）的 {} 个项目：{}",
        names.len(),
        names.join("、")
    )
}

pub fn as_of(stamp: &str) -> String {
    format!("截至 {stamp}")
}

pub fn fingerprint(code: &str) -> String {
    format!("数据指纹 {code}")
}

pub fn district_headline(
    projects: usize,
    started: usize,
    procedures_percent: usize,
    uncovered: usize,
    open_blockers: usize,
) -> String {
    format!("共 {projects} 个项目，已开工 {started} 个，手续办结率 {procedures_percent}%，无人包保 {uncovered} 个，未解决问题 {open_blockers} 个。")
}

pub fn ledger_scope(projects: usize) -> String {
    format!("本台账只收录文章公布的部分项目及用户自建项目，共 {projects} 个（按当前筛选），不是全市项目的全部；下表“本台账中”只统计这些项目。")
}

pub fn holds_700(started_over_50m: usize, unknown: usize) -> String {
    format!(
        "已开工且总投资已填、达{}万元的 {started_over_50m} 个；另有 {unknown} 个项目总投资未填，无法计入",
        crate::domain::validate::format_wan(crate::domain::summary::LARGE_PROJECT_WAN)
    )
}

pub fn holds_150(listed: usize, started: usize) -> String {
    format!("收录名录中的重点项目 {listed} 个，其中已开工 {started} 个")
}

pub fn holds_188(producing: usize) -> String {
    format!("已到投产或达产阶段的 {producing} 个")
}

pub fn holds_investment(wan: f64, filled: usize) -> String {
    let yi_hundredths = (wan / 100.0).round() as u64;
    format!(
        "已填总投资的 {filled} 个项目合计 {}.{:02} 亿元（总投资，非当年完成投资）",
        yi_hundredths / 100,
        yi_hundredths % 100
    )
}

pub const RANKING_AS_OF: &str = "截至日期";
pub const RANKING_AGAINST: &str = "对比日期（默认上季度末）";
pub const PLACES_UP: &str = "名次变化";
pub const POINTS_GAINED: &str = "得分变化";
/// The city summary's heading with its date.
pub fn city_title(day: &str) -> String {
    format!("全市汇总与区县排名 · 截至 {day}")
}
/// The column of places at the earlier date.
pub fn earlier_rank(day: &str) -> String {
    format!("{day} 名次")
}
pub fn ranking_comparison(day: &str, against: &str) -> String {
    format!("截至 {day} 的排名，与 {against} 相比（两者都按修改记录重算：当日结束前的全部修改）。名次变化为正表示上升。")
}
