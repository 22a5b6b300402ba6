//! Turning what a person typed into a change, or saying why not.
//! Messages live in `crate::text`; here only the reasons.

use crate::domain::log::edit::{Change, Edit, Entry};
use crate::domain::log::ledger::{apply_change, Ledger};
use crate::domain::rules::quotas::valid_phone;
use crate::domain::vocab::date::Date;
use crate::domain::vocab::people::PersonDetails;
use crate::domain::vocab::project::Project;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    NotANumber,
    Negative,
    TooLarge,
    BadDate,
    StartBeforeSigning,
    EmptyName,
    TooLong {
        max: usize,
    },
    EmptyPersonName,
    DistrictRequired,
    BadPhone,
    EmptyDescription,
    ResolvedBeforeOpened,
    NoSuchBlocker,
    /// The record or blocker to void is not (or no longer) on the project.
    NoSuchRecord,
    DeadlineBeforeOpened,
    EmptyNote,
    CampaignTooLong,
    /// A date of something done (办结, 实际开工, 解决) after today: it has not
    /// happened yet.
    FutureDate,
    /// Not about the value: the device's storage has not answered yet, so
    /// nothing can be kept.
    StorageNotAnswering,
    /// The same submission again within `REPEAT_WINDOW_MS` (a double tap):
    /// the first is kept, this one is not.
    Repeated,
    /// A sign-in name with characters a phone keyboard or a link would mangle.
    BadLogin,
    /// Another person of the roster already has this sign-in name (theirs).
    LoginTaken(String),
}

/// How long an identical submission counts as a repeat of the one before.
pub const REPEAT_WINDOW_MS: i64 = 3_000;

/// What a submission is, to tell a repeat (a double tap) from a new one:
/// its changes, a subject that does not exist yet (a project or person
/// being created, named afresh on every tap) left unnamed.
pub fn submission(ledger: &Ledger, changes: &[(String, Change)]) -> Vec<(Option<String>, Change)> {
    changes
        .iter()
        .map(|(subject, change)| {
            let exists = ledger.project(subject).is_some() || ledger.person(subject).is_some();
            (exists.then(|| subject.clone()), change.clone())
        })
        .collect()
}

/// Upper bound for investment: 10 trillion yuan, far above any single project,
/// so a slipped extra digit group is caught.
pub const MAX_INVESTMENT_WAN: f64 = 1e9;
pub const MAX_NAME_CHARS: usize = 500;
pub const MAX_TEXT_CHARS: usize = 5000;
/// The longest campaign: a year.
pub const MAX_CAMPAIGN_DAYS: u16 = 366;

/// Investment in 万元. Empty clears it. Accepts full-width digits, thousands
/// separators and a trailing 万元, as people type them on Chinese keyboards.
pub fn parse_investment(text: &str) -> Result<Option<f64>, InputError> {
    let normalized: String = text
        .trim()
        .trim_end_matches("万元")
        .trim_end_matches('万')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' => '-',
            other => other,
        })
        .collect();
    if normalized.is_empty() {
        return Ok(None);
    }
    let (negative, digits) = match normalized.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, normalized.as_str()),
    };
    let well_formed = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit());
    if !well_formed {
        return Err(InputError::NotANumber);
    }
    let value = decimal_wan(digits).ok_or(InputError::TooLarge)?;
    if negative && value != 0.0 {
        return Err(InputError::Negative);
    }
    if value > MAX_INVESTMENT_WAN {
        return Err(InputError::TooLarge);
    }
    Ok(Some(value))
}

/// Well-formed ASCII digits with at most one point → 万元, rounded to 4
/// decimals (1 元). Integer arithmetic: the wasm then carries no float parser.
/// `None` when the whole part is too long to be any investment.
fn decimal_wan(digits: &str) -> Option<f64> {
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = whole.trim_start_matches('0');
    if whole.len() > 15 {
        return None;
    }
    let number = |text: &str| text.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let mut ten_thousandths = number(whole) * 10_000;
    let kept = &fraction[..fraction.len().min(4)];
    ten_thousandths += number(kept) * 10u64.pow(4 - kept.len() as u32);
    if fraction.as_bytes().get(4).is_some_and(|&b| b >= b'5') {
        ten_thousandths += 1;
    }
    Some(ten_thousandths as f64 / 10_000.0)
}

