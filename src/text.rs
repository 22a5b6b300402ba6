//! Every user-facing string, in zh-CN. A second language is a second copy of
//! this module behind the same names.

use crate::domain::validate::InputError;

pub const APP_NAME: &str = "项目台账";
pub const APP_SUBTITLE: &str = "鞍山市重点项目";
pub const NAV_LIST: &str = "项目列表";
pub const NAV_NEW: &str = "新增项目";
pub const SKIP_TO_RESULTS: &str = "跳到结果列表";

pub const LIST_TOTAL: &str = "共";
pub const LIST_PROJECTS_UNIT: &str = "个项目";
pub const LIST_FROM_LIST: &str = "名录";
pub const LIST_FROM_TEXT: &str = "文中提及";
pub const LIST_USER_ADDED: &str = "自建";
pub const DISTRICT_NOT_STATED: &str = "区县未说明";

/// A district's name, or that the article names none.
pub fn district_name(district: Option<crate::domain::District>) -> &'static str {
    district.map_or(DISTRICT_NOT_STATED, |d| d.name())
}
pub const STAGE_EMPTY: &str = "阶段未填";
pub const PROCEDURES: &str = "手续";
pub const STEWARD: &str = "包保";
pub const STEWARD_NONE: &str = "未指定";
pub const USER_ADDED_BADGE: &str = "自建";

pub const BACK_TO_LIST: &str = "← 返回列表";
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

pub const NEW_HEADING: &str = "新增项目";
pub const NEW_HINT: &str = "公布的名录只是部分项目（全市150个重点项目）。名录外的项目可在此添加。";
pub const NEW_SUBMIT: &str = "添加";

pub const STORAGE_FAILED: &str = "保存失败：修改暂存在内存中，会自动重试。请勿关闭页面。";
pub const STORAGE_FULL: &str =
    "保存失败：浏览器存储空间已满。修改暂存在内存中，请先导出数据或清理空间。";
pub const STORAGE_UNAVAILABLE: &str =
    "此浏览器不允许本地存储（可能是无痕模式）。修改只保存在本页面内存中，关闭后会丢失。";
pub const STORAGE_CORRUPT: &str =
    "本机存储中有无法读取的数据，已原样另存，未被覆盖。其余数据正常加载。";
pub const STORAGE_NEWER: &str =
    "本机数据由更新版本的应用写入。为防止损坏，此版本不会写入，请刷新以使用新版本。";
pub const DOWNLOAD_QUARANTINE: &str = "下载无法读取的原始数据：";
pub const UPDATE_READY: &str = "新版本可用。您的修改都已保存。";
pub const UPDATE_RELOAD: &str = "刷新";

pub const HISTORY_CREATED: &str = "新建";
pub const HISTORY_REMOVED: &str = "删除";
pub const HISTORY_RESET: &str = "恢复为名录原值";
pub const DONE: &str = "已办";
pub const NOT_DONE: &str = "未办";
pub const CLEARED: &str = "清空";

pub fn input_error(error: InputError) -> String {
    match error {
        InputError::NotANumber => "请输入数字，例如 12600 或 12600.5".into(),
        InputError::Negative => "不能为负数".into(),
        InputError::TooLarge => "数值过大，请检查单位是否为万元".into(),
        InputError::BadDate => "日期无效，请按 年-月-日 填写，例如 2024-03-01".into(),
        InputError::StartBeforeSigning => "实际开工日期不能早于签约日期".into(),
        InputError::EmptyName => "项目名称不能为空".into(),
        InputError::TooLong { max } => format!("不能超过 {max} 个字"),
        InputError::EmptyPersonName => "姓名不能为空".into(),
        InputError::DistrictRequired => "区县领导须选择所在区县".into(),
        InputError::BadPhone => {
            "电话号码无效：手机为1开头的11位数字，座机须带区号（如 0412-1234567）".into()
        }
        InputError::EmptyDescription => "请写明问题是什么".into(),
        InputError::ResolvedBeforeOpened => "解决日期不能早于提出日期".into(),
        InputError::NoSuchBlocker => "找不到这个问题，可能已被其他设备修改".into(),
        InputError::CampaignTooLong => "攻坚天数须在 1 到 366 之间".into(),
    }
}

