//! The sync page and the header's sync status.

#[allow(unused_imports)]
use super::*;
use crate::domain::sync::replicator::Status;
use crate::domain::sync::server::AddressError;

pub const NAV_SYNC: &str = "同步";
pub const SYNC_TITLE: &str = "同步";
pub const SYNC_INTRO: &str = "填写市项目办提供的服务器地址并登录后，本机的修改会上传，其他人的修改会自动下载。不设置服务器时，台账只保存在本机，仍可用修改包交换。密码不会保存在本机。";
pub const SYNC_URL: &str = "服务器地址";
pub const SYNC_URL_HINT: &str = "数据库的完整地址，例如 https://couch.example.cn/project-ledger";
pub const SYNC_USER: &str = "用户名";
pub const SYNC_PASSWORD: &str = "密码";
pub const SYNC_SIGN_IN: &str = "登录并同步";

pub const RECEIVE_TITLE: &str = "不用同步服务器时：接收办公室的修改包";
pub const RECEIVE_HINT: &str = "办公室导出的修改包（包含人员名单和各项修改）发到本机后，在这里选择文件，合并到本机台账；“我是”和记录的人员选项随之出现。";
pub const RECEIVING: &str = "正在读取并合并…";
pub const FILE_UNREADABLE: &str = "无法读取这个文件，请重新选择。";

/// What a sign-in link filled in: the server named, so a person checks it before typing a password.
pub fn sync_link_filled(server: &str, user: &str) -> String {
    format!("登录链接已填好服务器地址（{server}）和用户名（{user}）。请核对服务器地址，输入密码，再点“{SYNC_SIGN_IN}”。")
}
pub const SYNC_NOW: &str = "立即同步";
pub const SYNC_SIGN_OUT: &str = "退出登录";
pub const SYNC_OFF: &str = "仅存本机";
pub const SYNC_NEEDS_LOGIN: &str = "需要重新登录";
pub const SYNC_OFFLINE: &str = "离线";
pub const SYNC_SIGNING_IN: &str = "正在登录……";
pub const SYNC_BAD_PASSWORD: &str = "用户名或密码不对。";
pub const SYNC_NEED_USER: &str = "请填写用户名和密码。";
pub const SYNC_LOADING: &str = "正在载入同步模块……";
pub const SYNC_ENGINE_MISSING: &str =
    "同步模块没能载入（首次打开时网络中断？）。请联网后刷新页面；本机的修改都已保存。";
pub const SYNC_SIGNED_OUT: &str = "已退出登录。本机的修改都保留，登录后继续同步。";
pub const SYNC_LOGIN_AGAIN: &str =
    "登录已过期，同步已暂停。请重新输入密码；编辑照常，修改都保存在本机。";
pub const SYNC_REFUSED_TITLE: &str = "服务器拒绝的修改";
pub const SYNC_REFUSED_NOTE: &str =
    "这些修改仍保存在本机，也会随修改包和备份导出；服务器的理由如下。";
pub const SYNC_REJECTED_TITLE: &str = "未接收的服务器修改";
pub const SYNC_REJECTED_NOTE: &str =
    "服务器上的这些修改超出了应用的限制（如过长的文字），本机没有接收，也不显示；它们仍留在服务器上。请告知市项目办。";
pub const SYNC_COLLISIONS_TITLE: &str = "编号冲突";
pub const SYNC_COLLISIONS_NOTE: &str =
    "服务器上已有同一编号的另一条修改（两台设备用了同一编号）。两条都保留，请告知市项目办。";

pub fn sync_address_error(e: AddressError) -> &'static str {
    match e {
        AddressError::Empty => "请填写服务器地址。",
        AddressError::Scheme => "服务器地址应以 https:// 或 http:// 开头。",
        AddressError::NoDatabase => "服务器地址后面要写数据库名，例如 …/project-ledger。",
        AddressError::Malformed => {
            "服务器地址格式不对：数据库名只能用小写字母、数字和 _$()+-，且不能带 ? 或 #。"
        }
    }
}

pub fn sync_unreachable(url: &str) -> String {
    format!("连不上服务器：{url}。请检查地址和网络；本机的修改都已保存。")
}