/// A date field; empty clears it.
pub fn parse_date(text: &str) -> Result<Option<Date>, InputError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(text).map(Some).ok_or(InputError::BadDate)
}

pub fn check_name(text: &str) -> Result<String, InputError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(InputError::EmptyName);
    }
    check_length(name, MAX_NAME_CHARS).map(str::to_owned)
}

fn find_blocker<'a>(
    project: &'a Project,
    id: &str,
) -> Result<&'a crate::domain::vocab::fieldwork::Blocker, InputError> {
    project
        .blockers
        .iter()
        .find(|b| b.id == id)
        .ok_or(InputError::NoSuchBlocker)
}

pub fn check_length(text: &str, max: usize) -> Result<&str, InputError> {
    if text.chars().count() > max {
        return Err(InputError::TooLong { max });
    }
    Ok(text)
}

/// Rules that involve more than one field: a change is refused when it would
/// leave the project contradicting itself.
pub fn check_change(project: &Project, change: &Change) -> Result<(), InputError> {
    let (signed, started) = match change {
        Change::SignedOn(d) => (*d, project.actual_start),
        Change::ActualStart(d) => (project.signed_on, *d),
        Change::Name(n) => return check_name(n).map(|_| ()),
        Change::Owner(t) | Change::Scale(t) => return check_length(t, MAX_NAME_CHARS).map(|_| ()),
        Change::Notes(t) => return check_length(t, MAX_TEXT_CHARS).map(|_| ()),
        Change::SavePerson(details) => return check_person(details),
        Change::AddRecord(r) => return check_length(&r.notes, MAX_TEXT_CHARS).map(|_| ()),
        Change::OpenBlocker(b) => {
            if b.description.trim().is_empty() {
                return Err(InputError::EmptyDescription);
            }
            if b.deadline.is_some_and(|d| d < b.opened) {
                return Err(InputError::DeadlineBeforeOpened);
            }
            check_length(&b.description, MAX_TEXT_CHARS)?;
            return check_length(&b.unit, MAX_NAME_CHARS).map(|_| ());
        }
        Change::ResolveBlocker {
            blocker,
            resolved,
            how,
        } => {
            let opened = project
                .blockers
                .iter()
                .find(|b| b.id == *blocker)
                .ok_or(InputError::NoSuchBlocker)?
                .opened_as
                .opened;
            if *resolved < opened {
                return Err(InputError::ResolvedBeforeOpened);
            }
            return check_length(how, MAX_TEXT_CHARS).map(|_| ());
        }
        Change::Supervise {
            blocker,
            supervision,
        } => {
            let opened = find_blocker(project, blocker)?.opened_as.opened;
            if supervision.deadline.is_some_and(|d| d < opened) {
                return Err(InputError::DeadlineBeforeOpened);
            }
            check_length(&supervision.unit, MAX_NAME_CHARS)?;
            return check_length(&supervision.person, MAX_NAME_CHARS).map(|_| ());
        }
        Change::Void { record, why } => {
            let held = project.records.iter().any(|(id, _)| id == record)
                || project.blockers.iter().any(|b| b.id == *record);
            if !held {
                return Err(InputError::NoSuchRecord);
            }
            return check_length(why, MAX_TEXT_CHARS).map(|_| ());
        }
        Change::BlockerProgress { blocker, note, .. } => {
            find_blocker(project, blocker)?;
            if note.trim().is_empty() {
                return Err(InputError::EmptyNote);
            }
            return check_length(note, MAX_TEXT_CHARS).map(|_| ());
        }
        Change::CampaignSettings(_) => return check_subjectless(change),
        Change::InvestmentWan(Some(v)) if !(0.0..=MAX_INVESTMENT_WAN).contains(v) => {
            return Err(if *v < 0.0 {
                InputError::Negative
            } else {
                InputError::NotANumber
            })
        }
        _ => return Ok(()),
    };
    match (signed, started) {
        (Some(signed), Some(started)) if started < signed => Err(InputError::StartBeforeSigning),
        _ => Ok(()),
    }
}

