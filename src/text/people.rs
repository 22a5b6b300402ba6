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
pub const PERSON_LOGIN: &str = "同步用户名（可不填）";
pub const PERSON_LOGIN_HINT: &str = "此人登录同步服务器用的用户名，如 wangxm：信息技术人员按“导出账号名单”建账号；此人登录后，“我是”自动选中本人";

pub const ACCOUNTS_HEADING: &str = "同步账号";
pub const ACCOUNTS_HINT: &str = "给每人填好同步用户名后：导出账号名单交给信息技术人员建账号（密码由建账号的命令生成，单独交给本人）；再为每人打印账号卡，扫码即可登录。";
pub const EXPORT_ACCOUNTS: &str = "导出账号名单";
pub const PRINT_ACCOUNT_CARDS: &str = "打印账号卡";
pub const ACCOUNT_CARDS_TITLE: &str = "账号卡";
pub const ACCOUNT_CARD: &str = "同步账号卡";
pub const NO_ACCOUNT_CARDS: &str =
    "没有可打印的账号卡：请先在人员信息中填写同步用户名，并选好所在区县（市级领导可不选）。";
pub const ACCOUNT_CARDS_NO_SERVER: &str =
    "本机还没有设置同步服务器，卡上印不出登录链接：请先在“同步”页填写服务器地址并登录。";
pub const ACCOUNT_WRITES: &str = "可以修改";
pub const SIGN_IN_QR: &str = "登录链接的二维码";
pub const SIGN_IN_STEPS_HEADING: &str = "在手机上开始使用";
pub const SIGN_IN_STEP_OPEN: &str =
    "用手机相机扫描二维码（或在浏览器中打开下面的链接），服务器地址和用户名会自动填好；";
pub const SIGN_IN_STEP_PASSWORD: &str = "输入密码（密码另行交给您，不印在卡上）；";
pub const SIGN_IN_STEP_DONE: &str = "点“登录并同步”。此后没有网络也能使用，联网时自动同步。";

/// Why a person of the roster gets no account.
pub fn no_account(why: crate::domain::sync::accounts::NoAccount) -> String {
    use crate::domain::sync::accounts::NoAccount;
    match why {
        NoAccount::NoLogin => "未填同步用户名".into(),
        NoAccount::NoDistrict => "未选所在区县（只有市级领导可不选）".into(),
    }
}

pub fn accounts_file_name(day: &str) -> String {
    format!("项目台账-账号名单-{day}.json")
}

pub fn accounts_count(with: usize, without: usize) -> String {
    format!("名单中 {with} 人可建账号，{without} 人暂不能建（未填同步用户名或所在区县）。")
}

/// What a server role lets its holder write, in words.
pub fn server_role_words(role: &str) -> String {
    match role
        .strip_prefix("district-")
        .and_then(crate::domain::District::from_key)
    {
        Some(d) => format!("{}的项目和人员", d.name()),
        None if role == "city-leader" => "全市的项目和人员".into(),
        None => role.to_owned(),
    }
}
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
