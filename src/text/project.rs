//! The project page: fields, procedures, the light and its reasons, records, blockers.

#[allow(unused_imports)]
use super::*;

pub const BACK_TO_LIST: &str = "← 返回列表";
pub const JUMP_LABEL: &str = "跳到";
pub const JUMP_RECORD: &str = "记走访";
pub const JUMP_BLOCKER: &str = "记问题";
pub const JUMP_PROCEDURES: &str = "手续";
pub const JUMP_STEWARDS: &str = "包保";
pub const NOT_FOUND: &str = "找不到这个项目。它可能已被删除，或链接有误。";
pub const FIELD_STAGE: &str = "阶段";
pub const FIELD_NAME: &str = "项目名称";
pub const FIELD_OWNER: &str = "业主单位";
pub const FIELD_DISTRICT: &str = "区县";
pub const FIELD_LIST: &str = "所在名单";
pub const FIELD_CATEGORY: &str = "类别";
pub const FIELD_SCALE: &str = "建设规模";
pub const FIELD_CLUSTER: &str = "产业集群（8+1+4）";
pub const CLUSTER_BY_LEDGER: &str = "本应用的分类，文章未说明，可修改";
pub const CLUSTER_BY_USER: &str = "用户修改的分类";
pub const FIELD_INVESTMENT: &str = "总投资（万元）";
pub const FIELD_SIGNED_ON: &str = "签约日期";
pub const FIELD_PLANNED_START: &str = "计划开工日期";
pub const FIELD_ACTUAL_START: &str = "实际开工日期";
pub const FIELD_NOTES: &str = "备注";
pub const FIELD_SITE_AREA: &str = "占地面积";
pub const FIELD_FLOOR_AREA: &str = "总建筑面积";
pub const SQUARE_METRES: &str = "平方米";
pub const PROCEDURES_HEADING: &str = "手续办理";
pub const PROCEDURE_DATE: &str = "办结日期";
pub const DATES_HEADING: &str = "时间与投资";
pub const DETAILS_HEADING: &str = "基本情况";
pub const FACTS_HEADING: &str = "文章所载";
pub const SOURCE: &str = "出处";
pub const HISTORY_HEADING: &str = "修改记录";
pub const HISTORY_EMPTY: &str = "还没有修改。";
pub const NONE_SELECTED: &str = "（未填）";
pub const RESET: &str = "恢复为名录原值";
pub const RESET_CONFIRM: &str =
    "恢复后，此项目的所有修改都将被撤回为名录原值（修改记录仍保留）。确定吗？";
pub const REMOVE: &str = "删除此项目";
pub const REMOVE_CONFIRM: &str = "删除这个自建项目？修改记录仍保留。";
pub const SAVED_AUTOMATICALLY: &str = "每次修改都会自动保存在本机浏览器中。";

pub fn show_all_history(total: usize) -> String {
    format!("显示全部 {total} 条")
}

pub fn source_line(place: &str, article: &str) -> String {
    format!("{SOURCE}：{place} ·《{article}》")
}

