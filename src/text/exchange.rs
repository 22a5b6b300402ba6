//! Import and export: CSV, edit bundles, conflicts, backups.

#[allow(unused_imports)]
use super::*;
use crate::domain::vocab::project::{Cluster, District, Stage};

pub const EXPORT_CSV: &str = "导出CSV";
/// The list's link to the export and the export's heading.
pub const EXPORT_LIST: &str = "导出Excel/CSV";
pub const EXPORT_XLSX: &str = "导出Excel（.xlsx）";
/// A spreadsheet export or import, while its module loads and works.
pub const SHEETS_WORKING: &str = "正在准备表格模块……";
pub const SHEETS_UNAVAILABLE: &str =
    "表格模块未能加载（首次使用 Excel 功能需要联网一次）。CSV 导入导出不受影响。未做任何修改。";

pub fn xlsx_exported(name: &str, projects: usize) -> String {
    format!("已导出 {name}：{projects} 个项目，另附未解决问题和最近走访两张工作表。")
}

/// `项目台账-海城市-2024-03-01.csv`: the districts the view shows (or 全部 / 筛选结果), the day and the extension.
pub fn export_file_name(
    districts: &[&str],
    filtered: bool,
    today: &str,
    extension: &str,
) -> String {
    let view = if !districts.is_empty() {
        districts.join("、")
    } else if filtered {
        "筛选结果".to_owned()
    } else {
        "全部".to_owned()
    };
    format!("项目台账-{view}-{today}.{extension}")
}

pub const EXCHANGE_HEADING: &str = "导入导出";
pub const NAV_EXCHANGE: &str = "导入导出";
pub const EXPORT_HINT: &str = "Excel 文件（.xlsx）：表头冻结，日期为日期、总投资为数字，文字一律存为文本（不会被当作公式执行），包保按市级领导、区县领导、服务专班分列，另附未解决问题和最近走访两张工作表。CSV 文件带 BOM，Excel 可直接打开显示中文；日期为 年-月-日；以 = + - @ 开头的文字前加了单引号，防止 Excel 当作公式执行。";

pub fn export_scope(n: usize) -> String {
    format!("将导出项目列表当前筛选出的 {n} 个项目（全部页）。")
}

// Exchange: import, bundles, backup.
pub const IMPORT_CSV: &str = "导入Excel或CSV";
pub const IMPORT_CSV_HINT: &str = "可导入本应用导出的 Excel（.xlsx，读“项目”工作表，没有则读第一张）或 CSV，或 Excel、WPS 另存的文件（CSV 为 UTF-8 或 GB18030/GBK 均可）。按编号匹配项目；没有编号时按项目名称和区县匹配；匹配不到的行作为新项目。导入前先预览，确认后才修改。";
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
pub const CONFLICTS_HINT: &str = "两台设备在看到对方的修改之前，各自修改了同一项。台账暂按时间较晚的一个显示；选定一个值后，记为一条新修改，所有设备都会采用它。";
pub const KEEP_THIS_VALUE: &str = "保留此值";
pub const DEVICE_UNKNOWN: &str = "未知";
pub const FILE_SAVED: &str = "已保存";
pub const FILE_NOT_SAVED: &str = "没有保存";

/// After a download is offered: only the person knows whether the browser saved it.
pub fn saved_yet(name: &str, n: usize) -> String {
    format!("已提供下载《{name}》（{n} 条修改）。文件保存好了吗？确认后，这些修改才算已导出。")
}
pub const TIME_ANOMALIES_HEADING: &str = "时间异常";

/// Why edits far ahead of the clock are listed, with the margin.
pub fn time_anomalies_hint() -> String {
    format!(
        "这些修改的时间比本机时钟快 {} 小时以上（多半是那台设备的时钟设错了）。它们已合并显示，但本机之后的修改不会跟随这个时间，对同一项的后续修改总会取代它们。",
        crate::domain::ledger::CLOCK_MARGIN_MS / 3_600_000
    )
}
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
        FileError::TooLarge => format!(
            "文件过大（超过 {} MB），未读取。",
            crate::domain::exchange::MAX_FILE_BYTES / (1024 * 1024)
        ),
        FileError::NotALedgerCsv => "这不是项目台账的CSV：找不到“编号”或“项目名称”列。请用本应用导出的文件，或保留这两列的表头。".into(),
        FileError::NotALedgerSheet { sheet } => format!("这不是项目台账的表格：工作表“{sheet}”中找不到“编号”或“项目名称”列。请用本应用导出的文件，或把项目放在名为“项目”的工作表里，并保留这两列的表头。未做任何修改。"),
        FileError::NotASpreadsheet => "无法读取这个 Excel 文件：它不是 .xlsx 工作簿，或已损坏。可在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再导入。未做任何修改。".into(),
        FileError::Malformed { line } => format!("CSV 格式有误：第 {line} 行有未闭合的引号或无法读取的内容。未做任何修改。"),
        FileError::NotABundle => "这不是本应用导出的修改包或备份文件，或文件已损坏。未做任何修改。".into(),
        FileError::NewerVersion { version } => format!("这个文件由更新版本的应用导出（格式版本 {version}），请先更新本应用。未做任何修改。"),
        FileError::BadEdit { position, id, fault } => format!(
            "文件中第 {position} 条修改（编号 {id}）不合规：{}。整个文件未导入，未做任何修改。",
            edit_fault(fault)
        ),
    }
}

