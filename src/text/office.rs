//! The office screens: dashboard, campaign, agenda, blockers, rules, new project.

#[allow(unused_imports)]
use super::*;

pub const NEW_HEADING: &str = "新增项目";
pub const NEW_HINT: &str = "公布的名录只是部分项目（全市150个重点项目）。名录外的项目可在此添加。";
pub const NEW_SUBMIT: &str = "添加";

pub const DASHBOARD: &str = "总览";
pub const NAV_DASHBOARD: &str = "总览";
pub const I_AM: &str = "我是（本设备的使用人）";
pub const ME_EMPTY_HINT: &str = "人员名单还是空的。登录同步后，市、区县办公室录入的人员会自动出现；不用同步时，请在“同步”页（或“导入导出”页）导入办公室发来的修改包。办公室也可在“包保”页添加人员。";
pub const ALL_DISTRICTS: &str = "全部区县";
pub const OFFICE_DISTRICT: &str = "本机所属区县（办公室链接默认只看本区县）";
pub const WHOLE_CITY: &str = "全市";
pub const SHOW_WHOLE_CITY: &str = "查看全市";
/// "只看海城市": back to the device's own district.
pub fn only_district(name: &str) -> String {
    format!("只看{name}")
}
/// "范围：海城市".
pub fn scope_line(name: &str) -> String {
    format!("范围：{name}")
}
/// A heading with its district: "未解决问题清单 · 海城市".
pub fn in_scope(heading: &str, district: Option<&str>) -> String {
    format!("{heading} · {}", district.unwrap_or(WHOLE_CITY))
}
pub const ALL_LEVELS: &str = "全部层级";
pub const ALL_PEOPLE: &str = "全部人员";
pub const MIN_AGE: &str = "至少已开（天）";
pub const AGE_DAYS: &str = "已开天数";
pub const BLOCKER_STATE: &str = "已开天数与时限";
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
/// Beside a meeting item's 完成时限, for a project with open blockers.
pub const ALSO_BLOCKER_DEADLINE_LABEL: &str = "同时设为哪个问题的完成时限";
pub const NOT_BLOCKER_DEADLINE: &str = "不设为问题的时限";
pub fn also_blocker_deadline(description: &str) -> String {
    format!("同时设为问题「{description}」的完成时限")
}
pub const NAV_AGENDA: &str = "调度议程";
pub const MEETING_DATE: &str = "会议日期";
pub const MEETING_LEVEL: &str = "调度层级";
pub const LAST_DISPATCH: &str = "本级上次调度";
pub const RULES_HEADING: &str = "红黄绿灯规则";
/// The cadence rule, with the article's cadences.
pub fn rule_cadence() -> String {
    use crate::domain::fieldwork::DispatchLevel;
    format!(
        "最近一次走访、调度或督查记录早于牵头包保人所在层级的调度周期：有市级领导包保的项目为半月（{} 天），其他项目按区县领导每周调度（{} 天）。周期来自文章。",
        DispatchLevel::CityLeader.cadence_days(),
        DispatchLevel::District.cadence_days()
    )
}
pub const RULE_GREEN: &str =
    "不符合以上任何一条，且阶段、手续和计划开工日期都已填写：绿灯表示情况已知且正常。";
/// 待补: why empty is never green.
pub const RULE_UNKNOWN: &str = "不符合红灯、黄灯的任何一条，但缺少判断所需的基本情况：未填阶段、手续无任何记录（没有一项办结或填有日期），或未开工且未填计划开工日期。情况不明不算正常，所以不亮绿灯；补齐后按规则亮灯。";
pub const RULES_SOURCE: &str = "调度周期（区县每周、市级领导每半月、市政府每月、市委每两个月）来自文章；红灯和手续的天数是本应用的默认值（文章未规定），目前不能在页面上修改。";

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
    format!("{} · {level} · 议程", district.unwrap_or(WHOLE_CITY))
}

pub fn meeting_on(date: &str) -> String {
    format!("会议日期 {date}")
}