// Field rhythm: lights, records, blockers, campaign.
pub const HAS_OPEN_BLOCKERS: &str = "有未解决问题";
pub const NO_OPEN_BLOCKERS: &str = "无未解决问题";
pub const LIGHT_HEADING: &str = "红黄绿灯";
pub const LIGHT_GREEN_NOTE: &str = "按期推进，无超期问题。";
pub const RULES_LINK: &str = "规则说明";
pub const CAMPAIGN_MEMBER: &str = "列入开工百日攻坚";
pub const RECORDS_HEADING: &str = "走访与调度记录";
pub const RECORD_DATE: &str = "日期";
pub const RECORD_KIND: &str = "类型";
pub const RECORD_WHO: &str = "人员";
pub const RECORD_NOTES: &str = "情况";
pub const ADD_RECORD: &str = "添加记录";
pub const NO_RECORDS: &str = "还没有走访或调度记录。";
pub const BLOCKERS_HEADING: &str = "问题（堵点）";
pub const BLOCKER_DESCRIPTION: &str = "问题";
pub const BLOCKER_LEVEL: &str = "责任层级";
pub const BLOCKER_DISTRICT: &str = "区县";
pub const BLOCKER_CITY: &str = "市级";
pub const BLOCKER_UNIT: &str = "责任单位";
pub const BLOCKER_OPENED: &str = "提出日期";
pub const BLOCKER_DEADLINE: &str = "完成时限（可不填）";
pub const OPEN_BLOCKER: &str = "记录问题";
pub const NO_BLOCKERS: &str = "没有问题记录。";
/// A procedure marked done whose 办结日期 is still to come (from a file or
/// another device: typed here, it is refused).
pub fn done_ahead(date: &str) -> String {
    format!("办结日期 {date} 还没到：到那天之前不计为已办结。请核实日期。")
}
pub const RESOLVE: &str = "标记已解决";
/// Voiding one's own visit record or blocker (录错、重复).
pub const VOID: &str = "作废";
pub const VOID_WHY: &str = "作废原因（如录错、重复）";
pub const CONFIRM_VOID: &str = "确认作废";
pub const VOID_HINT: &str = "作废后这条记录不再计入统计、红黄灯和变化摘要，但连同原因留在修改历史中。录错的可作废后重新添加。";
pub const RESOLVED_ON: &str = "解决日期";
pub const RESOLVED_HOW: &str = "如何解决";
pub const CONFIRM_RESOLVE: &str = "确认解决";

pub fn light_reason(reason: &crate::domain::light::Reason) -> String {
    use crate::domain::light::Reason;
    match reason {
        Reason::LateStart { days } => format!("计划开工日已过 {days} 天仍未开工"),
        Reason::OldBlocker { days, limit } => {
            format!("有问题已 {days} 天未解决（时限 {limit} 天）")
        }
        Reason::OverdueBlocker { days } => format!("有问题超过完成时限 {days} 天仍未解决"),
        Reason::MissedDeadline { days, moved_on } => {
            format!(
                "有问题曾超期 {days} 天，{moved_on} 才延期（延期后 {} 天内提示）",
                crate::domain::light::MISSED_SHOWN_DAYS
            )
        }
        Reason::NoRecentRecord { cadence, last } => match last {
            Some(d) => format!(
                "最近一次走访或调度为 {d}，超过{}的 {} 天周期",
                cadence.name(),
                cadence.cadence_days()
            ),
            None => format!(
                "还没有走访或调度记录（{}，每 {} 天）",
                cadence.name(),
                cadence.cadence_days()
            ),
        },
        Reason::ProcedureDue { missing, days_left } => {
            let names: Vec<&str> = missing.iter().map(|p| p.name()).collect();
            if *days_left < 0 {
                format!("计划开工日已过，仍缺手续：{}", names.join("、"))
            } else {
                format!("距计划开工 {days_left} 天，仍缺手续：{}", names.join("、"))
            }
        }
        Reason::Implausible(x) => implausible(*x).to_owned(),
        Reason::Missing(missing) => {
            let names: Vec<&str> = missing.iter().map(|m| missing_name(*m)).collect();
            format!("待补：{}", names.join("、"))
        }
    }
}

/// A basic fact the light needs, as 待补 names it.
pub fn missing_name(m: crate::domain::light::Missing) -> &'static str {
    use crate::domain::light::Missing;
    match m {
        Missing::Stage => "未填阶段",
        Missing::Procedures => "手续无任何记录",
        Missing::PlannedStart => "未填计划开工日期",
    }
}

