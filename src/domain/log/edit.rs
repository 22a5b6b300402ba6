//! The edit: one change a person made, as it is stored and travels between
//! devices. Devices of many versions read each other's edits for years, so the
//! wire format is written out by hand in `log::wire`, the one place that names
//! it; renaming Rust code here never changes data. `tests/wire_format.rs` holds
//! a fixture with one edit of every variant for every released format.
//!
//! Formats:
//! - 1 (no `v`): `{"i","d","p","t","c"}`, as the first release wrote it.
//! - 2 (`"v":2`): adds `r`, the edits of the same field this one replaces, as
//!   its device saw them when the person made it (its causal parents).
//! - 3 (`"v":3`): adds `a`, who made it ([`Maker`]), fixed when it is made:
//!   a bundle, a backup or another person's upload carries it unchanged.
//!
//! A format this version does not know, or a change it cannot read, makes the
//! edit [`Unreadable`]: kept verbatim, carried on in bundles and backups,
//! counted on screen; its neighbours load as usual.

use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{CampaignSettings, NewBlocker, Record, Supervision};
use crate::domain::vocab::people::PersonDetails;
use crate::domain::vocab::project::{Cluster, District, Procedure, Stage};
use serde_json::value::RawValue;
use std::fmt;
use std::str::FromStr;

/// The newest edit format this version writes and reads.
pub const FORMAT: u32 = 3;

/// Longest writer id an edit may carry (this app writes 8).
pub const MAX_WRITER_CHARS: usize = 32;
/// Highest sequence number: what a JavaScript number holds exactly.
pub const MAX_SEQUENCE: u64 = (1 << 53) - 1;

/// Unique across devices: the writer (one page load of one device, a random
/// id) and its sequence number. Written `writer:seq`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EditId {
    pub writer: String,
    pub seq: u64,
}

impl EditId {
    pub fn new(writer: &str, seq: u64) -> EditId {
        EditId {
            writer: writer.to_owned(),
            seq,
        }
    }
}

impl fmt::Display for EditId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.writer, self.seq)
    }
}

/// Why text is not an edit id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadEditId;

impl FromStr for EditId {
    type Err = BadEditId;

    fn from_str(text: &str) -> Result<EditId, BadEditId> {
        let (writer, seq) = text.rsplit_once(':').ok_or(BadEditId)?;
        let writer_ok = !writer.is_empty()
            && writer.len() <= MAX_WRITER_CHARS
            && writer.bytes().all(|b| b.is_ascii_alphanumeric());
        // One spelling per id: no sign, no leading zero.
        let seq_ok = !seq.is_empty()
            && seq.len() <= 16
            && seq.bytes().all(|b| b.is_ascii_digit())
            && (seq == "0" || !seq.starts_with('0'));
        if !(writer_ok && seq_ok) {
            return Err(BadEditId);
        }
        let seq: u64 = seq.parse().map_err(|_| BadEditId)?;
        if seq > MAX_SEQUENCE {
            return Err(BadEditId);
        }
        Ok(EditId::new(writer, seq))
    }
}

/// The id of edits about the whole ledger (the campaign's settings).
pub const LEDGER_SUBJECT: &str = "ledger:campaign";

/// What an edit is about. On the wire it is the id alone (`p`); which kind of
/// subject follows from the change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    Project(String),
    Person(String),
    /// The ledger itself: the campaign's settings.
    Ledger,
}

impl Subject {
    /// The subject a change with this id is about.
    pub fn of(id: &str, change: &Change) -> Subject {
        match change {
            Change::SavePerson(_) | Change::RemovePerson { .. } => Subject::Person(id.to_owned()),
            Change::CampaignSettings(_) => Subject::Ledger,
            _ => Subject::Project(id.to_owned()),
        }
    }

    /// The id as written in the edit (`p`).
    pub fn id(&self) -> &str {
        match self {
            Subject::Project(id) | Subject::Person(id) => id,
            Subject::Ledger => LEDGER_SUBJECT,
        }
    }

    pub fn project(&self) -> Option<&str> {
        match self {
            Subject::Project(id) => Some(id),
            _ => None,
        }
    }
}

/// An edit as stored, with the person its record names (sync), when known.
pub type Authored = (Edit, Option<String>);

#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub id: EditId,
    /// The device (browser profile) it was made on.
    pub device: String,
    pub subject: Subject,
    /// Milliseconds since 1970-01-01 UTC, from the device's clock (see
    /// `Ledger::stamp`). Any value is accepted; the fold orders by it.
    pub at: i64,
    /// Format 2: the edits of the same field this one replaces, as its device
    /// saw them (empty for a first value, and for changes that are no field
    /// edit). `None`: format 1, written before the app recorded them.
    pub replaces: Option<Vec<EditId>>,
    /// Format 3: who made it. `None`: an older format, whose maker is known
    /// only as whoever uploaded it.
    /// Boxed: most edits' other fields are small, and a year holds a million.
    pub made_by: Option<Box<Maker>>,
    pub change: Change,
}