/// One line of a project's history; `name_of` names a person by id.
pub fn describe_change(change: &crate::domain::Change, name_of: &dyn Fn(&str) -> String) -> String {
    use crate::domain::Change;
    let date =
        |d: &Option<crate::domain::Date>| d.map_or_else(|| CLEARED.to_owned(), |d| d.to_string());
    let text = |label: &str, v: &str| {
        if v.is_empty() {
            format!("{label}：{CLEARED}")
        } else {
            format!("{label}：{v}")
        }
    };
    match change {
        Change::Create { name, .. } => format!("{HISTORY_CREATED}：{name}"),
        Change::Remove => HISTORY_REMOVED.to_owned(),
        Change::Reset => HISTORY_RESET.to_owned(),
        Change::Name(v) => text(FIELD_NAME, v),
        Change::Owner(v) => text(FIELD_OWNER, v),
        Change::Scale(v) => text(FIELD_SCALE, v),
        Change::Notes(v) => text(FIELD_NOTES, v),
        Change::Cluster(v) => text(FIELD_CLUSTER, v.map_or("", |c| c.name())),
        Change::Stage(v) => text(FIELD_STAGE, v.map_or("", |s| s.name())),
        Change::Procedure {
            procedure,
            done,
            date: d,
        } => {
            let state = if *done { DONE } else { NOT_DONE };
            match d {
                Some(d) => format!("{}：{state}（{d}）", procedure.name()),
                None => format!("{}：{state}", procedure.name()),
            }
        }
        Change::SignedOn(d) => format!("{FIELD_SIGNED_ON}：{}", date(d)),
        Change::PlannedStart(d) => format!("{FIELD_PLANNED_START}：{}", date(d)),
        Change::ActualStart(d) => format!("{FIELD_ACTUAL_START}：{}", date(d)),
        Change::InvestmentWan(v) => text(FIELD_INVESTMENT, &v.map_or_else(String::new, format_wan)),
        Change::SavePerson(d) => format!("人员：{}（{}）", d.name, d.role.name()),
        Change::RemovePerson { reassign_to } => match reassign_to {
            Some(heir) => format!("移除人员，项目转由{}包保", name_of(heir)),
            None => "移除人员".to_owned(),
        },
        Change::Assign(p) => format!("指派包保：{}", name_of(p)),
        Change::Unassign(p) => format!("取消包保：{}", name_of(p)),
        Change::Responsible(p) => match p {
            Some(p) => format!("责任人：{}", name_of(p)),
            None => format!("责任人：{CLEARED}"),
        },
        Change::AddRecord(r) => format!("{}：{}", r.kind.name(), r.date),
        Change::OpenBlocker(b) => format!(
            "问题：{}（{}，{}）",
            b.description,
            b.level.name(),
            b.opened
        ),
        Change::ResolveBlocker { resolved, how, .. } => format!("问题已解决（{resolved}）：{how}"),
        Change::Campaign(v) => match v {
            Some(true) => "列入百日攻坚".to_owned(),
            Some(false) => "不列入百日攻坚".to_owned(),
            None => "百日攻坚：按默认".to_owned(),
        },
        Change::CampaignSettings(c) => format!("百日攻坚：{} 起 {} 天", c.start, c.days),
    }
}

pub use crate::domain::validate::format_wan;

pub fn show_all_history(total: usize) -> String {
    format!("显示全部 {total} 条")
}

/// The row's small print after the stage chip, as one text node.
pub fn row_facts(
    project: &crate::domain::Project,
    show_district: bool,
    stewards: &[&str],
) -> String {
    let mut parts = Vec::with_capacity(4);
    if show_district {
        parts.push(district_name(project.district).to_owned());
    }
    parts.push(procedures_progress(
        project.procedures_done(),
        crate::domain::Procedure::ALL.len(),
    ));
    parts.push(stewards_summary(stewards));
    if project.origin == crate::domain::Origin::UserAdded {
        parts.push(USER_ADDED_BADGE.to_owned());
    }
    parts.join(" · ")
}

pub fn steward_none() -> String {
    format!("{STEWARD} {STEWARD_NONE}")
}

pub fn procedures_progress(done: usize, total: usize) -> String {
    format!("{PROCEDURES} {done}/{total}")
}