/// 万元 without float noise, to 4 decimals (1 元): 12600 → "12600", 12600.5 → "12600.5".
/// Integer arithmetic, so the wasm carries no float formatter.
pub fn format_wan(value: f64) -> String {
    let ten_thousandths = (value * 10_000.0).round() as u64;
    let (whole, fraction) = (ten_thousandths / 10_000, ten_thousandths % 10_000);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:04}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Changes whose subject is no project (a person, the ledger's settings).
pub fn check_subjectless(change: &Change) -> Result<(), InputError> {
    match change {
        Change::SavePerson(details) => check_person(details),
        Change::CampaignSettings(c) if !(1..=MAX_CAMPAIGN_DAYS).contains(&c.days) => {
            Err(InputError::CampaignTooLong)
        }
        _ => Ok(()),
    }
}

/// A roster entry as typed; names and units trimmed.
pub fn check_person(details: &PersonDetails) -> Result<(), InputError> {
    check_name(&details.name).map_err(|e| {
        if e == InputError::EmptyName {
            InputError::EmptyPersonName
        } else {
            e
        }
    })?;
    check_length(&details.unit, MAX_NAME_CHARS)?;
    if details.role.is_district_leader() && details.district.is_none() {
        return Err(InputError::DistrictRequired);
    }
    if !details.phone.trim().is_empty() && !valid_phone(&details.phone) {
        return Err(InputError::BadPhone);
    }
    check_login(&details.login)
}

/// The longest sign-in name.
pub const MAX_LOGIN_CHARS: usize = 64;

/// A sign-in name, empty or as CouchDB takes it and a person types it on a
/// phone: lower-case letters, digits, `.`, `-`, `_`, beginning with a letter
/// or digit (CouchDB keeps names beginning with `_` for itself).
pub fn check_login(login: &str) -> Result<(), InputError> {
    let allowed =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_');
    let first_ok = login
        .chars()
        .next()
        .is_none_or(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if login.len() > MAX_LOGIN_CHARS || !first_ok || !login.chars().all(allowed) {
        return Err(InputError::BadLogin);
    }
    Ok(())
}

/// Two people cannot share a sign-in name: `login` is free unless someone
/// other than `person` has it.
pub fn check_login_free(ledger: &Ledger, person: &str, login: &str) -> Result<(), InputError> {
    match ledger
        .people()
        .find(|p| p.id != person && !login.is_empty() && p.details.login == login)
    {
        Some(other) => Err(InputError::LoginTaken(other.details.name.clone())),
        None => Ok(()),
    }
}

/// The longest device name an edit may carry (this app writes 12 characters).
pub const MAX_DEVICE_CHARS: usize = 64;
/// The longest subject id: a project's, a person's (this app writes about 30).
pub const MAX_SUBJECT_CHARS: usize = 100;
/// The most edits one edit may replace: one per device that edited the field at once.
pub const MAX_REPLACED: usize = 64;
/// The longest edit of a newer version that this one keeps without reading it.
pub const MAX_UNREADABLE_CHARS: usize = 20_000;

/// Why an edit from a file or another device is refused: it breaks a limit
/// that a person typing would meet, so this app could not have made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditFault {
    DeviceTooLong,
    SubjectEmpty,
    SubjectTooLong,
    /// A person, blocker or record id inside the change is too long.
    ReferenceTooLong,
    TooManyReplaced,
    /// An edit of a newer version, larger than any edit can be.
    UnreadableTooLarge,
    /// What a person typing this change would have been told.
    Input(InputError),
}

/// The limits every field of an edit from elsewhere must keep: ids, device
/// names, texts, numbers, dates (a `Date` is bounded when parsed), list lengths.
pub fn check_edit(edit: &Edit) -> Result<(), EditFault> {
    if edit.device.chars().count() > MAX_DEVICE_CHARS {
        return Err(EditFault::DeviceTooLong);
    }
    let subject = edit.subject.id();
    if subject.is_empty() {
        return Err(EditFault::SubjectEmpty);
    }
    if subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(EditFault::SubjectTooLong);
    }
    if edit
        .replaces
        .as_ref()
        .is_some_and(|r| r.len() > MAX_REPLACED)
    {
        return Err(EditFault::TooManyReplaced);
    }
    let reference = match &edit.change {
        Change::Assign(p) | Change::Unassign(p) => Some(p.as_str()),
        Change::Responsible(p) | Change::RemovePerson { reassign_to: p } => p.as_deref(),
        Change::AddRecord(r) => r.who.as_deref(),
        Change::ResolveBlocker { blocker, .. }
        | Change::Supervise { blocker, .. }
        | Change::BlockerProgress { blocker, .. } => Some(blocker.as_str()),
        _ => None,
    };
    if reference.is_some_and(|r| r.chars().count() > MAX_SUBJECT_CHARS) {
        return Err(EditFault::ReferenceTooLong);
    }
    let blank = Project::new_user_added(String::new(), String::new(), None);
    match &edit.change {
        // Needs the blocker it resolves; lengths are all a file can be held to.
        Change::ResolveBlocker { how, .. } => check_length(how, MAX_TEXT_CHARS).map(|_| ()),
        Change::Supervise { supervision: s, .. } => check_length(&s.unit, MAX_NAME_CHARS)
            .and_then(|_| check_length(&s.person, MAX_NAME_CHARS))
            .map(|_| ()),
        Change::BlockerProgress { note, .. } => check_length(note, MAX_TEXT_CHARS).map(|_| ()),
        Change::Create { name, .. } => check_name(name).map(|_| ()),
        change => check_change(&blank, change).and_then(|()| check_subjectless(change)),
    }
    .map_err(EditFault::Input)
}

