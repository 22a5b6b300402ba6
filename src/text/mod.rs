//! Every user-facing string, in zh-CN, one file per screen (the shared words
//! here). A second language is a second copy of this module behind the same
//! names. Sentences that state a rule's numbers take them from the rule's
//! constants in `domain`, never from a copy.

mod exchange;
mod glossary;
mod list;
mod office;
mod people;
mod print;
mod project;
mod storage;
mod sync;

pub use exchange::*;
pub use glossary::*;
pub use list::*;
pub use office::*;
pub use people::*;
pub use print::*;
pub use project::*;
pub use storage::*;
pub use sync::*;

use crate::domain::validate::InputError;

pub const APP_NAME: &str = "项目台账";
pub const APP_SUBTITLE: &str = "鞍山市重点项目";
pub const NAV_LIST: &str = "项目列表";
/// The menu's places that fold on a narrow screen.
pub const NAV_MORE: &str = "更多";
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
        InputError::BadLogin => format!(
            "用户名只能用小写字母、数字和 . - _，以字母或数字开头，最多 {} 个字符，例如 wangxm 或 hc.liuyang",
            crate::domain::validate::MAX_LOGIN_CHARS
        ),
        InputError::LoginTaken(name) => format!("这个用户名已分配给{name}，每人须用不同的用户名"),
        InputError::BadPhone => {
            "电话号码无效：手机为1开头的11位数字，座机须带区号（如 0412-1234567）".into()
        }
        InputError::EmptyDescription => "请写明问题是什么".into(),
        InputError::ResolvedBeforeOpened => "解决日期不能早于提出日期".into(),
        InputError::NoSuchBlocker => "找不到这个问题，可能已被其他设备修改".into(),
        InputError::NoSuchRecord => "找不到这条记录，可能已经作废".into(),
        InputError::DeadlineBeforeOpened => "完成时限不能早于提出日期".into(),
        InputError::EmptyNote => "请写明进展".into(),
        InputError::CampaignTooLong => format!(
            "攻坚天数须在 1 到 {} 之间",
            crate::domain::validate::MAX_CAMPAIGN_DAYS
        ),
        InputError::FutureDate => "这个日期还没到：办结、开工或解决的日期不能晚于今天".into(),
        InputError::Repeated => "刚刚已保存过相同的内容，这一次没有重复保存".into(),
        InputError::StorageNotAnswering => {
            "本机存储还没有响应，暂不能保存修改；输入的内容仍留在这里".into()
        }
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
        Change::Supervise { supervision: s, .. } => format!(
            "问题督办：{}，责任单位 {}，责任人 {}，完成时限 {}",
            s.level.name(),
            s.unit,
            s.person,
            date(&s.deadline)
        ),
        Change::BlockerProgress { date, note, .. } => format!("问题进展（{date}）：{note}"),
        Change::Void { why, .. } if why.trim().is_empty() => "作废了一条记录".to_owned(),
        Change::Void { why, .. } => format!("作废了一条记录（原因：{why}）"),
        Change::Campaign(v) => match v {
            Some(true) => "列入百日攻坚".to_owned(),
            Some(false) => "不列入百日攻坚".to_owned(),
            None => "百日攻坚：按默认".to_owned(),
        },
        Change::CampaignSettings(c) => format!("百日攻坚：{} 起 {} 天", c.start, c.days),
    }
}

pub use crate::domain::validate::format_wan;

/// How a date is written: ISO (2024-04-15) on screens and in working lists,
/// short and in order; 2024年4月15日 on a 督办单 and the printed summaries'
/// headings, as a 公文 writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateStyle {
    Iso,
    Formal,
}

impl DateStyle {
    pub fn write(self, date: crate::domain::Date) -> String {
        match self {
            DateStyle::Iso => date.to_string(),
            DateStyle::Formal => formal_date(date),
        }
    }
}

/// "2024年4月15日".
pub fn formal_date(date: crate::domain::Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A moment as "2024-04-15 09:30" becomes "2024年4月15日 09:30".
pub fn formal_time(iso: &str) -> String {
    match iso.split_once(' ') {
        Some((day, time)) => match crate::domain::Date::parse(day) {
            Some(d) => format!("{} {time}", formal_date(d)),
            None => iso.to_owned(),
        },
        None => crate::domain::Date::parse(iso).map_or_else(|| iso.to_owned(), formal_date),
    }
}

pub const UNKNOWN_PERSON: &str = "（未知人员）";