pub fn project_count(total: usize, listed: usize, in_text: usize, added: usize) -> String {
    format!("{LIST_TOTAL} {total} {LIST_PROJECTS_UNIT}（{LIST_FROM_LIST} {listed} · {LIST_FROM_TEXT} {in_text} · {LIST_USER_ADDED} {added}）")
}

pub fn storage_problem(problem: &crate::domain::stored::Problem) -> String {
    use crate::domain::stored::Problem;
    match problem {
        Problem::Full => STORAGE_FULL.to_owned(),
        Problem::Failed(detail) => format!("{STORAGE_FAILED}（{detail}）"),
        Problem::Unavailable => STORAGE_UNAVAILABLE.to_owned(),
        Problem::Corrupt(keys) => format!("{STORAGE_CORRUPT}（{}）", keys.join("、")),
        Problem::Newer => STORAGE_NEWER.to_owned(),
    }
}

pub const SEARCH_LABEL: &str = "搜索项目";
pub const SEARCH_PLACEHOLDER: &str = "名称、业主、备注或拼音首字母";
pub const SORT_LABEL: &str = "排序";
pub const SORT_DESCENDING: &str = "倒序";
pub const FILTERS: &str = "筛选";
pub const CLEAR_ALL: &str = "清除全部筛选";
pub const NO_MATCH: &str = "没有符合条件的项目。可以减少筛选条件，或清除全部筛选。";
pub const CHANGED_SINCE: &str = "在此日期之后修改过";
pub const NOT_FILLED: &str = "未填";
pub const PREVIOUS_PAGE: &str = "上一页";
pub const NEXT_PAGE: &str = "下一页";
pub const SELECT_ALL_MATCHING: &str = "全选符合条件的项目";
pub const CLEAR_SELECTION: &str = "取消选择";
pub const SAVED_VIEWS: &str = "已保存的视图";
pub const SAVE_VIEW: &str = "保存当前视图";
pub const SAVE_VIEW_NAME: &str = "视图名称";
pub const DELETE_VIEW: &str = "删除";
pub const VIEW_NAME_EMPTY: &str = "请为视图起个名字";
pub const ORIGIN_REGISTRY: &str = "名录及文章";
pub const ORIGIN_USER: &str = "自建";
pub const SELECT_PROJECT: &str = "选择";

pub fn sort_label(key: crate::domain::filter::SortKey) -> &'static str {
    use crate::domain::filter::SortKey;
    match key {
        SortKey::District => "区县",
        SortKey::Stage => "阶段",
        SortKey::Name => "名称",
        SortKey::Investment => "总投资",
        SortKey::Changed => "最近修改",
    }
}

pub fn facet_label(facet: crate::domain::filter::Facet) -> &'static str {
    use crate::domain::filter::Facet;
    match facet {
        Facet::District => FIELD_DISTRICT,
        Facet::Stage => FIELD_STAGE,
        Facet::Cluster => "产业集群",
        Facet::List => FIELD_LIST,
        Facet::Missing => "未办手续",
        Facet::Origin => "来源",
        Facet::Steward => "包保人",
        Facet::Role => "包保人职务",
        Facet::Gap => "包保缺口",
        Facet::Light => "红黄绿灯",
        Facet::Blockers => "问题（堵点）",
    }
}

pub fn result_count(shown: usize, total: usize) -> String {
    format!("符合条件 {shown} 个 / 共 {total} 个项目")
}

pub fn page_of(page: usize, pages: usize) -> String {
    format!("第 {page} / {pages} 页")
}

pub fn selected_count(n: usize) -> String {
    format!("已选 {n} 个项目")
}

pub fn select_all_matching(n: usize) -> String {
    format!("{SELECT_ALL_MATCHING}（{n}）")
}

pub fn filters_summary(active: usize) -> String {
    if active == 0 {
        FILTERS.to_owned()
    } else {
        format!("{FILTERS}（{active}）")
    }
}

pub fn source_line(place: &str, article: &str) -> String {
    format!("{SOURCE}：{place} ·《{article}》")
}

pub fn persistence(persisted: Option<bool>) -> &'static str {
    match persisted {
        Some(true) => "浏览器已允许持久保存本机数据",
        Some(false) => "浏览器未允许持久保存：空间紧张时可能清除本机数据，请定期导出",
        None => "此浏览器不支持持久保存请求",
    }
}