pub fn sync_server_said(status: u16) -> String {
    format!("服务器拒绝登录（HTTP {status}）。")
}

pub fn sync_signed_in_as(user: &str) -> String {
    format!("已登录：{user}")
}

/// What sync did since sign-in on this page, counted: every edit it
/// handled is in one count, so none reads as 0 that was kept.
pub struct SyncCounts {
    pub uploaded: usize,
    pub on_server_already: usize,
    pub downloaded: usize,
    pub here_already: usize,
    /// Refused by the server (its rules, or another edit under the same id).
    pub refused: usize,
    /// On the server, not taken here: beyond the bounds any edit is held to.
    pub not_taken: usize,
}

/// "已上传 3 条（另有 1 条服务器已有）", "已下载 120 条（另有 3 条本机已有）",
/// "服务器拒绝 1 条", "未接收 1 条": the parts that are not zero.
pub fn sync_counts(c: &SyncCounts) -> Vec<String> {
    let with_held =
        |verb: &str, n: usize, held: usize, place: &str, none_new: String| match (n, held) {
            (0, 0) => None,
            (n, 0) => Some(format!("{verb} {n} 条")),
            (0, _) => Some(none_new),
            (n, held) => Some(format!("{verb} {n} 条（另有 {held} 条{place}已有）")),
        };
    [
        with_held(
            "已上传",
            c.uploaded,
            c.on_server_already,
            "服务器",
            format!("服务器已有本机的 {} 条，无需再上传", c.on_server_already),
        ),
        with_held(
            "已下载",
            c.downloaded,
            c.here_already,
            "本机",
            format!("下载的 {} 条本机均已有", c.here_already),
        ),
        (c.refused > 0).then(|| format!("服务器拒绝 {} 条", c.refused)),
        (c.not_taken > 0).then(|| format!("未接收 {} 条（超出长度限制）", c.not_taken)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub fn sync_pending(n: usize) -> String {
    format!("{UNSENT} {n} 条")
}

/// How far a first download has come, in percent: the edits this device
/// holds against the documents the server holds (never 100 before the end).
pub fn download_percent(held: usize, on_server: u64) -> Option<u32> {
    (on_server > 0).then(|| (held as u64 * 100 / on_server).min(99) as u32)
}

pub fn sync_downloading(held: usize, on_server: u64) -> String {
    format!("正在下载：本机已有 {held} 条，服务器约 {on_server} 条")
}

/// The header's one line: the most urgent of what sync knows; `downloaded`,
/// how far a download has come in percent, when known.
pub fn sync_status(
    status: Option<&Status>,
    downloaded: Option<u32>,
    time: impl Fn(i64) -> String,
) -> String {
    let Some(s) = status else {
        return SYNC_OFF.to_owned();
    };
    if s.needs_login || !s.signed_in {
        SYNC_NEEDS_LOGIN.to_owned()
    } else if s.offline {
        if s.pending > 0 {
            format!("{SYNC_OFFLINE} · {}", sync_pending(s.pending))
        } else {
            SYNC_OFFLINE.to_owned()
        }
    } else if s.refused + s.collisions > 0 {
        format!("服务器拒绝 {} 条", s.refused + s.collisions)
    } else if s.pending > 0 {
        sync_pending(s.pending)
    } else if !s.caught_up {
        match downloaded {
            Some(p) => format!("正在下载 {p}%"),
            None => "正在下载……".to_owned(),
        }
    } else {
        match s.last_contact {
            Some(at) => format!("已同步 {}", time(at)),
            None => "正在连接……".to_owned(),
        }
    }
}

/// Signed in as a user the ledger's rules give no role: named exactly, with
/// the roles that exist, so the office fixes the account, not the password.
pub fn sync_no_ledger_role(user: &str, has: &[String], exist: &[String]) -> String {
    let has = if has.is_empty() {
        "没有任何角色".to_owned()
    } else {
        format!("它的角色（{}）都不是台账的角色", has.join("、"))
    };
    format!(
        "账号 {user} 密码正确，但{has}，同步不会开始。请市项目办在服务器上为它设置以下角色之一：{}。",
        exist.join("、")
    )
}