pub fn agenda_rule(level: crate::domain::fieldwork::DispatchLevel) -> String {
    use crate::domain::fieldwork::DispatchLevel;
    match level {
        DispatchLevel::District => format!(
            "列入规则：所选区县（未选则全部）的项目中，近 {} 天内未在区县调度会上调度过的；另加有未解决问题的项目。",
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

pub fn rule_missed(days: i64) -> String {
    format!("未解决的问题曾超过完成时限、之后才延期：延期后 {days} 天内亮黄灯。超期的记录一直保留，在问题、督办单和问题清单上写明“曾超期”。")
}

pub fn rule_procedures(days: i64) -> String {
    format!("尚未开工、距计划开工不足 {days} 天（或已过）时，立项、土地、环评、能评、规划许可、施工许可仍有未办的。")
}

pub const SUPERVISION_TITLE: &str = "问题督办单";
pub const NO_SUCH_BLOCKER: &str = "找不到这个问题：可能还没同步到本机，或链接有误。";
/// "编号：hc-07-2".
pub fn supervision_number(number: &str) -> String {
    format!("编号：{number}")
}
pub const ISSUED_ON: &str = "签发日期";
pub const ISSUED_BY: &str = "签发单位";
/// The office that issues a 督办单: the city for a city-level blocker, else
/// the device's district; the office's own name and seal go on by hand.
pub fn issuing_office(
    district: Option<&str>,
    level: crate::domain::fieldwork::BlockerLevel,
) -> String {
    match (level, district) {
        (crate::domain::fieldwork::BlockerLevel::District, Some(d)) => format!("{d}（盖章）"),
        _ => "鞍山市（盖章）".to_owned(),
    }
}
pub const RESPONSIBLE_PERSON: &str = "责任人";
pub const STATUS: &str = "办理情况";
pub const PROGRESS: &str = "进展";
pub const FEEDBACK: &str = "办理反馈（责任单位填写）";
pub const SUPERVISE: &str = "督办：完成时限、责任单位与责任人、升级为市级";
pub const SAVE_SUPERVISION: &str = "保存督办";
pub const ADD_PROGRESS: &str = "记录进展或办结";
pub const PROGRESS_DATE: &str = "日期";
pub const CLOSE_BLOCKER: &str = "问题已解决，办结";
pub const SAVE_PROGRESS: &str = "保存";
pub const SUPERVISION_LINK: &str = "督办单";

pub const RECORD_MEETING: &str = "记录本次调度会（议程上的全部项目）";
pub const RECORD_MEETING_SUBMIT: &str = "记录调度会";
pub const MEETING_CHAIR: &str = "主持";
pub const MEETING_ATTENDEES: &str = "参会人员";
pub fn meeting_hint(date: &str, level: &str) -> String {
    format!("{date} {level}：每个项目记一条调度记录。议定事项、责任单位、完成时限可不填。")
}
/// A dispatch record's notes from the meeting form; empty parts left out.
pub fn meeting_notes(chair: &str, attendees: &str, action: &str, unit: &str, due: &str) -> String {
    [
        ("主持", chair),
        ("参会", attendees),
        (AGREED_ACTION, action),
        (RESPONSIBLE_UNIT, unit),
        (DUE_BY, due),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}：{v}"))
    .collect::<Vec<_>>()
    .join("；")
}
pub fn meeting_recorded(n: usize, date: &str) -> String {
    format!("已记录 {date} 调度会：{n} 个项目各一条调度记录。")
}

pub const CHANGES_HEADING: &str = "变化摘要";
pub const NAV_CHANGES: &str = "变化摘要";
pub const CHANGES_SINCE: &str = "自此日期起";
pub const CHANGES_SINCE_LAST: &str = "上次调度会以来的变化";
pub const READING_LOG: &str = "正在读取修改记录……";
/// An edit whose device had no one signed in to sync.
pub const UNNAMED_AUTHOR: &str = "未署名";
/// Who an edit is by: "孙立新", or "孙立新 录入 · 由 district-Haicheng-1 上传"
/// when someone else uploaded it; `None` when nothing is known (an older
/// edit, stored before sync named anyone).
pub fn attributed(a: crate::domain::edit::Attribution) -> Option<String> {
    if !a.known {
        return None;
    }
    let maker = a.maker.unwrap_or(UNNAMED_AUTHOR);
    Some(match a.uploader {
        Some(uploader) => format!("{maker} 录入 · 由 {uploader} 上传"),
        None => maker.to_owned(),
    })
}
pub fn changes_title(district: Option<&str>, since: &str) -> String {
    format!("{} · 自 {since} 起的变化", district.unwrap_or(WHOLE_CITY))
}
pub fn changes_rule(level: &str) -> String {
    format!("默认从上一次{level}的日期算起。每项给出原值 → 新值，以及最后修改的人和时间；改了又改回的不列出。来自本机的修改记录。")
}
pub fn changed_projects(n: usize) -> String {
    format!("{n} 个项目有变化")
}
/// "阶段：签约 → 开工".
pub fn field_change(label: &str, old: &str, new: &str) -> String {
    let shown = |v: &str| {
        if v.is_empty() {
            "（空）".to_owned()
        } else {
            v.to_owned()
        }
    };
    format!("{label}：{} → {}", shown(old), shown(new))
}
/// "填写阶段：签约": a field filled in for the first time.
pub fn field_filled(label: &str, new: &str) -> String {
    format!("填写{label}：{new}")
}
/// "删除了阶段（原为 签约）".
pub fn field_deleted(label: &str, old: &str) -> String {
    format!("删除了{label}（原为 {old}）")
}
/// "新增项目：名称、区县": a project added since, as one line.
pub fn project_created(name: &str, district: &str) -> String {
    format!("新增项目：{name}、{district}")
}
/// "督办「缺电」：完成时限 2024-04-12 → 2024-04-19，责任人 张三（曾超期 3 天）".
pub fn supervision_changed(s: &crate::domain::digest::SupervisionChange) -> String {
    let (old, new) = (&s.old, &s.new);
    let date =
        |d: Option<crate::domain::Date>| d.map_or_else(|| "未设".to_owned(), |d| d.to_string());
    let mut parts = Vec::new();
    if old.level != new.level {
        parts.push(format!(
            "责任层级 {} → {}",
            old.level.name(),
            new.level.name()
        ));
    }
    if old.unit != new.unit {
        parts.push(format!("责任单位 {}", new.unit));
    }
    if old.person != new.person {
        parts.push(format!(
            "责任人 {}",
            if new.person.is_empty() {
                "未设"
            } else {
                &new.person
            }
        ));
    }
    if old.deadline != new.deadline {
        parts.push(format!(
            "完成时限 {} → {}",
            date(old.deadline),
            date(new.deadline)
        ));
    }
    let missed: String = s
        .missed
        .iter()
        .map(|(days, deadline)| format!("（原时限 {deadline} 曾超期 {days} 天）"))
        .collect();
    format!(
        "督办「{}」：{}{missed}",
        s.blocker.opened_as.description,
        parts.join("，")
    )
}
/// "问题「缺电」进展：2024-04-15 已报市政府".
pub fn progress_new(description: &str, date: &str, note: &str) -> String {
    format!("问题「{description}」进展：{date} {note}")
}
/// "（张三，2026-11-30 09:12）".
pub fn by_whom(who: &str, when: &str) -> String {
    format!("（{who}，{when}）")
}
pub fn steward_added(name: &str) -> String {
    format!("新增包保：{name}")
}
pub fn steward_removed(name: &str) -> String {
    format!("取消包保：{name}")
}
pub fn blocker_new(description: &str, level: &str) -> String {
    format!("新问题：{description}（{level}）")
}
pub fn blocker_closed(description: &str, how: &str) -> String {
    format!("已解决：{description}（{how}）")
}
pub fn record_new(kind: &str, date: &str, notes: &str) -> String {
    if notes.is_empty() {
        format!("新{kind}：{date}")
    } else {
        format!("新{kind}：{date} {notes}")
    }
}