/// Bytes as MB with one decimal, in integer arithmetic.
pub fn megabytes(bytes: f64) -> String {
    let tenths = (bytes / 104_857.6).round() as u64;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

pub fn storage_usage(usage: f64, quota: f64) -> String {
    let percent = if quota > 0.0 {
        (usage / quota * 100.0).round() as u64
    } else {
        0
    };
    format!(
        "本机存储已用 {} / {}（{percent}%）",
        megabytes(usage),
        megabytes(quota)
    )
}

pub const STORAGE_NEARLY_FULL: &str = "本机存储已用超过 80%，请尽快导出数据并清理。";

pub fn unexported(n: usize) -> String {
    format!("未导出的修改：{n} 条")
}

pub const EXPORT_CSV: &str = "导出CSV";

/// `项目台账-海城市-2024-03-01.csv`: the districts the view shows (or 全部 / 筛选结果) and the day.
pub fn export_file_name(districts: &[&str], filtered: bool, today: &str) -> String {
    let view = if !districts.is_empty() {
        districts.join("、")
    } else if filtered {
        "筛选结果".to_owned()
    } else {
        "全部".to_owned()
    };
    format!("项目台账-{view}-{today}.csv")
}

pub const UNKNOWN_PERSON: &str = "（未知人员）";

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
pub const PERSON_NAME: &str = "姓名";
pub const PERSON_ROLE: &str = "职务类别";
pub const PERSON_DISTRICT: &str = "所在区县";
pub const PERSON_UNIT: &str = "单位";
pub const PERSON_PHONE: &str = "电话（可不填）";
pub const DISTRICT_NONE: &str = "（不属于某区县）";
pub const WORKLOAD_COUNT: &str = "包保项目数";
pub const QUOTA: &str = "任务要求";
pub const COVERAGE_HEADING: &str = "覆盖检查";
pub const RULES_NOTE: &str = "规则（据文章）：市级领导每人重点抓10个项目；各地区党委、人大、政府、政协主要领导每人至少包保5个项目；班子成员和服务专班只计数。";
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
pub const PROCEDURES_SHARE: &str = "手续办结率";
pub const UNCOVERED: &str = "无人包保";
pub const OPEN_BLOCKERS: &str = "未解决问题";
pub const RANKING_RULE: &str = "排序规则：项目数多者在前；相同时，已开工占比高者在前；再相同时，手续办结率（立项、土地、环评、能评、规划许可、施工许可六项）高者在前；再相同时，未解决问题少者在前；再相同时，无人包保的项目少者在前；仍相同按文章名录顺序。";

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
    format!("已开工且总投资已填、达5000万元的 {started_over_50m} 个；另有 {unknown} 个项目总投资未填，无法计入")
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
pub const OPEN_BLOCKER: &str = "记录问题";
pub const NO_BLOCKERS: &str = "没有问题记录。";
pub const RESOLVE: &str = "标记已解决";
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
    }
}

