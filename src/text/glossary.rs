//! The app's words for the things people talk about, one word each. Every
//! screen, print and message uses these (README's glossary lists them too):
//! a second name for the same thing makes people ask whether it is a
//! second thing.
//!
//! | Word | Means | Not |
//! |---|---|---|
//! | 待报送 | this device's edits that have not reached anyone yet: with a sync server, not yet uploaded; without, in no 修改包 or 备份 that left the device | 待上传, 未导出的修改 |
//! | 报送 | sending one's edits on: sync does it by itself; with no server, the 报送 button hands a 修改包 to WeChat or mail | |
//! | 修改包 | the file of edits one device hands to another (导出修改包, 导入修改包, the 报送 file) | 报送文件, 数据包 |
//! | 备份 | everything on this device, to restore it whole | |
//! | 区县 | the nine districts and counties, the article's word | 县区 |
//! | 包保 | the leaders and service team a project is assigned to | |
//! | 待补 | a project whose stage, procedures or planned start are missing: unknown, never green | |
//! | 曾超期 | a deadline passed before it was extended: it stays on record | |
//! | 作废 | a record withdrawn by the person who made it: out of the counts, kept in history | |
//! | 录入 / 上传 | who made an edit / who uploaded it, when someone else did | |
//! | 用户名 | a person's sign-in name on the sync server, given on the roster (同步用户名) | 登录名 |
//!
//! Dates: ISO (2024-04-15) on screens and working lists; 2024年4月15日 on a
//! 督办单 and printed summaries' headings (`DateStyle`).

/// This device's edits that have reached no one yet.
pub const UNSENT: &str = "待报送";
/// The file of edits handed from one device to another.
pub const BUNDLE: &str = "修改包";
