//! The project list: search, facets, sort, pages, selection, saved views.

#[allow(unused_imports)]
use super::*;

/// The row's small print after the stage chip, as one text node.
pub fn row_facts(
    project: &crate::domain::Project,
    show_district: bool,
    stewards: &[&str],
    today: crate::domain::Date,
) -> String {
    let mut parts = Vec::with_capacity(4);
    if show_district {
        parts.push(district_name(project.district).to_owned());
    }
    parts.push(procedures_progress(
        project.procedures_done(today),
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

pub const WELCOME_TITLE: &str = "项目台账：鞍山市今年重点项目的共同台账";
pub const WELCOME_WHAT: &str = "列出文章公布的全部重点项目，包保人员、区县和市里在同一本台账上记录走访、问题和手续进展。没有网络也能用：修改先存在本机，联网后自动同步（或用“导入导出”交给办公室）。";
/// For each kind of user, the first two steps.
pub const FIRST_STEPS: [(&str, &str); 3] = [
    (
        "包保人员、项目管家",
        "① 扫账号卡上的二维码（或在“同步”页）登录；② 点“我的项目”，到现场后在项目页“添加记录”。",
    ),
    (
        "区县办公室",
        "① 在“总览”选本机区县，在“包保”录入人员和同步用户名；② 看“问题清单”“调度议程”，打印区县汇总。",
    ),
    (
        "市领导、市项目办",
        "① 在“总览”看全市红黄灯和攻坚进度；② 看“全市排名”“变化摘要”，调度会前打印议程。",
    ),
];
pub const WELCOME_DONE: &str = "知道了，不再显示";
