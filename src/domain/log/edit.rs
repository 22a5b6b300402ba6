//! The edit: one change a person made, as it is stored and travels between devices.

use crate::domain::vocab::date::Date;
use crate::domain::vocab::fieldwork::{CampaignSettings, NewBlocker, Record};
use crate::domain::vocab::people::PersonDetails;
use crate::domain::vocab::project::{Cluster, District, Procedure, Stage};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    /// Unique across devices: `<writer>:<sequence>`.
    #[serde(rename = "i")]
    pub id: String,
    #[serde(rename = "d")]
    pub device: String,
    #[serde(rename = "p")]
    pub project: String,
    /// Milliseconds since 1970-01-01 UTC.
    #[serde(rename = "t")]
    pub at: i64,
    #[serde(rename = "c")]
    pub change: Change,
}

impl Edit {
    pub(crate) fn order_key(&self) -> (i64, &str) {
        (self.at, &self.id)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Adds or updates a person of the roster; the edit's subject is the person id.
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
    /// In or out of the 100-day campaign; `None` goes back to the default.
    Campaign(Option<bool>),
    /// The campaign's start and length, for the whole ledger (subject `CAMPAIGN_SUBJECT`).
    CampaignSettings(CampaignSettings),
}

/// The subject of edits about the whole ledger rather than one project or person.
pub const CAMPAIGN_SUBJECT: &str = "ledger:campaign";

impl Change {
    /// Changes whose subject is a person rather than a project.
    pub fn is_about_person(&self) -> bool {
        matches!(self, Change::SavePerson(_) | Change::RemovePerson { .. })
    }
}