/// A plausibility warning, as the light gives it and the rules page lists it.
pub fn implausible(x: crate::domain::light::Implausible) -> &'static str {
    use crate::domain::light::Implausible;
    match x {
        Implausible::FinishedWithoutPermit => "请核对：已竣工或投产，施工许可却未办",
        Implausible::StartedWithoutLand => "请核对：已开工，土地手续却未办",
        Implausible::StartedBeforeSigning => "请核对：实际开工日早于签约日",
    }
}

/// "用电未接入（区县，已 9 天）": an open blocker as summaries list it.
pub fn open_blocker_line(
    blocker: &crate::domain::fieldwork::Blocker,
    today: crate::domain::Date,
) -> String {
    format!(
        "{}（{}，{}{}）",
        blocker.opened_as.description,
        blocker.level().name(),
        blocker_age(blocker.age_days(today)),
        deadline_note(blocker, today)
    )
}

/// Open blockers of a project, joined for a table cell.
pub fn open_blockers(project: &crate::domain::Project, today: crate::domain::Date) -> String {
    project
        .blockers
        .iter()
        .filter(|b| b.is_open())
        .map(|b| open_blocker_line(b, today))
        .collect::<Vec<_>>()
        .join("；")
}

/// How long a blocker has been open; one opened today is not late yet.
/// "，时限 2024-04-01" or "，超期 3 天"; empty without a deadline.
pub fn deadline_note(
    blocker: &crate::domain::fieldwork::Blocker,
    today: crate::domain::Date,
) -> String {
    deadline_now(blocker, today, super::DateStyle::Iso)
        + &missed_deadlines(blocker, super::DateStyle::Iso)
}

/// `deadline_note` without the deadlines missed before (a 督办单 states
/// those beside its 完成时限).
pub fn deadline_now(
    blocker: &crate::domain::fieldwork::Blocker,
    today: crate::domain::Date,
    style: super::DateStyle,
) -> String {
    match (blocker.deadline(), blocker.days_overdue(today)) {
        (None, _) => String::new(),
        (Some(d), 0) => format!("，时限 {}", style.write(d)),
        (Some(_), over) => format!("，超期 {over} 天"),
    }
}

/// "，曾超期 3 天（原时限 2024-04-12，2024-04-15 延至 2024-04-19）" for each
/// deadline missed and moved: an extension never hides a miss.
pub fn missed_deadlines(
    blocker: &crate::domain::fieldwork::Blocker,
    style: super::DateStyle,
) -> String {
    blocker
        .missed
        .iter()
        .map(|m| {
            let to = m.moved_to.map_or_else(
                || "不设时限".to_owned(),
                |d| format!("延至 {}", style.write(d)),
            );
            format!(
                "，曾超期 {} 天（原时限 {}，{} {to}）",
                m.days_over(),
                style.write(m.deadline),
                style.write(m.moved_on)
            )
        })
        .collect()
}

pub fn blocker_age(days: i64) -> String {
    if days <= 0 {
        "今天提出".to_owned()
    } else {
        format!("已 {days} 天")
    }
}

pub fn blocker_resolved(date: &crate::domain::Date, how: &str, style: super::DateStyle) -> String {
    format!("已解决（{}）：{how}", style.write(*date))
}

/// Beside a field being typed in when another tab stored a new value for it.
pub const OTHER_TAB_CHANGED: &str = "另一窗口已修改此项";
pub const KEEP_MINE: &str = "保留我的";
pub const TAKE_THEIRS: &str = "采用新值";
/// Beside a visit or blocker form that holds a draft.
pub const DRAFT_KEPT: &str = "未提交的内容已作为草稿保存在本机。";
pub const DISCARD_DRAFT: &str = "放弃草稿";

/// A project the signed-in person's account may not change (another district's).
pub fn read_only_project(district: &str, own: &str) -> String {
    let own = if own.is_empty() {
        "任何区县".to_owned()
    } else {
        own.to_owned()
    };
    format!("只读：本项目属于{district}，您的同步账号只能修改{own}的项目和人员。在这里做的修改会留在本机，但服务器会拒绝，不会报送给其他人。")
}