/// Who made an edit, as the device knew at that moment: the person signed in
/// to sync (their server login) and the person chosen in 我是, either or both;
/// neither is 未署名. The server can vouch only for who uploads an edit, so
/// screens name the uploader beside the maker whenever the two differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maker {
    pub login: Option<String>,
    pub person: Option<String>,
}

/// Longest login or name a maker carries (the server's bound too).
pub const MAX_MAKER_CHARS: usize = 200;

impl Maker {
    /// The name to show: the person's, else the login; `None` for 未署名.
    pub fn shown(&self) -> Option<&str> {
        self.person.as_deref().or(self.login.as_deref())
    }
}

impl Edit {
    /// Fold order: time, then id. Any two devices order the same set alike.
    pub fn order_key(&self) -> (i64, &EditId) {
        (self.at, &self.id)
    }

    pub fn format(&self) -> u32 {
        if self.made_by.is_some() {
            3
        } else if self.replaces.is_some() {
            2
        } else {
            1
        }
    }

    /// Who to name for this edit: its maker, or for an older format the
    /// person who uploaded it (or whose device stored it), `uploader`.
    /// The uploader is named beside the maker when it is not the maker's own
    /// login: the server vouches only for who uploaded an edit.
    pub fn attribution<'a>(&'a self, uploader: Option<&'a str>) -> Attribution<'a> {
        match &self.made_by {
            None => Attribution {
                known: uploader.is_some(),
                maker: uploader,
                uploader: None,
            },
            Some(m) => Attribution {
                known: true,
                maker: m.shown(),
                uploader: uploader.filter(|u| m.login.as_deref() != Some(*u)),
            },
        }
    }
}

impl Edit {
    /// Whether `me` (who is making edits on `device` now) made this edit, and
    /// so may void it: the same login when both have one, else the same 我是
    /// person; an unsigned edit only on the device that made it. An older
    /// edit is known by its uploader, else by its device.
    pub fn is_by(&self, me: &Maker, uploader: Option<&str>, device: &str) -> bool {
        match self.made_by.as_deref() {
            Some(made) => match (&made.login, &me.login, &made.person, &me.person) {
                (Some(a), Some(b), _, _) => a == b,
                (_, _, Some(a), Some(b)) => a == b,
                _ => made.shown().is_none() && self.device == device,
            },
            None => match (uploader, me.login.as_deref()) {
                (Some(a), Some(b)) => a == b,
                _ => self.device == device,
            },
        }
    }
}

/// Who an edit is by, as screens and prints name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribution<'a> {
    /// Anything is known: an older edit stored without an uploader is not.
    pub known: bool,
    /// The maker's name; `None` is 未署名.
    pub maker: Option<&'a str>,
    /// Who uploaded it, when not the maker's own login.
    pub uploader: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A project that is not in the registry.
    Create {
        name: String,
        district: Option<District>,
    },
    /// Only user-added projects can be removed.
    Remove,
    /// Back to the shipped values; only registry projects.
    Reset,
    Name(String),
    Owner(String),
    Scale(String),
    Notes(String),
    Cluster(Option<Cluster>),
    Stage(Option<Stage>),
    Procedure {
        procedure: Procedure,
        done: bool,
        date: Option<Date>,
    },
    SignedOn(Option<Date>),
    PlannedStart(Option<Date>),
    ActualStart(Option<Date>),
    InvestmentWan(Option<f64>),
    /// Adds or updates a person of the roster; the edit's subject is the person.
    SavePerson(PersonDetails),
    /// Takes a person off the roster. Their projects go to `reassign_to`, or
    /// are left without them; nothing keeps pointing at a removed person.
    RemovePerson {
        reassign_to: Option<String>,
    },
    /// Puts a person on the project; a city leader replaces the project's
    /// previous lead city leader.
    Assign(String),
    Unassign(String),
    /// The answerable service-team member (one of the project's stewards).
    Responsible(Option<String>),
    /// A visit, dispatch meeting or inspection; its id is the edit's id.
    AddRecord(Record),
    /// A blocker (问题/堵点); its id is the edit's id.
    OpenBlocker(NewBlocker),
    ResolveBlocker {
        blocker: String,
        resolved: Date,
        how: String,
    },
    /// Sets how a blocker is supervised: level (escalation), responsible unit
    /// and person, deadline.
    Supervise {
        blocker: String,
        supervision: Supervision,
    },
    /// A progress note on a blocker (进展); both of two notes are kept.
    BlockerProgress {
        blocker: String,
        date: Date,
        note: String,
    },
    /// Withdraws one of the project's visit records or blockers (by id), made
    /// by mistake or twice: it leaves the lists, counts, lights and digest;
    /// the record and this edit, with its reason, stay in history.
    Void {
        record: String,
        why: String,
    },
    /// In or out of the 100-day campaign; `None` goes back to the default.
    Campaign(Option<bool>),
    /// The campaign's start and length, for the whole ledger (`Subject::Ledger`).
    CampaignSettings(CampaignSettings),
}

