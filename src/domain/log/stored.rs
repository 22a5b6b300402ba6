//! How the edit log is laid out in browser storage, as pure logic the storage
//! module drives.
//!
//! The log is kept in segments of at most `SEGMENT_CAPACITY` edits. Each page
//! load is its own *writer* and appends only to its own segments, so one more
//! edit rewrites at most one small segment (saving cost does not grow with the
//! log), a crash can only lose the write in flight, and two tabs never write the
//! same key.

use crate::domain::log::edit::{EditId, Entry};
use crate::domain::log::wire::{read_entries, write_entries, Entries};
use serde::{Deserialize, Serialize};

/// Version of the stored format. Bump it with a migration and a fixture.
pub const SCHEMA: u32 = 1;
pub const META_KEY: &str = "ledger.v1.meta";
const SEGMENT_PREFIX: &str = "ledger.v1.log.";
pub const SEGMENT_CAPACITY: usize = 256;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    #[serde(rename = "schema")]
    pub schema: u32,
    /// Chosen once per browser profile; recorded on every edit.
    #[serde(rename = "device")]
    pub device: String,
}

pub fn segment_key(writer: &str, segment: u32) -> String {
    format!("{SEGMENT_PREFIX}{writer}.{segment}")
}

/// `Some((writer, segment))` when the key names a log segment.
pub fn parse_segment_key(key: &str) -> Option<(&str, u32)> {
    let rest = key.strip_prefix(SEGMENT_PREFIX)?;
    let (writer, segment) = rest.rsplit_once('.')?;
    if writer.is_empty() || !writer.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some((writer, segment.parse().ok()?))
}

/// A segment's entries, each read on its own (see `edit::read_entries`).
pub fn decode_segment(raw: &str) -> Result<Entries, serde_json::Error> {
    read_entries(raw)
}

/// Appends this page's edits to its own segments.
pub struct SegmentWriter {
    writer: String,
    segment: u32,
    tail: Vec<Entry>,
    next_sequence: u64,
}

impl SegmentWriter {
    pub fn new(writer: String) -> SegmentWriter {
        SegmentWriter {
            writer,
            segment: 0,
            tail: Vec::new(),
            next_sequence: 0,
        }
    }

    pub fn writer(&self) -> &str {
        &self.writer
    }

    pub fn next_edit_id(&mut self) -> EditId {
        self.next_sequence = self.next_sequence.saturating_add(1);
        EditId::new(&self.writer, self.next_sequence)
    }

    /// Takes many edits; returns each touched segment once, with its final value.
    pub fn push_all<E: Into<Entry>>(
        &mut self,
        edits: impl IntoIterator<Item = E>,
    ) -> Vec<(String, String)> {
        let mut touched = Vec::new();
        // Whether the current segment holds edits of this call (a full one
        // from an earlier call is already written).
        let mut grew = false;
        for edit in edits {
            if self.tail.len() == SEGMENT_CAPACITY {
                if grew {
                    touched.push(self.current());
                }
                self.segment += 1;
                self.tail.clear();
            }
            self.tail.push(edit.into());
            grew = true;
        }
        if grew {
            touched.push(self.current());
        }
        touched
    }

    fn current(&self) -> (String, String) {
        (
            segment_key(&self.writer, self.segment),
            write_entries(&self.tail),
        )
    }
}

/// Browsers name a full storage differently: Chromium and Safari throw
/// `QuotaExceededError` (legacy code 22), old Firefox `NS_ERROR_DOM_QUOTA_REACHED` (code 1014).
pub fn is_quota_error(name: &str, code: Option<u32>) -> bool {
    matches!(name, "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED")
        || matches!(code, Some(22 | 1014))
}

/// Warn when this much of the browser's storage quota is used.
pub const NEARLY_FULL: f64 = 0.8;

pub fn nearly_full(usage: f64, quota: f64) -> bool {
    quota > 0.0 && usage / quota >= NEARLY_FULL
}

pub const QUARANTINE_PREFIX: &str = "ledger.quarantine.";

pub fn quarantine_key(key: &str) -> String {
    format!("{QUARANTINE_PREFIX}{key}")
}

/// What can go wrong with storage, as the screens report it.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The browser's storage quota is used up.
    Full,
    /// Any other failed write, with the browser's words.
    Failed(String),
    /// Reading what is stored failed, with the browser's words.
    ReadFailed(String),
    /// Storage has not answered yet: nothing can be stored for now.
    NotAnswering,
    /// localStorage is disabled or missing; the app runs in memory.
    Unavailable,
    /// These keys could not be read; their raw values were copied aside.
    Corrupt(Vec<String>),
    /// These could not be read, and no copy could be made (storage is full,
    /// or read-only): they are left as they are, and offered for download.
    CorruptUncopied(Vec<String>),
    /// A newer app version wrote this data, or its meta does not read; this
    /// version will not write.
    Newer,
    /// Another tab replaced everything (a restore): this one writes no more.
    Replaced,
}

pub const VIEWS_KEY: &str = "ledger.v1.views";
/// Who uses this device: a person id of the roster.
pub const ME_KEY: &str = "ledger.v1.me";
/// The district an office device works for (本机区县): a district key.
pub const SCOPE_KEY: &str = "ledger.v1.scope";
/// What any backup or bundle has carried off this device (per writer, the
/// highest edit number), for the footer's count of edits not yet exported.
pub const EXPORTED_KEY: &str = "ledger.v1.exported";
/// Per recipient, what edit bundles have already carried to them.
pub const SENT_KEY: &str = "ledger.v1.sent";
/// The sync server: the database URL, a line break, the user name last
/// signed in (never a password).
pub const SYNC_KEY: &str = "ledger.v1.sync";
/// The server roles of the person signed in, one per line, as `_session`
/// gave them at sign-in: what the pages say this person may change.
pub const SYNC_ROLES_KEY: &str = "ledger.v1.sync.roles";
/// Per database URL, what sync keeps (`Replicator::to_text`): the checkpoint,
/// what the server holds, refusals. Losing it costs a pull, nothing else.
pub const SYNC_STATE_PREFIX: &str = "ledger.sync.";
/// Set once the welcome on the first screen is put away.
pub const WELCOMED_KEY: &str = "ledger.v1.welcomed";
/// When a search was last typed on this device, in any tab (ms since the
/// epoch): a sync download gives way meanwhile.
pub const TYPING_KEY: &str = "ledger.typing";
/// A visit or blocker form not yet submitted: `ledger.draft.<form>.<project>`.
pub const DRAFT_PREFIX: &str = "ledger.draft.";

/// A named list view the user saved on this device: its URL query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    #[serde(rename = "name")]
    pub name: String,
    #[serde(rename = "query")]
    pub query: String,
}