/// Why an edit from a file breaks the limits, in the words of the field it breaks.
pub fn edit_fault(fault: &crate::domain::validate::EditFault) -> String {
    use crate::domain::validate::{
        EditFault, MAX_DEVICE_CHARS, MAX_REPLACED, MAX_SUBJECT_CHARS, MAX_UNREADABLE_CHARS,
    };
    match fault {
        EditFault::DeviceTooLong => format!("设备名超过 {MAX_DEVICE_CHARS} 个字符"),
        EditFault::SubjectEmpty => "没有写明修改的是哪个项目或人员".into(),
        EditFault::SubjectTooLong => format!("项目或人员编号超过 {MAX_SUBJECT_CHARS} 个字符"),
        EditFault::ReferenceTooLong => {
            format!("所指的人员、问题或记录编号超过 {MAX_SUBJECT_CHARS} 个字符")
        }
        EditFault::TooManyReplaced => format!("声称取代的修改超过 {MAX_REPLACED} 条"),
        EditFault::UnreadableTooLarge => {
            format!("一条无法识别的修改超过 {MAX_UNREADABLE_CHARS} 个字符")
        }
        EditFault::Input(e) => input_error(e.clone()),
    }
}

pub fn row_error(error: &crate::domain::exchange::RowError) -> String {
    use crate::domain::exchange::RowError;
    match error {
        RowError::UnknownId(id) => format!("编号 {id} 不在台账中"),
        RowError::DuplicateRow { first_line } => format!("与第 {first_line} 行是同一个项目"),
        RowError::EmptyName => "没有编号，项目名称也为空".into(),
        RowError::UnknownDistrict(t) => {
            let names = District::ALL.iter().map(|d| d.name());
            format!(
                "区县无法识别：{t}{}",
                valid_ones(t, names.chain(["区县未说明"]))
            )
        }
        RowError::UnknownStage(t) => {
            let names = Stage::ALL.iter().map(|s| s.name());
            format!(
                "阶段无法识别：{t}{}",
                valid_ones(t, names.chain(["阶段未填"]))
            )
        }
        RowError::UnknownCluster(t) => {
            let names = Cluster::ALL.iter().map(|c| c.name());
            format!("产业集群无法识别：{t}{}", valid_ones(t, names))
        }
        RowError::BadProcedureState { procedure, text } => {
            format!("{}应为“已办”或“未办”，而不是“{text}”", procedure.name())
        }
        RowError::BadDate { column, text } => format!("{column}无法识别：{text}（应为 年-月-日）"),
        RowError::Invalid { column, error } => format!("{column}：{}", input_error(error.clone())),
    }
}

/// What a refused spelling most likely meant: the one valid name that holds
/// it or that it holds (海城 → 海城市); otherwise every valid name.
fn valid_ones<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let typed = typed.trim();
    let near: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !typed.is_empty() && (n.contains(typed) || typed.contains(n)))
        .collect();
    match near.as_slice() {
        [one] => format!("，是否应为“{one}”？"),
        _ => format!("，可填：{}", names.join("、")),
    }
}

pub fn line_reason(line: usize, reason: &str) -> String {
    format!("第 {line} 行：{reason}")
}

pub fn unchanged_rows(n: usize) -> String {
    format!("{n} 行与台账相同，不变。")
}

/// After an import: every row of the file is in one count (added, updated,
/// already the same, refused), so none reads as lost.
pub fn import_done(
    added: usize,
    updated: usize,
    fields: usize,
    unchanged: usize,
    refused: usize,
) -> String {
    let mut text =
        format!("已导入：新增 {added} 个项目，更新 {updated} 个项目，共 {fields} 项修改");
    if unchanged > 0 {
        text.push_str(&format!("；{unchanged} 行与台账相同，不变"));
    }
    if refused > 0 {
        text.push_str(&format!("；{refused} 行被拒绝，未导入"));
    }
    text.push('。');
    text
}

/// One change of an updated row, from what the project holds now (`old`).
pub fn old_to_new(old: &str, new: &str) -> String {
    match (old.split_once('：'), new.split_once('：')) {
        (Some((label, before)), Some((same, after))) if label == same => {
            let before = if before == super::CLEARED {
                "（空）"
            } else {
                before
            };
            format!("{label}：{before} → {after}")
        }
        _ => new.to_owned(),
    }
}

pub fn bundle_preview(device: &str, total: usize, fresh: usize) -> String {
    format!("来自设备 {device} 的修改包：共 {total} 条修改，其中 {fresh} 条本机还没有。")
}

/// What a merge kept: every edit new to this device, and those it held already.
pub fn bundle_merged(added: usize, held: usize) -> String {
    match held {
        0 => format!("已合并 {added} 条修改。"),
        _ => format!("已合并 {added} 条修改；另有 {held} 条本机已有，未重复保存。"),
    }
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

/// Who made an edit and when: the person when sync knows them
/// ("王晓明 · 2026-12-01 10:32"), else the device.
pub fn made_by(person: Option<&str>, device: &str, time: &str) -> String {
    match person {
        Some(person) => format!("{person} · {time}"),
        None => edit_by(device, time),
    }
}