/// A value that an edit overwrites: a register of one subject. Two edits of
/// one field that neither replaces (directly or down its chain) are a conflict.
/// Additions (records, blockers, assignments) are no field: both are kept.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Name,
    Owner,
    Scale,
    Notes,
    Cluster,
    Stage,
    Procedure(Procedure),
    SignedOn,
    PlannedStart,
    ActualStart,
    Investment,
    Responsible,
    Campaign,
    /// A person's details.
    Person,
    CampaignSettings,
    /// How one blocker (by id) was resolved.
    Resolution(String),
    /// How one blocker (by id) is supervised.
    Supervision(String),
}

impl Field {
    /// A stable name, for the page's data attributes and tests.
    pub fn key(&self) -> String {
        match self {
            Field::Name => "name".into(),
            Field::Owner => "owner".into(),
            Field::Scale => "scale".into(),
            Field::Notes => "notes".into(),
            Field::Cluster => "cluster".into(),
            Field::Stage => "stage".into(),
            Field::Procedure(p) => format!("procedure:{}", p.key()),
            Field::SignedOn => "signed_on".into(),
            Field::PlannedStart => "planned_start".into(),
            Field::ActualStart => "actual_start".into(),
            Field::Investment => "investment".into(),
            Field::Responsible => "responsible".into(),
            Field::Campaign => "campaign".into(),
            Field::Person => "person".into(),
            Field::CampaignSettings => "campaign_settings".into(),
            Field::Resolution(blocker) => format!("resolution:{blocker}"),
            Field::Supervision(blocker) => format!("supervision:{blocker}"),
        }
    }

    /// Reads `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        if let Some(p) = key.strip_prefix("procedure:") {
            return Procedure::from_key(p).map(Field::Procedure);
        }
        if let Some(b) = key.strip_prefix("resolution:") {
            return Some(Field::Resolution(b.to_owned()));
        }
        if let Some(b) = key.strip_prefix("supervision:") {
            return Some(Field::Supervision(b.to_owned()));
        }
        Some(match key {
            "name" => Field::Name,
            "owner" => Field::Owner,
            "scale" => Field::Scale,
            "notes" => Field::Notes,
            "cluster" => Field::Cluster,
            "stage" => Field::Stage,
            "signed_on" => Field::SignedOn,
            "planned_start" => Field::PlannedStart,
            "actual_start" => Field::ActualStart,
            "investment" => Field::Investment,
            "responsible" => Field::Responsible,
            "campaign" => Field::Campaign,
            "person" => Field::Person,
            "campaign_settings" => Field::CampaignSettings,
            _ => return None,
        })
    }
}

impl Change {
    /// Changes whose subject is a person rather than a project.
    pub fn is_about_person(&self) -> bool {
        matches!(self, Change::SavePerson(_) | Change::RemovePerson { .. })
    }

    /// The field this change overwrites, if it is a field edit.
    pub fn field(&self) -> Option<Field> {
        Some(match self {
            Change::Name(_) => Field::Name,
            Change::Owner(_) => Field::Owner,
            Change::Scale(_) => Field::Scale,
            Change::Notes(_) => Field::Notes,
            Change::Cluster(_) => Field::Cluster,
            Change::Stage(_) => Field::Stage,
            Change::Procedure { procedure, .. } => Field::Procedure(*procedure),
            Change::SignedOn(_) => Field::SignedOn,
            Change::PlannedStart(_) => Field::PlannedStart,
            Change::ActualStart(_) => Field::ActualStart,
            Change::InvestmentWan(_) => Field::Investment,
            Change::Responsible(_) => Field::Responsible,
            Change::Campaign(_) => Field::Campaign,
            Change::SavePerson(_) => Field::Person,
            Change::CampaignSettings(_) => Field::CampaignSettings,
            Change::ResolveBlocker { blocker, .. } => Field::Resolution(blocker.clone()),
            Change::Supervise { blocker, .. } => Field::Supervision(blocker.clone()),
            Change::BlockerProgress { .. }
            | Change::Create { .. }
            | Change::Remove
            | Change::Reset
            | Change::RemovePerson { .. }
            | Change::Assign(_)
            | Change::Unassign(_)
            | Change::AddRecord(_)
            | Change::OpenBlocker(_)
            | Change::Void { .. } => return None,
        })
    }
}

/// An edit this version cannot read (a newer format, an unknown change): its
/// text exactly as it arrived, and its id so that it is held once.
#[derive(Clone, Debug)]
pub struct Unreadable {
    pub id: EditId,
    pub raw: Box<RawValue>,
}

impl PartialEq for Unreadable {
    fn eq(&self, other: &Unreadable) -> bool {
        self.id == other.id && self.raw.get() == other.raw.get()
    }
}

/// One element of a stored segment, a bundle or a backup.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Edit(Edit),
    Unreadable(Unreadable),
}

impl Entry {
    pub fn id(&self) -> &EditId {
        match self {
            Entry::Edit(e) => &e.id,
            Entry::Unreadable(u) => &u.id,
        }
    }
}

impl From<Edit> for Entry {
    fn from(edit: Edit) -> Entry {
        Entry::Edit(edit)
    }
}