/// "用电未接入（区县，已 9 天）": an open blocker as summaries list it.
pub fn open_blocker_line(
    blocker: &crate::domain::fieldwork::Blocker,
    today: crate::domain::Date,
) -> String {
    format!(
        "{}（{}，{}）",
        blocker.opened_as.description,
        blocker.opened_as.level.name(),
        blocker_age(blocker.age_days(today))
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

pub fn blocker_age(days: i64) -> String {
    format!("已 {days} 天")
}

pub fn blocker_resolved(date: &crate::domain::Date, how: &str) -> String {
    format!("已解决（{date}）：{how}")
}
pub const EXCHANGE_HEADING: &str = "导入导出";
pub const NAV_EXCHANGE: &str = "导入导出";
pub const EXPORT_HINT: &str = "CSV 文件带 BOM，Excel 可直接打开显示中文；日期为 年-月-日；以 = + - @ 开头的文字前加了单引号，防止 Excel 当作公式执行。";

pub fn export_scope(n: usize) -> String {
    format!("将导出项目列表当前筛选出的 {n} 个项目（全部页）。")
}
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
pub const CAMPAIGN_NOTE: &str = "文章未给出攻坚的起始日期：2024年2月18日的大会后随即启动，本应用默认以 2024-02-18 为第 1 天，共 100 天；可在下方修改。名录中的重点项目默认列入，可在项目页调整。";
pub const CAMPAIGN_WAITING: &str = "尚未开工（按计划开工日期）";
pub const CAMPAIGN_START: &str = "起始日期";
pub const CAMPAIGN_DAYS: &str = "天数";
pub const CAMPAIGN_SAVE: &str = "保存攻坚设置";
pub const OLDEST_BLOCKERS: &str = "最久未解决的问题";
pub const ALL_OPEN_BLOCKERS: &str = "全部未解决问题";
pub const OPEN_BLOCKERS_HEADING: &str = "未解决问题清单";
pub const NAV_BLOCKERS: &str = "问题清单";
pub const AGENDA_HEADING: &str = "调度会议程";
pub const NAV_AGENDA: &str = "调度议程";
pub const MEETING_DATE: &str = "会议日期";
pub const MEETING_LEVEL: &str = "调度层级";
pub const LAST_DISPATCH: &str = "本级上次调度";
pub const RULES_HEADING: &str = "红黄绿灯规则";
pub const RULE_CADENCE: &str = "最近一次走访、调度或督查记录早于牵头包保人所在层级的调度周期：有市级领导包保的项目为半月（15 天），其他项目按县区领导每周调度（7 天）。周期来自文章。";
pub const RULE_GREEN: &str = "不符合以上任何一条。";
pub const RULES_SOURCE: &str = "调度周期（县区每周、市级领导每半月、市政府每月、市委每两个月）来自文章；红灯和手续的天数是本应用的默认值（文章未规定），集中写在程序的一处（LightRules），可按需调整。";

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

pub fn agenda_rule(level: crate::domain::fieldwork::DispatchLevel) -> &'static str {
    use crate::domain::fieldwork::DispatchLevel;
    match level {
        DispatchLevel::District => "列入规则：所选区县（未选则全部）的项目中，近 7 天内未在县区调度会上调度过的；另加有未解决问题的项目。",
        DispatchLevel::CityLeader => "列入规则：有市级领导包保的项目中，近 15 天内未在市级领导调度会上调度过的；另加有市级未解决问题的项目。",
        DispatchLevel::CityGovernment | DispatchLevel::PartyCommittee => "列入规则：亮红灯的项目，以及有市级未解决问题的项目。",
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

// Exchange: import, bundles, backup.
pub const IMPORT_CSV: &str = "导入CSV";
pub const IMPORT_CSV_HINT: &str = "可导入本应用导出的CSV，或Excel另存的CSV（UTF-8 或 GB18030/GBK 均可）。按编号匹配项目；没有编号时按项目名称和区县匹配；匹配不到的行作为新项目。导入前先预览，确认后才修改。";
pub const CHOOSE_FILE: &str = "选择文件";
pub const PREVIEW_ADDED: &str = "将新增";
pub const PREVIEW_UPDATED: &str = "将更新";
pub const PREVIEW_REJECTED: &str = "被拒绝的行（不会导入）";
pub const PREVIEW_UNKNOWN_COLUMNS: &str = "无法识别的列（未导入）";
pub const PREVIEW_IGNORED_COLUMNS: &str = "只读的列（导出时附带，导入时不修改）";
pub const APPLY_IMPORT: &str = "应用导入";
pub const CANCEL_IMPORT: &str = "取消";
pub const LEDGER_CHANGED: &str = "预览之后台账已有变化，请重新选择文件预览。";
pub const BUNDLE_HEADING: &str = "设备之间交换修改";
pub const BUNDLE_HINT: &str = "把本机的修改导出为一个文件，用任何方式（微信、U盘、邮件）交给另一台设备导入。重复导入同一个文件不会重复修改；各设备导入相同的文件后显示相同的结果。";
pub const BUNDLE_RECIPIENT: &str = "交给谁（用于记住已发送的部分）";
pub const BUNDLE_ALL: &str = "全部修改";
pub const BUNDLE_SINCE: &str = "只导出上次交给此人之后的修改";
pub const EXPORT_BUNDLE: &str = "导出修改包";
pub const IMPORT_BUNDLE: &str = "导入修改包";
pub const APPLY_BUNDLE: &str = "合并这些修改";
pub const CONFLICTS_HEADING: &str = "同一字段在两台设备上改成了不同的值";
pub const CONFLICTS_HINT: &str = "台账按时间较晚的修改显示（时间相同按编号）。如需改用另一个值，点“改用此值”，这会记为一条新修改。";
pub const USE_THIS_VALUE: &str = "改用此值";
pub const SHOWN_VALUE: &str = "当前显示";
pub const OTHER_VALUE: &str = "另一个值";
pub const BACKUP_HEADING: &str = "完整备份与恢复";
pub const BACKUP_HINT: &str = "备份包含本机全部修改、人员名单、保存的视图和“我是”设置。恢复会替换本机现有的全部数据，恢复前会先说明并请您确认。";
pub const MAKE_BACKUP: &str = "下载完整备份";
pub const RESTORE_BACKUP: &str = "从备份恢复";
pub const CONFIRM_RESTORE: &str = "确认恢复（替换本机数据）";

pub fn file_error(error: &crate::domain::exchange::FileError) -> String {
    use crate::domain::exchange::FileError;
    match error {
        FileError::Empty => "文件是空的。".into(),
        FileError::TooLarge => "文件过大（超过 10 MB），未读取。".into(),
        FileError::NotALedgerCsv => "这不是项目台账的CSV：找不到“编号”或“项目名称”列。请用本应用导出的文件，或保留这两列的表头。".into(),
        FileError::Malformed { line } => format!("CSV 格式有误：第 {line} 行有未闭合的引号或无法读取的内容。未做任何修改。"),
        FileError::NotABundle => "这不是本应用导出的修改包或备份文件，或文件已损坏。未做任何修改。".into(),
        FileError::NewerVersion { version } => format!("这个文件由更新版本的应用导出（格式版本 {version}），请先更新本应用。未做任何修改。"),
        FileError::BadEdit { position } => format!("文件中第 {} 条修改不合规（例如文字过长或数值越界），整个文件未导入。", position + 1),
    }
}

pub fn row_error(error: &crate::domain::exchange::RowError) -> String {
    use crate::domain::exchange::RowError;
    match error {
        RowError::UnknownId(id) => format!("编号 {id} 不在台账中"),
        RowError::DuplicateRow { first_line } => format!("与第 {first_line} 行是同一个项目"),
        RowError::EmptyName => "没有编号，项目名称也为空".into(),
        RowError::UnknownDistrict(t) => format!("区县无法识别：{t}"),
        RowError::UnknownStage(t) => format!("阶段无法识别：{t}"),
        RowError::UnknownCluster(t) => format!("产业集群无法识别：{t}"),
        RowError::BadProcedureState { procedure, text } => {
            format!("{}应为“已办”或“未办”，而不是“{text}”", procedure.name())
        }
        RowError::BadDate { column, text } => format!("{column}无法识别：{text}（应为 年-月-日）"),
        RowError::Invalid { column, error } => format!("{column}：{}", input_error(*error)),
    }
}

pub fn line_reason(line: usize, reason: &str) -> String {
    format!("第 {line} 行：{reason}")
}

pub fn unchanged_rows(n: usize) -> String {
    format!("{n} 行与台账相同，不变。")
}

pub fn import_done(n: usize) -> String {
    format!("已导入：{n} 条修改。")
}

pub fn bundle_preview(device: &str, total: usize, fresh: usize) -> String {
    format!("来自设备 {device} 的修改包：共 {total} 条修改，其中 {fresh} 条本机还没有。")
}

pub fn bundle_merged(n: usize) -> String {
    format!("已合并 {n} 条修改。")
}

pub fn bundle_file_name(device: &str, today: &str) -> String {
    format!("项目台账-修改包-{device}-{today}.json")
}

pub fn backup_file_name(today: &str) -> String {
    format!("项目台账-完整备份-{today}.json")
}

pub fn restore_preview(
    here: usize,
    views_here: usize,
    there: usize,
    views_there: usize,
    device: &str,
) -> String {
    format!("本机现有 {here} 条修改、{views_here} 个保存的视图；备份（设备 {device}）中有 {there} 条修改、{views_there} 个视图。恢复后本机数据将与备份完全相同。")
}

pub fn edit_by(device: &str, time: &str) -> String {
    format!("设备 {device}，{time}")
}