pub fn check_entry(entry: &Entry) -> Result<(), EditFault> {
    match entry {
        Entry::Edit(edit) => check_edit(edit),
        Entry::Unreadable(u) if u.raw.get().chars().count() > MAX_UNREADABLE_CHARS => {
            Err(EditFault::UnreadableTooLarge)
        }
        Entry::Unreadable(_) => Ok(()),
    }
}

/// What a person types may not record as done what has not happened yet: a
/// procedure done on a later date, a start or a resolution after `today`.
/// (Edits from files and other devices are kept as made; the light and the
/// counts judge their dates.)
pub fn check_not_ahead(changes: &[(String, Change)], today: Date) -> Result<(), InputError> {
    let ahead = |d: &Option<Date>| d.is_some_and(|d| d > today);
    for (_, change) in changes {
        let future = match change {
            Change::Procedure {
                done: true, date, ..
            } => ahead(date),
            Change::ActualStart(date) => ahead(date),
            Change::ResolveBlocker { resolved, .. } => *resolved > today,
            _ => false,
        };
        if future {
            return Err(InputError::FutureDate);
        }
    }
    Ok(())
}

/// Checks a batch of changes (a CSV import, an assignment to many projects) as
/// one action: each against its project as the earlier changes of the batch
/// leave it. `Err` names the first refused change by position; nothing of a
/// refused batch may be stored.
pub fn check_batch(
    ledger: &Ledger,
    changes: &[(String, Change)],
) -> Result<(), (usize, InputError)> {
    // Projects as the batch leaves them, found by a scan: batches are a few
    // hundred changes, and a map would cost the phone's download more.
    let mut scratch: Vec<Project> = Vec::new();
    for (i, (subject, change)) in changes.iter().enumerate() {
        check_subjectless(change).map_err(|e| (i, e))?;
        let at = match scratch.iter().position(|p| p.id == *subject) {
            Some(at) => Some(at),
            None => match change {
                Change::Create { name, district } => Some(Project::new_user_added(
                    subject.clone(),
                    name.clone(),
                    *district,
                )),
                _ => ledger.project(subject).cloned(),
            }
            .map(|project| {
                scratch.push(project);
                scratch.len() - 1
            }),
        };
        if let Some(project) = at.map(|at| &mut scratch[at]) {
            check_change(project, change).map_err(|e| (i, e))?;
            apply_change(project, change);
        }
    }
    Ok(())
}
