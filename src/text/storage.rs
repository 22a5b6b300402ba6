//! What storage says: problems, durability, quota, what no backup has carried off.

#[allow(unused_imports)]
use super::*;

pub const STORAGE_FAILED: &str = "保存失败：修改暂存在内存中，会自动重试。请勿关闭页面。";
pub const STORAGE_READ_FAILED: &str =
    "读取本机数据失败：部分已保存的修改暂未显示，它们仍在本机，未被改动。请刷新重试。";
/// Said when storage has not opened within `STORAGE_PATIENCE` (3 s).
pub const STORAGE_NOT_ANSWERING: &str = "本浏览器的存储没有响应（已等待 3 秒以上）。现在显示的是随应用发布的项目名录，只能查看，暂不能修改。请关闭本应用的其他标签页，或重启浏览器。本页仍在等待：存储一旦响应就会照常打开，已保存的数据不会丢失。";
pub const STORAGE_FULL: &str =
    "保存失败：浏览器存储空间已满。修改暂存在内存中，请先导出数据或清理空间。";
pub const STORAGE_UNAVAILABLE: &str =
    "此浏览器不允许本地存储（可能是无痕模式）。修改只保存在本页面内存中，关闭后会丢失。";
pub const STORAGE_CORRUPT: &str =
    "本机存储中有无法读取的数据，已原样另存，未被覆盖。其余数据正常加载。";
pub const STORAGE_NEWER: &str =
    "本机数据由更新版本的应用写入，或其格式此版本无法识别。为防止损坏，此版本不写入任何数据（包括设置），请刷新以使用新版本。";
pub const STORAGE_CORRUPT_UNCOPIED: &str =
    "本机存储中有无法读取的数据。未能另存副本，原数据保持原样、未被改动，可在下方下载。其余数据正常加载。";
pub const STORAGE_REPLACED: &str =
    "另一窗口已用备份替换了本机数据。为免写回被替换的数据，此窗口不再保存修改，请刷新。";
pub const UNSAVED_INPUT: &str = "此栏有未保存的输入（浏览器关闭前正在输入）";
pub const SAVE_UNSAVED_INPUT: &str = "保存这段输入";
pub const OPENING: &str = "正在打开本机数据……";
pub const MIGRATING: &str =
    "正在把本机数据迁移到新的存储，请稍候，不要关闭页面（关闭也不会丢失，下次打开会继续）……";
pub const DOWNLOAD_QUARANTINE: &str = "下载无法读取的原始数据：";
pub const UPDATE_READY: &str = "新版本可用。您的修改都已保存。";
pub const UPDATE_RELOAD: &str = "刷新";

pub fn storage_problem(problem: &crate::domain::stored::Problem) -> String {
    use crate::domain::stored::Problem;
    match problem {
        Problem::Full => STORAGE_FULL.to_owned(),
        Problem::Failed(detail) => format!("{STORAGE_FAILED}（{detail}）"),
        Problem::ReadFailed(detail) => format!("{STORAGE_READ_FAILED}（{detail}）"),
        Problem::NotAnswering => STORAGE_NOT_ANSWERING.to_owned(),
        Problem::Unavailable => STORAGE_UNAVAILABLE.to_owned(),
        Problem::Corrupt(keys) => format!("{STORAGE_CORRUPT}（{}）", keys.join("、")),
        Problem::CorruptUncopied(keys) => {
            format!("{STORAGE_CORRUPT_UNCOPIED}（{}）", keys.join("、"))
        }
        Problem::Newer => STORAGE_NEWER.to_owned(),
        Problem::Replaced => STORAGE_REPLACED.to_owned(),
    }
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

/// The quota warning, at `stored::NEARLY_FULL`.
pub fn storage_nearly_full() -> String {
    format!(
        "本机存储已用超过 {}%，请尽快导出数据并清理。",
        (crate::domain::stored::NEARLY_FULL * 100.0).round() as u32
    )
}

/// Edits of a newer version, kept and passed on but not shown.
pub fn unreadable_edits(n: usize) -> String {
    format!("{n} 条修改来自更新的版本，本机无法显示。它们已原样保留，并会随修改包和备份一起传给其他设备；更新本应用后即可显示。")
}

/// A time beyond any calendar (an edit stamped near the end of time).
pub fn time_out_of_range(ms: i64) -> String {
    format!("时间无效（{ms}）")
}

pub fn unexported(n: usize) -> String {
    format!("{}：{n} 条", super::UNSENT)
}

pub const NAV_MINE: &str = "我的项目";
/// 我的项目 folds search, sort, facets and saved views under this.
pub const FIND_AND_FILTER: &str = "查找与筛选";
pub const HAND_OVER: &str = "报送";

/// The header's line with no sync server: offline or not, and what this
/// device holds that no bundle or backup has carried off.
pub fn local_status(offline: bool, pending: usize) -> String {
    let place = if offline {
        "离线 · 仅存本机"
    } else {
        SYNC_OFF
    };
    if pending == 0 {
        place.to_owned()
    } else {
        format!("{place} · {} {pending} 条", super::UNSENT)
    }
}

/// A hand-over bundle's file: who, which district, which day. `.txt`: phones'
/// share sheets take text files, not `.json`; the office reads either.
pub fn hand_over_file_name(who: &str, district: &str, today: &str) -> String {
    let district = if district.is_empty() {
        String::new()
    } else {
        format!("-{district}")
    };
    format!("项目台账-{}-{who}{district}-{today}.txt", super::BUNDLE)
}

pub fn handed_over(edits: usize, projects: usize, file: &str) -> String {
    format!("已报送 {edits} 条修改（{projects} 个项目），文件：{file}")
}

pub fn hand_over_downloaded(edits: usize, projects: usize, file: &str) -> String {
    format!("已下载 {file}：{edits} 条修改（{projects} 个项目）。文件已保存好、会发给区县项目办吗？（确定：算作已报送）")
}

pub const HAND_OVER_NOTHING: &str = "没有待报送的修改。";
pub const HAND_OVER_CANCELLED: &str = "未报送：修改仍在本机，待报送条数不变。";
