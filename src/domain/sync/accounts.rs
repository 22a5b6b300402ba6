//! The roster as sync accounts: which server role each person's login gets,
//! the file the office hands to the accounts command
//! (`server/couchdb/accounts.mjs`), and the sign-in link printed on each
//! person's account card.

use crate::domain::codec::{params, percent_encode};
use crate::domain::log::ledger::Ledger;
use crate::domain::vocab::people::{Person, PersonDetails, Role};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The format name of the accounts file, so the command refuses any other file.
pub const ACCOUNTS_FORMAT: &str = "project-ledger-accounts";
pub const ACCOUNTS_VERSION: u32 = 1;

/// Why a person of the roster gets no account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoAccount {
    /// The office has not given them a login yet.
    NoLogin,
    /// Neither a district nor a city-wide role: the server's rules would not
    /// know what they may write (security.json's roles).
    NoDistrict,
}

/// The server role (security.json) a person's account gets: a district's
/// people write their district (`district-Haicheng`), a city leader the
/// whole city (`city-leader`). The city office's own accounts are not
/// campaign people and are made by hand.
pub fn server_role(details: &PersonDetails) -> Result<String, NoAccount> {
    if details.login.is_empty() {
        return Err(NoAccount::NoLogin);
    }
    match (details.district, details.role) {
        (Some(d), _) => Ok(format!("district-{}", d.key())),
        (None, Role::CityLeader) => Ok("city-leader".to_owned()),
        (None, _) => Err(NoAccount::NoDistrict),
    }
}

/// One line of the accounts file: a person and the account they get.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The roster person's id: the account remembers whose it is.
    pub person: String,
    pub name: String,
    pub login: String,
    /// The server role, as security.json names it.
    pub server_role: String,
    /// The district's name and the campaign role, for the person reading the file.
    pub district: String,
    pub role: String,
}

/// What the office exports for the accounts command: every person with a
/// login and a role the server knows, and who was left out and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsFile {
    pub format: String,
    pub version: u32,
    /// The day of the export (`2026-12-07`).
    pub exported: String,
    pub accounts: Vec<Account>,
    /// Names of people without an account, each with the reason in words.
    pub left_out: Vec<LeftOut>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    pub person: String,
    pub name: String,
    pub reason: String,
}

/// The roster split by whether a person gets an account, in roster order.
pub struct RosterAccounts<'a> {
    /// Each person with their server role.
    pub with: Vec<(&'a Person, String)>,
    /// Each person without, and why.
    pub without: Vec<(&'a Person, NoAccount)>,
}

pub fn roster_accounts(ledger: &Ledger) -> RosterAccounts<'_> {
    let mut split = RosterAccounts {
        with: Vec::new(),
        without: Vec::new(),
    };
    for person in ledger.people() {
        match server_role(&person.details) {
            Ok(role) => split.with.push((person, role)),
            Err(why) => split.without.push((person, why)),
        }
    }
    split
}

/// The accounts file as JSON; `reason` words each `NoAccount`.
pub fn accounts_file(
    ledger: &Ledger,
    exported: &str,
    reason: impl Fn(NoAccount) -> String,
) -> String {
    let RosterAccounts {
        with: accounts,
        without: left_out,
    } = roster_accounts(ledger);
    let file = AccountsFile {
        format: ACCOUNTS_FORMAT.to_owned(),
        version: ACCOUNTS_VERSION,
        exported: exported.to_owned(),
        accounts: accounts
            .into_iter()
            .map(|(p, server_role)| Account {
                person: p.id.clone(),
                name: p.details.name.clone(),
                login: p.details.login.clone(),
                server_role,
                district: p.details.district.map_or("", |d| d.name()).to_owned(),
                role: p.details.role.name().to_owned(),
            })
            .collect(),
        left_out: left_out
            .into_iter()
            .map(|(p, why)| LeftOut {
                person: p.id.clone(),
                name: p.details.name.clone(),
                reason: reason(why),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&file).expect("plain data serializes")
}

/// The roster's person signed in as `login`: the one the office gave that
/// login, else (before logins were given) the one named as the user.
pub fn person_signed_in_as<'a>(ledger: &'a Ledger, login: &str) -> Option<&'a Person> {
    ledger
        .people()
        .find(|p| p.details.login == login)
        .or_else(|| ledger.people().find(|p| p.details.name == login))
}

/// The field app's 同步 page with the server address and login filled in:
/// `#/sync?server=…&user=…`. Never a password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInLink {
    /// The database URL, as typed into 服务器地址.
    pub server: String,
    pub login: String,
}

impl SignInLink {
    /// The hash of the field app's sync page that fills the form.
    pub fn hash(&self) -> String {
        format!(
            "#/sync?server={}&user={}",
            percent_encode(&self.server),
            percent_encode(&self.login)
        )
    }

    /// The whole link: the field app's address (`https://ledger.example.cn/`) and the hash.
    pub fn url(&self, app: &str) -> String {
        [app, &self.hash()].concat()
    }

    /// The link a hash carries (`#/sync?server=…&user=…`), when it carries one.
    pub fn from_hash(hash: &str) -> Option<SignInLink> {
        let query = hash.trim_start_matches('#').strip_prefix("/sync?")?;
        let (mut server, mut login) = (None, None);
        for (key, value) in params(query) {
            match key.as_str() {
                "server" => server = Some(value),
                "user" => login = Some(value),
                _ => {}
            }
        }
        Some(SignInLink {
            server: server.filter(|s| !s.is_empty())?,
            login: login.unwrap_or_default(),
        })
    }
}

/// A QR code as one SVG path of unit squares, `size` modules wide (without
/// the quiet zone): drawn by the page as any other SVG, from a matrix the
/// qrcode crate computes. Error correction M: a card may get creased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrPath {
    pub size: usize,
    /// `M x y h1v1h-1z` per dark module.
    pub d: String,
}

/// `text` as a QR code, or `None` when it is too long for one.
pub fn qr_path(text: &str) -> Option<QrPath> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let size = code.width();
    let mut d = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let _ = write!(d, "M{} {}h1v1h-1z", i % size, i / size);
        }
    }
    Some(QrPath { size, d })
}
